"""``python -m classroom.student_release DESTINATION NOTEBOOK...``: write the student release (``make student``)."""

import argparse
from pathlib import Path

from .release import write_release


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the chapters without their solutions, for students.")
    parser.add_argument("destination", type=Path, help="folder to write the student notebooks into")
    parser.add_argument("notebooks", type=Path, nargs="+", help="chapter notebooks")
    arguments = parser.parse_args()
    for path in write_release(arguments.notebooks, arguments.destination):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()

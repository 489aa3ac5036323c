"""``python -m classroom.nbgrader_export DESTINATION NOTEBOOK...``: the nbgrader course folder (``make nbgrader``)."""

import argparse
from pathlib import Path

from .course import write_course


def main() -> None:
    parser = argparse.ArgumentParser(description="Write an nbgrader course folder from the chapters.")
    parser.add_argument("destination", type=Path, help="the course folder (nbgrader runs from there)")
    parser.add_argument("notebooks", type=Path, nargs="+", help="chapter notebooks")
    arguments = parser.parse_args()
    for assignment in write_course(arguments.notebooks, arguments.destination):
        print(f"wrote {arguments.destination / 'source' / assignment}")
    print(f"answer keys in {arguments.destination / 'answer_keys'}; "
          f"next: cd {arguments.destination} && nbgrader generate_assignment ASSIGNMENT")


if __name__ == "__main__":
    main()

"""``python -m classroom.nbgrader_export DESTINATION NOTEBOOK...``: the nbgrader course folder (``make nbgrader``)."""

import argparse
import sys
from pathlib import Path

from .course import write_course


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write an nbgrader course folder from the chapters.")
    parser.add_argument("destination", type=Path, help="the course folder (nbgrader runs from there)")
    parser.add_argument("notebooks", type=Path, nargs="+", help="chapter notebooks")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace files an instructor changed since they were written (their changes are lost)")
    arguments = parser.parse_args(argv)
    assignments, writer = write_course(arguments.notebooks, arguments.destination, overwrite=arguments.overwrite)
    kept = {path.parent.name for path in writer.kept if path.suffix == ".ipynb"}
    for assignment in assignments:
        done = "kept as you changed it:" if assignment in kept else "wrote"
        print(f"{done} {arguments.destination / 'source' / assignment}")
    print(f"answer keys in {arguments.destination / 'answer_keys'}; "
          f"next: cd {arguments.destination} && nbgrader generate_assignment ASSIGNMENT")
    if writer.kept:
        print(writer.report(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

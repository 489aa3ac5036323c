"""``make handout``: what students receive besides the chapters: the homework and the quizzes, without any answer.

Writes into the output folder (``_build/classroom/handout``) a ``homework/`` folder with each chapter's statement,
starter file and grading tests and the ``conftest.py`` that runs them, and a ``quizzes/`` folder with the
questions of each chapter's quiz. The reference solutions (``classroom/homework/solutions``), the quizzes'
answer keys (``classroom/quizzes/keys``) and the rubrics (``classroom/rubrics``, a folder of its own that the handout
never reads) are never copied.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HOMEWORK = Path(__file__).resolve().parent
QUIZZES = HOMEWORK.parent / "quizzes"
INSTRUCTORS_ONLY = ("solutions", "keys", "rubrics", "RUBRIC*")
# In the repository pyproject.toml makes the top folder pytest's root, so classroom/homework/conftest.py is found;
# in the handout this file does, wherever the student unpacks it.
PYTEST_INI = """[pytest]
# Each homework's tests grade the file next to them, or another one: pytest --submission path/to/file.py
"""
STUDENT_README = """# Homework and quizzes

`homework/` holds one coding homework per chapter. In each folder, `README.md` says what to write, the `.py` file
is the one you edit and hand in, and `pytest` (run in that folder) tells you which of the grading tests pass.
The course's install brings pytest with everything else (`requirements-learner.txt`, or the bundle's
`cnn-course[learner]`).

`quizzes/` holds one short concept quiz per chapter: answer each question with a letter and one sentence that says
why.
"""


def copy_without_answers(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(
        *INSTRUCTORS_ONLY, "__pycache__", "__init__.py", "handout.py", "grading.py", "nbgrader_assignments.py",
        "notebook_grading.py", "*.pyc"))


def write_handout(output: Path) -> list[Path]:
    """Write the students' folder; returns every file written."""
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    (output / "README.md").write_text(STUDENT_README, encoding="utf-8")
    copy_without_answers(HOMEWORK, output / "homework")
    (output / "homework" / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    if QUIZZES.is_dir():
        copy_without_answers(QUIZZES, output / "quizzes")
    return sorted(path for path in output.rglob("*") if path.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.homework.handout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=Path("_build/classroom/handout"))
    args = parser.parse_args(argv)
    files = write_handout(args.output)
    print(f"{len(files)} files written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

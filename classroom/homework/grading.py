"""Grade a class's submissions of one homework: its tests run once per submission, the scores in a CSV file.

    python -m classroom.homework.grading 05_pooling SUBMISSIONS [--output grades.csv]
    make grade-homework HOMEWORK=05_pooling SUBMISSIONS=path/to/submissions

SUBMISSIONS is a folder holding either one file per student (``alice.py``), or one folder per student with the
homework's file somewhere inside it (``alice/average_pooling.py``, as nbgrader's ``submitted/<student>/`` or a
learning platform's download lays them out). Each submission is graded in a process of its own by pytest
(``pytest classroom/homework/<homework> --submission FILE``), with a time limit, so that a student's crash,
endless loop or import of a refused library costs that student the points and nobody else. One test is one point.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

HOMEWORK = Path(__file__).resolve().parent
REPOSITORY = HOMEWORK.parents[1]
TIME_LIMIT_SECONDS = 600


@dataclass(frozen=True)
class Grade:
    student: str
    passed: int
    total: int
    failed: tuple[str, ...]

    @property
    def score(self) -> float:
        return self.passed / self.total if self.total else 0.0


def homework_folder(name: str) -> Path:
    folder = HOMEWORK / name
    if not folder.is_dir() or not list(folder.glob("test_*.py")):
        known = sorted(path.name for path in HOMEWORK.glob("0*_*") if path.is_dir())
        raise ValueError(f"no homework {name!r}: choose one of {', '.join(known)}")
    return folder


def starter_name(folder: Path) -> str:
    """The file a student hands in, as the homework's tests name it (``SUBMISSION = "..."``)."""
    (tests,) = folder.glob("test_*.py")
    for line in tests.read_text(encoding="utf-8").splitlines():
        if line.startswith("SUBMISSION ="):
            return line.split("=", 1)[1].strip().strip("\"'")
    raise ValueError(f"{tests} does not name its SUBMISSION")


def find_submissions(submissions: Path, file_name: str) -> dict[str, Path]:
    """Each student's file: ``<student>.py`` directly in the folder, or ``<student>/**/<file_name>``."""
    found = {path.stem: path for path in sorted(submissions.glob("*.py"))}
    for student in sorted(path for path in submissions.iterdir() if path.is_dir()):
        files = sorted(student.rglob(file_name))
        if files:
            found[student.name] = files[0]
    return found


def grade_one(folder: Path, submission: Path, student: str) -> Grade:
    """Run the homework's tests on one file in a fresh pytest process and count the passed tests."""
    total = sum(1 for line in next(folder.glob("test_*.py")).read_text().splitlines() if line.startswith("def test_"))
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        command = [sys.executable, "-m", "pytest", str(folder), f"--submission={submission.resolve()}", "-q",
                   "-p", "no:cacheprovider", f"--junitxml={report}"]
        try:
            subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS)
        except subprocess.TimeoutExpired:
            return Grade(student, 0, total, ("time limit exceeded",))
        if not report.is_file():
            return Grade(student, 0, total, ("the tests did not run",))
        cases = ElementTree.parse(report).getroot().iter("testcase")
        failed = tuple(case.get("name") for case in cases if case.find("failure") is not None
                       or case.find("error") is not None or case.find("skipped") is not None)
    return Grade(student, total - len(failed), total, failed)


def grade_all(name: str, submissions: Path, output: Path) -> list[Grade]:
    folder = homework_folder(name)
    files = find_submissions(submissions, starter_name(folder))
    if not files:
        raise ValueError(f"no submission of {starter_name(folder)} in {submissions}")
    grades = [grade_one(folder, path, student) for student, path in files.items()]
    with output.open("w", newline="", encoding="utf-8") as table:
        writer = csv.writer(table)
        writer.writerow(["student", "passed", "total", "score", "failed tests"])
        for grade in grades:
            writer.writerow([grade.student, grade.passed, grade.total, f"{grade.score:.2f}", "; ".join(grade.failed)])
    return grades


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.homework.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("homework", help="the homework's folder name, e.g. 05_pooling")
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--output", type=Path, default=Path("grades.csv"))
    args = parser.parse_args(argv)
    for grade in grade_all(args.homework, args.submissions, args.output):
        print(f"{grade.student}: {grade.passed}/{grade.total}")
    print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Grade a class's submissions of one homework: its tests run once per submission, the scores in a CSV file.

    python -m classroom.homework.grading 05_pooling SUBMISSIONS [--output grades.csv] [--feedback FOLDER]
                                         [--time-limit SECONDS] [--jobs N]
    make grade-homework HOMEWORK=05_pooling SUBMISSIONS=path/to/submissions [TIME_LIMIT=300] [JOBS=4]

SUBMISSIONS is a folder holding either one file per student (``alice.py``), or one folder per student with the
homework's file somewhere inside it (``alice/average_pooling.py``, as nbgrader's ``submitted/<student>/`` or a
learning platform's download lays them out). Each submission is graded in a process of its own by pytest
(``pytest classroom/homework/<homework> --submission FILE``), with a time limit on each test (``--time-limit``, 300 s
by default), so that a student's crash, endless loop or import of a refused library costs that student the points
of the tests it breaks and nobody else anything. One test is one point.
Submissions are graded side by side, one process per core by default (``--jobs``).

The CSV file gives, for each student, the passed tests, the total and the score, and for each failed test its
reason in a few words: a syntax error and its line, a refused import, the time limit, a function missing or not
written yet, or the first words of the assertion's message. Each student also gets a feedback file (Markdown) with
the same reasons at more length, to hand back.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HOMEWORK = Path(__file__).resolve().parent
REPOSITORY = HOMEWORK.parents[1]
TIME_LIMIT_SECONDS = 300  # for each test (the homework's conftest.py stops a test that runs longer)
# Beyond the tests' limits, what the whole run of one submission may take: starting pytest and importing TensorFlow,
# and a margin for code the alarm cannot interrupt (a long call into NumPy or TensorFlow).
RUN_ALLOWANCE_SECONDS = 120
GRADING_TIMES = REPOSITORY / "benchmarks" / "results" / "grading_times.json"
"""The measured time of grading a sample of each homework (benchmarks/grading_time.py writes it)."""
SHORT_REASON = 160  # characters of a reason in the CSV file
LONG_REASON = 1200  # characters of a reason in a feedback file


@dataclass(frozen=True)
class Failure:
    test: str
    reason: str  # short, for the CSV file
    details: str  # longer, for the student's feedback file


@dataclass(frozen=True)
class Grade:
    student: str
    passed: int
    total: int
    failures: tuple[Failure, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(failure.test for failure in self.failures)

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


def test_names(folder: Path) -> list[str]:
    """The homework's tests, in the order pytest runs them."""
    (tests,) = folder.glob("test_*.py")
    return re.findall(r"^def (test_\w+)\(", tests.read_text(encoding="utf-8"), re.M)


def find_submissions(submissions: Path, file_name: str) -> dict[str, Path]:
    """Each student's file: ``<student>.py`` directly in the folder, or ``<student>/**/<file_name>``."""
    found = {path.stem: path for path in sorted(submissions.glob("*.py"))}
    for student in sorted(path for path in submissions.iterdir() if path.is_dir()):
        files = sorted(student.rglob(file_name))
        if files:
            found[student.name] = files[0]
    return found


def shortened(text: str, limit: int) -> str:
    """``text`` on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 3].rstrip() + "..."


def explain(message: str) -> tuple[str, str]:
    """A failed test's message as a student reads it: a reason of a few words (for the CSV file), and the details
    (for the feedback file). Syntax errors, refused imports, time limits, missing and unwritten functions are
    named as such; any other failure is its own message (an assertion's says what differed), shortened."""
    message = re.sub(r'^failed on (setup|teardown) with "(.*)"$', r"\2", message.strip(), flags=re.S)
    message = re.sub(r"\s*\[\+\d+ more lines; full report in element text\]$", "", message)
    syntax = re.search(r"^(SyntaxError|IndentationError|TabError): (.*)$", message, re.M)
    stopped = re.search(r"TimeLimitExceeded: (.*)", message)
    missing = re.match(r"AttributeError: module '[^']*' has no attribute '(\w+)'", message)
    not_written = re.match(r"NotImplementedError: (\w+)", message)
    if syntax:
        line = re.search(r"line (\d+)", message)
        kind = "syntax error" if syntax.group(1) == "SyntaxError" else "indentation error"
        reason = f"{kind}{f', line {line.group(1)}' if line else ''}: {syntax.group(2)}"
        return shortened(reason, SHORT_REASON), message[:LONG_REASON]
    if stopped:
        reason = stopped.group(1)
    elif message.startswith("Failed: this homework is to be written with"):
        reason = "refused import: " + message.removeprefix("Failed: ")
    elif missing:
        reason = f"the submission defines no {missing.group(1)}"
    elif not_written:
        reason = f"{not_written.group(1)} is not written yet (it raises NotImplementedError)"
    else:
        return shortened(message, SHORT_REASON), message[:LONG_REASON]
    return shortened(reason, SHORT_REASON), reason


def _failures_from_report(report: Path, names: list[str]) -> tuple[Failure, ...]:
    failures = []
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        for kind in ("failure", "error", "skipped"):
            element = case.find(kind)
            if element is not None:
                message = element.get("message") or (element.text or "").strip() or kind
                failures.append(Failure(case.get("name"), *explain(message)))
                break
    order = {name: index for index, name in enumerate(names)}
    return tuple(sorted(failures, key=lambda failure: order.get(failure.test, len(order))))


def _failures_after_time_limit(output: str, names: list[str], time_limit: float) -> tuple[Failure, ...]:
    """What ``pytest -v`` had reported when the limit of the whole run stopped it: the tests that had finished keep
    their result, the one running gets the time limit as its reason, the others were not run."""
    finished = dict(re.findall(r"::(test_\w+) (PASSED|FAILED|ERROR)", output))
    failures, running_found = [], False
    for name in names:
        if finished.get(name) == "PASSED":
            continue
        if name in finished:
            reason = "failed (its message was lost when the time limit stopped the tests)"
        elif not running_found:
            running_found = True
            reason = (f"time limit: the whole run was stopped after {time_limit:g} s, in a long call that the "
                      "limit of each test could not interrupt")
        else:
            reason = "not run: the time limit stopped the tests before"
        failures.append(Failure(name, reason, reason))
    return tuple(failures)


def grade_one(folder: Path, submission: Path, student: str, time_limit: float = TIME_LIMIT_SECONDS) -> Grade:
    """Run the homework's tests on one file in a fresh pytest process; the tests passed and each failure's reason.

    Each test may run ``time_limit`` seconds; the whole run, that many per test and :data:`RUN_ALLOWANCE_SECONDS`.
    """
    names = test_names(folder)
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        command = [sys.executable, "-m", "pytest", str(folder), f"--submission={submission.resolve()}", "-v",
                   f"--time-limit={time_limit:g}", "-p", "no:cacheprovider", f"--junitxml={report}"]
        environment = dict(os.environ, PYTHONUNBUFFERED="1")  # -v's lines reach us even if the process is killed
        whole_run = time_limit * len(names) + RUN_ALLOWANCE_SECONDS
        try:
            done = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True, timeout=whole_run,
                                  env=environment)
        except subprocess.TimeoutExpired as stopped:
            output = stopped.stdout.decode(errors="replace") if isinstance(stopped.stdout, bytes) \
                else stopped.stdout or ""
            failures = _failures_after_time_limit(output, names, whole_run)
            return Grade(student, len(names) - len(failures), len(names), failures)
        if report.is_file():
            failures = _failures_from_report(report, names)
        else:
            said = (done.stderr or done.stdout).strip()
            problem = shortened(said.splitlines()[-1] if said else f"pytest ended with status {done.returncode}",
                                SHORT_REASON)
            failures = tuple(Failure(name, f"the tests did not run: {problem}", problem) for name in names)
    return Grade(student, len(names) - len(failures), len(names), failures)


def class_grading_seconds(measured: dict, students: int) -> float:
    """The time ``make grade-homework`` would take for ``students`` submissions, extrapolated from a measured sample:
    ``measured`` holds the sample's size and its wall time at the same number of jobs side by side (an entry of
    :data:`GRADING_TIMES`). Submissions take about the same time each, so the time grows with their number."""
    return measured["seconds"] / measured["sample"] * students


def failed_and_why(grade: Grade) -> str:
    """The CSV file's last column: each failed test and its reason, or one reason for all when they share it."""
    reasons = {failure.reason for failure in grade.failures}
    if len(grade.failures) > 1 and len(reasons) == 1 and len(grade.failures) == grade.total:
        return f"all {grade.total} tests: {reasons.pop()}"
    return "; ".join(f"{failure.test}: {failure.reason}" for failure in grade.failures)


def feedback(grade: Grade, homework: str) -> str:
    """A student's feedback file: the score, then each test, passed or failed, with the reason of each failure."""
    lines = [f"# Homework {homework}: {grade.student}", "",
             f"{grade.passed} of {grade.total} tests passed (score {grade.score:.2f}).", ""]
    failed = {failure.test: failure for failure in grade.failures}
    for name in test_names(homework_folder(homework)):
        if name in failed:
            lines += [f"- **failed**: `{name}`", "", "  ```text", *(f"  {line}" for line in
                                                                   failed[name].details.splitlines()), "  ```", ""]
        else:
            lines.append(f"- passed: `{name}`")
    return "\n".join(lines).rstrip() + "\n"


def grade_all(name: str, submissions: Path, output: Path, *, feedback_folder: Path | None = None,
              time_limit: float = TIME_LIMIT_SECONDS, jobs: int | None = None) -> list[Grade]:
    """Grade every submission, ``jobs`` at a time (default: one per core); write the CSV file and the feedback."""
    folder = homework_folder(name)
    files = find_submissions(submissions, starter_name(folder))
    if not files:
        raise ValueError(f"no submission of {starter_name(folder)} in {submissions}")
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        grades = list(pool.map(lambda item: grade_one(folder, item[1], item[0], time_limit), files.items()))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as table:
        writer = csv.writer(table)
        writer.writerow(["student", "passed", "total", "score", "failed tests and why"])
        for grade in grades:
            writer.writerow([grade.student, grade.passed, grade.total, f"{grade.score:.2f}", failed_and_why(grade)])
    feedback_folder = feedback_folder or output.with_name(f"{output.stem}-feedback")
    feedback_folder.mkdir(parents=True, exist_ok=True)
    for grade in grades:
        (feedback_folder / f"{grade.student}.md").write_text(feedback(grade, name), encoding="utf-8")
    return grades


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.homework.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("homework", help="the homework's folder name, e.g. 05_pooling")
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--output", type=Path, default=Path("grades.csv"))
    parser.add_argument("--feedback", type=Path, default=None,
                        help="folder of the students' feedback files (default: beside the CSV, <name>-feedback)")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT_SECONDS,
                        help=f"seconds each test may run on a submission (default {TIME_LIMIT_SECONDS})")
    parser.add_argument("--jobs", type=int, default=None,
                        help="submissions graded side by side (default: the machine's cores)")
    args = parser.parse_args(argv)
    feedback_folder = args.feedback or args.output.with_name(f"{args.output.stem}-feedback")
    for grade in grade_all(args.homework, args.submissions, args.output, feedback_folder=feedback_folder,
                           time_limit=args.time_limit, jobs=args.jobs):
        print(f"{grade.student}: {grade.passed}/{grade.total}")
    print(f"written: {args.output}, and a feedback file per student in {feedback_folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

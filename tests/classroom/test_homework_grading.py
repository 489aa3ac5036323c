"""classroom.homework.grading: a class graded side by side, with the reason of every failed test, in the CSV file and
in a feedback file per student.

One run of the grader (``python -m classroom.homework.grading``, as ``make grade-homework`` runs it) grades five
submissions of homework 3 (same padding), with a time limit of a few seconds a test: the reference solution, an
empty file, a syntax error, an import of the library the homework reproduces, and an endless loop in one function.
"""

import csv
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from classroom.homework import grading

REPOSITORY = Path(__file__).resolve().parents[2]
SOLUTION = REPOSITORY / "classroom" / "homework" / "solutions" / "03_padding" / "same_padding.py"
TIME_LIMIT = 4


def endless_pad_same(solution: str) -> str:
    """The reference solution whose pad_same never returns: the tests of same_padding alone still pass."""
    start = solution.index("def pad_same(")
    return solution[:start] + "def pad_same(images, kernel_size, stride=1, mode='constant'):\n    while True:\n" \
        "        pass\n"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("grading")
    submissions = folder / "submitted"
    submissions.mkdir()
    solution = SOLUTION.read_text()
    (submissions / "filled").mkdir()
    (submissions / "filled" / "same_padding.py").write_text(solution)
    (submissions / "empty.py").write_text("")
    (submissions / "syntax.py").write_text(solution.replace("def same_padding(n, kernel_size, stride=1):",
                                                            "def same_padding(n, kernel_size, stride=1)"))
    (submissions / "refused.py").write_text("import keras\n\n" + solution)
    (submissions / "looping.py").write_text(endless_pad_same(solution))
    output = folder / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "classroom.homework.grading", "03_padding", str(submissions),
                           "--output", str(output), "--time-limit", str(TIME_LIMIT), "--jobs", "2"],
                          cwd=REPOSITORY, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {row["student"]: row for row in csv.DictReader(output.open(encoding="utf-8"))}
    return rows, folder / "grades-feedback"


def test_the_filled_in_submission_passes_every_test(graded):
    rows, feedback = graded
    assert (rows["filled"]["passed"], rows["filled"]["total"], rows["filled"]["failed tests and why"]) == ("4", "4", "")
    assert "4 of 4 tests passed" in (feedback / "filled.md").read_text()


def test_an_empty_file_fails_each_test_naming_the_function_missing(graded):
    rows, _ = graded
    assert rows["empty"]["passed"] == "0"
    why = rows["empty"]["failed tests and why"]
    assert "test_an_odd_total_puts_the_extra_zero_after: the submission defines no same_padding" in why
    assert "test_valid_on_the_padded_input_equals_same: the submission defines no pad_same" in why


def test_a_syntax_error_is_named_with_its_line(graded):
    rows, feedback = graded
    line = 1 + SOLUTION.read_text().splitlines().index("def same_padding(n, kernel_size, stride=1):")
    assert rows["syntax"]["passed"] == "0"
    assert rows["syntax"]["failed tests and why"] == f"all 4 tests: syntax error, line {line}: expected ':'"
    text = (feedback / "syntax.md").read_text()
    assert "0 of 4 tests passed" in text and text.count("**failed**") == 4 and "SyntaxError: expected ':'" in text


def test_a_refused_import_is_named(graded):
    rows, _ = graded
    assert rows["refused"]["passed"] == "0"
    why = rows["refused"]["failed tests and why"]
    assert why.startswith("all 4 tests: refused import: this homework is to be written with")
    assert why.endswith("the submission imports keras")


def test_an_endless_loop_costs_only_the_tests_it_stops_and_says_time_limit(graded):
    rows, feedback = graded
    assert rows["looping"]["passed"] == "2", "the tests of same_padding alone still pass"
    reason = f"time limit: still running after {TIME_LIMIT} s (an endless loop, or far too slow)"
    assert rows["looping"]["failed tests and why"] == (f"test_valid_on_the_padded_input_equals_same: {reason}; "
                                                       f"test_mirror_modes_pad_as_tf_pad_does: {reason}")
    assert reason in (feedback / "looping.md").read_text()


def test_every_student_gets_a_feedback_file(graded):
    rows, feedback = graded
    assert sorted(path.stem for path in feedback.glob("*.md")) == sorted(rows)


@pytest.mark.parametrize(("message", "reason"), [
    ("AssertionError: \nArrays are not equal\n\nMismatched elements: 216 / 594 (36.4%)\n[+7 more lines; full "
     "report in element text]", "AssertionError: Arrays are not equal Mismatched elements: 216 / 594 (36.4%)"),
    ("NotImplementedError: average_pool2d", "average_pool2d is not written yet (it raises NotImplementedError)"),
    ('failed on setup with "conftest.TimeLimitExceeded: time limit: still running after 3 s (an endless loop, or '
     'far too slow)"', "time limit: still running after 3 s (an endless loop, or far too slow)"),
    ('failed on setup with "  File "<unknown>", line 7\n    return (\n           ^\nIndentationError: unexpected '
     'indent"', "indentation error, line 7: unexpected indent"),
    ("AssertionError: " + "x" * 400, "AssertionError: " + "x" * (grading.SHORT_REASON - 19) + "..."),
])
def test_a_failures_message_becomes_a_short_reason(message, reason):
    short, details = grading.explain(message)
    assert short == reason and len(short) <= grading.SHORT_REASON
    assert len(details) <= grading.LONG_REASON


def test_submissions_are_graded_side_by_side_one_per_core_by_default(tmp_path, monkeypatch):
    for student in ("a", "b", "c", "d"):
        (tmp_path / f"{student}.py").write_text("")
    running, most = [], []
    lock = threading.Lock()

    def slow_grade(folder, submission, student, time_limit):
        with lock:
            running.append(student)
            most.append(len(running))
        time.sleep(0.5)
        with lock:
            running.remove(student)
        return grading.Grade(student, 4, 4, ())

    monkeypatch.setattr(grading, "grade_one", slow_grade)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    started = time.perf_counter()
    grading.grade_all("03_padding", tmp_path, tmp_path / "out" / "grades.csv")
    assert max(most) == 4 and time.perf_counter() - started < 1.5
    most.clear()
    grading.grade_all("03_padding", tmp_path, tmp_path / "out" / "grades.csv", jobs=1)
    assert max(most) == 1


def test_make_passes_the_time_limit_and_the_jobs():
    done = subprocess.run(["make", "-n", "grade-homework", "HOMEWORK=05_pooling", "SUBMISSIONS=somewhere",
                           "TIME_LIMIT=7", "JOBS=3"], cwd=REPOSITORY, capture_output=True, text=True)
    command = " ".join(done.stdout.replace("\\\n", " ").split())
    assert re.search(r"-m classroom\.homework\.grading 05_pooling somewhere --output \S+ --time-limit 7 --jobs 3",
                     command), command

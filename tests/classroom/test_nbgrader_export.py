"""The nbgrader export (make nbgrader), graded by nbgrader itself: full marks when filled in, zero when untouched.

One chapter without training (chapter 1) keeps this to about a minute: nbgrader's generate_assignment makes the
release, two submissions are autograded in quick mode, and the gradebook is read back.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from traitlets.config import Config

from classroom.nbgrader_export.config import CELL_TIMEOUT
from classroom.nbgrader_export.source import worked_answer

pytest.importorskip("nbgrader", reason="nbgrader is an instructor's and a test dependency (requirements.txt)")
from nbgrader.api import Gradebook  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]
CHAPTER = REPOSITORY / "chapters" / "01_visual_cortex.ipynb"
ASSIGNMENT = CHAPTER.stem


def nbgrader(course, *arguments):
    """Run nbgrader from the course folder, as an instructor does (its alembic must be on PATH)."""
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    environment.pop("CNN_COURSE_GRADED", None)  # the course's config sets it
    done = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=environment,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def is_answer_cell(cell):
    return cell.metadata.get("nbgrader", {}).get("solution", False)


def filled_in(release_notebook, source_notebook):
    """A submission whose every answer cell holds the source's worked answer, markers removed."""
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in source_notebook.cells if is_answer_cell(c)}
    for cell in release_notebook.cells:
        if is_answer_cell(cell):
            cell.source = re.sub(r"^### (BEGIN|END) SOLUTION\n", "", answers[cell.metadata["nbgrader"]["grade_id"]],
                                 flags=re.M)
    return release_notebook


# What the instructor guide shows: a test of the instructor's own, which the release does not show.
HIDDEN_TEST = "### BEGIN HIDDEN TESTS\nassert receptive_field_size([3, 3, 3]) == 7 and answer == 5\n" \
              "### END HIDDEN TESTS"


def add_hidden_test(path, grade_id, test):
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source += "\n" + test
    nbformat.write(notebook, path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`make nbgrader` for chapter 1, then nbgrader's own release, two submissions, autograding and feedback."""
    course = tmp_path_factory.mktemp("course")
    subprocess.run([sys.executable, "-m", "classroom.nbgrader_export", str(course), str(CHAPTER)],
                   check=True, cwd=REPOSITORY, capture_output=True)
    add_hidden_test(course / "source" / ASSIGNMENT / CHAPTER.name, "q3-test", HIDDEN_TEST)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = course / "release" / ASSIGNMENT / CHAPTER.name
    source = nbformat.read(course / "source" / ASSIGNMENT / CHAPTER.name, as_version=4)
    for student in ("untouched", "filled"):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy(released, folder / CHAPTER.name)
    submission = course / "submitted" / "filled" / ASSIGNMENT / CHAPTER.name
    nbformat.write(filled_in(nbformat.read(submission, as_version=4), source), submission)
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    return course


@pytest.fixture
def environment_restored():
    """The environment as it was, after a test that runs code which sets variables (the config sets the grading
    ones): left set, CNN_COURSE_GRADED would turn every later test's checker and notebook kernel to graded feedback."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def test_the_config_grades_in_quick_mode_with_time_for_training_cells(course, environment_restored):
    config = (course / "nbgrader_config.py").read_text()
    assert 'os.environ.setdefault("CNN_COURSE_MODE", "quick")' in config
    assert f"c.Execute.timeout = {CELL_TIMEOUT}" in config and CELL_TIMEOUT >= 600
    namespace = {"get_config": Config}
    exec(compile(config, "nbgrader_config.py", "exec"), namespace)  # as nbgrader loads it
    assert os.environ["CNN_COURSE_GRADED"] == "1", "the graded feedback, in the kernels nbgrader starts"
    timeout = namespace["c"].Execute.timeout_func
    assert timeout(nbformat.v4.new_code_cell("model.fit(x, y)")) == CELL_TIMEOUT
    assert timeout(nbformat.v4.new_code_cell("widgets.interact(calculator, n=3)")) < CELL_TIMEOUT
    assert 'c.ClearSolutions.code_stub = {"python": "answer = ..."}' in config


def test_source_has_a_solution_and_a_test_cell_per_exercise_and_read_only_text(course):
    source = nbformat.read(course / "source" / ASSIGNMENT / CHAPTER.name, as_version=4)
    metadata = [c.metadata["nbgrader"] for c in source.cells]
    answers = [m for m in metadata if m["solution"]]
    tests = [m for m in metadata if m["grade"]]
    assert [m["grade_id"] for m in answers] == ["q1-answer", "q2-answer", "q3-answer", "q4-answer"]
    assert [m["grade_id"] for m in tests] == ["q1-test", "q2-test", "q3-test", "q4-test"]
    assert all(m["points"] == 1 and m["locked"] for m in tests)
    assert all(m["locked"] for m in metadata if not m["solution"])
    markdown = [c for c in source.cells if c.cell_type == "markdown"]
    assert markdown and all(c.metadata["nbgrader"]["locked"] for c in markdown)


def test_the_release_holds_no_solution(course):
    released = (course / "release" / ASSIGNMENT / CHAPTER.name).read_text()
    assert "BEGIN SOLUTION" not in released and "Solution:" not in released and ": correct!" not in released
    assert "200 * 200 * 500" not in released and "solution_q" not in released
    assert "HIDDEN TESTS" not in released and "receptive_field_size([3, 3, 3])" not in released
    notebook = nbformat.read(course / "release" / ASSIGNMENT / CHAPTER.name, as_version=4)
    assert all(re.search(r"^answer = \.\.\.$", c.source, re.M) for c in notebook.cells if is_answer_cell(c))


def test_hidden_tests_run_when_grading(course):
    graded = (course / "autograded" / "filled" / ASSIGNMENT / CHAPTER.name).read_text()
    assert "receptive_field_size([3, 3, 3]) == 7" in graded


def test_filled_in_gets_full_marks_and_untouched_gets_zero(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        filled = gradebook.find_submission(ASSIGNMENT, "filled")
        untouched = gradebook.find_submission(ASSIGNMENT, "untouched")
        assert filled.max_score == 4
        assert filled.score == filled.max_score
        assert untouched.score == 0


def test_feedback_says_right_or_wrong_without_the_answer(course):
    feedback = course / "feedback" / "untouched" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    html = feedback.read_text()
    assert "not answered yet" in html
    assert "20,000,000" not in html and "200 * 200 * 500" not in html


def test_worked_answer_renames_the_solution_and_drops_what_follows_the_check():
    solution = "q5.solution()\nsolution_q5 = 'a'\nq5.check(solution_q5)\n\nprint(solution_q5)"
    assert worked_answer(solution, "q5") == "answer = 'a'"

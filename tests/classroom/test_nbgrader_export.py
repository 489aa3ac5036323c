"""The nbgrader export (make nbgrader), graded by nbgrader itself: full marks when filled in, zero when untouched,
zero for answer cells that replace the checkers; hidden tests kept out of the feedback and kept when the export
runs again.

One chapter without training (chapter 1) keeps this to about two minutes: nbgrader's generate_assignment makes the
release, three submissions are autograded in quick mode, and the gradebook and the feedback are read back.
"""

import ast
import builtins
import html
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
from classroom.nbgrader_export.protected import RECORD, ProtectedWriter
from classroom.nbgrader_export.source import source_notebook, worked_answer

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


# What a student can type in an answer cell to pass the self-checks with wrong answers: every checker of the
# course's package replaced, and the exercises' grade method too.
REPLACED_CHECKERS = """import cnn_course.checks as patched

patched.Exercise.grade = lambda self, answer: patched.Result(True, "correct!")
patched.number = patched.choice = lambda *arguments, **options: (lambda answer: None)
answer = 1
"""


def with_replaced_checkers(release_notebook):
    for cell in release_notebook.cells:
        if is_answer_cell(cell):
            cell.source = re.sub(r"^answer = \.\.\.$", REPLACED_CHECKERS, cell.source, flags=re.M)
    return release_notebook


def export(course, *options):
    return subprocess.run([sys.executable, "-m", "classroom.nbgrader_export", str(course), str(CHAPTER), *options],
                          cwd=REPOSITORY, capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`make nbgrader` for chapter 1 and a hidden test of the instructor's, then nbgrader's own release, three
    submissions, autograding and feedback."""
    course = tmp_path_factory.mktemp("course")
    assert export(course).returncode == 0
    source_path = course / "source" / ASSIGNMENT / CHAPTER.name
    add_hidden_test(source_path, "q3-test", HIDDEN_TEST)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = course / "release" / ASSIGNMENT / CHAPTER.name
    source = nbformat.read(source_path, as_version=4)
    for student in STUDENTS:
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copy(released, folder / CHAPTER.name)
    submission = course / "submitted" / "filled" / ASSIGNMENT / CHAPTER.name
    nbformat.write(filled_in(nbformat.read(submission, as_version=4), source), submission)
    submission = course / "submitted" / "replaced" / ASSIGNMENT / CHAPTER.name
    nbformat.write(with_replaced_checkers(nbformat.read(submission, as_version=4)), submission)
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    return course


STUDENTS = ("untouched", "filled", "replaced")


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


def test_feedback_says_right_or_wrong_without_the_answer(course):
    feedback = course / "feedback" / "untouched" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    html = feedback.read_text()
    assert "not answered yet" in html
    assert "20,000,000" not in html and "200 * 200 * 500" not in html


def test_worked_answer_renames_the_solution_and_drops_what_follows_the_check():
    solution = "q5.solution()\nsolution_q5 = 'a'\nq5.check(solution_q5)\n\nprint(solution_q5)"
    assert worked_answer(solution, "q5") == "answer = 'a'"


def test_filled_in_gets_full_marks_and_answer_cells_that_replace_the_checkers_get_zero(course):
    """The visible self-check passes for the replaced checkers; the hidden test, with its own copy of the checkers
    and its key, does not."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: gradebook.find_submission(ASSIGNMENT, student).score for student in STUDENTS}
    assert scores == {"untouched": 0, "filled": 4, "replaced": 0}
    graded = nbformat.read(course / "autograded" / "replaced" / ASSIGNMENT / CHAPTER.name, as_version=4)
    errors = [output for cell in graded.cells if cell.metadata.get("nbgrader", {}).get("grade")
              for output in cell.outputs if output.output_type == "error"]
    assert len(errors) == 4 and all(error.evalue.endswith(": not correct") for error in errors)
    assert all(re.match(r"Q\d: not correct$", error.evalue) for error in errors), "the hidden test decided"


def feedback_pages(course):
    return {student: (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
            for student in STUDENTS}


def test_feedback_never_shows_the_hidden_tests_their_key_or_a_traceback(course):
    source = (course / "source" / ASSIGNMENT / CHAPTER.name).read_text()
    assert "BEGIN HIDDEN TESTS" in source and "receptive_field_size([3, 3, 3])" in source
    for student, page in feedback_pages(course).items():
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for secret in ("HIDDEN TESTS", "receptive_field_size([3, 3, 3])", "_checks", "graded_checks",
                       "_checks.number(20000000", "20000000", "PathFinder"):
            assert secret not in text, f"{student}'s feedback shows {secret!r}"
        assert "Cell In[" not in text and "----> " not in text, f"{student}'s feedback quotes test code"
    replaced = html.unescape(re.sub(r"<[^>]+>", "", feedback_pages(course)["replaced"]))
    assert "AssertionError: Q1: not correct" in replaced


def test_the_second_make_nbgrader_keeps_the_instructors_edits_and_says_so(course):
    source = course / "source" / ASSIGNMENT / CHAPTER.name
    edited = source.read_text()
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text() + "\nc.CourseDirectory.course_id = 'my-course'\n")
    edited_config = config.read_text()
    key = course / "answer_keys" / f"{ASSIGNMENT}.md"
    key.unlink()
    again = export(course)
    assert again.returncode == 1
    assert source.read_text() == edited and config.read_text() == edited_config
    assert key.is_file(), "a file nobody changed (here: deleted) is written again"
    assert "Kept 2 file(s)" in again.stderr and f"source/{ASSIGNMENT}/{CHAPTER.name}" in again.stderr
    assert "nbgrader_config.py" in again.stderr and "OVERWRITE=1" in again.stderr
    assert f"kept as you changed it: {course / 'source' / ASSIGNMENT}" in again.stdout
    forced = export(course, "--overwrite")
    assert forced.returncode == 0 and "receptive_field_size([3, 3, 3])" not in source.read_text()
    assert "my-course" not in config.read_text()


def test_protected_writer_rewrites_what_it_wrote_and_keeps_what_someone_changed(tmp_path):
    path = tmp_path / "source" / "a" / "a.ipynb"
    first = ProtectedWriter(tmp_path)
    assert first.write(path, "version 1") and path.read_text() == "version 1"
    assert (tmp_path / RECORD).is_file()
    assert ProtectedWriter(tmp_path).write(path, "version 2") and path.read_text() == "version 2"
    path.write_text("version 2, with the instructor's hidden test")
    writer = ProtectedWriter(tmp_path)
    assert not writer.write(path, "version 3") and path.read_text().endswith("hidden test")
    assert writer.kept == [path] and "source/a/a.ipynb" in writer.report()
    assert ProtectedWriter(tmp_path).write(path, "version 2, with the instructor's hidden test"), "same text: fine"
    assert ProtectedWriter(tmp_path, overwrite=True).write(path, "version 3") and path.read_text() == "version 3"


def test_a_file_written_before_the_records_is_kept_when_it_differs(tmp_path):
    path = tmp_path / "nbgrader_config.py"
    path.write_text("c = get_config()  # the instructor's")
    writer = ProtectedWriter(tmp_path)
    assert not writer.write(path, "c = get_config()") and writer.kept == [path]
    assert ProtectedWriter(tmp_path).write(tmp_path / "new.md", "text")


@pytest.mark.parametrize("chapter", sorted((REPOSITORY / "chapters").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_hidden_test_uses_nothing_of_the_notebook_but_the_answer(chapter):
    """Each chapter's test cells, checked without running them: the hidden part reads `answer` and builtins only,
    everything else it defines itself (the fresh copy of the checkers, the key)."""
    notebook = nbformat.read(chapter, as_version=4)
    from classroom.student_release.exercise_cells import find_exercises

    if not find_exercises(notebook, chapter.name):
        pytest.skip("no exercises")
    tests = [cell for cell in source_notebook(notebook, chapter.name).cells
             if cell.metadata["nbgrader"]["grade"]]
    assert tests
    for cell in tests:
        hidden = cell.source.split("### BEGIN HIDDEN TESTS\n", 1)[1].split("### END HIDDEN TESTS", 1)[0]
        tree = ast.parse(hidden)
        defined = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
        defined |= {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import,
                    ast.ImportFrom)) for alias in node.names}
        read = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}
        assert read - defined - set(dir(builtins)) == {"answer"}, cell.source
        assert "grade(answer)" in hidden and "_checks.Exercise(" in hidden
        assert "Result" not in hidden

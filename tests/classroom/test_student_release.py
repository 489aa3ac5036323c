"""The student release (make student): no solution reaches a student, everything else does, and it runs."""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbconvert.preprocessors import ExecutePreprocessor
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from classroom.student_release.exercise_cells import ConventionError, find_exercises
from classroom.student_release.release import GRADED_CELL_ID, withhold_solutions

REPOSITORY = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPOSITORY / "chapters").glob("*.ipynb"))


def text_of(cell):
    """A cell's source and the text of its outputs (what a student can read)."""
    parts = [cell.source]
    for output in cell.get("outputs", []):
        parts.append("".join(output.get("text", "")))
        for mime, data in output.get("data", {}).items():
            if mime.startswith("text/"):
                parts.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(parts)


def solution_only_lines(chapter):
    """Lines (of some length) that the chapter's solution cells show and no other cell of the chapter does."""
    exercises = find_exercises(chapter)
    solution_cells = {e.solution for e in exercises}
    elsewhere = "\n".join(text_of(c) for i, c in enumerate(chapter.cells) if i not in solution_cells)
    lines = set()
    for index in solution_cells:
        for line in text_of(chapter.cells[index]).splitlines():
            line = line.strip()
            if len(line) >= 12 and line not in elsewhere:
                lines.add(line)
    return lines


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """`make student` as the Makefile runs it, on every chapter notebook."""
    destination = tmp_path_factory.mktemp("student")
    subprocess.run([sys.executable, "-m", "classroom.student_release", str(destination), *map(str, NOTEBOOKS)],
                   check=True, cwd=REPOSITORY, capture_output=True)
    return destination


def test_every_chapter_notebook_is_released(release):
    assert sorted(p.name for p in release.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_solution_cell_output_or_worked_answer_reaches_a_student(release, path):
    chapter = nbformat.read(path, as_version=4)
    student = nbformat.read(release / path.name, as_version=4)
    everything = "\n".join(text_of(cell) for cell in student.cells)
    assert not re.search(r"\bq\d+\.solution\(\)|\bsolution_q\d+\b", everything)
    assert "Solution:\n" not in everything and ": correct!" not in everything
    leaked = [line for line in solution_only_lines(chapter) if line in everything]
    assert not leaked, f"solution text in the student copy: {leaked[:3]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_learners_cells_checks_and_other_outputs_are_kept(release, path):
    chapter = nbformat.read(path, as_version=4)
    student = nbformat.read(release / path.name, as_version=4)
    exercises = find_exercises(chapter)
    kept = [c for i, c in enumerate(chapter.cells) if i not in {e.solution for e in exercises}]
    released = [c for c in student.cells if c.get("id") != GRADED_CELL_ID]
    assert [c.source for c in released if c.cell_type == "code"] == [c.source for c in kept if c.cell_type == "code"]
    assert [c.outputs for c in released if c.cell_type == "code"] == [c.outputs for c in kept if c.cell_type == "code"]
    figures = sum("image/png" in o.get("data", {}) for c in released if c.cell_type == "code" for o in c.outputs)
    assert figures == sum("image/png" in o.get("data", {}) for c in kept if c.cell_type == "code" for o in c.outputs)
    learners = [c for c in released if c.cell_type == "code" and re.search(r"^answer = \.\.\.$", c.source, re.M)]
    assert len(learners) == len(exercises)
    graded = [c for c in student.cells if c.get("id") == GRADED_CELL_ID]
    assert len(graded) == (1 if exercises else 0)
    if exercises:
        assert "set_graded()" in graded[0].source
        markdown = "\n".join(c.source for c in student.cells if c.cell_type == "markdown")
        assert "solutions are withheld" in markdown and "hidden cell below" not in markdown


def run_in_quick_mode(notebook, extra_cells=()):
    """Execute ``notebook`` as a student would, in quick mode (the test environment's), and return it."""
    notebook.cells += list(extra_cells)
    ExecutePreprocessor(timeout=600, kernel_name="python3").preprocess(notebook, {"metadata": {"path": "."}})
    return notebook


# Chapter 3: exercises of three kinds, and a solution cell that defines code of its own, which no later cell
# may need. (Chapter 4's widget cell now and then stalls nbclient for its whole timeout, jupyter/nbclient#312.)
@pytest.mark.parametrize("name", ["03_padding.ipynb"])
def test_a_student_notebook_runs_with_its_answers_left_as_ellipsis(release, name):
    """Runs the way a student first opens it: nothing answered; every check waits, solutions are withheld."""
    student = nbformat.read(release / name, as_version=4)
    exercises = [c.source for c in student.cells if re.search(r"^answer = \.\.\.$", c.source, re.M)]
    ran = run_in_quick_mode(student, [new_code_cell("q1.solution()\nq1.check(7)")])
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]
    learners = [c for c in ran.cells if c.cell_type == "code" and c.source in exercises]
    assert learners and all("not answered yet" in text_of(c) for c in learners)
    last = text_of(ran.cells[-1])
    assert "solutions are withheld" in last and "not correct." in last and "too" not in last.split("\n", 2)[-1]


def chapter_with(cells):
    return new_notebook(cells=cells)


def solution_cell(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["hide-cell"]
    return cell


def test_a_learners_cell_without_its_solution_cell_is_refused():
    notebook = chapter_with([new_code_cell("answer = ...\nq1.check(answer)"), new_code_cell("print(1)")])
    with pytest.raises(ConventionError, match="not followed by a solution cell"):
        find_exercises(notebook)


def test_a_solution_shown_outside_the_convention_is_refused():
    notebook = chapter_with([
        new_markdown_cell("## Exercises"),
        new_code_cell("answer = ...\nq1.check(answer)"),
        solution_cell("q1.solution()\nsolution_q1 = 5\nq1.check(solution_q1)"),
        new_code_cell("print(solution_q1 * 2)"),  # would leak the answer, and break once the solution cell is gone
    ])
    with pytest.raises(ConventionError, match="code cell 3"):
        withhold_solutions(notebook)


def test_a_solution_cell_must_be_hidden_on_the_site():
    notebook = chapter_with([new_code_cell("answer = ...\nq1.check(answer)"),
                             new_code_cell("q1.solution()\nsolution_q1 = 5\nq1.check(solution_q1)")])
    with pytest.raises(ConventionError):
        find_exercises(notebook)


def test_a_notebook_without_exercises_is_released_unchanged():
    notebook = chapter_with([new_markdown_cell("# Set-up"), new_code_cell("import cnn_course")])
    before = json.dumps(notebook, sort_keys=True)
    assert json.dumps(withhold_solutions(notebook), sort_keys=True) == before

"""Write the student release: the chapters without solution cells, graded, with every other output kept.

An nbconvert preprocessor does the work, so the release is an ordinary nbconvert export: the learners'
``answer = ...`` cells, the checks, the text and the stored figures stay; each solution cell goes with its
outputs; a cell after the set-up turns on the graded setting of :mod:`cnn_course.checks` (a wrong answer gets
"not correct", ``qN.solution()`` says solutions are withheld); the sentence that points to the hidden solutions
says they are withheld instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode

from .exercise_cells import find_exercises

GRADED_CELL_ID = "graded-setting"
GRADED_CELL_SOURCE = """# This copy is graded: a check says whether an answer is right, without clues to its value,
# and the solutions are withheld until your instructor shares them.
from cnn_course.checks import set_graded

set_graded()"""
# How the chapters tell learners where the solutions are, and what the release says instead.
SOLUTIONS_SENTENCE = re.compile(r"the\s+hidden\s+cell\s+below\s+each\s+one\s+holds\s+a\s+worked\s+solution\.")
WITHHELD_SENTENCE = "in this copy the solutions are withheld: your instructor shares them after grading."
WITHHELD_NOTE = "In this copy the solutions are withheld: your instructor shares them after grading."


def graded_setting_cell() -> NotebookNode:
    """The cell that turns the graded setting on, hidden like the set-up cell it follows."""
    cell = nbformat.v4.new_code_cell(GRADED_CELL_SOURCE, id=GRADED_CELL_ID)
    cell.metadata["tags"] = ["hide-input"]
    return cell


def _setup_cell_index(notebook: NotebookNode) -> int:
    """The index of the cell that imports ``cnn_course`` first (the chapters' second code cell)."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and "cnn_course" in cell.source and "google.colab" not in cell.source:
            return index
    return 0


def _say_solutions_are_withheld(notebook: NotebookNode, first_exercise: NotebookNode) -> None:
    """Where the notebook tells learners the solutions are hidden below, say they are withheld instead.

    Chapters say it once, above their exercises; a notebook that does not gets the note in a cell of its own
    before its first exercise.
    """
    replaced = 0
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source, count = SOLUTIONS_SENTENCE.subn(WITHHELD_SENTENCE, cell.source)
            replaced += count
    if not replaced:
        position = next(i for i, cell in enumerate(notebook.cells) if cell is first_exercise)
        notebook.cells.insert(position, nbformat.v4.new_markdown_cell(WITHHELD_NOTE, id="solutions-withheld"))


def withhold_solutions(notebook: NotebookNode, where: str = "the notebook") -> NotebookNode:
    """``notebook`` as students get it (changed in place and returned); a notebook without exercises is unchanged."""
    exercises = find_exercises(notebook, where)
    if not exercises:
        return notebook
    first = exercises[0]
    first_exercise = notebook.cells[first.question if first.question is not None else first.learner]
    solution_cells = {exercise.solution for exercise in exercises}
    notebook.cells = [cell for index, cell in enumerate(notebook.cells) if index not in solution_cells]
    notebook.cells.insert(_setup_cell_index(notebook) + 1, graded_setting_cell())
    _say_solutions_are_withheld(notebook, first_exercise)
    return notebook


class WithholdSolutions(Preprocessor):
    """nbconvert preprocessor: removes the solution cells and turns the graded setting on."""

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        where = resources.get("metadata", {}).get("name", "the notebook")
        return withhold_solutions(nb, where), resources


def export_student_notebook(path: Path) -> str:
    """The student copy of the notebook at ``path``, as the text of an .ipynb file."""
    exporter = NotebookExporter()
    exporter.register_preprocessor(WithholdSolutions, enabled=True)
    body, _ = exporter.from_filename(str(path))
    return body


def write_release(notebooks: Iterable[Path], destination: Path) -> list[Path]:
    """Write the student copy of each notebook into ``destination``; returns the paths written."""
    destination.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        target = destination / Path(path).name
        target.write_text(export_student_notebook(Path(path)), encoding="utf-8")
        written.append(target)
    return written

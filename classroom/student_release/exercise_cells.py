"""Where a chapter's exercises are: the learner's cell and the solution cell that follows it.

The convention (README, "Exercises"; tests/test_notebooks.py checks it in every chapter): a learner's code cell
holds a line ``answer = ...`` and calls ``qN.check(answer)``; the next code cell, tagged ``hide-cell``, starts
with ``qN.solution()``, puts the worked answer in ``solution_qN`` and checks it. A notebook that shows a solution
any other way is refused rather than released with the solution in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nbformat import NotebookNode

LEARNER_ANSWER = re.compile(r"^answer = \.\.\.$", re.M)
LEARNER_CHECK = re.compile(r"\b(q\d+)\.check\(answer\)")
SOLUTION_CALL = re.compile(r"\bq\d+\.solution\(\)")
SOLUTION_NAME = re.compile(r"\bsolution_q\d+\b")


class ConventionError(ValueError):
    """A chapter shows a solution outside the exercise convention, so it cannot be released safely."""


@dataclass(frozen=True)
class ExerciseCells:
    """One exercise of a notebook: its name (``q1``) and the indices of its cells in ``notebook.cells``."""

    name: str
    question: int | None  # the last markdown cell before the learner's cell, after the previous exercise
    learner: int
    solution: int


def _is_solution_cell(cell: NotebookNode, name: str) -> bool:
    return (cell.cell_type == "code" and cell.source.startswith(f"{name}.solution()")
            and "hide-cell" in cell.metadata.get("tags", []))


def find_exercises(notebook: NotebookNode, where: str = "the notebook") -> list[ExerciseCells]:
    """The exercises of ``notebook``, in order; raises :class:`ConventionError` on a solution shown otherwise.

    Every code cell that calls ``qN.solution()`` or names ``solution_qN`` must be the solution cell of an
    exercise, and nothing after a solution cell may use what it defines (the release removes it).
    """
    cells = notebook.cells
    found: list[ExerciseCells] = []
    code = [i for i, cell in enumerate(cells) if cell.cell_type == "code"]
    for position, index in enumerate(code):
        source = cells[index].source
        check = LEARNER_CHECK.search(source)
        if not (LEARNER_ANSWER.search(source) and check):
            continue
        name = check.group(1)
        following = code[position + 1] if position + 1 < len(code) else None
        if following is None or not _is_solution_cell(cells[following], name):
            raise ConventionError(f"{where}: the learner's cell of {name} (cell {index}) is not followed by a "
                                  f"solution cell tagged hide-cell that starts with {name}.solution()")
        previous = found[-1].solution if found else -1
        question = next((i for i in range(index - 1, previous, -1) if cells[i].cell_type == "markdown"), None)
        found.append(ExerciseCells(name, question, index, following))
    solutions = {exercise.solution for exercise in found}
    for index in code:
        source = cells[index].source
        if index not in solutions and (SOLUTION_CALL.search(source) or SOLUTION_NAME.search(source)):
            raise ConventionError(f"{where}: code cell {index} shows a solution outside the exercise convention "
                                  f"(a call of qN.solution() or a name solution_qN): {source[:80]!r}")
    return found

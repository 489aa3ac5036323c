"""A chapter as nbgrader's source notebook: what ``nbgrader generate_assignment`` turns into the release.

Each exercise becomes two cells. The learner's cell is an nbgrader *solution cell* whose ``answer = ...`` line
is replaced by the worked answer between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader puts
``answer = ...`` back in the release, see :mod:`.config`); after it comes a locked *test cell* worth one point,
``assert qN.grade(answer).correct``, which fails on a wrong or missing answer. The chapter's solution cell goes,
as in the student release, and every other cell is read-only, so autograding restores it as released.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell

from classroom.student_release.exercise_cells import LEARNER_ANSWER, ExerciseCells, find_exercises
from classroom.student_release.release import withhold_solutions

POINTS_PER_EXERCISE = 1
SCHEMA_VERSION = 3


def worked_answer(solution_source: str, name: str) -> str:
    """The code of a solution cell that computes the answer, with ``solution_qN`` renamed ``answer``.

    Drops the ``qN.solution()`` call, and the ``qN.check(solution_qN)`` call with what follows it (output
    that illustrates the solution, which the answer does not need).
    """
    lines = solution_source.splitlines()
    assert lines[0].strip() == f"{name}.solution()", lines[0]
    body = []
    for line in lines[1:]:
        if line.strip() == f"{name}.check(solution_{name})":
            break
        body.append(line)
    code = "\n".join(body).strip("\n")
    return re.sub(rf"\bsolution_{name}\b", "answer", code)


def _nbgrader(cell: NotebookNode, grade_id: str, *, grade: bool = False, solution: bool = False,
              points: int | None = None) -> None:
    """Give ``cell`` nbgrader's metadata: a graded test, a learner's solution, or (neither) read-only."""
    metadata = {"grade": grade, "solution": solution, "locked": not solution, "task": False,
                "grade_id": grade_id, "schema_version": SCHEMA_VERSION}
    if points is not None:
        metadata["points"] = points
    cell.metadata["nbgrader"] = metadata


def test_cell(name: str) -> NotebookNode:
    """The autograded cell of exercise ``name``: one point when ``answer`` is right."""
    question = name.upper()
    cell = new_code_cell(
        f"# Autograded: {POINTS_PER_EXERCISE} point for {question}. Run your answer's cell above first.\n"
        f"result = {name}.grade(answer)\n"
        "assert result.correct, result.message",
        id=f"{name}-test",
    )
    _nbgrader(cell, f"{name}-test", grade=True, points=POINTS_PER_EXERCISE)
    return cell


def source_notebook(chapter: NotebookNode, where: str = "the chapter") -> NotebookNode:
    """nbgrader's source notebook of ``chapter`` (changed in place and returned)."""
    exercises: list[ExerciseCells] = find_exercises(chapter, where)
    worked = {id(chapter.cells[e.learner]): (e.name, worked_answer(chapter.cells[e.solution].source, e.name))
              for e in exercises}
    withhold_solutions(chapter, where)  # the student release's removals: no solution cell reaches the release
    cells = []
    for position, cell in enumerate(chapter.cells):
        if id(cell) not in worked:
            _nbgrader(cell, f"read-only-{cell.get('id') or position}")
            cells.append(cell)
            continue
        name, answer = worked[id(cell)]
        before, after = LEARNER_ANSWER.split(cell.source, maxsplit=1)
        cell.source = f"{before}### BEGIN SOLUTION\n{answer}\n### END SOLUTION{after}"
        _nbgrader(cell, f"{name}-answer", solution=True)
        cells += [cell, test_cell(name)]
    chapter.cells = cells
    return chapter

"""A chapter as nbgrader's source notebook: what ``nbgrader generate_assignment`` turns into the release.

Each exercise becomes two cells. The learner's cell is an nbgrader *solution cell* whose ``answer = ...`` line
is replaced by the worked answer between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader puts
``answer = ...`` back in the release, see :mod:`.config`); after it comes a locked *test cell* worth one point.
Its visible part is the self-check students know (``qN.grade(answer)``, with its message); its hidden part, which
decides the point, checks ``answer`` with code of its own: a fresh copy of ``cnn_course.checks`` loaded from its
file, and the exercise's key written into the cell (the checker's recipe, :func:`cnn_course.checks.recipe`). An
answer cell can replace ``qN``, its ``grade`` method or anything of the modules already imported; none of those
takes part in the hidden check. The chapter's solution cell goes, as in the student release, and every other cell
is read-only, so autograding restores it as released.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

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


EXERCISE_IMPORT = re.compile(r"^from cnn_course\.exercises\.(\w+) import", re.M)
# The hidden test's start: a copy of cnn_course.checks of its own, loaded from the file of the installed package
# (found on sys.path, not among the modules already imported, which an answer cell can replace).
FRESH_CHECKS = """\
# The instructor's check, which decides the point: a fresh copy of the course's checkers, read from its file,
# and the key written here. Nothing an answer cell can define or replace (qN, its methods, the modules already
# imported) takes part in it.
import importlib.machinery as _machinery
import importlib.util as _util
import os as _os
import sys as _sys

_folder = _machinery.PathFinder.find_spec("cnn_course").submodule_search_locations[0]
_spec = _util.spec_from_file_location("graded_checks", _os.path.join(_folder, "checks.py"))
_checks = _sys.modules["graded_checks"] = _util.module_from_spec(_spec)  # its dataclasses look themselves up there
_spec.loader.exec_module(_checks)"""


class NoKey(ValueError):
    """An exercise whose checker has no recipe, so that no hidden test can check it independently."""


def exercise_module(chapter: NotebookNode, where: str = "the chapter") -> ModuleType:
    """The module of ``cnn_course.exercises`` the chapter imports its exercises from."""
    for cell in chapter.cells:
        found = EXERCISE_IMPORT.search(cell.source) if cell.cell_type == "code" else None
        if found:
            return importlib.import_module(f"cnn_course.exercises.{found.group(1)}")
    raise NoKey(f"{where} imports no module of cnn_course.exercises, so its exercises have no key")


def key_call(recipe: tuple[str, tuple, dict]) -> str:
    """A checker's recipe as the code that builds it from the fresh copy: ``_checks.number(260, rel_tol=1e-09)``."""
    factory, arguments, options = recipe
    written = [repr(argument) for argument in arguments] + [f"{name}={value!r}" for name, value in options.items()]
    return f"_checks.{factory}({', '.join(written)})"


def hidden_test(name: str, exercise) -> str:
    """The hidden part of exercise ``name``'s test cell: the answer judged by the fresh checker and its key."""
    if exercise.recipe is None:
        raise NoKey(f"{name} ({exercise.title}) has a checker written by hand: build it with the factories of "
                    "cnn_course.checks (number, choice, shape, array, function) so that grading has a key")
    question = name.upper()
    return (f"### BEGIN HIDDEN TESTS\n{FRESH_CHECKS}\n"
            f"_key = {key_call(exercise.recipe)}\n"
            f'assert _checks.Exercise("{question}", _key, "", "").grade(answer).correct, "{question}: not correct"\n'
            "### END HIDDEN TESTS")


def test_cell(name: str, exercise) -> NotebookNode:
    """The autograded cell of exercise ``name``: the self-check students see, then the hidden check that scores."""
    question = name.upper()
    cell = new_code_cell(
        f"# Autograded: {POINTS_PER_EXERCISE} point for {question}. Run your answer's cell above first.\n"
        f"result = {name}.grade(answer)\n"
        "assert result.correct, result.message\n"
        + hidden_test(name, exercise),
        id=f"{name}-test",
    )
    _nbgrader(cell, f"{name}-test", grade=True, points=POINTS_PER_EXERCISE)
    return cell


def source_notebook(chapter: NotebookNode, where: str = "the chapter") -> NotebookNode:
    """nbgrader's source notebook of ``chapter`` (changed in place and returned)."""
    exercises: list[ExerciseCells] = find_exercises(chapter, where)
    module = exercise_module(chapter, where)
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
        cells += [cell, test_cell(name, getattr(module, name))]
    chapter.cells = cells
    return chapter

"""``make nbgrader-homework``: each homework as an nbgrader assignment, beside the chapters of ``make nbgrader``.

For each homework, ``source/homework_<chapter>/`` gets a notebook and the files its tests need (the grading
tests, ``conftest.py``, ``notebook_grading.py`` and, for the project, ``run_project.py``). The notebook holds:

- the statement (README.md), read-only;
- one solution cell: the starter file's functions and docstrings, each body the reference solution between
  nbgrader's ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the release shows the course's code stub there,
  ``answer = ...``: the student writes the body), and the solution's own imports and helpers in a region of their
  own at the top;
- one locked, autograded cell per grading test, worth one point, that runs the test on the notebook's functions
  (``notebook_grading.run_test``).

nbgrader then does the rest as for the chapters: ``generate_assignment homework_05_pooling`` for the release,
``autograde`` and ``generate_feedback`` for the grades. The reference solutions come from
``classroom/homework/solutions`` and leave the release with nbgrader's own solution removal.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from classroom.nbgrader_export.protected import ProtectedWriter

HOMEWORK = Path(__file__).resolve().parent
SOLUTIONS = HOMEWORK / "solutions"
SCHEMA_VERSION = 3
HELPERS = ("conftest.py", "notebook_grading.py")
NOTEBOOK_INTRODUCTION = """**In this notebook**: write your code in the cell below this statement, where each
function's body reads `answer = ...`; the cells after it are the grading tests, one point each. Run your cell,
then the tests, to see where you stand. The file names in the statement refer to the same homework as a plain
Python file; here the notebook is what you hand in.

"""


def assignment_name(chapter: str) -> str:
    return f"homework_{chapter}"


def _lines(source: str, node: ast.AST) -> list[str]:
    return source.splitlines()[node.lineno - 1:node.end_lineno]


def _body_start(function: ast.FunctionDef) -> ast.stmt | None:
    """The first statement of a function after its docstring."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body[0] if body else None


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {target.id for target in targets if isinstance(target, ast.Name)}
    return set()


def solution_cell_source(starter: str, solution: str) -> str:
    """The starter's code with the reference solution's function bodies between nbgrader's solution markers."""
    starter_tree, solution_tree = ast.parse(starter), ast.parse(solution)
    solution_functions = {node.name: node for node in solution_tree.body if isinstance(node, ast.FunctionDef)}
    starter_code = [node for node in starter_tree.body
                    if not (isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant))]
    starter_names = set().union(*(_names(node) for node in starter_code))
    starter_text = {ast.unparse(node) for node in starter_code}
    extras = [node for node in solution_tree.body
              if not (isinstance(node, ast.Expr) and isinstance(getattr(node, "value", None), ast.Constant))
              and ast.unparse(node) not in starter_text and not (_names(node) & starter_names)]
    cell = []
    for node in starter_code:
        if not isinstance(node, ast.FunctionDef):
            cell += [line.split("  # noqa")[0].rstrip() for line in _lines(starter, node)]
    if extras:
        cell += ["", "### BEGIN SOLUTION"]
        for node in extras:
            cell += _lines(solution, node) + ([""] if isinstance(node, ast.FunctionDef) else [])
        cell += ["### END SOLUTION"]
    for node in starter_code:
        if isinstance(node, ast.FunctionDef):
            header = _lines(starter, node)
            first = _body_start(node)
            header = header[:first.lineno - node.lineno] if first else header
            reference = solution_functions[node.name]
            start = _body_start(reference)
            body = solution.splitlines()[start.lineno - 1:reference.end_lineno]
            cell += ["", ""] + header + ["    ### BEGIN SOLUTION"] + body + ["    ### END SOLUTION"]
    return "\n".join(cell).strip("\n") + "\n"


def _nbgrader(cell, grade_id: str, *, grade: bool = False, solution: bool = False, points: int | None = None):
    metadata = {"grade": grade, "solution": solution, "locked": not solution, "task": False, "grade_id": grade_id,
                "schema_version": SCHEMA_VERSION}
    if points is not None:
        metadata["points"] = points
    cell.metadata["nbgrader"] = metadata
    return cell


def homework_notebook(chapter: str) -> nbformat.NotebookNode:
    folder = HOMEWORK / chapter
    (tests_path,) = folder.glob("test_*.py")
    tests = ast.parse(tests_path.read_text(encoding="utf-8"))
    submission = next(node.value.value for node in tests.body if isinstance(node, ast.Assign)
                      and any(getattr(target, "id", None) == "SUBMISSION" for target in node.targets))
    test_names = [node.name for node in tests.body
                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
    statement = (folder / "README.md").read_text(encoding="utf-8")
    title, _, rest = statement.partition("\n")
    code = solution_cell_source((folder / submission).read_text(encoding="utf-8"),
                                (SOLUTIONS / chapter / submission).read_text(encoding="utf-8"))
    cells = [_nbgrader(new_markdown_cell(f"{title}\n\n{NOTEBOOK_INTRODUCTION}{rest.lstrip()}"), "statement"),
             _nbgrader(new_code_cell(code), "code", solution=True)]
    for name in test_names:
        source = (f"# Autograded: 1 point ({name.removeprefix('test_').replace('_', ' ')}).\n"
                  "from notebook_grading import run_test\n\n"
                  f"run_test({tests_path.stem!r}, {name!r}, globals())")
        cells.append(_nbgrader(new_code_cell(source), name, grade=True, points=1))
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def write_assignments(course: Path, chapters: list[str] | None = None,
                      writer: ProtectedWriter | None = None) -> list[str]:
    """Write the homework assignments into the course folder's ``source/``; returns their names.

    Files an instructor changed since they were written are kept (``writer.kept``), as ``make nbgrader`` keeps
    them (:mod:`classroom.nbgrader_export.protected`).
    """
    chapters = chapters or sorted(path.name for path in HOMEWORK.glob("0*_*") if path.is_dir())
    writer = writer or ProtectedWriter(course)
    written = []
    for chapter in chapters:
        name = assignment_name(chapter)
        folder = course / "source" / name
        notebook = nbformat.writes(homework_notebook(chapter)).rstrip("\n") + "\n"
        writer.write(folder / f"{name}.ipynb", notebook)
        for helper in (*HOMEWORK.joinpath(chapter).glob("test_*.py"), *HOMEWORK.joinpath(chapter).glob("run_*.py"),
                       *(HOMEWORK / helper for helper in HELPERS)):
            writer.write(folder / helper.name, helper.read_text(encoding="utf-8"))
        written.append(name)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.homework.nbgrader_assignments",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("course", type=Path, help="the nbgrader course folder (make nbgrader writes it)")
    parser.add_argument("chapters", nargs="*", help="default: every homework")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace files an instructor changed since they were written (their changes are lost)")
    args = parser.parse_args(argv)
    writer = ProtectedWriter(args.course, overwrite=args.overwrite)
    for name in write_assignments(args.course, args.chapters, writer):
        print(f"wrote {args.course / 'source' / name}")
    print(f"next: cd {args.course} && nbgrader generate_assignment homework_05_pooling (for example)")
    if writer.kept:
        print(writer.report(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

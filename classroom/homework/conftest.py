"""How a homework's tests find the file they grade: ``pytest <homework folder> --submission path/to/file.py``.

Without ``--submission`` the tests grade the starter file next to them (the file a student edits), so a student
runs ``pytest`` in the homework's folder to see where they stand. An instructor grades a whole class with
``make grade-homework`` (classroom/homework/grading.py), which runs the same tests once per submission.

A homework's test module names its starter file (``SUBMISSION = "average_pooling.py"``) and may restrict what
the submission imports (``ALLOWED_IMPORTS = {"numpy", "math"}``) when the exercise is to write by hand what a
library does: a submission that imports anything else fails every test of that homework, with a message saying
which import was refused.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest


class RefusedImport(Exception):
    """The submission imports a module that this homework asks the student to do without."""


def imported_modules(source: str) -> set[str]:
    """The top-level names of every module a Python source imports (``import a.b`` and ``from a.b import c``)."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def check_imports(source: str, allowed: set[str] | None) -> None:
    if allowed is None:
        return
    refused = sorted(name for name in imported_modules(source)
                     if name.split(".")[0] not in allowed and name not in allowed)
    if refused:
        raise RefusedImport(f"this homework is to be written with {', '.join(sorted(allowed))} only; "
                            f"the submission imports {', '.join(refused)}")


def load_submission(path: str | Path, allowed_imports: set[str] | None = None):
    """Import a student's file as a module of its own, after checking what it imports."""
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no submission at {path}")
    check_imports(path.read_text(encoding="utf-8"), allowed_imports)
    name = f"submission_{abs(hash(str(path)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pytest_addoption(parser):
    parser.addoption("--submission", action="store", default=None,
                     help="the student's file to grade (default: the homework's starter file)")


@pytest.fixture(scope="module")
def submission(request):
    """The graded module: ``--submission``, or the starter named by the test module's ``SUBMISSION``."""
    given = request.config.getoption("--submission")
    path = Path(given) if given else Path(request.module.__file__).with_name(request.module.SUBMISSION)
    try:
        return load_submission(path, getattr(request.module, "ALLOWED_IMPORTS", None))
    except RefusedImport as refused:
        pytest.fail(str(refused), pytrace=False)

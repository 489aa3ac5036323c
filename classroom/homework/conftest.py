"""How a homework's tests find the file they grade: ``pytest <homework folder> --submission path/to/file.py``.

Without ``--submission`` the tests grade the starter file next to them (the file a student edits), so a student
runs ``pytest`` in the homework's folder to see where they stand. An instructor grades a whole class with
``make grade-homework`` (classroom/homework/grading.py), which runs the same tests once per submission.

A homework's test module names its starter file (``SUBMISSION = "average_pooling.py"``) and may restrict what
the submission imports (``ALLOWED_IMPORTS = {"numpy", "math"}``) when the exercise is to write by hand what a
library does: a submission that imports anything else fails every test of that homework, with a message saying
which import was refused.

``--time-limit SECONDS`` (which ``make grade-homework`` passes) stops a test, or the loading of the submission, that
runs longer: it fails with "time limit", and the other tests still run. The limit uses the system's alarm signal,
so it holds on Linux and macOS; on Windows the grader's limit on the whole run remains.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import signal
import sys
import threading
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


class TimeLimitExceeded(Exception):
    """A test, or the loading of the submission, ran longer than ``--time-limit`` seconds."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`TimeLimitExceeded` in the code running when ``seconds`` have passed (no limit when None)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signal_number, frame):
        raise TimeLimitExceeded(f"time limit: still running after {seconds:g} s (an endless loop, or far too slow)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def pytest_addoption(parser):
    parser.addoption("--submission", action="store", default=None,
                     help="the student's file to grade (default: the homework's starter file)")
    parser.addoption("--time-limit", action="store", type=float, default=None,
                     help="seconds each test may run, the loading of the submission included (default: no limit)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    with time_limit(item.config.getoption("--time-limit")):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    with time_limit(item.config.getoption("--time-limit")):
        yield


@pytest.fixture(scope="module")
def submission(request):
    """The graded module: ``--submission``, or the starter named by the test module's ``SUBMISSION``."""
    given = request.config.getoption("--submission")
    path = Path(given) if given else Path(request.module.__file__).with_name(request.module.SUBMISSION)
    try:
        return load_submission(path, getattr(request.module, "ALLOWED_IMPORTS", None))
    except RefusedImport as refused:
        pytest.fail(str(refused), pytrace=False)

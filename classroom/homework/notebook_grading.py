"""Run one of a homework's grading tests on the code of a notebook: the test cells of the nbgrader homework.

``make nbgrader-homework`` turns each homework into an nbgrader assignment whose notebook holds the student's
code in one cell, followed by one autograded cell per grading test::

    from notebook_grading import run_test
    run_test("test_average_pooling", "test_global_average_pooling_matches_keras", globals())

The test is the same function ``pytest`` runs on a handed-in file; here its ``submission`` is the notebook's
namespace. A homework that refuses a library (``ALLOWED_IMPORTS``) refuses it in the notebook too: the imports
of every cell run so far, the grading cells excepted, are checked first, as conftest.py checks a file's.
"""

from __future__ import annotations

import importlib
import types

import cnn_course  # noqa: F401  (first: it quiets TensorFlow, whose log lines on stderr would cost the point)

from conftest import check_imports

GRADING_CALL = "run_test("


def code_run_so_far(namespace: dict) -> str:
    """The source of every cell the kernel has run (IPython keeps it in ``In``), without the grading cells."""
    return "\n".join(source for source in namespace.get("In", []) if source and GRADING_CALL not in source)


def run_test(test_module: str, test_name: str, namespace: dict) -> None:
    """Run ``test_module.test_name`` on the notebook's functions; an AssertionError there costs the point."""
    tests = importlib.import_module(test_module)
    check_imports(code_run_so_far(namespace), getattr(tests, "ALLOWED_IMPORTS", None))
    getattr(tests, test_name)(types.SimpleNamespace(**namespace))

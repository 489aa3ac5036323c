"""The project's runner, used as a student first uses it: on the starter file, before anything is written."""

import importlib.util
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2] / "classroom" / "homework" / "07_fashion_mnist"


def runner():
    spec = importlib.util.spec_from_file_location("run_project_under_test", PROJECT / "run_project.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_the_untouched_starter_gets_one_line_that_says_what_to_write(capsys):
    assert runner().run([str(PROJECT / "fashion_project.py"), "--quick"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == ("the project does not define build_model yet: replace its `raise "
                                    "NotImplementedError` with your code (README.md says what it must do)")
    assert "Traceback" not in captured.err + captured.out

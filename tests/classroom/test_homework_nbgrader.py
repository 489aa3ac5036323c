"""The homework as nbgrader assignments (make nbgrader-homework), graded by nbgrader itself.

One homework that trains nothing (3, same padding) keeps this short: nbgrader's generate_assignment makes the
release from the course's own nbgrader_config.py, then three submissions are autograded: the reference code
(full marks), the release untouched (zero), and the reference code importing the library it must reproduce (zero).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from classroom.homework import nbgrader_assignments
from classroom.nbgrader_export.config import CONFIG

pytest.importorskip("nbgrader", reason="nbgrader is an instructor's and a test dependency (requirements.txt)")
from nbgrader.api import Gradebook  # noqa: E402

CHAPTER = "03_padding"
ASSIGNMENT = nbgrader_assignments.assignment_name(CHAPTER)
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\n", re.M)


def nbgrader(course, *arguments):
    environment = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([sys.executable, "-m", "nbgrader", *arguments], cwd=course, env=environment,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def code_cell(notebook):
    return next(cell for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("solution"))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    assert nbgrader_assignments.write_assignments(course, [CHAPTER]) == [ASSIGNMENT]
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    source = nbformat.read(course / "source" / ASSIGNMENT / NOTEBOOK, as_version=4)
    reference = MARKERS.sub("", code_cell(source).source)
    for student, code in (("untouched", None), ("reference", reference),
                          ("refused", "import tensorflow as tf\n" + reference)):
        folder = course / "submitted" / student / ASSIGNMENT
        shutil.copytree(course / "release" / ASSIGNMENT, folder)
        if code is not None:
            notebook = nbformat.read(folder / NOTEBOOK, as_version=4)
            code_cell(notebook).source = code
            nbformat.write(notebook, folder / NOTEBOOK)
    nbgrader(course, "autograde", ASSIGNMENT, "--force")
    return course


def test_the_release_holds_the_starter_and_the_tests_but_no_solution(course):
    released = nbformat.read(course / "release" / ASSIGNMENT / NOTEBOOK, as_version=4)
    code = code_cell(released).source
    assert "def same_padding(n, kernel_size, stride=1):" in code and "answer = ..." in code
    assert "math.ceil" not in code and "np.pad" not in code
    assert (course / "release" / ASSIGNMENT / "test_same_padding.py").is_file()
    graded = [cell for cell in released.cells if cell.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == 4 and all(cell.metadata["nbgrader"]["points"] == 1 for cell in graded)


def test_nbgrader_gives_the_reference_full_marks_and_the_others_zero(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {student: gradebook.find_submission(ASSIGNMENT, student).score
                  for student in ("reference", "untouched", "refused")}
    assert scores == {"reference": 4.0, "untouched": 0.0, "refused": 0.0}


def test_writing_the_assignments_again_keeps_what_an_instructor_changed(tmp_path):
    nbgrader_assignments.write_assignments(tmp_path, [CHAPTER])
    notebook = tmp_path / "source" / ASSIGNMENT / NOTEBOOK
    tests = tmp_path / "source" / ASSIGNMENT / "test_same_padding.py"
    notebook.write_text(notebook.read_text().replace("Autograded: 1 point", "Autograded: 2 points"))
    edited = notebook.read_text()
    tests.unlink()
    done = subprocess.run([sys.executable, "-m", "classroom.homework.nbgrader_assignments", str(tmp_path), CHAPTER],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True)
    assert done.returncode == 1 and f"source/{ASSIGNMENT}/{NOTEBOOK}" in done.stderr
    assert notebook.read_text() == edited and tests.is_file()

"""Test set-up shared by the unit tests in tests/ and the nbval run over chapters/ (hence at the top level).

Notebook kernels inherit this process's environment, so everything is set here, before any kernel
starts: quick mode, a quiet TensorFlow, and a private Keras cache seeded from the course's dataset
files (``../shared/datasets`` beside the repository, or ``$CNN_COURSE_DATASETS``) so that the
canonical ``keras.datasets`` loaders work offline. Without those files the learner's own cache is used.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parent
DATASETS = Path(os.environ.get("CNN_COURSE_DATASETS", REPOSITORY.parent / "shared" / "datasets"))

os.environ["CNN_COURSE_MODE"] = "quick"
# Stored outputs hold one line per epoch: no live progress bars in the kernels nbval starts.
os.environ["CNN_COURSE_PROGRESS"] = "off"
# The chapters' stored outputs hold self-study feedback; the graded setting is tested where it is switched on.
os.environ.pop("CNN_COURSE_GRADED", None)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

_keras_home = None
if DATASETS.is_dir():
    _keras_home = Path(tempfile.mkdtemp(prefix="cnn-course-keras-"))
    shutil.copytree(DATASETS, _keras_home / "datasets")
    os.environ["KERAS_HOME"] = str(_keras_home)


def toc_pages():
    """Every page of _toc.yml, in reading order (nested sections included)."""

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            yield from walk(entry.get("sections", []))
            yield from walk(entry.get("chapters", []))

    toc = yaml.safe_load((REPOSITORY / "_toc.yml").read_text())
    return [toc["root"], *walk(toc.get("parts", [])), *walk(toc.get("chapters", [])), *walk(toc.get("sections", []))]


def pytest_generate_tests(metafunc):
    """A test that takes ``toc_page`` runs once for each page of _toc.yml, so new pages are tested as they land."""
    if "toc_page" in metafunc.fixturenames:
        metafunc.parametrize("toc_page", toc_pages())


@pytest.fixture(scope="session")
def book_pages():
    return toc_pages()


@dataclass(frozen=True)
class BookBuild:
    """One build of the site, shared by the tests that need it (tests/test_book.py, tests/test_browser.py)."""

    html: Path
    returncode: int
    log: str


@pytest.fixture(scope="session")
def book_build(tmp_path_factory):
    """Build the site once per test run, as `make book` does: warnings are errors, every warning reported.

    ``CNN_COURSE_SITE=path/to/_build/html`` reuses a site built before instead (the site build test then skips),
    which helps when working on the browser tests alone.
    """
    reused = os.environ.get("CNN_COURSE_SITE")
    if reused:
        return BookBuild(html=Path(reused).resolve(), returncode=0, log=f"reused {reused}")
    output = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run(
        [str(jupyter_book), "build", str(REPOSITORY), "--path-output", str(output), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, timeout=1200,
    )
    return BookBuild(html=output / "_build" / "html", returncode=run.returncode, log=run.stdout + run.stderr)


def pytest_report_header(config):
    cache = os.environ.get("KERAS_HOME", "~/.keras")
    return f"cnn-course: CNN_COURSE_MODE=quick, Keras cache {cache}"


def pytest_unconfigure(config):
    if _keras_home is not None:
        shutil.rmtree(_keras_home, ignore_errors=True)


class NotebookTimes:
    """Each notebook's wall time under nbval (its cells' set-up, run and tear-down, kernel start included).

    At the end of the run, the notebooks whose every cell ran and passed are written under ``_build/`` as
    quick-mode entries of a timing file; ``make record-quick-times`` copies them into the committed one, which a
    test run never changes.
    """

    output = REPOSITORY / "_build" / "run_times" / "quick.json"

    def __init__(self):
        self.cells = {}
        self.passed = {}
        self.seconds = {}

    def pytest_itemcollected(self, item):
        notebook = item.nodeid.split("::")[0]
        if notebook.endswith(".ipynb"):
            self.cells[notebook] = self.cells.get(notebook, 0) + 1

    def pytest_runtest_logreport(self, report):
        notebook = report.nodeid.split("::")[0]
        if notebook not in self.cells:
            return
        self.seconds[notebook] = self.seconds.get(notebook, 0.0) + report.duration
        if report.when == "call" and report.passed:
            self.passed[notebook] = self.passed.get(notebook, 0) + 1

    def pytest_sessionfinish(self, session):
        complete = [notebook for notebook, cells in self.cells.items() if self.passed.get(notebook) == cells]
        if not complete:
            return
        from cnn_course import run_times

        for notebook in complete:
            run_times.record(notebook, "quick", self.seconds[notebook], self.output,
                             how="make test (nbval, quick mode), whole notebook")


def pytest_configure(config):
    config.pluginmanager.register(NotebookTimes(), "cnn-course-notebook-times")

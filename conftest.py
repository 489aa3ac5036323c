"""Test set-up shared by the unit tests in tests/ and the nbval run over chapters/ (hence at the top level).

Notebook kernels inherit this process's environment, so everything is set here, before any kernel
starts: quick mode, a quiet TensorFlow, and a private Keras cache seeded from the course's dataset
files (``../shared/datasets`` beside the repository, or ``$CNN_COURSE_DATASETS``) so that the
canonical ``keras.datasets`` loaders work offline. Without those files the learner's own cache is used.
"""

import os
import shutil
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent
DATASETS = Path(os.environ.get("CNN_COURSE_DATASETS", REPOSITORY.parent / "shared" / "datasets"))

os.environ["CNN_COURSE_MODE"] = "quick"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

_keras_home = None
if DATASETS.is_dir():
    _keras_home = Path(tempfile.mkdtemp(prefix="cnn-course-keras-"))
    shutil.copytree(DATASETS, _keras_home / "datasets")
    os.environ["KERAS_HOME"] = str(_keras_home)


def pytest_report_header(config):
    cache = os.environ.get("KERAS_HOME", "~/.keras")
    return f"cnn-course: CNN_COURSE_MODE=quick, Keras cache {cache}"


def pytest_unconfigure(config):
    if _keras_home is not None:
        shutil.rmtree(_keras_home, ignore_errors=True)

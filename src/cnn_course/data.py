"""Datasets of the course, loaded the canonical Keras way, with a clear message when they cannot be.

Chapters 6 to 8 call :func:`load_mnist` and :func:`load_fashion_mnist`, which call
``keras.datasets.<name>.load_data()`` unchanged: Keras looks in its cache (``$KERAS_HOME/datasets``,
by default ``~/.keras/datasets``) and downloads what is missing. Without network and without those
files, Keras fails with a long traceback ending in "URL fetch failure"; here that becomes a
:class:`DatasetUnavailableError` that names the dataset, the folder and the two ways to fix it.
Chapters 1 to 5 use :func:`load_sample_images`, two photos that ship with scikit-learn.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DOWNLOAD_TIMEOUT_SECONDS = 10

# The files Keras keeps for each dataset, relative to its datasets folder.
CACHE_FILES = {
    "Fashion-MNIST": [
        "fashion-mnist/train-labels-idx1-ubyte.gz",
        "fashion-mnist/train-images-idx3-ubyte.gz",
        "fashion-mnist/t10k-labels-idx1-ubyte.gz",
        "fashion-mnist/t10k-images-idx3-ubyte.gz",
    ],
    "MNIST": ["mnist.npz"],
}

FASHION_MNIST_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)


class DatasetUnavailableError(RuntimeError):
    """A dataset is neither in the Keras cache nor downloadable; the message says what to do."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of the traceback: the learner needs the advice, not the stack.
        return [f"DatasetUnavailableError: {self}"]


def keras_datasets_dir() -> Path:
    """The folder where Keras caches datasets: ``$KERAS_HOME/datasets`` or ``~/.keras/datasets``."""
    from keras.src.backend.config import keras_home

    return Path(keras_home()).expanduser() / "datasets"


def seed_keras_cache(source: str | os.PathLike, datasets_dir: str | os.PathLike | None = None) -> Path:
    """Copy dataset files laid out as Keras's cache (``fashion-mnist/*.gz``, ``mnist.npz``) into it.

    This is how a classroom without internet gets the data: copy the folder once to each machine
    (or to a shared ``KERAS_HOME``) and the canonical loaders find it. Existing files are kept.

    Returns:
        The datasets folder that was filled.
    """
    source = Path(source)
    if not source.is_dir():
        raise FileNotFoundError(f"{source} is not a folder of dataset files")
    target = Path(datasets_dir) if datasets_dir is not None else keras_datasets_dir()
    target.mkdir(parents=True, exist_ok=True)
    for path in source.rglob("*"):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(exist_ok=True)
        elif not destination.exists():
            shutil.copy2(path, destination)
    return target


def missing_files(name: str, datasets_dir: str | os.PathLike | None = None) -> list[str]:
    """The files of dataset ``name`` ("Fashion-MNIST" or "MNIST") not yet in the Keras cache.

    The setup page uses it to tell a learner, before any chapter needs them, what to copy where.
    """
    if name not in CACHE_FILES:
        raise ValueError(f"unknown dataset {name!r}; the course uses {', '.join(CACHE_FILES)}")
    folder = Path(datasets_dir) if datasets_dir is not None else keras_datasets_dir()
    return [f for f in CACHE_FILES[name] if not (folder / f).is_file()]


@contextlib.contextmanager
def _download_timeout(seconds: float):
    """Bound each network wait so a dead connection fails in seconds instead of hanging."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def _unavailable(name: str, error: Exception) -> DatasetUnavailableError:
    folder = keras_datasets_dir()
    files = CACHE_FILES[name]
    missing = missing_files(name, folder)
    if missing:
        problem = (
            f"{name} is not in the Keras cache ({folder}: missing {', '.join(missing)}) "
            f"and the download failed ({_first_line(error)})."
        )
    else:
        problem = (
            f"{name} is in the Keras cache ({folder}) but could not be read: a file is damaged or "
            f"incomplete ({_first_line(error)}). Delete {', '.join(str(folder / f) for f in files)} "
            "and load again."
        )
    return DatasetUnavailableError(
        f"{problem}\nTo fix it: connect to the internet and run the cell again (Keras downloads the "
        f"files once), or copy the files {', '.join(files)} into {folder} "
        "(an instructor can hand them out; see the setup page)."
    )


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _load(name: str, loader):
    try:
        with _download_timeout(DOWNLOAD_TIMEOUT_SECONDS):
            return loader()
    except Exception as error:  # Keras raises a bare Exception on "URL fetch failure"
        raise _unavailable(name, error) from None


def load_fashion_mnist():
    """Fashion-MNIST through ``keras.datasets.fashion_mnist.load_data()`` (chapter 7).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape [60000, 28, 28] and
        [10000, 28, 28], labels 0-9 (see ``FASHION_MNIST_CLASS_NAMES``).

    Raises:
        DatasetUnavailableError: the files are not cached and cannot be downloaded, or are damaged.
    """
    import keras

    return _load("Fashion-MNIST", keras.datasets.fashion_mnist.load_data)


@dataclass(frozen=True)
class Splits:
    """Training, validation and test sets, standardised with the training set's mean and standard deviation."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_valid: np.ndarray
    y_valid: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    mean: float
    std: float


def standardized_splits(train, test, validation_size: int = 5_000) -> Splits:
    """Split the last ``validation_size`` training images off for validation, standardise, add a channel axis.

    Chapter 7 writes these steps out; its benchmark calls this function to train on exactly the same
    arrays. The mean and standard deviation come from the training images only: statistics of the
    validation or test images would leak them into training.

    Args:
        train, test: ``(images, labels)`` pairs as Keras's loaders return them, images uint8 [n, 28, 28].

    Returns:
        :class:`Splits` with float32 images of shape [n, 28, 28, 1].
    """
    (x_full, y_full), (x_test, y_test) = train, test
    if not 0 < validation_size < len(x_full):
        raise ValueError(f"validation_size must be between 1 and {len(x_full) - 1}, got {validation_size}")
    x_train, y_train = x_full[:-validation_size], y_full[:-validation_size]
    x_valid, y_valid = x_full[-validation_size:], y_full[-validation_size:]
    mean, std = float(x_train.mean()), float(x_train.std())

    def standardize(images):
        return ((images - mean) / std).astype("float32")[..., np.newaxis]

    return Splits(standardize(x_train), y_train, standardize(x_valid), y_valid, standardize(x_test), y_test,
                  mean, std)


def load_mnist():
    """MNIST digits through ``keras.datasets.mnist.load_data()`` (chapter 6).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images [60000, 28, 28] and [10000, 28, 28].

    Raises:
        DatasetUnavailableError: the file is not cached and cannot be downloaded, or is damaged.
    """
    import keras

    return _load("MNIST", keras.datasets.mnist.load_data)


def load_sample_images() -> np.ndarray:
    """scikit-learn's two sample photos, a Chinese temple and a flower (chapters 1 to 5).

    They ship inside scikit-learn, so they load offline.

    Returns:
        uint8 array of shape [2, 427, 640, 3]: a mini-batch in the NHWC layout Keras expects.
    """
    from sklearn.datasets import load_sample_images as sklearn_sample_images

    return np.stack(sklearn_sample_images()["images"])

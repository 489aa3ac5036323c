import gzip
import socket
import time
from pathlib import Path

from cnn_course import data

import keras.src.backend.config as keras_config
import numpy as np
import pytest

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
needs_dataset_files = pytest.mark.skipif(not DATASETS.is_dir(), reason=f"no dataset files in {DATASETS}")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras home: what a learner has before the first download."""
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def offline(monkeypatch):
    """No network, as on a train or in a classroom without internet: every connection fails at once."""

    def refuse(*args, **kwargs):
        raise OSError("network is unreachable (test)")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.parametrize(("loader", "name"), [(data.load_fashion_mnist, "Fashion-MNIST"), (data.load_mnist, "MNIST")])
def test_offline_with_an_empty_cache_fails_fast_with_advice(keras_home, offline, loader, name):
    start = time.monotonic()
    with pytest.raises(data.DatasetUnavailableError) as caught:
        loader()
    assert time.monotonic() - start < 5
    message = str(caught.value)
    assert name in message
    assert str(keras_home / "datasets") in message
    assert "connect to the internet" in message and "copy the files" in message
    assert isinstance(caught.value, RuntimeError)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no chained traceback


def test_the_error_shows_in_jupyter_without_a_traceback(keras_home, offline):
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.load_fashion_mnist()
    rendered = caught.value._render_traceback_()
    assert rendered == [f"DatasetUnavailableError: {caught.value}"]


@needs_dataset_files
def test_a_seeded_cache_loads_offline(keras_home, offline):
    data.seed_keras_cache(DATASETS)
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert set(np.unique(y_train)) == set(range(10)) == set(range(len(data.FASHION_MNIST_CLASS_NAMES)))
    (x_train, _), (x_test, _) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.dtype == np.uint8
    assert data.missing_files("Fashion-MNIST") == [] and data.missing_files("MNIST") == []


@needs_dataset_files
def test_a_damaged_file_in_the_cache_is_named_and_the_fix_given(keras_home, offline):
    folder = data.seed_keras_cache(DATASETS)
    damaged = folder / "fashion-mnist" / "train-images-idx3-ubyte.gz"
    damaged.write_bytes(gzip.compress(b"not an idx file")[:20])  # a copy cut short
    with pytest.raises(data.DatasetUnavailableError, match="damaged or incomplete") as caught:
        data.load_fashion_mnist()
    assert "Delete" in str(caught.value) and str(damaged) in str(caught.value)


@needs_dataset_files
def test_a_damaged_mnist_file_fails_offline_instead_of_hanging(keras_home, offline):
    folder = data.seed_keras_cache(DATASETS)
    (folder / "mnist.npz").write_bytes(b"garbage")  # fails Keras's sha256 check, so Keras tries to download
    with pytest.raises(data.DatasetUnavailableError, match="MNIST"):
        data.load_mnist()


def test_missing_files_lists_what_to_copy(tmp_path):
    assert data.missing_files("MNIST", tmp_path) == ["mnist.npz"]
    (tmp_path / "mnist.npz").write_bytes(b"")
    assert data.missing_files("MNIST", tmp_path) == []
    with pytest.raises(ValueError, match="unknown dataset"):
        data.missing_files("CIFAR-10", tmp_path)


def test_seed_keras_cache_copies_the_layout_and_keeps_existing_files(tmp_path):
    source = tmp_path / "source"
    (source / "fashion-mnist").mkdir(parents=True)
    (source / "fashion-mnist" / "a.gz").write_bytes(b"new")
    (source / "mnist.npz").write_bytes(b"new")
    target = tmp_path / "cache"
    (target).mkdir()
    (target / "mnist.npz").write_bytes(b"kept")
    assert data.seed_keras_cache(source, target) == target
    assert (target / "fashion-mnist" / "a.gz").read_bytes() == b"new"
    assert (target / "mnist.npz").read_bytes() == b"kept"
    with pytest.raises(FileNotFoundError):
        data.seed_keras_cache(tmp_path / "nowhere", target)


def test_sample_images_are_a_batch_of_two_photos():
    images = data.load_sample_images()
    assert images.shape == (2, 427, 640, 3)
    assert images.dtype == np.uint8


def test_standardized_splits_use_training_statistics_only():
    from cnn_course.data import standardized_splits

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    y = np.arange(50) % 10
    x_test = np.full((7, 28, 28), 255, dtype=np.uint8)
    splits = standardized_splits((x, y), (x_test, y[:7]), validation_size=10)
    assert splits.x_train.shape == (40, 28, 28, 1) and splits.x_valid.shape == (10, 28, 28, 1)
    assert splits.x_test.shape == (7, 28, 28, 1) and splits.x_train.dtype == np.float32
    np.testing.assert_array_equal(splits.y_valid, y[-10:])
    assert splits.mean == pytest.approx(x[:40].mean()) and splits.std == pytest.approx(x[:40].std())
    assert abs(float(splits.x_train.mean())) < 1e-5 and float(splits.x_train.std()) == pytest.approx(1, rel=1e-4)
    assert float(splits.x_test.max()) == pytest.approx((255 - x[:40].mean()) / x[:40].std(), rel=1e-5)
    with pytest.raises(ValueError, match="validation_size"):
        standardized_splits((x, y), (x_test, y[:7]), validation_size=50)

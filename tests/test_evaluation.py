"""Scoring: accuracy from predictions, the accuracy bands of each mode, accuracy under shifts."""

import matplotlib

matplotlib.use("Agg")

from cnn_course.evaluation import (
    QUICK_TEST_SIZE,
    accuracy,
    accuracy_by_shift,
    expect_accuracy,
    most_confused_pairs,
    plot_accuracy_by_shift,
    plot_misclassified,
    plot_top_probabilities,
    predict_classes,
    share_of_test_set,
)
from cnn_course.settings import MODE_VARIABLE

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest


class LeftHalfClassifier(keras.Model):
    """A fixed 'model': class 1 when the left half of the image holds more ink than the right half."""

    def call(self, x):
        width = x.shape[2]
        left = keras.ops.sum(x[:, :, : width // 2], axis=(1, 2, 3))
        right = keras.ops.sum(x[:, :, width // 2 :], axis=(1, 2, 3))
        p = keras.ops.cast(left > right, "float32")
        return keras.ops.stack([1 - p, p], axis=1)


def test_accuracy_counts_the_most_probable_class():
    x = np.zeros((4, 6, 6, 1), dtype="float32")
    x[0, :, :2] = x[1, :, :2] = x[2, :, 4:] = 1  # left, left, right, empty
    y = np.array([1, 0, 0, 0])
    model = LeftHalfClassifier()
    assert predict_classes(model, x).tolist() == [1, 1, 0, 0]
    assert accuracy(model, x, y) == 0.75
    assert accuracy(model, x, y.reshape(-1, 1)) == 0.75


def test_accuracy_by_shift_moves_the_images_right():
    x = np.zeros((2, 6, 6, 1), dtype="float32")
    x[:, :, 1] = 1  # ink in column 1: the left half until it moves 2 columns right
    model = LeftHalfClassifier()
    curve = accuracy_by_shift(model, x, np.array([1, 1]), shifts=range(4))
    assert curve == {0: 1.0, 1: 1.0, 2: 0.0, 3: 0.0}
    assert accuracy_by_shift(model, x, np.array([1, 1]), shifts=[0, 1], dx=0, dy=1) == {0: 1.0, 1: 1.0}


def test_test_share_depends_on_the_mode(monkeypatch):
    x, y = np.arange(5000), np.arange(5000)
    monkeypatch.setenv(MODE_VARIABLE, "full")
    assert len(share_of_test_set(x, y)[0]) == 5000
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    shared_x, shared_y = share_of_test_set(x, y)
    assert len(shared_x) == len(shared_y) == QUICK_TEST_SIZE
    assert shared_x[0] == 0


def test_expect_accuracy_uses_the_band_of_the_mode(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    assert expect_accuracy(0.99, full=0.985, quick=0.5) == "test accuracy 0.9900 >= 0.985 (full mode)"
    with pytest.raises(AssertionError, match="0.9000 is below 0.985 .full mode."):
        expect_accuracy(0.9, full=0.985, quick=0.5)
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    assert "(quick mode)" in expect_accuracy(0.9, full=0.985, quick=0.5)
    with pytest.raises(AssertionError):
        expect_accuracy(0.1, full=0.985, quick=0.5)
    with pytest.raises(AssertionError):
        expect_accuracy(float("nan"), full=0.985, quick=0.5)


def test_shift_curves_are_drawn_one_line_per_model():
    ax = plot_accuracy_by_shift({"a": {0: 0.9, 1: 0.8}, "b": {0: 0.95, 1: 0.5}}, title="shifts")
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    assert list(ax.get_lines()[1].get_ydata()) == [0.95, 0.5]
    assert ax.get_xlabel().startswith("shift")
    plt.close("all")


def test_most_confused_pairs_counts_off_diagonal_mistakes():
    names = ["shirt", "coat", "bag"]
    y_true = [0, 0, 0, 1, 1, 2, 2, 2]
    y_pred = [1, 1, 0, 0, 1, 2, 2, 0]
    assert most_confused_pairs(y_true, y_pred, names) == [("shirt", "coat", 2), ("coat", "shirt", 1),
                                                          ("bag", "shirt", 1)]
    assert most_confused_pairs(y_true, y_pred, names, top=1) == [("shirt", "coat", 2)]
    assert most_confused_pairs([0, 1], [0, 1], names) == []


def test_galleries_title_images_with_their_classes():
    names = ["zero", "one"]
    images = np.zeros((4, 28, 28, 1))
    fig = plot_misclassified(images, np.array([0, 1, 1, 0]), np.array([0, 0, 1, 1]), names)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["true: one\npredicted: zero", "true: zero\npredicted: one"]
    with pytest.raises(ValueError, match="no misclassified"):
        plot_misclassified(images, np.array([0, 1, 1, 0]), np.array([0, 1, 1, 0]), names)
    fig = plot_top_probabilities(images[:2], np.array([[0.9, 0.1], [0.3, 0.7]]), names, top=2)
    labels = [[t.get_text() for t in ax.get_yticklabels()] for ax in fig.axes[1::2]]
    assert labels == [["one", "zero"], ["zero", "one"]]
    plt.close("all")

"""Scoring: accuracy from predictions, the accuracy bands of each mode, accuracy under shifts."""

import matplotlib

matplotlib.use("Agg")

from cnn_course.evaluation import (
    QUICK_TEST_SIZE,
    ShiftSummary,
    accuracy,
    accuracy_by_shift,
    accuracy_by_shift_over_seeds,
    accuracy_with_flips,
    compare_at_shift,
    expect_accuracy,
    most_confused_pairs,
    plot_accuracy_bands,
    plot_accuracy_by_shift,
    plot_misclassified,
    plot_top_probabilities,
    predict_classes,
    share_of_test_set,
    share_of_validation_set,
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


def test_accuracy_with_flips_averages_each_image_with_its_mirror():
    class LeftColumnClassifier(keras.Model):
        """Confident class 1 when the first column holds ink, unsure (0.45 for class 1) otherwise."""

        def call(self, x):
            p = keras.ops.where(keras.ops.sum(x[:, :, 0], axis=(1, 2)) > 0, 0.9, 0.45)
            return keras.ops.stack([1 - p, p], axis=1)

    x = np.zeros((2, 6, 6, 1), dtype="float32")
    x[0, :, 5] = 1  # ink in the last column: its mirror has ink in the first, and the average (0.675) says 1
    y = np.array([1, 0])
    model = LeftColumnClassifier()
    assert accuracy(model, x, y) == 0.5
    assert accuracy_with_flips(model, x, y) == 1.0


def test_accuracy_by_shift_moves_the_images_right():
    x = np.zeros((2, 6, 6, 1), dtype="float32")
    x[:, :, 1] = 1  # ink in column 1: the left half until it moves 2 columns right
    model = LeftHalfClassifier()
    curve = accuracy_by_shift(model, x, np.array([1, 1]), shifts=range(4))
    assert curve == {0: 1.0, 1: 1.0, 2: 0.0, 3: 0.0}
    assert accuracy_by_shift(model, x, np.array([1, 1]), shifts=[0, 1], dx=0, dy=1) == {0: 1.0, 1: 1.0}


THREE_RUNS = ShiftSummary({42: {0: 0.90, 1: 0.80, 2: 0.60}, 43: {0: 0.92, 1: 0.70, 2: 0.50},
                           44: {0: 0.94, 1: 0.75, 2: 0.55}})


def test_a_shift_summary_gives_mean_spread_and_range_per_shift():
    assert THREE_RUNS.seeds == (42, 43, 44) and THREE_RUNS.shifts == (0, 1, 2)
    assert THREE_RUNS.mean[0] == pytest.approx(0.92) and THREE_RUNS.mean[1] == pytest.approx(0.75)
    assert THREE_RUNS.spread[1] == pytest.approx(np.std([0.80, 0.70, 0.75], ddof=1))
    assert (THREE_RUNS.low[2], THREE_RUNS.high[2]) == (0.50, 0.60)
    one_run = ShiftSummary({42: {0: 0.9, 1: 0.8}})
    assert one_run.spread == {0: 0.0, 1: 0.0} and one_run.low == one_run.high == one_run.mean
    with pytest.raises(ValueError, match="same shifts"):
        ShiftSummary({1: {0: 0.9}, 2: {0: 0.9, 1: 0.8}})
    with pytest.raises(ValueError, match="at least one run"):
        ShiftSummary({})


def test_accuracy_over_seeds_trains_each_new_seed_once_and_measures_models_already_trained():
    x = np.zeros((4, 6, 6, 1), dtype="float32")
    x[:2, :, 1] = 1  # ink in column 1, class 1 until it crosses into the right half
    x[2:, :, 4] = 1  # ink in column 4, class 0 whatever the shift
    y = np.array([1, 1, 0, 0])
    trained_for = []

    def train_model(seed):
        trained_for.append(seed)
        return LeftHalfClassifier()

    summary = accuracy_by_shift_over_seeds(train_model, x, y, seeds=(1, 2, 3), shifts=range(4),
                                           trained={1: LeftHalfClassifier()})
    assert trained_for == [2, 3]
    assert summary.seeds == (1, 2, 3)
    assert summary.runs[2] == accuracy_by_shift(LeftHalfClassifier(), x, y, shifts=range(4))
    assert summary.mean == {0: 1.0, 1: 1.0, 2: 0.5, 3: 0.5} and summary.spread[2] == 0.0


def test_comparisons_at_a_shift_are_paired_over_the_seeds_both_models_share():
    higher = ShiftSummary({1: {0: 0.99, 1: 0.95}, 2: {0: 0.98, 1: 0.93}, 3: {0: 0.985, 1: 0.94}})
    close = ShiftSummary({1: {0: 0.985, 1: 0.80}, 2: {0: 0.975, 1: 0.82}, 3: {0: 0.99, 1: 0.81}})
    at_0 = compare_at_shift("pooled", higher, "control", close, 0)
    assert at_0.startswith("at 0 pixels: pooled 0.9850 (0.9800 to 0.9900 over 3 seeds)")
    assert ": these 3 seeds cannot tell pooled and control apart (difference +0.002" in at_0
    at_1 = compare_at_shift("control", close, "pooled", higher, 1)
    assert at_1.startswith("at 1 pixel: pooled 0.9400")
    assert at_1.endswith("pooled is more accurate than control by 0.130 (95% interval 0.080 to 0.180, 3 seeds)")


def test_a_single_run_at_a_shift_is_read_against_the_other_models_seeds():
    higher = ShiftSummary({1: {0: 0.99, 1: 0.95}, 2: {0: 0.98, 1: 0.93}, 3: {0: 0.985, 1: 0.94}})
    single = ShiftSummary({42: {0: 0.5, 1: 0.5}})
    sentence = compare_at_shift("pooled", higher, "no pooling", single, 1)
    assert "no pooling 0.5000 (1 seed)" in sentence
    assert sentence.endswith("no pooling is one run, given the spread of pooled's 3 seeds)")
    assert "pooled is more accurate than no pooling by 0.440" in sentence
    assert "one run each" in compare_at_shift("a", single, "b", ShiftSummary({7: {0: 0.4, 1: 0.4}}), 0)


def test_bands_are_drawn_for_several_seeds_and_a_single_run_as_a_dashed_line():
    single = ShiftSummary({42: {0: 0.9, 1: 0.5, 2: 0.3}})
    ax = plot_accuracy_bands({"pooled": THREE_RUNS, "no pooling": single}, title="shifts")
    assert [line.get_label() for line in ax.get_lines()] == ["pooled (3 seeds)", "no pooling (1 seed)"]
    assert list(ax.get_lines()[0].get_ydata()) == [THREE_RUNS.mean[s] for s in THREE_RUNS.shifts]
    assert ax.get_lines()[1].get_linestyle() == "--"
    assert len(ax.collections) == 1  # one band: the single run has none
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.50) and band[:, 1].max() == pytest.approx(0.94)
    assert ax.get_xlabel().startswith("shift") and ax.get_title() == "shifts"
    plt.close("all")


@pytest.mark.parametrize("share", [share_of_test_set, share_of_validation_set])
def test_the_scored_share_depends_on_the_mode(share, monkeypatch):
    x, y = np.arange(5000), np.arange(5000)
    monkeypatch.setenv(MODE_VARIABLE, "full")
    assert len(share(x, y)[0]) == 5000
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    shared_x, shared_y = share(x, y)
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

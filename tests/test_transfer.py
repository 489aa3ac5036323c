"""Chapter 8's transfer experiment: the class split, the label budgets, the reused base and what fine-tuning frees."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course import transfer
from cnn_course.models import fashion_mnist_compact
from cnn_course.settings import seed_everything

import keras
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


def test_a_split_renumbers_the_eight_kept_classes_and_the_two_held_out():
    split = transfer.ClassSplit((6, 0))
    assert split.kept == (1, 2, 3, 4, 5, 7, 8, 9)
    y = np.array([0, 1, 6, 9, 2, 6, 0])
    x = np.arange(len(y)) * 10
    x_base, y_base = split.base_task(x, y)
    assert x_base.tolist() == [10, 30, 40] and y_base.tolist() == [0, 7, 1]
    x_new, y_new = split.new_task(x, y)
    assert x_new.tolist() == [0, 20, 50, 60] and y_new.tolist() == [1, 0, 0, 1]
    for wrong in ((3, 3), (0, 10), (-1, 2)):
        with pytest.raises(ValueError):
            transfer.ClassSplit(wrong)


def test_the_hardest_pair_sums_both_directions_of_confusion():
    y_true = np.array([0, 0, 0, 6, 6, 2, 2, 2, 4])
    y_pred = np.array([6, 6, 0, 0, 6, 4, 4, 4, 2])  # 0<->6: 3 mistakes, 2<->4: 4 mistakes
    assert transfer.hardest_pair(y_true, y_pred) == (2, 4, 4)
    assert transfer.confusions(y_true, y_pred)[0, 6] == transfer.confusions(y_true, y_pred)[6, 0] == 3
    tied = transfer.hardest_pair(np.array([1, 3]), np.array([3, 1]) * 0 + np.array([3, 1]))
    assert tied == (1, 3, 2)
    assert transfer.hardest_pair(np.array([5, 7, 8, 9]), np.array([7, 5, 9, 8]))[:2] == (5, 7)  # ties: class order


def test_a_label_budget_is_balanced_reproducible_and_drawn_anew_by_each_seed():
    y = np.array([0] * 50 + [1] * 30)
    chosen = transfer.label_budget(y, 20, seed=3)
    assert len(set(chosen)) == 20 and np.bincount(y[chosen]).tolist() == [10, 10]
    assert np.array_equal(chosen, transfer.label_budget(y, 20, seed=3))
    assert set(chosen) != set(transfer.label_budget(y, 20, seed=4))
    assert not np.array_equal(chosen, np.sort(chosen)), "shuffled, so batches mix the two classes"
    with pytest.raises(ValueError, match="even"):
        transfer.label_budget(y, 21, seed=0)
    with pytest.raises(ValueError, match="fewer"):
        transfer.label_budget(y, 80, seed=0)


def test_a_new_head_keeps_the_compact_body_and_changes_only_the_classes():
    seed_everything()
    compact = fashion_mnist_compact()
    eight = transfer.with_new_head(compact, 8)
    assert eight.output_shape == (None, 8)
    assert eight.count_params() == compact.count_params() - (64 * 10 + 10) + (64 * 8 + 8)
    assert eight.layers[-2] is compact.layers[-2]
    base = transfer.convolutional_base(eight)
    assert base.output_shape == (None, 64) and base.layers[-1] is compact.layers[-2]


def test_the_plan_is_smaller_in_quick_mode(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_MODE", "full")
    full = transfer.transfer_plan()
    assert full is transfer.FULL_PLAN and full.budgets == (100, 300, 1000) and len(full.seeds) == 5
    assert full.steps_per_round() == 20 and full.steps_per_round(full.fine_tune_steps) == 10
    monkeypatch.setenv("CNN_COURSE_MODE", "quick")
    quick = transfer.transfer_plan()
    assert len(quick.seeds) >= 2 and max(quick.budgets) < max(full.budgets) and quick.steps < full.steps


def test_repeated_batches_train_for_the_steps_asked_whatever_the_budget():
    x = np.arange(10, dtype="float32").reshape(10, 1)
    batches = list(transfer.repeated_batches(x, x[:, 0] * 2, batch_size=4, seed=0).take(6))
    assert [len(b[0]) for b in batches] == [4] * 6  # no short batch at the end of a pass: it runs on
    first_pass = np.concatenate([b[0].numpy()[:, 0] for b in batches])[:10]
    assert sorted(first_pass) == list(range(10)) and list(first_pass) != list(range(10))
    assert all(np.array_equal(b[1].numpy(), 2 * b[0].numpy()[:, 0]) for b in batches)
    again = list(transfer.repeated_batches(x, x[:, 0] * 2, batch_size=4, seed=0).take(6))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(batches, again))


def test_scoring_by_direct_calls_gives_the_accuracy_predict_gives():
    from cnn_course.evaluation import accuracy

    seed_everything()
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    x = np.random.default_rng(2).normal(size=(2500, 28, 28, 1)).astype("float32")
    y = np.random.default_rng(3).integers(0, 3, 2500)
    assert transfer.score(model, x, y) == pytest.approx(accuracy(model, x, y))


def test_a_learning_curve_puts_each_validation_score_at_its_step():
    steps, scores = transfer.learning_curve({"val_accuracy": [0.6, 0.7, 0.8]}, steps_per_round=20, start_step=100)
    assert steps == [120, 140, 160] and scores == [0.6, 0.7, 0.8]


def test_the_gain_figure_draws_one_line_per_way():
    scores = {"from scratch": {100: {0: 0.7, 1: 0.72}, 300: {0: 0.8, 1: 0.79}},
              "feature extraction": {100: {0: 0.8, 1: 0.81}, 300: {0: 0.83, 1: 0.82}}}
    ax = transfer.plot_gain_by_budget(scores, title="gain")
    assert len(ax.lines) == 2 and ax.get_xscale() == "log"
    ax = transfer.plot_transfer_curves({"from scratch": ([10, 20], [0.6, 0.7]), "fine-tuning": ([30, 40], [0.8, 0.9])})
    assert [line.get_color() for line in ax.lines] == ["#0072B2", "#D55E00"]

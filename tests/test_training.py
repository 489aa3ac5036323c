"""train() fits on the mode's share of the data, logs one line per epoch and times the run."""

import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from cnn_course import training
from cnn_course.evaluation import accuracy
from cnn_course.settings import MODE_VARIABLE, PROGRESS_VARIABLE, seed_everything
from cnn_course.training import TrainingRun, plot_learning_curves, train

import keras
import matplotlib.pyplot as plt
import numpy as np
import pytest


def tiny_problem(n=300):
    """A separable problem: the class is whether the left half of the image is brighter."""
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(n, 8, 8, 1)).astype("float32")
    x[: n // 2, :, :4] += 1.0
    y = (np.arange(n) < n // 2).astype("int64")
    order = rng.permutation(n)
    return x[order], y[order]


def compiled_model():
    seed_everything()
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2, activation="softmax")],
                             name="tiny")
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def test_full_mode_trains_on_everything_for_the_stated_epochs(monkeypatch, capsys):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    x, y = tiny_problem()
    run = train(compiled_model(), x, y, epochs=3, batch_size=32, validation_data=(x[:50], y[:50]))
    assert isinstance(run, TrainingRun)
    assert (run.samples, run.epochs) == (300, 3)
    assert len(run.history["loss"]) == len(run.history["val_accuracy"]) == 3
    assert run.seconds > 0 and len(run.epoch_seconds) == 3
    assert run.seconds_per_epoch == pytest.approx(run.seconds / 3)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "Training tiny on 300 examples for 3 epochs (full mode)"
    assert [line.split(":")[0] for line in lines[1:]] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert all("val_accuracy" in line and line.endswith(" s)") for line in lines[1:])
    assert "━" not in "".join(lines), "no progress bars in stored outputs"


def test_quick_mode_trains_on_a_subset_for_few_epochs(monkeypatch, capsys):
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    monkeypatch.setattr(training, "QUICK_VALIDATION_SIZE", 20)
    x, y = tiny_problem()
    seen = []

    class CountBatches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    run = train(compiled_model(), x, y, epochs=10, batch_size=25, quick_size=100, quick_epochs=2,
                validation_data=(x, y), callbacks=[CountBatches()])
    assert (run.samples, run.epochs) == (100, 2)
    assert len(seen) == 2 * 100 // 25
    assert "Training tiny on 100 examples for 2 epochs (quick mode)" in capsys.readouterr().out


def test_training_learns(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    x, y = tiny_problem()
    model = compiled_model()
    train(model, x, y, epochs=15, batch_size=30, log=False)
    assert accuracy(model, x, y) > 0.9


def test_uncompiled_models_and_mismatched_data_are_refused():
    x, y = tiny_problem()
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="compile the model first"):
        train(model, x, y, epochs=1)
    with pytest.raises(ValueError, match="300 examples but y holds 299"):
        train(compiled_model(), x, y[:-1], epochs=1)


def test_learning_curves_draw_training_and_validation():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.8, 0.9],
               "val_accuracy": [0.4, 0.7, 0.8]}
    axes = plot_learning_curves(history, title="tiny")
    assert [ax.get_ylabel() for ax in axes] == ["loss", "accuracy"]
    for ax in axes:
        assert [line.get_label() for line in ax.get_lines()] == ["training", "validation"]
        assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]
    plt.close("all")
    run = TrainingRun({"loss": [0.2]}, 1.0, 1, 10)
    assert len(plot_learning_curves(run, metrics=("loss",))[0].get_lines()) == 1
    with pytest.raises(ValueError, match="none of the metrics"):
        plot_learning_curves({"loss": [1.0]}, metrics=("accuracy",))
    plt.close("all")


def test_training_steps_follow_the_mode(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    assert training.training_steps(55_000, 128, 10) == 430 * 10
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    assert training.training_steps(55_000, 128, 10) == 16 * training.QUICK_EPOCHS
    assert training.training_size(500) == 500 and training.training_epochs(1) == 1


def test_the_validation_size_is_what_train_scores_in_each_mode(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    assert training.validation_size(5_000) == 5_000
    monkeypatch.setenv(MODE_VARIABLE, "quick")
    assert training.validation_size(5_000) == training.QUICK_VALIDATION_SIZE and training.validation_size(50) == 50


def test_best_epoch_is_the_first_with_the_highest_validation_accuracy():
    run = TrainingRun({"val_accuracy": [0.80, 0.91, 0.88, 0.91]}, seconds=4.0, epochs=4, samples=10)
    assert run.best_epoch == 2
    assert TrainingRun({"accuracy": [0.5]}, seconds=1.0, epochs=1, samples=10).best_epoch is None


def test_keep_best_epoch_ends_with_the_weights_of_the_best_validation_epoch(monkeypatch):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    x, y = tiny_problem()
    model = compiled_model()
    snapshots = []
    remember = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: snapshots.append([w.copy() for w in model.get_weights()]))
    # Validation labels swapped: the better the model learns, the worse it scores, so an early epoch is best.
    run = train(model, x[:-60], y[:-60], epochs=6, batch_size=30, validation_data=(x[-60:], 1 - y[-60:]),
                callbacks=[remember, training.keep_best_epoch()], log=False)
    assert run.history["accuracy"][-1] > 0.9 and run.best_epoch < run.epochs
    kept = model.get_weights()
    assert all(np.array_equal(w, saved) for w, saved in zip(kept, snapshots[run.best_epoch - 1]))
    assert not all(np.array_equal(w, last) for w, last in zip(kept, snapshots[-1]))


PROGRESS_BAR_CHARACTERS = "█▏▎▍▌▋▊▉━"


def test_live_progress_shows_bars_and_an_estimate_when_switched_on(monkeypatch, capsys):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    monkeypatch.setenv(PROGRESS_VARIABLE, "on")
    monkeypatch.setattr(training, "PROGRESS_REFRESH_SECONDS", 0)  # every batch drawn, however fast
    x, y = tiny_problem()
    run = train(compiled_model(), x, y, epochs=2, batch_size=4, validation_data=(x[:40], y[:40]))
    captured = capsys.readouterr()
    assert "epoch 2/2" in captured.err and "75/75" in captured.err, "a bar per epoch with the batches done"
    assert "accuracy" in captured.err, "the running metrics"
    assert any(character in captured.err for character in PROGRESS_BAR_CHARACTERS)
    # in the words of the cost boxes (cnn_course.run_times.describe_duration)
    estimate = re.compile(rf"This run should take (under a minute|about .+) on this machine "
                          rf"\(from {training.ESTIMATE_BATCHES} batches\)\.")
    assert len([line for line in captured.out.splitlines() if estimate.fullmatch(line)]) == 1
    assert [line.split(":")[0] for line in captured.out.splitlines() if line.startswith("epoch")] == \
        ["epoch 1/2", "epoch 2/2"], "the epoch lines stay"
    assert run.epochs == 2


def test_a_run_too_short_to_time_by_batches_is_estimated_from_its_first_epoch(monkeypatch, capsys):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    monkeypatch.setenv(PROGRESS_VARIABLE, "on")
    x, y = tiny_problem()
    train(compiled_model(), x, y, epochs=3, batch_size=100)
    assert "on this machine (from the first epoch)." in capsys.readouterr().out


def test_no_progress_bar_or_estimate_when_switched_off(monkeypatch, capsys):
    monkeypatch.setenv(MODE_VARIABLE, "full")
    monkeypatch.setenv(PROGRESS_VARIABLE, "off")
    x, y = tiny_problem()
    train(compiled_model(), x, y, epochs=2, batch_size=4)
    captured = capsys.readouterr()
    assert not any(character in captured.out + captured.err for character in PROGRESS_BAR_CHARACTERS)
    assert "should take" not in captured.out and captured.err == ""
    assert len(captured.out.strip().splitlines()) == 3


def test_the_estimate_counts_every_epoch_and_its_validation():
    # 10 epochs of 430 batches at 0.1 s, and 40 validation batches at a third of the cost each
    assert training.estimate_run_seconds(0.1, 430, 10, 40) == pytest.approx(430 + 40 / 3)


TESTS = Path(__file__).parent
NOTEBOOK_TRAINING = """
import os
os.environ["CNN_COURSE_PROGRESS"] = {setting!r}
import sys
sys.path.insert(0, {tests!r})
from test_training import compiled_model, tiny_problem
from cnn_course.training import train
x, y = tiny_problem()
run = train(compiled_model(), x, y, epochs=2, batch_size=4)
"""


@pytest.mark.parametrize("setting", ["on", "off"])
def test_a_jupyter_kernel_shows_a_progress_widget_only_when_switched_on(setting):
    """What a learner sees in Jupyter or Colab (a widget and the estimate), and what `make execute` stores."""
    import nbformat
    from nbclient import NotebookClient
    from test_notebooks import NOISE

    code = NOTEBOOK_TRAINING.format(setting=setting, tests=str(TESTS))
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs if o["output_type"] == "stream")
    assert [line.split(":")[0] for line in text.splitlines() if line.startswith("epoch")] == ["epoch 1/2", "epoch 2/2"]
    if setting == "on":
        assert len(widgets) == 2, "one progress bar per epoch"
        assert all(NOISE.search(w["data"]["text/plain"]) for w in widgets), "the stored-output check catches them"
        assert "This run should take" in text and "on this machine" in text
    else:
        assert widgets == [] and "should take" not in text
        assert not NOISE.search(text)


def test_learning_curves_are_described_from_their_numbers():
    from cnn_course.training import describe_learning_curves

    history = {"accuracy": [0.60, 0.80, 0.85, 0.88, 0.90], "val_accuracy": [0.70, 0.84, 0.86, 0.87, 0.89]}
    assert describe_learning_curves(history) == (
        "validation accuracy above training accuracy in epochs 1 to 3; best validation accuracy 0.8900 at epoch 5 "
        "of 5; at the last epoch, training accuracy still rising, validation accuracy still rising")
    history["val_accuracy"] = [0.70, 0.70, 0.90, 0.80, 0.92][::-1]
    text = describe_learning_curves(TrainingRun(history, seconds=1.0, epochs=5, samples=10))
    assert "in epochs 1 and 3;" in text and "0.9200 at epoch 1 of 5" in text
    assert "validation accuracy no longer rising" in text
    history = {"accuracy": [0.5, 0.6, 0.7, 0.8], "val_accuracy": [0.6, 0.5, 0.8, 0.9]}
    assert "in epochs 1 and 3 to 4;" in describe_learning_curves(history)


def test_learning_curves_without_validation_cannot_be_described():
    from cnn_course.training import describe_learning_curves

    with pytest.raises(ValueError, match="val_accuracy"):
        describe_learning_curves({"accuracy": [0.5, 0.6]})
    assert "below training accuracy in every epoch" in describe_learning_curves(
        {"accuracy": [0.9], "val_accuracy": [0.8]})

"""Training on the mode's share of the data, with a log that suits stored notebook outputs (chapters 6 and 7).

:func:`train` fits a compiled model the way the text says in full mode, and on a small subset for few
epochs in quick mode (tests, CI, a short classroom run), so notebooks hold one line of code for both.
It prints one short line per epoch instead of Keras's progress bars, measures the wall time, and
returns both with the history; :func:`plot_learning_curves` draws that history. Scoring a trained
model is :mod:`cnn_course.evaluation`'s job.

A full-mode epoch can last minutes on a laptop's CPU, so for a person at a notebook or a terminal
:func:`train` also shows a live progress bar within each epoch (batches done, running metrics, time
left; drawn by ``tqdm.auto``, a widget in Jupyter and Colab, text in a terminal) and, after the first
few dozen batches of the real training, an estimate of the whole run's time on this machine. The bars
vanish when their epoch ends, leaving the epoch lines; ``CNN_COURSE_PROGRESS=off`` (set by
``make execute``, the tests and CI) turns them off, so stored outputs never hold them.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from cnn_course.run_times import describe_duration
from cnn_course.settings import by_mode, live_progress, mode

import numpy as np

# Quick mode trains on this many images (and validates on at most QUICK_VALIDATION_SIZE) for at most
# QUICK_EPOCHS epochs: enough for a convnet to beat chance clearly, fast enough for CI.
QUICK_TRAIN_SIZE = 2_000
QUICK_VALIDATION_SIZE = 500
QUICK_EPOCHS = 2

# The live estimate of a run's time leaves out the first ESTIMATE_WARM_UP_BATCHES batches (they include
# building the graph) and times the next ESTIMATE_BATCHES. Scoring a validation batch costs about a third of
# a training batch (a forward pass without the backward one).
ESTIMATE_WARM_UP_BATCHES = 5
ESTIMATE_BATCHES = 30
VALIDATION_BATCH_SHARE = 1 / 3
# A bar redraws at most this often: enough to see it move, cheap for a notebook's front end.
PROGRESS_REFRESH_SECONDS = 0.5


@dataclass
class TrainingRun:
    """What :func:`train` returns: the per-epoch metrics, the wall time and what was trained on."""

    history: dict[str, list[float]]
    seconds: float
    epochs: int
    samples: int
    epoch_seconds: list[float] = field(default_factory=list)

    @property
    def seconds_per_epoch(self) -> float:
        """Mean wall time of one epoch, validation included."""
        return self.seconds / self.epochs

    @property
    def best_epoch(self) -> int | None:
        """The epoch (from 1) with the highest validation accuracy, the one :func:`keep_best_epoch` keeps.

        ``None`` when the run had no validation set. On ties, the first such epoch, as Keras chooses.
        """
        scores = self.history.get("val_accuracy")
        return int(np.argmax(scores)) + 1 if scores else None


def training_size(n: int, quick_size: int = QUICK_TRAIN_SIZE) -> int:
    """How many of ``n`` training examples :func:`train` uses in the current mode."""
    return by_mode(full=n, quick=min(quick_size, n))


def validation_size(n: int) -> int:
    """How many of ``n`` validation examples :func:`train` scores after each epoch in the current mode.

    The number an accuracy from a run's history was measured on, for its standard error.
    """
    return by_mode(full=n, quick=min(QUICK_VALIDATION_SIZE, n))


def training_epochs(epochs: int, quick_epochs: int = QUICK_EPOCHS) -> int:
    """How many of ``epochs`` epochs :func:`train` runs in the current mode."""
    return by_mode(full=epochs, quick=min(quick_epochs, epochs))


def training_steps(n: int, batch_size: int, epochs: int) -> int:
    """Batches in a whole :func:`train` run on ``n`` examples in the current mode (to size a schedule)."""
    return math.ceil(training_size(n) / batch_size) * training_epochs(epochs)


def _format_metrics(logs: dict[str, float]) -> str:
    return ", ".join(f"{name} {value:.4f}" for name, value in logs.items() if name != "learning_rate")


def keep_best_epoch(monitor: str = "val_accuracy"):
    """A callback that ends training with the weights of the epoch whose ``monitor`` was best.

    The last epoch is not always the best: validation accuracy goes up and down from one epoch to the
    next, most with a constant learning rate and dropout. Keras's ``EarlyStopping`` with
    ``restore_best_weights=True`` remembers the best epoch's weights and puts them back at the end; a
    patience no run reaches means it never stops early. The validation set picks the epoch, so the test
    set stays unseen and its score stays an honest estimate.
    """
    import keras

    return keras.callbacks.EarlyStopping(monitor=monitor, mode="min" if "loss" in monitor else "max",
                                         patience=10**9, restore_best_weights=True)


def _epoch_logger(epochs: int, times: list[float]):
    import keras

    class EpochLine(keras.callbacks.Callback):
        """Print one line per epoch: its number, its metrics and its wall time."""

        def on_epoch_begin(self, epoch, logs=None):
            self._start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self._start)
            print(f"epoch {epoch + 1}/{epochs}: {_format_metrics(logs or {})} ({times[-1]:.1f} s)", flush=True)

    return EpochLine()


def estimate_run_seconds(seconds_per_batch: float, steps: int, epochs: int, validation_steps: int = 0) -> float:
    """The whole run's time from the time of one training batch: every epoch's batches, and its validation."""
    return seconds_per_batch * (steps + VALIDATION_BATCH_SHARE * validation_steps) * epochs


def _live_progress(epochs: int, validation_steps: int):
    """A callback that draws a progress bar per epoch and prints, once, an estimate of the whole run's time."""
    import keras
    from tqdm.auto import tqdm

    class LiveProgress(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._steps = self.params.get("steps")
            self._batches = 0
            self._estimated = False
            self._bar = None
            self._timer = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch_start = time.perf_counter()
            self._bar = tqdm(total=self._steps, desc=f"epoch {epoch + 1}/{epochs}", unit="batch", leave=False,
                             dynamic_ncols=True, mininterval=PROGRESS_REFRESH_SECONDS)

        def on_train_batch_end(self, batch, logs=None):
            self._bar.set_postfix_str(_format_metrics(logs or {}), refresh=False)
            self._bar.update(1)
            self._batches += 1
            if self._batches == ESTIMATE_WARM_UP_BATCHES:
                self._timer = time.perf_counter()
            elif not self._estimated and self._steps and \
                    self._batches == ESTIMATE_WARM_UP_BATCHES + ESTIMATE_BATCHES:
                per_batch = (time.perf_counter() - self._timer) / ESTIMATE_BATCHES
                self._say_estimate(estimate_run_seconds(per_batch, self._steps, epochs, validation_steps),
                                   f"from {ESTIMATE_BATCHES} batches")

        def on_epoch_end(self, epoch, logs=None):
            self._close()
            if not self._estimated and epoch == 0 and epochs > 1:  # too few batches to estimate earlier
                self._say_estimate((time.perf_counter() - self._epoch_start) * epochs, "from the first epoch")

        def on_train_end(self, logs=None):
            self._close()

        def _close(self):
            if self._bar is not None:
                self._bar.close()
                self._bar = None

        def _say_estimate(self, seconds: float, basis: str):
            self._estimated = True
            tqdm.write(f"This run should take {describe_duration(seconds)} on this machine ({basis}).")

    return LiveProgress()


def train(model, x, y, *, epochs: int, batch_size: int | None = None, validation_data=None,
          callbacks=(), quick_size: int = QUICK_TRAIN_SIZE, quick_epochs: int = QUICK_EPOCHS,
          log: bool = True) -> TrainingRun:
    """Fit a compiled model on the mode's share of ``x`` and ``y`` and time it.

    Full mode trains on all of ``x`` for ``epochs`` epochs, as the chapter's text says. Quick mode
    trains on the first ``quick_size`` examples (and validates on the first
    ``QUICK_VALIDATION_SIZE`` of ``validation_data``) for at most ``quick_epochs`` epochs.

    Args:
        model: a compiled ``keras.Model``.
        x, y: training inputs and labels (arrays with the examples along the first axis).
        epochs: epochs in full mode.
        batch_size: as in ``model.fit`` (``None``: Keras's default, 32).
        validation_data: ``(x_valid, y_valid)`` scored after every epoch, or ``None``.
        callbacks: extra Keras callbacks.
        log: print one line per epoch (metrics and seconds) and one line before training; with
            ``CNN_COURSE_PROGRESS`` on (the default), also a live progress bar and an estimate of the run's time.

    Returns:
        A :class:`TrainingRun` with the history (``{"loss": [...], "accuracy": [...], ...}``), the
        total wall time in seconds, the epochs and the number of training examples.
    """
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        raise ValueError("compile the model first: model.compile(optimizer=..., loss=..., metrics=[...])")
    if len(x) != len(y):
        raise ValueError(f"x holds {len(x)} examples but y holds {len(y)} labels")
    size = training_size(len(x), quick_size)
    epochs = training_epochs(epochs, quick_epochs)
    x, y = x[:size], y[:size]
    if validation_data is not None:
        x_valid, y_valid = validation_data
        valid_size = validation_size(len(x_valid))
        validation_data = (x_valid[:valid_size], y_valid[:valid_size])
    epoch_seconds: list[float] = []
    if log:
        print(f"Training {model.name} on {size:,} examples for {epochs} epoch{'s' * (epochs > 1)} "
              f"({mode()} mode)", flush=True)
        callbacks = list(callbacks)
        if live_progress():  # before the epoch line, so that each bar is gone when its line prints
            validation_steps = math.ceil(len(validation_data[0]) / (batch_size or 32)) if validation_data else 0
            callbacks.append(_live_progress(epochs, validation_steps))
        callbacks.append(_epoch_logger(epochs, epoch_seconds))
    start = time.perf_counter()
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, validation_data=validation_data,
                        callbacks=list(callbacks), verbose=0)
    seconds = time.perf_counter() - start
    metrics = {name: [float(v) for v in values] for name, values in history.history.items()}
    return TrainingRun(metrics, seconds, epochs, size, epoch_seconds)


def _epoch_ranges(epochs: list[int]) -> str:
    """``[1, 2, 3, 5]`` as "1 to 3 and 5": consecutive epochs joined, for a sentence."""
    ranges, start = [], None
    for index, epoch in enumerate(epochs):
        if start is None:
            start = epoch
        if index + 1 == len(epochs) or epochs[index + 1] != epoch + 1:
            ranges.append(str(start) if start == epoch else f"{start} to {epoch}")
            start = None
    return ", ".join(ranges[:-1]) + (" and " if len(ranges) > 1 else "") + ranges[-1]


def describe_learning_curves(history, metric: str = "accuracy") -> str:
    """What a run's curves show, read from its numbers, as sentences a chapter can print (chapter 7).

    Three readings that the text around a learning curve should not guess, since they change from run to run:
    the epochs where the validation score is above the training one (dropout and augmentation are on while
    the training score is measured, off for validation), the best validation epoch, and whether the last
    epoch still improved the training and validation scores (a run that is still improving could train
    longer).

    Args:
        history: a :class:`TrainingRun`, a Keras ``History`` or its ``history`` dict, with ``metric`` and
            ``val_`` + ``metric``.
    """
    curves = getattr(history, "history", history)
    if metric not in curves or f"val_{metric}" not in curves:
        raise ValueError(f"the history needs {metric!r} and 'val_{metric}', it holds {sorted(curves)}")
    training, validation = list(curves[metric]), list(curves[f"val_{metric}"])
    epochs = len(training)
    above = [epoch for epoch, (t, v) in enumerate(zip(training, validation), start=1) if v > t]
    if not above:
        first = f"validation {metric} below training {metric} in every epoch"
    elif len(above) == epochs:
        first = f"validation {metric} above training {metric} in every epoch"
    else:
        first = f"validation {metric} above training {metric} in epoch{'s' * (len(above) > 1)} {_epoch_ranges(above)}"
    best = int(np.argmax(validation)) + 1
    second = f"best validation {metric} {max(validation):.4f} at epoch {best} of {epochs}"
    if epochs < 2:
        return f"{first}; {second}"

    def trend(values):
        return "still rising" if values[-1] > values[-2] else "no longer rising"

    return (f"{first}; {second}; at the last epoch, training {metric} {trend(training)}, "
            f"validation {metric} {trend(validation)}")


def plot_learning_curves(history, metrics=("loss", "accuracy"), ax=None, title: str | None = None):
    """Draw the training and validation curves of a history, one panel per metric.

    Args:
        history: a :class:`TrainingRun`, a Keras ``History`` or its ``history`` dict.
        metrics: the metric names to draw (their ``val_`` twins are drawn when present).
        ax: axes to draw in, one per metric; new ones when ``None``.

    Returns:
        The list of axes.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    curves = getattr(history, "history", history)
    metrics = [m for m in metrics if m in curves]
    if not metrics:
        raise ValueError(f"none of the metrics is in the history, which holds {sorted(curves)}")
    if ax is None:
        _, ax = plt.subplots(1, len(metrics), figsize=(5 * len(metrics), 3.6), layout="constrained")
    axes = list(np.atleast_1d(ax))
    for axis, metric in zip(axes, metrics):
        epochs = np.arange(1, len(curves[metric]) + 1)
        axis.plot(epochs, curves[metric], "o-", color=OKABE_ITO[4], label="training")
        if f"val_{metric}" in curves:
            axis.plot(epochs, curves[f"val_{metric}"], "s--", color=OKABE_ITO[5], label="validation")
        axis.set_xlabel("epoch")
        axis.set_ylabel(metric)
        axis.set_xticks(epochs)
        axis.grid(alpha=0.3)
        axis.legend()
    if title:
        axes[0].figure.suptitle(title)
    return axes

"""Scoring trained classifiers: accuracy, checked bands, and accuracy under shifted inputs (chapters 6 and 7).

:func:`expect_accuracy` turns "this model reaches 0.985" from a claim into a check that fails loudly in
either mode; :func:`accuracy_by_shift` measures how a classifier copes with digits moved by a few pixels,
the experiment chapter 6 uses to test what pooling's invariance is worth. One training run is one draw:
:func:`accuracy_by_shift_over_seeds` repeats it with several seeds and returns a :class:`ShiftSummary`
(mean, spread and range per shift), :func:`plot_accuracy_bands` draws the seeds' range as a band, and
:func:`compare_at_shift` prints the sentence that compares two models from the numbers of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from cnn_course.experiments import SeedSummary, compare_recipes, single_run_against, summarize_seeds
from cnn_course.settings import by_mode, mode
from cnn_course.transforms import shift_images

import numpy as np

# Quick mode scores on the first QUICK_TEST_SIZE test (or validation) examples (full mode: all of them).
QUICK_TEST_SIZE = 1_000


def _share(x, y):
    size = by_mode(full=len(x), quick=min(QUICK_TEST_SIZE, len(x)))
    return x[:size], y[:size]


def share_of_test_set(x, y):
    """The test examples of the current mode: all in full mode, the first ``QUICK_TEST_SIZE`` in quick mode."""
    return _share(x, y)


def share_of_validation_set(x, y):
    """The validation examples a chapter scores and draws (confusion matrix, mistakes) in the current mode.

    All of them in full mode, the first ``QUICK_TEST_SIZE`` in quick mode, as for the test set: design
    decisions are read from the validation set, and quick mode keeps them cheap.
    """
    return _share(x, y)


def predict_classes(model, x, *, batch_size: int = 256) -> np.ndarray:
    """The most probable class of each example, from a classifier's softmax outputs."""
    return np.argmax(model.predict(x, batch_size=batch_size, verbose=0), axis=1)


def accuracy(model, x, y, *, batch_size: int = 256) -> float:
    """Share of the examples whose most probable class is the label."""
    return float(np.mean(predict_classes(model, x, batch_size=batch_size) == np.asarray(y).ravel()))


def accuracy_with_flips(model, x, y, *, batch_size: int = 256) -> float:
    """Accuracy when each image's class probabilities are averaged with those of its mirror image.

    Test-time augmentation at its simplest: a garment and its mirror image are the same garment, so two looks
    at it can only help, for the price of a second prediction. ``x`` is ``[n, height, width, channels]``.
    """
    x = np.asarray(x)
    probabilities = model.predict(x, batch_size=batch_size, verbose=0)
    probabilities = probabilities + model.predict(x[:, :, ::-1], batch_size=batch_size, verbose=0)
    return float(np.mean(np.argmax(probabilities, axis=1) == np.asarray(y).ravel()))


def expect_accuracy(value: float, *, full: float, quick: float, what: str = "test accuracy") -> str:
    """Check an accuracy against the floor of the current mode and say so in one line.

    Chapters state what their models reach ("at least 0.985 on the test set"); this makes the
    statement a check. Quick mode trains on a fraction of the data, so its floor is lower, but a
    broken model still fails it.

    Raises:
        AssertionError: the accuracy is below the current mode's floor (or is not a number).
    """
    floor = by_mode(full=full, quick=quick)
    if not value >= floor:
        raise AssertionError(f"{what} {value:.4f} is below {floor} ({mode()} mode): the model or its "
                             "data is broken")
    return f"{what} {value:.4f} >= {floor} ({mode()} mode)"


def accuracy_by_shift(model, x, y, shifts: Iterable[int] = range(5), *, dx: int = 1, dy: int = 0,
                      batch_size: int = 256) -> dict[int, float]:
    """Accuracy on the examples moved by ``shift * dx`` pixels right and ``shift * dy`` down, per shift.

    ``x`` is a batch ``[n, height, width, channels]``; uncovered pixels are filled with 0, the
    background of MNIST after scaling to [0, 1].
    """
    return {shift: accuracy(model, shift_images(x, dx=shift * dx, dy=shift * dy), y, batch_size=batch_size)
            for shift in shifts}


@dataclass(frozen=True)
class ShiftSummary:
    """Accuracy by shift over several training runs (one per seed) of the same model.

    ``runs`` maps each seed to its curve ``{shift: accuracy}``; every curve has the same shifts. ``images`` is
    the number of examples each accuracy was measured on, when known. The properties give, per shift, the mean,
    the spread (the sample standard deviation, 0 for one run) and the lowest and highest accuracy of the runs,
    each read from :func:`cnn_course.experiments.summarize_seeds`.
    """

    runs: Mapping[int, Mapping[int, float]]
    images: int | None = None

    def __post_init__(self):
        if not self.runs:
            raise ValueError("a summary needs at least one run")
        shifts = {tuple(sorted(curve)) for curve in self.runs.values()}
        if len(shifts) != 1:
            raise ValueError(f"every run must be measured at the same shifts, got {sorted(shifts)}")

    @property
    def seeds(self) -> tuple[int, ...]:
        return tuple(self.runs)

    @property
    def shifts(self) -> tuple[int, ...]:
        return tuple(sorted(next(iter(self.runs.values()))))

    def at(self, shift: int) -> dict[int, float]:
        """The accuracy of each seed's run at one shift, ``{seed: accuracy}``."""
        return {seed: curve[shift] for seed, curve in self.runs.items()}

    def summary(self, shift: int) -> SeedSummary:
        return summarize_seeds(self.at(shift))

    def _per_shift(self, statistic: str) -> dict[int, float]:
        return {shift: float(getattr(self.summary(shift), statistic)) for shift in self.shifts}

    @property
    def mean(self) -> dict[int, float]:
        return self._per_shift("mean")

    @property
    def spread(self) -> dict[int, float]:
        """The sample standard deviation over the runs (``ddof=1``), 0 when there is one run."""
        return self._per_shift("std")

    @property
    def low(self) -> dict[int, float]:
        return self._per_shift("low")

    @property
    def high(self) -> dict[int, float]:
        return self._per_shift("high")


def accuracy_by_shift_over_seeds(train_model: Callable[[int], object], x, y, *, seeds: Iterable[int],
                                 shifts: Iterable[int] = range(5), trained: Mapping[int, object] | None = None,
                                 dx: int = 1, dy: int = 0, batch_size: int = 256) -> ShiftSummary:
    """:func:`accuracy_by_shift` for one model trained once per seed, gathered in a :class:`ShiftSummary`.

    Args:
        train_model: ``train_model(seed)`` returns a trained model; the chapter's own code (seed, build,
            compile, train), so that its training logs print as usual.
        x, y: the examples to shift and score, ``[n, height, width, channels]`` and their labels.
        seeds: one run per seed, in this order.
        trained: models already trained, by seed (chapter 6 trains its first convnet earlier on the page):
            they are measured, not trained again.
    """
    trained = dict(trained or {})
    shifts = list(shifts)
    runs = {}
    for seed in seeds:
        model = trained[seed] if seed in trained else train_model(seed)
        runs[seed] = accuracy_by_shift(model, x, y, shifts, dx=dx, dy=dy, batch_size=batch_size)
    return ShiftSummary(runs, images=len(x))


def compare_at_shift(name_a: str, a: ShiftSummary, name_b: str, b: ShiftSummary, shift: int) -> str:
    """One sentence comparing two models at one shift, from the numbers of this run only.

    It gives each model's mean (with its seeds' range, or "1 seed"), then the verdict of
    :mod:`cnn_course.experiments`: a paired comparison on the seeds both models were trained with (at least two),
    or a single run against the other model's seeds, with the interval or the words "cannot tell".
    """
    def described(name, summary):
        runs, mean = len(summary.runs), summary.mean[shift]
        if runs == 1:
            return f"{name} {mean:.4f} (1 seed)"
        return f"{name} {mean:.4f} ({summary.low[shift]:.4f} to {summary.high[shift]:.4f} over {runs} seeds)"

    first, second = sorted(((name_a, a), (name_b, b)), key=lambda item: -item[1].mean[shift])
    text = f"at {shift} pixel{'s' * (shift != 1)}: {described(*first)}, {described(*second)}"
    shared = [seed for seed in first[1].seeds if seed in second[1].runs]
    if len(shared) >= 2:
        verdict = compare_recipes(first[0], {seed: first[1].runs[seed][shift] for seed in shared},
                                  second[0], {seed: second[1].runs[seed][shift] for seed in shared})
    else:
        single, many = (first, second) if len(first[1].runs) <= len(second[1].runs) else (second, first)
        verdict = single_run_against(single[0], single[1].mean[shift], many[0], many[1].at(shift))
    return f"{text}: {verdict}"


def plot_accuracy_bands(summaries: Mapping[str, ShiftSummary], ax=None, title: str | None = None):
    """Accuracy against shift, one line per model (the mean over seeds) and a band for the seeds' range.

    A model measured with one seed is drawn as a dashed line without band; the legend gives each model's
    number of seeds, so a reader knows which curves are one draw.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
    markers = "osD^v"
    for index, (name, summary) in enumerate(summaries.items()):
        colour = OKABE_ITO[(4, 5, 2, 0, 6)[index % 5]]
        shifts = summary.shifts
        runs = len(summary.runs)
        ax.plot(shifts, [summary.mean[s] for s in shifts], marker=markers[index % len(markers)], color=colour,
                linewidth=2, linestyle="-" if runs > 1 else "--",
                label=f"{name} ({runs} seed{'s' * (runs > 1)})")
        if runs > 1:
            ax.fill_between(shifts, [summary.low[s] for s in shifts], [summary.high[s] for s in shifts],
                            color=colour, alpha=0.2, linewidth=0)
    ax.set_xlabel("shift to the right (pixels)")
    ax.set_ylabel("test accuracy")
    ax.set_xticks(sorted({s for summary in summaries.values() for s in summary.shifts}))
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def plot_accuracy_by_shift(curves: dict[str, dict[int, float]], ax=None, title: str | None = None):
    """Draw accuracy against shift, one line per model (``{"model name": {shift: accuracy}}``)."""
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
    markers = "osD^v"
    for index, (name, curve) in enumerate(curves.items()):
        shifts = sorted(curve)
        ax.plot(shifts, [curve[s] for s in shifts], marker=markers[index % len(markers)],
                color=OKABE_ITO[(4, 5, 2, 0, 6)[index % 5]], label=name, linewidth=2)
    ax.set_xlabel("shift to the right (pixels)")
    ax.set_ylabel("test accuracy")
    ax.set_xticks(sorted({s for curve in curves.values() for s in curve}))
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return ax


def most_confused_pairs(y_true, y_pred, class_names, top: int = 5) -> list[tuple[str, str, int]]:
    """The ``top`` most frequent mistakes, as (true class, predicted class, count), most frequent first.

    Ties keep the order of the classes.

    Counts come from ``sklearn.metrics.confusion_matrix``; the diagonal (right answers) is left out.
    """
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(y_true, y_pred, labels=range(len(class_names)))
    np.fill_diagonal(matrix, 0)
    pairs = sorted(zip(*np.nonzero(matrix)), key=lambda pair: (-matrix[pair], pair))[:top]
    return [(class_names[t], class_names[p], int(matrix[t, p])) for t, p in pairs]


def plot_misclassified(images, y_true, y_pred, class_names, n: int = 12, ncols: int = 6):
    """A gallery of the first ``n`` misclassified images, each titled with its true and predicted class."""
    import matplotlib.pyplot as plt

    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))[:n]
    if wrong.size == 0:
        raise ValueError("no misclassified image to show")
    nrows = int(np.ceil(len(wrong) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.9 * ncols, 2.3 * nrows), layout="constrained", squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, wrong):
        ax.imshow(np.squeeze(images[index]), cmap="gray")
        ax.set_title(f"true: {class_names[y_true[index]]}\npredicted: {class_names[y_pred[index]]}", fontsize=9)
    return fig


def plot_top_probabilities(images, probabilities, class_names, top: int = 3):
    """Each image beside a bar chart of its ``top`` most probable classes (chapter 7's predictions)."""
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(images), 2, figsize=(7, 1.9 * len(images)), layout="constrained",
                             squeeze=False, gridspec_kw={"width_ratios": [1, 2.4]})
    for (image_ax, bar_ax), image, p in zip(axes, images, probabilities):
        image_ax.imshow(np.squeeze(image), cmap="gray")
        image_ax.axis("off")
        best = np.argsort(p)[::-1][:top]
        bar_ax.barh(range(top), p[best][::-1], color=OKABE_ITO[4])
        bar_ax.set_yticks(range(top), [class_names[c] for c in best[::-1]])
        bar_ax.set_xlim(0, 1)
        for row, value in enumerate(p[best][::-1]):
            bar_ax.text(min(value + 0.02, 0.85), row, f"{value:.3f}", va="center")
        bar_ax.set_xlabel("probability")
    return fig

"""Reusing a trained convnet for a new task with few labels, offline (chapter 8).

Chapter 8 repeats the experiment of Géron's chapter 11 with seeds: a network trained on eight Fashion-MNIST classes
(the *base task*) is reused for the two classes held out (the *new task*), learned from a few hundred labelled
images. This module holds the plumbing; the chapter writes out the lesson's code (the augmentation, the new head,
the top convolution unfrozen with batch normalisation kept frozen, the fits of the four ways and their control):

- :class:`ClassSplit`: which two classes are held out, and the two tasks' images with their labels renumbered;
  :func:`hardest_pair` chooses the pair a trained classifier confuses most, on the validation set;
- :func:`label_budget`: a balanced sample of a few labelled images, drawn from a seed;
- :func:`with_new_head` and :func:`convolutional_base`: chapter 7's compact model with another number of classes,
  and its body up to global average pooling (the part that is reused);
- :func:`transfer_plan`: the experiment's sizes in the current mode (:func:`cnn_course.by_mode`), and
  :func:`repeated_batches`, which trains every fit for the same number of steps whatever its budget;
- :func:`score`: the accuracy of many small models, each scored once;
- :func:`plot_gain_by_budget`: validation accuracy against the number of labels, one line per way of learning, and
  :func:`plot_transfer_curves`: the learning curves of the ways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnn_course.settings import by_mode

import numpy as np

FASHION_MNIST_CLASSES = 10


@dataclass(frozen=True)
class ClassSplit:
    """Ten classes split into a base task (eight) and a new task (the two ``held_out``, in that order).

    The base task's labels are renumbered 0 to 7 in the order of ``kept``; the new task's are 0 for
    ``held_out[0]`` and 1 for ``held_out[1]``.
    """

    held_out: tuple[int, int]
    classes: int = FASHION_MNIST_CLASSES

    def __post_init__(self):
        first, second = self.held_out
        if first == second or not (0 <= first < self.classes and 0 <= second < self.classes):
            raise ValueError(f"hold out two different classes among 0 to {self.classes - 1}, got {self.held_out}")

    @property
    def kept(self) -> tuple[int, ...]:
        return tuple(label for label in range(self.classes) if label not in self.held_out)

    def base_task(self, x, y):
        """The images of the eight kept classes, with labels 0 to 7."""
        y = np.asarray(y)
        chosen = np.isin(y, self.kept)
        renumber = np.full(self.classes, -1)
        renumber[list(self.kept)] = np.arange(len(self.kept))
        return x[chosen], renumber[y[chosen]]

    def new_task(self, x, y):
        """The images of the two held-out classes, with labels 0 (``held_out[0]``) and 1 (``held_out[1]``)."""
        y = np.asarray(y)
        chosen = np.isin(y, self.held_out)
        return x[chosen], (y[chosen] == self.held_out[1]).astype(int)


def confusions(y_true, y_pred, classes: int = FASHION_MNIST_CLASSES) -> np.ndarray:
    """How often each pair of classes is mistaken for each other, both ways summed: a symmetric [classes, classes]."""
    from sklearn.metrics import confusion_matrix

    matrix = confusion_matrix(y_true, y_pred, labels=range(classes))
    np.fill_diagonal(matrix, 0)
    return matrix + matrix.T


def hardest_pair(y_true, y_pred, classes: int = FASHION_MNIST_CLASSES) -> tuple[int, int, int]:
    """The two classes a classifier confuses most (both ways summed): ``(first, second, mistakes)``, first < second.

    Ties go to the pair that comes first in class order. Read it from the validation set: the test set decides
    nothing.
    """
    both_ways = confusions(y_true, y_pred, classes)
    first, second = np.unravel_index(np.argmax(np.triu(both_ways, k=1)), both_ways.shape)
    return int(first), int(second), int(both_ways[first, second])


def label_budget(y, n: int, seed: int) -> np.ndarray:
    """Indices of ``n`` labelled examples, half from each class of a two-class task, drawn from ``seed``, shuffled.

    The same seed draws the same images for every way of learning, so a paired comparison compares the ways on the
    same few labels; another seed draws other images, and that luck is part of the spread over seeds.
    """
    y = np.asarray(y)
    if n % 2:
        raise ValueError(f"a budget is split evenly between the two classes: give an even number, not {n}")
    rng = np.random.default_rng(seed)
    chosen = []
    for label in (0, 1):
        candidates = np.flatnonzero(y == label)
        if len(candidates) < n // 2:
            raise ValueError(f"class {label} has {len(candidates)} examples, fewer than the {n // 2} asked for")
        chosen.append(rng.choice(candidates, n // 2, replace=False))
    return rng.permutation(np.concatenate(chosen))


def with_new_head(model, classes: int, name: str | None = None):
    """The same network with its last layer replaced by a new ``Dense(classes, softmax)``, freshly initialised.

    Chapter 8 builds chapter 7's compact model this way for eight classes (the base task) and for two (the new
    task from scratch), so that the recipe itself stays in :func:`cnn_course.models.fashion_mnist_compact`.
    """
    import keras

    features = model.layers[-2].output
    outputs = keras.layers.Dense(classes, activation="softmax", name=f"dense_{classes}_classes")(features)
    return keras.Model(model.inputs[0], outputs, name=name or f"{model.name}_{classes}_classes")


def convolutional_base(model, name: str = "base"):
    """Everything of a trained classifier but its last (dense) layer: images in, the features the head read out.

    For chapter 7's compact model, the 64 global averages of its last feature maps. The layers are the model's
    own (shared, not copied): freezing or training them changes the model too.
    """
    import keras

    return keras.Model(model.inputs[0], model.layers[-2].output, name=name)


@dataclass(frozen=True)
class TransferPlan:
    """The sizes of chapter 8's transfer experiment in one mode.

    Each fit from scratch and each new head trains for ``steps`` batches of ``batch_size`` images, whatever the
    budget (a small budget is seen more often), in ``rounds`` rounds with a validation score after each (its
    learning curve); fine-tuning trains ``fine_tune_steps`` more, in as many rounds, and so does its control (the
    feature-extraction head alone, trained as long).
    """

    budgets: tuple[int, ...]
    seeds: tuple[int, ...]
    steps: int
    fine_tune_steps: int
    batch_size: int = 32
    rounds: int = 10

    def steps_per_round(self, steps: int | None = None) -> int:
        """Training steps between two validation scores, for a fit of ``steps`` (default ``self.steps``)."""
        return max(1, (self.steps if steps is None else steps) // self.rounds)


# Full mode: three label budgets, five seeds (each fit is cheap: 200 batches of 32 images; 75 fits in all, the four
# ways and the control). Quick mode: enough to run.
FULL_PLAN = TransferPlan(budgets=(100, 300, 1000), seeds=(0, 1, 2, 3, 4), steps=200, fine_tune_steps=100)
QUICK_PLAN = TransferPlan(budgets=(40,), seeds=(0, 1), steps=30, fine_tune_steps=15, rounds=3)


def transfer_plan() -> TransferPlan:
    """The transfer experiment's sizes in the current mode: :data:`FULL_PLAN` or :data:`QUICK_PLAN`."""
    return by_mode(full=FULL_PLAN, quick=QUICK_PLAN)


def repeated_batches(x, y, batch_size: int, seed: int):
    """A ``tf.data`` pipeline of shuffled batches of ``(x, y)`` that never ends, reshuffled at each pass.

    ``model.fit(repeated_batches(...), epochs=rounds, steps_per_epoch=steps)`` then trains for exactly
    ``rounds * steps`` batches whatever the number of images, with a validation score after each round: a budget
    of 100 images and one of 1,000 get the same training, and the same points on their learning curves.
    """
    import tensorflow as tf

    return (tf.data.Dataset.from_tensor_slices((x, y))
            .shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
            .repeat()
            .batch(batch_size))


def score(model, x, y, batch_size: int = 1000) -> float:
    """Accuracy of a classifier, from direct calls in inference mode.

    The same number as :func:`cnn_course.evaluation.accuracy`, without tracing a prediction function for each
    model: chapter 8 scores dozens of small models once each.
    """
    predictions = [np.argmax(np.asarray(model(x[start:start + batch_size], training=False)), axis=1)
                   for start in range(0, len(x), batch_size)]
    return float(np.mean(np.concatenate(predictions) == np.asarray(y).ravel()))


WAY_COLOURS = (4, 5, 2, 0, 6)  # indices into cnn_course.diagrams.OKABE_ITO, one per way, in the order given
WAY_MARKERS = "osD^v"


def plot_transfer_curves(curves: Mapping[str, tuple[Sequence[int], Sequence[float]]], ax=None,
                         title: str | None = None):
    """Validation accuracy against the training step, one line per way, coloured as in :func:`plot_gain_by_budget`.

    Args:
        curves: ``{way: (steps, accuracies)}``, as :func:`learning_curve` returns them.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.6, 4.2), layout="constrained")
    for index, (way, (steps, values)) in enumerate(curves.items()):
        ax.plot(steps, values, marker=WAY_MARKERS[index % len(WAY_MARKERS)], linewidth=2, label=way,
                color=OKABE_ITO[WAY_COLOURS[index % len(WAY_COLOURS)]])
    ax.set_xlabel("training steps")
    ax.set_ylabel("validation accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_gain_by_budget(scores: Mapping[str, Mapping[int, Mapping[int, float]]], ax=None,
                        title: str | None = None, ylabel: str = "validation accuracy"):
    """Accuracy against the number of labels, one line per way (mean over seeds) with a band for the seeds' range.

    Args:
        scores: ``{way: {budget: {seed: accuracy}}}``.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.6, 4.2), layout="constrained")
    for index, (way, by_budget) in enumerate(scores.items()):
        budgets = sorted(by_budget)
        values = [np.asarray(list(by_budget[budget].values())) for budget in budgets]
        colour = OKABE_ITO[WAY_COLOURS[index % len(WAY_COLOURS)]]
        ax.plot(budgets, [v.mean() for v in values], marker=WAY_MARKERS[index % len(WAY_MARKERS)], color=colour,
                linewidth=2, label=f"{way} ({len(values[0])} seeds)")
        ax.fill_between(budgets, [v.min() for v in values], [v.max() for v in values], color=colour, alpha=0.15,
                        linewidth=0)
    ax.set_xscale("log")
    budgets = sorted({budget for by_budget in scores.values() for budget in by_budget})
    ax.set_xticks(budgets, [f"{budget:,}" for budget in budgets])
    ax.minorticks_off()
    ax.set_xlabel("labelled images of the new task (log scale)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def learning_curve(history, steps_per_round: int, start_step: int = 0) -> tuple[list[int], list[float]]:
    """The validation accuracies of a Keras history against the training step after which each was measured.

    One score per round of ``steps_per_round`` steps; ``start_step`` shifts a curve that continues another fit
    (fine-tuning after its new head's training).
    """
    history = getattr(history, "history", history)
    scores = [float(value) for value in history.get("val_accuracy", [])]
    return [start_step + (index + 1) * steps_per_round for index in range(len(scores))], scores

"""Homework 7, the Fashion-MNIST project: a model, its training plan and its augmentation, designed on the
validation set.

Replace each ``raise NotImplementedError`` with your code; README.md says what each part must do. Check the
rules with ``pytest`` in this folder, and measure with ``python run_project.py fashion_project.py --quick``
(seconds), then without ``--quick`` (the real run).
"""

EPOCHS = 10  # the number of epochs run_project.py trains for
BATCH_SIZE = 128


def build_model():
    """A Keras model: standardised images [28, 28, 1] in, 10 class probabilities (softmax) out, at most 100,000
    parameters."""
    raise NotImplementedError("build_model")


def compile_model(model, total_steps):
    """Compile ``model`` (optimizer, sparse categorical cross-entropy, accuracy) for ``total_steps`` batches."""
    raise NotImplementedError("compile_model")


def augment(images, rng):
    """A new version of the training images [n, 28, 28, 1] for one epoch: each shifted by at most 2 pixels in each
    direction, and mirrored left-right with probability 1/2, drawn from the NumPy generator ``rng``.
    Same shape and dtype; never flipped upside down."""
    raise NotImplementedError("augment")

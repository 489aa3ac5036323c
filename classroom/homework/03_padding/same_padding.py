"""Homework 3: "same" padding written out, so that a "valid" convolution of the padded input gives "same".

Use NumPy and the standard library only (no TensorFlow, Keras or cnn_course).
Replace each ``raise NotImplementedError`` with your code; README.md says what each function must do.
Check yourself with ``pytest`` in this folder.
"""

import numpy as np  # noqa: F401  (you will need it)


def same_padding(n, kernel_size, stride=1):
    """(before, after): the zeros TensorFlow adds to an axis of ``n`` inputs for "same" padding."""
    raise NotImplementedError("same_padding")


def pad_same(images, kernel_size, stride=1, mode="constant"):
    """Images [batch, height, width, channels] padded on both spatial axes as "same" pads them.

    ``mode`` is "constant" (zeros), "reflect" or "symmetric", as in ``tf.pad``.
    """
    raise NotImplementedError("pad_same")

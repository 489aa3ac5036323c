"""Homework 5: average pooling, "valid" and "same", and global average pooling.

Use NumPy and the standard library only (no TensorFlow, Keras or cnn_course).
Replace each ``raise NotImplementedError`` with your code; README.md says what each function must do.
Check yourself with ``pytest`` in this folder.
"""

import numpy as np  # noqa: F401  (you will need it)


def average_pool2d(x, pool_size=2, strides=None, padding="valid"):
    """Average pooling of feature maps [batch, height, width, channels], as Keras's AveragePooling2D computes it.

    Square windows of ``pool_size``; ``strides`` defaults to the pool size; ``padding`` "valid" or "same".
    Returns float32 [batch, out_height, out_width, channels].
    """
    raise NotImplementedError("average_pool2d")


def global_average_pool(x):
    """The mean of each feature map: [batch, height, width, channels] -> [batch, channels]."""
    raise NotImplementedError("global_average_pool")

"""Homework 2: a convolutional layer from scratch, its parameters and its memory.

Use NumPy only (no TensorFlow, Keras, SciPy or cnn_course): the point is to write what they do.
Replace each ``raise NotImplementedError`` with your code; README.md says what each function must do.
Check yourself with ``pytest`` in this folder.
"""

import numpy as np  # noqa: F401  (you will need it)


def conv2d(inputs, kernels, biases, stride=1):
    """The output of a convolutional layer with "valid" padding, as ``tf.nn.conv2d`` computes it, plus biases.

    inputs [batch, height, width, in_channels], kernels [kernel_height, kernel_width, in_channels, filters],
    biases [filters]; returns float32 [batch, out_height, out_width, filters].
    """
    raise NotImplementedError("conv2d")


def conv_parameters(kernel_size, in_channels, filters):
    """Weights and biases of a Conv2D layer of ``filters`` square kernels on ``in_channels`` channels."""
    raise NotImplementedError("conv_parameters")


def feature_map_bytes(batch, height, width, kernel_size, filters, stride=1, bytes_per_value=4):
    """Bytes of the feature maps such a layer ("valid" padding) outputs for a batch of images."""
    raise NotImplementedError("feature_map_bytes")

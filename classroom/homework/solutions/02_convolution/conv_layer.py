"""Homework 2, reference solution: a convolutional layer from scratch, its parameters and its memory."""

import numpy as np


def conv2d(inputs, kernels, biases, stride=1):
    inputs = np.asarray(inputs, dtype=np.float64)
    kernels = np.asarray(kernels, dtype=np.float64)
    batch, height, width, _ = inputs.shape
    kernel_height, kernel_width, _, filters = kernels.shape
    out_height = (height - kernel_height) // stride + 1
    out_width = (width - kernel_width) // stride + 1
    outputs = np.zeros((batch, out_height, out_width, filters))
    for i in range(out_height):
        for j in range(out_width):
            window = inputs[:, i * stride:i * stride + kernel_height, j * stride:j * stride + kernel_width, :]
            outputs[:, i, j, :] = np.tensordot(window, kernels, axes=([1, 2, 3], [0, 1, 2]))
    return (outputs + np.asarray(biases)).astype(np.float32)


def conv_parameters(kernel_size, in_channels, filters):
    return filters * (kernel_size * kernel_size * in_channels + 1)


def feature_map_bytes(batch, height, width, kernel_size, filters, stride=1, bytes_per_value=4):
    out_height = (height - kernel_size) // stride + 1
    out_width = (width - kernel_size) // stride + 1
    return batch * out_height * out_width * filters * bytes_per_value

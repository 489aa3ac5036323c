"""Homework 3, reference solution: "same" padding written out, so that a "valid" convolution gives "same"."""

import math

import numpy as np


def same_padding(n, kernel_size, stride=1):
    total = max((math.ceil(n / stride) - 1) * stride + kernel_size - n, 0)
    return total // 2, total - total // 2


def pad_same(images, kernel_size, stride=1, mode="constant"):
    images = np.asarray(images)
    rows = same_padding(images.shape[1], kernel_size, stride)
    columns = same_padding(images.shape[2], kernel_size, stride)
    return np.pad(images, [(0, 0), rows, columns, (0, 0)], mode=mode)

"""Homework 4, reference solution: how many outputs a strided or dilated layer has, and what "valid" never reads."""

import math


def output_size(n, kernel_size, stride=1, padding="valid", dilation=1):
    if padding == "same":
        return math.ceil(n / stride)
    span = dilation * (kernel_size - 1) + 1
    return (n - span) // stride + 1


def ignored_inputs(n, kernel_size, stride=1):
    windows = output_size(n, kernel_size, stride)
    read = {start * stride + offset for start in range(windows) for offset in range(kernel_size)}
    return [index for index in range(n) if index not in read]

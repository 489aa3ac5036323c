"""Homework 1: a model simple cell, its tuning curve, and what weight sharing saves.

Replace each ``raise NotImplementedError`` with your code; README.md says what each function must do.
Check yourself with ``pytest`` in this folder.
"""

import numpy as np  # noqa: F401  (you will need it)


def gabor_kernel(size, orientation_degrees, wavelength=6.0, sigma=3.0):
    """A model simple cell: a [size, size] float32 Gabor kernel tuned to bars at ``orientation_degrees``.

    Orientations as ``cnn_course.filters.oriented_bar`` draws them (0 = horizontal, 90 = vertical,
    counter-clockwise as seen on screen). ``size`` is odd; the kernel has zero mean and unit L2 norm.
    """
    raise NotImplementedError("gabor_kernel")


def tuning_curve(kernel, angles_degrees, bar_size=64, bar_width=3.0):
    """The cell's strongest rectified response to a bar at each angle: float array [len(angles_degrees)]."""
    raise NotImplementedError("tuning_curve")


def preferred_orientation(kernel, angles_degrees):
    """The angle of ``angles_degrees`` at which the cell responds most."""
    raise NotImplementedError("preferred_orientation")


def parameter_counts(height, width, channels, units, filters, kernel_size):
    """(parameters of a Dense layer of ``units`` on the flattened image, parameters of a Conv2D layer of
    ``filters`` square kernels of ``kernel_size`` on the image), biases included."""
    raise NotImplementedError("parameter_counts")

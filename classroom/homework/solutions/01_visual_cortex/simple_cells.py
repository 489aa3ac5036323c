"""Homework 1, reference solution: a model simple cell, its tuning curve, and what weight sharing saves."""

from cnn_course.filters import oriented_bar

import numpy as np
from scipy.signal import correlate2d


def gabor_kernel(size, orientation_degrees, wavelength=6.0, sigma=3.0):
    half = size // 2
    rows, cols = np.mgrid[-half:half + 1, -half:half + 1]
    theta = np.deg2rad(orientation_degrees)
    across = cols * np.sin(theta) + rows * np.cos(theta)  # distance across a bar at this orientation
    kernel = np.exp(-(rows**2 + cols**2) / (2 * sigma**2)) * np.cos(2 * np.pi * across / wavelength)
    kernel -= kernel.mean()
    return (kernel / np.linalg.norm(kernel)).astype(np.float32)


def tuning_curve(kernel, angles_degrees, bar_size=64, bar_width=3.0):
    responses = []
    for angle in angles_degrees:
        bar = oriented_bar(size=bar_size, angle_degrees=angle, width=bar_width)
        responses.append(np.maximum(correlate2d(bar, kernel, mode="same"), 0).max())
    return np.array(responses, dtype=np.float32)


def preferred_orientation(kernel, angles_degrees):
    return float(np.asarray(angles_degrees)[np.argmax(tuning_curve(kernel, angles_degrees))])


def parameter_counts(height, width, channels, units, filters, kernel_size):
    dense = height * width * channels * units + units
    conv = filters * (kernel_size * kernel_size * channels + 1)
    return dense, conv

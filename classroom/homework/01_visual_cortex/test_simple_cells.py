"""Grading tests of homework 1 (simple cells): each test is one point."""

from cnn_course.filters import oriented_bar

import keras
import numpy as np
import tensorflow as tf

SUBMISSION = "simple_cells.py"
ANGLES = np.arange(0, 180, 15)


def measured_tuning(kernel, angles=ANGLES):
    """The course's own measurement (chapter 1): the strongest ReLU response of the cell to each bar."""
    bars = np.stack([oriented_bar(64, angle, 3.0) for angle in angles])[..., np.newaxis]
    filters = np.asarray(kernel, dtype=np.float32)[:, :, np.newaxis, np.newaxis]
    responses = tf.nn.relu(tf.nn.conv2d(bars, filters, strides=1, padding="SAME"))
    return tf.reduce_max(responses, axis=[1, 2, 3]).numpy()


def angular_distance(a, b):
    difference = abs(a - b) % 180
    return min(difference, 180 - difference)


def test_the_kernel_has_the_shape_zero_mean_and_unit_norm_asked(submission):
    for size in (9, 15):
        kernel = np.asarray(submission.gabor_kernel(size, 30))
        assert kernel.shape == (size, size)
        assert abs(kernel.mean()) < 1e-5, "a simple cell must not respond to uniform brightness: zero mean"
        assert np.isclose(np.linalg.norm(kernel), 1, atol=1e-4), "normalise the kernel to unit L2 norm"


def test_each_cell_prefers_the_orientation_it_was_built_for(submission):
    for orientation in ANGLES:
        tuning = measured_tuning(submission.gabor_kernel(15, orientation))
        preferred = ANGLES[np.argmax(tuning)]
        assert angular_distance(preferred, orientation) <= 7.5, \
            f"a cell built for {orientation}° fires most for bars at {preferred}° (check the orientation convention)"


def test_a_cell_is_selective(submission):
    for orientation in (0, 45, 90, 135):
        tuning = measured_tuning(submission.gabor_kernel(15, orientation))
        orthogonal = tuning[list(ANGLES).index((orientation + 90) % 180)]
        ratio = tuning.max() / max(orthogonal, 1e-6)
        assert ratio >= 3, f"the {orientation}° cell fires only {ratio:.1f}x more than for a bar at right angles"


def test_a_wider_window_tunes_the_cell_more_sharply(submission):
    fine = np.arange(0, 180, 5)
    widths = []
    for sigma in (2.0, 5.0):
        tuning = measured_tuning(submission.gabor_kernel(21, 30, sigma=sigma), fine)
        widths.append((tuning >= tuning.max() / 2).sum())
    assert widths[1] < widths[0], "a longer receptive field (larger sigma) should respond to fewer orientations"


def test_the_tuning_curve_is_the_strongest_rectified_response(submission):
    kernel = np.random.default_rng(1).normal(size=(7, 7)).astype(np.float32)
    curve = np.asarray(submission.tuning_curve(kernel, ANGLES))
    assert curve.shape == ANGLES.shape
    np.testing.assert_allclose(curve, measured_tuning(kernel), rtol=1e-4, atol=1e-5)


def test_the_preferred_orientation_is_the_peak_of_the_curve(submission):
    kernel = np.random.default_rng(2).normal(size=(9, 9)).astype(np.float32)
    assert submission.preferred_orientation(kernel, ANGLES) == ANGLES[np.argmax(measured_tuning(kernel))]


def test_parameter_counts_match_keras(submission):
    for height, width, channels, units, filters, kernel_size in [(100, 100, 1, 1000, 32, 3), (32, 48, 3, 64, 16, 5)]:
        dense = keras.layers.Dense(units)
        dense.build((None, height * width * channels))
        conv = keras.layers.Conv2D(filters, kernel_size)
        conv.build((None, height, width, channels))
        assert tuple(submission.parameter_counts(height, width, channels, units, filters, kernel_size)) == \
            (dense.count_params(), conv.count_params())

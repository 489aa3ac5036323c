"""Grading tests of homework 3 ("same" padding by hand): each test is one point."""

import itertools

import numpy as np
import tensorflow as tf

SUBMISSION = "same_padding.py"
ALLOWED_IMPORTS = {"numpy", "math", "itertools", "functools", "typing", "__future__"}
CASES = list(itertools.product(range(1, 13), range(1, 7), range(1, 4)))  # n, kernel size, stride


def images_and_kernel(height, width, kernel_size, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.normal(size=(2, height, width, 3)).astype(np.float32)
    kernel = rng.normal(size=(kernel_size, kernel_size, 3, 2)).astype(np.float32)
    return images, kernel


def test_the_total_padding_is_the_least_that_fits_ceil_n_over_stride_windows(submission):
    def windows(n, total, kernel_size, stride):
        return (n + total - kernel_size) // stride + 1

    for n, kernel_size, stride in CASES:
        before, after = submission.same_padding(n, kernel_size, stride)
        assert before >= 0 and after >= 0
        found = windows(n, before + after, kernel_size, stride)
        assert found == -(-n // stride), f"n={n}, kernel {kernel_size}, stride {stride}: {found} windows"
        assert before + after == 0 or windows(n, before + after - 1, kernel_size, stride) < found, \
            f"n={n}, kernel {kernel_size}, stride {stride}: {before + after} zeros, more than the windows need"


def test_an_odd_total_puts_the_extra_zero_after(submission):
    assert tuple(submission.same_padding(5, 4, 1)) == (1, 2)
    for n, kernel_size, stride in CASES:
        before, after = submission.same_padding(n, kernel_size, stride)
        assert after - before in (0, 1), f"n={n}, kernel {kernel_size}, stride {stride}: {before} before, {after} after"


def test_valid_on_the_padded_input_equals_same(submission):
    for n, kernel_size, stride in CASES[::3]:
        images, kernel = images_and_kernel(n, n + 1, kernel_size, seed=n)
        padded = np.asarray(submission.pad_same(images, kernel_size, stride))
        mine = tf.nn.conv2d(padded, kernel, strides=stride, padding="VALID").numpy()
        same = tf.nn.conv2d(images, kernel, strides=stride, padding="SAME").numpy()
        assert mine.shape == same.shape, f"n={n}, kernel {kernel_size}, stride {stride}: {mine.shape} vs {same.shape}"
        np.testing.assert_allclose(mine, same, rtol=1e-4, atol=1e-4)


def test_mirror_modes_pad_as_tf_pad_does(submission):
    images, _ = images_and_kernel(9, 7, 3)
    for mode in ("reflect", "symmetric"):
        for kernel_size, stride in [(3, 1), (5, 1), (4, 2)]:
            rows = tuple(submission.same_padding(9, kernel_size, stride))
            columns = tuple(submission.same_padding(7, kernel_size, stride))
            expected = tf.pad(images, [(0, 0), rows, columns, (0, 0)], mode=mode.upper()).numpy()
            np.testing.assert_array_equal(submission.pad_same(images, kernel_size, stride, mode=mode), expected)

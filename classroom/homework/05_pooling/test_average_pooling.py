"""Grading tests of homework 5 (average pooling): each test is one point."""

import keras
import numpy as np

SUBMISSION = "average_pooling.py"
ALLOWED_IMPORTS = {"numpy", "math", "itertools", "functools", "typing", "__future__"}


def maps(height, width, channels=3, seed=0):
    return np.random.default_rng(seed).normal(size=(2, height, width, channels)).astype(np.float32)


def keras_pooling(x, pool_size, strides, padding):
    return keras.layers.AveragePooling2D(pool_size, strides=strides, padding=padding)(x).numpy()


def test_valid_pooling_with_the_default_stride_matches_keras(submission):
    for size, pool_size in [(8, 2), (9, 3), (7, 2)]:
        x = maps(size, size + 1, seed=size)
        np.testing.assert_allclose(submission.average_pool2d(x, pool_size), keras_pooling(x, pool_size, None, "valid"),
                                   rtol=1e-5, atol=1e-5)


def test_valid_pooling_with_other_strides_matches_keras(submission):
    for pool_size, strides in [(3, 1), (3, 2), (2, 3)]:
        x = maps(10, 9, seed=strides)
        np.testing.assert_allclose(submission.average_pool2d(x, pool_size, strides),
                                   keras_pooling(x, pool_size, strides, "valid"), rtol=1e-5, atol=1e-5)


def test_same_pooling_averages_only_the_real_inputs_at_the_border(submission):
    for size, pool_size, strides in [(7, 2, 2), (5, 3, 1), (9, 3, 2), (6, 4, 3)]:
        x = maps(size, size, seed=pool_size)
        mine = np.asarray(submission.average_pool2d(x, pool_size, strides, padding="same"))
        expected = keras_pooling(x, pool_size, strides, "same")
        assert mine.shape == expected.shape, f"{size}x{size}, pool {pool_size}, stride {strides}: shape {mine.shape}"
        np.testing.assert_allclose(mine, expected, rtol=1e-5, atol=1e-5)


def test_pooling_a_constant_map_gives_the_constant_everywhere(submission):
    x = np.full((1, 7, 7, 2), 3.0, dtype=np.float32)
    np.testing.assert_allclose(submission.average_pool2d(x, 2, 2, padding="same"), 3.0, rtol=1e-6)


def test_global_average_pooling_matches_keras(submission):
    x = maps(7, 5, channels=4)
    mine = np.asarray(submission.global_average_pool(x))
    assert mine.shape == (2, 4)
    np.testing.assert_allclose(mine, keras.layers.GlobalAveragePooling2D()(x).numpy(), rtol=1e-5, atol=1e-5)

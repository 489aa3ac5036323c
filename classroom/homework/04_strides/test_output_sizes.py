"""Grading tests of homework 4 (output sizes and ignored inputs): each test is one point."""

import keras
import numpy as np
import tensorflow as tf

SUBMISSION = "output_sizes.py"
ALLOWED_IMPORTS = {"math", "itertools", "functools", "typing", "__future__"}


def keras_size(n, kernel_size, stride=1, padding="valid", dilation=1):
    layer = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding, dilation_rate=dilation)
    return int(layer(np.zeros((1, n, n, 1), dtype="float32")).shape[1])


def unread_by_gradient(n, kernel_size, stride):
    """The inputs whose gradient is zero: a change there changes no output of the layer."""
    inputs = tf.constant(np.random.default_rng(0).normal(size=(1, 1, n, 1)).astype("float32"))
    kernel = tf.ones((1, kernel_size, 1, 1))
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        total = tf.reduce_sum(tf.nn.conv2d(inputs, kernel, strides=[1, 1, stride, 1], padding="VALID"))
    gradient = tape.gradient(total, inputs).numpy()[0, 0, :, 0]
    return [int(index) for index in np.flatnonzero(gradient == 0)]


def test_valid_output_sizes_match_keras(submission):
    for n in (5, 7, 13, 28):
        for kernel_size in (1, 2, 3, 5):
            for stride in (1, 2, 3, 4):
                if kernel_size <= n:
                    assert submission.output_size(n, kernel_size, stride, "valid") == \
                        keras_size(n, kernel_size, stride, "valid"), (n, kernel_size, stride)


def test_same_output_sizes_match_keras(submission):
    for n in (5, 7, 13, 28):
        for kernel_size in (1, 3, 6):
            for stride in (1, 2, 3, 5):
                assert submission.output_size(n, kernel_size, stride, "same") == \
                    keras_size(n, kernel_size, stride, "same"), (n, kernel_size, stride)


def test_dilated_output_sizes_match_keras(submission):
    for n in (9, 13, 28):
        for kernel_size in (2, 3):
            for dilation in (2, 3, 4):
                for padding in ("valid", "same"):
                    if padding == "same" or dilation * (kernel_size - 1) + 1 <= n:
                        assert submission.output_size(n, kernel_size, 1, padding, dilation) == \
                            keras_size(n, kernel_size, 1, padding, dilation), (n, kernel_size, dilation, padding)


def test_alexnet_first_layer(submission):
    assert submission.output_size(227, 11, 4, "valid") == keras_size(227, 11, 4, "valid")


def test_ignored_inputs_are_those_with_zero_gradient(submission):
    for n, kernel_size, stride in [(5, 3, 2), (7, 2, 3), (13, 6, 5), (10, 3, 3), (8, 1, 2), (9, 3, 1)]:
        assert list(submission.ignored_inputs(n, kernel_size, stride)) == \
            unread_by_gradient(n, kernel_size, stride), (n, kernel_size, stride)

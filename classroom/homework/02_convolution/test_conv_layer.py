"""Grading tests of homework 2 (a convolutional layer from scratch): each test is one point."""

import keras
import numpy as np
import tensorflow as tf

SUBMISSION = "conv_layer.py"
ALLOWED_IMPORTS = {"numpy", "math", "itertools", "functools", "typing", "__future__"}


def random_layer(seed, batch, height, width, in_channels, kernel_height, kernel_width, filters):
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, height, width, in_channels)).astype(np.float32)
    kernels = rng.normal(size=(kernel_height, kernel_width, in_channels, filters)).astype(np.float32)
    biases = rng.normal(size=filters).astype(np.float32)
    return inputs, kernels, biases


def tensorflow_output(inputs, kernels, biases, stride):
    return (tf.nn.conv2d(inputs, kernels, strides=stride, padding="VALID") + biases).numpy()


def test_one_channel_one_filter_equals_tensorflow(submission):
    inputs, kernels, biases = random_layer(0, 1, 7, 6, 1, 3, 3, 1)
    expected = tensorflow_output(inputs, kernels, biases, 1)
    np.testing.assert_allclose(submission.conv2d(inputs, kernels, biases), expected, rtol=1e-4, atol=1e-4)


def test_kernels_span_every_input_channel_and_each_filter_gives_a_map(submission):
    inputs, kernels, biases = random_layer(1, 2, 9, 8, 3, 3, 2, 4)
    output = np.asarray(submission.conv2d(inputs, kernels, biases))
    assert output.shape == (2, 7, 7, 4)
    np.testing.assert_allclose(output, tensorflow_output(inputs, kernels, biases, 1), rtol=1e-4, atol=1e-4)


def test_a_stride_skips_positions_as_tensorflow_does(submission):
    for stride in (2, 3):
        inputs, kernels, biases = random_layer(stride, 2, 11, 10, 2, 3, 3, 3)
        np.testing.assert_allclose(submission.conv2d(inputs, kernels, biases, stride=stride),
                                   tensorflow_output(inputs, kernels, biases, stride), rtol=1e-4, atol=1e-4)


def test_the_layer_matches_a_keras_conv2d_with_the_same_weights(submission):
    inputs, kernels, biases = random_layer(4, 3, 12, 12, 3, 5, 5, 8)
    layer = keras.layers.Conv2D(8, 5)
    layer.build(inputs.shape)
    layer.set_weights([kernels, biases])
    np.testing.assert_allclose(submission.conv2d(inputs, kernels, biases), layer(inputs).numpy(), rtol=1e-4, atol=1e-4)


def test_parameters_match_keras(submission):
    for kernel_size, in_channels, filters in [(3, 1, 32), (3, 3, 64), (5, 32, 64), (1, 256, 64)]:
        layer = keras.layers.Conv2D(filters, kernel_size)
        layer.build((None, 32, 32, in_channels))
        assert submission.conv_parameters(kernel_size, in_channels, filters) == layer.count_params()


def test_feature_map_memory_matches_the_output_keras_computes(submission):
    for batch, size, kernel_size, filters, stride in [(1, 150, 5, 200, 1), (50, 100, 3, 32, 2), (32, 28, 3, 64, 1)]:
        layer = keras.layers.Conv2D(filters, kernel_size, strides=stride)
        output = layer(np.zeros((1, size, size, 1), dtype=np.float32))
        expected = batch * int(np.prod(output.shape[1:])) * 4
        assert submission.feature_map_bytes(batch, size, size, kernel_size, filters, stride) == expected

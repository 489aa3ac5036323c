"""Stride arithmetic (chapter 4): which inputs each output reads, and output sizes as Keras computes them."""

import itertools

from cnn_course.conv import conv2d_numpy, conv_output_size, same_padding
from cnn_course.strides import (
    explain_output_size,
    format_output_size_table,
    ignored_inputs,
    keras_output_size,
    output_size_grid,
    padding_amounts,
    receptive_field,
    receptive_field_size,
    window_taps,
)

import numpy as np
import pytest
import tensorflow as tf


def test_receptive_field_follows_i_times_stride():
    assert receptive_field(0, 0, 3, 2) == (range(0, 3), range(0, 3))
    assert receptive_field(1, 2, 3, 2) == (range(2, 5), range(4, 7))
    assert receptive_field(1, 3, (3, 4), (2, 3)) == (range(2, 5), range(9, 13))


@pytest.mark.parametrize("bad", [(-1, 0), (0, 1.5)])
def test_receptive_field_rejects_bad_positions(bad):
    with pytest.raises(ValueError, match="non-negative"):
        receptive_field(*bad, 3, 2)


def test_receptive_field_matches_a_strided_convolution():
    """Output (i, j) of a kernel of ones is the sum of the padded input over the field."""
    x = np.arange(1, 36, dtype=float).reshape(5, 7)
    z = conv2d_numpy(x[None, :, :, None], np.ones((3, 3, 1, 1)), strides=2, padding="same")[0, :, :, 0]
    padded = np.pad(x, [same_padding(5, 3, 2), same_padding(7, 3, 2)])
    assert z.shape == (3, 4)
    for i, j in itertools.product(range(3), range(4)):
        rows, cols = receptive_field(i, j, 3, 2)
        assert z[i, j] == padded[np.ix_(rows, cols)].sum()


def test_padding_amounts_agree_with_same_padding_without_dilation():
    for n, k, s in itertools.product(range(1, 15), range(1, 7), range(1, 6)):
        assert padding_amounts(n, k, s, "same") == same_padding(n, k, s)
        if k <= n:
            assert padding_amounts(n, k, s, "valid") == (0, 0)


def test_window_taps_of_the_chapter_example():
    assert window_taps(13, 6, 5) == [[0, 1, 2, 3, 4, 5], [5, 6, 7, 8, 9, 10]]
    assert window_taps(13, 6, 5, "same") == [list(range(-1, 5)), list(range(4, 10)), list(range(9, 15))]
    assert window_taps(7, 3, 1, dilation=2) == [[0, 2, 4], [1, 3, 5], [2, 4, 6]]


def test_window_taps_match_tensorflow():
    """A one-hot kernel at tap t picks input k*s - before + t*d: compare with tf.nn.convolution."""
    for n, k, s, padding, d in [(13, 6, 5, "valid", 1), (13, 6, 5, "same", 1), (10, 3, 2, "same", 1),
                                (9, 2, 3, "same", 1), (13, 3, 1, "same", 4), (13, 3, 1, "valid", 2)]:
        x = np.arange(1, n + 1, dtype="float32")
        taps = window_taps(n, k, s, padding, d)
        for t in range(k):
            kernel = np.zeros((k, 1, 1), dtype="float32")
            kernel[t] = 1
            got = tf.nn.convolution(x[None, :, None], kernel, strides=s, padding=padding.upper(),
                                    dilations=d).numpy()[0, :, 0]
            want = [x[w[t]] if 0 <= w[t] < n else 0.0 for w in taps]
            np.testing.assert_array_equal(got, want)


def test_ignored_inputs():
    assert ignored_inputs(13, 6, 5) == [11, 12]
    assert ignored_inputs(13, 6, 5, "same") == []
    assert ignored_inputs(5, 3, 2) == []
    assert ignored_inputs(23, 5, 4) == [21, 22]
    assert ignored_inputs(8, 2, 3, "same") == [2, 5]  # a stride above the kernel size skips inputs
    assert ignored_inputs(9, 2, 1, dilation=2) == []
    for n, k, s in itertools.product(range(1, 16), range(1, 7), range(1, 6)):
        if k <= n and s <= k:
            assert len(ignored_inputs(n, k, s)) == (n - k) % s


def test_explain_output_size():
    assert explain_output_size(13, 6, 5, "same") == "same: ceil(13 / 5) = ceil(2.6) = 3"
    assert explain_output_size(13, 6, 5) == "valid: floor((13 - 6) / 5) + 1 = floor(1.4) + 1 = 2"
    assert explain_output_size(13, 3, 3, "same") == "same: ceil(13 / 3) = ceil(4.33) = 5"
    assert explain_output_size(13, 3, 1, dilation=4) == (
        "valid: span = 4 * (3 - 1) + 1 = 9; floor((13 - 9) / 1) + 1 = 5")
    assert explain_output_size(224, 7, 2, "same") == "same: ceil(224 / 2) = 112"
    assert explain_output_size(28, 2, 2) == "valid: floor((28 - 2) / 2) + 1 = 14"
    with pytest.raises(ValueError, match="does not fit"):
        explain_output_size(4, 5)


def test_receptive_field_size():
    assert receptive_field_size([3]) == 3
    assert receptive_field_size([3, 3]) == 5
    assert receptive_field_size([3, 3], [2, 1]) == 7
    assert receptive_field_size([3, 3, 3], [1, 1, 1]) == 7
    assert receptive_field_size([2, 2], [2, 2]) == 4  # two 2x2 poolings at stride 2
    assert receptive_field_size([3, 3], dilations=[1, 2]) == 7  # the second kernel spans 5 inputs
    assert receptive_field_size([3, 3], [2, 1], [1, 2]) == 11  # and its taps are 2 inputs apart
    with pytest.raises(ValueError, match="one stride and one dilation per layer"):
        receptive_field_size([3, 3], [1])
    with pytest.raises(ValueError, match="one stride and one dilation per layer"):
        receptive_field_size([3, 3], dilations=[1])
    with pytest.raises(ValueError, match="positive integers"):
        receptive_field_size([3, 0])
    with pytest.raises(ValueError, match="positive integers"):
        receptive_field_size([3, 3], dilations=[1, True])


def test_conv_output_size_agrees_with_keras_over_many_combinations():
    combos = [(n, k, s, p) for n, k, s, p in itertools.product(range(1, 15), range(1, 7), range(1, 5),
                                                                ("valid", "same"))
              if not (p == "valid" and k > n)]
    assert len(combos) > 500
    for n, k, s, p in combos:
        assert keras_output_size(n, k, s, p) == conv_output_size(n, k, s, p), (n, k, s, p)


def test_conv_output_size_agrees_with_keras_with_dilation():
    for n, k, d, p in itertools.product((9, 13, 20), (2, 3), (2, 4), ("valid", "same")):
        if d * (k - 1) + 1 <= n:
            assert keras_output_size(n, k, 1, p, d) == conv_output_size(n, k, 1, p, d)


def test_keras_output_size_raises_when_valid_kernel_does_not_fit():
    with pytest.raises(ValueError):
        keras_output_size(4, 5)


def test_keras_output_size_raises_where_an_older_keras_builds_an_empty_output(monkeypatch):
    """Keras 3.10 (Colab's) gives a "valid" kernel wider than its input an output of size 0 instead of raising."""
    import keras

    class EmptyOutputConv2D:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, inputs):
            return np.zeros((1, 0, 0, 1), dtype="float32")

    monkeypatch.setattr(keras.layers, "Conv2D", EmptyOutputConv2D)
    with pytest.raises(ValueError, match="empty output"):
        keras_output_size(4, 5)
    assert output_size_grid([4], [5], [1], ["valid"], size_fn=keras_output_size) == {("valid", 5, 1, 4): None}


def test_output_size_grid_and_table():
    grid = output_size_grid(range(3, 6), (1, 5), (1, 2))
    assert len(grid) == 3 * 2 * 2 * 2
    assert grid["valid", 5, 1, 3] is None
    assert grid["valid", 5, 1, 5] == 1
    assert grid["same", 5, 2, 5] == 3
    table = format_output_size_table(grid).splitlines()
    assert len(table) == 3 + 2 * 2 * 2
    assert table[1].split("|")[1].split() == ["3", "4", "5"]
    assert table[3].split() == ["valid", "1", "1", "|", "3", "4", "5"]
    assert table[5].split() == ["valid", "5", "1", "|", "-", "-", "1"]
    assert table[-1].split() == ["same", "5", "2", "|", "2", "2", "3"]

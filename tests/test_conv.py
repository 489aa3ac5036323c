"""Tests of :mod:`cnn_course.conv`, the convolution arithmetic of chapters 2 to 4.

What a learner relies on: the NumPy layer computes exactly what ``tf.nn.conv2d`` computes (without
flipping the kernel), the size rule and the "same" padding are TensorFlow's and Keras', the chapter 2
cost estimate reproduces its worked example, and bad arguments fail with a message that says why.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cnn_course  # noqa: F401  (imported before TensorFlow: it silences TensorFlow's C++ log lines)
from cnn_course.conv import (
    conv2d_im2col,
    conv2d_numpy,
    conv_layer_cost,
    conv_output_size,
    im2col,
    same_padding,
)

import keras
import numpy as np
import pytest
import tensorflow as tf

SEED = 20240611
N_RANDOM_CASES = 240


# --- conv2d_numpy equals tf.nn.conv2d --------------------------------------------------------------


@dataclass(frozen=True)
class ConvCase:
    """One random convolution: shapes, strides, padding and whether it has biases."""

    index: int
    batch: int
    height: int
    width: int
    channels: int
    filters: int
    fh: int
    fw: int
    sh: int
    sw: int
    padding: str
    with_bias: bool

    def __str__(self) -> str:
        return (f"case {self.index}: inputs [{self.batch}, {self.height}, {self.width}, {self.channels}], "
                f"kernels [{self.fh}, {self.fw}, {self.channels}, {self.filters}], "
                f"strides ({self.sh}, {self.sw}), padding {self.padding!r}, "
                f"{'with' if self.with_bias else 'without'} biases")


def _random_cases(n_cases: int, seed: int) -> list[ConvCase]:
    """Random cases; "valid" only where the kernel fits, "same" also on inputs smaller than the kernel."""
    rng = np.random.default_rng(seed)
    cases = []
    for index in range(n_cases):
        height, width = (int(v) for v in rng.integers(1, 13, size=2))
        fh, fw = (int(v) for v in rng.integers(1, 6, size=2))
        padding = "valid" if rng.random() < 0.5 and fh <= height and fw <= width else "same"
        cases.append(ConvCase(
            index=index, batch=int(rng.integers(1, 4)), height=height, width=width,
            channels=int(rng.integers(1, 5)), filters=int(rng.integers(1, 5)), fh=fh, fw=fw,
            sh=int(rng.integers(1, 4)), sw=int(rng.integers(1, 4)), padding=padding,
            with_bias=bool(rng.random() < 0.5),
        ))
    return cases


CASES = _random_cases(N_RANDOM_CASES, SEED)


def _case_id(case: ConvCase) -> str:
    return (f"{case.index}-b{case.batch}-{case.height}x{case.width}x{case.channels}-k{case.fh}x{case.fw}"
            f"-f{case.filters}-s{case.sh}x{case.sw}-{case.padding}-{'bias' if case.with_bias else 'nobias'}")


def test_random_cases_cover_what_they_claim():
    """The random cases reach every corner the comparison with TensorFlow is meant to cover."""
    assert len(CASES) >= 200
    same_smaller = [c for c in CASES if c.padding == "same" and (c.height < c.fh or c.width < c.fw)]
    assert len(same_smaller) >= 10, "too few 'same' cases with an input smaller than the kernel"
    assert sum(c.padding == "valid" for c in CASES) >= 50
    assert sum(c.fh != c.fw for c in CASES) >= 50, "too few non-square kernels"
    assert sum(c.sh != c.sw for c in CASES) >= 50, "too few unequal strides"
    assert sum(c.with_bias for c in CASES) >= 50 and sum(not c.with_bias for c in CASES) >= 50
    for field, values in (("batch", {1, 2, 3}), ("channels", {1, 2, 3, 4}), ("filters", {1, 2, 3, 4}),
                          ("fh", set(range(1, 6))), ("fw", set(range(1, 6))), ("sh", {1, 2, 3}),
                          ("sw", {1, 2, 3}), ("height", set(range(1, 13))), ("width", set(range(1, 13)))):
        assert {getattr(c, field) for c in CASES} == values, f"{field} does not take every value"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_conv2d_numpy_equals_tf_nn_conv2d(case):
    rng = np.random.default_rng([SEED, case.index])
    x = rng.standard_normal((case.batch, case.height, case.width, case.channels)).astype(np.float32)
    w = rng.standard_normal((case.fh, case.fw, case.channels, case.filters)).astype(np.float32)
    b = rng.standard_normal(case.filters).astype(np.float32) if case.with_bias else None

    got = conv2d_numpy(x, w, b, strides=(case.sh, case.sw), padding=case.padding)
    expected = tf.nn.conv2d(x, w, strides=[1, case.sh, case.sw, 1], padding=case.padding.upper()).numpy()
    if b is not None:
        expected = expected + b

    assert got.shape == expected.shape, f"{case}: shape {got.shape}, TensorFlow gives {expected.shape}"
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-4, err_msg=str(case))


def test_conv2d_numpy_accepts_an_int_stride_and_any_case_of_padding():
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((2, 7, 6, 3)).astype(np.float32)
    w = rng.standard_normal((3, 2, 3, 4)).astype(np.float32)
    for padding in ("same", "SAME", "Same", "valid", "VALID"):
        expected = tf.nn.conv2d(x, w, strides=2, padding=padding.upper()).numpy()
        np.testing.assert_allclose(conv2d_numpy(x, w, strides=2, padding=padding), expected,
                                   rtol=1e-5, atol=1e-4, err_msg=padding)


# --- a hand-worked example: cross-correlation, no kernel flip --------------------------------------

X_3X3 = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)  # 1 2 3 / 4 5 6 / 7 8 9
W_2X2 = np.array([[1, 2], [3, 4]], dtype=np.float32).reshape(2, 2, 1, 1)


def test_hand_worked_example_is_cross_correlation():
    # top-left output: 1*1 + 2*2 + 4*3 + 5*4 = 37; the window slides one step right or down.
    got = conv2d_numpy(X_3X3, W_2X2)
    np.testing.assert_array_equal(got[0, :, :, 0], [[37, 47], [67, 77]])
    # a flipped kernel (true convolution) would give 1*4 + 2*3 + 4*2 + 5*1 = 23 at the top left
    flipped = conv2d_numpy(X_3X3, W_2X2[::-1, ::-1])
    np.testing.assert_array_equal(flipped[0, :, :, 0], [[23, 33], [53, 63]])


def test_hand_worked_example_with_bias_stride_and_same_padding():
    got = conv2d_numpy(X_3X3, W_2X2, biases=[10.0])
    np.testing.assert_array_equal(got[0, :, :, 0], [[47, 57], [77, 87]])
    # "same" pads one zero after (right and bottom) only: the last column is 3*1 + 6*3 = 21, ...
    same = conv2d_numpy(X_3X3, W_2X2, padding="same")
    np.testing.assert_array_equal(same[0, :, :, 0], [[37, 47, 21], [67, 77, 33], [23, 26, 9]])
    strided = conv2d_numpy(X_3X3, W_2X2, strides=2, padding="same")
    np.testing.assert_array_equal(strided[0, :, :, 0], [[37, 21], [23, 9]])


def test_each_filter_sums_over_every_input_channel():
    x = np.stack([X_3X3[..., 0], 10 * X_3X3[..., 0]], axis=-1)  # [1, 3, 3, 2]
    w = np.zeros((2, 2, 2, 2), dtype=np.float32)
    w[..., 0, 0] = W_2X2[..., 0, 0]  # filter 0 sees channel 0 only
    w[..., 0, 1] = W_2X2[..., 0, 0]  # filter 1 sees both channels
    w[..., 1, 1] = 1.0
    got = conv2d_numpy(x, w)
    np.testing.assert_array_equal(got[0, :, :, 0], [[37, 47], [67, 77]])
    # channel 1's windows sum to 10 * (1+2+4+5) = 120, 10 * 16 = 160, ...
    np.testing.assert_array_equal(got[0, :, :, 1], [[37 + 120, 47 + 160], [67 + 240, 77 + 280]])


# --- conv_output_size equals Keras' output shapes ---------------------------------------------------

SIZES = range(1, 16)
KERNELS = range(1, 6)
STRIDES = range(1, 5)


def _fits(n: int, kernel_size: int, dilation: int = 1) -> bool:
    return dilation * (kernel_size - 1) + 1 <= n


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("layer_name", ["Conv2D", "MaxPooling2D"])
def test_conv_output_size_equals_keras(layer_name, padding):
    checked = 0
    for kernel_size, stride in itertools.product(KERNELS, STRIDES):
        if layer_name == "Conv2D":
            layer = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding)
        else:
            layer = keras.layers.MaxPooling2D(kernel_size, strides=stride, padding=padding)
        for height, width in itertools.product(SIZES, SIZES):
            if padding == "valid" and not (_fits(height, kernel_size) and _fits(width, kernel_size)):
                continue
            expected = tuple(layer.compute_output_shape((1, height, width, 1))[1:3])
            got = (conv_output_size(height, kernel_size, stride, padding),
                   conv_output_size(width, kernel_size, stride, padding))
            assert got == expected, (f"{layer_name}(kernel {kernel_size}, stride {stride}, {padding!r}) on "
                                     f"{height}x{width}: conv_output_size gives {got}, Keras {expected}")
            checked += 1
    assert checked >= 1000


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("dilation", [2, 3])
def test_conv_output_size_with_dilation_equals_keras(dilation, padding):
    checked = 0
    for kernel_size in KERNELS:
        layer = keras.layers.Conv2D(1, kernel_size, padding=padding, dilation_rate=dilation)
        for n in SIZES:
            if padding == "valid" and not _fits(n, kernel_size, dilation):
                continue
            expected = layer.compute_output_shape((1, n, n, 1))[1]
            got = conv_output_size(n, kernel_size, 1, padding, dilation=dilation)
            assert got == expected, (f"Conv2D(kernel {kernel_size}, dilation {dilation}, {padding!r}) "
                                     f"on {n}: conv_output_size gives {got}, Keras {expected}")
            checked += 1
    assert checked >= 40


def test_conv_output_size_agrees_with_a_layer_that_runs():
    """compute_output_shape is Keras' formula; running a few layers checks the real tensors too."""
    for n, kernel_size, stride, padding in [(7, 3, 2, "same"), (7, 3, 2, "valid"), (2, 5, 3, "same"),
                                            (15, 4, 4, "valid"), (10, 1, 3, "same"), (9, 5, 1, "valid")]:
        out = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=padding)(np.zeros((1, n, n, 1)))
        assert out.shape[1] == conv_output_size(n, kernel_size, stride, padding), (n, kernel_size, stride)


def test_conv_output_size_formulas():
    assert conv_output_size(28, 5) == 24
    assert conv_output_size(28, 3, 2, "same") == 14
    assert conv_output_size(7, 3, 2, "SAME") == 4  # ceil(7 / 2)
    assert conv_output_size(7, 3, 2, "valid") == 3  # floor((7 - 3) / 2) + 1
    assert conv_output_size(7, 3, 1, "valid", dilation=3) == 1  # the kernel spans 3 * 2 + 1 = 7 inputs
    assert conv_output_size(2, 5, 1, "same") == 2  # "same" does not need the kernel to fit
    assert conv_output_size(np.int64(9), np.int64(3)) == 7  # NumPy integers, e.g. from an array's shape


# --- same_padding matches TensorFlow ----------------------------------------------------------------


@pytest.mark.parametrize("stride", range(1, 5))
def test_same_padding_reproduces_tensorflow_same(stride):
    rng = np.random.default_rng([SEED, stride])
    for n, kernel_size in itertools.product(range(1, 13), KERNELS):
        x = rng.standard_normal((1, n, n, 2)).astype(np.float32)
        w = rng.standard_normal((kernel_size, kernel_size, 2, 1)).astype(np.float32)
        pad = same_padding(n, kernel_size, stride)
        padded = tf.pad(x, [(0, 0), pad, pad, (0, 0)])
        expected = tf.nn.conv2d(x, w, stride, "SAME").numpy()
        got = tf.nn.conv2d(padded, w, stride, "VALID").numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6,
                                   err_msg=f"n={n}, kernel={kernel_size}, stride={stride}, pad={pad}")


def test_same_padding_per_axis_with_non_square_kernels_and_strides():
    rng = np.random.default_rng(SEED)
    for height, width, fh, fw, sh, sw in [(5, 8, 4, 1, 1, 3), (2, 11, 5, 2, 3, 2), (12, 3, 2, 5, 4, 1),
                                          (7, 7, 3, 4, 2, 3), (1, 9, 1, 5, 2, 4)]:
        x = rng.standard_normal((1, height, width, 1)).astype(np.float32)
        w = rng.standard_normal((fh, fw, 1, 1)).astype(np.float32)
        padded = tf.pad(x, [(0, 0), same_padding(height, fh, sh), same_padding(width, fw, sw), (0, 0)])
        np.testing.assert_allclose(tf.nn.conv2d(padded, w, (sh, sw), "VALID").numpy(),
                                   tf.nn.conv2d(x, w, (sh, sw), "SAME").numpy(), rtol=1e-6, atol=1e-6,
                                   err_msg=f"{height}x{width}, kernel {fh}x{fw}, strides ({sh}, {sw})")


def test_same_padding_puts_the_odd_zero_after():
    assert same_padding(3, 2) == (0, 1)
    assert same_padding(5, 4) == (1, 2)
    assert same_padding(5, 3) == (1, 1)
    assert same_padding(7, 3, 2) == (1, 1)
    assert same_padding(6, 3, 2) == (0, 1)
    assert same_padding(5, 1, 3) == (0, 0)
    assert same_padding(2, 5) == (2, 2)  # an input smaller than the kernel is padded on both sides
    for n, kernel_size, stride in itertools.product(SIZES, KERNELS, STRIDES):
        before, after = same_padding(n, kernel_size, stride)
        assert after - before in (0, 1), (n, kernel_size, stride, before, after)
        # exactly ceil(n / stride) windows fit in the padded axis
        assert (n + before + after - kernel_size) // stride + 1 == math.ceil(n / stride)


def test_tensorflow_puts_the_odd_zero_after_not_before():
    """The order matters: padding the odd zero before gives a different, wrong, result."""
    expected = tf.nn.conv2d(X_3X3, W_2X2, 1, "SAME").numpy()
    after = tf.pad(X_3X3, [(0, 0), (0, 1), (0, 1), (0, 0)])
    before = tf.pad(X_3X3, [(0, 0), (1, 0), (1, 0), (0, 0)])
    np.testing.assert_array_equal(tf.nn.conv2d(after, W_2X2, 1, "VALID").numpy(), expected)
    assert not np.array_equal(tf.nn.conv2d(before, W_2X2, 1, "VALID").numpy(), expected)


# --- conv_layer_cost: chapter 2's worked example ----------------------------------------------------


def test_conv_layer_cost_worked_example():
    cost = conv_layer_cost((150, 100, 3), filters=200, kernel_size=5, strides=1, padding="same",
                           batch_size=100)
    assert cost.parameters == (5 * 5 * 3 + 1) * 200 == 15_200
    assert cost.multiplications == 150 * 100 * 200 * 5 * 5 * 3 == 225_000_000
    assert cost.output_values == 150 * 100 * 200 == 3_000_000
    assert cost.output_bytes_per_instance == 12_000_000  # float32: 4 bytes a value
    assert cost.output_bytes_per_batch == 1_200_000_000


def test_conv_layer_cost_parameters_equal_keras_count_params():
    cases = [((150, 100, 3), 200, 5, 1, "same"), ((28, 28, 1), 32, 3, 1, "valid"),
             ((32, 32, 3), 64, (3, 5), (2, 1), "same"), ((15, 9, 4), 7, (1, 4), (3, 2), "valid")]
    for input_shape, filters, kernel_size, strides, padding in cases:
        layer = keras.layers.Conv2D(filters, kernel_size, strides=strides, padding=padding)
        layer.build((None, *input_shape))
        cost = conv_layer_cost(input_shape, filters, kernel_size, strides, padding)
        assert cost.parameters == layer.count_params(), (input_shape, filters, kernel_size, strides)
        out_shape = layer.compute_output_shape((None, *input_shape))
        assert cost.output_values == math.prod(out_shape[1:]), (input_shape, filters, kernel_size, strides)
        fh, fw = layer.kernel_size
        assert cost.multiplications == cost.output_values * fh * fw * input_shape[2]


def test_conv_layer_cost_defaults_and_bytes_per_value():
    cost = conv_layer_cost((28, 28, 1), 32, 3)  # "valid" as in Keras, stride 1, one instance, float32
    assert cost.output_values == 26 * 26 * 32 == conv_layer_cost((28, 28, 1), 32, 3, padding="valid").output_values
    assert conv_layer_cost((28, 28, 1), 32, 3, padding="same").output_values == 28 * 28 * 32
    cost = conv_layer_cost((28, 28, 1), 32, 3, padding="same")
    assert cost.output_bytes_per_batch == cost.output_bytes_per_instance == 4 * 28 * 28 * 32
    half = conv_layer_cost((28, 28, 1), 32, 3, padding="same", batch_size=64, bytes_per_value=2)
    assert half.output_bytes_per_instance == 2 * 28 * 28 * 32
    assert half.output_bytes_per_batch == 64 * 2 * 28 * 28 * 32


# --- bad arguments raise ValueError with a message that says what was wrong -------------------------

X = np.zeros((1, 5, 5, 3))
W = np.zeros((3, 3, 3, 2))


def test_mismatched_channels():
    with pytest.raises(ValueError, match=r"kernels expect 2 input channels but inputs have 3"):
        conv2d_numpy(X, np.zeros((3, 3, 2, 2)))


@pytest.mark.parametrize("inputs, kernels, match", [
    (np.zeros((5, 5, 3)), W, r"inputs must be \[batch, height, width, channels\], got shape \(5, 5, 3\)"),
    (np.zeros((1, 1, 5, 5, 3)), W, r"inputs must be .*got shape \(1, 1, 5, 5, 3\)"),
    (X, np.zeros((3, 3, 3)), r"kernels must be \[fh, fw, in_channels, n_filters\], got shape \(3, 3, 3\)"),
    (X, np.zeros((1, 3, 3, 3, 2)), r"kernels must be .*got shape \(1, 3, 3, 3, 2\)"),
])
def test_wrong_ranks(inputs, kernels, match):
    with pytest.raises(ValueError, match=match):
        conv2d_numpy(inputs, kernels)


@pytest.mark.parametrize("biases, shape", [(np.zeros(3), r"\(3,\)"), (1.0, r"\(\)"),
                                           (np.zeros((1, 2)), r"\(1, 2\)")])
def test_bad_bias_shape(biases, shape):
    with pytest.raises(ValueError, match=rf"biases must have shape \(2,\), got {shape}"):
        conv2d_numpy(X, W, biases=biases)


@pytest.mark.parametrize("strides", [0, -1, 1.5, 2.0, "2", (1, 0), (2, -3), (1, 1.0), (2,), (1, 2, 3)])
def test_bad_strides(strides):
    with pytest.raises(ValueError, match=r"strides must be a positive integer or a pair of them, got"):
        conv2d_numpy(X, W, strides=strides)
    with pytest.raises(ValueError, match=r"strides must be a positive integer or a pair of them"):
        conv_layer_cost((5, 5, 3), 2, 3, strides=strides)


@pytest.mark.parametrize("padding", ["full", "causal", "", 3, None])
def test_unknown_padding(padding):
    message = rf"padding must be 'valid' or 'same' \(any case\), got {padding!r}"
    with pytest.raises(ValueError, match=message):
        conv2d_numpy(X, W, padding=padding)
    with pytest.raises(ValueError, match=message):
        conv_output_size(5, 3, 1, padding)
    with pytest.raises(ValueError, match=message):
        conv_layer_cost((5, 5, 3), 2, 3, padding=padding)


def test_valid_kernel_larger_than_the_input():
    with pytest.raises(ValueError, match=r"a kernel spanning 3 inputs does not fit in 2 inputs with 'valid'"):
        conv2d_numpy(np.zeros((1, 2, 5, 3)), W)
    with pytest.raises(ValueError, match=r"a kernel spanning 3 inputs does not fit in 2 inputs"):
        conv2d_numpy(np.zeros((1, 5, 2, 3)), W)
    with pytest.raises(ValueError, match=r"a kernel spanning 6 inputs does not fit in 5 inputs"):
        conv_output_size(5, 6)
    with pytest.raises(ValueError, match=r"a kernel spanning 7 inputs does not fit in 6 inputs"):
        conv_output_size(6, 3, padding="valid", dilation=3)  # dilated: 3 * (3 - 1) + 1 = 7
    # the same shapes are fine with "same"
    assert conv2d_numpy(np.zeros((1, 2, 2, 3)), W, padding="same").shape == (1, 2, 2, 2)


@pytest.mark.parametrize("argument, kwargs", [
    ("n", {"n": 0}), ("n", {"n": -4}), ("n", {"n": 2.5}),
    ("kernel_size", {"kernel_size": 0}), ("kernel_size", {"kernel_size": -1}),
    ("stride", {"stride": 0}), ("stride", {"stride": -2}), ("stride", {"stride": 1.0}),
    ("dilation", {"dilation": 0}),
])
def test_conv_output_size_rejects_non_positive_sizes(argument, kwargs):
    arguments = {"n": 5, "kernel_size": 3, "stride": 1, "padding": "valid", "dilation": 1, **kwargs}
    value = kwargs[argument]
    with pytest.raises(ValueError, match=rf"{argument} must be a positive integer, got {value!r}"):
        conv_output_size(**arguments)
    with pytest.raises(ValueError, match=rf"{argument} must be a positive integer"):
        conv_output_size(**{**arguments, "padding": "same"})


@pytest.mark.parametrize("strides", [None, True, np.array(0)])
def test_conv2d_numpy_rejects_strides_that_are_not_positive_integers(strides):
    with pytest.raises(ValueError, match="strides"):
        conv2d_numpy(np.ones((1, 4, 4, 1)), np.ones((2, 2, 1, 1)), strides=strides)


@pytest.mark.parametrize(
    "arguments",
    [((5, 5, 3), -2, 3), ((5, 5), 2, 3), ((5, 5, 3), 2, 3, 1, "same", 0)],
    ids=["negative filters", "input shape without channels", "empty batch"],
)
def test_conv_layer_cost_rejects_impossible_layers(arguments):
    with pytest.raises(ValueError):
        conv_layer_cost(*arguments)


@pytest.mark.parametrize("n", range(1, 12))
@pytest.mark.parametrize("kernel_size", [2, 3])
@pytest.mark.parametrize("dilation", [2, 3])
def test_same_padding_of_a_dilated_kernel_matches_tensorflow(n, kernel_size, dilation):
    rng = np.random.default_rng(n * 100 + kernel_size * 10 + dilation)
    x = rng.normal(size=(1, n, 1, 1)).astype(np.float32)
    w = rng.normal(size=(kernel_size, 1, 1, 1)).astype(np.float32)
    before, after = same_padding(n, kernel_size, 1, dilation)
    same = tf.nn.conv2d(x, w, 1, "SAME", dilations=dilation)
    padded = tf.nn.conv2d(tf.pad(x, [[0, 0], [before, after], [0, 0], [0, 0]]), w, 1, "VALID", dilations=dilation)
    np.testing.assert_allclose(same.numpy(), padded.numpy(), atol=1e-5)


# --- one default padding everywhere ---------------------------------------------------------------


def test_every_helper_defaults_to_valid_padding_like_keras():
    import inspect

    from cnn_course import animations, conv, diagrams

    assert keras.layers.Conv2D(1, 3).padding == "valid"
    for function in (conv.conv_output_size, conv.conv2d_numpy, conv.conv_layer_cost, conv.im2col,
                     conv.conv2d_im2col, animations.convolution_steps, animations.animate_convolution,
                     diagrams.draw_strided_layer, diagrams.draw_strided_windows_1d):
        assert inspect.signature(function).parameters["padding"].default == "valid", function.__name__


# --- im2col: the convolution as one matrix product ------------------------------------------------


def test_im2col_rows_are_the_windows_in_kernel_order():
    x = np.arange(2 * 4 * 5 * 3, dtype=float).reshape(2, 4, 5, 3)
    columns = im2col(x, (2, 3), strides=1)
    assert columns.shape == (2 * 3 * 3, 2 * 3 * 3)
    np.testing.assert_array_equal(columns[0], x[0, 0:2, 0:3, :].ravel())
    np.testing.assert_array_equal(columns[3 * 3 + 2 * 3 + 1], x[1, 2:4, 1:4, :].ravel())


@pytest.mark.parametrize(("strides", "padding"), [(1, "valid"), (2, "same"), ((1, 3), "valid"), ((2, 1), "same")])
def test_conv2d_im2col_equals_conv2d_numpy_and_tensorflow(strides, padding):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 9, 11, 3))
    w = rng.normal(size=(3, 4, 3, 5))
    b = rng.normal(size=5)
    ours = conv2d_im2col(x, w, b, strides, padding)
    np.testing.assert_allclose(ours, conv2d_numpy(x, w, b, strides, padding), atol=1e-10)
    theirs = tf.nn.conv2d(x.astype("float32"), w.astype("float32"), strides, padding.upper()) + b
    np.testing.assert_allclose(ours, theirs.numpy(), atol=1e-4)


def test_im2col_rejects_bad_inputs():
    with pytest.raises(ValueError, match="batch, height, width, channels"):
        im2col(np.zeros((4, 4)), 3)
    with pytest.raises(ValueError, match="must match"):
        conv2d_im2col(np.zeros((1, 4, 4, 3)), np.zeros((3, 3, 2, 1)))

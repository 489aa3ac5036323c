"""Exercises of chapter 2, convolution."""

from __future__ import annotations

from cnn_course.checks import Exercise, choice, function, number, shape
from cnn_course.conv import conv2d_numpy, conv_layer_cost, conv_output_size

import numpy as np

# Q1: the parameters of a Conv2D layer on a 32-channel input.
Q1_IN_CHANNELS, Q1_FILTERS, Q1_KERNEL = 32, 64, 3

q1 = Exercise(
    title="Q1, parameters of a convolutional layer",
    checker=number(
        (Q1_KERNEL * Q1_KERNEL * Q1_IN_CHANNELS + 1) * Q1_FILTERS,
        mistakes={
            Q1_KERNEL * Q1_KERNEL * Q1_IN_CHANNELS * Q1_FILTERS: "each of the 64 filters also has one bias.",
            (Q1_KERNEL * Q1_KERNEL + 1) * Q1_FILTERS: "each filter spans all 32 input channels: its kernel "
            "has 3 x 3 x 32 weights, not 3 x 3.",
            Q1_KERNEL * Q1_KERNEL * Q1_IN_CHANNELS + 1: "that is one filter; the layer has 64 of them.",
            (Q1_KERNEL * Q1_KERNEL * Q1_FILTERS + 1) * Q1_IN_CHANNELS: "the input and output channels are "
            "swapped: each of the 64 filters has a 3 x 3 x 32 kernel and one bias.",
        },
    ),
    hint="Count the weights of one filter (its kernel covers every input channel), add its bias, "
    "then multiply by the number of filters.",
    solution="parameters = (3 * 3 * 32 + 1) * 64  # 18,496: (fh * fw * fn' + 1) * fn",
    praise="The image size never enters the count: every neuron of a feature map shares one kernel and bias.",
)


# Q2: the output shape of a Conv2D layer with Keras's defaults.
Q2_INPUT_SHAPE = (8, 28, 28, 1)
Q2_FILTERS, Q2_KERNEL = 16, 5
_Q2_SIDE = conv_output_size(Q2_INPUT_SHAPE[1], Q2_KERNEL, 1, "valid")
Q2_EXPECTED = (Q2_INPUT_SHAPE[0], _Q2_SIDE, _Q2_SIDE, Q2_FILTERS)


q2 = Exercise(
    title="Q2, the shape of the feature maps",
    checker=shape(
        Q2_EXPECTED,
        mistakes={
            (8, 28, 28, 16): "Keras's default padding is 'valid' (no zeros added): a 5 x 5 window fits "
            "in only 28 - 5 + 1 positions along each axis.",
            (8, 24, 24, 1): "the layer outputs one feature map per filter: 16 channels, whatever the "
            "number of input channels.",
            (24, 24, 16): "the batch axis stays: Keras returns one stack of feature maps per image.",
            (8, 23, 23, 16): "the first window starts at 0 and the last at 28 - 5 = 23: that is 24 positions.",
            (8, 16, 24, 24): "Keras puts the channels last: [batch, height, width, channels].",
            (None, 24, 24, 16): "None is how model.summary() writes \"any batch size\"; here the batch "
            "is known: 8 images.",
        },
    ),
    hint="The batch size is unchanged, each filter gives one map, and without padding a window of "
    "size f fits n - f + 1 times along an axis of n pixels.",
    solution="output_shape = (8, 28 - 5 + 1, 28 - 5 + 1, 16)  # (8, 24, 24, 16)\n"
    "# or let Keras say it:\n"
    "layer = keras.layers.Conv2D(filters=16, kernel_size=5)\n"
    "output_shape = layer.compute_output_shape((8, 28, 28, 1))",
    praise="Each 'valid' convolution trims f - 1 pixels per axis; chapter 3 shows how 'same' padding avoids it.",
)


# Q3: a cross-correlation written with loops, checked on the chapter's 4x4 input and on others.
Q3_INPUT = np.array([[1, 2, 0, 1],
                     [0, 1, 3, 1],
                     [2, 0, 1, 0],
                     [1, 1, 0, 2]])
Q3_KERNEL = np.array([[1, 2],
                      [0, -1]])


def _valid_2d(inputs: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Deep-learning "convolution" of 2D arrays, 'valid' padding, stride 1."""
    inputs, kernel = np.asarray(inputs, dtype=float), np.asarray(kernel, dtype=float)
    return conv2d_numpy(inputs[np.newaxis, :, :, np.newaxis], kernel[:, :, np.newaxis, np.newaxis])[0, :, :, 0]


def _q3_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """The chapter's example, then inputs and kernels that are not square, so a transposed loop shows."""
    rng = np.random.default_rng(3)
    return [(Q3_INPUT, Q3_KERNEL),
            (rng.integers(-3, 4, size=(5, 7)), rng.integers(-2, 3, size=(3, 2))),
            (rng.integers(-3, 4, size=(6, 4)), rng.integers(-2, 3, size=(2, 3)))]


Q3_EXPECTED = _valid_2d(Q3_INPUT, Q3_KERNEL)
# The library calls that slide the kernel for you; the exercise is to write that sliding yourself.
_LIBRARY_CONVOLUTIONS = {
    name: "it slides the kernel for you. Write the loops over the windows yourself (NumPy's "
    "multiplication and np.sum are fine); use the library afterwards to check your function."
    for name in ("correlate2d", "convolve2d", "correlate", "convolve", "fftconvolve", "oaconvolve",
                 "conv2d", "conv2d_numpy", "conv2d_im2col", "Conv2D", "convolution", "DepthwiseConv2D")
}

q3 = Exercise(
    title="Q3, a convolution written with loops",
    checker=function(
        _valid_2d,
        _q3_cases(),
        forbidden=_LIBRARY_CONVOLUTIONS,
        slips=[
            (lambda inputs, kernel: _valid_2d(inputs, np.asarray(kernel)[::-1, ::-1]),
             "your function flips the kernel: that is the convolution of mathematics (scipy.signal.convolve2d). "
             "Deep-learning layers slide the kernel as it is (cross-correlation)."),
        ],
    ),
    hint="Output (i, j) multiplies the kernel with the window whose top-left corner is input (i, j) and adds "
    "the products; 'valid' gives n - f + 1 outputs along each axis. Work out the top-left output of the 4x4 "
    "example on paper first, then write two loops (or a nested list comprehension) over i and j.",
    solution="def cross_correlate(inputs, kernel):\n"
    "    fh, fw = kernel.shape\n"
    "    rows, columns = inputs.shape[0] - fh + 1, inputs.shape[1] - fw + 1\n"
    "    return np.array([[np.sum(inputs[i:i + fh, j:j + fw] * kernel) for j in range(columns)]\n"
    "                     for i in range(rows)])\n\n"
    "answer = cross_correlate\n"
    f"# cross_correlate(Q3_INPUT, Q3_KERNEL) gives {Q3_EXPECTED.astype(int).tolist()}",
    praise="This is exactly what tf.nn.conv2d computes, one window at a time (and correlate2d agrees).",
)


# Q4: the output memory of a layer for a mini-batch.
Q4_INPUT_SHAPE, Q4_FILTERS, Q4_KERNEL, Q4_STRIDE, Q4_BATCH = (200, 300, 3), 100, 3, 2, 50
_Q4_COST = conv_layer_cost(Q4_INPUT_SHAPE, Q4_FILTERS, Q4_KERNEL, strides=Q4_STRIDE, padding="same",
                           batch_size=Q4_BATCH)
Q4_EXPECTED_MB = _Q4_COST.output_bytes_per_batch / 1e6
_Q4_NO_STRIDE_MB = 200 * 300 * Q4_FILTERS * 4 * Q4_BATCH / 1e6

q4 = Exercise(
    title="Q4, memory of the feature maps",
    checker=number(
        Q4_EXPECTED_MB,
        rel_tol=1e-3,
        mistakes={
            _Q4_NO_STRIDE_MB: "stride 2 with 'same' padding halves the height and the width: the maps "
            "are 100 x 150.",
            Q4_EXPECTED_MB / Q4_BATCH: "that is one image; the question asks for the mini-batch of 50.",
            Q4_EXPECTED_MB * 8: "a float32 value takes 32 bits, which is 4 bytes.",
            Q4_EXPECTED_MB * 2: "float32 takes 4 bytes per value (8 is float64).",
            Q4_EXPECTED_MB * 1e6 / 2**20: "that is in MiB (2**20 bytes); the question uses MB = 10**6 bytes.",
            Q4_EXPECTED_MB * 1e6: "that is the number of bytes; the question asks for megabytes (10**6 bytes).",
            Q4_EXPECTED_MB * 1e3: "that is in kilobytes (10**3 bytes); the question asks for megabytes "
            "(10**6 bytes).",
            Q4_EXPECTED_MB / 1e3: "that is in gigabytes (10**9 bytes); the question asks for megabytes "
            "(10**6 bytes).",
            Q4_EXPECTED_MB * 1e6 / 4: "that is the number of float32 values; each takes 4 bytes, and the "
            "question asks for megabytes.",
        },
    ),
    hint="Work out the output shape first (stride 2, 'same': ceil(n / 2) per axis), multiply its "
    "values by 4 bytes and by the batch size, then divide by 10**6.",
    solution="megabytes = 50 * 100 * 150 * 100 * 4 / 1e6  # 300.0 MB\n"
    "# or: conv_layer_cost((200, 300, 3), filters=100, kernel_size=3, strides=2,\n"
    "#     padding='same', batch_size=50).output_bytes_per_batch / 1e6",
    praise="Feature maps, not parameters, fill the memory of a CNN, and the batch size multiplies them.",
)


q5 = Exercise(
    title="Q5, what a 1 x 1 convolution does",
    checker=choice(
        "d",
        {
            "a": "a 1 x 1 window sees one pixel, but all of its channels: each output channel is a "
            "weighted sum of them, so the layer changes the image unless its weights happen to be the identity.",
            "b": "a 1 x 1 window never looks at neighbouring pixels, so it can neither blur nor detect edges.",
            "c": "with stride 1, a 1 x 1 convolution keeps the height and the width; only the number of "
            "channels changes, to the number of filters.",
            "d": "",
        },
    ),
    hint="Write the output equation with fh = fw = 1: which sums are left?",
    solution="answer = 'd'  # z[i, j, k] = b[k] + sum over k' of x[i, j, k'] * w[0, 0, k', k]",
    praise="A dense layer applied to every pixel: a cheap way to mix channels and to shrink or grow the depth.",
)

EXERCISES = [q1, q2, q3, q4, q5]

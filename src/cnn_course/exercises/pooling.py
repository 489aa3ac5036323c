"""Exercises of chapter 5, pooling."""

from cnn_course.checks import Exercise, array, number, shape
from cnn_course.conv import conv_output_size
from cnn_course.pooling import pool2d_numpy, pooling_gradient
from cnn_course.transforms import shift_images

import numpy as np

# Q1: max pooling a 4x4 matrix by hand
Q1_MATRIX = np.array([[2, 0, 1, 4],
                      [7, 3, 0, 2],
                      [1, 1, 6, 5],
                      [0, 8, 2, 3]])
_q1_max = pool2d_numpy(Q1_MATRIX)

q1 = Exercise(
    title="Q1, max pooling by hand",
    checker=array(
        _q1_max,
        mistakes=[
            (pool2d_numpy(Q1_MATRIX, mode="average"), "those are the means of the windows (average pooling); "
             "max pooling keeps the largest value of each window."),
            (_q1_max.T, "the values are right but rows and columns are swapped: output (0, 1) comes from "
             "the top-right window, rows 0-1 and columns 2-3."),
            (-pool2d_numpy(-Q1_MATRIX), "those are the smallest values of the windows; max pooling keeps "
             "the largest."),
            (pool2d_numpy(Q1_MATRIX, strides=1), "that is a 2x2 window moved one cell at a time (stride 1); "
             "MaxPool2D(pool_size=2) moves it by 2, so the windows do not overlap."),
            (_q1_max.ravel(), "the four values are right; give them as a 2x2 array, the shape of the output, "
             "e.g. [[a, b], [c, d]]."),
        ],
    ),
    hint="Split the matrix into four 2x2 blocks that do not overlap; each block gives one output, "
         "in the same place.",
    solution="solution_q1 = pool2d_numpy(np.array([[2, 0, 1, 4], [7, 3, 0, 2], [1, 1, 6, 5], [0, 8, 2, 3]]))\n"
             "# [[7, 4], [8, 6]]: the largest value of each 2x2 block",
    praise="Twelve of the sixteen values went nowhere: only the winner of each window passes.",
)

# Q2: the output shape of an overlapping max pooling (AlexNet's 3x3 windows at stride 2)
Q2_INPUT, Q2_POOL, Q2_STRIDE = (32, 76, 100, 64), 3, 2


def _q2_shape(pool: int, stride: int, padding: str = "valid") -> tuple[int, int, int, int]:
    batch, height, width, depth = Q2_INPUT
    return batch, conv_output_size(height, pool, stride, padding), conv_output_size(width, pool, stride, padding), depth


_q2_expected = _q2_shape(Q2_POOL, Q2_STRIDE)
_q2_steps = (Q2_INPUT[0], (Q2_INPUT[1] - Q2_POOL) // Q2_STRIDE, (Q2_INPUT[2] - Q2_POOL) // Q2_STRIDE, Q2_INPUT[3])

q2 = Exercise(
    title="Q2, the shape after an overlapping pooling",
    checker=shape(
        _q2_expected,
        mistakes={
            _q2_shape(2, 2): "that is the size 2x2 windows at stride 2 give (and also \"same\" padding, which rounds "
                             "up); here each window is 3 wide, pads nothing (\"valid\") and must fit inside the map.",
            _q2_shape(Q2_POOL, Q2_POOL): "that is a stride of 3, the pool size; here the stride is given.",
            _q2_shape(Q2_POOL, 1): "that is a 3x3 window at stride 1; this layer moves it 2 at a time.",
            _q2_steps: "that counts the steps from the first window to the last, not the windows: try your formula "
                       "on a row of 5 values, whose windows you can count by hand.",
            (*_q2_expected[:3], Q2_INPUT[3] // Q2_POOL): "pooling works on each channel separately: the depth does "
                                                         "not change.",
            (Q2_INPUT[0] // 2, *_q2_expected[1:]): "the batch axis is not pooled: 32 images go in, 32 come out.",
            _q2_expected[1:]: "keep the batch axis first: the output is a batch of 32 pooled images.",
        },
    ),
    hint="Chapter 4's rule for a window of size k at stride s without padding gives the number of windows along "
         "one axis; apply it to the height and the width only.",
    solution="solution_q2 = keras.layers.MaxPool2D(pool_size=3, strides=2)(tf.zeros([32, 76, 100, 64])).shape\n"
             "# (32, 37, 49, 64): floor((76 - 3) / 2) + 1 = 37, floor((100 - 3) / 2) + 1 = 49, same batch and depth",
    praise="2x2 windows at stride 2 would give (32, 38, 50, 64): about the same size; the stride sets the size, "
           "the window how much neighbours share.",
)

# Q3: how many pooled values a one-pixel shift changes
Q3_ROW = [0, 7, 0, 0, 3, 0]


def _changed_after_shift(row) -> int:
    before = pool2d_numpy([row], pool_size=(1, 2))
    after = pool2d_numpy(shift_images([row], dx=1), pool_size=(1, 2))
    return int((before != after).sum())


q3 = Exercise(
    title="Q3, a shift against the pooling grid",
    checker=number(
        _changed_after_shift(Q3_ROW),
        mistakes={
            0: "max pooling ignores a shift only while every maximum stays in its window; look at where the 7 "
               "sits in its window.",
            1: "a value that leaves one window does not vanish: compare the two pooled rows position by position.",
            3: "check the 3 again: does it leave its window?",
        },
    ),
    hint="Write the pooled row before and after (windows cover positions 0-1, 2-3 and 4-5), then compare "
         "them position by position.",
    solution="solution_q3 = int(np.sum(pool2d_numpy([[0, 7, 0, 0, 3, 0]], (1, 2)) != "
             "pool2d_numpy([[0, 0, 7, 0, 0, 3]], (1, 2))))\n"
             "# before [[7, 0, 3]], after [[0, 7, 3]]: windows 0 and 1 changed, window 2 did not",
    praise="Invariance depends on where each maximum sits relative to the pooling grid: the 3 changed no "
           "output, the 7 changed two.",
)

# Q4: the parameters of a global-average-pooling head
Q4_MAPS, Q4_CLASSES = (8, 8, 256), 10
_q4_gap = Q4_MAPS[2] * Q4_CLASSES + Q4_CLASSES
_q4_flatten = Q4_MAPS[0] * Q4_MAPS[1] * Q4_MAPS[2] * Q4_CLASSES + Q4_CLASSES

q4 = Exercise(
    title="Q4, a global-average-pooling head",
    checker=number(
        _q4_gap,
        mistakes={
            _q4_gap - Q4_CLASSES: "each output neuron also has a bias.",
            _q4_flatten: "that is the Flatten + Dense head, which sees all 8 x 8 x 256 values; global average "
                         "pooling leaves one value per feature map.",
            _q4_flatten - Q4_CLASSES: "that is the Flatten + Dense head without its biases; global average "
                                      "pooling leaves one value per feature map.",
            Q4_CLASSES: "the pooling layer has no weights, but the Dense layer after it has: count its weights "
                        "and its biases.",
            0: "the pooling layer has no weights, but the Dense layer after it has.",
        },
    ),
    hint="GlobalAvgPool2D turns [8, 8, 256] into 256 numbers and has no weights; count the Dense layer's "
         "weights and biases.",
    solution="solution_q4 = 256 * 10 + 10  # 2,570: GlobalAvgPool2D has no weights, Dense(10) has 256 x 10 + 10",
    praise=f"The Flatten + Dense head would need {_q4_flatten:,}, about {_q4_flatten / _q4_gap:.0f} times more.",
)

# Q5: a depthwise convolution, which is not depthwise pooling
Q5_INPUT, Q5_KERNEL = (16, 28, 28, 32), 4
_q5_maps = conv_output_size(Q5_INPUT[1], Q5_KERNEL, 1)
_q5_expected = (Q5_INPUT[0], _q5_maps, _q5_maps, Q5_INPUT[3])

q5 = Exercise(
    title="Q5, a depthwise convolution",
    checker=shape(
        _q5_expected,
        mistakes={
            (*Q5_INPUT[:3], Q5_INPUT[3] // Q5_KERNEL): "that is what depthwise *pooling* in groups of 4 channels "
                                                       "gives; DepthwiseConv2D is a convolution.",
            (Q5_INPUT[0], Q5_INPUT[1] // Q5_KERNEL, Q5_INPUT[2] // Q5_KERNEL, Q5_INPUT[3]):
                "that is a 4x4 pooling at stride 4; a convolution moves by 1 unless you set its stride.",
            Q5_INPUT: "that needs \"same\" padding; DepthwiseConv2D pads nothing by default (\"valid\").",
            (*_q5_expected[:3], Q5_INPUT[3] // Q5_KERNEL): "the height and the width are right; check what a "
                                                           "depthwise convolution does to the number of channels.",
            (*_q5_expected[:3], 1): "that is what Conv2D(1, 4) gives, summing every channel into one map; a "
                                    "depthwise convolution works otherwise (the section \"Not a depthwise "
                                    "convolution\").",
            (*Q5_INPUT[:3], Q5_INPUT[3] * Q5_KERNEL): "kernel_size is the side of the window, not a number of "
                                                      "output maps: work out the height and width, then the channels.",
        },
    ),
    hint="Two questions: what does a depthwise convolution do to the channels (the section \"Not a depthwise "
         "convolution\"), and what does a 4x4 window without padding do to 28 pixels (chapter 3)?",
    solution="solution_q5 = keras.layers.DepthwiseConv2D(kernel_size=4)(tf.zeros([16, 28, 28, 32])).shape\n"
             "# (16, 25, 25, 32): each channel filtered on its own, 28 - 4 + 1 = 25 without padding",
    praise="Depthwise pooling in groups of 4 would give (16, 28, 28, 8): the same word, the other axes.",
)

# Q6: equivariance of two stacked poolings to a shift by a multiple of their strides
Q6_SHIFT, Q6_STRIDES = 4, (2, 2)
_q6_expected = Q6_SHIFT // Q6_STRIDES[0] // Q6_STRIDES[1]

q6 = Exercise(
    title="Q6, a shift through two poolings",
    checker=number(
        _q6_expected,
        mistakes={
            0: "a shift by a multiple of the strides is not ignored: it moves the output, as C's output moved.",
            Q6_SHIFT // Q6_STRIDES[0]: "that is where the first pooling's output moved; follow that shift through "
                                       "the second pooling too.",
            Q6_SHIFT: "the output has fewer columns than the input: one output column covers several input "
                      "columns.",
        },
    ),
    hint="Follow the shift one layer at a time: by how many of its own columns does the first pooling's output "
         "move, and what does the second pooling then see?",
    solution="solution_q6 = 4 // 2 // 2  # 4 pixels = 2 columns after the first pooling = 1 after the second",
    praise="The output moves by whole columns only for shifts by multiples of 4, the product of the strides: the "
           "deeper the network, the coarser its grid.",
)

# Q7: the gradient that max pooling passes back
Q7_MATRIX = np.array([[1, 3, 2, 0],
                      [4, 2, 5, 1],
                      [0, 6, 1, 2],
                      [2, 1, 3, 7]])
Q7_UPSTREAM = np.array([[1, 2],
                        [3, 4]])
_q7_gradient = pooling_gradient(Q7_MATRIX, Q7_UPSTREAM)
_q7_winners = pooling_gradient(Q7_MATRIX, np.ones_like(Q7_UPSTREAM))
_q7_losers = np.where(_q7_winners == 0, np.kron(Q7_UPSTREAM, np.ones((2, 2))), 0)

q7 = Exercise(
    title="Q7, the gradient through max pooling",
    checker=array(
        _q7_gradient,
        mistakes=[
            (pooling_gradient(Q7_MATRIX, Q7_UPSTREAM, mode="average"), "that is average pooling's gradient, "
             "shared equally by the four inputs of each window; a maximum depends on one input only."),
            (np.kron(Q7_UPSTREAM, np.ones((2, 2))), "that gives every input of a window its output's gradient; "
             "only the input that holds the maximum moves the output, so only it receives the gradient."),
            (_q7_winners, "the positions are right; each of them receives the gradient of its own output (1, 2, 3 "
             "or 4), not 1."),
            (Q7_MATRIX * _q7_winners, "those are the values the pooling kept, at their positions; the gradient "
             "that reaches a winner is its output's gradient (the derivative of the maximum with respect to it "
             "is 1)."),
            (_q7_losers, "that is every input except the maxima; the gradient goes to the maximum of each window "
             "and nowhere else."),
            (Q7_UPSTREAM, "that is the gradient with respect to the four outputs, given in the question; the "
             "gradient with respect to the input has the input's shape, 4x4."),
        ],
    ),
    hint="Nudge one input of a window a little: does the window's maximum move? Only one input per window makes "
         "it move, and by as much as it moved itself.",
    solution="solution_q7 = pooling_gradient(np.array([[1, 3, 2, 0], [4, 2, 5, 1], [0, 6, 1, 2], [2, 1, 3, 7]]),\n"
             "                               np.array([[1, 2], [3, 4]]))\n"
             "# each window's maximum (4, 5, 6 and 7) receives its output's gradient, every other input 0:\n"
             "# [[0, 0, 0, 0], [1, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 4]]",
    praise="Twelve of the sixteen inputs receive no gradient from this layer: in backpropagation too, only the "
           "winners count.",
)

# Q8: average pooling with "same" padding, which leaves the padding out of its count
Q8_MATRIX = np.array([[2, 4, 1],
                      [6, 0, 3],
                      [5, 7, 9]])


def _q8_means(x, pad_before: int, pad_after: int, count_padding: bool = False) -> np.ndarray:
    """2x2 windows at stride 2 over ``x`` padded with zeros, each averaged over its real inputs (or over 4)."""
    padded = np.pad(np.asarray(x, dtype=float), (pad_before, pad_after))
    real = np.pad(np.ones(np.shape(x)), (pad_before, pad_after))
    sums, counts = pool2d_numpy(padded, mode="average") * 4, pool2d_numpy(real, mode="average") * 4
    return sums / 4 if count_padding else sums / counts


_q8_expected = _q8_means(Q8_MATRIX, 0, 1)

q8 = Exercise(
    title="Q8, average pooling with \"same\" padding",
    checker=array(
        _q8_expected,
        mistakes=[
            (_q8_means(Q8_MATRIX, 0, 1, count_padding=True), "that counts the padded zeros in the mean; Keras "
             "averages only the inputs each window covers."),
            (pool2d_numpy(np.pad(Q8_MATRIX, (0, 1))), "those are the maxima of the windows (max pooling); the "
             "layer averages."),
            (pool2d_numpy(Q8_MATRIX, mode="average"), "that is \"valid\" padding, which drops the last row and "
             "column; \"same\" pads so that every input is read."),
            (_q8_means(Q8_MATRIX, 1, 0), "that puts the padding at the top and the left; Keras adds the extra row "
             "and column at the bottom and the right (chapter 3's rule)."),
        ],
    ),
    hint="With \"same\" padding, 3 rows at stride 2 give 2 outputs: where does the padded row go (chapter 3), and "
         "which real inputs does each of the four windows then cover?",
    solution="solution_q8 = keras.layers.AvgPool2D(2, padding=\"same\")(as_batch([[2, 4, 1], [6, 0, 3], [5, 7, 9]]))\n"
             "solution_q8 = solution_q8[0, :, :, 0]  # the one map of the batch of one\n"
             "# windows: 2, 4, 6, 0 -> 3; 1, 3 -> 2; 5, 7 -> 6; 9 alone -> 9: [[3, 2], [6, 9]]",
    praise="The corner's only real input passes unchanged: the padding is there for the grid, not for the "
           "arithmetic.",
)

# Q9: global max pooling beside global average pooling
Q9_SIZE, Q9_SPOT, Q9_VALUE = 8, 2, 8
_q9_max, _q9_mean = Q9_VALUE, Q9_SPOT * Q9_SPOT * Q9_VALUE / Q9_SIZE**2

q9 = Exercise(
    title="Q9, global max and global average pooling",
    checker=array(
        [_q9_max, _q9_mean],
        mistakes=[
            ([_q9_mean, _q9_max], "the two values are right, in the wrong order: the global maximum first."),
            ([_q9_max, _q9_max], "global average pooling averages the whole map, its zeros included, not only "
                                 "the spot."),
            ([Q9_SPOT * Q9_SPOT * Q9_VALUE, _q9_mean], "that is the sum of the map; global max pooling keeps its "
                                                       "largest value."),
            ([_q9_max, Q9_SPOT * Q9_SPOT * Q9_VALUE], "that is the sum of the map; the average divides it by the "
                                                      "number of positions."),
            ([_q9_max, Q9_VALUE / 4], "that averages a 2x2 window; a global pooling has one window, the whole 8x8 "
                                      "map."),
        ],
    ),
    hint="A global pooling has one window, as large as the map: 64 positions. Which of them holds the maximum, "
         "and what is the sum of all 64?",
    solution="spot = np.zeros((1, 8, 8, 1), dtype=\"float32\")\n"
             "spot[0, 3:5, 3:5, 0] = 8\n"
             "solution_q9 = [float(keras.layers.GlobalMaxPool2D()(spot)[0, 0]),\n"
             "               float(keras.layers.GlobalAvgPool2D()(spot)[0, 0])]\n"
             "# [8.0, 0.5]: the spot's strength, and its 4 x 8 = 32 spread over 64 positions",
    praise="The maximum says how strongly the feature was found; the mean mixes that with how much of the map it "
           "covers: a spot four times larger at half the strength would have a mean of 1.",
)

EXERCISES = [q1, q2, q3, q4, q5, q6, q7, q8, q9]

"""Exercises of chapter 5, pooling."""

from cnn_course.checks import Exercise, array, number, shape
from cnn_course.conv import conv_output_size
from cnn_course.pooling import pool2d_numpy
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

# Q2: the output shape of MaxPool2D on an odd-sized batch
Q2_INPUT = (32, 75, 101, 64)
_q2_expected = (Q2_INPUT[0], conv_output_size(Q2_INPUT[1], 2, 2), conv_output_size(Q2_INPUT[2], 2, 2), Q2_INPUT[3])

q2 = Exercise(
    title="Q2, the shape after MaxPool2D",
    checker=shape(
        _q2_expected,
        mistakes={
            (32, 38, 51, 64): 'that rounds up, as "same" padding would; MaxPool2D pads nothing by default '
                              '("valid"), so 75 rows give floor(75 / 2) = 37 and the last row is dropped.',
            (32, 37, 50, 32): "pooling works on each channel separately: the depth stays 64.",
            (16, 37, 50, 64): "the batch axis is not pooled: 32 images go in, 32 come out.",
            (37, 50, 64): "keep the batch axis first: the output is a batch of 32 pooled images.",
            (32, 74, 100, 64): "that is a 2x2 window at stride 1; Keras's stride defaults to the pool size, 2.",
        },
    ),
    hint="Pooling touches only the height and the width: each is divided by 2 and rounded, in which direction?",
    solution="solution_q2 = keras.layers.MaxPool2D(pool_size=2)(tf.zeros([32, 75, 101, 64])).shape\n"
             "# (32, 37, 50, 64): floor(75 / 2) = 37, floor(101 / 2) = 50, same batch and depth",
    praise="An odd size loses its last row or column; the depth and the batch never change.",
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
            0: "max pooling ignores a shift only while every maximum stays in its window; here the 7 sits at "
               "the right edge of window 0 and moves into window 1.",
            1: "when the 7 leaves window 0 it also enters window 1: both outputs change.",
            3: "the 3 moves from position 4 to 5 and stays in window 2, so that output does not change.",
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
            _q4_gap - Q4_CLASSES: "each of the 10 output neurons also has a bias: add 10.",
            _q4_flatten: "that is the Flatten + Dense head, which sees all 8 x 8 x 256 values; global average "
                         "pooling leaves one value per feature map, 256.",
            _q4_flatten - Q4_CLASSES: "that is the Flatten + Dense head without its biases; global average "
                                      "pooling leaves one value per feature map.",
            Q4_CLASSES: "the pooling layer has no weights, but the Dense layer after it has: 256 inputs for "
                        "each of 10 neurons, plus biases.",
            0: "the pooling layer has no weights, but the Dense layer after it has.",
        },
    ),
    hint="GlobalAvgPool2D turns [8, 8, 256] into 256 numbers and has no weights; count the Dense layer's "
         "weights and biases.",
    solution="solution_q4 = 256 * 10 + 10  # 2,570: GlobalAvgPool2D has no weights, Dense(10) has 256 x 10 + 10",
    praise=f"The Flatten + Dense head would need {_q4_flatten:,}, about {_q4_flatten / _q4_gap:.0f} times more.",
)

# Q5: the output shape of depthwise pooling
Q5_INPUT, Q5_POOL = (16, 28, 28, 32), 4
_q5_expected = (*Q5_INPUT[:3], Q5_INPUT[3] // Q5_POOL)

q5 = Exercise(
    title="Q5, depthwise pooling",
    checker=shape(
        _q5_expected,
        mistakes={
            (16, 7, 7, 32): "that is spatial pooling with a 4x4 window; depthwise pooling keeps the height and "
                            "width and pools across channels.",
            (16, 28, 28, 128): "pooling reduces: each group of 4 channels becomes one, so 32 channels become 8.",
            (16, 28, 28, 32): "the layer does change the shape: every group of 4 channels becomes one channel.",
            (16, 7, 7, 8): "only the channels are pooled: the height and the width stay 28.",
        },
    ),
    hint="Spatial pooling shrinks height and width and keeps the channels; depthwise pooling does the opposite.",
    solution="solution_q5 = DepthwiseMaxPool2D(pool_size=4)(tf.zeros([16, 28, 28, 32])).shape  # (16, 28, 28, 8)",
    praise="Each output map is, pixel by pixel, the strongest of 4 input maps.",
)

EXERCISES = [q1, q2, q3, q4, q5]

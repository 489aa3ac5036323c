"""Exercises of chapter 3, padding."""

from cnn_course.checks import Exercise, array, choice, number
from cnn_course.conv import conv_output_size, same_padding

import numpy as np

# Q1: a stack of "valid" 3x3 layers on an MNIST-sized image.
IMAGE_SIDE = 28
STACKED_LAYERS = 6
STACKED_KERNEL = 3


def _stacked_valid_side(side: int, layers: int, kernel: int) -> int:
    for _ in range(layers):
        side = conv_output_size(side, kernel, 1, "valid")
    return side


q1 = Exercise(
    title="Q1, a stack of 'valid' layers",
    checker=number(
        _stacked_valid_side(IMAGE_SIDE, STACKED_LAYERS, STACKED_KERNEL),
        mistakes={
            IMAGE_SIDE: "that is what 'same' padding would keep; 'valid' adds no zeros, so every layer shrinks "
            "the map.",
            IMAGE_SIDE - STACKED_LAYERS: "a 3x3 window loses one pixel on each side, so 2 per layer, not 1.",
            IMAGE_SIDE - STACKED_LAYERS * STACKED_KERNEL: "a 3x3 window fits n - 3 + 1 times, not n - 3: "
            "each layer removes 2 pixels, not 3.",
            _stacked_valid_side(IMAGE_SIDE, 1, STACKED_KERNEL): "that is the side after one layer; the "
            "question stacks six.",
        },
    ),
    hint="One 'valid' layer with a 3x3 kernel turns n pixels into n - 3 + 1. Apply that six times "
    "(or call conv_output_size in a loop).",
    solution="side = 28\nfor _ in range(6):\n    side = conv_output_size(side, 3, 1, 'valid')\n"
    "answer = side  # 16: each layer removes 2 pixels, 28 - 6 * 2",
    praise="Six layers already cost 12 of 28 pixels: without padding, deep stacks run out of image.",
)

# Q2: the paddings argument for a batch of images.
BATCH_PADDINGS = [[0, 0], [2, 2], [1, 1], [0, 0]]

q2 = Exercise(
    title="Q2, the paddings argument",
    checker=array(
        BATCH_PADDINGS,
        mistakes=[
            ([[0, 0], [1, 1], [2, 2], [0, 0]], "the rows of paddings follow the axes of the tensor: height "
             "(axis 1) comes before width (axis 2)."),
            ([[2, 2], [1, 1], [0, 0], [0, 0]], "the first axis of the batch is the batch itself: its row "
             "must be [0, 0], or you add blank images."),
            ([[0, 0], [2, 2], [1, 1], [1, 1]], "padding the last axis adds fake colour channels; the "
             "question pads rows and columns only."),
            ([[0, 0], [4, 4], [2, 2], [0, 0]], "each row is [zeros before, zeros after], already per side: "
             "2 above and 2 below is [2, 2]."),
        ],
    ),
    hint="paddings has one row per axis of [batch, height, width, channels], each row [before, after].",
    solution="answer = [[0, 0], [2, 2], [1, 1], [0, 0]]  # batch, height, width, channels",
    praise="One row per axis, [before, after] in each: the same shape whatever the mode.",
)

# Q3: SYMMETRIC padding of a 1D tensor.
SEQUENCE = np.arange(1, 6)
SEQUENCE_PADDING = (2, 3)

q3 = Exercise(
    title="Q3, SYMMETRIC by hand",
    checker=array(
        np.pad(SEQUENCE, SEQUENCE_PADDING, mode="symmetric"),  # NumPy's "symmetric" is TensorFlow's SYMMETRIC
        mistakes=[
            (np.pad(SEQUENCE, SEQUENCE_PADDING, mode="reflect"), "that is REFLECT, which mirrors around the "
             "edge value without repeating it; SYMMETRIC repeats the edge (1, 1 and 5, 5)."),
            (np.pad(SEQUENCE, SEQUENCE_PADDING), "that is CONSTANT, the zero padding of 'same'."),
            (np.pad(SEQUENCE, SEQUENCE_PADDING[::-1], mode="symmetric"), "[2, 3] means 2 values before "
             "(left) and 3 after (right), not the other way round."),
        ],
    ),
    hint="SYMMETRIC holds a mirror against the edge, so the edge value itself appears twice: padding "
    "[7, 8, 9] by one on each side gives [7, 7, 8, 9, 9].",
    solution='answer = tf.pad(tf.constant([1, 2, 3, 4, 5]), [[2, 3]], "SYMMETRIC").numpy()\n'
    "# [2 1 1 2 3 4 5 5 4 3]",
    praise="SYMMETRIC repeats the edge, REFLECT does not: the one difference between the two.",
)

# Q4: how "same" splits its padding at stride 2.
SPLIT_HEIGHT, SPLIT_KERNEL, SPLIT_STRIDE = 8, 3, 2
_split = same_padding(SPLIT_HEIGHT, SPLIT_KERNEL, SPLIT_STRIDE)

q4 = Exercise(
    title="Q4, where 'same' puts its zeros",
    checker=array(
        _split,
        mistakes=[
            (same_padding(SPLIT_HEIGHT, SPLIT_KERNEL, 1), "that is the padding at stride 1 (kernel - 1 = 2 "
             "zeros). At stride 2 'same' only needs ceil(8 / 2) = 4 windows, which need fewer zeros."),
            (_split[::-1], "TensorFlow puts the odd zero after the input: at the bottom, not the top."),
            ((sum(_split) / 2, sum(_split) / 2), "zeros come whole; when their total P is odd, the extra one "
             "goes at the bottom."),
        ],
    ),
    hint="Follow chapter 3's three steps: how many windows must 'same' place on 8 rows at stride 2, how "
    "many rows do they cover together, and on which side does TensorFlow put an odd zero?",
    solution="answer = same_padding(8, 3, 2)  # (0, 1)\n"
    "# 4 windows need (4 - 1) * 2 + 3 = 9 rows, 1 more than 8: one zero, at the end",
    praise="With a stride, 'same' pads only what the last window needs, and any odd zero goes at the bottom.",
)

q5 = Exercise(
    title="Q5, a blur without a dark frame",
    checker=choice(
        "a",
        {
            "a": "",
            "b": "'same' pads with zeros, and zeros are black: the blurred border comes out darker, as in "
            "the pictures of this chapter.",
            "c": "the paddings argument needs one row per axis of the 4D batch, and a layer with padding='same' "
            "would pad a second time, so the output would be larger than the photo.",
        },
    ),
    hint="Ask two questions of each option: what fills the border (zeros are black), and does the "
    "output keep the photos' height and width (count what each padding adds and what each layer removes)?",
    solution="answer = 'a'\n# pad with REFLECT yourself (3 = 7 // 2 per side), then blur with 'valid'",
    praise="Any padding mode with any layer: pad with tf.pad, then use padding='valid'.",
)

EXERCISES = [q1, q2, q3, q4, q5]

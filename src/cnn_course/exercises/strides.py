"""Exercises of chapter 4, strides."""

from cnn_course.checks import Exercise, array, number
from cnn_course.conv import conv_output_size
from cnn_course.strides import ignored_inputs, receptive_field

# Q1: the columns neuron (1, 3) reads, with 3x4 kernels and strides (2, 3)
Q1_NEURON, Q1_KERNEL, Q1_STRIDES = (1, 3), (3, 4), (2, 3)
_q1_rows, _q1_columns = receptive_field(*Q1_NEURON, Q1_KERNEL, Q1_STRIDES)

q1 = Exercise(
    title="Q1, a strided receptive field",
    checker=array(
        list(_q1_columns),
        mistakes=[
            (list(range(3, 7)), "that is the field at stride 1: the window of column j starts at j * sw, "
                                "not at j."),
            (list(range(6, 10)), "you used the vertical stride sh = 2; columns move by the horizontal "
                                 "stride sw = 3."),
            (list(range(10, 14)), "the first column is j * sw itself (counting from 0), not j * sw + 1."),
        ],
    ),
    hint="Columns depend on j, the horizontal stride sw and the kernel width fw: j*sw .. j*sw + fw - 1.",
    solution="rows, columns = receptive_field(1, 3, kernel_size=(3, 4), strides=(2, 3))\n"
             "answer = list(columns)  # [9, 10, 11, 12]: from 3 * 3 = 9, fw = 4 columns",
    praise="Rows work the same way with i, sh and fh: rows 2 to 4 here.",
)

# Q2: "valid" output width
Q2_N, Q2_KERNEL, Q2_STRIDE = 28, 5, 3

q2 = Exercise(
    title='Q2, "valid" at stride 3',
    checker=number(
        conv_output_size(Q2_N, Q2_KERNEL, Q2_STRIDE, "valid"),
        mistakes={
            conv_output_size(Q2_N, Q2_KERNEL, Q2_STRIDE, "same"): 'that is the "same" size, ceil(28 / 3); '
            '"valid" adds no padding, so the kernel must fit.',
            (Q2_N - Q2_KERNEL) / Q2_STRIDE + 1: "an output size is a whole number of windows: round "
            "(28 - 5) / 3 down before adding 1.",
            Q2_N - Q2_KERNEL + 1: "that is the size at stride 1; divide the free room 28 - 5 by the stride.",
            (Q2_N - Q2_KERNEL) // Q2_STRIDE: "you forgot the first window: floor((n - f) / s) counts the "
            "steps, and there is one more window than steps.",
        },
    ),
    hint="The first window sits at 0; each step moves it 3 inputs, as long as its 5 inputs still fit in 28.",
    solution='answer = (28 - 5) // 3 + 1  # 8, the same as conv_output_size(28, 5, 3, "valid")',
    praise="Windows start at 0, 3, ..., 21, and the last one reads inputs 21 to 25.",
)

# Q3: "same" output size
Q3_N, Q3_KERNEL, Q3_STRIDE = 100, 5, 3

q3 = Exercise(
    title='Q3, "same" at stride 3',
    checker=number(
        conv_output_size(Q3_N, Q3_KERNEL, Q3_STRIDE, "same"),
        mistakes={
            Q3_N // Q3_STRIDE: '100 / 3 is 33.33; "same" rounds up, padding the last, partial window.',
            conv_output_size(Q3_N, Q3_KERNEL, Q3_STRIDE, "valid"): 'that is the "valid" size; "same" pads, '
            "so the kernel size does not matter: ceil(n / s).",
            Q3_N / Q3_STRIDE: "an output size is a whole number of neurons: round 100 / 3 up.",
            Q3_N: '"same" keeps the size only at stride 1; at stride 3 there is one output per 3 inputs.',
        },
    ),
    hint='With "same", TensorFlow pads so that every block of 3 inputs starts a window, the last block too.',
    solution="answer = math.ceil(100 / 3)  # 34; the kernel size (5) only sets the padding",
    praise="The kernel size changes the padding, never the output size, of a \"same\" layer.",
)

# Q4: the smallest length above 23 that a "valid" layer reads whole
Q4_N, Q4_KERNEL, Q4_STRIDE = 23, 5, 4


def _first_length_read_whole(above: int, kernel: int, stride: int) -> int:
    """The smallest input length larger than ``above`` of which a "valid" layer reads every input."""
    return next(n for n in range(above + 1, above + 1 + stride) if not ignored_inputs(n, kernel, stride, "valid"))


_q4_length = _first_length_read_whole(Q4_N, Q4_KERNEL, Q4_STRIDE)
_q4_next = _q4_length + Q4_STRIDE


def _left_over(n: int) -> str:
    left = (n - Q4_KERNEL) % Q4_STRIDE
    return f"with {n} inputs, ({n} - {Q4_KERNEL}) % {Q4_STRIDE} = {left} " \
           f"{'input is' if left == 1 else 'inputs are'} still left over."


q4 = Exercise(
    title="Q4, a length read whole",
    checker=number(
        _q4_length,
        mistakes={
            Q4_N: "the question asks for a length larger than 23, which leaves inputs 21 and 22 unread.",
            **{n: _left_over(n) for n in range(Q4_N + 1, _q4_length)},
            _q4_next: "that length is read whole too, but a smaller one above 23 is.",
            Q4_N - (Q4_N - Q4_KERNEL) % Q4_STRIDE: "that length is read whole, but it is smaller than 23.",
        },
    ),
    hint="The last window of a \"valid\" layer ends on the last input when (n - f) is a multiple of the "
    "stride. You may test lengths with ignored_inputs(n, 5, 4, \"valid\").",
    solution='answer = next(n for n in range(24, 40) if not ignored_inputs(n, 5, 4, "valid"))  # 25\n'
             "# (25 - 5) % 4 == 0: windows start at 0, 4, ..., 20, and the last one reads 20..24",
    praise=f"The lengths read whole are 5 + 4k (..., {_q4_length - Q4_STRIDE}, {_q4_length}, {_q4_next}, ...): "
    "the last window ends on the last input.",
)

# Q5: dilation
Q5_N, Q5_KERNEL, Q5_DILATION = 32, 3, 4

q5 = Exercise(
    title="Q5, a dilated kernel",
    checker=number(
        conv_output_size(Q5_N, Q5_KERNEL, 1, "valid", dilation=Q5_DILATION),
        mistakes={
            conv_output_size(Q5_N, Q5_KERNEL, 1, "valid"): "that ignores the dilation: the 3 taps are 4 "
            "inputs apart, so the kernel spans 9 inputs, not 3.",
            Q5_N - Q5_DILATION * Q5_KERNEL + 1: "the span is d * (f - 1) + 1 = 9, not d * f = 12: there is "
            "no gap after the last tap.",
            Q5_N - Q5_DILATION * (Q5_KERNEL - 1) + 1: "the span counts inputs, d * (f - 1) + 1 = 9, not "
            "only the gaps d * (f - 1) = 8.",
            conv_output_size(Q5_N, Q5_KERNEL, Q5_DILATION, "valid"): "dilation is not a stride: the "
            "window still moves one input at a time; only its taps are spread out.",
        },
    ),
    hint="First work out how many inputs the dilated kernel spans, then use the \"valid\" rule at stride 1.",
    solution='answer = 32 - (4 * (3 - 1) + 1) + 1  # 24\n'
    '# the same as conv_output_size(32, 3, 1, "valid", dilation=4)',
    praise="Three weights now see 9 inputs: the receptive field grows without extra parameters.",
)

EXERCISES = [q1, q2, q3, q4, q5]

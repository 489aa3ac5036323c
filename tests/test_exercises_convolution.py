"""Chapter 2's exercises accept the right answer and reject wrong ones with the right message."""

from cnn_course.exercises import convolution as ex
from cnn_course.exercises.convolution import EXERCISES, Q3_INPUT, Q3_KERNEL, q1, q2, q3, q4, q5

import numpy as np
import pytest


def assert_rejected(exercise, answer, *fragments):
    result = exercise.grade(answer)
    assert not result.correct, f"{exercise} accepted {answer!r}"
    for fragment in fragments:
        assert fragment in result.message, f"{fragment!r} not in {result.message!r}"


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5]


# Q1: parameters of Conv2D(64, 3) on 32 channels

def test_q1_accepts_the_parameter_count():
    assert q1.grade((3 * 3 * 32 + 1) * 64).correct
    assert q1.grade(np.int64(18_496)).correct


@pytest.mark.parametrize(("answer", "fragment"), [
    (3 * 3 * 32 * 64, "one bias"),
    ((3 * 3 + 1) * 64, "all 32 input channels"),
    (3 * 3 * 32 + 1, "that is one filter"),
    ((3 * 3 * 64 + 1) * 32, "swapped"),
])
def test_q1_names_typical_slips(answer, fragment):
    assert_rejected(q1, answer, fragment)


def test_q1_rejects_other_numbers_and_types():
    assert_rejected(q1, 20_000, "too large")
    assert_rejected(q1, "18496", "should be a number")


# Q2: output shape of Conv2D(16, 5) on (8, 28, 28, 1)

def test_q2_accepts_the_shape_as_tuple_or_list():
    assert q2.grade((8, 24, 24, 16)).correct
    assert q2.grade([8, 24, 24, 16]).correct


@pytest.mark.parametrize(("answer", "fragment"), [
    ((8, 28, 28, 16), "'valid'"),
    ((8, 24, 24, 1), "one feature map per filter"),
    ((24, 24, 16), "batch axis"),
    ((8, 23, 23, 16), "24 positions"),
    ((8, 16, 24, 24), "channels last"),
])
def test_q2_names_typical_slips(answer, fragment):
    assert_rejected(q2, answer, fragment)


def test_q2_rejects_other_shapes_and_types():
    assert_rejected(q2, (8, 24, 24, 32), "axis 3")
    assert_rejected(q2, "(8, 24, 24, 16)", "tuple of integers")


# Q3: a cross-correlation written with loops

def by_hand(inputs, kernel):
    fh, fw = kernel.shape
    rows, cols = inputs.shape[0] - fh + 1, inputs.shape[1] - fw + 1
    return np.array([[np.sum(inputs[i:i + fh, j:j + fw] * kernel) for j in range(cols)] for i in range(rows)])


def test_q3_expected_output_is_what_a_layer_computes():
    from scipy.signal import correlate2d

    np.testing.assert_array_equal(ex.Q3_EXPECTED, correlate2d(Q3_INPUT, Q3_KERNEL, mode="valid"))


def test_q3_accepts_a_function_written_with_loops_however_it_is_written():
    assert q3.grade(by_hand).correct

    def with_loops(x, k):
        out = np.zeros((x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = (x[i:i + k.shape[0], j:j + k.shape[1]] * k).sum()
        return out.tolist()

    assert q3.grade(with_loops).correct
    assert q3.grade(lambda x, k: by_hand(x, k).astype(np.float32)).correct


def test_q3_refuses_the_library_calls_it_asks_to_reproduce():
    from cnn_course.conv import conv2d_numpy

    import scipy.signal
    import tensorflow as tf
    from scipy.signal import correlate2d

    calls = [
        lambda x, k: correlate2d(x, k, mode="valid"),
        lambda x, k: scipy.signal.correlate2d(x, k, mode="valid"),
        lambda x, k: conv2d_numpy(x[None, :, :, None], k[:, :, None, None])[0, :, :, 0],
        lambda x, k: tf.nn.conv2d(x[None, :, :, None] * 1.0, k[:, :, None, None] * 1.0, 1, "VALID")[0, :, :, 0],
    ]
    for call in calls:
        assert_rejected(q3, call, "slides the kernel for you")

    def hidden_in_a_helper(x, k):
        def helper():
            return correlate2d(x, k, mode="valid")
        return helper()

    assert_rejected(q3, hidden_in_a_helper, "correlate2d")


@pytest.mark.parametrize(("answer", "fragment"), [
    (lambda x, k: by_hand(x, k[::-1, ::-1]), "flips the kernel"),
    (lambda x, k: by_hand(x, k)[:-1], "returns shape (2, 3); it should return shape (3, 3)"),
    (lambda x, k: by_hand(x, k) + 1, "9 of the 9 values"),
    (lambda x, k: by_hand(x[:, :x.shape[0]], k), "shapes (5, 7), (3, 2)"),  # right on square inputs only
    (lambda x, k: x[9], "raised IndexError"),
    (lambda x, k: "four", "should return an array of numbers"),
])
def test_q3_names_what_is_wrong_with_a_function(answer, fragment):
    assert_rejected(q3, answer, fragment)


def test_q3_wants_the_function_not_its_output():
    assert_rejected(q3, by_hand(Q3_INPUT, Q3_KERNEL), "your function itself")
    assert_rejected(q3, "four", "your function itself")
    assert_rejected(q3, np.sum, "a function you wrote")


# Q4: memory of the feature maps of a mini-batch

def test_q4_accepts_300_megabytes():
    assert q4.grade(50 * 100 * 150 * 100 * 4 / 1e6).correct
    assert q4.grade(300).correct


@pytest.mark.parametrize(("answer", "fragment"), [
    (1200, "stride 2"),
    (6, "one image"),
    (2400, "4 bytes"),
    (600, "float64"),
    (286.1, "MiB"),
])
def test_q4_names_typical_slips(answer, fragment):
    assert_rejected(q4, answer, fragment)


def test_q4_rejects_other_numbers_and_types():
    assert_rejected(q4, 150, "too small")
    assert_rejected(q4, [300], "should be a number")


def test_q4_expected_value_matches_the_arithmetic():
    assert ex.Q4_EXPECTED_MB == pytest.approx(300.0)


# Q5: what a 1x1 convolution does

def test_q5_accepts_d_in_any_case():
    assert q5.grade("d").correct
    assert q5.grade(" D ").correct


@pytest.mark.parametrize(("answer", "fragment"), [
    ("a", "all of its channels"),
    ("b", "neither blur"),
    ("c", "keeps the height and the width"),
])
def test_q5_explains_each_wrong_option(answer, fragment):
    assert_rejected(q5, answer, fragment)


def test_q5_rejects_other_options_and_types():
    assert_rejected(q5, "e", "not an option")
    assert_rejected(q5, 2, "option's letter")


# Natural ways of writing a right answer, and slips with a name

def test_right_answers_written_as_tensors_shapes_and_numpy_values_are_accepted():
    import keras
    import tensorflow as tf

    assert q1.grade(tf.constant(18_496)).correct
    assert q1.grade(np.array(18_496)).correct
    output = keras.layers.Conv2D(filters=16, kernel_size=5)(tf.zeros((8, 28, 28, 1)))
    assert q2.grade(output.shape).correct
    assert q2.grade(np.array([8, 24, 24, 16])).correct
    assert q2.grade(tf.shape(output)).correct
    assert q3.grade(lambda x, k: tf.constant(by_hand(x, k))).correct
    assert q4.grade(np.float32(300.0)).correct
    for letter in ("d)", "(d)", " D ", "d."):
        assert q5.grade(letter).correct, letter


def test_q2_a_none_batch_gets_its_own_message():
    assert_rejected(q2, (None, 24, 24, 16), "model.summary()", "8 images")


def test_q2_never_raises_on_nested_lists():
    assert_rejected(q2, [[8, 24], [24, 16]], "tuple of integers")


@pytest.mark.parametrize(("answer", "fragment"), [
    (300_000_000, "number of bytes"),
    (300_000, "kilobytes"),
    (0.3, "gigabytes"),
    (75_000_000, "float32 values"),
])
def test_q4_names_the_wrong_unit(answer, fragment):
    assert_rejected(q4, answer, fragment)


def test_q3_hint_does_not_give_the_formula_away():
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        q3.hint()
    assert "sum(" not in printed.getvalue() and "[i:i" not in printed.getvalue()

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


# Q3: a cross-correlation by hand

def by_hand(inputs, kernel):
    fh, fw = kernel.shape
    rows, cols = inputs.shape[0] - fh + 1, inputs.shape[1] - fw + 1
    return np.array([[np.sum(inputs[i:i + fh, j:j + fw] * kernel) for j in range(cols)] for i in range(rows)])


def test_q3_accepts_the_cross_correlation():
    assert q3.grade(by_hand(Q3_INPUT, Q3_KERNEL)).correct
    assert q3.grade(by_hand(Q3_INPUT, Q3_KERNEL).tolist()).correct


@pytest.mark.parametrize(("answer", "fragment"), [
    (by_hand(Q3_INPUT, Q3_KERNEL[::-1, ::-1]), "flipped the kernel"),
    (by_hand(Q3_INPUT, Q3_KERNEL).T, "transposed"),
    (by_hand(Q3_INPUT, np.abs(Q3_KERNEL)), "sign"),
])
def test_q3_names_typical_slips(answer, fragment):
    assert_rejected(q3, answer, fragment)


def test_q3_rejects_other_arrays_and_types():
    wrong = by_hand(Q3_INPUT, Q3_KERNEL)
    wrong[1, 1] += 1
    assert_rejected(q3, wrong, "1 of 9 values differ")
    assert_rejected(q3, np.zeros((4, 4)), "shape (4, 4)")
    assert_rejected(q3, "four", "array of numbers")


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

def test_q5_accepts_b_in_any_case():
    assert q5.grade("b").correct
    assert q5.grade(" B ").correct


@pytest.mark.parametrize(("answer", "fragment"), [
    ("a", "all of its channels"),
    ("c", "neither blur"),
    ("d", "keeps the height and the width"),
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
    assert q3.grade(tf.constant(by_hand(Q3_INPUT, Q3_KERNEL))).correct
    assert q4.grade(np.float32(300.0)).correct
    for letter in ("b)", "(b)", " B ", "b."):
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

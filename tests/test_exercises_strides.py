"""Chapter 4's exercises accept the right answers and name the typical slips."""

import math

from cnn_course.exercises import strides as ex
from cnn_course.exercises.strides import EXERCISES, q1, q2, q3, q4, q5
from cnn_course.strides import ignored_inputs

import numpy as np
from grading import rejected_with


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5]


def test_q1_columns_of_a_strided_field():
    assert ex._q1_columns == range(9, 13)
    assert q1.grade([9, 10, 11, 12]).correct
    assert q1.grade(np.arange(9, 13)).correct
    rejected_with(q1, [3, 4, 5, 6], "stride 1")
    rejected_with(q1, [6, 7, 8, 9], "vertical stride")
    rejected_with(q1, [10, 11, 12, 13], "counting from 0")
    rejected_with(q1, [0, 1, 2, 3], "differ")
    rejected_with(q1, [9, 10, 11], "one value too few")
    rejected_with(q1, [9, 10, 11, 12, 13], "one value too many")
    rejected_with(q1, [[9, 10, 11, 12]], "shape")
    rejected_with(q1, "9 to 12", "array of numbers")


def test_q2_valid_size():
    assert q2.grade(8).correct
    assert q2.grade((28 - 5) // 3 + 1).correct
    rejected_with(q2, 10, '"same" size')
    rejected_with(q2, (28 - 5) / 3 + 1, "round")
    rejected_with(q2, 24, "stride 1")
    rejected_with(q2, 7, "first window")
    rejected_with(q2, 3, "too small")
    rejected_with(q2, "8", "should be a number")


def test_q3_same_size():
    assert q3.grade(34).correct
    assert q3.grade(math.ceil(100 / 3)).correct
    rejected_with(q3, 33, "rounds up")
    rejected_with(q3, 32, '"valid" size')
    rejected_with(q3, 100 / 3, "whole number")
    rejected_with(q3, 100, "stride 1")
    rejected_with(q3, 50, "too large")
    rejected_with(q3, [34], "should be a number")


def test_q4_smallest_length_read_whole():
    assert q4.grade(25).correct and q4.grade(np.int64(25)).correct and q4.grade(25.0).correct
    assert ignored_inputs(25, 5, 4, "valid") == [] and ignored_inputs(24, 5, 4, "valid")
    rejected_with(q4, 23, "larger than 23")
    rejected_with(q4, 24, "3 inputs are still left over")
    rejected_with(q4, 29, "a smaller one")
    rejected_with(q4, 21, "smaller than 23")
    rejected_with(q4, 27, "too large")
    rejected_with(q4, [21, 22], "should be a number")


def test_q4_is_not_answered_by_one_library_call():
    """ignored_inputs helps to test a length; the answer is a length it does not return."""
    assert not q4.grade(ignored_inputs(23, 5, 4, "valid")).correct


def test_q5_dilated_kernel():
    assert q5.grade(24).correct
    rejected_with(q5, 30, "ignores the dilation")
    rejected_with(q5, 21, "no gap after the last tap")
    rejected_with(q5, 25, "counts inputs")
    rejected_with(q5, 8, "not a stride")
    rejected_with(q5, 1, "too small")
    rejected_with(q5, None, "should be a number")

"""Chapter 3's exercises accept the right answers and name the typical slips."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.exercises.padding import EXERCISES, q1, q2, q3, q4, q5

import numpy as np
import pytest
import tensorflow as tf


def rejected(exercise, answer, fragment):
    result = exercise.grade(answer)
    assert not result.correct, f"{exercise.title} accepted {answer!r}"
    assert fragment in result.message, result.message


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5]


def test_q1_stacked_valid_layers():
    assert q1.grade(16).correct
    assert q1.grade(np.int64(16)).correct
    rejected(q1, 28, "'same'")
    rejected(q1, 22, "2 per layer")
    rejected(q1, 10, "n - 3 + 1")
    rejected(q1, 26, "after one layer")
    rejected(q1, 17, "too large")
    rejected(q1, "16", "should be a number")


def test_q2_paddings_argument():
    assert q2.grade([[0, 0], [2, 2], [1, 1], [0, 0]]).correct
    assert q2.grade(tf.constant([[0, 0], [2, 2], [1, 1], [0, 0]])).correct
    rejected(q2, [[0, 0], [1, 1], [2, 2], [0, 0]], "height")
    rejected(q2, [[2, 2], [1, 1], [0, 0], [0, 0]], "batch")
    rejected(q2, [[0, 0], [2, 2], [1, 1], [1, 1]], "colour channels")
    rejected(q2, [[0, 0], [4, 4], [2, 2], [0, 0]], "per side")
    rejected(q2, [[2, 2], [1, 1]], "shape (4, 2)")
    rejected(q2, [[0, 0], [2, 2], [1, 2], [0, 0]], "1 of 8 values differ")
    rejected(q2, "[[0, 0], [2, 2]]", "array of numbers")


def test_q3_symmetric_padding():
    answer = tf.pad(tf.constant([1, 2, 3, 4, 5]), [[2, 3]], mode="SYMMETRIC").numpy()
    np.testing.assert_array_equal(answer, [2, 1, 1, 2, 3, 4, 5, 5, 4, 3])
    assert q3.grade(answer).correct
    reflect = tf.pad(tf.constant([1, 2, 3, 4, 5]), [[2, 3]], mode="REFLECT").numpy()
    rejected(q3, reflect, "REFLECT")
    rejected(q3, [0, 0, 1, 2, 3, 4, 5, 0, 0, 0], "CONSTANT")
    rejected(q3, [3, 2, 1, 1, 2, 3, 4, 5, 5, 4], "2 values before")
    rejected(q3, [1, 2, 3, 4, 5], "shape (10,)")
    rejected(q3, [2, 1, 1, 2, 3, 4, 5, 5, 4, 4], "1 of 10 values differ")
    rejected(q3, "[2, 1, 1, 2]", "array of numbers")


def test_q4_same_split_at_stride_2():
    assert q4.grade((0, 1)).correct
    assert q4.grade([0, 1]).correct
    rejected(q4, (1, 1), "stride 1")
    rejected(q4, (1, 0), "bottom, not the top")
    rejected(q4, (0.5, 0.5), "Zeros come whole")
    rejected(q4, (0, 2), "values differ")
    rejected(q4, 1, "shape")
    rejected(q4, "(0, 1)", "array of numbers")


def test_q4_answer_is_what_tensorflow_does():
    x = tf.reshape(tf.range(1.0, 9.0), [1, 8, 1, 1])
    kernel = tf.reshape(tf.constant([1.0, 10.0, 100.0]), [3, 1, 1, 1])
    same = tf.nn.conv2d(x, kernel, strides=[2, 1], padding="SAME")
    padded = tf.nn.conv2d(tf.pad(x, [[0, 0], [0, 1], [0, 0], [0, 0]]), kernel, strides=[2, 1], padding="VALID")
    np.testing.assert_array_equal(same.numpy(), padded.numpy())


def test_q5_reflect_then_valid():
    assert q5.grade("a").correct
    assert q5.grade(" A ").correct
    rejected(q5, "b", "zeros are black")
    rejected(q5, "c", "pad a second time")
    rejected(q5, "d", "not an option")
    rejected(q5, 2, "option's letter")


@pytest.mark.parametrize("exercise", [q4, q5], ids=["q4", "q5"])
def test_hints_nudge_without_giving_the_answer(exercise, capsys):
    exercise.hint()
    hint = capsys.readouterr().out
    assert "(0, 1)" not in hint and "9 rows" not in hint and "option a" not in hint.lower()
    assert "stops the layer from padding again" not in hint


def test_natural_right_answers():
    assert q4.grade([0, 1]).correct and q4.grade(np.array([0, 1])).correct
    assert q5.grade("(a)").correct and q5.grade("a)").correct
    assert q1.grade(tf.constant(16)).correct

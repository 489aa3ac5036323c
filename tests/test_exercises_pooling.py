"""Chapter 5's exercises accept the right answers, written in the natural ways, and name the typical slips."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.exercises import pooling as ex
from cnn_course.exercises.pooling import EXERCISES, q1, q2, q3, q4, q5
from cnn_course.pooling import DepthwiseMaxPool2D

import keras
import numpy as np
import pytest
import tensorflow as tf
from grading import rejected_with


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
@pytest.mark.parametrize("odd", [None, "", "abc", float("nan"), {"a": 1}, [[1, 2], [3]], (x for x in range(3)),
                                 tf.zeros([2, 2]), object()], ids=repr)
def test_odd_answers_are_graded_without_raising(exercise, odd):
    assert not exercise.grade(odd).correct


def test_q1_max_pooling_by_hand():
    assert ex._q1_max.tolist() == [[7, 4], [8, 6]]
    assert q1.grade([[7, 4], [8, 6]]).correct
    assert q1.grade(np.array([[7.0, 4.0], [8.0, 6.0]])).correct
    assert q1.grade(keras.layers.MaxPool2D(2)(ex.Q1_MATRIX[np.newaxis, :, :, np.newaxis].astype("float32"))
                    [0, :, :, 0]).correct
    rejected_with(q1, [[3, 1.75], [2.5, 4]], "average pooling")
    rejected_with(q1, [[7, 8], [4, 6]], "swapped")
    rejected_with(q1, [[0, 0], [0, 2]], "smallest")
    rejected_with(q1, [[7, 3, 4], [7, 6, 6], [8, 8, 6]], "stride 1")
    rejected_with(q1, [7, 4, 8, 6], "2x2 array")
    rejected_with(q1, [[7, 4], [8, 5]], "differ")


def test_q2_shape_after_max_pooling():
    assert ex._q2_expected == (32, 37, 50, 64)
    assert q2.grade((32, 37, 50, 64)).correct
    assert q2.grade([32, 37, 50, 64]).correct
    assert q2.grade(keras.layers.MaxPool2D(pool_size=2)(tf.zeros([32, 75, 101, 64])).shape).correct
    assert q2.grade(tf.TensorShape([32, 37, 50, 64])).correct
    assert q2.grade(np.array([32, 37, 50, 64])).correct
    rejected_with(q2, (32, 38, 51, 64), "rounds up")
    rejected_with(q2, (32, 37, 50, 32), "depth stays 64")
    rejected_with(q2, (16, 37, 50, 64), "batch axis is not pooled")
    rejected_with(q2, (37, 50, 64), "keep the batch axis")
    rejected_with(q2, (32, 74, 100, 64), "stride 1")
    rejected_with(q2, (None, 37, 50, 64), "batch size is known")
    rejected_with(q2, (32, 36, 50, 64), "axis 1")


def test_q3_shift_against_the_grid():
    assert ex._changed_after_shift(ex.Q3_ROW) == 2
    assert q3.grade(2).correct
    assert q3.grade(np.int64(2)).correct
    assert q3.grade(2.0).correct
    assert q3.grade(tf.constant(2)).correct
    rejected_with(q3, 0, "stays in its window")
    rejected_with(q3, 1, "both outputs change")
    rejected_with(q3, 3, "stays in window 2")
    rejected_with(q3, 5, "too large")
    rejected_with(q3, "2", "remove the quotes")


def test_q4_global_average_pooling_head():
    model = keras.Sequential([keras.Input(shape=(8, 8, 256)), keras.layers.GlobalAvgPool2D(), keras.layers.Dense(10)])
    assert model.count_params() == ex._q4_gap == 2570
    assert q4.grade(2570).correct
    assert q4.grade(256 * 10 + 10).correct
    assert q4.grade(model.count_params()).correct
    rejected_with(q4, 2560, "bias")
    rejected_with(q4, 163_850, "Flatten + Dense head")
    rejected_with(q4, 163_840, "without its biases")
    rejected_with(q4, 10, "Dense layer after it")
    rejected_with(q4, 0, "Dense layer after it")
    rejected_with(q4, 2571, "too large")


def test_q5_depthwise_pooling_shape():
    assert ex._q5_expected == (16, 28, 28, 8)
    assert q5.grade((16, 28, 28, 8)).correct
    assert q5.grade(DepthwiseMaxPool2D(pool_size=4)(tf.zeros([16, 28, 28, 32])).shape).correct
    rejected_with(q5, (16, 7, 7, 32), "spatial pooling")
    rejected_with(q5, (16, 28, 28, 128), "32 channels become 8")
    rejected_with(q5, (16, 28, 28, 32), "does change the shape")
    rejected_with(q5, (16, 7, 7, 8), "stay 28")
    rejected_with(q5, (16, 28, 28), "dimensions")


def test_hints_do_not_give_the_answers_away():
    answers = {q1: "[[7, 4], [8, 6]]", q2: "37, 50", q3: "two", q4: "2570", q5: "(16, 28, 28, 8)"}
    for exercise, answer in answers.items():
        assert answer not in exercise._hint, exercise.title

"""The common-bugs page's questions accept the right answers and name what each wrong one misreads."""

import math

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.exercises import common_bugs as ex
from cnn_course.exercises.common_bugs import EXERCISES, q1, q2, q3

import keras
import numpy as np
import pytest
from grading import accepted, rejected_with


def test_every_exercise_is_listed_and_the_letters_vary():
    assert EXERCISES == [q1, q2, q3]
    letters = [letter for exercise in (q1, q3) for letter in "abcd" if accepted(exercise, letter)]
    assert letters == ["c", "d"]


def test_q1_a_loss_at_ln_10_is_a_model_that_ignores_its_input():
    assert accepted(q1, "c") and accepted(q1, "(C)")
    uniform = keras.losses.SparseCategoricalCrossentropy()(np.arange(10), np.full((10, 10), 0.1))
    assert round(float(uniform), 3) == 2.303
    rejected_with(q1, "a", "verfitting drives")
    rejected_with(q1, "b", "error about shapes")
    rejected_with(q1, "d", "floor")
    rejected_with(q1, "e", "not an option")


def test_q2_the_floor_of_a_double_softmax_is_what_keras_computes_for_a_perfect_model():
    labels = np.arange(ex.Q2_CLASSES)
    perfect = np.eye(ex.Q2_CLASSES)[labels]
    floor = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(labels, perfect))
    assert floor == pytest.approx(ex._q2_floor, abs=1e-5)
    assert accepted(q2, 3.622) and accepted(q2, np.log(99 + np.e) - 1) and accepted(q2, floor)
    rejected_with(q2, round(math.log(100), 3), "uniform guess")
    rejected_with(q2, 1.461, "10 classes")
    rejected_with(q2, 0, "whatever the first one does")
    rejected_with(q2, 3.7, "too large")


def test_q3_two_scores_for_one_model_mean_something_random_at_evaluation():
    assert accepted(q3, "d")
    rejected_with(q3, "a", "same poor score")
    rejected_with(q3, "b", "one number")
    rejected_with(q3, "c", "same weights")


def test_hints_and_messages_leave_the_answers_to_the_learner():
    for exercise, answer in ((q1, "(c)"), (q2, "3.62"), (q3, "(d)")):
        assert answer not in exercise._hint, exercise.title
    for wrong in (4.605, 1.461, 0):
        assert "3.62" not in q2.grade(wrong).message

from cnn_course.data import load_fashion_mnist
from cnn_course.exercises import fashion_mnist
from cnn_course.exercises.fashion_mnist import EXERCISES, q1, q2, q3, q4, q5

import numpy as np
import pytest
import tensorflow as tf
from grading import accepted as right
from grading import rejected_with


def test_q1_statistics_are_those_of_the_dataset():
    (x, _), _ = load_fashion_mnist()
    assert x[:-5000].mean() == pytest.approx(fashion_mnist.TRAIN_MEAN)
    assert x[:-5000].std() == pytest.approx(fashion_mnist.TRAIN_STD)
    assert x.mean() == pytest.approx(fashion_mnist.ALL_MEAN) and x.std() == pytest.approx(fashion_mnist.ALL_STD)


def test_right_answers_in_natural_forms_are_accepted():
    assert right(q1, 2.0235) and right(q1, 2.024) and right(q1, np.float32(2.0235404))
    assert right(q2, 3200) and right(q2, np.int32(3200)) and right(q2, tf.constant(3200))
    assert right(q3, (None, 3, 3, 256)) and right(q3, [None, 3, 3, 256])
    assert right(q3, tf.TensorShape([None, 3, 3, 256]))
    assert right(q4, "b") and right(q4, "(b)") and right(q4, " B ")
    assert right(q5, 650)


@pytest.mark.parametrize(("exercise", "wrong", "explanation"), [
    (q1, 1.0, "scaling to [0, 1]"),
    (q1, 182.12, "divide by the standard deviation"),
    (q1, 2.0224, "all 60,000 images"),
    (q2, 3136, "bias"),
    (q2, 9472, "grayscale"),
    (q3, (None, 4, 4, 256), "floor(7 / 2)"),
    (q3, (None, 7, 7, 256), "before the last pooling"),
    (q3, (None, 2304), "after Flatten"),
    (q4, "a", "optimistic"),
    (q4, "d", "leaks"),
    (q5, 640, "bias"),
    (q5, 31_370, "Flatten"),
])
def test_typical_slips_are_named(exercise, wrong, explanation):
    rejected_with(exercise, wrong, explanation)


def test_odd_answers_are_refused_without_raising():
    for exercise in EXERCISES:
        for odd in (None, "three", [3], {"a": 1}, float("nan"), -5):
            assert not exercise.grade(odd).correct

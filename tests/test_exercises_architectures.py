from cnn_course.exercises.architectures import EXERCISES, q1, q2, q3, q4, q5

import numpy as np
import pytest
import tensorflow as tf
from grading import accepted as right
from grading import rejected_with


def test_right_answers_in_natural_forms_are_accepted():
    assert right(q1, 18_496) and right(q1, np.int64(18_496)) and right(q1, tf.constant(18_496))
    assert right(q2, 8) and right(q2, 8.0)
    assert right(q3, 86_528)
    assert right(q4, 6.25) and right(q4, 5 / 0.8) and right(q4, np.float32(6.25))
    assert right(q5, "b") and right(q5, " (B) ") and right(q5, "b)")


@pytest.mark.parametrize(("exercise", "wrong", "explanation"), [
    (q1, 18_432, "bias"),
    (q1, 640, "spans every input channel"),
    (q1, 289, "one filter"),
    (q2, 5, "skips the pooling"),
    (q2, 6, "stride of 2"),
    (q2, 18, "do not multiply"),
    (q3, 30 * 30 * 128, "after one convolution"),
    (q3, 22 * 22 * 128, "28x28"),
    (q3, 26 * 26 * 64, "128 filters"),
    (q4, 4.0, "inference"),
    (q4, 5.0, "mean stays"),
    (q4, 25.0, "keeping"),
    (q5, "a", "same three convolutions"),
    (q5, "c", "no weights"),
])
def test_typical_slips_are_named(exercise, wrong, explanation):
    rejected_with(exercise, wrong, explanation)


def test_wrong_answers_are_refused_without_raising():
    for exercise in EXERCISES:
        for odd in (None, "eight", [8], {"answer": 8}, float("nan"), -1):
            assert not exercise.grade(odd).correct

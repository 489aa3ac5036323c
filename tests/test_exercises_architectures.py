import re

from cnn_course.exercises.architectures import EXERCISES, q1, q2, q3, q4, q5, q6

import numpy as np
import pytest
import tensorflow as tf
from grading import accepted as right
from grading import rejected_with


def test_right_answers_in_natural_forms_are_accepted():
    assert right(q1, 1_280) and right(q1, np.int64(1_280)) and right(q1, tf.constant(1_280)) and right(q1, 1280.0)
    assert right(q2, 8) and right(q2, 8.0)
    assert right(q3, 86_528)
    assert right(q4, 6.25) and right(q4, 5 / 0.8) and right(q4, np.float32(6.25))
    assert right(q5, "d") and right(q5, " (D) ") and right(q5, "d)")
    assert right(q6, -0.0046) and right(q6, -0.005) and right(q6, np.float64(-0.00461))


@pytest.mark.parametrize(("exercise", "wrong", "explanation"), [
    (q1, 1_152, "bias"),
    (q1, 147_584, "kernel of its own"),
    (q1, 10, "one per input channel"),
    (q1, 0, "learns its kernels"),
    (q2, 5, "skips the pooling"),
    (q2, 6, "stride of 2"),
    (q2, 18, "do not multiply"),
    (q3, 30 * 30 * 128, "after one convolution"),
    (q3, 22 * 22 * 128, "28x28"),
    (q3, 26 * 26 * 64, "128 filters"),
    (q4, 4.0, "inference"),
    (q4, 5.0, "mean stays"),
    (q4, 25.0, "keeping"),
    (q5, "a", "luck of the seeds"),
    (q5, "b", "mean is lower"),
    (q5, "c", "paired differences"),
    (q6, 0.0161, "degrees of freedom (4.30)"),
    (q6, -0.0324, "square root of 3"),
    (q6, 0.0114, "not by the number itself"),
    (q6, 0.0024, "ddof=1"),
    (q6, 0.0053, "not 3"),
    (q6, 0.0076, "97.5%"),
    (q6, 0.0333, "centre of the interval"),
    (q6, 0.0713, "upper end"),
])
def test_typical_slips_are_named(exercise, wrong, explanation):
    rejected_with(exercise, wrong, explanation)


def test_the_expected_answers_are_what_keras_and_the_course_compute():
    from cnn_course.strides import receptive_field_size

    import keras

    subsampling = keras.layers.DepthwiseConv2D(3, strides=2)
    subsampling.build((None, 11, 11, 128))
    assert right(q1, subsampling.count_params())
    assert right(q2, receptive_field_size([3, 2, 3], strides=[1, 2, 1]))


def test_the_paired_interval_is_the_one_the_statistics_toolkit_and_scipy_compute():
    from cnn_course.experiments import paired_difference

    from scipy import stats

    differences = np.array([0.02, 0.05, 0.03])
    interval = paired_difference(differences, [0, 0, 0])
    assert right(q6, interval.low) and 0 in interval.interval  # three positive differences, still not settled
    by_hand = differences.mean() - stats.t.ppf(0.975, df=2) * differences.std(ddof=1) / np.sqrt(3)
    assert right(q6, by_hand)


@pytest.mark.parametrize(("exercise", "wrongs", "answer"), [
    (q1, (1_152, 147_584, 10, 0), "1,280"),
    (q2, (5, 6, 7, 18), "8"),
    (q4, (4.0, 5.0, 1.0, 25.0, 0.0), "6.25"),
    (q6, (0.0161, -0.0324, 0.0114, 0.0024, 0.0053, 0.0076, 0.0333, 0.0713, -0.02), "0.0046"),
])
def test_no_message_hands_over_the_answer(exercise, wrongs, answer):
    for wrong in wrongs:
        message = exercise.grade(wrong).message
        numbers = re.findall(r"(?<![\w.])\d[\d,.]*(?![\w])", message)
        assert message and answer not in [n.rstrip(".,") for n in numbers], (wrong, message)


def test_wrong_answers_are_refused_without_raising():
    for exercise in EXERCISES:
        for odd in (None, "eight", [8], {"answer": 8}, float("nan"), -1):
            assert not exercise.grade(odd).correct

from cnn_course.benchmarking import multiply_accumulates
from cnn_course.data import load_fashion_mnist
from cnn_course.exercises import fashion_mnist
from cnn_course.exercises.fashion_mnist import EXERCISES, q1, q2, q3, q4, q5, q6, q7
from cnn_course.experiments import paired_difference, standard_error
from cnn_course.models import fashion_mnist_compact
from cnn_course.settings import seed_everything

import keras
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


def compact_without(pooling_index: int) -> keras.Model:
    """The compact model rebuilt without one of its MaxPooling2D layers (0: the first, 1: the second)."""
    seed_everything()
    model = fashion_mnist_compact()
    pools = [layer for layer in model.layers if isinstance(layer, keras.layers.MaxPooling2D)]
    x = inputs = keras.Input(shape=(28, 28, 1))
    for layer in model.layers[1:]:
        if layer is not pools[pooling_index]:
            x = layer.__class__.from_config(layer.get_config())(x)
    return keras.Model(inputs, x)


def test_q2_and_q3_answers_are_what_keras_builds():
    """The expected shape and cost are those of the compact model rebuilt without the pooling layer in question."""
    without_second = compact_without(1)
    last_conv = [layer for layer in without_second.layers if isinstance(layer, keras.layers.Conv2D)][-1]
    assert right(q2, last_conv.output.shape)
    without_first = compact_without(0)
    second_conv = [layer for layer in without_first.layers if isinstance(layer, keras.layers.Conv2D)][1]
    assert right(q3, multiply_accumulates(without_first)[second_conv.name])


def test_right_answers_in_natural_forms_are_accepted():
    assert right(q1, 2.024) and right(q1, 2.0235) and right(q1, 2.023) and right(q1, np.float32(2.0235404))
    assert right(q1, (255 - fashion_mnist.TRAIN_MEAN) / fashion_mnist.TRAIN_STD)
    assert right(q2, (None, 14, 14, 64)) and right(q2, [None, 14, 14, 64])
    assert right(q2, tf.TensorShape([None, 14, 14, 64]))
    assert right(q3, 3_612_672) and right(q3, 28 * 28 * 32 * (3 * 3 * 16)) and right(q3, np.int64(3_612_672))
    assert right(q3, 3612672.0) and right(q3, tf.constant(3_612_672))
    assert right(q4, "b") and right(q4, "(b)") and right(q4, " B ")
    assert right(q5, "c") and right(q5, "(c)") and right(q5, "C.")
    assert right(q6, "a") and right(q6, "A)")
    assert right(q7, 0.0027) and right(q7, 0.00271) and right(q7, 2.7e-3) and right(q7, np.float32(0.002713))
    assert right(q7, np.sqrt(0.92 * 0.08 / 10_000)) and right(q7, standard_error(0.92, 10_000))


def test_q6_s_difference_is_settled_while_the_ranges_overlap():
    difference = paired_difference(fashion_mnist.Q6_A, fashion_mnist.Q6_B)
    assert difference.low > 0
    assert min(fashion_mnist.Q6_A) < max(fashion_mnist.Q6_B)  # the ranges overlap


@pytest.mark.parametrize(("exercise", "wrong", "explanation"), [
    (q1, 1.0, "scaling to [0, 1]"),
    (q1, 182.12, "divide by the standard deviation"),
    (q1, 2.022, "all 60,000 images"),
    (q1, 2.0224, "all 60,000 images"),
    (q1, 2.02, "give three"),
    (q2, (None, 7, 7, 64), "with the second pooling layer"),
    (q2, (None, 64), "global average pooling"),
    (q2, (None, 28, 28, 64), "first pooling layer is still there"),
    (q2, (None, 14, 14, 32), "64 filters"),
    (q2, (None, 10, 10, 64), "'valid' padding"),
    (q3, 903_168, "on 14x14 maps"),
    (q3, 225_792, "3 x 3 x 16 weights"),
    (q3, 4_608, "weights"),
    (q3, 1_806_336, "four times as many positions"),
    (q4, "a", "optimistic"),
    (q4, "d", "leaks"),
    (q5, "a", "outline"),
    (q5, "b", "ankle"),
    (q5, "d", "whole shape"),
    (q6, "b", "Subtract seed by seed"),
    (q6, "c", "Compute the interval"),
    (q6, "d", "On every seed A scores higher"),
    (q7, 0.0038, "5,000 validation images"),
    (q7, 7.36e-6, "square root"),
    (q7, 0.000736, "not of n alone"),
    (q7, 0.0096, "not p"),
    (q7, 0.2713, "divide the variance by n"),
])
def test_typical_slips_are_named(exercise, wrong, explanation):
    rejected_with(exercise, wrong, explanation)


def test_the_right_option_is_not_always_the_same_letter():
    letters = {letter for letter in "abcd" for exercise in (q4, q5, q6) if right(exercise, letter)}
    assert letters == {"a", "b", "c"}


def test_odd_answers_are_refused_without_raising():
    for exercise in EXERCISES:
        for odd in (None, "three", [3], {"a": 1}, float("nan"), -5):
            assert not exercise.grade(odd).correct

"""Chapter 5's exercises accept the right answers, written in the natural ways, and name the typical slips."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.exercises import pooling as ex
from cnn_course.exercises.pooling import EXERCISES, q1, q2, q3, q4, q5, q6, q7, q8, q9
from cnn_course.pooling import DepthwiseMaxPool2D, pool2d_numpy, pooling_gradient
from cnn_course.transforms import shift_images

import keras
import numpy as np
import pytest
import tensorflow as tf
from grading import rejected_with


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5, q6, q7, q8, q9]


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


def test_q2_shape_after_an_overlapping_pooling():
    layer = keras.layers.MaxPool2D(pool_size=3, strides=2)
    assert ex._q2_expected == (32, 37, 49, 64) == tuple(layer(tf.zeros([32, 76, 100, 64])).shape)
    assert q2.grade((32, 37, 49, 64)).correct
    assert q2.grade([32, 37, 49, 64]).correct
    assert q2.grade(layer(tf.zeros([32, 76, 100, 64])).shape).correct
    assert q2.grade(tf.TensorShape([32, 37, 49, 64])).correct
    assert q2.grade(np.array([32, 37, 49, 64])).correct
    assert tuple(keras.layers.MaxPool2D(2)(tf.zeros([32, 76, 100, 64])).shape) == (32, 38, 50, 64)
    rejected_with(q2, (32, 38, 50, 64), "2x2 windows at stride 2")
    rejected_with(q2, (32, 25, 33, 64), "stride of 3")
    rejected_with(q2, (32, 74, 98, 64), "stride 1")
    rejected_with(q2, (32, 36, 48, 64), "counts the steps")
    rejected_with(q2, (32, 37, 49, 21), "depth does not change")
    rejected_with(q2, (16, 37, 49, 64), "batch axis is not pooled")
    rejected_with(q2, (37, 49, 64), "batch axis first")
    rejected_with(q2, (None, 37, 49, 64), "batch size is known")
    rejected_with(q2, (32, 36, 49, 64), "axis 1")


def test_q3_shift_against_the_grid():
    assert ex._changed_after_shift(ex.Q3_ROW) == 2
    assert q3.grade(2).correct
    assert q3.grade(np.int64(2)).correct
    assert q3.grade(2.0).correct
    assert q3.grade(tf.constant(2)).correct
    rejected_with(q3, 0, "stays in its window")
    rejected_with(q3, 1, "does not vanish")
    rejected_with(q3, 3, "check the 3 again")
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


def test_q5_a_depthwise_convolution_is_not_depthwise_pooling():
    layer = keras.layers.DepthwiseConv2D(kernel_size=4)
    assert ex._q5_expected == (16, 25, 25, 32) == tuple(layer(tf.zeros([16, 28, 28, 32])).shape)
    assert tuple(DepthwiseMaxPool2D(pool_size=4)(tf.zeros([16, 28, 28, 32])).shape) == (16, 28, 28, 8)
    assert q5.grade((16, 25, 25, 32)).correct
    assert q5.grade(layer(tf.zeros([16, 28, 28, 32])).shape).correct
    rejected_with(q5, (16, 28, 28, 8), "depthwise *pooling*")
    rejected_with(q5, (16, 7, 7, 32), "4x4 pooling")
    rejected_with(q5, (16, 28, 28, 32), "same")
    rejected_with(q5, (16, 25, 25, 8), "height and the width are right")
    rejected_with(q5, (16, 25, 25, 1), "Conv2D(1, 4)")
    rejected_with(q5, (16, 28, 28, 128), "not a number of output maps")
    rejected_with(q5, (16, 25, 25), "dimensions")


def test_q6_two_poolings_move_by_the_shift_over_the_product_of_their_strides():
    image = np.zeros((24, 24))
    image[6:18, 6:18] = np.random.default_rng(0).random((12, 12))
    twice = lambda x: pool2d_numpy(pool2d_numpy(x))  # noqa: E731
    moved = [k for k in range(4) if np.array_equal(twice(shift_images(image, dx=4)), shift_images(twice(image), dx=k))]
    assert moved == [ex._q6_expected] == [1]
    assert q6.grade(1).correct
    assert q6.grade(np.int64(1)).correct
    rejected_with(q6, 0, "not ignored")
    rejected_with(q6, 2, "first pooling")
    rejected_with(q6, 4, "fewer columns")
    rejected_with(q6, 3, "too large")


def as_batch(matrix):
    return np.asarray(matrix, dtype="float32")[np.newaxis, :, :, np.newaxis]


def tape_gradient(layer, matrix, upstream):
    """The gradient of sum(upstream * layer(matrix)) with respect to matrix, as TensorFlow computes it."""
    inputs = tf.constant(as_batch(matrix))
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        loss = tf.reduce_sum(layer(inputs)[0, :, :, 0] * np.asarray(upstream, dtype="float32"))
    return tape.gradient(loss, inputs)[0, :, :, 0].numpy()


def test_q7_the_gradient_reaches_only_each_windows_maximum():
    expected = [[0, 0, 0, 0], [1, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 4]]
    assert ex._q7_gradient.tolist() == expected
    assert tape_gradient(keras.layers.MaxPool2D(2), ex.Q7_MATRIX, ex.Q7_UPSTREAM).tolist() == expected
    assert q7.grade(expected).correct
    assert q7.grade(np.array(expected, dtype="float32")).correct
    assert q7.grade(tape_gradient(keras.layers.MaxPool2D(2), ex.Q7_MATRIX, ex.Q7_UPSTREAM)).correct
    assert q7.grade(tf.constant(expected)).correct
    assert q7.grade(pooling_gradient(ex.Q7_MATRIX, ex.Q7_UPSTREAM)).correct
    average = tape_gradient(keras.layers.AvgPool2D(2), ex.Q7_MATRIX, ex.Q7_UPSTREAM)
    rejected_with(q7, average, "average pooling's gradient")
    rejected_with(q7, [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]], "every input of a window")
    rejected_with(q7, [[0, 0, 0, 0], [1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], "positions are right")
    rejected_with(q7, [[0, 0, 0, 0], [4, 0, 5, 0], [0, 6, 0, 0], [0, 0, 0, 7]], "values the pooling kept")
    rejected_with(q7, [[1, 1, 2, 2], [0, 1, 0, 2], [3, 0, 4, 4], [3, 3, 4, 0]], "every input except the maxima")
    rejected_with(q7, [[1, 2], [3, 4]], "input's shape")
    rejected_with(q7, [[0, 0, 0, 0], [1, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 0]], "differ")
    rejected_with(q7, [[0, 0, 0, 0], [0, 1, 0, 2], [0, 3, 0, 0], [0, 0, 0, 4]], "wrong order")


def test_q8_same_padding_averages_only_the_inputs_a_window_covers():
    layer = keras.layers.AvgPool2D(2, padding="same")
    keras_output = layer(as_batch(ex.Q8_MATRIX))[0, :, :, 0].numpy()
    assert ex._q8_expected.tolist() == keras_output.tolist() == [[3, 2], [6, 9]]
    assert q8.grade([[3, 2], [6, 9]]).correct
    assert q8.grade([[3.0, 2.0], [6.0, 9.0]]).correct
    assert q8.grade(keras_output).correct
    assert q8.grade(layer(as_batch(ex.Q8_MATRIX))[0, :, :, 0]).correct
    assert q8.grade(np.array([[3, 2], [6, 9]])).correct
    rejected_with(q8, [[3, 1], [3, 2.25]], "counts the padded zeros")
    rejected_with(q8, [[6, 3], [7, 9]], "maxima")
    rejected_with(q8, [[3]], "\"valid\" padding")
    rejected_with(q8, [[2, 2.5], [5.5, 4.75]], "top and the left")
    rejected_with(q8, [3, 2, 6, 9], "shape")
    rejected_with(q8, [[3, 2], [6, 8]], "differ")


def test_q9_global_max_and_global_average_pooling():
    spot = np.zeros((1, 8, 8, 1), dtype="float32")
    spot[0, 3:5, 3:5, 0] = 8
    computed = [float(keras.layers.GlobalMaxPool2D()(spot)[0, 0]), float(keras.layers.GlobalAvgPool2D()(spot)[0, 0])]
    assert computed == [ex._q9_max, ex._q9_mean] == [8, 0.5]
    assert q9.grade([8, 0.5]).correct
    assert q9.grade((8.0, 0.5)).correct
    assert q9.grade(computed).correct
    assert q9.grade(np.array([8, 1 / 2])).correct
    assert q9.grade([8, 32 / 64]).correct
    rejected_with(q9, [0.5, 8], "wrong order")
    rejected_with(q9, [8, 8], "zeros included")
    rejected_with(q9, [32, 0.5], "sum of the map")
    rejected_with(q9, [8, 32], "number of positions")
    rejected_with(q9, [8, 2], "2x2 window")
    rejected_with(q9, [8, 1], "differ")
    rejected_with(q9, [8], "one value too few")


def test_hints_do_not_give_the_answers_away():
    answers = {q1: "[[7, 4], [8, 6]]", q2: "37, 49", q3: "two", q4: "2570", q5: "25, 25, 32", q6: "one column",
               q7: "[[0, 0, 0, 0], [1", q8: "[[3, 2], [6, 9]]", q9: "0.5"}
    for exercise, answer in answers.items():
        assert answer not in exercise._hint, exercise.title


WRONG_ANSWERS = {q2: [(32, 38, 50, 64), (32, 25, 33, 64), (32, 74, 98, 64), (32, 36, 48, 64), (32, 37, 49, 21)],
                 q3: [0, 1, 3], q4: [2560, 163_850, 163_840, 10, 0],
                 q5: [(16, 28, 28, 8), (16, 7, 7, 32), (16, 28, 28, 32), (16, 25, 25, 8), (16, 25, 25, 1),
                      (16, 28, 28, 128)],
                 q6: [0, 2, 4],
                 q7: [[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]], [[1, 2], [3, 4]]],
                 q8: [[[3, 1], [3, 2.25]], [[6, 3], [7, 9]], [[3]], [[2, 2.5], [5.5, 4.75]]],
                 q9: [[0.5, 8], [8, 8], [32, 0.5], [8, 32], [8, 2]]}
RIGHT_ANSWERS = {q2: ["37", "49"], q3: ["2", "two outputs", "both"], q4: ["2570", "2,570", "+ 10"], q5: ["25", "32)"],
                 q6: ["1 column", "one column", "by 1"], q7: ["[[0, 0, 0, 0], [1"], q8: ["[[3, 2], [6, 9]]"],
                 q9: ["[8, 0.5]", "0.5"]}


@pytest.mark.parametrize("exercise", list(WRONG_ANSWERS), ids=lambda e: e.title)
def test_wrong_answer_messages_do_not_hand_over_the_answer(exercise):
    for wrong in WRONG_ANSWERS[exercise]:
        message = exercise.grade(wrong).message.split("not quite.", 1)[1]
        for fragment in RIGHT_ANSWERS[exercise]:
            assert fragment not in message, f"{exercise.title}, {wrong!r}: {message}"

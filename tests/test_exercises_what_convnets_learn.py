"""Chapter 8's exercises accept the right answers, written in the natural ways, and name the typical slips."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course import explain
from cnn_course.exercises import what_convnets_learn as ex
from cnn_course.exercises.what_convnets_learn import EXERCISES, q1, q2, q3, q4, q5, q6, q7, q8
from cnn_course.models import fashion_mnist_compact
from cnn_course.settings import seed_everything
from cnn_course.transfer import convolutional_base, with_new_head

import keras
import numpy as np
import pytest
import tensorflow as tf
from grading import rejected_with


def test_every_exercise_is_listed():
    assert EXERCISES == [q1, q2, q3, q4, q5, q6, q7, q8]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.title)
@pytest.mark.parametrize("odd", [None, "", "abc", float("nan"), {"a": 1}, [[1, 2], [3]], (x for x in range(3)),
                                 tf.zeros([2, 2]), object()], ids=repr)
def test_odd_answers_are_graded_without_raising(exercise, odd):
    assert not exercise.grade(odd).correct


def q1_model(last_padding="same"):
    seed_everything()
    return keras.Sequential([keras.Input(shape=(64, 64, 3)),
                             keras.layers.Conv2D(32, 3, padding="same"), keras.layers.MaxPooling2D(2),
                             keras.layers.Conv2D(64, 3, padding="same"), keras.layers.MaxPooling2D(2),
                             keras.layers.Conv2D(128, 3, strides=2, padding=last_padding),
                             keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(5, activation="softmax")])


def test_q1_a_class_activation_map_has_the_last_feature_maps_size():
    cam = explain.class_activation_map(q1_model(), np.zeros((1, 64, 64, 3)), 0)
    assert cam.shape[1:] == (ex._q1_side, ex._q1_side) == (8, 8)
    assert q1_model("valid").layers[-3].output.shape[1:3] == (ex._q1_valid_side,) * 2 == (7, 7)
    assert q1.grade((8, 8)).correct
    assert q1.grade([8, 8]).correct
    assert q1.grade(cam.shape[1:]).correct
    assert q1.grade(np.array([8, 8])).correct
    assert q1.grade(tf.TensorShape([8, 8])).correct
    rejected_with(q1, (16, 16), "stride of 2")
    rejected_with(q1, (64, 64), "not the input's")
    rejected_with(q1, (8, 8, 128), "one 2D map")
    rejected_with(q1, (8, 8, 5), "one class")
    rejected_with(q1, (7, 7), "\"valid\" padding")
    rejected_with(q1, (1, 1), "comes after the map")
    rejected_with(q1, (4, 4), "axis 0")
    rejected_with(q1, (8,), "dimensions")


def test_q2_grad_cams_weight_is_the_dense_weight_over_the_area():
    """Checked on chapter 7's compact model itself: channel 12's Grad-CAM weight is its dense weight over 49."""
    seed_everything()
    model = fashion_mnist_compact()
    kernel, bias = model.layers[-1].get_weights()
    kernel[12, 8] = 0.735
    model.layers[-1].set_weights([kernel, bias])
    alpha = explain.grad_cam_weights(model, np.random.default_rng(0).normal(size=(3, 28, 28, 1)), class_index=8)
    np.testing.assert_allclose(alpha[:, 12], ex._q2_alpha, rtol=1e-4)
    assert q2.grade(0.015).correct
    assert q2.grade(0.735 / 49).correct
    assert q2.grade(np.float32(0.735) / 49).correct
    assert q2.grade(tf.constant(0.015)).correct
    rejected_with(q2, 0.735, "class activation map's weight")
    rejected_with(q2, 0.735 * 49, "multiplies by the positions")
    rejected_with(q2, 0.105, "more than 7 positions")
    rejected_with(q2, 0.02, "too large")
    rejected_with(q2, "0.015", "remove the quotes")


def test_q3_occlusion_costs_one_prediction_per_position():
    assert len(explain.occlusion_positions(28, 4, 3)) ** 2 == ex._q3_side ** 2 == 81
    assert len(explain.occlusion_positions(28)) ** 2 == 144
    assert q3.grade(81).correct
    assert q3.grade(9 ** 2).correct
    assert q3.grade(np.int64(81)).correct
    assert q3.grade(81.0).correct
    rejected_with(q3, 64, "add the first position")
    rejected_with(q3, 100, "partly outside the image")
    rejected_with(q3, 49, "they overlap")
    rejected_with(q3, 9, "along both")
    rejected_with(q3, 625, "stride is 3")
    rejected_with(q3, 80, "too small")


def test_q4_feature_extraction_trains_the_new_head_only():
    seed_everything()
    base = convolutional_base(with_new_head(fashion_mnist_compact(), 8))
    base.trainable = False
    inputs = keras.Input(shape=(28, 28, 1))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(base(inputs, training=False)))
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    assert trainable == ex._q4_weights == 130
    assert q4.grade(130).correct
    assert q4.grade(64 * 2 + 2).correct
    assert q4.grade(trainable).correct
    rejected_with(q4, 128, "bias")
    rejected_with(q4, 65, "two units")
    rejected_with(q4, 650, "ten-class head")
    rejected_with(q4, 520, "eight classes")
    rejected_with(q4, 131, "too large")
    rejected_with(q4, "130", "remove the quotes")


def test_q5_trainable_batch_normalisation_shifts_the_features():
    for right in ("b", "B", "(b)", " b) "):
        assert q5.grade(right).correct
    rejected_with(q5, "a", "which statistics")
    rejected_with(q5, "c", "layer by layer")
    rejected_with(q5, "d", "resets the head")
    rejected_with(q5, "e", "not an option")


def test_q6_the_chance_of_one_settled_comparison_among_twenty():
    assert ex._q6_chance == pytest.approx(0.6415, abs=1e-4)
    assert q6.grade(0.64).correct
    assert q6.grade(1 - 0.95 ** 20).correct
    assert q6.grade(np.float64(0.6415)).correct
    rejected_with(q6, 0.05, "one comparison")
    rejected_with(q6, 0.36, "*none*")
    rejected_with(q6, 1.0, "counts twice")
    rejected_with(q6, 0.95, "does *not* mislead")
    rejected_with(q6, 0.7, "too large")
    rejected_with(q6, 64, "too large")


def test_q7_behind_a_hidden_relu_grad_cams_weights_depend_on_the_image():
    for right in ("c", "C", "(c)", "option c"):
        assert q7.grade(right).correct
    rejected_with(q7, "a", "linear in the global averages")
    rejected_with(q7, "b", "changes from image to image")
    rejected_with(q7, "d", "any differentiable head")


def test_q8_re_initialising_the_dense_layer_changes_every_map_that_reads_the_class_score():
    """Checked on a small GAP + dense model: with only the dense layer re-initialised, all four maps change."""
    seed_everything()
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(4, 3, padding="same"),
                              keras.layers.BatchNormalization(), keras.layers.ReLU(),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
    x = np.random.default_rng(5).normal(size=(2, 8, 8, 1)).astype("float32")
    methods = {"CAM": lambda m, b: explain.class_activation_map(m, b, 0),
               "Grad-CAM": lambda m, b: explain.grad_cam(m, b, 0, relu=False),
               "saliency": lambda m, b: explain.saliency_map(m, b, 0),
               "occlusion": lambda m, b: explain.occlusion_sensitivity(m, b, 0, patch=3, stride=1),
               "edges": lambda m, b: explain.edge_map(b)}
    trained = {name: method(model, x) for name, method in methods.items()}
    stage, randomized = next(explain.cascading_randomization(model, seed=1))
    assert stage == model.layers[-1].name
    for name, method in methods.items():
        assert np.allclose(method(randomized, x), trained[name]) == (name == "edges"), name
    for right in ("a", "A", "(a)", "option a"):
        assert q8.grade(right).correct
    rejected_with(q8, "b", "is the gradient of the class score")
    rejected_with(q8, "c", "Grad-CAM by its gradients")
    rejected_with(q8, "d", "feature maps stay")
    rejected_with(q8, "e", "not an option")


def test_hints_do_not_give_the_answers_away():
    answers = {q1: "(8, 8)", q2: "0.015", q3: "81", q4: "130", q5: "(b)", q6: "0.64", q7: "(c)", q8: "(a)"}
    for exercise, answer in answers.items():
        assert answer not in exercise._hint, exercise.title


WRONG_ANSWERS = {q1: [(16, 16), (64, 64), (8, 8, 128), (8, 8, 5), (7, 7), (1, 1)],
                 q2: [0.735, 0.735 * 49, 0.105],
                 q3: [64, 100, 49, 9, 625],
                 q4: [128, 65, 650, 520],
                 q6: [0.05, 0.36, 1.0, 0.95]}
RIGHT_ANSWERS = {q1: ["(8, 8)", "8x8", "ceil(16 / 2) = 8"], q2: ["0.015", "/ 49 ="], q3: ["81", "9 positions"],
                 q4: ["130"], q6: ["0.64", "0.6415"]}


@pytest.mark.parametrize("exercise", list(WRONG_ANSWERS), ids=lambda e: e.title)
def test_wrong_answer_messages_do_not_hand_over_the_answer(exercise):
    for wrong in WRONG_ANSWERS[exercise]:
        message = exercise.grade(wrong).message.split("not quite.", 1)[1]
        for fragment in RIGHT_ANSWERS[exercise]:
            assert fragment not in message, f"{exercise.title}, {wrong!r}: {message}"

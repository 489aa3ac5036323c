"""Grading tests of homework 8 (explanations from scratch): each test is one point.

Each compares the submission with cnn_course.explain, the helpers chapter 8 uses, on a tiny convnet whose weights
are fixed by a seed; the whole file runs in seconds.
"""

from cnn_course import explain

import keras
import numpy as np
import tensorflow as tf

SUBMISSION = "explanations.py"
ALLOWED_IMPORTS = {"numpy", "math", "itertools", "functools", "typing", "__future__"}


def tiny_convnet():
    """Conv2D - max pooling - Conv2D - global average pooling - Dense: chapter 7's head on a 12x12 image."""
    keras.utils.set_random_seed(8)
    return keras.Sequential([keras.Input(shape=(12, 12, 1)),
                             keras.layers.Conv2D(6, 3, padding="same", activation="relu"),
                             keras.layers.MaxPooling2D(2),
                             keras.layers.Conv2D(8, 3, padding="same", activation="relu"),
                             keras.layers.GlobalAveragePooling2D(name="average"),
                             keras.layers.Dense(3, activation="softmax")])


MODEL = tiny_convnet()
IMAGES = np.random.default_rng(8).normal(size=(4, 12, 12, 1)).astype("float32")


def maps_and_gradients(model, images, classes):
    """The last feature maps and the gradient of each image's class score (before the softmax) with respect to them."""
    dense = model.layers[-1]
    probe = keras.Model(model.inputs[0], [model.layers[-3].output, dense.input])
    with tf.GradientTape() as tape:
        maps, features = probe(tf.constant(images))
        scores = tf.gather(tf.matmul(features, dense.kernel) + dense.bias, classes, axis=1, batch_dims=1)
    return maps.numpy(), tape.gradient(scores, maps).numpy()


def predict(images):
    return MODEL.predict(np.asarray(images, dtype="float32"), verbose=0)


def test_the_class_activation_map_matches_the_chapters(submission):
    maps, _ = maps_and_gradients(MODEL, IMAGES, [0, 0, 0, 0])
    kernel = MODEL.layers[-1].get_weights()[0]
    for class_index in range(3):
        expected = explain.class_activation_map(MODEL, IMAGES, class_index)
        for image in range(len(IMAGES)):
            mine = np.asarray(submission.class_activation_map(maps[image], kernel, class_index))
            assert mine.shape == (6, 6), f"a map has the feature maps' height and width, not {mine.shape}"
            np.testing.assert_allclose(mine, expected[image], rtol=1e-4, atol=1e-5)


def test_grad_cam_matches_the_chapters(submission):
    classes = np.array([0, 1, 2, 1])
    maps, gradients = maps_and_gradients(MODEL, IMAGES, classes)
    expected = explain.grad_cam(MODEL, IMAGES, classes)
    for image in range(len(IMAGES)):
        mine = np.asarray(submission.grad_cam(maps[image], gradients[image]))
        np.testing.assert_allclose(mine, expected[image], rtol=1e-4, atol=1e-6)


def test_grad_cam_keeps_only_the_positive_part(submission):
    maps = np.zeros((2, 3, 2))
    maps[0, :, 0], maps[1, :, 1] = 1.0, 2.0  # channel 0 on the top row, channel 1 on the bottom row
    gradients = np.zeros((2, 3, 2))
    gradients[..., 0], gradients[..., 1] = 0.5, -0.25  # mean gradients 0.5 and -0.25
    mine = np.asarray(submission.grad_cam(maps, gradients))
    np.testing.assert_allclose(mine, [[0.5, 0.5, 0.5], [0.0, 0.0, 0.0]], atol=1e-9)


def test_occlusion_matches_the_chapters(submission):
    for class_index, patch, stride in ((0, 4, 2), (2, 3, 3), (1, 6, 2)):
        expected = explain.occlusion_sensitivity(MODEL, IMAGES[:1], class_index, patch=patch, stride=stride)[0]
        mine = np.asarray(submission.occlusion_sensitivity(predict, IMAGES[0], class_index, patch, stride))
        assert mine.shape == (12, 12), f"patch {patch}, stride {stride}: shape {mine.shape}"
        np.testing.assert_allclose(mine, expected, atol=1e-5)


def test_occluding_an_image_that_is_blank_already_changes_nothing(submission):
    blank = np.full((12, 12, 1), -0.5, dtype="float32")
    mine = np.asarray(submission.occlusion_sensitivity(predict, blank, 1, patch=4, stride=2, fill=-0.5))
    np.testing.assert_allclose(mine, np.zeros((12, 12)), atol=1e-6)


def test_occlusion_marks_only_the_pixels_under_patches_that_hide_what_the_model_reads(submission):
    kernel = np.zeros((64, 2), dtype="float32")
    kernel[5 * 8 + 2] = [3.0, -3.0]  # the model reads pixel (5, 2) of an 8x8 image, nothing else
    reader = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(),
                               keras.layers.Dense(2, activation="softmax")])
    reader.layers[-1].set_weights([kernel, np.zeros(2, dtype="float32")])
    image = np.ones((8, 8, 1), dtype="float32")
    mine = np.asarray(submission.occlusion_sensitivity(lambda x: reader.predict(np.asarray(x), verbose=0), image, 0,
                                                       patch=3, stride=1))
    expected = explain.occlusion_sensitivity(reader, image[np.newaxis], 0, patch=3, stride=1)[0]
    assert set(zip(*np.nonzero(np.abs(mine) > 1e-6))) == set(zip(*np.nonzero(expected)))
    np.testing.assert_allclose(mine, expected, atol=1e-6)

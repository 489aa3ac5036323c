"""Grading tests of homework 6 (receptive fields, checked by gradients): each test is one point."""

from cnn_course.receptive_fields import footprint_extent, gradient_footprint

import keras
import numpy as np

SUBMISSION = "receptive_field.py"
ALLOWED_IMPORTS = {"keras", "tensorflow", "numpy", "math", "itertools", "functools", "typing", "__future__"}
MAX_PARAMETERS = 60_000


def stack(layers, size=64):
    """Linear convolutions with all-ones kernels, one per (kernel_size, stride): every input in a unit's field
    has a non-zero gradient, every other input a zero one."""
    model = keras.Sequential([keras.Input(shape=(size, size, 1))] + [
        keras.layers.Conv2D(1, kernel_size, strides=stride, kernel_initializer="ones", use_bias=False,
                            name=f"layer{index}")
        for index, (kernel_size, stride) in enumerate(layers)])
    return model, f"layer{len(layers) - 1}"


def measured_field(layers):
    model, last = stack(layers)
    first = gradient_footprint(model, last, (0, 0), samples=1)
    second = gradient_footprint(model, last, (0, 1), samples=1)
    size = footprint_extent(first)[1]
    jump = int(np.flatnonzero(second.any(axis=0))[0] - np.flatnonzero(first.any(axis=0))[0])
    return size, jump


def spatial_layers(model):
    return [layer for layer in model.layers if len(layer.output.shape) == 4]


def check_fields(submission, stacks):
    for layers in stacks:
        assert tuple(submission.receptive_field(layers)) == measured_field(layers), f"layers {layers}"


def test_stride_one_stacks_grow_by_kernel_minus_one(submission):
    check_fields(submission, [[(3, 1)], [(3, 1), (3, 1)], [(3, 1)] * 4, [(5, 1), (3, 1)]])


def test_strides_and_pooling_multiply_the_growth_of_the_layers_above(submission):
    check_fields(submission, [[(3, 2), (3, 1)], [(2, 2), (3, 1), (2, 2)], [(7, 2), (3, 2), (3, 1)]])


def test_the_field_of_chapter_6s_convnet(submission):
    check_fields(submission, [[(3, 1), (2, 2), (3, 1), (2, 2), (3, 1)]])  # conv, pool, conv, pool, conv


def test_the_model_classifies_28x28_images_into_10_classes_within_the_budget(submission):
    model = submission.build_model()
    assert tuple(model.input_shape) == (None, 28, 28, 1)
    assert tuple(model.output_shape) == (None, 10)
    assert model.count_params() <= MAX_PARAMETERS, f"{model.count_params():,} parameters"
    probabilities = model(np.random.default_rng(0).normal(size=(3, 28, 28, 1)).astype("float32")).numpy()
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-4)


def test_the_last_spatial_layer_sees_the_whole_image(submission):
    model = submission.build_model()
    last = spatial_layers(model)[-1]
    extent = footprint_extent(gradient_footprint(model, last.name, samples=32))
    assert extent == (28, 28), f"a unit of {last.name} sees {extent[0]}x{extent[1]} pixels of a 28x28 digit"

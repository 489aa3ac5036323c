"""The receptive-field arithmetic agrees with hand-worked cases and with the gradient of real Keras models."""

from cnn_course.models import mnist_convnet, mnist_convnet_strided
from cnn_course.receptive_fields import (
    footprint_extent,
    gradient_footprint,
    layer_geometry,
    receptive_field_growth,
)
from cnn_course.settings import seed_everything

import keras
import pytest


def _model(*layers, shape=(40, 40, 1)):
    seed_everything(0)
    return keras.Sequential([keras.Input(shape=shape), *layers])


def test_hand_worked_growth_of_chapter_6s_convnet():
    # conv 3: 3 | pool 2: 3 + 1 = 4 (jump 2) | conv 3: 4 + 2*2 = 8 | pool 2: 8 + 1*2 = 10 (jump 4)
    # | conv 3: 10 + 2*4 = 18
    assert [g.size for g in receptive_field_growth(mnist_convnet(pooling=True))] == [3, 4, 8, 10, 18]
    assert [g.jump for g in receptive_field_growth(mnist_convnet(pooling=True))] == [1, 2, 2, 4, 4]
    assert [g.size for g in receptive_field_growth(mnist_convnet(pooling=False))] == [3, 5, 7]


def test_geometry_skips_layers_without_kernels_and_stops_at_flatten():
    model = _model(keras.layers.Conv2D(2, 5, strides=2), keras.layers.BatchNormalization(), keras.layers.ReLU(),
                   keras.layers.MaxPooling2D(3, strides=2), keras.layers.Flatten(), keras.layers.Dense(3))
    assert [(g.kernel_size, g.stride, g.dilation) for g in layer_geometry(model)] == [(5, 2, 1), (3, 2, 1)]
    # 5, then 5 + (3 - 1) * 2 = 9
    assert [g.size for g in receptive_field_growth(model)] == [5, 9]


def test_dilation_widens_the_field_without_a_stride():
    model = _model(keras.layers.Conv2D(2, 3, dilation_rate=2), keras.layers.Conv2D(2, 3, dilation_rate=4))
    # span 2*(3-1)+1 = 5, then + 4*(3-1) = 13
    assert [g.size for g in receptive_field_growth(model)] == [5, 13]


STACKS = {
    "convolutions with strides": [keras.layers.Conv2D(4, 3, strides=2), keras.layers.Conv2D(4, 5),
                                  keras.layers.Conv2D(4, 3, strides=2), keras.layers.Conv2D(4, 3)],
    "dilated convolutions": [keras.layers.Conv2D(4, 3, dilation_rate=2), keras.layers.Conv2D(4, 3, dilation_rate=3),
                             keras.layers.Conv2D(4, 2)],
    "average pooling and same padding": [keras.layers.Conv2D(4, 3, padding="same"), keras.layers.AveragePooling2D(3),
                                         keras.layers.Conv2D(4, 3, padding="same")],
    "max pooling and ReLU": [keras.layers.Conv2D(8, 3, activation="relu"), keras.layers.MaxPooling2D(2),
                             keras.layers.Conv2D(8, 3, activation="relu"), keras.layers.MaxPooling2D(2),
                             keras.layers.Conv2D(8, 3)],
}


@pytest.mark.parametrize("name", STACKS)
def test_computed_field_equals_the_gradient_footprint(name):
    model = _model(*STACKS[name])
    last = model.layers[-1].name
    size = receptive_field_growth(model)[-1].size
    assert footprint_extent(gradient_footprint(model, last, samples=32)) == (size, size)


def test_chapter_6s_convnets_footprints_match_their_fields():
    for pooling, size in ((True, 18), (False, 7)):
        seed_everything(0)
        model = mnist_convnet(pooling=pooling)
        last_conv = [layer.name for layer in model.layers if isinstance(layer, keras.layers.Conv2D)][-1]
        assert footprint_extent(gradient_footprint(model, last_conv)) == (size, size)


def test_chapter_6s_control_convnet_sees_as_far_as_the_convnet_with_pooling():
    seed_everything(0)
    pooled, control = mnist_convnet(), mnist_convnet_strided()
    fields = [[(growth.size, growth.jump) for growth in receptive_field_growth(model)] for model in (pooled, control)]
    assert fields[0] == fields[1] == [(3, 1), (4, 2), (8, 2), (10, 4), (18, 4)]
    last_conv = [layer.name for layer in control.layers if isinstance(layer, keras.layers.Conv2D)][-1]
    assert footprint_extent(gradient_footprint(control, last_conv)) == (18, 18)


def test_footprint_of_an_output_near_the_border_is_cut_by_the_image():
    model = _model(keras.layers.Conv2D(2, 5, padding="same"), shape=(10, 10, 1))
    assert footprint_extent(gradient_footprint(model, model.layers[-1].name, position=(0, 0))) == (3, 3)
    assert footprint_extent(gradient_footprint(model, model.layers[-1].name, position=(5, 5))) == (5, 5)

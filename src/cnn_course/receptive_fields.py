"""Receptive fields of whole Keras models: computed from the layers, and measured with a gradient.

Chapter 6 asks how much of a digit the last convolutional layer of a convnet sees. Two ways answer it:

- :func:`receptive_field_growth` reads each layer's kernel, stride and dilation (convolutions and
  pooling layers; layers such as ReLU or batch normalisation do not widen the field) and applies
  :func:`cnn_course.strides.receptive_field_size` layer after layer;
- :func:`gradient_footprint` asks TensorFlow: the inputs that can change one output of a layer are
  those where the gradient of that output with respect to the input is not zero. A max pool passes
  the gradient to one input of each window and a ReLU blocks it where it is off, so the footprint
  is the union over a batch of random inputs.

The two agree (the tests check it on real models), which is the reason to trust the arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnn_course.strides import receptive_field_size

import numpy as np


@dataclass(frozen=True)
class LayerGeometry:
    """How one layer moves a receptive field along the height axis: kernel size, stride, dilation."""

    name: str
    kernel_size: int
    stride: int
    dilation: int = 1


@dataclass(frozen=True)
class FieldGrowth:
    """The receptive field after one layer: its size in input pixels and the input step between neighbours."""

    name: str
    size: int
    jump: int


def _first(value) -> int:
    return int(value[0]) if isinstance(value, (tuple, list)) else int(value)


def layer_geometry(model) -> list[LayerGeometry]:
    """Kernel, stride and dilation (along the height) of each layer up to the first that is not spatial.

    Convolutions and pooling layers move the field; layers without a kernel (activations, batch
    normalisation, dropout) are skipped; the walk stops at the first layer that mixes all positions
    (``Flatten``, global pooling, ``Dense``), whose inputs are the whole map.
    """
    import keras

    geometry = []
    for layer in model.layers:
        if isinstance(layer, (keras.layers.Flatten, keras.layers.Dense, keras.layers.GlobalAveragePooling2D,
                              keras.layers.GlobalMaxPooling2D)):
            break
        if hasattr(layer, "kernel_size") and hasattr(layer, "strides"):
            geometry.append(LayerGeometry(layer.name, _first(layer.kernel_size), _first(layer.strides),
                                          _first(getattr(layer, "dilation_rate", 1))))
        elif hasattr(layer, "pool_size"):
            geometry.append(LayerGeometry(layer.name, _first(layer.pool_size), _first(layer.strides)))
    return geometry


def receptive_field_growth(model) -> list[FieldGrowth]:
    """The receptive field (in input pixels, along one axis) after each convolution or pooling layer.

    For chapter 6's convnet: 3, 4, 8, 10, 18 with its pooling layers, but only 3, 5, 7 without them.
    """
    geometry = layer_geometry(model)
    growth = []
    for depth in range(1, len(geometry) + 1):
        below = geometry[:depth]
        size = receptive_field_size([g.kernel_size for g in below], [g.stride for g in below],
                                    [g.dilation for g in below])
        jump = int(np.prod([g.stride for g in below]))
        growth.append(FieldGrowth(below[-1].name, size, jump))
    return growth


def gradient_footprint(model, layer_name: str, position: tuple[int, int] | None = None, *,
                       samples: int = 16, seed: int = 0) -> np.ndarray:
    """The input pixels that one output of a layer depends on, found with a gradient.

    Builds the sub-model from the model's input to ``layer_name``, takes the sum over channels of the
    output at ``position`` (row, column; the centre when ``None``), and marks every input pixel where
    its gradient is non-zero for at least one of ``samples`` random inputs.

    Returns:
        A boolean mask of the input's height and width.
    """
    import keras
    import tensorflow as tf

    sub_model = keras.Model(model.inputs, model.get_layer(layer_name).output)
    shape = tuple(model.inputs[0].shape[1:])
    inputs = tf.constant(np.random.default_rng(seed).normal(size=(samples, *shape)).astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        outputs = sub_model(inputs)
        row, column = position if position is not None else (outputs.shape[1] // 2, outputs.shape[2] // 2)
        selected = tf.reduce_sum(outputs[:, row, column, :])
    gradient = tape.gradient(selected, inputs).numpy()
    return np.any(gradient != 0, axis=(0, *range(3, gradient.ndim)))


def footprint_extent(mask: np.ndarray) -> tuple[int, int]:
    """Height and width of the smallest box around the ``True`` pixels of a footprint mask."""
    rows, columns = np.nonzero(mask)
    if rows.size == 0:
        return 0, 0
    return int(rows.max() - rows.min() + 1), int(columns.max() - columns.min() + 1)

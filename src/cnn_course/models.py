"""The models that chapters 6 and 7 train, built by functions that the chapters and the benchmark share.

One function per model, so that ``benchmarks/fashion_mnist.py`` times exactly the network chapter 7
teaches. Every builder returns an uncompiled ``keras.Model`` that starts with ``keras.Input`` (Keras 3
style; ``input_shape=`` on a layer prints a warning). Call :func:`cnn_course.settings.seed_everything`
first for reproducible weights and stable layer names.

- :func:`mnist_convnet` (chapter 6): the first convnet of the course, on MNIST, with or without its two
  max-pooling layers.
- :func:`dense_network` (chapter 6): the fully connected baseline it is compared with.
- :func:`fashion_mnist_reference` (chapter 7): the deep reference model of the capstone, 1,413,834
  parameters.
- :func:`fashion_mnist_compact` (chapter 7): a small model designed for CPUs (batch normalisation, few
  early filters, a global-average-pooling head), trained with :func:`compact_optimizer`.
"""

from __future__ import annotations

from functools import partial

import keras

MNIST_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


def mnist_convnet(pooling: bool = True) -> keras.Model:
    """Chapter 6's convnet: Conv2D 32, 64, 128 (3x3, ReLU), two 2x2 max pools, Flatten, Dense 10.

    With ``pooling=False`` the same three convolutions follow each other without the max-pooling
    layers: every feature map stays large (22x22 after the last layer), the Flatten layer has 61,952
    values and the Dense layer holds most of the parameters.
    """
    conv = partial(keras.layers.Conv2D, kernel_size=3, activation="relu")
    layers = [keras.Input(shape=MNIST_SHAPE), conv(32)]
    if pooling:
        layers.append(keras.layers.MaxPooling2D(2))
    layers.append(conv(64))
    if pooling:
        layers.append(keras.layers.MaxPooling2D(2))
    layers += [conv(128), keras.layers.Flatten(), keras.layers.Dense(NUM_CLASSES, activation="softmax")]
    return keras.Sequential(layers, name="convnet" if pooling else "convnet_without_pooling")


def dense_network(units: int = 512) -> keras.Model:
    """A fully connected baseline for 28x28 images: Flatten, Dense(units, ReLU), Dense 10 (chapter 6)."""
    return keras.Sequential([
        keras.Input(shape=MNIST_SHAPE),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="dense_network")


# The default convolution of chapter 7's reference model: 3x3, "same" padding, ReLU, He initialisation.
DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, padding="same", activation="relu",
                        kernel_initializer="he_normal")


def fashion_mnist_reference() -> keras.Model:
    """Chapter 7's reference model (after Géron, *Hands-On Machine Learning*, chapter 14).

    Conv2D 64 (7x7) - max pool - 2 x Conv2D 128 - max pool - 2 x Conv2D 256 - max pool - Flatten -
    Dense 128 - Dropout 0.5 - Dense 64 - Dropout 0.5 - Dense 10 (softmax), 1,413,834 parameters.
    Filters double after each pooling layer while the maps shrink 28 -> 14 -> 7 -> 3.
    """
    dense = partial(keras.layers.Dense, activation="relu", kernel_initializer="he_normal")
    return keras.Sequential([
        keras.Input(shape=MNIST_SHAPE),
        DefaultConv2D(filters=64, kernel_size=7),
        keras.layers.MaxPooling2D(),
        DefaultConv2D(filters=128),
        DefaultConv2D(filters=128),
        keras.layers.MaxPooling2D(),
        DefaultConv2D(filters=256),
        DefaultConv2D(filters=256),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        dense(128),
        keras.layers.Dropout(0.5),
        dense(64),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="reference")

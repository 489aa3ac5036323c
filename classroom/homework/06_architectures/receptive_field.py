"""Homework 6: the receptive field of a stack of layers, and a small convnet whose last layer sees the whole digit.

Use Keras, TensorFlow, NumPy and the standard library (not cnn_course: its receptive-field helpers are what you
write here). Replace each ``raise NotImplementedError`` with your code; README.md says what each function must
do. Check yourself with ``pytest`` in this folder.
"""


def receptive_field(layers):
    """(size, jump) of a unit of the last layer of a stack, along one axis.

    ``layers``: one ``(kernel_size, stride)`` pair per layer, input side first; a pooling layer counts as a layer
    with a kernel and a stride. ``size``: how many inputs one unit depends on; ``jump``: how many inputs apart
    two neighbouring units' fields start.
    """
    raise NotImplementedError("receptive_field")


def build_model():
    """A Keras model for 28x28x1 images and 10 classes (softmax), with at most 60,000 parameters, whose last
    layer with a spatial map (before Flatten or global pooling) has units that see the whole image."""
    raise NotImplementedError("build_model")

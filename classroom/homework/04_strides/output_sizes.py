"""Homework 4: how many outputs a strided or dilated layer has, and which inputs "valid" never reads.

Use the standard library only (no TensorFlow, Keras, NumPy or cnn_course).
Replace each ``raise NotImplementedError`` with your code; README.md says what each function must do.
Check yourself with ``pytest`` in this folder.
"""


def output_size(n, kernel_size, stride=1, padding="valid", dilation=1):
    """Outputs along one axis of ``n`` inputs, as Keras's Conv2D computes them ("valid" or "same")."""
    raise NotImplementedError("output_size")


def ignored_inputs(n, kernel_size, stride=1):
    """The indices (0-based, ascending) of the inputs no window of a "valid" layer reads."""
    raise NotImplementedError("ignored_inputs")

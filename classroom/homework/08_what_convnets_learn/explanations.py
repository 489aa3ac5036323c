"""Homework 8: a class activation map, Grad-CAM and occlusion sensitivity, from scratch.

Use NumPy and the standard library only (no TensorFlow, Keras or cnn_course): the feature maps, gradients and
predictions are given to your functions. Replace each ``raise NotImplementedError`` with your code; README.md says
what each function must do. Check yourself with ``pytest`` in this folder.
"""

import numpy as np  # noqa: F401  (you will need it)


def class_activation_map(feature_maps, dense_kernel, class_index):
    """The class activation map [height, width] of one image.

    ``feature_maps``: [height, width, channels], the last convolution's output for the image;
    ``dense_kernel``: [channels, classes], the weights of the dense layer after global average pooling.
    """
    raise NotImplementedError("class_activation_map")


def grad_cam(feature_maps, gradients):
    """Grad-CAM [height, width] of one image, from its feature maps and the class score's gradients (same shape)."""
    raise NotImplementedError("grad_cam")


def occlusion_sensitivity(predict, image, class_index, patch=6, stride=2, fill=0.0):
    """The mean drop of the class probability over the patches covering each pixel, [height, width].

    ``predict``: a function from images [n, height, width, channels] to probabilities [n, classes];
    ``image``: [height, width, channels].
    """
    raise NotImplementedError("occlusion_sensitivity")

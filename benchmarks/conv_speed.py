"""How much slower the from-scratch convolution of chapter 2 is than TensorFlow's, on the sample photos.

Prints measured figures; nothing is asserted (timings depend on the machine). Run with
`.venv/bin/python benchmarks/conv_speed.py`.
"""

import timeit

from cnn_course.conv import conv2d_numpy
from cnn_course.data import load_sample_images
from cnn_course.filters import line_filters, to_grayscale

import numpy as np
import tensorflow as tf


def best_of(function, repeat: int = 5) -> float:
    """Best wall-clock time of one call, in seconds (the minimum is the least disturbed run)."""
    return min(timeit.repeat(function, number=1, repeat=repeat))


def main() -> None:
    images = to_grayscale(load_sample_images())  # [2, 427, 640, 1]
    filters = line_filters(7)  # [7, 7, 1, 2]
    print(f"input {images.shape}, kernels {filters.shape}, 'same' padding, stride 1")
    for name, function in [
        ("tf.nn.conv2d", lambda: tf.nn.conv2d(images, filters, 1, "SAME").numpy()),
        ("conv2d_numpy", lambda: conv2d_numpy(images, filters, padding="same")),
    ]:
        print(f"{name:>13}: {best_of(function) * 1000:8.1f} ms")
    difference = np.abs(conv2d_numpy(images, filters, padding="same")
                        - tf.nn.conv2d(images, filters, 1, "SAME").numpy()).max()
    print(f"largest difference between the two: {difference:.2e}")


if __name__ == "__main__":
    main()

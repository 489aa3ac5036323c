"""Helpers shared by the chapters of *Convolutional Neural Networks, an executable course*.

Importing the package first imports TensorFlow quietly (see :func:`cnn_course.settings.quiet_tensorflow`),
so a notebook imports ``cnn_course`` before ``tensorflow`` or ``keras``.
"""

from cnn_course.settings import by_mode, quiet_tensorflow, seed_everything

__version__ = "0.4.1"

quiet_tensorflow()

__all__ = ["__version__", "by_mode", "seed_everything"]

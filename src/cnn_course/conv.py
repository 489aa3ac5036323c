"""Convolution arithmetic and a from-scratch convolutional layer (chapters 2 to 4).

:func:`conv2d_numpy` writes the output equation of a convolutional layer directly in NumPy, so that
chapter 2 can show it equals ``tf.nn.conv2d``; :func:`conv_output_size` is the size rule of chapters
3 and 4; :func:`conv_layer_cost` is chapter 2's memory and compute estimate. :func:`im2col` and
:func:`conv2d_im2col` show chapter 2's other view of the same layer: one matrix product.

Every function here defaults to ``padding="valid"``, as Keras's ``Conv2D`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

PADDINGS = ("valid", "same")


def _check_padding(padding: str) -> str:
    if not isinstance(padding, str) or padding.lower() not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same' (any case), got {padding!r}")
    return padding.lower()


def _is_positive_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1


def _pair(value, name: str) -> tuple[int, int]:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    pair = (value, value) if np.isscalar(value) or value is None else tuple(value)
    if len(pair) != 2 or not all(_is_positive_int(v) for v in pair):
        raise ValueError(f"{name} must be a positive integer or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def conv_output_size(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                     dilation: int = 1) -> int:
    """Output length along one axis of a convolution or pooling layer, as TensorFlow computes it.

    "same" pads with zeros so that a window starts at every stride-th input: ``ceil(n / stride)``.
    "valid" adds no padding and keeps only windows that fit: ``floor((n - span) / stride) + 1``, where
    a dilated kernel spans ``span = dilation * (kernel_size - 1) + 1`` inputs.

    Raises:
        ValueError: a non-positive size, kernel, stride or dilation, an unknown padding, or a "valid"
            kernel larger than the input.
    """
    for name, value in (("n", n), ("kernel_size", kernel_size), ("stride", stride), ("dilation", dilation)):
        if not _is_positive_int(value):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    padding = _check_padding(padding)
    if padding == "same":
        return math.ceil(n / stride)
    span = dilation * (kernel_size - 1) + 1
    if span > n:
        raise ValueError(f"a kernel spanning {span} inputs does not fit in {n} inputs with 'valid' padding")
    return (n - span) // stride + 1


def same_padding(n: int, kernel_size: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Zeros TensorFlow adds before and after an axis for "same" padding.

    The total is what makes ``ceil(n / stride)`` windows of span ``dilation * (kernel_size - 1) + 1``
    fit; when it is odd the extra zero goes after (bottom or right), as in ``tf.nn.conv2d``.
    """
    out = conv_output_size(n, kernel_size, stride, "same", dilation)
    span = dilation * (kernel_size - 1) + 1
    total = max((out - 1) * stride + span - n, 0)
    return total // 2, total - total // 2


def conv2d_numpy(inputs, kernels, biases=None, strides=1, padding: str = "valid") -> np.ndarray:
    """A convolutional layer's output, computed term by term from its equation.

    ``z[b, i, j, k] = bias[k] + sum over u, v, k' of x[b, i*sh + u, j*sw + v, k'] * w[u, v, k', k]``
    (after padding). Like every deep-learning library this is cross-correlation: the kernel is not
    flipped. Written for clarity, not speed; use ``tf.nn.conv2d`` for real work.

    Args:
        inputs: [batch, height, width, channels] (NHWC).
        kernels: [fh, fw, channels, n_filters].
        biases: [n_filters], or None for no bias.
        strides: an int or a (sh, sw) pair.
        padding: "valid" or "same" (TensorFlow's rule, see :func:`same_padding`).

    Returns:
        float array [batch, out_height, out_width, n_filters].

    Raises:
        ValueError: wrong ranks, mismatched channels or biases, a bad stride or an unknown padding.
    """
    x = np.asarray(inputs, dtype=np.float64)
    w = np.asarray(kernels, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"inputs must be [batch, height, width, channels], got shape {x.shape}")
    if w.ndim != 4:
        raise ValueError(f"kernels must be [fh, fw, in_channels, n_filters], got shape {w.shape}")
    if w.shape[2] != x.shape[3]:
        raise ValueError(f"kernels expect {w.shape[2]} input channels but inputs have {x.shape[3]}")
    b = np.zeros(w.shape[3]) if biases is None else np.asarray(biases, dtype=np.float64)
    if b.shape != (w.shape[3],):
        raise ValueError(f"biases must have shape ({w.shape[3]},), got {b.shape}")
    sh, sw = _pair(strides, "strides")
    padding = _check_padding(padding)
    fh, fw = w.shape[:2]
    height, width = x.shape[1:3]

    if padding == "same":
        x = np.pad(x, [(0, 0), same_padding(height, fh, sh), same_padding(width, fw, sw), (0, 0)])
    out_h = conv_output_size(height, fh, sh, padding)
    out_w = conv_output_size(width, fw, sw, padding)

    z = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * sh:i * sh + fh, j * sw:j * sw + fw, :]  # [batch, fh, fw, channels]
            z[:, i, j, :] = np.tensordot(window, w, axes=([1, 2, 3], [0, 1, 2]))
    return z + b


def im2col(inputs, kernel_size, strides=1, padding: str = "valid") -> np.ndarray:
    """Every window of a batch of images unrolled into one row of a matrix (chapter 2).

    Row ``(b, i, j)`` holds the ``fh * fw * channels`` inputs that output neuron (i, j) of image b
    reads, in the order ``(u, v, k')`` of the kernel array ``[fh, fw, channels, n_filters]``, so
    that multiplying this matrix by the kernels reshaped to ``[fh * fw * channels, n_filters]`` is
    the whole convolution: the trick that lets libraries run a convolution as one fast matrix product.

    Args:
        inputs: [batch, height, width, channels].
        kernel_size: an int or an (fh, fw) pair.
        strides: an int or an (sh, sw) pair.
        padding: "valid" or "same" (TensorFlow's rule, see :func:`same_padding`).

    Returns:
        float array [batch * out_height * out_width, fh * fw * channels].
    """
    x = np.asarray(inputs, dtype=np.float64)
    if x.ndim != 4:
        raise ValueError(f"inputs must be [batch, height, width, channels], got shape {x.shape}")
    fh, fw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    padding = _check_padding(padding)
    height, width = x.shape[1:3]
    if padding == "same":
        x = np.pad(x, [(0, 0), same_padding(height, fh, sh), same_padding(width, fw, sw), (0, 0)])
    out_h = conv_output_size(height, fh, sh, padding)
    out_w = conv_output_size(width, fw, sw, padding)
    rows = [x[:, i * sh:i * sh + fh, j * sw:j * sw + fw, :].reshape(x.shape[0], -1)
            for i in range(out_h) for j in range(out_w)]  # each [batch, fh * fw * channels]
    return np.stack(rows, axis=1).reshape(x.shape[0] * out_h * out_w, -1)


def conv2d_im2col(inputs, kernels, biases=None, strides=1, padding: str = "valid") -> np.ndarray:
    """The convolutional layer of :func:`conv2d_numpy`, computed as one matrix product (chapter 2).

    ``im2col(inputs) @ kernels.reshape(-1, n_filters) + biases``, reshaped back to
    [batch, out_height, out_width, n_filters].
    """
    x = np.asarray(inputs, dtype=np.float64)
    w = np.asarray(kernels, dtype=np.float64)
    if w.ndim != 4 or x.ndim != 4 or w.shape[2] != x.shape[3]:
        raise ValueError(f"kernels [fh, fw, channels, n_filters] must match inputs [batch, height, width, "
                         f"channels], got {w.shape} and {x.shape}")
    b = np.zeros(w.shape[3]) if biases is None else np.asarray(biases, dtype=np.float64)
    fh, fw = w.shape[:2]
    sh, sw = _pair(strides, "strides")
    out_h = conv_output_size(x.shape[1], fh, sh, padding)
    out_w = conv_output_size(x.shape[2], fw, sw, padding)
    z = im2col(x, (fh, fw), (sh, sw), padding) @ w.reshape(-1, w.shape[3]) + b
    return z.reshape(x.shape[0], out_h, out_w, w.shape[3])


@dataclass(frozen=True)
class ConvLayerCost:
    """What one convolutional layer costs (see :func:`conv_layer_cost`)."""

    parameters: int
    multiplications: int
    output_values: int
    output_bytes_per_instance: int
    output_bytes_per_batch: int


def conv_layer_cost(input_shape, filters: int, kernel_size, strides=1, padding: str = "valid",
                    batch_size: int = 1, bytes_per_value: int = 4) -> ConvLayerCost:
    """Parameters, multiplications and output memory of one Conv2D layer (chapter 2).

    Each of the ``out_h * out_w * filters`` outputs takes ``fh * fw * channels`` multiplications;
    the parameters are one kernel per filter plus one bias each. Output memory is what one forward
    pass must hold (training must also keep it for backpropagation, for every layer at once).

    Args:
        input_shape: (height, width, channels) of one instance.
        padding: "valid" (the default, as for :func:`conv_output_size`, :func:`conv2d_numpy` and Keras)
            or "same".
        bytes_per_value: 4 for float32.
    """
    if len(input_shape) != 3 or not all(_is_positive_int(d) for d in input_shape):
        raise ValueError(f"input_shape must be (height, width, channels) of one instance, got {input_shape!r}")
    for name, value in (("filters", filters), ("batch_size", batch_size), ("bytes_per_value", bytes_per_value)):
        if not _is_positive_int(value):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    height, width, channels = input_shape
    fh, fw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    out_values = (conv_output_size(height, fh, sh, padding) * conv_output_size(width, fw, sw, padding)
                  * filters)
    per_instance = out_values * bytes_per_value
    return ConvLayerCost(
        parameters=(fh * fw * channels + 1) * filters,
        multiplications=out_values * fh * fw * channels,
        output_values=out_values,
        output_bytes_per_instance=per_instance,
        output_bytes_per_batch=per_instance * batch_size,
    )

"""Stride arithmetic: which inputs each output of a strided layer reads, and which inputs none reads.

:func:`cnn_course.conv.conv_output_size` says *how many* outputs a convolution or pooling layer has
along one axis; this module, introduced in chapter 4, says *which* inputs they read. A neuron at
(i, j) of a layer with strides (sh, sw) reads rows ``i*sh .. i*sh + fh - 1`` and columns
``j*sw .. j*sw + fw - 1`` of its (padded) input (:func:`receptive_field`); along one axis,
:func:`window_taps` lists every output's inputs, :func:`ignored_inputs` the inputs that no output
reads (the last ones of a "valid" layer, for example), and :func:`explain_output_size` writes the
size rule out with the numbers filled in. :func:`receptive_field_size` follows a field through a
stack of layers (chapters 4 and 6). :func:`keras_output_size` asks Keras itself, so that tests and
chapter 4 can show the arithmetic agrees with the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from cnn_course.conv import PADDINGS, _check_padding, _pair, conv_output_size, same_padding


def receptive_field(i: int, j: int, kernel_size, strides=1) -> tuple[range, range]:
    """Rows and columns of the (padded) input that neuron (i, j) of a convolutional layer reads.

    Row ``i`` of the output starts ``i * sh`` rows down the input and spans ``fh`` rows: rows
    ``i*sh .. i*sh + fh - 1`` (and the same for columns). With "same" padding the coordinates are
    those of the padded input, whose first row is padding.

    Args:
        i, j: the neuron's row and column in the output (from 0).
        kernel_size: an int or an (fh, fw) pair.
        strides: an int or an (sh, sw) pair.

    Returns:
        ``(rows, columns)`` as two ``range`` objects, e.g. ``(range(2, 5), range(4, 7))``.

    Raises:
        ValueError: a negative position, or a kernel size or stride that is not a positive integer.
    """
    fh, fw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    if not all(isinstance(v, int) and v >= 0 for v in (i, j)):
        raise ValueError(f"a neuron's position (i, j) holds two non-negative integers, got {(i, j)!r}")
    return range(i * sh, i * sh + fh), range(j * sw, j * sw + fw)


def padding_amounts(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                    dilation: int = 1) -> tuple[int, int]:
    """Zeros added before and after one axis of ``n`` inputs, as TensorFlow pads it.

    "valid" adds none (and checks that the kernel fits); "same" adds what
    :func:`cnn_course.conv.same_padding` says, the odd zero going after (bottom or right).
    """
    if _check_padding(padding) == "valid":
        conv_output_size(n, kernel_size, stride, padding, dilation)  # raises if the kernel does not fit
        return 0, 0
    return same_padding(n, kernel_size, stride, dilation)


def window_taps(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                dilation: int = 1) -> list[list[int]]:
    """The input positions each output reads along one axis of ``n`` inputs.

    Output ``k`` reads ``k*stride - before + t*dilation`` for ``t = 0 .. kernel_size - 1``, where
    ``before`` is the padding added before the axis. Positions below 0 or from ``n`` on are padding
    zeros.

    Returns:
        One list of ``kernel_size`` positions per output, in order, e.g. for n=13, kernel 6, stride 5,
        "valid": ``[[0, 1, 2, 3, 4, 5], [5, 6, 7, 8, 9, 10]]``.
    """
    out = conv_output_size(n, kernel_size, stride, padding, dilation)
    before, _ = padding_amounts(n, kernel_size, stride, padding, dilation)
    return [[k * stride - before + t * dilation for t in range(kernel_size)] for k in range(out)]


def ignored_inputs(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                   dilation: int = 1) -> list[int]:
    """The inputs (0 .. n-1) that no output reads: the layer's result does not depend on them.

    "valid" leaves out the last ``(n - span) % stride`` inputs when the windows do not reach the
    end (13 inputs, kernel 6, stride 5: inputs 11 and 12). A stride larger than the kernel span also
    skips inputs between windows, whatever the padding, and a dilated kernel skips the inputs
    between its taps unless another window reads them.
    """
    read = {position for taps in window_taps(n, kernel_size, stride, padding, dilation) for position in taps}
    return [position for position in range(n) if position not in read]


def _short(x: float) -> str:
    """``x`` with at most two decimals and no trailing zeros: 2.6, 4.33, 56."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def explain_output_size(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                        dilation: int = 1) -> str:
    """The output-size rule written out with the numbers filled in, for printing next to a result.

    For example ``same: ceil(13 / 5) = ceil(2.6) = 3`` or
    ``valid: floor((13 - 6) / 5) + 1 = floor(1.4) + 1 = 2`` (the rounding step is left out when the
    division is exact); with a dilation the kernel's span ``dilation * (kernel_size - 1) + 1`` is
    worked out first.

    Raises:
        ValueError: as :func:`cnn_course.conv.conv_output_size` (e.g. a "valid" kernel wider than the input).
    """
    out = conv_output_size(n, kernel_size, stride, padding, dilation)
    if _check_padding(padding) == "same":
        step = "" if n % stride == 0 else f"ceil({_short(n / stride)}) = "
        return f"same: ceil({n} / {stride}) = {step}{out}"
    span = dilation * (kernel_size - 1) + 1
    prefix = f"span = {dilation} * ({kernel_size} - 1) + 1 = {span}; " if dilation > 1 else ""
    step = "" if (n - span) % stride == 0 else f"floor({_short((n - span) / stride)}) + 1 = "
    return f"valid: {prefix}floor(({n} - {span}) / {stride}) + 1 = {step}{out}"


def receptive_field_size(kernel_sizes: Sequence[int], strides: Sequence[int] | None = None,
                         dilations: Sequence[int] | None = None) -> int:
    """How many inputs (along one axis) one neuron of the last layer of a stack depends on.

    Each layer widens the field by ``(span - 1)`` times the product of the strides below it, where the
    span of a kernel of ``f`` taps at dilation ``d`` is ``d * (f - 1) + 1``: two 3-wide layers see 5
    inputs at stride 1, and 7 when the first has stride 2 (chapter 4). Chapter 1 uses it (at stride 1)
    for the field of a neuron in a stack of layers, and chapter 6 follows the field through whole
    convnets with :func:`cnn_course.receptive_fields.receptive_field_growth`. Pooling layers count as
    layers with a kernel and a stride.

    Args:
        kernel_sizes: one kernel size per layer, input side first.
        strides: one stride per layer (all 1 when omitted).
        dilations: one dilation rate per layer (all 1 when omitted).
    """
    kernel_sizes = list(kernel_sizes)
    strides = [1] * len(kernel_sizes) if strides is None else list(strides)
    dilations = [1] * len(kernel_sizes) if dilations is None else list(dilations)
    if not len(strides) == len(dilations) == len(kernel_sizes):
        raise ValueError(f"give one stride and one dilation per layer: {len(kernel_sizes)} kernel sizes, "
                         f"{len(strides)} strides, {len(dilations)} dilations")
    for value in kernel_sizes + strides + dilations:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"kernel sizes, strides and dilations must be positive integers, got {value!r}")
    size, jump = 1, 1
    for kernel_size, stride, dilation in zip(kernel_sizes, strides, dilations):
        size += dilation * (kernel_size - 1) * jump
        jump *= stride
    return size


def keras_output_size(n: int, kernel_size: int, stride: int = 1, padding: str = "valid",
                      dilation: int = 1) -> int:
    """The output height Keras gives: a ``Conv2D`` layer applied to an ``n x n`` input of zeros.

    The ground truth that :func:`cnn_course.conv.conv_output_size` is tested against.

    Keras versions disagree on a "valid" kernel wider than its input: Keras 3.15 raises ``ValueError``,
    Keras 3.10 (Colab's in 2025) builds an output of size 0. An empty output is no output, so this function
    raises in both cases and chapter 4's comparison holds on every Keras the course supports.

    Raises:
        ValueError: whatever Keras raises, e.g. for a "valid" kernel wider than the input, or a stride
            above 1 together with a dilation above 1 (Keras does not support both at once); and when
            Keras builds an empty output instead.
    """
    import keras
    import numpy as np

    layer = keras.layers.Conv2D(1, kernel_size, strides=stride, padding=_check_padding(padding),
                                dilation_rate=dilation)
    size = int(layer(np.zeros((1, n, n, 1), dtype="float32")).shape[1])
    if size < 1:
        raise ValueError(f"Keras {keras.__version__} built an empty output ({size} rows) for a {kernel_size}-wide "
                         f"kernel (dilation {dilation}) on an input of {n}: it does not fit")
    return size


def output_size_grid(sizes: Iterable[int], kernel_sizes: Iterable[int], strides: Iterable[int],
                     paddings: Iterable[str] = PADDINGS,
                     size_fn: Callable[[int, int, int, str], int] = conv_output_size,
                     ) -> dict[tuple[str, int, int, int], int | None]:
    """Output sizes over every combination, keyed ``(padding, kernel_size, stride, n)``.

    ``size_fn(n, kernel_size, stride, padding)`` computes one size; it is
    :func:`cnn_course.conv.conv_output_size` by default, or :func:`keras_output_size` to ask Keras.
    A combination where ``size_fn`` raises ``ValueError`` (a "valid" kernel wider than the input)
    maps to ``None``.
    """
    sizes, kernel_sizes, strides = list(sizes), list(kernel_sizes), list(strides)
    grid: dict[tuple[str, int, int, int], int | None] = {}
    for padding in paddings:
        for kernel_size in kernel_sizes:
            for stride in strides:
                for n in sizes:
                    try:
                        grid[padding, kernel_size, stride, n] = size_fn(n, kernel_size, stride, padding)
                    except ValueError:
                        grid[padding, kernel_size, stride, n] = None
    return grid


def format_output_size_table(grid: dict[tuple[str, int, int, int], int | None]) -> str:
    """A grid from :func:`output_size_grid` as a text table: one row per (padding, kernel, stride).

    Columns are the input sizes; "-" marks a "valid" kernel wider than the input.
    """
    sizes = sorted({n for _, _, _, n in grid})
    rows = sorted({key[:3] for key in grid}, key=lambda r: (PADDINGS.index(r[0]), r[1], r[2]))
    width = max(3, *(len(str(n)) + 1 for n in sizes))
    header = "padding  kernel  stride |" + "".join(f"{n:>{width}}" for n in sizes)
    lines = [" " * header.index("|") + "|  output size for an input of size n =", header, "-" * len(header)]
    for padding, kernel_size, stride in rows:
        values = [grid.get((padding, kernel_size, stride, n)) for n in sizes]
        cells = "".join(f"{'-' if value is None else value:>{width}}" for value in values)
        lines.append(f"{padding:<7}  {kernel_size:>6}  {stride:>6} |{cells}")
    return "\n".join(lines)


__all__ = [
    "explain_output_size",
    "format_output_size_table",
    "ignored_inputs",
    "keras_output_size",
    "output_size_grid",
    "padding_amounts",
    "receptive_field",
    "receptive_field_size",
    "window_taps",
]

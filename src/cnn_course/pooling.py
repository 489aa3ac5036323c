"""Pooling from scratch, pictured and measured, and a depthwise pooling layer (chapter 5 introduces them).

A pooling layer slides a window over each feature map, like a convolution, but has no weights: each
window is reduced to one number, its maximum or its mean. :func:`pool2d_numpy` does exactly that in
NumPy, so the chapter can check Keras's ``MaxPool2D`` and ``AvgPool2D`` against a few readable lines;
:func:`window_winners` says which input each max-pooling output copied; :func:`draw_pooling` draws a
small input with its pooling grid, the winners framed, next to the output. :func:`pooled_differences`
measures how much a transformation of the input (a shift, a rotation) still changes the output after
one, two, three pooling layers, and :func:`invariance_table` reads those differences against a control:
unrelated images measured the same way, since pooling brings any two images closer or further apart, not
only an image and its transformed copy. :class:`DepthwiseMaxPool2D` pools across channels instead of
across space, which Keras has no layer for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnn_course.diagrams import OKABE_ITO

import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import ops
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

POOL_MODES = ("max", "average")

# Okabe-Ito colours, which colour-blind readers can tell apart.
GRID_COLOUR = OKABE_ITO[4]  # blue: the borders of the pooling windows
WINNER_COLOUR = OKABE_ITO[5]  # vermillion: the input each max-pooling output copies
CHANGED_COLOUR = OKABE_ITO[0]  # orange: outputs that differ from a reference


def _pair(value, name: str) -> tuple[int, int]:
    pair = (value, value) if np.isscalar(value) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0
                                 for v in pair):
        raise ValueError(f"{name} must be a positive integer or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _as_maps(x) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim not in (2, 3):
        raise ValueError(f"expected a map [height, width] or maps [height, width, channels], got shape {x.shape}")
    return x


def pool2d_numpy(x, pool_size=2, strides=None, mode: str = "max") -> np.ndarray:
    """Max or average pooling without padding ("valid"), written out in NumPy.

    Output (i, j) reduces the window of rows ``i*sh .. i*sh + ph - 1`` and columns
    ``j*sw .. j*sw + pw - 1``, channel by channel: the receptive field of chapter 4, without weights.
    Like Keras, the stride defaults to the pool size, and rows or columns left over are dropped.

    Args:
        x: one map [height, width] or several [height, width, channels].
        pool_size: window size, an int or (ph, pw).
        strides: step between windows; the pool size when None.
        mode: "max" or "average".

    Returns:
        array [out_height, out_width] or [out_height, out_width, channels], out = floor((n - p) / s) + 1.

    Raises:
        ValueError: unknown mode, bad sizes, or a window larger than the input.
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    x = _as_maps(x)
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides if strides is not None else (ph, pw), "strides")
    height, width = x.shape[:2]
    if ph > height or pw > width:
        raise ValueError(f"a {ph}x{pw} window does not fit in a {height}x{width} input")
    rows, cols = (height - ph) // sh + 1, (width - pw) // sw + 1
    reduce = np.max if mode == "max" else np.mean
    out = np.empty((rows, cols) + x.shape[2:], dtype=x.dtype if mode == "max" else np.result_type(x, np.float32))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = reduce(x[i * sh:i * sh + ph, j * sw:j * sw + pw], axis=(0, 1))
    return out


def window_winners(x, pool_size=2, strides=None) -> list[tuple[int, int]]:
    """The input position each output of a max pooling copies, row by row (the first one on a tie).

    Args:
        x: one map [height, width].

    Returns:
        (row, col) in the input for output (0, 0), (0, 1), ...; the order of ``pool2d_numpy(x).ravel()``.
    """
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"window_winners expects one map [height, width], got shape {x.shape}")
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides if strides is not None else (ph, pw), "strides")
    rows, cols = pool2d_numpy(x, (ph, pw), (sh, sw)).shape
    winners = []
    for i in range(rows):
        for j in range(cols):
            window = x[i * sh:i * sh + ph, j * sw:j * sw + pw]
            r, c = np.unravel_index(np.argmax(window), window.shape)
            winners.append((i * sh + int(r), j * sw + int(c)))
    return winners


def _format(value) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def _draw_cells(ax, values, vmax: float, fontsize: float, title: str | None):
    rows, cols = values.shape
    ax.imshow(values, cmap="gray_r", norm=Normalize(vmin=0, vmax=1.25 * vmax), interpolation="nearest")
    for (row, col), value in np.ndenumerate(values):
        dark = value > 0.6 * vmax
        ax.text(col, row, _format(value), ha="center", va="center", fontsize=fontsize,
                color="white" if dark else "black", fontweight="bold" if dark else "normal")
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="0.55", linewidth=0.6)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if title:
        ax.set_title(title)


def draw_pooling(values, pool_size: int = 2, mode: str = "max", axes=None, titles=("input", "output"),
                 reference_output=None, fontsize: float = 12):
    """Draw a small input with its pooling grid next to the pooled output, values written in the cells.

    Cells are shaded by value, like ink on paper (white 0, dark the largest); blue lines mark the
    pooling windows (stride = pool size, no padding). In max mode, the input each output copies is
    framed in vermillion (every tied maximum; none in a window whose values are all equal). With
    ``reference_output``, output cells that differ from it are hatched and framed in orange: chapter 5
    uses it to show which outputs a shift of the input changed.

    Args:
        values: 2D array [height, width], small (say up to 10x10) so the numbers stay readable.
        pool_size: side of the square window, also the stride.
        mode: "max" or "average".
        axes: two matplotlib axes (input, output); a new figure when None.
        titles: the two panel titles.
        reference_output: array of the output's shape to compare with.

    Returns:
        The pooled output, as :func:`pool2d_numpy` computes it.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"draw_pooling expects a 2D array, got shape {values.shape}")
    output = pool2d_numpy(values, pool_size, mode=mode)
    if reference_output is not None and np.shape(reference_output) != output.shape:
        raise ValueError(f"reference_output has shape {np.shape(reference_output)}, the output {output.shape}")
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(0.5 * (values.shape[1] + output.shape[1]) + 1.5,
                                              0.5 * values.shape[0] + 1), layout="constrained")
    ax_in, ax_out = axes
    vmax = float(max(values.max(), output.max(), 1e-12))
    _draw_cells(ax_in, values, vmax, fontsize, titles[0])
    _draw_cells(ax_out, output, vmax, fontsize, titles[1])
    used_rows, used_cols = output.shape[0] * pool_size, output.shape[1] * pool_size
    for r in range(0, used_rows + 1, pool_size):
        ax_in.plot([-0.5, used_cols - 0.5], [r - 0.5, r - 0.5], color=GRID_COLOUR, linewidth=2.5)
    for c in range(0, used_cols + 1, pool_size):
        ax_in.plot([c - 0.5, c - 0.5], [-0.5, used_rows - 0.5], color=GRID_COLOUR, linewidth=2.5)
    if mode == "max":
        for (i, j), best in np.ndenumerate(output):
            window = values[i * pool_size:(i + 1) * pool_size, j * pool_size:(j + 1) * pool_size]
            if window.min() == best:
                continue  # all equal: no input stands out
            for r, c in np.argwhere(window == best):
                ax_in.add_patch(Rectangle((j * pool_size + c - 0.42, i * pool_size + r - 0.42), 0.84, 0.84,
                                          fill=False, edgecolor=WINNER_COLOUR, linewidth=2.5))
    if reference_output is not None:
        for (row, col), changed in np.ndenumerate(~np.isclose(output, reference_output)):
            if changed:
                ax_out.add_patch(Rectangle((col - 0.45, row - 0.45), 0.9, 0.9, fill=False, hatch="//",
                                           edgecolor=CHANGED_COLOUR, linewidth=2.5))
    ax_in.set_xlim(-0.5, values.shape[1] - 0.5)
    ax_in.set_ylim(values.shape[0] - 0.5, -0.5)
    return output


def pooled_differences(reference, transformed, depth: int = 3, pool_size: int = 2, mode: str = "max") -> list[float]:
    """Mean absolute difference between two batches of images, then after 1, 2, ..., ``depth`` poolings.

    A measure of invariance: if stacking pooling layers makes a transformed image (shifted, rotated,
    rescaled) look more like the original, the differences shrink from left to right. Each pooling
    layer is a Keras ``MaxPool2D`` (or ``AvgPool2D``) with stride = pool size.

    Args:
        reference, transformed: float arrays [batch, height, width, channels] of the same shape.

    Returns:
        ``depth + 1`` floats: the difference of the inputs, then after each pooling layer.
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    a, b = np.asarray(reference, dtype="float32"), np.asarray(transformed, dtype="float32")
    if a.shape != b.shape or a.ndim != 4:
        raise ValueError(f"expected two batches [batch, height, width, channels] of the same shape, "
                         f"got {a.shape} and {b.shape}")
    layer = (keras.layers.MaxPool2D if mode == "max" else keras.layers.AvgPool2D)(pool_size=pool_size)
    differences = [float(np.abs(a - b).mean())]
    for _ in range(depth):
        a, b = np.asarray(layer(a)), np.asarray(layer(b))
        differences.append(float(np.abs(a - b).mean()))
    return differences


@dataclass(frozen=True)
class InvarianceRow:
    """One row of :func:`invariance_table`: a transformation's differences through the poolings.

    ``differences`` are :func:`pooled_differences` (the inputs, then after each pooling); ``relative``
    divides each by the control's difference at the same depth, so 1 means "as different as unrelated
    images" and 0 "identical". Pooling makes the transformation less visible where ``relative`` falls.
    """

    name: str
    differences: tuple[float, ...]
    relative: tuple[float, ...]

    @property
    def shrink_factor(self) -> float:
        """How many times smaller ``relative`` is after the last pooling than at the input (1: no change)."""
        return self.relative[0] / self.relative[-1]


def invariance_table(reference, transformed: Mapping[str, np.ndarray], unrelated: Sequence[np.ndarray], *,
                     depth: int = 3, pool_size: int = 2, mode: str = "max") -> dict[str, InvarianceRow]:
    """Differences between a batch and its transformed copies through stacked poolings, read against a control.

    A raw difference after pooling cannot be read alone: max pooling raises values and average pooling
    blurs them, so the difference between *any* two images changes with depth. The control is a list of
    batches of unrelated content (for chapter 5, the crops next to the reference crop), measured the same
    way; each transformation's difference is divided by their mean difference at the same depth.

    Args:
        reference: batch [batch, height, width, channels].
        transformed: name -> batch of the same shape (the reference shifted, rotated, ...).
        unrelated: batches of the same shape whose content is unrelated to the reference.

    Returns:
        Name -> :class:`InvarianceRow`, one per transformation in the order given, then the control's own
        row (relative 1 throughout), named "unrelated (mean of N)".
    """
    if not unrelated:
        raise ValueError("give at least one batch of unrelated content as the control")
    control = np.mean([pooled_differences(reference, other, depth, pool_size, mode) for other in unrelated], axis=0)
    rows = {}
    for name, batch in transformed.items():
        differences = np.asarray(pooled_differences(reference, batch, depth, pool_size, mode))
        rows[name] = InvarianceRow(name, tuple(differences.tolist()), tuple((differences / control).tolist()))
    name = f"unrelated (mean of {len(unrelated)})"
    rows[name] = InvarianceRow(name, tuple(control.tolist()), (1.0,) * len(control))
    return rows


def format_invariance_table(rows, name_width: int = 22) -> str:
    """:class:`InvarianceRow` s as a text table: the differences at each depth, then "relative: input -> last".

    The lines stay under 70 characters for three poolings, so that the table fits the site's column.
    """
    rows = list(rows)
    depth = len(rows[0].differences) - 1
    header = f"{'':<{name_width}}{'input':>7}" + "".join(f"{f'{d} pool' + 's' * (d > 1):>8}"
                                                         for d in range(1, depth + 1))
    lines = [header + "   relative"]
    for row in rows:
        values = f"{row.differences[0]:7.3f}" + "".join(f"{v:8.3f}" for v in row.differences[1:])
        lines.append(f"{row.name:<{name_width}}{values}   {row.relative[0]:.2f} -> {row.relative[-1]:.2f}")
    return "\n".join(lines)


@keras.saving.register_keras_serializable(package="cnn_course")
class DepthwiseMaxPool2D(keras.layers.Layer):
    """Max pooling across channels: every ``pool_size`` consecutive channels become one.

    Spatial pooling keeps the channels and shrinks the maps; depthwise pooling keeps the maps' size
    and reduces the channels. If the channels of a group detect one pattern in several versions
    (rotated, thickened...), their maximum fires for any of them: an invariance the network can
    learn. Keras has no such layer; ``tf.nn.max_pool`` with a window over the depth axis computes the
    same on a CPU. This one is a reshape and a ``max``, runs on any device and saves with the model.

    Input [batch, height, width, channels] -> output [batch, height, width, channels // pool_size].
    """

    def __init__(self, pool_size: int = 2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pool_size, bool) or not isinstance(pool_size, (int, np.integer)) or pool_size < 1:
            raise ValueError(f"pool_size must be a positive integer (channels per group), got {pool_size!r}")
        self.pool_size = int(pool_size)

    def build(self, input_shape):
        channels = input_shape[-1]
        if channels is not None and channels % self.pool_size:
            raise ValueError(f"{channels} channels cannot be split into groups of {self.pool_size}: "
                             "choose a pool_size that divides the number of channels")
        super().build(input_shape)

    def call(self, inputs):
        shape = ops.shape(inputs)
        groups = ops.reshape(inputs, (shape[0], shape[1], shape[2], -1, self.pool_size))
        return ops.max(groups, axis=-1)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        return (*input_shape[:-1], None if channels is None else channels // self.pool_size)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size}

"""Pooling from scratch, pictured and measured, and a depthwise pooling layer (chapter 5 introduces them).

A pooling layer slides a window over each feature map, like a convolution, but has no weights: each
window is reduced to one number, its maximum or its mean. :func:`pool2d_numpy` does exactly that in
NumPy, so the chapter can check Keras's ``MaxPool2D`` and ``AvgPool2D`` against a few readable lines;
:func:`window_winners` says which input each max-pooling output copied, and :func:`pooling_gradient` where
backpropagation sends each output's gradient; :func:`draw_pooling` draws a small input with its pooling grid,
the winners framed, next to the output.

:func:`similarity_table` measures how alike a transformed input (shifted, rotated, zoomed) stays with the
original after one, two, three pooling layers. The measure is a :func:`correlation`, which ignores scale,
since max pooling raises values; and it is read against two controls: the same windows subsampled without
pooling (:func:`shrink` with ``mode="subsample"``), and unrelated images measured the same way.
:class:`DepthwiseMaxPool2D` pools across channels instead of across space, which Keras has no layer for.
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


def _one_map_windows(x, pool_size, strides, caller: str):
    """One map, its window and stride as pairs, and the pooled output's shape; a clear error for anything else."""
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"{caller} expects one map [height, width], got shape {x.shape}")
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides if strides is not None else (ph, pw), "strides")
    return x, (ph, pw), (sh, sw), pool2d_numpy(x, (ph, pw), (sh, sw)).shape


def window_winners(x, pool_size=2, strides=None) -> list[tuple[int, int]]:
    """The input position each output of a max pooling copies, row by row (the first one on a tie).

    Args:
        x: one map [height, width].

    Returns:
        (row, col) in the input for output (0, 0), (0, 1), ...; the order of ``pool2d_numpy(x).ravel()``.
    """
    x, (ph, pw), (sh, sw), (rows, cols) = _one_map_windows(x, pool_size, strides, "window_winners")
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


def pooling_gradient(x, upstream, pool_size=2, strides=None, mode: str = "max") -> np.ndarray:
    """The gradient a pooling layer passes back to its input, written out in NumPy ("valid" padding).

    A pooling layer has no weights, but backpropagation must still cross it. The maximum of a window moves
    only with its largest input, so max pooling routes each output's gradient to the position of that input
    (:func:`window_winners`: the first one on a tie, as TensorFlow does) and every other input gets 0; the
    mean moves with each of its ``ph * pw`` inputs by ``1 / (ph * pw)``, so average pooling shares the
    gradient equally. Where windows overlap, an input collects the gradients of every window it belongs to.
    Chapter 5 checks this against a gradient tape.

    Args:
        x: one map [height, width].
        upstream: the gradient of the loss with respect to each output, [out_height, out_width].
        pool_size, strides: as for :func:`pool2d_numpy`.
        mode: "max" or "average".

    Returns:
        float array [height, width]: the gradient of the loss with respect to each input.
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    x, (ph, pw), (sh, sw), (rows, cols) = _one_map_windows(x, pool_size, strides, "pooling_gradient")
    upstream = np.asarray(upstream, dtype=float)
    if upstream.shape != (rows, cols):
        raise ValueError(f"upstream has shape {upstream.shape}; the pooled output has shape {(rows, cols)}")
    gradient = np.zeros(x.shape, dtype=float)
    if mode == "max":
        for (row, col), g in zip(window_winners(x, (ph, pw), (sh, sw)), upstream.ravel()):
            gradient[row, col] += g
        return gradient
    for i in range(rows):
        for j in range(cols):
            gradient[i * sh:i * sh + ph, j * sw:j * sw + pw] += upstream[i, j] / (ph * pw)
    return gradient


SHRINK_MODES = POOL_MODES + ("subsample",)


def shrink(batch, mode: str = "max", pool_size: int = 2) -> np.ndarray:
    """One layer that divides the height and width of a batch by ``pool_size``: pooling, or its control.

    "max" and "average" are Keras's ``MaxPool2D`` and ``AvgPool2D`` (stride = pool size, no padding).
    "subsample" keeps the top-left value of each of the same windows: the output has the same shape and the
    same grid, and nothing is pooled. It is the control that tells what pooling adds to subsampling alone.

    Args:
        batch: float array [batch, height, width, channels].

    Returns:
        float32 array [batch, height // pool_size, width // pool_size, channels].
    """
    if mode not in SHRINK_MODES:
        raise ValueError(f"mode must be one of {SHRINK_MODES}, got {mode!r}")
    batch = np.asarray(batch, dtype="float32")
    if batch.ndim != 4:
        raise ValueError(f"expected a batch [batch, height, width, channels], got shape {batch.shape}")
    if mode == "subsample":
        rows, cols = batch.shape[1] // pool_size * pool_size, batch.shape[2] // pool_size * pool_size
        return batch[:, :rows:pool_size, :cols:pool_size]
    layer = keras.layers.MaxPool2D if mode == "max" else keras.layers.AvgPool2D
    return np.asarray(layer(pool_size=pool_size)(batch))


def _pairs_of_images(a, b) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
    if a.shape != b.shape or a.ndim != 4:
        raise ValueError(f"expected two batches [batch, height, width, channels] of the same shape, "
                         f"got {a.shape} and {b.shape}")
    return a.reshape(len(a), -1), b.reshape(len(b), -1)


def cosine_similarity(a, b) -> np.ndarray:
    """The cosine of the angle between each image of ``a`` and the image of ``b`` at the same index.

    It ignores a scale (``2 * b`` is as similar to ``a`` as ``b``) but not an offset: two images whose values
    are all positive, such as photos or ReLU outputs, have a high cosine similarity whatever their content.

    Args:
        a, b: batches [batch, height, width, channels] of the same shape.

    Returns:
        float array [batch], values in [-1, 1] (nan for an image that is all zeros).
    """
    a, b = _pairs_of_images(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a * b).sum(axis=1) / np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))


def correlation(a, b) -> np.ndarray:
    """Pearson's correlation between each image of ``a`` and the image of ``b`` at the same index.

    The cosine similarity of the two images once each has had its own mean subtracted: 1 when one is the other
    up to a brightness (an offset) and a contrast (a scale), about 0 for unrelated content. It is the measure of
    likeness that a change of scale cannot fool, and max pooling changes the scale: it raises values.

    Args:
        a, b: batches [batch, height, width, channels] of the same shape.

    Returns:
        float array [batch], values in [-1, 1] (nan for a constant image, which has no pattern to compare).
    """
    a, b = _pairs_of_images(a, b)
    a, b = a - a.mean(axis=1, keepdims=True), b - b.mean(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a * b).sum(axis=1) / np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))


def pooled_correlations(reference, transformed, depth: int = 3, pool_size: int = 2,
                        mode: str = "max") -> list[float]:
    """How alike two batches are, image by image, at the input and after 1, 2, ..., ``depth`` layers.

    A measure of invariance: if stacking pooling layers makes a transformed image (shifted, rotated,
    rescaled) look more like the original, the correlation climbs from left to right. Each layer is
    :func:`shrink` in ``mode``; "subsample" gives the control without pooling.

    Args:
        reference, transformed: float arrays [batch, height, width, channels] of the same shape.

    Returns:
        ``depth + 1`` floats: the :func:`correlation` of the inputs averaged over the batch, then after each layer.
    """
    a, b = np.asarray(reference, dtype="float32"), np.asarray(transformed, dtype="float32")
    correlations = [float(np.mean(correlation(a, b)))]
    for _ in range(depth):
        a, b = shrink(a, mode, pool_size), shrink(b, mode, pool_size)
        correlations.append(float(np.mean(correlation(a, b))))
    return correlations


@dataclass(frozen=True)
class SimilarityRow:
    """One row of :func:`similarity_table`: how alike a transformed batch stays with the original, layer by layer.

    ``pooled`` holds the correlations at the input and after each pooling; ``subsampled`` the same after each
    subsampling without pooling, the control. ``gain`` is what the pooling adds after the last layer.
    """

    name: str
    pooled: tuple[float, ...]
    subsampled: tuple[float, ...]

    @property
    def gain(self) -> float:
        """Correlation after the last pooling minus after as many subsamplings: what pooling adds (0: nothing)."""
        return self.pooled[-1] - self.subsampled[-1]


def similarity_table(reference, transformed: Mapping[str, np.ndarray], unrelated: Sequence[np.ndarray], *,
                     depth: int = 3, pool_size: int = 2, mode: str = "max") -> dict[str, SimilarityRow]:
    """Correlations between a batch and its transformed copies through stacked poolings, with two controls.

    A rising correlation could come from the pooling, or from any way of shrinking the maps, or from a layer
    that makes every pair of images alike. So each row holds the correlation after pooling and after
    subsampling alone (the same grid, the top-left value of each window instead of its maximum or mean), and
    the table ends with unrelated content measured the same way: batches of other images (for chapter 5, the
    crops next to the reference crop), their correlations averaged.

    Args:
        reference: batch [batch, height, width, channels].
        transformed: name -> batch of the same shape (the reference shifted, rotated, ...).
        unrelated: batches of the same shape whose content is unrelated to the reference.
        mode: the pooling, "max" or "average".

    Returns:
        Name -> :class:`SimilarityRow`, one per transformation in the order given, then the control's row, named
        "unrelated (mean of N)".
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    if not unrelated:
        raise ValueError("give at least one batch of unrelated content as the control")

    def row(name, batches):
        pooled = np.mean([pooled_correlations(reference, b, depth, pool_size, mode) for b in batches], axis=0)
        subsampled = np.mean([pooled_correlations(reference, b, depth, pool_size, "subsample") for b in batches],
                             axis=0)
        return SimilarityRow(name, tuple(pooled.tolist()), tuple(subsampled.tolist()))

    rows = {name: row(name, [batch]) for name, batch in transformed.items()}
    name = f"unrelated (mean of {len(unrelated)})"
    rows[name] = row(name, unrelated)
    return rows


def format_similarity_table(rows, name_width: int = 22) -> str:
    """:class:`SimilarityRow` s as a text table: the correlation at each depth, then after subsampling alone.

    The lines stay under 70 characters for three poolings, so that the table fits the site's column.
    """
    rows = list(rows)
    depth = len(rows[0].pooled) - 1
    depths = "".join(f"{f'{d} pool' + 's' * (d > 1):>8}" for d in range(1, depth + 1))
    header = f"{'':<{name_width}}{'input':>6}{depths}{'no pool':>9}"
    lines = [header]
    for row in rows:
        values = f"{row.pooled[0]:6.2f}" + "".join(f"{v:8.2f}" for v in row.pooled[1:])
        lines.append(f"{row.name:<{name_width}}{values}{row.subsampled[-1]:9.2f}")
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

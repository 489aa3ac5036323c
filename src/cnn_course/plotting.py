"""Pictures the chapters share: images, feature maps and grids of them.

Every function draws on a matplotlib ``Axes`` (a new figure when none is given) and returns it, so a
notebook can add titles or combine pictures. Grayscale images use the ``gray`` colour map; small signed
matrices and feature maps use ``cividis``, which colour-blind readers can read. Learned filters, whose sign
is the point, use ``RdBu_r``, a diverging map that colour-blind readers can read too, centred on zero
(white) with a colour bar (chapter 7).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

FEATURE_MAP_CMAP = "cividis"
SIGNED_CMAP = "RdBu_r"


def _axes(ax=None, figsize=(4, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def plot_image(image, ax=None, title: str | None = None, cmap: str = "gray"):
    """Show a 2D array, or an image with one channel, as a grayscale picture without axes.

    Args:
        image: array of shape [height, width] or [height, width, 1].
    """
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim != 2:
        raise ValueError(f"plot_image expects [height, width] or [height, width, 1], got shape {image.shape}")
    ax = _axes(ax)
    ax.imshow(image, cmap=cmap, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_color_image(image, ax=None, title: str | None = None):
    """Show an RGB image, uint8 in [0, 255] or float in [0, 1], without axes.

    Args:
        image: array of shape [height, width, 3].
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[-1] != 3:
        raise ValueError(f"plot_color_image expects [height, width, 3], got shape {image.shape}")
    ax = _axes(ax)
    ax.imshow(image, interpolation="nearest")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_feature_maps(
    maps,
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str = "gray",
    panel_size: float = 3.0,
    suptitle: str | None = None,
):
    """Draw feature maps side by side in a grid, one panel per map.

    Args:
        maps: array [height, width, n_maps] (one layer's output for one image) or a sequence of 2D arrays.
        titles: one title per map.
        ncols: panels per row (all in one row by default, at most 4).

    Returns:
        The figure, whose axes are in ``figure.axes``.
    """
    panels = _as_panels(maps)
    if titles is not None and len(titles) != len(panels):
        raise ValueError(f"{len(panels)} maps but {len(titles)} titles")
    ncols = ncols or min(len(panels), 4)
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(panel_size * ncols, panel_size * nrows), squeeze=False
    )
    for index, ax in enumerate(axes.flat):
        if index < len(panels):
            plot_image(panels[index], ax=ax, title=titles[index] if titles else None, cmap=cmap)
        else:
            ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def _as_panels(maps) -> list[np.ndarray]:
    if isinstance(maps, np.ndarray) or hasattr(maps, "numpy"):
        array = np.asarray(maps)
        if array.ndim == 3:
            return [array[..., i] for i in range(array.shape[-1])]
        if array.ndim == 2:
            return [array]
        raise ValueError(f"feature maps must be [height, width, n_maps], got shape {array.shape}")
    return [np.asarray(m) for m in maps]


def plot_kernel(kernel, ax=None, title: str | None = None, annotate: bool = True):
    """Show a small 2D kernel (or any small matrix) as coloured cells, with the values written in.

    Used for hand-made filters and padded matrices, where the numbers are the point.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 2:
        raise ValueError(f"plot_kernel expects a 2D array, got shape {kernel.shape}")
    ax = _axes(ax, figsize=(0.5 * kernel.shape[1] + 1, 0.5 * kernel.shape[0] + 1))
    ax.imshow(kernel, cmap=FEATURE_MAP_CMAP, interpolation="nearest")
    if annotate:
        middle = (kernel.max() + kernel.min()) / 2
        for (row, col), value in np.ndenumerate(kernel):
            text = f"{value:g}" if np.issubdtype(kernel.dtype, np.integer) else f"{value:.2g}"
            ax.text(col, row, text, ha="center", va="center",
                    color="black" if value > middle else "white", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def plot_conv_step(inputs, kernel, row: int, col: int, stride: int = 1, title: str | None = None):
    """Draw one step of a convolution: an input window, the kernel, and the output value they give.

    Chapter 2 introduces it to read the output equation on small numbers: the neuron at
    (``row``, ``col``) sees input rows ``row*stride .. row*stride + fh - 1`` and columns
    ``col*stride .. col*stride + fw - 1``, multiplies them by the kernel element by element and adds
    the products (cross-correlation with "valid" padding; pad ``inputs`` first to show padding).
    The window and the output cell it produces are framed in the same colour.

    Args:
        inputs: 2D array [height, width].
        kernel: 2D array [fh, fw].
        row, col: position of the output neuron.
        stride: step between neighbouring windows, in both directions.
        title: figure title.

    Returns:
        The figure; ``figure.axes`` holds the input, the kernel and the output panels, in that order.

    Raises:
        ValueError: ``inputs`` or ``kernel`` is not 2D, the kernel does not fit, or (``row``, ``col``)
            lies outside the output.
    """
    from cnn_course.conv import conv2d_numpy
    from cnn_course.diagrams import OKABE_ITO

    from matplotlib.patches import Rectangle

    inputs, kernel = np.asarray(inputs), np.asarray(kernel)
    if inputs.ndim != 2 or kernel.ndim != 2:
        raise ValueError(f"plot_conv_step expects 2D inputs and kernel, got shapes {inputs.shape} "
                         f"and {kernel.shape}")
    if kernel.shape[0] > inputs.shape[0] or kernel.shape[1] > inputs.shape[1]:
        raise ValueError(f"a {kernel.shape} kernel does not fit in a {inputs.shape} input")
    output = conv2d_numpy(inputs[np.newaxis, :, :, np.newaxis], kernel[:, :, np.newaxis, np.newaxis],
                          strides=stride)[0, :, :, 0]
    if np.issubdtype(inputs.dtype, np.integer) and np.issubdtype(kernel.dtype, np.integer):
        output = output.round().astype(int)
    if not (0 <= row < output.shape[0] and 0 <= col < output.shape[1]):
        raise ValueError(f"({row}, {col}) is outside the {output.shape[0]}x{output.shape[1]} output")

    fh, fw = kernel.shape
    widths = [inputs.shape[1], kernel.shape[1], output.shape[1]]
    height = max(inputs.shape[0], kernel.shape[0], output.shape[0])
    fig, axes = plt.subplots(1, 3, figsize=(0.55 * sum(widths) + 2, 0.55 * height + 1.3),
                             gridspec_kw={"width_ratios": widths})
    colour = OKABE_ITO[5]
    plot_kernel(inputs, ax=axes[0], title="input $x$")
    axes[0].add_patch(Rectangle((col * stride - 0.5, row * stride - 0.5), fw, fh, fill=False,
                                edgecolor=colour, linewidth=3))
    plot_kernel(kernel, ax=axes[1], title="kernel $w$")
    plot_kernel(output, ax=axes[2], title="output $z$")
    axes[2].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=colour, linewidth=3))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_filters(kernels, n: int | None = None, ncols: int = 8, cmap: str = SIGNED_CMAP, title: str | None = None,
                 panel_size: float = 1.3):
    """Draw a convolutional layer's kernels on one colour scale centred on zero, with a colour bar (chapter 7).

    White is a weight of 0, red positive and blue negative, and every panel shares the scale (from minus to plus
    the largest absolute weight drawn), so that a kernel that looks faint really is small: what the eye sees
    as structure is structure.

    Args:
        kernels: ``[height, width, 1, n_filters]`` (``Conv2D.get_weights()[0]`` on a one-channel input) or
            ``[height, width, n_filters]``.
        n: how many kernels to draw, the first ones (all by default).

    Returns:
        The figure; its last axes hold the colour bar.
    """
    kernels = np.asarray(kernels)
    if kernels.ndim == 4 and kernels.shape[2] == 1:
        kernels = kernels[:, :, 0, :]
    if kernels.ndim != 3:
        raise ValueError(f"plot_filters expects [height, width, 1, n] or [height, width, n], got shape "
                         f"{kernels.shape}: draw one input channel at a time")
    kernels = kernels[..., : n or kernels.shape[-1]]
    count = kernels.shape[-1]
    ncols = min(ncols, count)
    nrows = math.ceil(count / ncols)
    limit = float(np.abs(kernels).max()) or 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size * ncols + 1.2, panel_size * nrows + 0.6),
                             squeeze=False, layout="constrained")
    image = None
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < count:
            image = ax.imshow(kernels[..., index], cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    if title:
        fig.suptitle(title)
    return fig


@dataclass
class MapActivity:
    """How active each feature map of one layer is for one image (chapter 7).

    ``order`` lists the maps from the most to the least active (mean activation); ``zero_share`` is the
    share of maps that are zero everywhere: after a ReLU, a map whose every pre-activation is negative for
    this image says nothing about it.
    """

    activity: np.ndarray
    order: np.ndarray
    zero_share: float

    def most_active(self, n: int) -> list[int]:
        return [int(index) for index in self.order[:n]]


def map_activity(maps) -> MapActivity:
    """Rank the feature maps of one layer for one image, ``[height, width, n_maps]``, by mean activation."""
    maps = np.asarray(maps)
    if maps.ndim != 3:
        raise ValueError(f"feature maps must be [height, width, n_maps] for one image, got shape {maps.shape}")
    activity = maps.mean(axis=(0, 1))
    order = np.argsort(-activity, kind="stable")
    return MapActivity(activity, order, float(np.mean(np.all(maps == 0, axis=(0, 1)))))


def plot_most_active_maps(maps, n: int = 4, name: str | None = None, cmap: str = FEATURE_MAP_CMAP,
                          panel_size: float = 2.4):
    """Draw the ``n`` most active feature maps of a layer for one image, and say how many maps are all zero.

    The first maps of a layer are often blank for a given image; the most active ones show what the layer
    found in it. Each panel's title gives the map's index and mean activation; the figure's title gives the
    layer, the size of its maps and the share of them that are zero everywhere.

    Args:
        maps: one layer's output for one image, ``[height, width, n_maps]``.
        name: the layer's name, for the title.

    Returns:
        The figure.
    """
    activity = map_activity(maps)
    maps = np.asarray(maps)
    chosen = activity.most_active(n)
    height, width, count = maps.shape
    what = f"{name}: " if name else ""
    return plot_feature_maps([maps[..., index] for index in chosen],
                             titles=[f"map {index} (mean {activity.activity[index]:.2f})" for index in chosen],
                             cmap=cmap, panel_size=panel_size,
                             suptitle=f"{what}{height}x{width}, the {len(chosen)} most active of {count} maps "
                                      f"({activity.zero_share:.0%} all zero)")


def plot_learning_rate_schedules(schedules: Mapping[str, Callable | float], total_steps: int,
                                 steps_per_epoch: int | None = None, ax=None, title: str | None = None,
                                 points: int = 300):
    """Draw learning rates against training progress, one line per schedule (chapter 7).

    Args:
        schedules: ``{label: schedule}``, where a schedule is a Keras ``LearningRateSchedule`` (any callable
            from a step number to a rate) or a constant rate.
        total_steps: the training batches of the whole run.
        steps_per_epoch: when given, the horizontal axis counts epochs instead of batches.
        points: at most this many steps are evaluated per schedule.

    Returns:
        The axes.
    """
    from cnn_course.diagrams import OKABE_ITO

    if total_steps < 1:
        raise ValueError(f"total_steps must be at least 1, got {total_steps}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    steps = np.unique(np.linspace(0, total_steps, min(points, total_steps + 1)).round().astype(int))
    scale = steps_per_epoch or 1
    for index, (label, schedule) in enumerate(schedules.items()):
        rates = [float(schedule(step)) if callable(schedule) else float(schedule) for step in steps]
        ax.plot(steps / scale, rates, color=OKABE_ITO[(4, 5, 2, 0)[index % 4]], linewidth=2,
                linestyle=("-", "--", ":", "-.")[index % 4], label=label)
    ax.set_xlabel("epoch" if steps_per_epoch else "training step (batch)")
    ax.set_ylabel("learning rate")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax

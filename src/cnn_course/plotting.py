"""Pictures the chapters share: images, feature maps and grids of them.

Every function draws on a matplotlib ``Axes`` (a new figure when none is given) and returns it, so a
notebook can add titles or combine pictures. Grayscale images use the ``gray`` colour map; signed
maps (feature maps, kernels) use ``cividis``, which colour-blind readers can read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

FEATURE_MAP_CMAP = "cividis"


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

"""Schematic drawings of how neurons connect: receptive fields on a grid, layers seen from the side.

Chapter 1 draws the overlapping local receptive fields of the visual cortex and the layered
connectivity they suggest; chapter 4 draws the same pictures with a stride. Colours come from the
Okabe-Ito palette, which colour-blind readers can tell apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Rectangle

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")


def draw_receptive_fields(
    grid_shape: tuple[int, int] = (8, 12),
    field_size: int = 3,
    stride: int = 1,
    neurons: Sequence[tuple[int, int]] = ((0, 0), (0, 1), (2, 3)),
    ax=None,
    title: str | None = None,
):
    """Draw an input grid and the receptive fields of a few neurons of the next layer.

    The neuron at (i, j) sees rows ``i*stride .. i*stride + field_size - 1`` and the same span of
    columns; neighbouring neurons' fields overlap when ``stride < field_size``.

    Args:
        grid_shape: (rows, columns) of the input.
        neurons: (i, j) positions of the neurons whose fields are drawn, one colour each.
    """
    rows, cols = grid_shape
    if ax is None:
        _, ax = plt.subplots(figsize=(cols * 0.45 + 1, rows * 0.45 + 1))
    for r in range(rows):
        for c in range(cols):
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor="white", edgecolor="0.75", linewidth=0.8))
    for index, (i, j) in enumerate(neurons):
        top, left = i * stride, j * stride
        if top + field_size > rows or left + field_size > cols:
            raise ValueError(f"the field of neuron {(i, j)} falls outside a {rows}x{cols} grid")
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        ax.add_patch(Rectangle((left, top), field_size, field_size, facecolor=colour, alpha=0.35,
                               edgecolor=colour, linewidth=2.5))
        ax.text(left + field_size / 2, top + field_size / 2, f"({i},{j})", ha="center", va="center",
                fontsize=9, color="black")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("input columns")
    ax.set_ylabel("input rows")
    if title:
        ax.set_title(title)
    return ax


def draw_layer_connectivity(
    layer_sizes: Sequence[int] = (11, 9, 7),
    field_size: int = 3,
    stride: int = 1,
    layer_names: Sequence[str] | None = None,
    highlight: int | None = None,
    ax=None,
    title: str | None = None,
):
    """Draw layers of neurons from the side, each connected only to a small window of the layer below.

    Neuron ``n`` of a layer connects to neurons ``n*stride .. n*stride + field_size - 1`` below it.
    With ``highlight``, the chosen neuron of the top layer and every neuron it depends on are
    coloured: its receptive field grows layer after layer.

    Args:
        layer_sizes: neurons per layer, bottom (input) first; each must match the layer below as
            ``(below - field_size) // stride + 1``.
        highlight: index of a top-layer neuron whose receptive field is coloured.
    """
    for below, above in zip(layer_sizes, layer_sizes[1:]):
        if above != (below - field_size) // stride + 1:
            raise ValueError(f"a layer of {below} neurons feeds {(below - field_size) // stride + 1} "
                             f"neurons with field {field_size} and stride {stride}, not {above}")
    depth = len(layer_sizes)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(layer_sizes) * 0.6 + 2, depth * 1.3))
    widest = max(layer_sizes)

    def x_of(layer: int, n: int) -> float:
        # centre each neuron over the middle of the window it sees below
        offset = 0.0
        for level in range(layer):
            offset = offset * stride + (field_size - 1) / 2
        scale = stride**layer
        return (widest - 1) / 2 - ((layer_sizes[0] - 1) / 2) + offset + n * scale

    lit = [set() for _ in layer_sizes]
    if highlight is not None:
        lit[-1] = {highlight}
        for layer in range(depth - 1, 0, -1):
            lit[layer - 1] = {n * stride + u for n in lit[layer] for u in range(field_size)}

    for layer in range(1, depth):
        for n in range(layer_sizes[layer]):
            for u in range(field_size):
                m = n * stride + u
                on = n in lit[layer] and m in lit[layer - 1]
                ax.plot([x_of(layer, n), x_of(layer - 1, m)], [layer, layer - 1],
                        color=OKABE_ITO[5] if on else "0.7", linewidth=2 if on else 0.8, zorder=1)
    for layer, size in enumerate(layer_sizes):
        for n in range(size):
            on = n in lit[layer]
            ax.add_patch(Circle((x_of(layer, n), layer), 0.22, zorder=2,
                                facecolor=OKABE_ITO[0] if on else "white", edgecolor="0.2"))
        name = layer_names[layer] if layer_names else ("input" if layer == 0 else f"layer {layer}")
        ax.text(-1.0, layer, name, ha="right", va="center", fontsize=10)
    ax.set_xlim(-4, widest)
    ax.set_ylim(-0.6, depth - 0.4)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax

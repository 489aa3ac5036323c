"""Schematic drawings of how neurons connect: receptive fields on a grid, layers seen from the side.

Chapter 1 draws the overlapping local receptive fields of the visual cortex and the layered
connectivity they suggest; chapter 2 draws a kernel spanning every input channel
(:func:`draw_kernel_volume`); chapter 4 draws the same pictures with a stride, a strided layer over its
zero-padded input (:func:`draw_strided_layer`) and the windows of one axis as brackets over a strip of
inputs (:func:`draw_strided_windows_1d`). Colours come from the Okabe-Ito palette, which colour-blind
readers can tell apart; what colour marks is also marked by a hatch or a label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from cnn_course.conv import conv_output_size
from cnn_course.strides import ignored_inputs, padding_amounts, receptive_field, window_taps

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Patch, Rectangle

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
                fontsize=11, color="black")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("input columns", fontsize=11)
    ax.set_ylabel("input rows", fontsize=11)
    if title:
        ax.set_title(title, fontsize=12)
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
        for _ in range(layer):
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


PADDING_COLOUR = "0.85"
IGNORED_COLOUR = OKABE_ITO[5]
# window colours: the palette without vermillion (kept for ignored inputs) and yellow (too pale on white)
WINDOW_COLOURS = (OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[6], OKABE_ITO[1], OKABE_ITO[7])


def draw_strided_layer(
    input_shape: tuple[int, int] = (5, 7),
    field_size: int = 3,
    stride: int = 1,
    neurons: Sequence[tuple[int, int]] = ((0, 0), (0, 1), (1, 2), (2, 3)),
    padding: str = "valid",
    axes=None,
):
    """Draw a strided layer beside its zero-padded input, with the receptive fields of a few neurons.

    The left panel is the input after padding (padding cells grey and marked 0, the real input
    outlined); neuron (i, j) reads rows ``i*stride .. i*stride + field_size - 1`` and the same span of
    columns, counted on the padded grid, whose ticks show those coordinates. The right panel is the
    output layer, drawn at the same cell size, with each chosen neuron in its field's colour.
    Padding follows TensorFlow's rule (:func:`cnn_course.strides.padding_amounts`). Chapter 4 draws
    the 5x7 input connected to a 3x4 layer by 3x3 fields at stride 2.

    Args:
        input_shape: (rows, columns) of the input before padding.
        neurons: (i, j) positions in the output whose fields are drawn, one colour each.
        padding: "valid" (the default, as in Keras) or "same".
        axes: two matplotlib Axes (input, output); a new 10x4.5 figure when omitted.

    Returns:
        The two Axes.

    Raises:
        ValueError: a neuron outside the output layer, or a bad size, stride or padding.
    """
    rows, cols = input_shape
    (top, bottom), (left, right) = (padding_amounts(rows, field_size, stride, padding),
                                    padding_amounts(cols, field_size, stride, padding))
    out_rows = conv_output_size(rows, field_size, stride, padding)
    out_cols = conv_output_size(cols, field_size, stride, padding)
    height, width = top + rows + bottom, left + cols + right
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(10, 4.5))
    ax_in, ax_out = axes

    for r in range(height):
        for c in range(width):
            is_padding = not (top <= r < top + rows and left <= c < left + cols)
            ax_in.add_patch(Rectangle((c, r), 1, 1, facecolor=PADDING_COLOUR if is_padding else "white",
                                      edgecolor="0.6", linewidth=0.8))
            if is_padding:
                ax_in.text(c + 0.5, r + 0.5, "0", ha="center", va="center", fontsize=10, color="0.35")
    ax_in.add_patch(Rectangle((left, top), cols, rows, facecolor="none", edgecolor="black", linewidth=2))

    shift_r, shift_c = (height - out_rows) / 2, (width - out_cols) / 2  # centre the output grid
    for r in range(out_rows):
        for c in range(out_cols):
            ax_out.add_patch(Rectangle((shift_c + c, shift_r + r), 1, 1, facecolor="white",
                                       edgecolor="0.6", linewidth=0.8))

    for index, (i, j) in enumerate(neurons):
        if not (0 <= i < out_rows and 0 <= j < out_cols):
            raise ValueError(f"neuron {(i, j)} is not in the {out_rows}x{out_cols} output layer")
        field_rows, field_cols = receptive_field(i, j, field_size, stride)
        colour = WINDOW_COLOURS[index % len(WINDOW_COLOURS)]
        ax_in.add_patch(Rectangle((field_cols.start, field_rows.start), field_size, field_size,
                                  facecolor=to_rgba(colour, 0.3), edgecolor=colour, linewidth=2.5))
        ax_in.text(field_cols.start + field_size / 2, field_rows.start + field_size / 2, f"({i},{j})",
                   ha="center", va="center", fontsize=12, fontweight="bold")
        ax_out.add_patch(Rectangle((shift_c + j, shift_r + i), 1, 1, facecolor=to_rgba(colour, 0.6),
                                   edgecolor=colour, linewidth=2))
        ax_out.text(shift_c + j + 0.5, shift_r + i + 0.5, f"({i},{j})", ha="center", va="center", fontsize=10)

    for ax in axes:
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_aspect("equal")
        ax.tick_params(length=0, labelsize=10)
    ax_in.set_xticks([c + 0.5 for c in range(width)], [str(c) for c in range(width)])
    ax_in.set_yticks([r + 0.5 for r in range(height)], [str(r) for r in range(height)])
    ax_in.set_xlabel("columns of the padded input", fontsize=11)
    ax_in.set_ylabel("rows of the padded input", fontsize=11)
    ax_in.set_title(f"input {rows}x{cols}, zero-padded to {height}x{width}", fontsize=12)
    ax_out.set_xticks([])
    ax_out.set_yticks([])
    for c in range(out_cols):
        ax_out.text(shift_c + c + 0.5, shift_r - 0.25, str(c), ha="center", va="bottom", fontsize=10)
    for r in range(out_rows):
        ax_out.text(shift_c - 0.25, shift_r + r + 0.5, str(r), ha="right", va="center", fontsize=10)
    ax_out.text(shift_c + out_cols / 2, shift_r - 0.9, "column j", ha="center", va="bottom", fontsize=11)
    ax_out.text(shift_c - 0.9, shift_r + out_rows / 2, "row i", ha="right", va="center", fontsize=11,
                rotation=90)
    ax_out.set_title(f"output {out_rows}x{out_cols} ({field_size}x{field_size} fields, stride {stride})", fontsize=12)
    for spine in ax_out.spines.values():
        spine.set_visible(False)
    for spine in ax_in.spines.values():
        spine.set_visible(False)
    return axes


def draw_strided_windows_1d(
    n: int,
    kernel_size: int,
    stride: int = 1,
    padding: str = "valid",
    dilation: int = 1,
    ax=None,
    title: str | None = None,
    legend: bool = True,
):
    """Draw one axis of a convolution: a strip of ``n`` inputs and each output's window as a bracket.

    Output ``t``'s bracket spans the inputs it reads (:func:`cnn_course.strides.window_taps`), with a
    dot on each one it actually multiplies (all of them unless dilated); brackets are stacked on
    levels so that overlapping windows stay apart. Padding zeros are grey cells marked 0 at either
    end; inputs that no window reads (:func:`cnn_course.strides.ignored_inputs`) are hatched in
    vermillion. Chapter 4 uses it for the ignored columns of "valid" and its output-size calculator.

    Args:
        n: number of inputs along the axis.
        kernel_size, stride, padding, dilation: the layer's settings along that axis.
        ax: a matplotlib Axes; a new figure sized to the strip when omitted.
        title: the default says the settings and the number of outputs.
        legend: whether to add a key to the cells below the strip (off for a grid of strips).

    Returns:
        The Axes.

    Raises:
        ValueError: as :func:`cnn_course.conv.conv_output_size`, e.g. a "valid" kernel wider than ``n``.
    """
    windows = window_taps(n, kernel_size, stride, padding, dilation)
    before, after = padding_amounts(n, kernel_size, stride, padding, dilation)
    ignored = set(ignored_inputs(n, kernel_size, stride, padding, dilation))
    span = dilation * (kernel_size - 1) + 1
    levels = min(len(windows), math.ceil(span / stride))
    if ax is None:
        _, ax = plt.subplots(figsize=(min(12, 0.42 * (before + n + after) + 1.5), 1.6 + 0.38 * levels))

    for x in range(-before, n + after):
        if x < 0 or x >= n:
            ax.add_patch(Rectangle((x, 0), 1, 1, facecolor=PADDING_COLOUR, edgecolor="0.5", linewidth=0.8))
            ax.text(x + 0.5, 0.5, "0", ha="center", va="center", fontsize=10, color="0.3")
        elif x in ignored:
            ax.add_patch(Rectangle((x, 0), 1, 1, facecolor=to_rgba(IGNORED_COLOUR, 0.7), hatch="///",
                                   edgecolor="0.2", linewidth=0.8))
        else:
            ax.add_patch(Rectangle((x, 0), 1, 1, facecolor="white", edgecolor="0.2", linewidth=0.8))
        if 0 <= x < n:
            ax.text(x + 0.5, -0.32, str(x), ha="center", va="center", fontsize=9)

    for k, taps in enumerate(windows):
        colour = WINDOW_COLOURS[k % len(WINDOW_COLOURS)]
        y = 1.45 + (k % levels) * 0.6
        start, end = taps[0] + 0.12, taps[-1] + 0.88
        ax.plot([start, start, end, end], [y - 0.3, y, y, y - 0.3], color=colour, linewidth=2,
                solid_joinstyle="miter")
        ax.plot([t + 0.5 for t in taps], [y] * len(taps), "o", color=colour, markersize=4)
        ax.text((start + end) / 2, y + 0.1, str(k), ha="center", va="bottom", fontsize=10, color=colour,
                fontweight="bold")

    if legend:
        handles = [Patch(facecolor="white", edgecolor="0.2", label="input (index below)")]
        if before or after:
            handles.append(Patch(facecolor=PADDING_COLOUR, edgecolor="0.5", label="zero padding"))
        if ignored:
            handles.append(Patch(facecolor=to_rgba(IGNORED_COLOUR, 0.7), hatch="///", edgecolor="0.2",
                                 label="never read"))
        handles.append(Patch(facecolor="none", edgecolor="none", label="bracket t: window of output t"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
                  frameon=False, fontsize=10, handlelength=1.2, columnspacing=1.0)
    ax.set_xlim(-before - 0.3, n + after + 0.3)
    ax.set_ylim(-0.6, 1.45 + levels * 0.6 + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = (f'"{padding}": {n} inputs, kernel {kernel_size}, stride {stride}'
                 + (f", dilation {dilation}" if dilation > 1 else "") + f" → {len(windows)} outputs")
    ax.set_title(title, fontsize=12)
    return ax


# --- a kernel spanning every input channel, drawn in oblique projection (chapter 2) ----------------

_DEPTH_X, _DEPTH_Y = 0.45, 0.35  # how far one step of depth (channels) moves a point right and up


def _project(column: float, row: float, depth: float) -> tuple[float, float]:
    return column + depth * _DEPTH_X, -row + depth * _DEPTH_Y


def _draw_box(ax, column: float, row: float, depth: float, width: float, height: float, thickness: float,
              colour, alpha: float = 0.35, grid: bool = False, linewidth: float = 1.2):
    """A box of ``height`` rows, ``width`` columns and ``thickness`` channels, front face at ``depth``."""
    from matplotlib.patches import Polygon

    c0, c1, r0, r1, d0, d1 = column, column + width, row, row + height, depth, depth + thickness
    faces = [
        [(c0, r0, d0), (c1, r0, d0), (c1, r1, d0), (c0, r1, d0)],  # front
        [(c0, r0, d0), (c1, r0, d0), (c1, r0, d1), (c0, r0, d1)],  # top
        [(c1, r0, d0), (c1, r1, d0), (c1, r1, d1), (c1, r0, d1)],  # right side
    ]
    shades = (1.0, 0.8, 0.65)
    for face, shade in zip(faces, shades):
        rgba = to_rgba(colour, alpha)
        rgba = (rgba[0] * shade, rgba[1] * shade, rgba[2] * shade, rgba[3])
        ax.add_patch(Polygon([_project(*p) for p in face], closed=True, facecolor=rgba,
                             edgecolor="0.15", linewidth=linewidth))
    if grid:
        for c in range(1, int(width)):
            ax.plot(*zip(_project(c0 + c, r0, d0), _project(c0 + c, r1, d0)), color="0.6", linewidth=0.5)
            ax.plot(*zip(_project(c0 + c, r0, d0), _project(c0 + c, r0, d1)), color="0.6", linewidth=0.5)
        for r in range(1, int(height)):
            ax.plot(*zip(_project(c0, r0 + r, d0), _project(c1, r0 + r, d0)), color="0.6", linewidth=0.5)
            ax.plot(*zip(_project(c1, r0 + r, d0), _project(c1, r0 + r, d1)), color="0.6", linewidth=0.5)
        for d in range(1, int(thickness)):
            ax.plot(*zip(_project(c0, r0, d0 + d), _project(c1, r0, d0 + d)), color="0.6", linewidth=0.5)
            ax.plot(*zip(_project(c1, r0, d0 + d), _project(c1, r1, d0 + d)), color="0.6", linewidth=0.5)


def draw_kernel_volume(input_shape: tuple[int, int, int] = (6, 8, 3), kernel_size: int = 3, filters: int = 4,
                       neuron: tuple[int, int] = (1, 2), ax=None, fontsize: float = 12):
    """Draw one convolution step in 3-D: a kernel spans every input channel and writes one output value.

    Left, the input ``[h, w, fn']`` with the window of output neuron ``(i, j)`` (stride 1, "valid"),
    which goes through all ``fn'`` channels; middle, the layer's ``fn`` kernels, each a box of
    ``fh x fw x fn'`` weights (together the array ``[fh, fw, fn', fn]``); right, the output
    ``[h - fh + 1, w - fw + 1, fn]``, where kernel ``k`` writes the value at ``(i, j)`` of feature map
    ``k``. Each kernel has its own colour, and its output cell the same colour (chapter 2).
    """
    height, width, channels = input_shape
    i, j = neuron
    out_h = conv_output_size(height, kernel_size, 1, "valid")
    out_w = conv_output_size(width, kernel_size, 1, "valid")
    if not (0 <= i < out_h and 0 <= j < out_w):
        raise ValueError(f"neuron {neuron} is outside the {out_h}x{out_w} output")
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.6))
    colours = [OKABE_ITO[(5, 4, 2, 6, 0, 1, 3)[k % 7]] for k in range(filters)]

    # the input and the window of neuron (i, j), through every channel
    _draw_box(ax, 0, 0, 0, width, height, channels, "0.85", alpha=0.5, grid=True)
    _draw_box(ax, j, i, 0, kernel_size, kernel_size, channels, colours[0], alpha=0.55, linewidth=2)
    x, y = _project(width / 2, height, 0)
    ax.text(x, y - 0.8, f"input\n[h, w, fn'] = [{height}, {width}, {channels}]", ha="center", va="top",
            fontsize=fontsize)

    # the kernels, one box of fh x fw x fn' weights each
    left = width + channels * _DEPTH_X + 6.5
    spacing = kernel_size + channels * _DEPTH_X + 0.8
    for k in range(filters):
        _draw_box(ax, left + k * spacing, (height - kernel_size) / 2, 0, kernel_size, kernel_size, channels,
                  colours[k], alpha=0.55, grid=True)
        x, y = _project(left + k * spacing + kernel_size / 2, (height + kernel_size) / 2, 0)
        ax.text(x, y - 0.3, f"k = {k}", ha="center", va="top", fontsize=fontsize, color=colours[k],
                fontweight="bold")
    x, y = _project(left + kernel_size / 2, (height - kernel_size) / 2, channels)
    ax.text(x, y + 0.3, f"{kernel_size} x {kernel_size} x {channels} weights", ha="center", va="bottom",
            fontsize=fontsize, color=colours[0], fontweight="bold")
    x, y = _project(left + (filters * spacing - 0.8) / 2, height, 0)
    ax.text(x, y - 0.8, f"{filters} kernels\n[fh, fw, fn', fn] = [{kernel_size}, {kernel_size}, {channels}, {filters}]",
            ha="center", va="top", fontsize=fontsize)

    # the output: fn feature maps, kernel k writes (i, j) of map k
    start = left + filters * spacing + 3.5
    row0 = (height - out_h) / 2
    _draw_box(ax, start, row0, 0, out_w, out_h, filters, "0.85", alpha=0.5, grid=True)
    for k in reversed(range(filters)):
        _draw_box(ax, start + j, row0 + i, k, 1, 1, 1, colours[k], alpha=0.9, linewidth=1)
    x, y = _project(start + out_w / 2, row0 + out_h, 0)
    ax.text(x, min(y - 0.8, _project(0, height, 0)[1] - 0.8),
            f"output\n[h', w', fn] = [{out_h}, {out_w}, {filters}]", ha="center", va="top", fontsize=fontsize)

    # arrows: window -> kernel 0 -> its output value
    tail = _project(j + kernel_size, i + kernel_size / 2, channels / 2)
    head = _project(left, height / 2, 0)
    ax.annotate("", xy=(head[0] - 0.2, head[1]), xytext=(tail[0] + 0.2, tail[1]),
                arrowprops=dict(arrowstyle="->", color=colours[0], linewidth=2))
    ax.text((head[0] + tail[0]) / 2, min(head[1], tail[1]) - 0.5, f"window of\noutput ({i}, {j})",
            ha="center", va="top", fontsize=fontsize - 1, color=colours[0], fontweight="bold")
    tail = _project(left + (filters - 1) * spacing + kernel_size, height / 2, channels)
    head = _project(start + j, row0 + i + 0.5, 0)
    ax.annotate("", xy=head, xytext=(tail[0] + 0.2, tail[1]),
                arrowprops=dict(arrowstyle="->", color="0.3", linewidth=1.5))
    ax.set_aspect("equal")
    ax.autoscale_view()
    ax.axis("off")
    return ax

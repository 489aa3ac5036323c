"""Animations of a kernel sliding over an input, one output cell per frame (chapter 3; chapter 4 reuses them).

A picture of a convolution shows where the kernel *is*; an animation shows that it *moves*, and how
padding gives the kernel somewhere to stand at the border. :func:`convolution_steps` works out every
position of the window (pure data, easy to test); :func:`animate_convolution` draws them as a
matplotlib animation that a notebook embeds with ``IPython.display.HTML(animation.to_html(alt=...))``,
which plays on the static site without a running kernel. :func:`draw_grid` draws a still matrix in the
same style (white input cells, grey padding), for the static pictures around an animation.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from cnn_course.conv import _pair, conv_output_size, same_padding

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

# Okabe-Ito colours (as in cnn_course.diagrams), which colour-blind readers can tell apart.
WINDOW_COLOUR = "#D55E00"  # vermillion: the kernel and where it stands
DONE_COLOUR = "#56B4E9"  # sky blue: output cells already computed
PADDING_COLOUR = "0.82"  # light grey: cells that padding added


@dataclass(frozen=True)
class ConvolutionStep:
    """One position of the kernel: output cell (row, col), window's top-left corner in the padded input."""

    row: int
    col: int
    top: int
    left: int
    value: float


@dataclass(frozen=True)
class ConvolutionSteps:
    """Everything an animation of one single-channel convolution shows.

    Attributes:
        padded: the input after zero padding, [height + top + bottom, width + left + right].
        is_input: bool array shaped like ``padded``, True on cells of the original input, False on padding.
        kernel: [fh, fw].
        output: the convolution (cross-correlation, no kernel flip), [out_height, out_width].
        padding: zeros added as ((top, bottom), (left, right)).
        strides: (sh, sw).
        steps: one :class:`ConvolutionStep` per output cell, row by row.
    """

    padded: np.ndarray
    is_input: np.ndarray
    kernel: np.ndarray
    output: np.ndarray
    padding: tuple[tuple[int, int], tuple[int, int]]
    strides: tuple[int, int]
    steps: tuple[ConvolutionStep, ...]


def _explicit_padding(padding, input_shape, kernel_shape, strides):
    """((top, bottom), (left, right)) for "valid", "same" or explicit zero counts."""
    if isinstance(padding, str):
        mode = padding.lower()
        if mode == "valid":
            for n, k in zip(input_shape, kernel_shape):
                conv_output_size(n, k, 1, "valid")  # raises if the kernel does not fit
            return (0, 0), (0, 0)
        if mode == "same":
            return tuple(same_padding(n, k, s) for n, k, s in zip(input_shape, kernel_shape, strides))
        raise ValueError(f"padding must be 'valid', 'same' or ((top, bottom), (left, right)), got {padding!r}")
    try:
        pads = tuple(tuple(int(p) for p in pair) for pair in padding)
        valid = len(pads) == 2 and all(len(pair) == 2 and min(pair) >= 0 for pair in pads)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(f"explicit padding must be ((top, bottom), (left, right)) of non-negative integers, "
                         f"got {padding!r}")
    for n, k, (before, after) in zip(input_shape, kernel_shape, pads):
        if n + before + after < k:
            raise ValueError(f"a kernel of size {k} does not fit in {n} inputs padded with {before} + {after}")
    return pads


def convolution_steps(input_matrix, kernel, padding="valid", stride=1) -> ConvolutionSteps:
    """Every position a kernel takes on a padded 2D input, and the value it writes at each.

    Args:
        input_matrix: [height, width], one channel.
        kernel: [fh, fw].
        padding: "valid" (the default, as in Keras), "same" (TensorFlow's rule: an odd total puts the
            extra zero at the bottom or right, see :func:`cnn_course.conv.same_padding`), or
            ((top, bottom), (left, right)).
        stride: an int or a (sh, sw) pair.

    Raises:
        ValueError: a matrix that is not 2D, a bad stride, an unknown padding, or a kernel that does not fit.
    """
    x = np.asarray(input_matrix, dtype=np.float64)
    w = np.asarray(kernel, dtype=np.float64)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(f"input_matrix and kernel must be 2D, got shapes {x.shape} and {w.shape}")
    strides = _pair(stride, "stride")
    pads = _explicit_padding(padding, x.shape, w.shape, strides)
    padded = np.pad(x, pads)
    is_input = np.pad(np.ones(x.shape, dtype=bool), pads)
    fh, fw = w.shape
    sh, sw = strides
    out_h = (padded.shape[0] - fh) // sh + 1
    out_w = (padded.shape[1] - fw) // sw + 1
    output = np.empty((out_h, out_w))
    steps = []
    for row in range(out_h):
        for col in range(out_w):
            top, left = row * sh, col * sw
            output[row, col] = float(np.sum(padded[top:top + fh, left:left + fw] * w))
            steps.append(ConvolutionStep(row, col, top, left, output[row, col]))
    return ConvolutionSteps(padded, is_input, w, output, pads, strides, tuple(steps))


def _format(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.2f}"


def _factor(value: float) -> str:
    """A value written as a factor of a product: negative numbers in brackets, 2×(-4)."""
    return f"({_format(value)})" if value < 0 else _format(value)


def _grid(ax, shape, title: str | None):
    rows, cols = shape
    ax.set_xlim(-0.55, cols - 0.45)
    ax.set_ylim(rows - 0.45, -0.55)
    ax.set_aspect("equal")
    ax.set_anchor("N")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title:
        ax.set_title(title, fontsize=11)


def _cell(ax, row, col, face="white", **kwargs):
    patch = Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=face, edgecolor="0.45", linewidth=0.8, **kwargs)
    ax.add_patch(patch)
    return patch


def draw_grid(values, ax=None, is_input=None, title: str | None = None, fontsize: float = 10):
    """Draw a small matrix as a grid of cells with their values: white for the input, grey for padding.

    The static counterpart of the animation's left panel (chapter 3 draws window positions on it),
    where :func:`cnn_course.plotting.plot_kernel` colours cells by value instead. Cell (row, col) is
    centred on x=col, y=row, so a window over rows r..r+h-1 and columns c..c+w-1 is the rectangle
    from (c - 0.5, r - 0.5), w wide and h high.

    Args:
        values: [rows, cols].
        is_input: bool array of the same shape, False on padding cells (drawn grey); None: all input.

    Returns:
        The axes.
    """
    values = np.asarray(values)
    if values.ndim != 2:
        raise ValueError(f"draw_grid expects a 2D array, got shape {values.shape}")
    is_input = np.ones(values.shape, dtype=bool) if is_input is None else np.asarray(is_input, dtype=bool)
    if is_input.shape != values.shape:
        raise ValueError(f"is_input has shape {is_input.shape}, values {values.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.45 * values.shape[1] + 0.6, 0.45 * values.shape[0] + 0.8))
    _grid(ax, values.shape, title)
    for (row, col), value in np.ndenumerate(values):
        inside = is_input[row, col]
        _cell(ax, row, col, "white" if inside else PADDING_COLOUR)
        ax.text(col, row, _format(value), ha="center", va="center", fontsize=fontsize,
                color="black" if inside else "0.35")
    return ax


class ConvolutionAnimation(FuncAnimation):
    """A kernel sliding over a padded input, filling the output one cell per frame.

    Three panels: the padded input (padding in grey, the original input outlined in black, the
    kernel's window in vermillion with its weights in small print), the kernel, and the output
    (cells computed so far in blue). A caption under the panels writes out the current sum of products.
    It is a ``FuncAnimation`` with one frame per output cell; :meth:`to_html` embeds it in a page.
    """

    def __init__(self, steps: ConvolutionSteps, *, interval: int = 800, cell_inches: float = 0.42,
                 dpi: int = 80, title: str | None = None):
        self.steps = steps
        padded, kernel, output = steps.padded, steps.kernel, steps.output
        widths = [padded.shape[1], kernel.shape[1], output.shape[1]]
        height = max(padded.shape[0], kernel.shape[0], output.shape[0])
        # A Figure outside pyplot: a notebook never shows it as a still picture, and nothing needs closing.
        top_inches, bottom_inches = (0.8 if title else 0.45), 0.5  # room for titles and the caption
        fig_height = cell_inches * height + top_inches + bottom_inches
        figure = Figure(figsize=(cell_inches * (sum(widths) + 4) + 0.6, fig_height), dpi=dpi)
        axes = figure.subplots(1, 3, gridspec_kw={"width_ratios": widths})
        self.figure = figure
        pad_ax, kernel_ax, out_ax = axes
        (top, bottom), (left, right) = steps.padding
        _grid(kernel_ax, kernel.shape, f"kernel {kernel.shape[0]}x{kernel.shape[1]}")
        stride_text = "" if steps.strides == (1, 1) else f", stride {steps.strides[0]}x{steps.strides[1]}"
        _grid(out_ax, output.shape, f"output {output.shape[0]}x{output.shape[1]}{stride_text}")

        draw_grid(padded, ax=pad_ax, is_input=steps.is_input,
                  title=f"padded input {padded.shape[0]}x{padded.shape[1]}")
        pad_ax.add_patch(Rectangle((left - 0.5, top - 0.5), padded.shape[1] - left - right,
                                   padded.shape[0] - top - bottom, fill=False, edgecolor="black", linewidth=2))
        for (row, col), value in np.ndenumerate(kernel):
            _cell(kernel_ax, row, col)
            kernel_ax.text(col, row, _format(value), ha="center", va="center", fontsize=11)
        kernel_ax.add_patch(Rectangle((-0.5, -0.5), kernel.shape[1], kernel.shape[0], fill=False,
                                      edgecolor=WINDOW_COLOUR, linewidth=3))

        self._window = Rectangle((-0.5, -0.5), kernel.shape[1], kernel.shape[0], facecolor=WINDOW_COLOUR,
                                 alpha=0.22, edgecolor=WINDOW_COLOUR, linewidth=3, zorder=3)
        pad_ax.add_patch(self._window)
        self._weights = [pad_ax.text(0, 0, "", ha="right", va="bottom", fontsize=7, color=WINDOW_COLOUR,
                                     zorder=4) for _ in range(kernel.size)]
        self._out_cells = {}
        self._out_texts = {}
        for (row, col), _ in np.ndenumerate(output):
            self._out_cells[row, col] = _cell(out_ax, row, col)
            self._out_texts[row, col] = out_ax.text(col, row, "", ha="center", va="center", fontsize=11)
        self._current = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor=WINDOW_COLOUR, linewidth=3, zorder=3)
        out_ax.add_patch(self._current)
        self._caption = figure.text(0.5, 0.1 / fig_height, "", ha="center", va="bottom", fontsize=10.5)
        if title:
            figure.suptitle(title, fontsize=12, y=1 - 0.08 / fig_height, va="top")
        figure.subplots_adjust(left=0.02, right=0.98, top=1 - top_inches / fig_height,
                               bottom=bottom_inches / fig_height, wspace=0.15)
        super().__init__(figure, self.show_step, frames=len(steps.steps), interval=interval, repeat=True)

    def show_step(self, index: int):
        """Draw frame ``index``: the kernel on its ``index``-th window, output cells 0..index filled in."""
        steps = self.steps.steps
        if not 0 <= index < len(steps):
            raise IndexError(f"frame {index} does not exist: the animation has {len(steps)} frames")
        step = steps[index]
        fh, fw = self.steps.kernel.shape
        self._window.set_xy((step.left - 0.5, step.top - 0.5))
        for text, ((u, v), weight) in zip(self._weights, np.ndenumerate(self.steps.kernel)):
            text.set_position((step.left + v + 0.46, step.top + u + 0.5))
            text.set_text(f"×{_format(weight)}")
        for number, done in enumerate(steps):
            filled = number <= index
            cell = self._out_cells[done.row, done.col]
            cell.set_facecolor(DONE_COLOUR if filled else "white")
            cell.set_alpha(0.45 if filled else 1.0)
            self._out_texts[done.row, done.col].set_text(_format(done.value) if filled else "")
        self._current.set_xy((step.col - 0.5, step.row - 0.5))
        window = self.steps.padded[step.top:step.top + fh, step.left:step.left + fw]
        if fh * fw <= 9:
            products = " + ".join(f"{_factor(a)}×{_factor(b)}" for a, b in zip(window.flat, self.steps.kernel.flat))
            self._caption.set_text(f"output[{step.row}, {step.col}] = {products} = {_format(step.value)}")
        else:
            self._caption.set_text(f"output[{step.row}, {step.col}] = sum of {fh * fw} products "
                                   f"= {_format(step.value)}")
        return [self._window, self._current, self._caption, *self._weights, *self._out_texts.values()]

    def displayed_output(self) -> np.ndarray:
        """The numbers the output panel shows now, NaN where no value is written yet."""
        shown = np.full(self.steps.output.shape, np.nan)
        for (row, col), text in self._out_texts.items():
            if text.get_text():
                shown[row, col] = float(text.get_text())
        return shown

    def to_html(self, alt: str, fps: float | None = None) -> str:
        """The animation as self-contained HTML (frames as embedded PNGs, JavaScript controls).

        Gives the animation's image the alternative text ``alt`` and its frame slider a label, for screen
        readers (matplotlib writes the slider without one). The figure lives outside pyplot, so the notebook
        shows only this HTML, not also a still picture.
        """
        page = self.to_jshtml(fps=fps)
        page = page.replace('class="anim-slider"', 'class="anim-slider" aria-label="Animation frame"', 1)
        return page.replace("<img id=", f'<img alt="{html.escape(alt)}" id=', 1)


def animate_convolution(input_matrix, kernel, padding="valid", stride=1, *, interval: int = 800,
                        title: str | None = None) -> ConvolutionAnimation:
    """Animate a kernel sliding over an input (chapter 3 for padding, chapter 4 for strides).

    One frame per output cell: keep inputs small (a 5x5 input padded to 7x7 with a 3x3 kernel is
    25 frames, about half a megabyte of HTML). Arguments are those of :func:`convolution_steps`;
    ``interval`` is the time between frames in milliseconds.

    Example::

        animation = animate_convolution(np.arange(25).reshape(5, 5), np.ones((3, 3)), padding="same")
        IPython.display.HTML(animation.to_html(alt="A 3x3 kernel sliding over a 5x5 input"))
    """
    return ConvolutionAnimation(convolution_steps(input_matrix, kernel, padding, stride), interval=interval,
                                title=title)

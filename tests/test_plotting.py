"""Tests of cnn_course.plotting."""

from cnn_course.plotting import plot_conv_step

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

# ---------------------------------------------------------------------------------------------------
# plot_conv_step (chapter 2)
# ---------------------------------------------------------------------------------------------------

STEP_INPUT = np.arange(30).reshape(5, 6) % 7
STEP_KERNEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])


def _frames(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]


def test_plot_conv_step_frames_the_window_and_its_output_cell():
    fig = plot_conv_step(STEP_INPUT, STEP_KERNEL, row=1, col=2, title="one step")
    try:
        inputs_ax, kernel_ax, output_ax = fig.axes
        (window,) = _frames(inputs_ax)
        assert window.get_xy() == (2 - 0.5, 1 - 0.5)
        assert (window.get_width(), window.get_height()) == (3, 3)
        (cell,) = _frames(output_ax)
        assert cell.get_xy() == (2 - 0.5, 1 - 0.5)
        assert fig.get_suptitle() == "one step"
    finally:
        plt.close(fig)


def test_plot_conv_step_writes_the_cross_correlation_into_the_output_panel():
    fig = plot_conv_step(STEP_INPUT, STEP_KERNEL, row=0, col=0)
    try:
        expected = [[int(np.sum(STEP_INPUT[i:i + 3, j:j + 3] * STEP_KERNEL)) for j in range(4)] for i in range(3)]
        written = [int(text.get_text()) for text in fig.axes[2].texts]
        assert written == [value for row in expected for value in row]
    finally:
        plt.close(fig)


def test_plot_conv_step_places_strided_windows():
    fig = plot_conv_step(STEP_INPUT, STEP_KERNEL, row=1, col=1, stride=2)
    try:
        (window,) = _frames(fig.axes[0])
        assert window.get_xy() == (2 - 0.5, 2 - 0.5)
        assert fig.axes[2].get_images()[0].get_array().shape == (2, 2)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(("inputs", "kernel", "row", "col", "message"), [
    (STEP_INPUT, STEP_KERNEL, 3, 0, "outside"),
    (STEP_INPUT, STEP_KERNEL, 0, -1, "outside"),
    (STEP_INPUT[0], STEP_KERNEL, 0, 0, "2D"),
    (STEP_INPUT[:2], STEP_KERNEL, 0, 0, "does not fit"),
])
def test_plot_conv_step_rejects_bad_arguments(inputs, kernel, row, col, message):
    with pytest.raises(ValueError, match=message):
        plot_conv_step(inputs, kernel, row=row, col=col)
    plt.close("all")

"""Tests of cnn_course.plotting."""

from cnn_course.plotting import plot_color_image, plot_conv_step, plot_feature_maps, plot_image, plot_kernel

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


# ---------------------------------------------------------------------------------------------------
# images, feature maps and kernels (chapters 1 to 5)
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_image_shows_one_channel_images_in_gray_without_axes():
    ax = plot_image(np.arange(12.0).reshape(3, 4, 1), title="gray")
    (shown,) = ax.get_images()
    assert shown.get_array().shape == (3, 4)
    assert shown.get_cmap().name == "gray"
    assert ax.get_title() == "gray" and not ax.axison


def test_plot_color_image_keeps_the_three_channels():
    ax = plot_color_image(np.zeros((5, 6, 3), dtype=np.uint8))
    assert ax.get_images()[0].get_array().shape == (5, 6, 3)


@pytest.mark.parametrize(
    ("function", "bad"),
    [(plot_image, np.zeros((3, 4, 3))), (plot_image, np.zeros(5)), (plot_color_image, np.zeros((3, 4)))],
)
def test_images_of_the_wrong_shape_are_refused_with_the_shape_named(function, bad):
    with pytest.raises(ValueError, match=str(bad.shape).replace("(", r"\(").replace(")", r"\)")):
        function(bad)


def test_plot_feature_maps_draws_one_titled_panel_per_map_and_blanks_the_rest():
    maps = np.random.default_rng(0).random((8, 8, 5))
    fig = plot_feature_maps(maps, titles=[f"map {i}" for i in range(5)], ncols=3, suptitle="five maps")
    assert len(fig.axes) == 6
    assert [ax.get_title() for ax in fig.axes[:5]] == [f"map {i}" for i in range(5)]
    assert not fig.axes[5].get_images()
    np.testing.assert_array_equal(fig.axes[4].get_images()[0].get_array(), maps[..., 4])


def test_plot_feature_maps_accepts_a_list_of_arrays_and_checks_titles():
    fig = plot_feature_maps([np.zeros((4, 4)), np.ones((6, 6))])
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="2 maps but 1 titles"):
        plot_feature_maps([np.zeros((4, 4)), np.ones((6, 6))], titles=["one"])


def test_plot_kernel_writes_every_value_in_its_cell():
    kernel = np.array([[1, 0, -1], [2, 0, -2]])
    ax = plot_kernel(kernel, title="Sobel half")
    texts = {(t.get_position(), t.get_text()) for t in ax.texts}
    assert ((0, 0), "1") in texts and ((2, 1), "-2") in texts and len(ax.texts) == kernel.size
    with pytest.raises(ValueError):
        plot_kernel(np.zeros((2, 2, 2)))

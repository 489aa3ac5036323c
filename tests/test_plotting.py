"""Tests of cnn_course.plotting."""

from cnn_course.plotting import (
    map_activity,
    plot_color_image,
    plot_conv_step,
    plot_feature_maps,
    plot_filters,
    plot_image,
    plot_kernel,
    plot_learning_rate_schedules,
    plot_most_active_maps,
)

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


# ---------------------------------------------------------------------------------------------------
# Chapter 7: learned filters, the most active feature maps, learning-rate schedules
# ---------------------------------------------------------------------------------------------------


def test_plot_filters_centres_one_shared_scale_on_zero_and_adds_a_colour_bar():
    kernels = np.zeros((7, 7, 1, 10))
    kernels[0, 0, 0, 3] = -0.4
    kernels[1, 1, 0, 7] = 0.25
    fig = plot_filters(kernels, ncols=4, title="ten kernels")
    try:
        *panels, colour_bar = fig.axes
        images = [image for ax in panels for image in ax.get_images()]
        assert len(panels) == 12 and len(images) == 10
        assert all(image.get_clim() == (-0.4, 0.4) for image in images)
        assert images[0].get_cmap().name == "RdBu_r" and colour_bar.get_ylabel() == "weight"
        np.testing.assert_array_equal(images[7].get_array(), kernels[:, :, 0, 7])
        assert fig.get_suptitle() == "ten kernels"
    finally:
        plt.close(fig)
    fig = plot_filters(kernels[:, :, 0, :], n=3)
    assert len([ax for ax in fig.axes if ax.get_images()]) == 3
    plt.close(fig)
    with pytest.raises(ValueError, match="one input channel"):
        plot_filters(np.zeros((3, 3, 2, 4)))


def feature_maps():
    """Five 4x4 maps for one image: map 3 the most active, then map 0; maps 1 and 4 zero everywhere."""
    maps = np.zeros((4, 4, 5))
    maps[..., 0] = 1.0
    maps[0, 0, 2] = 0.5
    maps[..., 3] = 2.0
    return maps


def test_map_activity_ranks_maps_by_mean_activation_and_counts_the_blank_ones():
    activity = map_activity(feature_maps())
    assert activity.most_active(3) == [3, 0, 2]
    assert activity.zero_share == pytest.approx(2 / 5)
    with pytest.raises(ValueError, match="one image"):
        map_activity(np.zeros((1, 4, 4, 5)))


def test_plot_most_active_maps_draws_those_maps_and_reports_the_blank_share():
    maps = feature_maps()
    fig = plot_most_active_maps(maps, n=2, name="conv2d_4")
    try:
        assert [ax.get_title() for ax in fig.axes] == ["map 3 (mean 2.00)", "map 0 (mean 1.00)"]
        np.testing.assert_array_equal(fig.axes[0].get_images()[0].get_array(), maps[..., 3])
        assert fig.get_suptitle() == "conv2d_4: 4x4, the 2 most active of 5 maps (40% all zero)"
    finally:
        plt.close(fig)


def test_learning_rate_schedules_are_drawn_against_epochs():
    def warm_then_flat(step):
        return min(step / 10, 1.0) * 0.003

    ax = plot_learning_rate_schedules({"warm-up": warm_then_flat, "constant": 0.003}, total_steps=100,
                                      steps_per_epoch=20, title="two schedules")
    try:
        warm, constant = ax.get_lines()
        assert warm.get_xdata()[-1] == pytest.approx(5.0) and ax.get_xlabel() == "epoch"
        assert warm.get_ydata()[0] == 0 and warm.get_ydata()[-1] == pytest.approx(0.003)
        assert set(constant.get_ydata()) == {0.003}
        assert [text.get_text() for text in ax.get_legend().get_texts()] == ["warm-up", "constant"]
    finally:
        plt.close(ax.figure)


def test_the_compact_models_schedule_peaks_after_its_warm_up():
    from cnn_course.models import COMPACT_PEAK_LEARNING_RATE, compact_learning_rate

    ax = plot_learning_rate_schedules({"compact": compact_learning_rate(430)}, total_steps=430, steps_per_epoch=43)
    try:
        (line,) = ax.get_lines()
        peak = int(np.argmax(line.get_ydata()))
        assert line.get_xdata()[peak] == pytest.approx(1.0, abs=0.05)
        assert max(line.get_ydata()) == pytest.approx(COMPACT_PEAK_LEARNING_RATE, rel=0.01)
        assert line.get_ydata()[-1] == pytest.approx(0, abs=1e-9)
    finally:
        plt.close(ax.figure)

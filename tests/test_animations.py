"""The convolution animation shows the convolution TensorFlow computes, one output cell per frame."""

import gc
import re
import warnings

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.animations import (
    PADDING_COLOUR,
    ConvolutionAnimation,
    animate_convolution,
    convolution_steps,
    draw_grid,
)

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf

INPUT = np.array([[3, 1, 0, 2, 5], [4, 6, 2, 1, 0], [1, 2, 7, 3, 2], [0, 5, 3, 8, 1], [2, 1, 0, 4, 6]])
KERNEL = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])


@pytest.fixture(autouse=True)
def close_figures():
    """Close each test's figures and delete its animations while warnings are still filtered.

    An animation that a test steps through but never renders makes matplotlib warn when it is deleted.
    """
    yield
    plt.close("all")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Animation was deleted without rendering")
        gc.collect()


def tf_conv(x, kernel, padding, stride):
    """tf.nn.conv2d on one single-channel 2D matrix; padding is "SAME", "VALID" or explicit pairs."""
    if not isinstance(padding, str):
        padding = [[0, 0], *padding, [0, 0]]
    result = tf.nn.conv2d(np.asarray(x, np.float32)[None, :, :, None],
                          np.asarray(kernel, np.float32)[:, :, None, None], strides=stride, padding=padding)
    return result.numpy()[0, :, :, 0]


CASES = [
    ((5, 5), (3, 3), "same", 1),
    ((5, 5), (3, 3), "valid", 1),
    ((6, 6), (3, 3), "same", 2),
    ((5, 7), (3, 3), "same", 2),
    ((7, 7), (3, 3), "valid", 2),
    ((5, 5), (4, 4), "same", 1),
    ((5, 6), (2, 3), "same", (1, 2)),
    ((3, 3), (3, 3), ((1, 2), (1, 3)), 1),
]


@pytest.mark.parametrize(("input_shape", "kernel_shape", "padding", "stride"), CASES)
def test_steps_match_tf_conv2d(input_shape, kernel_shape, padding, stride):
    rng = np.random.default_rng(0)
    x = rng.integers(-5, 6, input_shape)
    kernel = rng.integers(-3, 4, kernel_shape)
    steps = convolution_steps(x, kernel, padding, stride)
    tf_padding = padding.upper() if isinstance(padding, str) else padding
    expected = tf_conv(x, kernel, tf_padding, stride)
    np.testing.assert_array_equal(steps.output, expected)
    assert len(steps.steps) == expected.size
    assert [(s.row, s.col) for s in steps.steps] == [tuple(i) for i in np.ndindex(expected.shape)]
    assert [s.value for s in steps.steps] == list(expected.flat)


def test_same_padding_puts_the_odd_zero_at_the_bottom_right():
    steps = convolution_steps(np.ones((5, 5)), np.ones((4, 4)), "same")
    assert steps.padding == ((1, 2), (1, 2))
    assert steps.padded.shape == (8, 8)
    assert steps.is_input.sum() == 25
    assert steps.is_input[1:6, 1:6].all()
    assert not steps.is_input[0].any() and not steps.is_input[6:].any()
    np.testing.assert_array_equal(steps.padded[~steps.is_input], 0)


def test_windows_move_by_the_stride():
    steps = convolution_steps(np.zeros((6, 6)), np.ones((3, 3)), "same", stride=2)
    assert steps.padding == ((0, 1), (0, 1))
    assert [(s.top, s.left) for s in steps.steps[:4]] == [(0, 0), (0, 2), (0, 4), (2, 0)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_matrix": np.ones((2, 5, 5))}, "2D"),
        ({"padding": "full"}, "padding must be"),
        ({"padding": ((1,), (1, 1))}, "explicit padding"),
        ({"padding": ((-1, 1), (1, 1))}, "explicit padding"),
        ({"stride": 0}, "stride"),
        ({"kernel": np.ones((7, 7)), "padding": "valid"}, "does not fit"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, message):
    arguments = {"input_matrix": INPUT, "kernel": KERNEL, "padding": "same", "stride": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        convolution_steps(**arguments)


def test_one_frame_per_output_cell():
    animation = animate_convolution(INPUT, KERNEL, "same")
    assert isinstance(animation, ConvolutionAnimation)
    assert len(list(animation.new_frame_seq())) == 25
    strided = animate_convolution(np.zeros((7, 7)), KERNEL, "valid", stride=2)
    assert len(list(strided.new_frame_seq())) == 9


def test_output_fills_in_progressively_and_ends_as_the_convolution():
    animation = animate_convolution(INPUT, KERNEL, "same")
    animation.show_step(0)
    shown = animation.displayed_output()
    assert np.isfinite(shown).sum() == 1 and shown[0, 0] == tf_conv(INPUT, KERNEL, "SAME", 1)[0, 0]
    animation.show_step(7)
    assert np.isfinite(animation.displayed_output()).sum() == 8
    animation.show_step(24)
    np.testing.assert_array_equal(animation.displayed_output(), tf_conv(INPUT, KERNEL, "SAME", 1))
    with pytest.raises(IndexError, match="25 frames"):
        animation.show_step(25)


def test_html_embeds_every_frame_with_alt_text_and_no_still_figure():
    plt.close("all")
    animation = animate_convolution(INPUT[:3, :3], np.ones((2, 2)), "valid")
    page = animation.to_html(alt='A 2x2 kernel "sliding"')
    assert page.count("data:image/png;base64") == 4
    assert 'alt="A 2x2 kernel &quot;sliding&quot;"' in page
    assert plt.get_fignums() == [], "a pyplot figure would show up in the notebook as a still picture"


def test_draw_grid_writes_every_value_and_greys_the_padding():
    steps = convolution_steps(INPUT, KERNEL, "same")
    ax = draw_grid(steps.padded, is_input=steps.is_input, title="padded")
    assert [t.get_text() for t in ax.texts] == [f"{v:g}" for v in steps.padded.flat]
    grey = matplotlib.colors.to_rgba(PADDING_COLOUR)
    faces = [matplotlib.colors.to_rgba(p.get_facecolor()) for p in ax.patches]
    assert sum(face == grey for face in faces) == steps.padded.size - INPUT.size
    assert ax.get_title() == "padded"
    with pytest.raises(ValueError, match="2D"):
        draw_grid(np.ones(3))
    with pytest.raises(ValueError, match="is_input"):
        draw_grid(np.ones((2, 2)), is_input=np.ones((3, 3)))


def test_every_control_of_the_html_has_a_label_for_screen_readers():
    """matplotlib writes the frame slider without a label (axe-core: critical); to_html gives it one."""
    plt.close("all")
    page = animate_convolution(INPUT[:3, :3], np.ones((2, 2)), "valid").to_html(alt="a kernel")
    labelled_ids = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    inputs = re.findall(r"<input\b[^>]*>", page)
    assert inputs, "the animation has no controls any more"
    unlabelled = [tag for tag in inputs if "aria-label=" not in tag
                  and not set(re.findall(r'\bid="([^"]+)"', tag)) & labelled_ids]
    assert not unlabelled, unlabelled

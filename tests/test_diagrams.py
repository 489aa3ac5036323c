"""The schematic drawings of chapters 1 and 4 draw what they say and refuse inconsistent requests."""

from cnn_course.diagrams import (
    IGNORED_COLOUR,
    OKABE_ITO,
    PADDING_COLOUR,
    draw_layer_connectivity,
    draw_receptive_fields,
    draw_strided_layer,
    draw_strided_windows_1d,
)

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.patches import Circle, Rectangle

plt.switch_backend("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def filled_with(ax, colour, alpha=None):
    """Rectangles of ``ax`` whose face is ``colour`` (with that alpha when given)."""
    want = to_rgba(colour, alpha) if alpha is not None else to_rgba(colour)
    return [p for p in ax.patches if isinstance(p, Rectangle)
            and (p.get_facecolor() == want if alpha is not None else p.get_facecolor()[:3] == want[:3])]


# draw_receptive_fields (chapters 1 and 4)

@pytest.mark.parametrize("stride", [1, 2])
def test_receptive_fields_draw_one_cell_per_input_and_one_field_per_neuron(stride):
    neurons = ((0, 0), (0, 1), (1, 0), (2, 3))
    ax = draw_receptive_fields((7, 9), 3, stride, neurons)
    assert len(ax.patches) == 7 * 9 + len(neurons)
    fields = ax.patches[7 * 9:]
    assert [(f.get_x(), f.get_y()) for f in fields] == [(j * stride, i * stride) for i, j in neurons]
    assert all(f.get_width() == f.get_height() == 3 for f in fields)
    assert [t.get_text() for t in ax.texts] == ["(0,0)", "(0,1)", "(1,0)", "(2,3)"]


def test_receptive_fields_outside_the_grid_raise():
    with pytest.raises(ValueError, match="outside"):
        draw_receptive_fields((7, 9), 3, 2, [(3, 0)])  # rows 6..8 of a 7-row grid
    with pytest.raises(ValueError, match="outside"):
        draw_receptive_fields((7, 9), 3, 1, [(0, 7)])


# draw_layer_connectivity (chapters 1 and 4)

@pytest.mark.parametrize("sizes, stride, highlight, lit", [((11, 9, 7), 1, 3, 1 + 3 + 5),
                                                           ((11, 5, 2), 2, 0, 1 + 3 + 7)])
def test_layer_connectivity_draws_neurons_connections_and_the_growing_field(sizes, stride, highlight, lit):
    ax = draw_layer_connectivity(sizes, 3, stride, highlight=highlight)
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    assert len(circles) == sum(sizes)
    assert len(ax.lines) == sum(sizes[1:]) * 3
    assert sum(c.get_facecolor() == to_rgba(OKABE_ITO[0]) for c in circles) == lit


@pytest.mark.parametrize("sizes, stride", [((11, 9, 7), 2), ((11, 5, 3), 2), ((7, 6), 1)])
def test_layer_connectivity_rejects_inconsistent_layer_sizes(sizes, stride):
    with pytest.raises(ValueError, match="feeds"):
        draw_layer_connectivity(sizes, 3, stride)


# draw_strided_layer (chapter 4)

def test_strided_layer_draws_the_padded_input_and_the_output():
    neurons = ((0, 0), (0, 1), (1, 2), (2, 3))
    ax_in, ax_out = draw_strided_layer((5, 7), 3, 2, neurons, padding="same")
    padding_cells = filled_with(ax_in, PADDING_COLOUR)
    assert len(padding_cells) == 7 * 9 - 5 * 7
    assert ax_in.get_title() == "input 5x7, zero-padded to 7x9"
    assert ax_out.get_title().startswith("output 3x4")
    fields = [p for p in ax_in.patches if p.get_width() == 3]
    assert [(f.get_x(), f.get_y()) for f in fields] == [(0, 0), (2, 0), (4, 2), (6, 4)]
    assert len(ax_out.patches) == 3 * 4 + len(neurons)


def test_strided_layer_valid_has_no_padding():
    ax_in, ax_out = draw_strided_layer((7, 9), 3, 2, [(2, 3)], padding="valid")
    assert not filled_with(ax_in, PADDING_COLOUR)
    assert ax_in.get_title() == "input 7x9, zero-padded to 7x9"


def test_strided_layer_rejects_a_neuron_outside_the_output():
    with pytest.raises(ValueError, match="not in the 3x4 output layer"):
        draw_strided_layer((5, 7), 3, 2, [(3, 0)], padding="same")
    with pytest.raises(ValueError, match="not in the 2x3 output layer"):
        draw_strided_layer((5, 7), 3, 2, [(2, 0)])  # "valid" by default


# draw_strided_windows_1d (chapter 4)

def test_strip_of_valid_marks_the_ignored_inputs():
    ax = draw_strided_windows_1d(13, 6, 5, "valid")
    assert len(ax.patches) == 13
    ignored = filled_with(ax, IGNORED_COLOUR, 0.7)
    assert sorted(p.get_x() for p in ignored) == [11, 12]
    assert all(p.get_hatch() for p in ignored)
    assert len(ax.lines) == 2 * 2  # a bracket and its dots per output
    assert ax.get_title() == '"valid": 13 inputs, kernel 6, stride 5 → 2 outputs'
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "never read" in labels
    assert "bracket t: window of output t" in labels  # not k, chapter 2's letter for feature maps


def test_strip_of_same_draws_the_padding():
    ax = draw_strided_windows_1d(13, 6, 5, "same", legend=False)
    padding = filled_with(ax, PADDING_COLOUR)
    assert sorted(p.get_x() for p in padding) == [-1, 13, 14]
    assert not filled_with(ax, IGNORED_COLOUR, 0.7)
    assert len(ax.lines) == 3 * 2
    assert ax.get_legend() is None


def test_strip_with_dilation_dots_only_the_taps():
    ax = draw_strided_windows_1d(13, 3, 1, "valid", dilation=4)
    dots = ax.lines[1::2]
    assert len(dots) == 5
    assert list(dots[0].get_xdata()) == [0.5, 4.5, 8.5]


def test_strip_rejects_a_kernel_wider_than_the_input():
    with pytest.raises(ValueError, match="does not fit"):
        draw_strided_windows_1d(4, 5)


# draw_kernel_volume (chapter 2)

def test_kernel_volume_labels_the_three_arrays_with_their_shapes():
    from cnn_course.diagrams import draw_kernel_volume

    ax = draw_kernel_volume(input_shape=(6, 8, 3), kernel_size=3, filters=4, neuron=(1, 2))
    texts = " | ".join(t.get_text() for t in ax.texts)
    assert "[h, w, fn'] = [6, 8, 3]" in texts
    assert "[fh, fw, fn', fn] = [3, 3, 3, 4]" in texts
    assert "[h', w', fn] = [4, 6, 4]" in texts
    assert "3 x 3 x 3 weights" in texts and "output (1, 2)" in texts
    assert [f"k = {k}" for k in range(4)] == [t.get_text() for t in ax.texts if t.get_text().startswith("k = ")]


def test_kernel_volume_refuses_a_neuron_outside_the_output():
    from cnn_course.diagrams import draw_kernel_volume

    with pytest.raises(ValueError, match="outside"):
        draw_kernel_volume(input_shape=(6, 8, 3), kernel_size=3, neuron=(4, 0))

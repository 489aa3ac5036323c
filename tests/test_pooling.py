"""Pooling from scratch agrees with Keras, the drawing marks what it says, the depthwise layer pools channels."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.pooling import (
    DepthwiseMaxPool2D,
    draw_pooling,
    format_invariance_table,
    invariance_table,
    pool2d_numpy,
    pooled_differences,
    window_winners,
)

import keras
import matplotlib
import numpy as np
import pytest
import tensorflow as tf

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def test_the_worked_window_keeps_only_its_maximum():
    assert pool2d_numpy(np.array([[1, 5], [3, 2]])).tolist() == [[5]]
    assert pool2d_numpy(np.array([[1, 5], [3, 2]]), mode="average").tolist() == [[2.75]]


@pytest.mark.parametrize("mode, layer", [("max", keras.layers.MaxPool2D), ("average", keras.layers.AvgPool2D)])
@pytest.mark.parametrize("shape, pool_size, strides", [((6, 8, 3), 2, None), ((7, 9, 2), 2, None),
                                                       ((9, 9, 1), 3, 2), ((5, 8, 4), (2, 3), (1, 2))])
def test_numpy_pooling_equals_keras(mode, layer, shape, pool_size, strides):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    expected = layer(pool_size=pool_size, strides=strides)(x[np.newaxis])[0].numpy()
    np.testing.assert_allclose(pool2d_numpy(x, pool_size, strides, mode), expected, rtol=1e-6, atol=1e-6)


def test_odd_sizes_are_rounded_down_and_depth_kept():
    assert pool2d_numpy(np.zeros((7, 9, 5))).shape == (3, 4, 5)
    assert pool2d_numpy(np.zeros((7, 9))).shape == (3, 4)


@pytest.mark.parametrize("kwargs", [dict(mode="min"), dict(pool_size=0), dict(pool_size=5), dict(strides=(1, 2, 3))])
def test_bad_arguments_are_refused(kwargs):
    with pytest.raises(ValueError):
        pool2d_numpy(np.zeros((4, 4)), **kwargs)


def test_window_winners_point_at_each_maximum():
    x = np.array([[1, 5, 0, 0], [3, 2, 0, 7], [4, 0, 1, 1], [0, 0, 1, 1]])
    winners = window_winners(x)
    assert winners == [(0, 1), (1, 3), (2, 0), (2, 2)]
    assert [x[r, c] for r, c in winners] == pool2d_numpy(x).ravel().tolist()


def test_draw_pooling_returns_the_output_and_marks_winners_and_changes():
    x = np.array([[1, 5, 0, 0], [3, 2, 0, 7], [4, 0, 1, 1], [0, 0, 1, 1]])
    fig, axes = plt.subplots(1, 2)
    output = draw_pooling(x, axes=axes, reference_output=[[5, 0], [4, 1]])
    assert output.tolist() == [[5, 7], [4, 1]]
    # three windows have a single winner; the last (all ones) has none; one output differs from the reference
    assert len(axes[0].patches) == 3
    assert len(axes[1].patches) == 1
    texts = [t.get_text() for t in axes[1].texts]
    assert texts == ["5", "7", "4", "1"]
    plt.close(fig)


def test_draw_pooling_refuses_a_reference_of_another_shape():
    with pytest.raises(ValueError, match="reference_output"):
        draw_pooling(np.zeros((4, 4)), reference_output=np.zeros((3, 3)))
    plt.close("all")


def test_pooled_differences_shrink_for_a_one_pixel_shift_and_vanish_for_the_same_image():
    x = np.zeros((1, 8, 8, 1), "float32")
    x[0, 2:6, 2, 0] = 1
    shifted = np.roll(x, 1, axis=2)
    differences = pooled_differences(x, shifted, depth=2)
    assert differences[0] > 0 and differences[1] == 0 == differences[2]
    assert pooled_differences(x, x, mode="average") == [0.0] * 4
    with pytest.raises(ValueError):
        pooled_differences(x, x[:, :4])


def test_invariance_table_divides_by_the_controls_difference_at_each_depth():
    rng = np.random.default_rng(0)
    reference = rng.random((2, 16, 16, 1)).astype("float32")
    unrelated = [rng.random((2, 16, 16, 1)).astype("float32") for _ in range(3)]
    table = invariance_table(reference, {"same": reference, "shifted": np.roll(reference, 2, axis=2)}, unrelated)
    assert list(table) == ["same", "shifted", "unrelated (mean of 3)"]
    control = np.mean([pooled_differences(reference, other) for other in unrelated], axis=0)
    assert np.allclose(table["unrelated (mean of 3)"].differences, control)
    assert table["unrelated (mean of 3)"].relative == (1.0,) * 4
    shifted = table["shifted"]
    assert np.allclose(shifted.relative, np.array(pooled_differences(reference, np.roll(reference, 2, axis=2)))
                       / control)
    assert shifted.shrink_factor == pytest.approx(shifted.relative[0] / shifted.relative[-1])
    assert table["same"].differences == (0.0,) * 4
    with pytest.raises(ValueError, match="unrelated"):
        invariance_table(reference, {}, [])


def test_a_shift_by_the_stride_shrinks_against_the_control_and_the_table_prints_one_row_each():
    rng = np.random.default_rng(1)
    reference = np.zeros((4, 32, 32, 1), "float32")
    reference[:, 8:24, 8:24] = rng.random((4, 16, 16, 1))
    unrelated = [np.roll(reference, 8, axis=1)]
    table = invariance_table(reference, {"shift 2": np.roll(reference, 2, axis=2)}, unrelated, depth=1)
    assert table["shift 2"].shrink_factor > 1
    text = format_invariance_table(table.values())
    lines = text.splitlines()
    assert len(lines) == 3 and "1 pool" in lines[0] and "relative" in lines[0]
    assert lines[1].startswith("shift 2") and lines[1].endswith(f"{table['shift 2'].relative[-1]:.2f}")
    assert lines[2].endswith("1.00 -> 1.00")


def test_depthwise_max_pool_takes_the_maximum_of_each_group_of_channels():
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 6)).astype("float32")
    y = DepthwiseMaxPool2D(3)(x).numpy()
    assert y.shape == (2, 3, 4, 2)
    np.testing.assert_array_equal(y[..., 0], x[..., :3].max(axis=-1))
    np.testing.assert_array_equal(y[..., 1], x[..., 3:].max(axis=-1))
    reference = tf.nn.max_pool(x, ksize=(1, 1, 1, 3), strides=(1, 1, 1, 3), padding="VALID").numpy()
    np.testing.assert_array_equal(y, reference)


def test_depthwise_max_pool_in_a_model_saves_and_reloads(tmp_path):
    model = keras.Sequential([keras.Input(shape=(5, 5, 8)), DepthwiseMaxPool2D(4)])
    assert model.output_shape == (None, 5, 5, 2)
    path = tmp_path / "model.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    x = np.random.default_rng(2).normal(size=(1, 5, 5, 8)).astype("float32")
    np.testing.assert_array_equal(reloaded(x).numpy(), model(x).numpy())


@pytest.mark.parametrize("pool_size", [0, -1, 1.5, True, "2"])
def test_depthwise_max_pool_refuses_bad_pool_sizes(pool_size):
    with pytest.raises(ValueError, match="pool_size"):
        DepthwiseMaxPool2D(pool_size)


def test_depthwise_max_pool_needs_a_pool_size_that_divides_the_channels():
    with pytest.raises(ValueError, match="cannot be split"):
        DepthwiseMaxPool2D(4)(np.zeros((1, 2, 2, 6), "float32"))

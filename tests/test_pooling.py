"""Pooling from scratch agrees with Keras (outputs and gradients), the drawing marks what it says, the invariance
measure ignores scale and reads against its controls, the depthwise layer pools channels."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course.pooling import (
    DepthwiseMaxPool2D,
    correlation,
    cosine_similarity,
    draw_pooling,
    format_similarity_table,
    pool2d_numpy,
    pooled_correlations,
    pooling_gradient,
    shrink,
    similarity_table,
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


def tape_gradient(layer, x, upstream):
    inputs = tf.constant(np.asarray(x, "float32")[np.newaxis, :, :, np.newaxis])
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        loss = tf.reduce_sum(layer(inputs)[0, :, :, 0] * np.asarray(upstream, "float32"))
    return tape.gradient(loss, inputs)[0, :, :, 0].numpy()


@pytest.mark.parametrize("mode, layer", [("max", keras.layers.MaxPool2D), ("average", keras.layers.AvgPool2D)])
@pytest.mark.parametrize("shape, pool_size, strides", [((4, 4), 2, None), ((7, 9), 2, None), ((9, 9), 3, 2),
                                                       ((6, 8), (2, 3), (1, 2))])
def test_the_numpy_gradient_equals_tensorflows(mode, layer, shape, pool_size, strides):
    rng = np.random.default_rng(3)
    x = rng.permutation(np.prod(shape)).reshape(shape).astype("float32")  # no ties
    upstream = rng.normal(size=pool2d_numpy(x, pool_size, strides).shape)
    expected = tape_gradient(layer(pool_size=pool_size, strides=strides), x, upstream)
    np.testing.assert_allclose(pooling_gradient(x, upstream, pool_size, strides, mode), expected, atol=1e-5)


def test_max_pooling_sends_each_gradient_to_its_windows_winner_the_first_on_a_tie():
    x = np.array([[1, 5, 5, 0], [5, 2, 0, 6], [7, 7, 1, 3], [7, 7, 8, 8]])
    gradient = pooling_gradient(x, [[1, 2], [3, 4]])
    assert gradient.tolist() == [[0, 1, 0, 0], [0, 0, 0, 2], [3, 0, 0, 0], [0, 0, 4, 0]]
    assert gradient.tolist() == tape_gradient(keras.layers.MaxPool2D(2), x, [[1, 2], [3, 4]]).tolist()
    assert pooling_gradient(x, np.ones((2, 2)), mode="average").tolist() == np.full((4, 4), 0.25).tolist()
    with pytest.raises(ValueError, match="upstream"):
        pooling_gradient(x, np.ones((3, 3)))
    with pytest.raises(ValueError):
        pooling_gradient(x, np.ones((2, 2)), mode="min")


def test_shrink_pools_or_subsamples_on_the_same_grid():
    x = np.arange(2 * 5 * 7 * 3, dtype="float32").reshape(2, 5, 7, 3)
    for mode in ("max", "average", "subsample"):
        assert shrink(x, mode).shape == (2, 2, 3, 3)
    np.testing.assert_array_equal(shrink(x, "subsample"), x[:, 0:4:2, 0:6:2])
    np.testing.assert_array_equal(shrink(x, "max"), keras.layers.MaxPool2D(2)(x).numpy())
    with pytest.raises(ValueError, match="mode"):
        shrink(x, "min")


def test_correlation_ignores_scale_and_offset_and_cosine_only_scale():
    rng = np.random.default_rng(0)
    a = rng.random((3, 6, 6, 2))
    unrelated = rng.random((3, 6, 6, 2))
    np.testing.assert_allclose(correlation(a, 3 * a + 2), 1)
    np.testing.assert_allclose(cosine_similarity(a, 3 * a), 1)
    assert np.all(cosine_similarity(a, a + 2) < 1)
    assert np.all(np.abs(correlation(a, unrelated)) < 0.4) and np.all(cosine_similarity(a, unrelated) > 0.6)
    np.testing.assert_allclose(correlation(a, -a), -1)
    assert correlation(a, a).shape == (3,)
    with pytest.raises(ValueError):
        correlation(a, a[:, :4])


def test_pooled_correlations_climb_for_a_shift_that_stays_inside_the_windows():
    x = np.zeros((1, 16, 16, 1), "float32")
    x[0, 4:12, 4, 0] = 1  # a vertical stroke in the left column of its windows
    shifted = np.roll(x, 1, axis=2)
    pooled = pooled_correlations(x, shifted, depth=2)
    assert pooled[0] < 0.1 and pooled[1] == pytest.approx(1) and pooled[2] == pytest.approx(1)
    assert pooled_correlations(x, 2 * x, mode="average") == pytest.approx([1.0] * 4)


def test_subsampled_correlations_are_those_of_every_other_value_and_nan_where_nothing_is_left():
    rng = np.random.default_rng(2)
    a, b = rng.random((2, 8, 8, 1)), rng.random((2, 8, 8, 1))
    subsampled = pooled_correlations(a, b, depth=1, mode="subsample")
    assert subsampled[1] == pytest.approx(float(np.mean(correlation(a[:, ::2, ::2], b[:, ::2, ::2]))))
    stroke = np.zeros((1, 8, 8, 1), "float32")
    stroke[0, 2:6, 3, 0] = 1  # in the columns subsampling drops: a constant map, with no pattern to compare
    assert np.isnan(pooled_correlations(stroke, stroke, depth=1, mode="subsample")[1])


def test_similarity_table_holds_pooling_subsampling_and_the_unrelated_control():
    rng = np.random.default_rng(0)
    reference = rng.random((2, 16, 16, 1)).astype("float32")
    unrelated = [rng.random((2, 16, 16, 1)).astype("float32") for _ in range(3)]
    shifted = np.roll(reference, 1, axis=2)
    table = similarity_table(reference, {"same": reference, "shifted": shifted}, unrelated)
    assert list(table) == ["same", "shifted", "unrelated (mean of 3)"]
    assert table["same"].pooled == pytest.approx((1.0,) * 4) and table["same"].gain == pytest.approx(0)
    row = table["shifted"]
    assert row.pooled == pytest.approx(tuple(pooled_correlations(reference, shifted)))
    assert row.subsampled == pytest.approx(tuple(pooled_correlations(reference, shifted, mode="subsample")))
    assert row.gain == pytest.approx(row.pooled[-1] - row.subsampled[-1])
    control = np.mean([pooled_correlations(reference, other) for other in unrelated], axis=0)
    assert table["unrelated (mean of 3)"].pooled == pytest.approx(tuple(control))
    with pytest.raises(ValueError, match="unrelated"):
        similarity_table(reference, {}, [])
    with pytest.raises(ValueError, match="mode"):
        similarity_table(reference, {}, unrelated, mode="subsample")


def test_the_similarity_table_prints_one_row_each_within_the_sites_column():
    rng = np.random.default_rng(1)
    reference = rng.random((2, 32, 32, 1)).astype("float32")
    table = similarity_table(reference, {"shift 2": np.roll(reference, 2, axis=2)}, [rng.random((2, 32, 32, 1))])
    lines = format_similarity_table(table.values()).splitlines()
    assert len(lines) == 3 and "3 pools" in lines[0] and lines[0].endswith("no pool")
    assert lines[1].startswith("shift 2") and lines[1].endswith(f"{table['shift 2'].subsampled[-1]:.2f}")
    assert all(len(line) < 70 for line in lines)


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

"""The explanation methods of chapter 8 compute what their papers define, on tiny models checked by hand."""

import cnn_course  # noqa: F401  (quiet TensorFlow first)
from cnn_course import explain
from cnn_course.models import fashion_mnist_compact
from cnn_course.settings import seed_everything

import keras
import matplotlib
import numpy as np
import pytest
from scipy import stats

matplotlib.use("Agg")


def images(n=4, size=8, seed=0):
    return np.random.default_rng(seed).normal(size=(n, size, size, 1)).astype("float32")


def linear_head_model(classes=3, activation="softmax"):
    """Conv2D - GlobalAveragePooling2D - Dense: the head where CAM is exact."""
    seed_everything(1)
    return keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
                             keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(classes, activation=activation)])


def hidden_layer_head_model():
    """The same body, with a hidden dense layer and a ReLU in the head: Grad-CAM's weights then depend on the image."""
    seed_everything(2)
    return keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
                             keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(3, activation="softmax")])


def smooth_model(activation=None):
    """Smooth everywhere (tanh), so that finite differences approximate the gradient well."""
    seed_everything(3)
    return keras.Sequential([keras.Input(shape=(6, 6, 1)), keras.layers.Conv2D(3, 3, activation="tanh"),
                             keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2, activation=activation)])


def test_the_class_activation_map_has_the_last_feature_maps_resolution():
    seed_everything(0)
    model = keras.Sequential([keras.Input(shape=(12, 12, 1)), keras.layers.Conv2D(4, 3, padding="same"),
                              keras.layers.MaxPooling2D(), keras.layers.Conv2D(5, 3, padding="same"),
                              keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3, activation="softmax")])
    x = images(size=12)
    assert explain.last_feature_maps_layer(model).name == model.layers[2].name
    assert explain.class_activation_map(model, x).shape == (4, 6, 6)
    assert explain.grad_cam(model, x).shape == (4, 6, 6)
    assert explain.saliency_map(model, x).shape == (4, 12, 12)
    assert explain.occlusion_sensitivity(model, x, patch=4, stride=2).shape == (4, 12, 12)


def test_the_class_score_is_the_mean_of_the_class_activation_map_plus_the_bias():
    model = linear_head_model(activation=None)
    model.layers[-1].bias.assign([0.5, -0.25, 1.0])
    x = images()
    cam = explain.class_activation_map(model, x, class_index=1)
    np.testing.assert_allclose(cam.mean(axis=(1, 2)) - 0.25, model.predict(x, verbose=0)[:, 1], atol=1e-5)


def test_grad_cam_before_its_relu_is_the_class_activation_map_divided_by_the_area():
    model = linear_head_model()
    x = images()
    for classes in (None, 2, [0, 1, 2, 1]):
        cam = explain.class_activation_map(model, x, classes)
        raw = explain.grad_cam(model, x, classes, relu=False)
        np.testing.assert_allclose(raw * 8 * 8, cam, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(explain.grad_cam(model, x, classes), np.maximum(raw, 0))


def test_grad_cams_channel_weights_are_the_dense_weights_over_the_area_for_every_image():
    model = linear_head_model()
    weights = explain.grad_cam_weights(model, images(n=5), class_index=2)
    expected = model.layers[-1].kernel.numpy()[:, 2] / 64
    np.testing.assert_allclose(weights, np.tile(expected, (5, 1)), rtol=1e-4, atol=1e-7)


def test_behind_a_hidden_relu_grad_cams_weights_change_from_image_to_image():
    """alpha_k = sum_j W1[k, j] W2[j, c] [hidden unit j is on] / Z: the hidden units that are on pick the weights."""
    model = hidden_layer_head_model()
    x = images(n=8, seed=1) * np.linspace(0.2, 3, 8)[:, None, None, None]
    weights = explain.grad_cam_weights(model, x, class_index=0)
    w1, w2 = model.layers[2].kernel.numpy(), model.layers[3].kernel.numpy()
    features = keras.Model(model.inputs[0], model.layers[1].output)(x).numpy()
    on = (features @ w1 + model.layers[2].bias.numpy()) > 0
    np.testing.assert_allclose(weights, (w1[None] * (on * w2[:, 0])[:, None, :]).sum(axis=2) / 64, atol=1e-6)
    assert len({tuple(row) for row in on}) > 1 and np.ptp(weights, axis=0).max() > 1e-4
    with pytest.raises(ValueError, match="grad_cam"):
        explain.class_activation_map(model, x)
    linearised = w1 @ w2
    assert explain.class_activation_map(model, x, 0, layer=model.layers[0], weights=linearised).shape == (8, 8, 8)


def test_a_head_trained_on_its_own_then_put_on_the_body_is_explained_in_the_whole_models_graph():
    """Shared layers have several calls: the methods follow the model's own graph, not the layer's first call."""
    body = linear_head_model()
    seed_everything(4)
    hidden, classes = keras.layers.Dense(5, activation="relu"), keras.layers.Dense(3, activation="softmax")
    head = keras.Sequential([keras.Input(shape=(4,)), hidden, classes])  # first called here, on features
    whole = keras.Model(body.inputs[0], classes(hidden(body.layers[-2].output)))
    x = images()
    assert explain.grad_cam(whole, x, 1).shape == (4, 8, 8)
    assert explain.saliency_map(whole, x, 1).shape == (4, 8, 8)
    features = keras.Model(body.inputs[0], body.layers[-2].output)(x).numpy()
    np.testing.assert_allclose(whole.predict(x, verbose=0), head.predict(features, verbose=0), atol=1e-6)
    with pytest.raises(ValueError, match="grad_cam"):
        explain.class_activation_map(whole, x)
    assert explain.class_activation_map(body, x).shape == (4, 8, 8)


def test_the_methods_refuse_a_model_whose_last_layer_is_not_dense():
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten()])
    with pytest.raises(ValueError, match="Dense"):
        explain.saliency_map(model, images(), class_index=0)


def finite_difference(model, image, class_index, row, column, eps=1e-2):
    up, down = image.copy(), image.copy()
    up[row, column, 0] += eps
    down[row, column, 0] -= eps
    scores = model.predict(np.stack([up, down]), verbose=0)[:, class_index]
    return (scores[0] - scores[1]) / (2 * eps)


def test_saliency_is_the_absolute_gradient_measured_by_finite_differences():
    model = smooth_model()
    image = images(n=1, size=6, seed=4)[0]
    saliency = explain.saliency_map(model, image[np.newaxis], class_index=1)[0]
    for row, column in [(0, 0), (2, 3), (5, 5), (3, 1)]:
        assert saliency[row, column] == pytest.approx(abs(finite_difference(model, image, 1, row, column)),
                                                      rel=2e-2, abs=1e-4)


def test_saliency_differentiates_the_score_before_the_softmax():
    logits, probabilities = smooth_model(), smooth_model("softmax")
    x = images(n=3, size=6)
    np.testing.assert_allclose(explain.saliency_map(probabilities, x, 1), explain.saliency_map(logits, x, 1),
                               rtol=1e-5, atol=1e-7)


def test_occluding_an_all_blank_image_changes_nothing():
    model = linear_head_model()
    for fill in (0.0, -0.8):
        blank = np.full((2, 8, 8, 1), fill, dtype="float32")
        assert np.array_equal(explain.occlusion_sensitivity(model, blank, patch=3, stride=1, fill=fill),
                              np.zeros((2, 8, 8)))


def test_occlusion_marks_only_the_pixels_under_patches_that_hide_what_the_model_reads():
    """A model that reads one pixel: only the patches covering that pixel change its prediction."""
    kernel = np.zeros((64, 2), dtype="float32")
    kernel[5 * 8 + 2] = [3.0, -3.0]  # pixel (5, 2)
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.layers[-1].set_weights([kernel, np.zeros(2, dtype="float32")])
    image = np.ones((1, 8, 8, 1), dtype="float32")
    sensitivity = explain.occlusion_sensitivity(model, image, class_index=0, patch=3, stride=1)[0]
    rows, columns = np.nonzero(sensitivity)
    assert set(rows) == {3, 4, 5, 6, 7} and set(columns) == {0, 1, 2, 3, 4}
    assert sensitivity[5, 2] > 0 and (sensitivity >= 0).all()
    drop = 1 / (1 + np.exp(-6)) - 0.5  # hiding the pixel takes the score from 3 - (-3) to 0
    assert sensitivity[5, 2] == pytest.approx(drop, rel=1e-4)  # every patch over (5, 2) hides it
    assert sensitivity[3, 0] == pytest.approx(drop / 3, rel=1e-4)  # one of the three patches over (3, 0) hides it


def test_occlusion_accepts_a_function_and_places_its_patches_every_stride():
    assert explain.occlusion_positions(28) == list(range(0, 23, 2))
    assert explain.occlusion_positions(8, 3, 2) == [0, 2, 4]
    with pytest.raises(ValueError):
        explain.occlusion_positions(4, 5)
    model = linear_head_model()
    x = images(n=2)
    np.testing.assert_allclose(explain.occlusion_sensitivity(lambda batch: model.predict(batch, verbose=0), x),
                               explain.occlusion_sensitivity(model, x), atol=1e-6)


def test_a_maps_rank_correlation_with_itself_is_1_and_with_its_reverse_minus_1():
    a = np.random.default_rng(0).normal(size=(7, 7))
    assert explain.rank_correlation(a, a) == 1.0
    assert explain.rank_correlation(a, np.exp(3 * a)) == pytest.approx(1.0)  # ranks, not values
    assert explain.rank_correlation(a, -a) == pytest.approx(-1.0)
    b = np.random.default_rng(1).normal(size=(7, 7))
    assert explain.rank_correlation(a, b) == pytest.approx(stats.spearmanr(a.ravel(), b.ravel())[0])
    assert explain.rank_correlation(np.zeros((7, 7)), np.zeros((7, 7))) == 1.0
    assert explain.rank_correlation(a, np.zeros((7, 7))) == 0.0
    with pytest.raises(ValueError):
        explain.rank_correlation(a, a[:3])


def test_the_compact_models_stages_run_from_the_dense_layer_down_each_convolution_with_its_normalisation():
    seed_everything()
    model = fashion_mnist_compact()
    stages = explain.randomization_stages(model)
    assert [name for name, _ in stages] == ["dense", "conv2d_4", "conv2d_3", "conv2d_2", "conv2d_1", "conv2d"]
    assert stages[1][1] == ["conv2d_4", "batch_normalization_4"]
    assert sum(len(layers) for _, layers in stages) == len([layer for layer in model.layers if layer.weights])


def test_cascading_randomization_reinitialises_one_more_stage_each_time_and_spares_the_trained_model():
    model = linear_head_model()
    model.layers[-1].bias.assign([1.0, 2.0, 3.0])
    model.layers[0].bias.assign([0.1, 0.2, 0.3, 0.4])  # as training would leave them: not their initial zeros
    trained = [w.copy() for w in model.get_weights()]
    seen = []
    for name, randomized in explain.cascading_randomization(model, seed=5):
        changed = [not np.array_equal(a, b) for a, b in zip(trained, randomized.get_weights())]
        seen.append((name, changed))
    assert seen[0][0] == model.layers[-1].name and seen[0][1] == [False, False, True, True]
    assert seen[1][1] == [True, True, True, True]
    assert all(np.array_equal(a, b) for a, b in zip(trained, model.get_weights()))


def test_the_sanity_check_fails_a_map_of_the_image_and_passes_one_that_depends_on_the_weights():
    model = linear_head_model()
    x = images(n=3)
    check = explain.sanity_check(model, {"edges": lambda m, batch: explain.edge_map(batch),
                                         "saliency": lambda m, batch: explain.saliency_map(m, batch, 0)}, x, seed=0)
    assert check.stages == (model.layers[-1].name, model.layers[0].name)
    assert check.correlations["edges"] == (1.0, 1.0) and not check.passes("edges")
    assert check.correlations["saliency"][-1] < 0.9
    assert check.images == 3
    assert "edges: fails (rank correlation 1.00" in check.verdicts()[0]
    assert check.table().splitlines()[0].split() == ["re-initialised", "up", "to", "edges", "saliency"]


def test_the_edge_map_of_a_flat_image_is_zero_and_an_edge_lights_up():
    flat = np.full((1, 6, 6, 1), 0.3, dtype="float32")
    assert np.array_equal(explain.edge_map(flat), np.zeros((1, 6, 6)))
    step = np.zeros((1, 6, 6, 1), dtype="float32")
    step[:, :, 3:] = 1
    edges = explain.edge_map(step)[0]
    assert edges[:, 2:4].min() > 0 and edges[:, 0].max() == 0


def test_gradient_ascent_raises_each_units_activation_and_stays_inside_its_receptive_field():
    seed_everything(0)
    model = keras.Sequential([keras.Input(shape=(9, 9, 1)), keras.layers.Conv2D(4, 3, padding="same"),
                              keras.layers.BatchNormalization(), keras.layers.ReLU(),
                              keras.layers.Conv2D(4, 3, padding="same"), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(2, activation="softmax")])
    model.layers[1].beta.assign([0.5, -0.5, 0.5, 0.2])  # as trained: some units on at grey, so gradients flow
    for layer, field in ((model.layers[1], 3), (model.layers[3], 5)):
        patterns = explain.filter_patterns(model, layer, [0, 3], steps=20, value_range=(-1, 2))
        assert patterns.shape == (2, 9, 9, 1) and patterns.min() >= -1 and patterns.max() <= 2
        assert all(height <= field and width <= field for height, width in explain.pattern_extent(patterns))
        on_pattern = explain.unit_activations(model, layer, patterns, [0, 3])
        on_grey = explain.unit_activations(model, layer, np.zeros((2, 9, 9, 1)), [0, 3])
        assert (on_pattern > on_grey).all()
    first = explain.filter_patterns(model, model.layers[0], [1], steps=5, step_size=0.01)[0, 3:6, 3:6, 0]
    kernel = model.layers[0].kernel.numpy()[..., 0, 1]
    assert explain.rank_correlation(first, kernel) == 1.0 or np.allclose(first / first.max(), kernel / kernel.max())
    flat = explain.filter_patterns(model, model.layers[0], [1], objective="mean", steps=3)[0, 1:-1, 1:-1, 0]
    assert np.ptp(flat) < 1e-5  # a linear layer's mean: the same gradient at every pixel away from the borders
    assert explain.pattern_extent(np.zeros((1, 9, 9, 1))) == [(0, 0)]


def test_the_figures_draw_one_row_per_image_and_two_per_layer():
    model = linear_head_model()
    x = images(n=2)
    fig = explain.plot_explanations(x, {"CAM": explain.class_activation_map(model, x),
                                        "saliency": explain.saliency_map(model, x)}, titles=["a", "b"])
    assert len(fig.axes) == 6
    maps = keras.Model(model.inputs[0], model.layers[0].output)(x).numpy()[0]
    fig = explain.plot_patterns_and_maps({"conv": x[:2]}, {"conv": maps}, {"conv": [0, 1]}, value_range=(-1, 2))
    assert len(fig.axes) == 4
    check = explain.SanityCheck(("dense", "conv2d"), {"a": (0.5, 0.1), "b": (1.0, 1.0)}, images=2)
    ax = explain.plot_sanity_check(check)
    assert len(ax.lines) == 3

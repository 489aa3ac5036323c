"""The models of chapters 6 and 7: layer shapes and parameter counts that the chapters state."""

import json
from pathlib import Path

from cnn_course.models import (
    COMPACT_FILTERS,
    COMPACT_PEAK_LEARNING_RATE,
    COMPACT_WEIGHT_DECAY,
    RandomErasing,
    alexnet,
    compact_learning_rate,
    compact_optimizer,
    compile_compact,
    dense_network,
    fashion_mnist_compact,
    fashion_mnist_reference,
    lenet5,
    mnist_convnet,
    mnist_convnet_strided,
    print_summary,
    residual_block_model,
)
from cnn_course.settings import seed_everything

import keras
import numpy as np
import pytest


def output_shapes(model):
    return [tuple(layer.output.shape[1:]) for layer in model.layers]


def test_mnist_convnet_shapes_and_parameters():
    seed_everything()
    model = mnist_convnet()
    assert output_shapes(model) == [(26, 26, 32), (13, 13, 32), (11, 11, 64), (5, 5, 64), (3, 3, 128), (1152,), (10,)]
    assert model.count_params() == 320 + 18_496 + 73_856 + 11_530 == 104_202


def test_convnet_without_pooling_keeps_large_maps_and_a_huge_dense_layer():
    seed_everything()
    model = mnist_convnet(pooling=False)
    assert output_shapes(model) == [(26, 26, 32), (24, 24, 64), (22, 22, 128), (61_952,), (10,)]
    assert model.layers[-1].count_params() == 61_952 * 10 + 10
    assert model.count_params() == 712_202
    assert not any(isinstance(layer, keras.layers.MaxPooling2D) for layer in model.layers)


def test_the_average_pooling_control_differs_from_the_convnet_by_the_maximum_alone():
    seed_everything()
    pooled = mnist_convnet()
    seed_everything()
    control = mnist_convnet(pooling="average")
    assert control.name == "convnet_average_pooling"
    assert output_shapes(control) == output_shapes(pooled)
    assert control.count_params() == pooled.count_params() == 104_202
    kinds = [[type(layer).__name__ for layer in model.layers] for model in (pooled, control)]
    assert [kind.replace("Max", "Average") for kind in kinds[0]] == kinds[1]
    assert kinds[1].count("AveragePooling2D") == 2 and "MaxPooling2D" not in kinds[1]
    # same seed, same initial weights: a run of each differs by the maximum against the mean
    assert all(np.array_equal(a, b) for a, b in zip(pooled.get_weights(), control.get_weights()))


def test_the_pooling_argument_accepts_the_old_switch_and_refuses_unknown_kinds():
    assert mnist_convnet(pooling=True).name == "convnet"
    assert mnist_convnet(pooling=False).name == mnist_convnet(pooling=None).name == "convnet_without_pooling"
    with pytest.raises(ValueError, match="pooling"):
        mnist_convnet(pooling="min")


def test_strided_control_keeps_the_pooled_convnets_maps_and_dense_layer_without_a_maximum():
    seed_everything()
    pooled, control = mnist_convnet(), mnist_convnet_strided()
    shapes = [[tuple(layer.output.shape[1:]) for layer in model.layers] for model in (pooled, control)]
    assert shapes[0] == shapes[1]
    assert shapes[1][-3:] == [(3, 3, 128), (1152,), (10,)]
    assert control.layers[-1].count_params() == pooled.layers[-1].count_params() == 11_530
    assert control.count_params() - pooled.count_params() == (2 * 2 * 32 + 32) + (2 * 2 * 64 + 64) == 480
    assert not any(isinstance(layer, keras.layers.MaxPooling2D) for layer in control.layers)
    subsampling = [layer for layer in control.layers if isinstance(layer, keras.layers.DepthwiseConv2D)]
    assert [(layer.kernel_size, layer.strides) for layer in subsampling] == [((2, 2), (2, 2))] * 2


def test_identity_residual_block_keeps_its_shape_and_counts_its_parameters():
    seed_everything()
    block = residual_block_model()
    assert tuple(block.input.shape) == tuple(block.output.shape) == (None, 28, 28, 32)
    convolutions = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [layer.count_params() for layer in convolutions] == [3 * 3 * 32 * 32] * 2
    assert block.count_params() == 2 * 3 * 3 * 32 * 32 + 2 * 4 * 32 == 18_688
    assert sum(int(np.prod(weight.shape)) for weight in block.non_trainable_weights) == 2 * 2 * 32
    add = next(layer for layer in block.layers if isinstance(layer, keras.layers.Add))
    assert block.input in [node for node in add.input]


def test_the_shortcut_carries_the_input_past_the_convolutions():
    seed_everything()
    block = residual_block_model((8, 8, 4), filters=4)
    for layer in block.layers:
        if isinstance(layer, keras.layers.Conv2D):
            layer.set_weights([np.zeros_like(weight) for weight in layer.get_weights()])
    x = np.random.default_rng(0).normal(size=(2, 8, 8, 4)).astype("float32")
    np.testing.assert_allclose(block(x, training=False), np.maximum(x, 0), atol=1e-5)


def test_a_block_that_halves_its_maps_projects_its_shortcut():
    seed_everything()
    block = residual_block_model((28, 28, 32), filters=64, strides=2)
    assert tuple(block.output.shape) == (None, 14, 14, 64)
    convolutions = [layer for layer in block.layers if isinstance(layer, keras.layers.Conv2D)]
    assert sorted(layer.kernel_size for layer in convolutions) == [(1, 1), (3, 3), (3, 3)]
    assert block.count_params() == 3 * 3 * 32 * 64 + 3 * 3 * 64 * 64 + 32 * 64 + 3 * 4 * 64 == 58_112


def test_a_residual_blocks_summary_fits_the_books_column(capsys):
    seed_everything()
    print_summary(residual_block_model())
    printed = capsys.readouterr().out
    assert "Add" in printed and "18,688" in printed
    assert max(len(line) for line in printed.splitlines()) <= 80


def test_dense_network_parameters():
    assert dense_network().count_params() == 784 * 512 + 512 + 512 * 10 + 10 == 407_050


def test_reference_model_matches_the_syllabus():
    seed_everything()
    model = fashion_mnist_reference()
    assert model.count_params() == 1_413_834
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [c.filters for c in convs] == [64, 128, 128, 256, 256]
    assert [c.kernel_size for c in convs] == [(7, 7)] + [(3, 3)] * 4
    assert all(c.padding == "same" and c.activation.__name__ == "relu" for c in convs)
    assert all(isinstance(c.kernel_initializer, keras.initializers.HeNormal) for c in convs)
    dropouts = [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)]
    assert dropouts == [0.5, 0.5]
    assert output_shapes(model)[-1] == (10,)
    assert tuple(model.get_layer(index=model.layers.index(convs[-1]) + 1).output.shape[1:]) == (3, 3, 256)


@pytest.mark.parametrize("build", [mnist_convnet, dense_network, fashion_mnist_reference])
def test_models_output_probabilities(build):
    seed_everything()
    probabilities = build()(np.zeros((2, 28, 28, 1), dtype="float32")).numpy()
    assert probabilities.shape == (2, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, rtol=1e-5)


def test_seeded_builds_are_identical():
    seed_everything(3)
    first = [w.numpy() for w in mnist_convnet().weights]
    seed_everything(3)
    second = [w.numpy() for w in mnist_convnet().weights]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_print_summary_is_keras_summary_with_light_lines(capsys):
    seed_everything()
    print_summary(mnist_convnet())
    text = capsys.readouterr().out
    assert "━" not in text and "┃" not in text
    assert "conv2d (Conv2D)" in text and "(None, 3, 3, 128)" in text and "Total params: 104,202" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_landmark_rebuilds_have_the_published_shapes():
    seed_everything()
    lenet = lenet5()
    assert output_shapes(lenet)[:4] == [(28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16)]
    assert lenet.count_params() == 61_706
    net = alexnet()
    assert [tuple(layer.output.shape[1:]) for layer in net.layers[:2]] == [(55, 55, 96), (27, 27, 96)]
    assert tuple(net.get_layer(index=8).output.shape[1:]) == (9216,)  # 6 x 6 x 256 into the first Dense layer
    assert net.count_params() == 62_378_344


def test_compact_model_is_small_and_ends_with_global_average_pooling():
    seed_everything()
    model = fashion_mnist_compact()
    assert model.count_params() < 100_000 < fashion_mnist_reference().count_params() / 14
    assert isinstance(model.layers[-2], keras.layers.GlobalAveragePooling2D)
    assert isinstance(model.layers[1], keras.layers.RandomFlip)
    assert model.layers[-1].count_params() == COMPACT_FILTERS[-1] * 10 + 10
    batch_norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    assert len(batch_norms) == len(convs) == 5 and not any(c.use_bias for c in convs)
    shapes = [tuple(c.output.shape[1:]) for c in convs]
    assert shapes == [(28, 28, 16), (14, 14, 32), (14, 14, 32), (7, 7, 64), (7, 7, 64)]


CHAPTER_7 = Path(__file__).resolve().parent.parent / "chapters" / "07_fashion_mnist.ipynb"


def stored_summary(notebook: Path, model_name: str) -> str:
    """The summary of ``model_name`` that a notebook's stored outputs print, from "Model:" to its last count."""
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", ""))
            start = text.find(f'Model: "{model_name}"')
            if start >= 0:
                end = text.index("\n", text.index(" Non-trainable params:", start))
                return text[start:end]
    raise AssertionError(f"{notebook.name} stores no summary of {model_name}")


def test_compact_model_defaults_rebuild_chapter_7s_stored_model(capsys):
    """Layers, names, shapes and parameters as chapter 7's stored full run printed them (70,746 parameters)."""
    seed_everything()
    model = fashion_mnist_compact()
    print_summary(model)
    assert capsys.readouterr().out.strip() == stored_summary(CHAPTER_7, "compact")
    assert model.count_params() == 70_746


def test_each_switch_of_the_compact_model_undoes_one_change():
    seed_everything()
    without_bn = fashion_mnist_compact(batch_norm=False)
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in without_bn.layers)
    convs = [layer for layer in without_bn.layers if isinstance(layer, keras.layers.Conv2D)]
    assert len(convs) == 5 and all(c.use_bias for c in convs)
    # 832 batch-normalisation parameters (4 per map) go, 208 biases (1 per map) come back
    assert without_bn.count_params() == 70_746 - 4 * 208 + 208 == 70_122
    flatten = fashion_mnist_compact(head="flatten")
    assert isinstance(flatten.layers[-2], keras.layers.Flatten)
    assert flatten.layers[-1].count_params() == 7 * 7 * 64 * 10 + 10 == 31_370
    assert flatten.count_params() == 70_746 - 650 + 31_370
    unmirrored = fashion_mnist_compact(mirroring=False)
    assert not any(isinstance(layer, keras.layers.RandomFlip) for layer in unmirrored.layers)
    assert unmirrored.count_params() == 70_746
    names = {without_bn.name, flatten.name, unmirrored.name}
    assert len(names) == 3 and "compact" not in names
    with pytest.raises(ValueError, match="head"):
        fashion_mnist_compact(head="dense")


def test_the_flip_seed_decides_which_images_are_mirrored():
    images = np.arange(64 * 28 * 28, dtype="float32").reshape(64, 28, 28, 1)

    def mirrored(flip_seed):
        seed_everything()
        flip = fashion_mnist_compact(flip_seed=flip_seed).layers[1]
        out = flip(images, training=True).numpy()
        return np.all(out == images[:, :, ::-1], axis=(1, 2, 3))

    assert np.array_equal(mirrored(1), mirrored(1))
    assert not np.array_equal(mirrored(1), mirrored(2))
    assert 10 < mirrored(1).sum() < 54  # about half the images


def test_random_erasing_blanks_one_square_per_image_in_training_only(tmp_path):
    images = np.ones((32, 28, 28, 1), dtype="float32")
    erased = np.asarray(RandomErasing(8, seed=1)(images, training=True))
    blanked = (erased == 0).sum(axis=(1, 2, 3))
    assert blanked.max() == 64 and blanked.min() >= 16  # a whole 8x8 square, or part of it at an edge
    assert len(set(blanked.tolist())) > 1  # squares fall at different places
    rows = np.nonzero((erased[0, :, :, 0] == 0).any(axis=1))[0]
    assert rows.max() - rows.min() + 1 <= 8 and np.all(np.diff(rows) == 1)  # one contiguous square
    assert np.array_equal(np.asarray(RandomErasing(8, seed=1)(images)), images)  # inference: unchanged
    seed_everything()
    model = fashion_mnist_compact(erasing=8)
    assert model.name == "compact_erasing" and isinstance(model.layers[2], RandomErasing)
    model.save(tmp_path / "erasing.keras")
    assert keras.models.load_model(tmp_path / "erasing.keras").layers[2].get_config()["size"] == 8


def test_the_optimizer_switches_give_nadam_with_the_same_decay_or_no_decay():
    nadam = compact_optimizer(100, optimizer="nadam")
    assert isinstance(nadam, keras.optimizers.Nadam) and nadam.weight_decay == pytest.approx(COMPACT_WEIGHT_DECAY)
    assert compact_optimizer(100, weight_decay=0.0).weight_decay == 0.0
    with pytest.raises(ValueError, match="optimizer"):
        compact_optimizer(100, optimizer="sgd")


def test_a_constant_rate_stays_at_the_peak_and_compile_compact_sizes_the_schedule(monkeypatch):
    monkeypatch.setenv("CNN_COURSE_MODE", "quick")
    assert compact_learning_rate(100, "constant") == COMPACT_PEAK_LEARNING_RATE
    optimizer = compact_optimizer(100, schedule="constant")
    assert float(optimizer.learning_rate) == pytest.approx(COMPACT_PEAK_LEARNING_RATE)
    assert optimizer.weight_decay == pytest.approx(COMPACT_WEIGHT_DECAY)
    with pytest.raises(ValueError, match="schedule"):
        compact_learning_rate(100, "step")
    seed_everything()
    model = compile_compact(fashion_mnist_compact(), 55_000, batch_size=128, epochs=10)  # quick mode: 2,000 x 2
    schedule = model.optimizer._learning_rate
    assert schedule.warmup_steps + schedule.decay_steps == 16 * 2
    assert model.loss == "sparse_categorical_crossentropy"


def test_compact_optimizer_warms_up_then_decays_to_zero():
    optimizer = compact_optimizer(total_steps=100, peak_learning_rate=0.01)
    schedule = optimizer.learning_rate if callable(optimizer.learning_rate) else optimizer._learning_rate
    rates = [float(schedule(step)) for step in (0, 5, 10, 55, 100)]
    assert rates[0] == 0 and 0 < rates[1] < rates[2] == pytest.approx(0.01)
    assert rates[3] < rates[2] and rates[4] == pytest.approx(0, abs=1e-9)
    assert isinstance(optimizer, keras.optimizers.AdamW)
    with pytest.raises(ValueError, match="at least 2"):
        compact_optimizer(total_steps=1)


def test_compact_model_evaluates_sensibly_after_a_short_training():
    """Batch normalisation's moving statistics must settle within a few dozen steps (quick mode's length)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(640, 28, 28, 1)).astype("float32")
    y = (x[:, :14].mean(axis=(1, 2, 3)) > x[:, 14:].mean(axis=(1, 2, 3))).astype("int64")
    x[y == 1, :14] += 1.0
    seed_everything()
    model = fashion_mnist_compact()
    model.compile(optimizer=compact_optimizer(total_steps=40), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] > 0.9

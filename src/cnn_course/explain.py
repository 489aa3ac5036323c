"""What a trained convnet looks at, and whether a picture of it explains the model or only the image (chapter 8).

Five ways to draw what a classifier uses, each returning one map per image (NumPy arrays):

- :func:`class_activation_map` (Zhou et al., 2016): for a head made of global average pooling and one dense
  layer, the last feature maps ``A_k`` weighted by the dense layer's weights for a class,
  ``CAM_c = sum_k w_kc A_k``. It needs no gradient: the class score *is* the mean of that map plus a bias.
- :func:`grad_cam` (Selvaraju et al., 2017): the same sum with weights read from gradients,
  ``alpha_k = mean over positions of d y_c / d A_k``, then a ReLU. For the head above,
  ``d y_c / d A_k(i, j) = w_kc / Z`` at every position (``Z`` positions, the map's area), so Grad-CAM before
  its ReLU is the class activation map divided by ``Z``; for any other head the weights change from image to
  image (:func:`grad_cam_weights`).
- :func:`saliency_map` (Simonyan et al., 2014): the absolute gradient of the class score with respect to each
  input pixel, at the pixels' resolution.
- :func:`occlusion_sensitivity` (Zeiler and Fergus, 2014): how much the class probability drops when a grey
  patch hides each region; it needs only predictions, no gradient.
- :func:`filter_patterns`: the input that most excites chosen channels of a layer, found by gradient ascent
  from a grey image (as in Chollet's *Deep Learning with Python*).

The gradient methods differentiate the class *score* before the softmax (the logit), as the papers do: a
probability also moves when other classes' scores move. Occlusion reads probabilities, as Zeiler and Fergus did.

A picture can look convincing and still say nothing about the model. :func:`sanity_check` is Adebayo et al.'s
(2018) test: re-initialise the trained weights stage by stage from the top (:func:`cascading_randomization`)
and measure, with :func:`rank_correlation` (Spearman's), how much each method's map still resembles the
trained model's. A method whose maps barely change explains the image, not the model; :func:`edge_map`, which
never looks at the model, is the control that fails by construction.

The models are Keras classifiers whose last layer is a ``Dense`` layer (softmax or not) and whose input is a
batch of images ``[n, height, width, channels]``. Chapter 8 introduces every function here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

# A method passes the sanity check when, once every stage is re-initialised, its maps keep a mean rank correlation
# with the trained model's maps below this: more than half of their ordering of the pixels is gone.
SANITY_THRESHOLD = 0.5
# Occlusion's default patch and stride for 28x28 images: 12 x 12 = 144 positions, each pixel under up to 9 patches.
OCCLUSION_PATCH = 6
OCCLUSION_STRIDE = 2


def _batch(images):
    """Images as a float32 tensor [n, height, width, channels]; a single image [height, width, channels] gets n=1."""
    import tensorflow as tf

    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[np.newaxis]
    if images.ndim != 4:
        raise ValueError(f"expected images [n, height, width, channels], got shape {images.shape}")
    return tf.constant(images)


def _head(model):
    """The model's last layer, which must be ``Dense``: its weights turn features into class scores."""
    import keras

    head = model.layers[-1]
    if not isinstance(head, keras.layers.Dense):
        raise ValueError(f"the last layer of {model.name} is {type(head).__name__}; these methods need a classifier "
                         "whose last layer is Dense (its class scores are read before the softmax)")
    return head


def _input(model):
    """The model's input tensor, to build a model that shares its layers (a list would warn when given one array)."""
    return model.inputs[0] if len(model.inputs) == 1 else model.inputs


def _history(tensor):
    """The operation that produced a symbolic tensor, and the node (the call) that did, in that tensor's graph."""
    operation, node_index, _ = tensor._keras_history
    return operation, operation._inbound_nodes[node_index]


def _head_input(model):
    """The input of the model's last layer *in this model's graph*.

    ``layer.input`` gives the input of the layer's first call, which belongs to another model when the layer is
    shared (a head trained on its own, then put on a convolutional base): walk back from this model's output.
    """
    _, node = _history(model.outputs[0])
    return node.input_tensors[0]


def _output_in(model, layer):
    """The output of ``layer`` in this model's graph (its first call's output when the walk does not find it)."""
    seen, stack = set(), list(model.outputs)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen or not hasattr(tensor, "_keras_history"):
            continue
        seen.add(id(tensor))
        operation, node = _history(tensor)
        if operation is layer:
            return tensor
        if operation is not None:
            stack.extend(node.input_tensors)
    return layer.output


def _logits(head, features):
    """The class scores of a dense layer before its activation: ``features @ kernel + bias``."""
    import keras

    scores = keras.ops.matmul(features, head.kernel)
    return scores + head.bias if head.use_bias else scores


def last_feature_maps_layer(model):
    """The last layer whose output is a stack of feature maps ``[n, height, width, channels]`` (for CAM, Grad-CAM)."""
    for layer in reversed(model.layers):
        if len(layer.output.shape) == 4:
            return layer
    raise ValueError(f"{model.name} has no layer with feature maps [n, height, width, channels]")


def _layer(model, layer):
    if layer is None:
        return last_feature_maps_layer(model)
    return model.get_layer(layer) if isinstance(layer, str) else layer


def _classes(model, images, class_index) -> np.ndarray:
    """One class per image: the predicted ones for ``None``, an int for all images, or one per image."""
    n = len(images)
    if class_index is None:
        from cnn_course.evaluation import predict_classes

        return predict_classes(model, np.asarray(images, dtype="float32"))
    classes = np.asarray(class_index, dtype=int)
    if classes.ndim == 0:
        return np.full(n, int(classes))
    if classes.shape != (n,):
        raise ValueError(f"give one class for all images or one per image ({n}), got shape {classes.shape}")
    return classes


def _maps_and_gradients(model, images, class_index=None, layer=None):
    """The chosen layer's maps A [n, h, w, k] and the gradients of each image's class score with respect to them."""
    import keras
    import tensorflow as tf

    x = _batch(images)
    classes = _classes(model, x.numpy(), class_index)
    head = _head(model)
    probe = keras.Model(_input(model), [_output_in(model, _layer(model, layer)), _head_input(model)])
    with tf.GradientTape() as tape:
        tape.watch(x)  # records the path through frozen layers too
        maps, features = probe(x, training=False)
        scores = tf.gather(_logits(head, features), classes, axis=1, batch_dims=1)
    gradients = tape.gradient(scores, maps)
    return maps.numpy(), gradients.numpy()


def _check_linear_head(model, layer) -> None:
    """CAM is exact only when the maps go through global average pooling and then the last (dense) layer."""
    import keras

    maps = _layer(model, layer)
    pooling, node = _history(_head_input(model))
    if not (isinstance(pooling, keras.layers.GlobalAveragePooling2D) and _history(node.input_tensors[0])[0] is maps):
        raise ValueError(f"{model.name}'s head is not global average pooling of {maps.name} followed by one dense "
                         "layer, where a class activation map is exact: use grad_cam, or give the channel weights")


def class_activation_map(model, images, class_index=None, layer=None, weights=None) -> np.ndarray:
    """Zhou et al.'s class activation map: the last feature maps weighted by the dense layer's weights for a class.

    Args:
        model: a classifier whose head is ``GlobalAveragePooling2D`` then one ``Dense`` layer.
        images: ``[n, height, width, channels]``.
        class_index: the class to explain: ``None`` for each image's predicted class, an int, or one per image.
        layer: the feature maps' layer (name or layer); the last one with feature maps by default.
        weights: channel weights ``[channels, classes]`` to use instead of the dense layer's kernel (for a head
            that is not linear, such weights are an approximation, which chapter 8 compares with Grad-CAM).

    Returns:
        ``[n, h, w]`` at the feature maps' resolution (7x7 for chapter 7's compact model). The class score before
        the softmax is the mean of this map plus the dense layer's bias.
    """
    import keras

    x = _batch(images)
    classes = _classes(model, x.numpy(), class_index)
    if weights is None:
        _check_linear_head(model, layer)
        weights = _head(model).kernel.numpy()
    maps = keras.Model(_input(model), _output_in(model, _layer(model, layer)))(x, training=False).numpy()
    return np.einsum("nhwk,kn->nhw", maps, np.asarray(weights)[:, classes])


def grad_cam_weights(model, images, class_index=None, layer=None) -> np.ndarray:
    """Grad-CAM's channel weights ``alpha_k``: the class score's gradient averaged over each map, ``[n, channels]``."""
    _, gradients = _maps_and_gradients(model, images, class_index, layer)
    return gradients.mean(axis=(1, 2))


def grad_cam(model, images, class_index=None, layer=None, relu: bool = True) -> np.ndarray:
    """Selvaraju et al.'s Grad-CAM: ``ReLU(sum_k alpha_k A_k)``, ``[n, h, w]`` at the feature maps' resolution.

    ``relu=False`` returns the sum before the ReLU, which for a global-average-pooling + dense head equals
    :func:`class_activation_map` divided by the map's area ``h * w``. Arguments as for :func:`class_activation_map`.
    """
    maps, gradients = _maps_and_gradients(model, images, class_index, layer)
    alpha = gradients.mean(axis=(1, 2))
    cam = np.einsum("nhwk,nk->nhw", maps, alpha)
    return np.maximum(cam, 0) if relu else cam


def saliency_map(model, images, class_index=None) -> np.ndarray:
    """Simonyan et al.'s saliency: ``|d score / d pixel|``, the largest over the channels, ``[n, height, width]``.

    It says which pixels would change the class score most if nudged, at the input's full resolution.
    """
    import keras
    import tensorflow as tf

    x = _batch(images)
    classes = _classes(model, x.numpy(), class_index)
    head = _head(model)
    probe = keras.Model(_input(model), _head_input(model))
    with tf.GradientTape() as tape:
        tape.watch(x)
        scores = tf.gather(_logits(head, probe(x, training=False)), classes, axis=1, batch_dims=1)
    return np.abs(tape.gradient(scores, x).numpy()).max(axis=-1)


def occlusion_positions(size: int, patch: int = OCCLUSION_PATCH, stride: int = OCCLUSION_STRIDE) -> list[int]:
    """Where a patch starts along one axis: every ``stride`` pixels, as long as it fits inside ``size``."""
    if not 0 < patch <= size or stride < 1:
        raise ValueError(f"a patch of {patch} at stride {stride} does not fit in {size} pixels")
    return list(range(0, size - patch + 1, stride))


def _predictor(model) -> Callable[[np.ndarray], np.ndarray]:
    """Class probabilities for a batch: a Keras model's ``predict``, or the function given."""
    if hasattr(model, "predict"):
        return lambda x: model.predict(x, batch_size=512, verbose=0)
    if callable(model):
        return lambda x: np.asarray(model(x))
    raise TypeError(f"expected a Keras model or a function from images to probabilities, got {type(model).__name__}")


def occlusion_sensitivity(model, images, class_index=None, patch: int = OCCLUSION_PATCH,
                          stride: int = OCCLUSION_STRIDE, fill: float = 0.0) -> np.ndarray:
    """Zeiler and Fergus's occlusion: the drop of the class probability when a square patch hides each region.

    A ``patch`` x ``patch`` square of value ``fill`` (0 is the mean pixel of standardised images: grey) is slid over
    each image by ``stride`` pixels; each position gives one prediction. A pixel's value is the mean drop
    ``p(image) - p(occluded image)`` over the patches that cover it (0 where none does): positive where hiding it
    costs the class probability, negative where hiding it helps.

    Args:
        model: a Keras classifier with softmax outputs, or a function from images to probabilities.
        images: ``[n, height, width, channels]``.
        class_index: the class whose probability is followed (``None``: each image's predicted class).

    Returns:
        ``[n, height, width]``. One prediction per position and image: 144 per 28x28 image with the defaults.
    """
    predict = _predictor(model)
    x = np.asarray(_batch(images))
    n, height, width, _ = x.shape
    tops, lefts = occlusion_positions(height, patch, stride), occlusion_positions(width, patch, stride)
    positions = [(top, left) for top in tops for left in lefts]
    occluded = np.repeat(x, len(positions), axis=0).reshape(n, len(positions), *x.shape[1:])
    unchanged = np.zeros((n, len(positions)), dtype=bool)
    for index, (top, left) in enumerate(positions):
        unchanged[:, index] = (occluded[:, index, top:top + patch, left:left + patch, :] == fill).all(axis=(1, 2, 3))
        occluded[:, index, top:top + patch, left:left + patch, :] = fill
    # One batch for the images and their occluded copies, so that both are computed alike.
    probabilities = predict(np.concatenate([x, occluded.reshape(-1, *x.shape[1:])]))
    unoccluded, probabilities = probabilities[:n], probabilities[n:].reshape(n, len(positions), -1)
    classes = np.argmax(unoccluded, axis=1) if class_index is None else _classes(model, x, class_index)
    original = unoccluded[np.arange(n), classes]
    drops = original[:, np.newaxis] - np.take_along_axis(probabilities, classes[:, None, None], axis=2)[..., 0]
    drops[unchanged] = 0.0  # a patch that hides nothing changes nothing
    total, count = np.zeros((n, height, width)), np.zeros((height, width))
    for index, (top, left) in enumerate(positions):
        total[:, top:top + patch, left:left + patch] += drops[:, index, np.newaxis, np.newaxis]
        count[top:top + patch, left:left + patch] += 1
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def filter_patterns(model, layer, channels: Sequence[int], *, objective: str = "centre", steps: int = 40,
                    step_size: float = 0.1, value_range: tuple[float, float] | None = None) -> np.ndarray:
    """The input that most excites each channel, found by gradient ascent from a grey image (one per channel).

    Each image starts grey (0, the mean pixel of standardised images) and climbs its channel's activation: at each
    step it moves by ``step_size`` along the gradient, scaled to unit root mean square, so every channel climbs at
    the same pace. ``objective="centre"`` climbs the unit at the centre of the channel's map: the pattern can then
    only fill that unit's receptive field, and pixels outside it stay exactly grey (their gradient is 0).
    ``objective="mean"`` climbs the mean over the whole map, as Chollet's *Deep Learning with Python* does: the
    pattern repeats over the image (for a first layer without activation the mean is linear in the image and its
    gradient the same at every pixel away from the borders, a flat image). ``value_range`` keeps the pixels inside
    what real images hold (for standardised Fashion-MNIST, black to white is about -0.81 to 2.02).

    Choose a layer before its ReLU (a batch normalisation's output): after a ReLU a unit that is silent on grey has
    no gradient to climb. A unit whose gradient is 0 on grey stays grey.

    Returns:
        ``[len(channels), height, width, input channels]``, the images.
    """
    import keras
    import tensorflow as tf

    if objective not in ("centre", "mean"):
        raise ValueError(f"objective={objective!r} is not 'centre' or 'mean'")
    probe = keras.Model(_input(model), _output_in(model, _layer(model, layer)))
    x = tf.Variable(np.zeros((len(channels), *model.input_shape[1:]), dtype="float32"))
    picks = tf.constant(list(channels))
    for _ in range(steps):
        with tf.GradientTape() as tape:
            activations = probe(x, training=False)
            if objective == "centre":
                units = activations[:, activations.shape[1] // 2, activations.shape[2] // 2, :]
            else:
                units = tf.reduce_mean(activations, axis=(1, 2))
            objective_value = tf.reduce_sum(tf.gather(units, picks, axis=1, batch_dims=1))
        gradient = tape.gradient(objective_value, x)
        scale = tf.sqrt(tf.reduce_mean(tf.square(gradient), axis=(1, 2, 3), keepdims=True)) + 1e-12
        x.assign_add(step_size * gradient / scale)
        if value_range is not None:
            x.assign(tf.clip_by_value(x, *value_range))
    return x.numpy()


def pattern_extent(patterns) -> list[tuple[int, int]]:
    """Height and width of the box around the pixels each pattern moved away from grey (0), one per pattern."""
    extents = []
    for pattern in np.asarray(patterns):
        rows, columns = np.nonzero(np.any(pattern != 0, axis=-1))
        extents.append((0, 0) if rows.size == 0 else (int(np.ptp(rows)) + 1, int(np.ptp(columns)) + 1))
    return extents


def unit_activations(model, layer, images, channels: Sequence[int]) -> np.ndarray:
    """The activation of the centre unit of channel ``channels[i]`` for image ``i`` (what a pattern climbed), ``[n]``.

    With one channel per image, as :func:`filter_patterns` returns them; give the same image several times to
    read several channels on it.
    """
    import keras

    maps = keras.Model(_input(model), _output_in(model, _layer(model, layer)))(_batch(images), training=False).numpy()
    centre = maps[:, maps.shape[1] // 2, maps.shape[2] // 2, :]
    return centre[np.arange(len(centre)), list(channels)]


def edge_map(images) -> np.ndarray:
    """The strength of the image's edges (Sobel), ``[n, height, width]``: an "explanation" that ignores the model.

    The sanity check's control: its maps are the same whatever the weights, so it fails by construction, and any
    method whose maps behave like it explains the image rather than the model.
    """
    from scipy import ndimage

    x = np.asarray(_batch(images))[..., 0]
    return np.hypot(ndimage.sobel(x, axis=1), ndimage.sobel(x, axis=2))


def rank_correlation(a, b) -> float:
    """Spearman's rank correlation of two maps of the same shape: 1 when they order their pixels alike.

    It compares which pixels a map ranks high, whatever its scale, which differs from model to model. Identical
    maps give 1; a map that is constant (all zero, as Grad-CAM's ReLU can leave it) ranks nothing, so its
    correlation with any other map is 0 rather than undefined.
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"the two maps differ in size: {a.size} and {b.size} values")
    if np.array_equal(a, b):
        return 1.0
    if np.ptp(a) == 0 or np.ptp(b) == 0:
        return 0.0
    return float(stats.spearmanr(a, b)[0])


def randomization_stages(model) -> list[tuple[str, list[str]]]:
    """The model's weights in stages, top first: each layer with a kernel and the layers with weights after it.

    For chapter 7's compact model: the dense layer, then each convolution with its batch normalisation, from the
    last to the first. Layers with weights before the first kernel (none in the course's models) are left out.
    """
    stages: list[tuple[str, list[str]]] = []
    for layer in model.layers:
        if hasattr(layer, "kernel"):
            stages.append((layer.name, [layer.name]))
        elif layer.weights and stages:
            stages[-1][1].append(layer.name)
    return stages[::-1]


def cascading_randomization(model, seed: int | None = None) -> Iterator[tuple[str, object]]:
    """Adebayo et al.'s cascading randomisation: a copy of the model re-initialised one more stage at a time.

    Yields ``(stage name, model)`` for each stage of :func:`randomization_stages`, top first; each model is the
    same copy, with every stage so far (that one included) set to the weights a fresh model of the same
    architecture starts from (its initialisers, drawn after seeding with ``seed``; batch normalisation back to a
    scale of 1, a shift of 0 and moving statistics of 0 and 1). Use each model before asking for the next. The
    trained model is never changed.
    """
    import keras

    if seed is not None:
        keras.utils.set_random_seed(seed)
    fresh = keras.models.clone_model(model)
    randomized = keras.models.clone_model(model)
    randomized.set_weights(model.get_weights())
    for name, layers in randomization_stages(model):
        for layer in layers:
            randomized.get_layer(layer).set_weights(fresh.get_layer(layer).get_weights())
        yield name, randomized


@dataclass(frozen=True)
class SanityCheck:
    """Each method's mean rank correlation with its trained maps, after each stage of re-initialisation.

    ``correlations[method][s]`` is measured once stages 0 to ``s`` of ``stages`` (top first) are re-initialised.
    A method passes when its last value, every weight re-initialised, is below ``threshold``.
    """

    stages: tuple[str, ...]
    correlations: Mapping[str, tuple[float, ...]]
    images: int
    threshold: float = SANITY_THRESHOLD

    def passes(self, method: str) -> bool:
        return self.correlations[method][-1] < self.threshold

    def table(self, digits: int = 2) -> str:
        """Stages in rows (each re-initialised with those above it), methods in columns."""
        methods = list(self.correlations)
        width = max(len(stage) for stage in ("re-initialised up to", *self.stages)) + 2
        columns = [max(len(method), digits + 3) + 2 for method in methods]
        lines = ["re-initialised up to".ljust(width) + "".join(m.rjust(c) for m, c in zip(methods, columns))]
        for index, stage in enumerate(self.stages):
            lines.append(stage.ljust(width) + "".join(f"{self.correlations[m][index]:.{digits}f}".rjust(c)
                                                      for m, c in zip(methods, columns)))
        return "\n".join(lines)

    def verdicts(self) -> list[str]:
        """One line per method: passes or fails, with its rank correlation once every layer is re-initialised."""
        return [f"{method}: {'passes' if self.passes(method) else 'fails'} (rank correlation "
                f"{values[-1]:.2f} with every layer re-initialised; threshold {self.threshold})"
                for method, values in self.correlations.items()]


def sanity_check(model, methods: Mapping[str, Callable[[object, np.ndarray], np.ndarray]], images, *,
                 seed: int = 0, threshold: float = SANITY_THRESHOLD) -> SanityCheck:
    """Adebayo et al.'s model-randomisation test of explanation methods, by cascading re-initialisation.

    Args:
        model: the trained classifier.
        methods: ``{name: method(model, images) -> maps [n, h, w]}``; each explains the class the *trained* model
            predicts, so wrap a method to fix it (``lambda m, x: grad_cam(m, x, classes)``).
        images: ``[n, height, width, channels]``.
        seed: seeds the fresh weights.

    Returns:
        A :class:`SanityCheck`: the mean over images of the rank correlation between each method's map on the
        trained model and on the re-initialised one, after each stage.
    """
    images = np.asarray(images, dtype="float32")
    trained = {name: method(model, images) for name, method in methods.items()}
    stages, correlations = [], {name: [] for name in methods}
    for stage, randomized in cascading_randomization(model, seed):
        stages.append(stage)
        for name, method in methods.items():
            maps = method(randomized, images)
            correlations[name].append(float(np.mean([rank_correlation(a, b) for a, b in zip(trained[name], maps)])))
    return SanityCheck(tuple(stages), {name: tuple(values) for name, values in correlations.items()}, len(images),
                       threshold)


def plot_sanity_check(check: SanityCheck, ax=None, title: str | None = None):
    """Each method's mean rank correlation with its trained maps as more stages are re-initialised, from the top.

    The dashed line is the threshold under which a method passes once every stage is re-initialised.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    markers = "osD^vP"
    positions = np.arange(len(check.stages))
    for index, (method, values) in enumerate(check.correlations.items()):
        ax.plot(positions, values, marker=markers[index % len(markers)], linewidth=2, label=method,
                color=OKABE_ITO[(4, 5, 2, 0, 6, 7)[index % 6]])
    ax.axhline(check.threshold, color="0.4", linestyle="--", linewidth=1, label=f"threshold {check.threshold}")
    ax.set_xticks(positions, [f"+ {stage}" if index else stage for index, stage in enumerate(check.stages)],
                  rotation=30, ha="right")
    ax.set_xlabel("re-initialised, from the top down (each stage with those before it)")
    ax.set_ylabel("rank correlation with the trained maps")
    ax.set_ylim(min(-0.1, min(min(v) for v in check.correlations.values()) - 0.05), 1.05)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.01, 0.5))
    if title:
        ax.set_title(title)
    return ax


def plot_explanations(images, maps: Mapping[str, np.ndarray], titles: Sequence[str] | None = None,
                      cmap: str = "cividis", alpha: float = 0.6, suptitle: str | None = None):
    """One row per image: the image, then each method's map laid over it (stretched to the image's size).

    Each map is scaled to its own range, so colours compare within a panel, never between panels: methods
    measure different things in different units.

    Args:
        images: ``[n, height, width, 1]`` or ``[n, height, width]``.
        maps: ``{method name: [n, h, w]}``, any resolution.
        titles: one per image (the first column's titles).
    """
    import matplotlib.pyplot as plt

    images = np.asarray(images)
    if images.ndim == 4:
        images = images[..., 0]
    n, height, width = images.shape
    columns = 1 + len(maps)
    fig, axes = plt.subplots(n, columns, figsize=(1.9 * columns, 2.0 * n), layout="constrained", squeeze=False)
    extent = (-0.5, width - 0.5, height - 0.5, -0.5)
    for row in range(n):
        axes[row, 0].imshow(images[row], cmap="gray")
        axes[row, 0].set_title(titles[row] if titles is not None else "image", fontsize=9)
        for column, (name, values) in enumerate(maps.items(), start=1):
            ax = axes[row, column]
            ax.imshow(images[row], cmap="gray")
            ax.imshow(values[row], cmap=cmap, alpha=alpha, extent=extent, interpolation="bilinear")
            if row == 0:
                ax.set_title(name, fontsize=10)
    for ax in axes.flat:
        ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def plot_patterns_and_maps(patterns: Mapping[str, np.ndarray], maps: Mapping[str, np.ndarray],
                           channels: Mapping[str, Sequence[int]], value_range: tuple[float, float] | None = None,
                           cmap: str = "cividis", suptitle: str | None = None):
    """For each layer, two rows: the gradient-ascent pattern of each chosen channel, and that channel's map of a
    real image.

    Args:
        patterns: ``{layer: [c, height, width, 1]}`` from :func:`filter_patterns`.
        maps: ``{layer: [h, w, all channels]}``, the layer's output for one image.
        channels: ``{layer: the c channels drawn}``.
        value_range: the patterns' shared grey scale (black to white), so that grey looks the same in every panel.
    """
    import matplotlib.pyplot as plt

    columns = max(len(chosen) for chosen in channels.values())
    fig, axes = plt.subplots(2 * len(patterns), columns, figsize=(1.8 * columns, 3.9 * len(patterns)),
                             layout="constrained", squeeze=False)
    for block, layer in enumerate(patterns):
        for column, channel in enumerate(channels[layer]):
            top, bottom = axes[2 * block, column], axes[2 * block + 1, column]
            low, high = value_range if value_range is not None else (None, None)
            top.imshow(patterns[layer][column, ..., 0], cmap="gray", vmin=low, vmax=high)
            top.set_title(f"{layer}\nchannel {channel}: pattern", fontsize=8)
            bottom.imshow(maps[layer][..., channel], cmap=cmap)
            bottom.set_title(f"its map of the image ({maps[layer].shape[0]}x{maps[layer].shape[1]})", fontsize=8)
    for ax in axes.flat:
        ax.axis("off")
    if suptitle:
        fig.suptitle(suptitle)
    return fig

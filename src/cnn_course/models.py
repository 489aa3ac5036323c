"""The models that chapters 6 and 7 train, built by functions that the chapters and the benchmark share.

One function per model, so that ``benchmarks/fashion_mnist.py`` times exactly the network chapter 7
teaches. Every builder returns an uncompiled ``keras.Model`` that starts with ``keras.Input`` (Keras 3
style; ``input_shape=`` on a layer prints a warning). Call :func:`cnn_course.settings.seed_everything`
first for reproducible weights and stable layer names.

- :func:`mnist_convnet` (chapter 6): the first convnet of the course, on MNIST, with its two max-pooling
  layers, with average pooling in their place (the control of the shift experiment), or without pooling.
- :func:`dense_network` (chapter 6): the fully connected baseline it is compared with.
- :func:`mnist_convnet_strided` (chapter 6): the convnet with its pooling replaced by a learned stride-2
  subsampling, which chapter 6 shows as the control it does not use (it adds weights and learns its kernel).
- :func:`residual_block` and :func:`residual_block_model` (chapter 6): ResNet's basic block, written with the
  Functional API.
- :func:`lenet5` and :func:`alexnet` (chapter 6): two landmark architectures, rebuilt in modern Keras to
  count their parameters.
- :func:`fashion_mnist_reference` (chapter 7): the deep reference model of the capstone, 1,413,834
  parameters.
- :func:`fashion_mnist_compact` (chapter 7): a small model designed for CPUs (batch normalisation, few
  early filters, a global-average-pooling head, mirrored images), compiled by :func:`compile_compact` with
  :func:`compact_optimizer` (AdamW, ``COMPACT_PEAK_LEARNING_RATE`` reached after a warm-up, then a cosine
  decay) and trained in batches of ``COMPACT_BATCH_SIZE`` for ``COMPACT_EPOCHS`` epochs. Its switches undo
  one change at a time, as ``benchmarks/fashion_mnist.py --ablation`` does, or add :class:`RandomErasing`.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import partial

import keras

MNIST_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


POOLINGS = ("max", "average", None)
_POOLING_LAYERS = {"max": keras.layers.MaxPooling2D, "average": keras.layers.AveragePooling2D}
_CONVNET_NAMES = {"max": "convnet", "average": "convnet_average_pooling", None: "convnet_without_pooling"}


def mnist_convnet(pooling: str | bool | None = "max") -> keras.Model:
    """Chapter 6's convnet: Conv2D 32, 64, 128 (3x3, ReLU), two 2x2 max pools, Flatten, Dense 10.

    ``pooling`` says what sits after the first two convolutions:

    - ``"max"`` (or ``True``): ``MaxPooling2D(2)``, the convnet the chapter trains first (named ``convnet``);
    - ``"average"``: ``AveragePooling2D(2)`` in the same places, the control of chapter 6's shift experiment.
      Averaging has no weights either, so the two models have the same layers, maps, receptive field (18
      pixels) and parameters, and with the same seed the same initial weights: they differ by the maximum
      against the mean, and nothing else;
    - ``None`` (or ``False``): no pooling. The three convolutions follow each other, every feature map stays
      large (22x22 after the last layer), the Flatten layer has 61,952 values and the Dense layer holds most
      of the parameters.
    """
    if isinstance(pooling, bool):
        pooling = "max" if pooling else None
    if pooling not in POOLINGS:
        raise ValueError(f"pooling={pooling!r} is not one of {POOLINGS}")
    conv = partial(keras.layers.Conv2D, kernel_size=3, activation="relu")
    layers = [keras.Input(shape=MNIST_SHAPE), conv(32)]
    if pooling:
        layers.append(_POOLING_LAYERS[pooling](2))
    layers.append(conv(64))
    if pooling:
        layers.append(_POOLING_LAYERS[pooling](2))
    layers += [conv(128), keras.layers.Flatten(), keras.layers.Dense(NUM_CLASSES, activation="softmax")]
    return keras.Sequential(layers, name=_CONVNET_NAMES[pooling])


def dense_network(units: int = 512) -> keras.Model:
    """A fully connected baseline for 28x28 images: Flatten, Dense(units, ReLU), Dense 10 (chapter 6)."""
    return keras.Sequential([
        keras.Input(shape=MNIST_SHAPE),
        keras.layers.Flatten(),
        keras.layers.Dense(units, activation="relu"),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="dense_network")


def mnist_convnet_strided() -> keras.Model:
    """:func:`mnist_convnet` with each max pooling replaced by a learned subsampling (chapter 6).

    Each ``MaxPooling2D(2)`` becomes a ``DepthwiseConv2D(2, strides=2)``: every channel is subsampled on its
    own with a learned 2x2 kernel at stride 2, a weighted sum. Window, stride, map sizes (26, 13, 11, 5, 3),
    receptive field (18 pixels) and Dense layer (11,530 weights) are those of the convnet with pooling, but it is
    no control for the maximum: it adds 480 weights (the two kernels and their biases), and its kernel is
    learned without constraint, so it can learn an average, but also to keep one pixel of each window and drop
    the others (chapter 5: it can never learn the maximum). Chapter 6 shows it to say why its shift experiment
    uses average pooling (``mnist_convnet(pooling="average")``) as the control instead.
    """
    conv = partial(keras.layers.Conv2D, kernel_size=3, activation="relu")
    subsample = partial(keras.layers.DepthwiseConv2D, kernel_size=2, strides=2)
    return keras.Sequential([
        keras.Input(shape=MNIST_SHAPE),
        conv(32), subsample(),
        conv(64), subsample(),
        conv(128), keras.layers.Flatten(), keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="convnet_strided")


def residual_block(x, filters: int, strides: int = 1):
    """ResNet's basic block (He et al., 2016) applied to a tensor ``x``, with the Functional API (chapter 6).

    Chapter 6 writes the same block out in its own cell, where it is taught, and checks that it counts the same
    parameters, layer by layer, as this builder, which the tests check and later code reuses.

    Two 3x3 convolutions, each followed by batch normalisation (the convolutions have no bias: BN adds its
    own shift), the first with a ReLU; then the block's input is **added** to their output and a ReLU
    follows. The addition is what the Sequential API cannot write: a layer that takes two inputs, one of
    them from further back. When the block changes the shape (a stride above 1, or another number of
    filters), the shortcut is a 1x1 convolution with that stride and batch normalisation, so that the two
    tensors added have the same shape.

    Args:
        x: a tensor [batch, height, width, channels] from ``keras.Input`` or a layer before.
        filters: channels of the block's output.
        strides: stride of the first convolution (and of the shortcut); 2 halves height and width.
    """
    conv = partial(keras.layers.Conv2D, kernel_size=3, padding="same", use_bias=False,
                   kernel_initializer="he_normal")
    y = conv(filters, strides=strides)(x)
    y = keras.layers.BatchNormalization()(y)
    y = keras.layers.ReLU()(y)
    y = conv(filters)(y)
    y = keras.layers.BatchNormalization()(y)
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        shortcut = keras.layers.Conv2D(filters, 1, strides=strides, use_bias=False,
                                       kernel_initializer="he_normal")(x)
        shortcut = keras.layers.BatchNormalization()(shortcut)
    return keras.layers.ReLU()(keras.layers.Add()([shortcut, y]))


def residual_block_model(input_shape: tuple[int, int, int] = (28, 28, 32), filters: int = 32,
                         strides: int = 1) -> keras.Model:
    """One :func:`residual_block` as a whole model, which chapter 6 compares its own block with.

    With the defaults the block keeps its input's shape (28x28x32) and the shortcut is the input itself:
    18,688 parameters, 18,432 in the two convolutions and 256 in the two batch normalisations (128 of them
    moving statistics, not trained).
    """
    inputs = keras.Input(shape=input_shape)
    return keras.Model(inputs, residual_block(inputs, filters, strides), name="residual_block")


def lenet5() -> keras.Model:
    """LeNet-5 (LeCun et al., 1998) as it is usually rebuilt today, for 32x32 grayscale digits (chapter 6).

    C1 6@5x5 - S2 average pool - C3 16@5x5 - S4 average pool - C5 120 - F6 84 - 10 outputs, with tanh.
    The original's C3 connected each of its 16 maps to only some of the 6 maps below, its pooling
    layers had a trainable coefficient and bias, and its output layer used radial basis functions, so
    this version has a few more weights (61,706) than the paper's "60,000 trainable parameters".
    """
    conv = partial(keras.layers.Conv2D, kernel_size=5, activation="tanh")
    return keras.Sequential([
        keras.Input(shape=(32, 32, 1)),
        conv(6), keras.layers.AveragePooling2D(2),
        conv(16), keras.layers.AveragePooling2D(2),
        keras.layers.Flatten(),
        keras.layers.Dense(120, activation="tanh"),
        keras.layers.Dense(84, activation="tanh"),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="lenet5")


def alexnet() -> keras.Model:
    """AlexNet (Krizhevsky et al., 2012) on one device, for 227x227 RGB images and 1,000 classes (chapter 6).

    Five convolutions (96@11x11 stride 4, 256@5x5, 384, 384 and 256 @3x3) with three 3x3/2 max pools,
    then Dense 4096 - 4096 - 1000 with dropout. The original split three convolutions into two groups
    across two GPUs (and normalised responses locally), which removes about 1.4 million weights:
    the paper speaks of 60 million parameters, this single-device version has 62,378,344.
    """
    conv = partial(keras.layers.Conv2D, activation="relu", padding="same")
    pool = partial(keras.layers.MaxPooling2D, pool_size=3, strides=2)
    return keras.Sequential([
        keras.Input(shape=(227, 227, 3)),
        keras.layers.Conv2D(96, 11, strides=4, activation="relu"), pool(),
        conv(256, 5), pool(),
        conv(384, 3), conv(384, 3), conv(256, 3), pool(),
        keras.layers.Flatten(),
        keras.layers.Dense(4096, activation="relu"), keras.layers.Dropout(0.5),
        keras.layers.Dense(4096, activation="relu"), keras.layers.Dropout(0.5),
        keras.layers.Dense(1000, activation="softmax"),
    ], name="alexnet")


# The default convolution of chapter 7's reference model: 3x3, "same" padding, ReLU, He initialisation.
DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, padding="same", activation="relu",
                        kernel_initializer="he_normal")


def fashion_mnist_reference() -> keras.Model:
    """Chapter 7's reference model (after Géron, *Hands-On Machine Learning*, chapter 14).

    Conv2D 64 (7x7) - max pool - 2 x Conv2D 128 - max pool - 2 x Conv2D 256 - max pool - Flatten -
    Dense 128 - Dropout 0.5 - Dense 64 - Dropout 0.5 - Dense 10 (softmax), 1,413,834 parameters.
    Filters double after each pooling layer while the maps shrink 28 -> 14 -> 7 -> 3.
    """
    dense = partial(keras.layers.Dense, activation="relu", kernel_initializer="he_normal")
    return keras.Sequential([
        keras.Input(shape=MNIST_SHAPE),
        DefaultConv2D(filters=64, kernel_size=7),
        keras.layers.MaxPooling2D(),
        DefaultConv2D(filters=128),
        DefaultConv2D(filters=128),
        keras.layers.MaxPooling2D(),
        DefaultConv2D(filters=256),
        DefaultConv2D(filters=256),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        dense(128),
        keras.layers.Dropout(0.5),
        dense(64),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(NUM_CLASSES, activation="softmax"),
    ], name="reference")


# How chapter 7 and the benchmark train the compact model.
DEFAULT_FLIP_SEED = 42
COMPACT_BATCH_SIZE = 128
COMPACT_EPOCHS = 10
# The side of the square RandomErasing blanks during training; 0: none. Chapter 7's ablation tried 8 (alone and
# with 15 epochs) and no seed-paired interval put it above the recipe without it, so the recipe has none.
COMPACT_ERASING = 0
COMPACT_FILTERS = (16, 32, 64)
# AdamW's peak learning rate (reached after the warm-up), its decoupled weight decay, and the share of the
# training steps spent warming up; chapter 7 states them.
COMPACT_PEAK_LEARNING_RATE = 3e-3
COMPACT_WEIGHT_DECAY = 1e-4
COMPACT_WARMUP_SHARE = 0.1
# The compact model's switches: its head, and its learning-rate schedule.
HEADS = ("global_average", "flatten")
SCHEDULES = ("warmup_cosine", "constant")


@keras.saving.register_keras_serializable(package="cnn_course")
class RandomErasing(keras.layers.Layer):
    """During training, blank a random ``size`` x ``size`` square of each image (Cutout; DeVries and Taylor, 2017).

    The square is set to 0, the mean pixel of standardised images; its centre falls anywhere in the image, so a
    square near an edge is partly outside it. A network that cannot count on any one region (a collar, a sole)
    must use the rest of the garment too. At inference the layer passes images through unchanged. Keras's own
    ``RandomErasing`` arrived after Keras 3.0, the oldest version the course supports.

    Input and output: images ``[batch, height, width, channels]``.
    """

    def __init__(self, size: int = 8, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.size = size
        self.seed = seed
        self.generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        if not training:
            return images
        ops = keras.ops
        shape = ops.shape(images)
        batch, height, width = shape[0], shape[1], shape[2]
        top = keras.random.randint((batch, 1, 1, 1), 0, height, seed=self.generator) - self.size // 2
        left = keras.random.randint((batch, 1, 1, 1), 0, width, seed=self.generator) - self.size // 2
        rows = ops.reshape(ops.arange(height), (1, -1, 1, 1))
        columns = ops.reshape(ops.arange(width), (1, 1, -1, 1))
        inside = ((rows >= top) & (rows < top + self.size)) & ((columns >= left) & (columns < left + self.size))
        return images * (1 - ops.cast(inside, images.dtype))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "size": self.size, "seed": self.seed}


def _conv_bn_relu(x, filters: int):
    """A 3x3 convolution without bias (batch normalisation adds its own shift), then BN, then ReLU.

    The moving mean and variance that batch normalisation uses at inference follow the batches with
    momentum 0.9 rather than Keras's 0.99, so that they settle after tens of training steps instead of
    hundreds: a short run (quick mode, a first epoch) then evaluates with sensible statistics.
    """
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer="he_normal")(x)
    x = keras.layers.BatchNormalization(momentum=0.9)(x)
    return keras.layers.ReLU()(x)


def _conv_relu(x, filters: int):
    """A 3x3 convolution with its bias, then ReLU: :func:`_conv_bn_relu` without batch normalisation."""
    x = keras.layers.Conv2D(filters, 3, padding="same", kernel_initializer="he_normal")(x)
    return keras.layers.ReLU()(x)


def fashion_mnist_compact(filters: tuple[int, int, int] = COMPACT_FILTERS, *, batch_norm: bool = True,
                          head: str = "global_average", mirroring: bool = True, erasing: int = COMPACT_ERASING,
                          flip_seed: int = DEFAULT_FLIP_SEED) -> keras.Model:
    """Chapter 7's compact model, designed to train fast on a CPU.

    One convolution at full resolution (28x28, where every layer is expensive), then two at 14x14 and
    two at 7x7, each followed by batch normalisation and ReLU; a global average pooling head replaces
    Flatten and the dense layers, so the classifier has one weight per feature map and class. During
    training, a random horizontal flip shows each garment mirrored half of the time (a left sleeve is
    as good as a right one): more varied images at almost no cost. It is inactive at inference.

    The switches undo one of these choices each, to measure what it buys: ``batch_norm=False`` gives the
    convolutions their biases back and no normalisation, ``head="flatten"`` puts ``Flatten`` before the
    softmax layer, ``mirroring=False`` drops the flip. ``erasing=8`` adds :class:`RandomErasing` with 8x8
    squares after the flip. ``flip_seed`` seeds the flip's and the erasing's own random numbers (a run's seed
    should set it too).
    """
    if head not in HEADS:
        raise ValueError(f"head={head!r} is not one of {HEADS}")
    block = _conv_bn_relu if batch_norm else _conv_relu
    first, second, third = filters
    inputs = x = keras.Input(shape=MNIST_SHAPE)
    if mirroring:
        x = keras.layers.RandomFlip("horizontal", seed=flip_seed)(x)
    if erasing:
        x = RandomErasing(erasing, seed=flip_seed)(x)
    x = block(x, first)
    x = keras.layers.MaxPooling2D()(x)
    x = block(x, second)
    x = block(x, second)
    x = keras.layers.MaxPooling2D()(x)
    x = block(x, third)
    x = block(x, third)
    x = keras.layers.GlobalAveragePooling2D()(x) if head == "global_average" else keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax")(x)
    changes = [name for name, undone in (("without_batch_norm", not batch_norm), ("flatten_head", head == "flatten"),
                                         ("without_mirroring", not mirroring), ("erasing", erasing)) if undone]
    return keras.Model(inputs, outputs, name="_".join(["compact", *changes]))


def compact_learning_rate(total_steps: int, schedule: str = "warmup_cosine",
                          peak_learning_rate: float = COMPACT_PEAK_LEARNING_RATE,
                          warmup_share: float = COMPACT_WARMUP_SHARE):
    """The compact model's learning rate: a Keras schedule (step -> rate), or a constant float (chapter 7).

    ``"warmup_cosine"`` rises linearly from 0 to ``peak_learning_rate`` over the first ``warmup_share`` of
    the ``total_steps`` training batches, then follows a cosine down to 0. ``"constant"`` stays at the peak
    rate from the first step to the last.
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule={schedule!r} is not one of {SCHEDULES}")
    if schedule == "constant":
        return peak_learning_rate
    if total_steps < 2:
        raise ValueError(f"the schedule needs at least 2 training steps, got {total_steps}")
    warmup_steps = max(1, int(total_steps * warmup_share))
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=0.0, decay_steps=total_steps - warmup_steps, alpha=0.0,
        warmup_target=peak_learning_rate, warmup_steps=warmup_steps)


OPTIMIZERS = ("adamw", "nadam")


def compact_optimizer(total_steps: int, peak_learning_rate: float = COMPACT_PEAK_LEARNING_RATE,
                      weight_decay: float = COMPACT_WEIGHT_DECAY, warmup_share: float = COMPACT_WARMUP_SHARE,
                      schedule: str = "warmup_cosine", optimizer: str = "adamw"):
    """AdamW whose learning rate warms up linearly, then follows a cosine down to 0 (chapter 7).

    The warm-up spares the freshly initialised network large steps; the cosine decay lets the last
    epochs settle into a minimum. ``total_steps`` is the number of training batches of the whole run.
    ``schedule="constant"`` keeps the peak rate throughout instead (see :func:`compact_learning_rate`);
    ``optimizer="nadam"`` swaps Adam's update for Nadam's (Nesterov momentum), with the same decoupled weight
    decay, and ``weight_decay=0`` turns the decay off: the ablation's variants.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer={optimizer!r} is not one of {OPTIMIZERS}")
    rate = compact_learning_rate(total_steps, schedule, peak_learning_rate, warmup_share)
    if optimizer == "nadam":
        return keras.optimizers.Nadam(learning_rate=rate, weight_decay=weight_decay or None)
    return keras.optimizers.AdamW(learning_rate=rate, weight_decay=weight_decay)


def compile_compact(model, n_train: int, *, batch_size: int = COMPACT_BATCH_SIZE, epochs: int = COMPACT_EPOCHS,
                    schedule: str = "warmup_cosine", peak_learning_rate: float = COMPACT_PEAK_LEARNING_RATE,
                    weight_decay: float = COMPACT_WEIGHT_DECAY, optimizer: str = "adamw"):
    """Compile a compact model as chapter 7 trains it, for :func:`cnn_course.training.train` on ``n_train`` images.

    The schedule spans the run that ``train`` will do in the current mode (quick mode: fewer images and
    epochs), which is why it needs the batch size and the epochs. The other arguments are the ablation's
    (see :func:`compact_optimizer`). Returns the model.
    """
    from cnn_course.training import training_steps

    steps = training_steps(n_train, batch_size, epochs)
    model.compile(optimizer=compact_optimizer(steps, peak_learning_rate, weight_decay, schedule=schedule,
                                              optimizer=optimizer),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


# Keras draws its summary table with heavy box lines, the same character as its progress bars, which
# the course keeps out of stored outputs; light lines draw the same table.
_LIGHT_LINES = str.maketrans("━┏┳┓┃┡╇┩", "─┌┬┐│├┼┤")


def _discard_displays():
    """A context that swallows what is sent to a notebook's display while it is open.

    Keras renders its summary with ``rich``, which in a notebook also sends an empty HTML block to the display
    when capturing ends: without this, every summary would sit under an empty box on the site.
    """
    try:
        from IPython.utils.capture import capture_output
    except ImportError:  # outside IPython there is no display to keep clean
        return nullcontext()
    return capture_output(stdout=False, stderr=False, display=True)


def print_summary(model, line_length: int = 80) -> None:
    """Print ``model.summary()`` as Keras renders it, with light box lines and at most ``line_length`` wide."""
    parts: list[str] = []
    with _discard_displays():
        model.summary(line_length=line_length, print_fn=lambda text, line_break=False: parts.append(text))
    print("".join(parts).translate(_LIGHT_LINES).rstrip())

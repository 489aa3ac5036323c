"""Exercises of chapter 6, CNN architectures."""

from cnn_course.checks import Exercise, choice, number
from cnn_course.strides import receptive_field_size

# Q1: parameters of a convolution on 32 channels
q1 = Exercise(
    title="Q1, parameters of a Conv2D layer",
    checker=number(
        3 * 3 * 32 * 64 + 64,
        mistakes={
            3 * 3 * 32 * 64: "that counts the weights only; each of the 64 filters also has a bias.",
            3 * 3 * 64 + 64: "a kernel spans every input channel: each filter has 3 x 3 x 32 weights, not 3 x 3.",
            3 * 3 * 64: "a kernel spans every input channel (3 x 3 x 32 weights per filter), and each filter "
                        "has a bias.",
            3 * 3 * 32 + 1: "that is one filter; the layer has 64 of them.",
            3 * 3 * 32 * 64 + 32: "there is one bias per filter (output channel), so 64 biases, not 32.",
        },
    ),
    hint="Count the weights of one filter (it spans all input channels), add its bias, then multiply by the "
         "number of filters.",
    solution="solution_q1 = 3 * 3 * 32 * 64 + 64  # 18,496: keras.layers.Conv2D(64, 3) on 32 channels agrees",
    praise="The image size does not appear anywhere: weights are shared across positions.",
)

# Q2: receptive field through conv 3 - pool 2 - conv 3
_q2 = receptive_field_size([3, 2, 3], strides=[1, 2, 1])

q2 = Exercise(
    title="Q2, a receptive field through a pooling layer",
    checker=number(
        _q2,
        mistakes={
            receptive_field_size([3, 3]): "that skips the pooling layer; its 2x2 window widens the field too.",
            receptive_field_size([3, 2, 3]): "that ignores the pooling's stride of 2: after it, neighbouring "
                                             "neurons are 2 input pixels apart, so the last 3x3 window "
                                             "spans 2 x (3 - 1) more pixels.",
            3 * 2 * 3: "fields do not multiply: each layer adds (kernel - 1) times the product of the "
                       "strides below it.",
            7: "the pooling's window (2) adds 1 pixel and its stride doubles what the last layer adds: "
               "3, then 4, then 4 + 2 x 2.",
        },
    ),
    hint="Follow the field up the stack: each layer adds (kernel size - 1) times the product of the strides "
         "of the layers below it.",
    solution="solution_q2 = receptive_field_size([3, 2, 3], strides=[1, 2, 1])  # 3, then 3 + 1 = 4, "
             "then 4 + 2 * 2 = 8",
    praise="Each pooling layer doubles how fast the field grows from then on.",
)

# Q3: Flatten size of the convnet without pooling on 32x32 images
_q3_side = 32 - 2 - 2 - 2

q3 = Exercise(
    title="Q3, Flatten without pooling",
    checker=number(
        _q3_side ** 2 * 128,
        mistakes={
            (32 - 2) ** 2 * 128: "that is after one convolution; each of the three 3x3 'valid' layers takes "
                                 "2 rows and 2 columns off.",
            (32 - 3 - 3 - 3) ** 2 * 128: "a 3x3 'valid' convolution takes f - 1 = 2 rows off, not 3.",
            _q3_side ** 2 * 64: "the last convolution has 128 filters, so 128 values per position.",
            _q3_side ** 2: "each position holds one value per filter of the last layer: multiply by 128.",
            22 * 22 * 128: "that is for the 28x28 images of the chapter; the images here are 32x32.",
        },
    ),
    hint="Follow the height through the three 3x3 convolutions (no padding), then multiply height, width "
         "and the number of filters of the last layer.",
    solution="solution_q3 = (32 - 2 - 2 - 2) ** 2 * 128  # 26 x 26 x 128 = 86,528",
    praise="Four more pixels per side of the input add almost 25,000 inputs to the dense layer.",
)

# Q4: dropout's rescaling
q4 = Exercise(
    title="Q4, dropout's rescaling",
    checker=number(
        5.0 / (1 - 0.2),
        rel_tol=1e-6,
        mistakes={
            5.0: "a kept unit is not passed on unchanged in training: Keras scales it so that the mean stays "
                 "the same when 20% of the units are dropped.",
            5.0 * (1 - 0.2): "multiplying by 1 - p is what the original dropout did at inference time; Keras "
                             "divides by 1 - p during training instead.",
            5.0 * 0.2: "the rate 0.2 is the probability of dropping a unit; kept units are divided by 1 - 0.2.",
            5.0 / 0.2: "divide by the probability of *keeping* the unit, 1 - 0.2, not by the rate.",
            0.0: "the unit was kept, not dropped.",
        },
    ),
    hint="In training, Keras divides every kept value by the probability of keeping a unit.",
    solution="solution_q4 = 5.0 / (1 - 0.2)  # 6.25",
    praise="At inference the same unit passes 5.0 unchanged; on average both give 5.",
)

# Q5: why the convnet without pooling has so many parameters
q5 = Exercise(
    title="Q5, where the parameters went",
    checker=choice(
        "b",
        {
            "a": "both convnets have the same three convolutions, with 32, 64 and 128 filters.",
            "b": "",
            "c": "pooling layers have no weights at all: they only take a maximum.",
            "d": "both convnets use the same 3x3 kernels.",
        },
    ),
    hint="Compare the two summaries layer by layer: which layer's parameter count changes?",
    solution='solution_q5 = "b"  # Flatten outputs 22 x 22 x 128 = 61,952 values instead of 1,152, '
             "so Dense(10) has 619,530 weights",
    praise="The convolutions' parameters never depend on the size of the maps; a dense layer's do.",
)

EXERCISES = [q1, q2, q3, q4, q5]

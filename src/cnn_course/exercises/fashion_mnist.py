"""Exercises of chapter 7, Fashion-MNIST."""

from cnn_course.checks import Exercise, choice, number, shape
from cnn_course.models import COMPACT_FILTERS

# Q1: the statistics of Fashion-MNIST's first 55,000 training images, and of all 60,000 (a slip to name);
# tests/test_exercises_fashion_mnist.py recomputes them from the dataset.
TRAIN_MEAN, TRAIN_STD = 72.8834129174397, 89.99898759664782
ALL_MEAN, ALL_STD = 72.94035223214286, 90.02118235130526

q1 = Exercise(
    title="Q1, a standardised pixel",
    checker=number(
        (255 - TRAIN_MEAN) / TRAIN_STD,
        rel_tol=1e-4,
        abs_tol=6e-4,
        mistakes={
            1.0: "that is 255 / 255, scaling to [0, 1]; this chapter standardises: subtract the mean, then divide "
                 "by the standard deviation.",
            255 - TRAIN_MEAN: "you subtracted the mean; now divide by the standard deviation.",
            255 / TRAIN_STD: "subtract the mean first, then divide by the standard deviation.",
            (255 - ALL_MEAN) / ALL_STD: "those are the statistics of all 60,000 images, validation images "
                                        "included; use the training images' `mean` and `std` only.",
            255.0: "a pixel keeps its value only before standardisation.",
        },
    ),
    hint="Standardising subtracts the training mean and divides by the training standard deviation.",
    solution="solution_q1 = (255 - mean) / std  # about 2.024: white is two standard deviations above the mean",
    praise="Black pixels (0) become about -0.81: most pixels are background, so the mean is dark.",
)

q2 = Exercise(
    title="Q2, the first layer's parameters",
    checker=number(
        7 * 7 * 1 * 64 + 64,
        mistakes={
            7 * 7 * 64: "that counts the weights only; each of the 64 filters also has a bias.",
            7 * 7 * 3 * 64 + 64: "Fashion-MNIST is grayscale: one input channel, not three.",
            7 * 7 + 1: "that is one filter; the layer has 64.",
            3 * 3 * 64 + 64: "the first layer's kernels are 7x7, not 3x3.",
        },
    ),
    hint="Weights per filter: kernel height x kernel width x input channels; then a bias per filter.",
    solution="solution_q2 = 7 * 7 * 1 * 64 + 64  # 3,200, as reference.layers[0].count_params() says",
    praise="A 7x7 kernel on one channel costs as much as a 3x3 kernel on about five channels.",
)

q3 = Exercise(
    title="Q3, the shape after the last pooling layer",
    checker=shape(
        (None, 3, 3, 256),
        mistakes={
            (None, 4, 4, 256): "MaxPooling2D pads nothing by default: 7 rows give floor(7 / 2) = 3, not 4.",
            (None, 7, 7, 256): "that is the shape before the last pooling layer, which halves 7x7.",
            (None, 3, 3, 128): "the last convolutions have 256 filters, and pooling keeps the depth.",
            (None, 2304): "that is after Flatten; the pooling layer still outputs maps.",
        },
    ),
    hint="Follow the height: 28 with 'same' padding, then three 2x2 max poolings, each rounding down.",
    solution="solution_q3 = (None, 3, 3, 256)  # 28 -> 14 -> 7 -> 3, with 256 maps",
    praise="Flatten then lays these 3 x 3 x 256 = 2,304 values in a vector.",
)

q4 = Exercise(
    title="Q4, choosing the number of epochs",
    checker=choice(
        "b",
        {
            "a": "choosing anything with the test set makes its score optimistic: the test set is scored once, "
                 "at the very end.",
            "b": "",
            "c": "training accuracy keeps rising as the model memorises its images; it cannot tell when the "
                 "model stops generalising.",
            "d": "any use of the test images in a decision leaks them: keep them for the final score.",
        },
    ),
    hint="Which set does the model never train on, and is not kept for the final score?",
    solution='solution_q4 = "b"  # the validation set; the test set is for the final, single evaluation',
    praise="With a validation set, the test score stays an honest estimate of new images.",
)

_q5_maps = COMPACT_FILTERS[-1]

q5 = Exercise(
    title="Q5, a global-average-pooling head",
    checker=number(
        _q5_maps * 10 + 10,
        mistakes={
            _q5_maps * 10: "that counts the weights only; each of the 10 output units also has a bias.",
            7 * 7 * _q5_maps * 10 + 10: "that is for Flatten on 7x7 maps; global average pooling keeps one "
                                        "number per map.",
            10: "the Dense layer has a weight for each of its inputs, one per feature map, for each class.",
        },
    ),
    hint="GlobalAveragePooling2D outputs one number per feature map; the Dense layer connects them to 10 units.",
    solution="solution_q5 = 64 * 10 + 10  # 650: one weight per map and class, and 10 biases",
    praise="A Flatten head on the same 7x7 maps would have 31,370.",
)

EXERCISES = [q1, q2, q3, q4, q5]

"""Exercises of chapter 7, Fashion-MNIST.

Each asks for something the chapter's outputs do not print: a standardised value to three decimals, the shape
and the cost of a layer after a change to the compact model, the confusion such a change should help, and
which images should choose the number of epochs.

The notebook's exercise cells follow these definitions: each question's markdown cell says what is asked below
(``q1`` to ``q5``, in this order), its learner's cell holds ``answer = ...`` and ``qN.check(answer)``, and its
hidden solution cell runs ``qN.solution()``, sets ``solution_qN`` to the value of the solution below and checks it.
Questions for the markdown cells:

- **Q1.** A training pixel has the value 255. With the training set's mean and standard deviation computed above
  (``mean`` and ``std``), what is its standardised value? Answer with a number, to three decimals.
- **Q2.** Remove the compact model's second ``MaxPooling2D`` layer (the one after its two 32-filter
  convolutions). What is then the output shape of its last convolution, batch axis included (as
  ``model.summary()`` writes it)?
- **Q3.** The compact model's second convolution (``conv2d_1``: 32 filters of 3x3 on 16 channels, "same"
  padding) runs on 14x14 maps, after the first ``MaxPooling2D``. Without that pooling layer it would run on
  28x28 maps. How many multiply-accumulates would that one layer then cost per image?
- **Q4.** You want to choose how many epochs to train for. Which images should tell you? (a) the
  test images; (b) the validation images; (c) the training images; (d) the validation and the test images
  together.
- **Q5.** Without its first pooling layer (Q3), the compact model's next convolutions see every garment at full
  resolution. Which confusion should that help most? Answer with a letter: (a) Trouser and Bag; (b) Sneaker and
  Ankle boot; (c) Shirt and T-shirt/top; (d) Dress and Bag.
- **Q6.** Two recipes trained on the same three seeds (42, 43, 44) reach these validation accuracies: A 0.9330,
  0.9215, 0.9270; B 0.9220, 0.9103, 0.9160. Their ranges overlap. Compute the 95% interval of the paired
  difference, A minus B (``paired_difference`` from ``cnn_course.experiments`` does it, or Student's t by hand),
  and answer with a letter: (a) A is more accurate: the interval lies above 0; (b) these seeds cannot tell them
  apart, since the ranges overlap; (c) nothing can be said from three seeds; (d) B is more accurate.
- **Q7.** A model classifies 92% of the 10,000 test images correctly. What is the standard error of that
  accuracy? Answer with a number, to four decimals.
"""

import math

from cnn_course.checks import Exercise, choice, number, shape
from cnn_course.experiments import paired_difference
from cnn_course.models import COMPACT_FILTERS

# Q1: the statistics of Fashion-MNIST's first 55,000 training images, and of all 60,000 (a slip to name);
# tests/test_exercises_fashion_mnist.py recomputes them from the dataset.
TRAIN_MEAN, TRAIN_STD = 72.8834129174397, 89.99898759664782
ALL_MEAN, ALL_STD = 72.94035223214286, 90.02118235130526

q1 = Exercise(
    title="Q1, a standardised pixel",
    checker=number(
        (255 - TRAIN_MEAN) / TRAIN_STD,  # 2.0235: 2.024 to three decimals, 2.023 if truncated
        rel_tol=1e-4,
        abs_tol=6e-4,
        mistakes={
            1.0: "that is 255 / 255, scaling to [0, 1]; this chapter standardises: subtract the mean, then divide "
                 "by the standard deviation.",
            255 - TRAIN_MEAN: "you subtracted the mean; now divide by the standard deviation.",
            255 / TRAIN_STD: "subtract the mean first, then divide by the standard deviation.",
            (255 - ALL_MEAN) / ALL_STD: "those are the statistics of all 60,000 images, validation images "
                                        "included; use the training images' `mean` and `std` only.",
            2.02: "two decimals cannot tell the training images' statistics from those of all 60,000 images, "
                  "which also give 2.02: give three.",
            255.0: "a pixel keeps its value only before standardisation.",
        },
    ),
    hint="Standardising subtracts the training mean and divides by the training standard deviation.",
    solution="solution_q1 = (255 - mean) / std  # about 2.024: white is two standard deviations above the mean",
    praise="Black pixels (0) become about -0.81: most pixels are background, so the mean is dark.",
)

_first, _second, _third = COMPACT_FILTERS

q2 = Exercise(
    title="Q2, the shape without the second pooling layer",
    checker=shape(
        (None, 14, 14, _third),
        mistakes={
            (None, 7, 7, _third): "that is the shape with the second pooling layer. Without it, which layers "
                                  "still change the height and width of the maps?",
            (None, _third): "that is the output of global average pooling, after the last convolution.",
            (None, 28, 28, _third): "the first pooling layer is still there: it halves 28x28 to 14x14.",
            (None, 14, 14, _second): f"the last convolutions have {_third} filters, and a convolution outputs "
                                     "one map per filter.",
            (None, 10, 10, _third): "the convolutions use 'same' padding, which keeps height and width; "
                                    "14 - 2 - 2 = 10 would be 'valid' padding.",
        },
    ),
    hint="Follow the height: 28, halved once by the first pooling layer; 'same' padding keeps it through the "
         "convolutions. The depth is the number of filters of the last convolution.",
    solution=f"solution_q2 = (None, 14, 14, {_third})  # only the first pooling layer halves the maps",
    praise=f"Global average pooling still gives {_third} numbers, so the softmax layer keeps its "
           f"{_third * 10 + 10:,} parameters: that head does not care how large the maps are. A Flatten head would "
           f"grow from {7 * 7 * _third * 10 + 10:,} to {14 * 14 * _third * 10 + 10:,} parameters, and the last "
           "two convolutions would cost four times as much.",
)

_q3_positions, _q3_weights = 28 * 28 * _second, 3 * 3 * _first

q3 = Exercise(
    title="Q3, the cost of a convolution at full resolution",
    checker=number(
        _q3_positions * _q3_weights,
        mistakes={
            14 * 14 * _second * _q3_weights: "that is the layer as it is, on 14x14 maps; without the first pooling "
                                             "layer it sees 28x28 maps.",
            _q3_positions * 3 * 3: f"each of the {_second} filters has 3 x 3 x {_first} weights: one 3x3 kernel "
                                   "per input channel.",
            _second * _q3_weights: "that counts the layer's weights; each weight is used once at every output "
                                   "position.",
            28 * 14 * _second * _q3_weights: "the maps double in height and in width: four times as many "
                                             "positions, not two.",
        },
    ),
    hint="A convolution computes every output value (height x width x filters) with one multiply-accumulate per "
         "weight of its filter (3 x 3 x input channels).",
    solution=f"solution_q3 = 28 * 28 * {_second} * (3 * 3 * {_first})  # {_q3_positions * _q3_weights:,}: "
             "positions x filters x weights per filter",
    praise=f"Four times the {14 * 14 * _second * _q3_weights:,} of the layer as it is: halving height and width "
           "divides a convolution's cost by four, which is why the compact model puts a single, narrow "
           "convolution at full resolution. `cnn_course.benchmarking.multiply_accumulates(model)` counts every "
           "layer this way.",
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

q5 = Exercise(
    title="Q5, the confusion that finer detail should help",
    checker=choice(
        "c",
        {
            "a": "trousers and bags differ in their whole outline, which the model sees after pooling too: it "
                 "hardly ever confuses them.",
            "b": "an ankle boot rises above the ankle and a sneaker does not: a difference of outline, which "
                 "survives pooling.",
            "c": "",
            "d": "a dress and a bag differ in their whole shape, which coarse maps already show.",
        },
    ),
    hint="Which two classes share their outline and differ only by a few pixels (a collar, buttons)? Look at "
         "the most confused pairs and the gallery of mistakes.",
    solution='solution_q5 = "c"  # shirts and T-shirts share an outline; collars and buttons are a few pixels',
    praise="Only a run can tell how much it helps: train the changed model and compare its validation confusion "
           "matrix with the compact model's, at four times the cost of that layer.",
)

# Q6: recipe A beats B by about 0.011 on every seed, while the seeds move both by more than that.
Q6_A, Q6_B = (0.9330, 0.9215, 0.9270), (0.9220, 0.9103, 0.9160)
_q6 = paired_difference(Q6_A, Q6_B)  # mean 0.0111, 95% interval 0.0108 to 0.0113

q6 = Exercise(
    title="Q6, a difference settled by its seeds, or not",
    checker=choice(
        "a",
        {
            "a": "",
            "b": "overlapping ranges mix two things: how much the seeds move both recipes (here by 0.01), and how "
                 "much A beats B on the same seed. Subtract seed by seed: 0.0110, 0.0112, 0.0110.",
            "c": "three seeds give wide intervals when the differences vary from seed to seed; these hardly vary, "
                 "so t = 4.30 times a tiny standard error is still small. Compute the interval.",
            "d": "on every seed A scores higher than B: subtract B from A seed by seed.",
        },
    ),
    hint="Subtract B from A seed by seed, then take the mean of the three differences, their standard deviation "
         "over the square root of 3, and Student's t with 2 degrees of freedom (4.30).",
    solution="solution_q6 = \"a\"  # paired_difference([0.9330, 0.9215, 0.9270], [0.9220, 0.9103, 0.9160]):\n"
             f"# differences 0.0110, 0.0112, 0.0110, mean {_q6.mean:.4f}, interval {_q6.low:.4f} to {_q6.high:.4f}",
    praise="The interval lies well above 0: what moved both recipes was the seed, and pairing by seed removes it. "
           "Ranges can overlap while one recipe wins on every seed by the same margin.",
)

# Q7: the binomial standard error of an accuracy p measured on n images, sqrt(p (1 - p) / n).
_Q7_P, _Q7_N = 0.92, 10_000

q7 = Exercise(
    title="Q7, the standard error of a test accuracy",
    checker=number(
        math.sqrt(_Q7_P * (1 - _Q7_P) / _Q7_N),  # 0.0027
        abs_tol=6e-5,
        mistakes={
            math.sqrt(_Q7_P * (1 - _Q7_P) / 5_000): "that is for the 5,000 validation images; the test set has "
                                                     "10,000.",
            _Q7_P * (1 - _Q7_P) / _Q7_N: "that is the variance of the accuracy; the standard error is its square "
                                         "root.",
            _Q7_P * (1 - _Q7_P) / math.sqrt(_Q7_N): "take the square root of the whole fraction, p (1 - p) / n, "
                                                    "not of n alone.",
            math.sqrt(_Q7_P / _Q7_N): "each image is right (probability p) or wrong (1 - p): the variance of one "
                                      "is p (1 - p), not p.",
            math.sqrt(_Q7_P * (1 - _Q7_P)): "that is the spread of one image's result (right or wrong); an "
                                            "accuracy averages 10,000 of them: divide the variance by n first.",
        },
    ),
    hint="Each test image is right or wrong, like a coin that lands heads with probability p = 0.92; the accuracy "
         "is the share of heads in n = 10,000 tosses.",
    solution="solution_q7 = math.sqrt(0.92 * (1 - 0.92) / 10_000)  # 0.0027; standard_error(0.92, 10_000)",
    praise="About 0.003: two models whose test accuracies differ by 0.005 lie within two standard errors of each "
           "other, which is why one run on one test set settles little.",
)

EXERCISES = [q1, q2, q3, q4, q5, q6, q7]

"""Exercises of chapter 1, the visual cortex."""

from cnn_course.checks import Exercise, choice, number

IMAGE_SIDE = 200
DENSE_NEURONS = 500

q1 = Exercise(
    title="Q1, a dense layer on a photo",
    checker=number(
        IMAGE_SIDE * IMAGE_SIDE * DENSE_NEURONS,
        mistakes={
            IMAGE_SIDE * DENSE_NEURONS: "the image has 200 x 200 pixels, not 200.",
            IMAGE_SIDE * IMAGE_SIDE * DENSE_NEURONS + DENSE_NEURONS: "the question counts connections "
            "(weights); leave out the 500 biases.",
            IMAGE_SIDE * IMAGE_SIDE * 3 * DENSE_NEURONS: "the photo is grayscale: one value per pixel.",
        },
    ),
    hint="Every one of the 500 neurons has one connection to every pixel.",
    solution="connections = 200 * 200 * 500  # 20,000,000 weights, and nothing learnt yet",
    praise="Twenty million weights in the first layer alone: this is why images need another architecture.",
)

q2 = Exercise(
    title="Q2, weight sharing",
    checker=number(
        10 * (5 * 5 + 1),
        mistakes={
            10 * 5 * 5: "each filter also has one bias.",
            5 * 5 + 1: "there are 10 filters, each with its own weights and bias.",
            IMAGE_SIDE * IMAGE_SIDE * 10 * (5 * 5 + 1): "neurons of one feature map share their weights: "
            "the count does not depend on the image size.",
        },
    ),
    hint="All neurons of one feature map share one 5 x 5 set of weights and one bias.",
    solution="parameters = 10 * (5 * 5 + 1)  # 260, whatever the size of the image",
    praise="260 parameters instead of millions, and the same layer works on any image size.",
)

q3 = Exercise(
    title="Q3, receptive fields grow",
    checker=number(
        5,
        mistakes={
            9: "the windows of neighbouring first-layer neurons overlap: they are not side by side.",
            6: "3 + 3 counts the shared pixels twice: moving one neuron over moves the window one pixel.",
            3: "that is the field of a first-layer neuron; the second layer sees three of those.",
            25: "that is a 5 x 5 square, the field of 3 x 3 windows in two dimensions; the question counts "
            "pixels along one row.",
        },
    ),
    hint="A first-layer neuron sees 3 pixels of the row; its right-hand neighbour sees the same pixels shifted "
    "by one. How many pixels do 3 neighbouring first-layer neurons see together?",
    solution="pixels = 3 + (3 - 1)  # 5: each extra 3-wide layer at stride 1 adds 2 pixels\n"
    "# the same as receptive_field_size([3, 3]); in 2D, 3x3 windows give a 5x5 field",
    praise="Each extra layer of 3-wide windows widens the field by 2 pixels: deep layers see large patterns.",
)

q4 = Exercise(
    title="Q4, a simple cell",
    checker=choice(
        "c",
        {
            "a": "a simple cell tuned to vertical edges barely responds to a horizontal bar: "
            "Hubel and Wiesel found cells tuned to one orientation.",
            "b": "simple cells respond to a small region of the visual field, not to the whole screen.",
            "c": "",
        },
    ),
    hint="Look again at the response maps: which edges of the temple light up in the 90-degree map?",
    solution="answer = 'c'  # it fires on vertical edges inside its small receptive field",
    praise="Orientation tuning and local receptive fields are the two ideas convolutional layers borrow.",
)

EXERCISES = [q1, q2, q3, q4]

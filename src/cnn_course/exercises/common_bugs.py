"""Check-yourself questions of the common-bugs page: read a symptom, name the bug."""

import math

from cnn_course.checks import Exercise, choice, number

# Q1: a loss that sits at ln(10)
q1 = Exercise(
    title="Q1, a loss stuck at 2.303",
    checker=choice(
        "c",
        {
            "a": "overfitting drives the training loss down, towards 0; this loss does not move at all.",
            "b": "labels in the wrong form stop training with an error about shapes before the first epoch; "
                 "this model trains, and learns nothing.",
            "c": "",
            "d": "Keras notices a softmax layer read as raw scores, warns and trains normally; and a softmax "
                 "applied twice leaves a floor under the loss, not a loss that never moves.",
        },
    ),
    hint="Which probabilities give a cross-entropy of exactly ln 10 with 10 classes, and what does it mean for a "
         "model to give them for every image?",
    solution="solution_q1 = 'c'  # ln 10 is the loss of probabilities of 0.1 for every class: the input is ignored",
    praise="A constant loss at ln(number of classes) is a model that has stopped looking; unscaled inputs that "
           "killed every ReLU are one way to get there.",
)

# Q2: the floor a double softmax puts under the loss, for 100 classes
Q2_CLASSES = 100
_q2_floor = math.log(Q2_CLASSES - 1 + math.e) - 1  # -log(e / (e + classes - 1)): softmax of a one-hot vector

q2 = Exercise(
    title="Q2, a softmax too many",
    checker=number(
        _q2_floor,
        abs_tol=0.0015,
        mistakes={
            round(math.log(Q2_CLASSES), 3): "that is the loss of a uniform guess; a double softmax still lets the "
                                            "model learn, down to a floor.",
            round(math.log(9 + math.e) - 1, 3): "that is the floor with 10 classes; this model has 100.",
            0: "the second softmax cannot give the right class a probability of 1, whatever the first one does.",
        },
    ),
    hint="The best the model's softmax can output is 1 for the right class and 0 for the other 99; what is the "
         "loss of that vector once a second softmax has been applied to it?",
    solution="solution_q2 = np.log(99 + np.e) - 1  # 3.622: the softmax of [1, 0, ..., 0] gives e / (e + 99)",
    praise="However good the model, its loss cannot go below that: a floor is the signature of a double softmax.",
)

# Q3: two evaluations of one model that disagree
q3 = Exercise(
    title="Q3, two scores for one model",
    checker=choice(
        "d",
        {
            "a": "unscaled inputs give a poor model, but the same poor score every time it is evaluated.",
            "b": "a validation split of unshuffled data misjudges the model during training; evaluating the "
                 "trained model twice on one test set still gives one number.",
            "c": "choosing the epoch on the test set biases the reported score; it does not make two evaluations "
                 "of the same weights disagree.",
            "d": "",
        },
    ),
    hint="Evaluating fixed weights on fixed images is a calculation: what could make it give two answers?",
    solution="solution_q3 = 'd'  # something random runs at evaluation: augmentation, or dropout in training mode",
    praise="A trained model scored twice on the same images must give the same number: make that a check.",
)

EXERCISES = [q1, q2, q3]

"""Exercises of chapter 8, what a convnet has learned, and how to reuse it.

Each asks the learner to compute or predict something the chapter's outputs do not print: the size of a class
activation map for another model, a Grad-CAM channel weight, the cost of another occlusion, the weights feature
extraction trains, what trainable batch normalisation does to fine-tuning, where Grad-CAM and CAM part, the
chance of a gain found by luck among many comparisons, and which maps the sanity check's first stage changes.

The notebook's exercise cells follow these definitions: each question's markdown cell says what is asked below
(``q1`` to ``q8``, in this order), its learner's cell holds ``answer = ...`` and ``qN.check(answer)``, and its
hidden solution cell runs ``qN.solution()``, sets ``solution_qN`` to the value of the solution below and checks it.
Questions for the markdown cells:

- **Q1.** A model takes 64x64 RGB images: ``Conv2D(32, 3, padding="same")``, ``MaxPooling2D(2)``,
  ``Conv2D(64, 3, padding="same")``, ``MaxPooling2D(2)``, ``Conv2D(128, 3, strides=2, padding="same")``,
  ``GlobalAveragePooling2D()``, ``Dense(5, activation="softmax")``. What is the shape (height, width) of the
  class activation map of one class for one image?
- **Q2.** The compact model's last feature maps are 7x7, and its dense layer's weight from channel 12 to the class
  "Bag" is 0.735. What is Grad-CAM's weight ``alpha`` for channel 12 and the class "Bag", for any image?
- **Q3.** Occlusion with a 6x6 patch every 2 pixels costs 144 predictions per 28x28 image. How many does a 4x4
  patch every 3 pixels cost (the patch always inside the image, as in ``occlusion_positions``)?
- **Q4.** Feature extraction freezes the base (64 features out) and trains a new ``Dense(2, activation="softmax")``
  head. How many weights does it train?
- **Q5.** You fine-tune the base's top convolution on a few hundred images of the two new classes, but leave its
  batch normalisation layers trainable, in training mode. What goes wrong? (a) nothing: batch normalisation only
  speeds training up; (b) they normalise with the statistics of batches of the two new classes and move their
  moving statistics towards them, so the features the new head was trained on shift under it; (c) the layers
  below the top convolution start training too; (d) the new head's weights are reset.
- **Q6.** A study compares 4 ways of learning at 5 label budgets: 20 paired comparisons, each with a 95%
  interval. If no way truly differs from another, what is the chance that at least one comparison comes out
  "settled" anyway? Treat the comparisons as independent; answer to two decimals.
- **Q7.** A head made of global average pooling, ``Dense(64, activation="relu")`` and the softmax layer: what holds
  for Grad-CAM on it? (a) before its ReLU it equals a class activation map up to a constant, as for a linear head;
  (b) its channel weights are the same for every image; (c) its channel weights depend on the image, through the
  hidden units that are on; (d) it cannot be computed, since the head is not one dense layer.
- **Q8.** The sanity check's first stage re-initialises only the compact model's dense layer: every convolution and
  batch normalisation keeps its trained weights. Which of the four maps of *Saliency and occlusion* change at that
  stage? (a) all four: the class activation map, Grad-CAM, saliency and occlusion; (b) only the class activation
  map and Grad-CAM, which weight the feature maps; (c) only saliency and occlusion, which look at pixels; (d) none:
  the feature maps come before the dense layer and do not change.
"""

import math

from cnn_course.checks import Exercise, choice, number, shape

# Q1: a class activation map has the resolution of the last feature maps
Q1_INPUT = 64
_q1_side = Q1_INPUT // 2 // 2 // 2  # two poolings, then a stride-2 "same" convolution: ceil(16 / 2) = 8
_q1_valid_side = (Q1_INPUT // 2 // 2 - 3) // 2 + 1  # the last convolution without padding: 7

q1 = Exercise(
    title="Q1, the size of a class activation map",
    checker=shape(
        (_q1_side, _q1_side),
        mistakes={
            (Q1_INPUT // 4, Q1_INPUT // 4): "that is the size after the two pooling layers; the last convolution "
                                            "has a stride of 2 too.",
            (Q1_INPUT, Q1_INPUT): "a class activation map weights the last feature maps: it has their resolution, "
                                  "not the input's (it is stretched over the image only to be drawn).",
            (_q1_side, _q1_side, 128): "that is the shape of the last feature maps; a class's map is their weighted "
                                       "sum over the 128 channels: one 2D map.",
            (_q1_side, _q1_side, 5): "that is every class's map at once; the question asks for one class.",
            (_q1_valid_side, _q1_valid_side): "that is \"valid\" padding; with \"same\" padding a stride of 2 gives "
                                              "ceil(n / 2) positions.",
            (1, 1): "global average pooling comes after the map: the map is its input, before the averaging.",
        },
    ),
    hint="A class activation map weights the last convolution's feature maps, so it has their height and width. "
         "Follow 64 through each layer that changes it (chapter 4's rule for \"same\" padding).",
    solution="model = keras.Sequential([keras.Input(shape=(64, 64, 3)),\n"
             "    keras.layers.Conv2D(32, 3, padding=\"same\"), keras.layers.MaxPooling2D(2),\n"
             "    keras.layers.Conv2D(64, 3, padding=\"same\"), keras.layers.MaxPooling2D(2),\n"
             "    keras.layers.Conv2D(128, 3, strides=2, padding=\"same\"),\n"
             "    keras.layers.GlobalAveragePooling2D(name=\"pooling\"),\n"
             "    keras.layers.Dense(5, activation=\"softmax\")])\n"
             "solution_q1 = explain.class_activation_map(model, np.zeros((1, 64, 64, 3)), 0).shape[1:]\n"
             "# (8, 8): 64 -> 32 -> 16 after the poolings, ceil(16 / 2) = 8 after the strided convolution",
    praise="Each of its 64 values covers an 8x8 block of the image: a coarse map, however sharp it looks once "
           "stretched and smoothed over the picture.",
)

# Q2: Grad-CAM's channel weight on a global-average-pooling + dense head
Q2_WEIGHT, Q2_SIDE = 0.735, 7
_q2_alpha = Q2_WEIGHT / Q2_SIDE**2

q2 = Exercise(
    title="Q2, a Grad-CAM channel weight",
    checker=number(
        _q2_alpha,
        rel_tol=1e-3,
        mistakes={
            Q2_WEIGHT: "that is the class activation map's weight; Grad-CAM averages the gradient over the map's "
                       "positions, and each position carries a share of it.",
            Q2_WEIGHT * Q2_SIDE**2: "that multiplies by the positions; global average pooling divides each position's "
                                    "value by their number, so the gradient at one position is smaller, not larger.",
            Q2_WEIGHT / Q2_SIDE: "a 7x7 map has more than 7 positions.",
        },
    ),
    hint="The class score is the mean over the map's positions of each channel, times the dense weight, plus a bias. "
         "What is its derivative with respect to one position of channel 12, and what is the mean of that over the "
         "map?",
    solution="solution_q2 = 0.735 / (7 * 7)  # 0.015: d score / d A_12(i, j) = 0.735 / 49 at every position",
    praise="The same at every position and for every image: on this head Grad-CAM is the class activation map "
           "divided by 49.",
)

# Q3: the cost of an occlusion map
Q3_SIZE, Q3_PATCH, Q3_STRIDE = 28, 4, 3
_q3_side = (Q3_SIZE - Q3_PATCH) // Q3_STRIDE + 1

q3 = Exercise(
    title="Q3, the cost of occlusion",
    checker=number(
        _q3_side**2,
        mistakes={
            (_q3_side - 1) ** 2: "that counts the steps between the first and the last position along each axis; "
                                 "add the first position.",
            math.ceil(Q3_SIZE / Q3_STRIDE) ** 2: "that places patches as \"same\" padding would, partly outside the "
                                                 "image; here each patch must fit inside.",
            (Q3_SIZE // Q3_PATCH) ** 2: "that tiles the image with patches side by side; they move by the stride, "
                                        "3 pixels, so they overlap.",
            _q3_side: "that is along one axis; the patch moves along both.",
            (Q3_SIZE - Q3_PATCH + 1) ** 2: "that moves the patch by one pixel at a time; the stride is 3.",
        },
    ),
    hint="Along one axis a 4-pixel patch can start at 0, 3, 6, ... as long as it ends inside the 28 pixels "
         "(chapter 4's rule for \"valid\" windows). One prediction per position in two dimensions.",
    solution="solution_q3 = len(explain.occlusion_positions(28, 4, 3)) ** 2  # 81: 9 positions along each axis",
    praise="Occlusion's cost grows with the positions, not with the network: a finer map costs more predictions, "
           "one per position and image.",
)

# Q4: the weights feature extraction trains
Q4_FEATURES, Q4_CLASSES = 64, 2
_q4_weights = Q4_FEATURES * Q4_CLASSES + Q4_CLASSES

q4 = Exercise(
    title="Q4, what feature extraction trains",
    checker=number(
        _q4_weights,
        mistakes={
            Q4_FEATURES * Q4_CLASSES: "each of the two output units also has a bias.",
            Q4_FEATURES + 1: "a softmax layer for two classes has two units, each with its own weights.",
            Q4_FEATURES * 10 + 10: "that is the ten-class head of chapter 7's model; the new task has two classes.",
            Q4_FEATURES * 8 + 8: "that is the base task's head (eight classes); the new head has two outputs.",
        },
    ),
    hint="A Dense layer with n inputs and m units has n x m weights and m biases; the frozen base trains nothing.",
    solution="solution_q4 = 64 * 2 + 2  # 130: the only trainable weights; the base's 70,000 or so stay frozen",
    praise="A hundred labelled images cannot pin down tens of thousands of weights; they can pin down 130. That is "
           "the case for feature extraction when labels are few, and the chapter measures whether it holds here.",
)

q5 = Exercise(
    title="Q5, batch normalisation while fine-tuning",
    checker=choice(
        "b",
        {
            "a": "batch normalisation also changes what the layers after it receive: it normalises with statistics, "
                 "and which statistics is the question.",
            "b": "",
            "c": "trainability is set layer by layer: the layers below stay frozen whatever batch normalisation does.",
            "d": "nothing resets the head; but what reaches it changes.",
        },
    ),
    hint="In training mode, with which mean and variance does a batch normalisation layer normalise, and what "
         "does it do to its moving statistics after each batch?",
    solution='solution_q5 = "b"  # batch statistics of two classes replace the eight-class ones the head relies on',
    praise="That is why chapter 8 freezes them (and measures whether calling the base with training=False alone keeps "
           "their statistics on the stack it runs on).",
)

# Q6: the chance of a "settled" comparison among many when nothing differs
Q6_COMPARISONS, Q6_CONFIDENCE = 20, 0.95
_q6_chance = 1 - Q6_CONFIDENCE**Q6_COMPARISONS

q6 = Exercise(
    title="Q6, a gain found by luck",
    checker=number(
        _q6_chance,
        abs_tol=0.006,
        mistakes={
            1 - Q6_CONFIDENCE: "that is the chance for one comparison; there are 20 chances to be fooled.",
            Q6_CONFIDENCE**Q6_COMPARISONS: "that is the chance that *none* of the 20 comes out settled.",
            Q6_COMPARISONS * (1 - Q6_CONFIDENCE): "adding the 20 chances of 0.05 counts twice the cases where two "
                                                  "comparisons mislead at once; multiply the chances of *not* being "
                                                  "misled instead.",
            Q6_CONFIDENCE: "that is the chance that one comparison does *not* mislead.",
        },
    ),
    hint="Each comparison, when nothing differs, leaves 0 outside its interval with probability 0.05. What is the "
         "chance that none of 20 independent comparisons does?",
    solution="solution_q6 = 1 - 0.95 ** 20  # 0.64: more likely than not, one of the twenty looks like a gain",
    praise="Which is why a gain found after many tries needs a fresh test: new seeds, a new pair, or the test set "
           "kept for the one comparison decided in advance.",
)

q7 = Exercise(
    title="Q7, where Grad-CAM and CAM part",
    checker=choice(
        "c",
        {
            "a": "that holds when the class score is linear in the global averages; a ReLU between them makes the "
                 "gradient depend on the image.",
            "b": "the gradient passes through the hidden ReLUs, and which of them are on changes from image to image.",
            "c": "",
            "d": "Grad-CAM needs only gradients, which any differentiable head has; it is the class activation map "
                 "that needs a single dense layer.",
        },
    ),
    hint="Write the class score as a function of one global average: which factors in its derivative change with "
         "the image?",
    solution='solution_q7 = "c"  # alpha_k = sum_j W1[k, j] W2[j, c] [unit j on] / Z: the image picks the units',
    praise="That is what makes Grad-CAM general, and also why on such a head no map made of the weights alone "
           "equals it.",
)

q8 = Exercise(
    title="Q8, what the sanity check's first stage changes",
    checker=choice(
        "a",
        {
            "a": "",
            "b": "saliency is the gradient of the class score, which the dense layer computes: new weights, new "
                 "gradient; occlusion reads the class probability, which the dense layer computes too.",
            "c": "a class activation map weights the feature maps by the dense layer's weights for the class, and "
                 "Grad-CAM by its gradients, which on this head are those weights over the area: both change.",
            "d": "the feature maps stay, but every method reads them through the class score, which the dense layer "
                 "computes.",
        },
    ),
    hint="For each method, ask whether it reads the class score (or its probability), and which layer computes that "
         "score from the feature maps.",
    solution='solution_q8 = "a"  # every method reads the class score, which the dense layer computes',
    praise="The first row of the chapter's table measures how much each map changes; only the edge map, which never "
           "reads the class score, stays at 1.",
)

EXERCISES = [q1, q2, q3, q4, q5, q6, q7, q8]

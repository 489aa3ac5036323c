"""Exercises of chapter 6, CNN architectures."""

import math
import statistics

from cnn_course.checks import Exercise, choice, number
from cnn_course.strides import receptive_field_size

from scipy import stats

# Q1: parameters of a depthwise subsampling layer like those of the learned subsampling the chapter shows
q1 = Exercise(
    title="Q1, parameters of a learned subsampling",
    checker=number(
        3 * 3 * 128 + 128,
        mistakes={
            3 * 3 * 128: "that counts the weights only; each channel's kernel also has a bias.",
            3 * 3 * 128 * 128 + 128: "that is a Conv2D with 128 filters, whose kernels span every input channel; "
                                     "a depthwise convolution gives each channel a kernel of its own, which reads "
                                     "that channel only.",
            3 * 3 + 1: "that is one channel's kernel and bias; the layer has one per input channel.",
            0: "a pooling layer has no weights, but a depthwise convolution learns its kernels.",
        },
    ),
    hint="A depthwise convolution gives every input channel its own kernel, which reads that channel only. "
         "The stride changes where the kernels are applied, not how many weights they have.",
    solution="solution_q1 = 3 * 3 * 128 + 128  # 1,280: keras.layers.DepthwiseConv2D(3, strides=2) on 128 "
             "channels agrees",
    praise="The stride and the size of the maps never change a convolution's parameter count.",
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
                                             "neurons are 2 input pixels apart, which widens what the last "
                                             "window spans.",
            3 * 2 * 3: "fields do not multiply: each layer adds (kernel - 1) times the product of the "
                       "strides below it.",
            7: "that counts the pooling's stride but not its window: a 2x2 window widens the field as "
               "well.",
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
    praise="Two more pixels on each side (four across) add almost 25,000 inputs to the dense layer.",
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
            5.0 * (1 - 0.2): "scaling down at inference time is what the original dropout did; Keras "
                             "rescales the kept units during training instead, so that inference "
                             "changes nothing.",
            5.0 * 0.2: "0.2 is the rate, the probability of dropping a unit; a kept unit is not multiplied "
                       "by it.",
            5.0 / 0.2: "0.2 is the probability of dropping a unit, not of keeping it.",
            0.0: "the unit was kept, not dropped.",
        },
    ),
    hint="In training, Keras divides every kept value by the probability of keeping a unit.",
    solution="solution_q4 = 5.0 / (1 - 0.2)  # 6.25",
    praise="At inference the same unit passes 5.0 unchanged; on average both give 5.",
)

# Q5: overlapping ranges against a paired comparison
q5 = Exercise(
    title="Q5, what the seeds can tell",
    checker=choice(
        "d",
        {
            "a": "a higher mean over three seeds is not enough: it may be the luck of the seeds. Only the "
                 "differences seed by seed, with an interval that leaves 0 out, say that B scores higher.",
            "b": "A's best run is above B's worst, but its mean is lower: nothing here says A is better.",
            "c": "overlapping ranges do not make two models equal: if B beat A on every seed by about the same "
                 "margin, the paired differences could settle it although the ranges overlap; and 'cannot "
                 "tell them apart' never means 'equal'.",
            "d": "",
        },
    ),
    hint="The two models were trained on the same seeds. What would you compute, seed by seed?",
    solution='solution_q5 = "d"  # 0.87 to 0.89 and 0.88 to 0.90 overlap, yet B may beat A on every seed',
    praise="A range mixes what each seed does to both models; the difference, seed by seed, removes what the "
           "two runs of one seed share, which is why the chapter trains its models on the same seeds.",
)

# Q6: a paired interval from three differences (0.02, 0.05 and 0.03: all positive, yet the interval holds 0)
_Q6_DIFFERENCES = (0.02, 0.05, 0.03)
_q6_mean = statistics.fmean(_Q6_DIFFERENCES)
_q6_standard_error = statistics.stdev(_Q6_DIFFERENCES) / math.sqrt(3)
_q6_t = float(stats.t.ppf(0.975, df=2))  # 4.30


def _q6_lower_end(t=_q6_t, standard_error=_q6_standard_error):
    return _q6_mean - t * standard_error


q6 = Exercise(
    title="Q6, a paired interval over three seeds",
    checker=number(
        _q6_lower_end(),
        abs_tol=5e-4,
        mistakes={
            _q6_lower_end(t=1.96): "1.96 is for many seeds; with 3 seeds the standard deviation is itself "
                                   "uncertain, and Student's t with 2 degrees of freedom (4.30) pays for it.",
            _q6_lower_end(standard_error=statistics.stdev(_Q6_DIFFERENCES)):
                "that goes t standard deviations below the mean; the mean of 3 differences varies less than one "
                "difference: divide by the square root of 3 (the standard error).",
            _q6_lower_end(standard_error=statistics.stdev(_Q6_DIFFERENCES) / 3):
                "the standard error divides the standard deviation by the square root of the number of seeds, "
                "not by the number itself.",
            _q6_lower_end(standard_error=statistics.pstdev(_Q6_DIFFERENCES) / math.sqrt(3)):
                "the standard deviation of a sample divides the squared deviations by n - 1 = 2, not by 3 "
                "(numpy: ddof=1).",
            _q6_lower_end(t=float(stats.t.ppf(0.975, df=3))): "3 seeds give 2 degrees of freedom (n - 1), not 3.",
            _q6_lower_end(t=float(stats.t.ppf(0.95, df=2))): "a 95% interval leaves 2.5% out on each side: use "
                                                              "the 97.5% point of t.",
            _q6_mean: "that is the mean difference, the centre of the interval; its lower end lies t standard "
                      "errors below it.",
            _q6_lower_end(t=-_q6_t): "that is the upper end; the question asks for the lower one.",
        },
    ),
    hint="Take the mean of the three differences and their standard deviation (n - 1 in the denominator); the "
         "standard error is that standard deviation over the square root of 3; the lower end lies 4.30 "
         "standard errors below the mean.",
    solution="differences = np.array([0.02, 0.05, 0.03])  # mean 0.0333, standard deviation 0.0153\n"
             "standard_error_of_mean = differences.std(ddof=1) / np.sqrt(3)  # 0.0088\n"
             "solution_q6 = differences.mean() - stats.t.ppf(0.975, df=2) * standard_error_of_mean  # -0.0046\n"
             "# paired_difference([0.02, 0.05, 0.03], [0, 0, 0]).low gives the same",
    praise="The interval runs from below 0 to about 0.07: every seed put the first model ahead, yet three seeds "
           "cannot tell the two apart, because the differences vary too much for t = 4.30.",
)

EXERCISES = [q1, q2, q3, q4, q5, q6]

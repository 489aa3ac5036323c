"""How sure a training result is: every comparison the course draws from training is decided here.

A trained network's accuracy is a measurement with two sources of error, and chapter 6 onwards reports both:

- **the images it was scored on.** An accuracy on ``n`` images is a share of successes, so it carries the
  binomial standard error ``sqrt(p (1 - p) / n)``: about 0.003 for an accuracy of 0.9 on 10,000 test images, about
  0.004 on 5,000 validation images (:func:`standard_error`, :func:`accuracy_interval`, :func:`describe_accuracy`);
- **the seed.** Another seed draws other initial weights, another order of the batches, other augmentations, and
  gives another accuracy. One training run is one draw: a recipe is summarised over several seeds
  (:func:`summarize_seeds`), and two recipes are compared on the *same* seeds, seed by seed
  (:func:`paired_difference`, :func:`compare_recipes`). The pairing removes what two runs with one seed share (the
  same initial weights for the common layers, the same batches), so the differences vary less than the scores do.

The 95% interval of a mean over ``n`` seeds is ``mean ± t × standard deviation / sqrt(n)``, where ``t`` comes
from Student's t distribution with ``n - 1`` degrees of freedom: with few seeds the standard deviation itself is
poorly known, and ``t`` pays for that. With 3 seeds ``t`` is 4.30, so the interval spans about 2.5 standard
deviations each way of the mean; with 5 seeds ``t`` is 2.78 and the interval is half as wide (1.24 standard
deviations each way); with many seeds ``t`` tends to 1.96. So three seeds settle a difference only when it is
large against the seeds' own spread; five are worth their cost when the runs are cheap, or when three seeds leave
an interval that straddles 0 while the question still matters.

"These seeds cannot tell them apart" is not "they are equal": it says that the difference, whatever it is, is
smaller than these runs can measure.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

CONFIDENCE = 0.95


def _t_quantile(degrees_of_freedom: int, confidence: float = CONFIDENCE) -> float:
    """The two-sided Student's t factor: 4.30 for 2 degrees of freedom at 95%, 2.78 for 4."""
    from scipy import stats

    return float(stats.t.ppf(0.5 + confidence / 2, degrees_of_freedom))


def _normal_quantile(confidence: float = CONFIDENCE) -> float:
    """The two-sided normal factor: 1.96 at 95%."""
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2))


def _percent(confidence: float) -> str:
    return f"{confidence * 100:g}%"


@dataclass(frozen=True)
class Interval:
    """A range ``low`` to ``high`` that holds the quantity measured with probability ``confidence``."""

    low: float
    high: float
    confidence: float = CONFIDENCE

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def describe(self, digits: int = 3) -> str:
        return f"{_percent(self.confidence)} interval {self.low:.{digits}f} to {self.high:.{digits}f}"


def standard_error(accuracy: float, n: int) -> float:
    """The binomial standard error of an accuracy measured on ``n`` images: ``sqrt(p (1 - p) / n)``.

    Each image is right or wrong; had the test set been another ``n`` images from the same source, the accuracy
    would differ by about this much. ``standard_error(0.9, 10_000)`` is 0.0030: two accuracies of one model on two
    such test sets differ by 0.004 as a matter of course.
    """
    if not 0 <= accuracy <= 1:
        raise ValueError(f"an accuracy lies between 0 and 1, got {accuracy}")
    if n < 1:
        raise ValueError(f"an accuracy needs at least one image, got n={n}")
    return math.sqrt(accuracy * (1 - accuracy) / n)


def accuracy_interval(accuracy: float, n: int, confidence: float = CONFIDENCE) -> Interval:
    """The interval ``accuracy ± 1.96 standard errors`` (at 95%), clipped to [0, 1].

    The normal approximation to the binomial, good when ``n p`` and ``n (1 - p)`` are both above a few dozen,
    as for any accuracy on the course's validation and test sets.
    """
    half_width = _normal_quantile(confidence) * standard_error(accuracy, n)
    return Interval(max(0.0, accuracy - half_width), min(1.0, accuracy + half_width), confidence)


def describe_accuracy(accuracy: float, n: int, digits: int = 4) -> str:
    """``0.9195 (standard error 0.0027, 10,000 images)``: one accuracy with its uncertainty, for a chapter."""
    return f"{accuracy:.{digits}f} (standard error {standard_error(accuracy, n):.{digits}f}, {n:,} images)"


@dataclass(frozen=True)
class SeedSummary:
    """One recipe's score over several seeds: the mean, the spread of the runs, and how well the mean is known.

    ``std`` is the sample standard deviation (``n - 1`` in the denominator): how far one run typically lands
    from another. ``standard_error`` is ``std / sqrt(n)``: how far the mean of these ``n`` runs typically lands
    from the mean of infinitely many.
    """

    scores: tuple[float, ...]

    def __post_init__(self):
        if not self.scores:
            raise ValueError("a summary over seeds needs at least one run")

    @property
    def n(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores)

    @property
    def std(self) -> float:
        """The sample standard deviation; 0 for one run, whose spread is unknown rather than nil."""
        return statistics.stdev(self.scores) if self.n > 1 else 0.0

    @property
    def standard_error(self) -> float:
        return self.std / math.sqrt(self.n)

    @property
    def low(self) -> float:
        return min(self.scores)

    @property
    def high(self) -> float:
        return max(self.scores)

    def interval(self, confidence: float = CONFIDENCE) -> Interval:
        """The interval of the mean from Student's t with ``n - 1`` degrees of freedom.

        Raises:
            ValueError: one run: its spread, hence its interval, is unknown.
        """
        if self.n < 2:
            raise ValueError("one run has no spread over seeds: train with at least 2 seeds for an interval")
        half_width = _t_quantile(self.n - 1, confidence) * self.standard_error
        return Interval(self.mean - half_width, self.mean + half_width, confidence)

    def describe(self, digits: int = 4) -> str:
        """``0.9275 ± 0.0018 (standard error; range 0.9238 to 0.9296, 3 seeds)``, or the one run's score."""
        if self.n == 1:
            return f"{self.mean:.{digits}f} (1 seed)"
        return (f"{self.mean:.{digits}f} ± {self.standard_error:.{digits}f} (standard error; range "
                f"{self.low:.{digits}f} to {self.high:.{digits}f}, {self.n} seeds)")

    def row(self, digits: int = 4) -> str:
        """``0.9275 ± 0.0018   0.9238 to 0.9296``: :meth:`describe` for a table whose heading names the columns
        (mean ± standard error, then the range over the seeds), short enough for a row of a page's column."""
        return (f"{self.mean:.{digits}f} ± {self.standard_error:.{digits}f}   "
                f"{self.low:.{digits}f} to {self.high:.{digits}f}")


def summarize_seeds(scores: Sequence[float] | Mapping[int, float]) -> SeedSummary:
    """A :class:`SeedSummary` of one recipe's scores, one per seed (a sequence, or ``{seed: score}``)."""
    values = scores.values() if isinstance(scores, Mapping) else scores
    return SeedSummary(tuple(float(value) for value in values))


def _paired_scores(a, b) -> tuple[list[float], list[float]]:
    """The two recipes' scores in the same seed order; an error when they were not run on the same seeds."""
    if isinstance(a, Mapping) != isinstance(b, Mapping):
        raise TypeError("give both recipes' scores as {seed: score}, or both as sequences in seed order")
    if isinstance(a, Mapping):
        if set(a) != set(b):
            raise ValueError(f"a paired comparison needs the same seeds for both recipes: got {sorted(a)} and "
                             f"{sorted(b)}; compare them on the seeds they share")
        seeds = sorted(a)
        return [float(a[seed]) for seed in seeds], [float(b[seed]) for seed in seeds]
    a, b = [float(value) for value in a], [float(value) for value in b]
    if len(a) != len(b):
        raise ValueError(f"a paired comparison needs one score per seed for both recipes, in the same seed order: "
                         f"got {len(a)} and {len(b)} scores")
    return a, b


@dataclass(frozen=True)
class PairedDifference:
    """Two recipes run on the same seeds: the per-seed differences (first minus second) and their mean's interval.

    ``low`` and ``high`` bound the mean difference at ``confidence`` (95%), from Student's t with ``n - 1``
    degrees of freedom. When the interval holds 0, these seeds cannot tell the recipes apart.
    """

    differences: tuple[float, ...]
    confidence: float = CONFIDENCE

    @property
    def n(self) -> int:
        return len(self.differences)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.differences)

    @property
    def std(self) -> float:
        return statistics.stdev(self.differences)

    @property
    def standard_error(self) -> float:
        return self.std / math.sqrt(self.n)

    @property
    def interval(self) -> Interval:
        half_width = _t_quantile(self.n - 1, self.confidence) * self.standard_error
        return Interval(self.mean - half_width, self.mean + half_width, self.confidence)

    @property
    def low(self) -> float:
        return self.interval.low

    @property
    def high(self) -> float:
        return self.interval.high

    @property
    def settled(self) -> bool:
        """True when the interval leaves 0 out: these seeds say which recipe scores higher."""
        return 0.0 not in self.interval


def paired_difference(a: Sequence[float] | Mapping[int, float], b: Sequence[float] | Mapping[int, float],
                      confidence: float = CONFIDENCE) -> PairedDifference:
    """The differences ``a - b`` seed by seed, with the 95% interval of their mean.

    ``a`` and ``b`` are the per-seed scores of two recipes run on the same seeds: sequences in the same seed
    order, or ``{seed: score}`` mappings with the same seeds. Differences 0.010, 0.020 and 0.015 give a mean of
    0.015 and an interval of 0.0026 to 0.0274: with 3 seeds, ``t`` with 2 degrees of freedom is 4.30, so the
    interval reaches 4.30 standard errors each way.

    Raises:
        ValueError: the two recipes were not run on the same seeds, or on fewer than 2.
        TypeError: one is a mapping and the other a sequence, so their seeds cannot be matched.
    """
    a, b = _paired_scores(a, b)
    if len(a) < 2:
        raise ValueError(f"a paired comparison needs at least 2 seeds, got {len(a)}: one run per recipe cannot "
                         "tell a difference between recipes from the luck of a seed")
    return PairedDifference(tuple(x - y for x, y in zip(a, b)), confidence)


def compare_recipes(name_a: str, a, name_b: str, b, *, better: str = "more accurate", digits: int = 3,
                    confidence: float = CONFIDENCE) -> str:
    """The sentence a chapter prints for two recipes run on the same seeds.

    ``"A is more accurate than B by 0.015 (95% interval 0.003 to 0.027, 3 seeds)"`` when the interval of the
    paired difference leaves 0 out (the higher recipe named first), otherwise ``"these 3 seeds cannot tell A
    and B apart (difference -0.002, 95% interval -0.009 to 0.005)"``. ``better`` says what a higher score means.
    """
    difference = paired_difference(a, b, confidence)
    if not difference.settled:
        return (f"these {difference.n} seeds cannot tell {name_a} and {name_b} apart (difference "
                f"{difference.mean:+.{digits}f}, {difference.interval.describe(digits)})")
    if difference.mean < 0:
        name_a, name_b = name_b, name_a
        low, high = -difference.high, -difference.low
    else:
        low, high = difference.low, difference.high
    return (f"{name_a} is {better} than {name_b} by {abs(difference.mean):.{digits}f} "
            f"({_percent(confidence)} interval {low:.{digits}f} to {high:.{digits}f}, {difference.n} seeds)")


def single_run_against(name_a: str, score_a: float, name_b: str, scores_b, *, better: str = "more accurate",
                       digits: int = 3, confidence: float = CONFIDENCE) -> str:
    """The sentence for a recipe run once against another run over several seeds.

    One run has no spread of its own, so it borrows the other recipe's: if it varied over seeds as ``b`` does,
    a new run of ``b`` would land within ``mean ± t × std × sqrt(1 + 1/n)`` (a prediction interval, ``t`` with
    ``n - 1`` degrees of freedom). A single run outside that interval differs from ``b`` by more than a seed
    explains; inside it, these runs cannot tell the two apart. The sentence says the comparison rests on that
    assumption.
    """
    summary = summarize_seeds(scores_b)
    if summary.n < 2:
        return (f"{name_a} ({score_a:.{digits + 1}f}) and {name_b} ({summary.mean:.{digits + 1}f}) are one run each: "
                "one run per recipe cannot tell them apart")
    half_width = _t_quantile(summary.n - 1, confidence) * summary.std * math.sqrt(1 + 1 / summary.n)
    difference = score_a - summary.mean
    low, high = difference - half_width, difference + half_width
    caveat = f"{name_a} is one run, given the spread of {name_b}'s {summary.n} seeds"
    if low <= 0 <= high:
        return (f"these runs cannot tell {name_a} and {name_b} apart (difference {difference:+.{digits}f}, "
                f"{_percent(confidence)} interval {low:.{digits}f} to {high:.{digits}f}; {caveat})")
    first, second = (name_a, name_b) if difference > 0 else (name_b, name_a)
    if difference < 0:
        low, high = -high, -low
    return (f"{first} is {better} than {second} by {abs(difference):.{digits}f} "
            f"({_percent(confidence)} interval {low:.{digits}f} to {high:.{digits}f}; {caveat})")

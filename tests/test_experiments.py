import math

from cnn_course.experiments import (
    Interval,
    accuracy_interval,
    compare_recipes,
    describe_accuracy,
    paired_difference,
    single_run_against,
    standard_error,
    summarize_seeds,
)

import pytest


def test_the_standard_error_of_an_accuracy_is_binomial():
    assert round(standard_error(0.9, 10_000), 4) == 0.0030
    assert standard_error(0.5, 100) == pytest.approx(0.05)  # sqrt(0.25 / 100)
    assert standard_error(1.0, 5_000) == 0.0  # every image right: nothing varies
    with pytest.raises(ValueError, match="between 0 and 1"):
        standard_error(92.0, 10_000)  # a percentage, not a share
    with pytest.raises(ValueError, match="at least one image"):
        standard_error(0.9, 0)


def test_an_accuracys_interval_is_196_standard_errors_each_way_within_0_and_1():
    interval = accuracy_interval(0.9, 10_000)
    assert (interval.low, interval.high) == pytest.approx((0.9 - 1.959964 * 0.003, 0.9 + 1.959964 * 0.003))
    assert 0.9 in interval and 0.91 not in interval
    assert accuracy_interval(0.999, 100).high == 1.0
    assert interval.describe() == "95% interval 0.894 to 0.906"
    assert describe_accuracy(0.9195, 10_000) == "0.9195 (standard error 0.0027, 10,000 images)"


def test_a_summary_over_seeds_gives_mean_spread_standard_error_range_and_t_interval():
    summary = summarize_seeds([0.92, 0.94, 0.93])
    assert summary.n == 3 and summary.mean == pytest.approx(0.93)
    assert summary.std == pytest.approx(0.01)  # sqrt((0.01² + 0.01² + 0) / 2)
    assert summary.standard_error == pytest.approx(0.01 / math.sqrt(3))
    assert (summary.low, summary.high) == (0.92, 0.94)
    interval = summary.interval()
    assert interval.high - summary.mean == pytest.approx(4.302653 * 0.01 / math.sqrt(3), rel=1e-6)
    assert summary.describe() == "0.9300 ± 0.0058 (standard error; range 0.9200 to 0.9400, 3 seeds)"
    assert summary.row() == "0.9300 ± 0.0058   0.9200 to 0.9400"
    assert summarize_seeds({43: 0.9, 42: 0.8}).scores == (0.9, 0.8)


def test_one_run_has_no_spread_and_no_interval():
    single = summarize_seeds([0.91])
    assert single.std == 0.0 and single.describe() == "0.9100 (1 seed)"
    with pytest.raises(ValueError, match="at least 2 seeds"):
        single.interval()
    with pytest.raises(ValueError, match="at least one run"):
        summarize_seeds([])


def test_five_seeds_give_an_interval_half_as_wide_as_three_for_the_same_spread():
    three = summarize_seeds([0.92, 0.93, 0.94]).interval()
    scores = [0.93 + 0.01 * z * math.sqrt(0.4) for z in (-2, -1, 0, 1, 2)]  # the same standard deviation, 0.01
    assert summarize_seeds(scores).std == pytest.approx(0.01)
    five = summarize_seeds(scores).interval()
    width = lambda interval: interval.high - interval.low  # noqa: E731
    assert width(five) / width(three) == pytest.approx((2.776445 / math.sqrt(5)) / (4.302653 / math.sqrt(3)),
                                                       rel=1e-3)
    assert 0.45 < width(five) / width(three) < 0.55


def test_the_paired_difference_matches_a_hand_computation():
    difference = paired_difference([0.91, 0.92, 0.915], [0.90, 0.90, 0.90])  # differences 0.010, 0.020, 0.015
    assert difference.differences == pytest.approx((0.010, 0.020, 0.015))
    assert round(difference.mean, 4) == 0.015
    assert (round(difference.low, 4), round(difference.high, 4)) == (0.0026, 0.0274)
    assert difference.settled and isinstance(difference.interval, Interval)


def test_pairs_are_matched_by_seed_and_unpaired_or_short_inputs_are_refused():
    by_seed = paired_difference({44: 0.915, 42: 0.91, 43: 0.92}, {42: 0.90, 43: 0.90, 44: 0.90})
    assert by_seed.differences == pytest.approx((0.010, 0.020, 0.015))  # seed 42, 43, 44
    with pytest.raises(ValueError, match="same seeds"):
        paired_difference({42: 0.9, 43: 0.9}, {42: 0.9, 44: 0.9})
    with pytest.raises(ValueError, match="one score per seed"):
        paired_difference([0.9, 0.91, 0.92], [0.9, 0.91])
    with pytest.raises(ValueError, match="at least 2 seeds"):
        paired_difference([0.9], [0.8])
    with pytest.raises(TypeError, match="both"):
        paired_difference({42: 0.9, 43: 0.9}, [0.9, 0.9])


def test_the_comparison_sentence_names_the_better_recipe_or_says_the_seeds_cannot_tell():
    higher, lower = [0.91, 0.92, 0.915], [0.90, 0.90, 0.90]
    assert compare_recipes("A", higher, "B", lower) == "A is more accurate than B by 0.015 (95% interval 0.003 " \
                                                      "to 0.027, 3 seeds)"
    assert compare_recipes("B", lower, "A", higher) == "A is more accurate than B by 0.015 (95% interval 0.003 " \
                                                      "to 0.027, 3 seeds)"
    # differences -0.0048, -0.002, 0.0008: mean -0.002, standard deviation 0.0028
    unsettled = compare_recipes("A", [0.9, 0.9, 0.9], "B", [0.9048, 0.902, 0.8992])
    assert unsettled == "these 3 seeds cannot tell A and B apart (difference -0.002, 95% interval -0.009 to 0.005)"
    assert compare_recipes("fast", [10.0, 11.0], "slow", [20.0, 23.0], better="higher").startswith(
        "these 2 seeds cannot tell")


def test_a_single_run_is_read_against_the_others_seeds_with_a_prediction_interval():
    seeds = [0.930, 0.934, 0.926]  # mean 0.930, standard deviation 0.004
    half_width = 4.302653 * 0.004 * math.sqrt(1 + 1 / 3)  # 0.0199
    far = single_run_against("variant", 0.905, "compact", seeds)
    assert far == (f"compact is more accurate than variant by 0.025 (95% interval {0.025 - half_width:.3f} to "
                   f"{0.025 + half_width:.3f}; variant is one run, given the spread of compact's 3 seeds)")
    near = single_run_against("variant", 0.935, "compact", seeds)
    assert near.startswith("these runs cannot tell variant and compact apart (difference +0.005")
    assert "one run each" in single_run_against("a", 0.9, "b", [0.8])

import subprocess
import sys
from pathlib import Path

from cnn_course.benchmarking import (
    ABLATION,
    ABLATION_RESULTS,
    FINAL_RESULTS,
    GRID_SEED,
    IMPROVEMENTS,
    LEARNING_RATE_GRID,
    TIMING_RESULTS,
    VARIANTS,
    WINDOW_MEASURE,
    ModelCost,
    ablation_findings,
    ablation_plan,
    ablation_rows,
    ablation_table,
    activation_values,
    append_record,
    chosen_learning_rate,
    compare_times,
    compare_timing,
    comparison_table,
    describe_machine,
    describe_records,
    fastest_epoch_seconds,
    flip_averaging_finding,
    load_ablation_records,
    load_final_records,
    memory_mb,
    multiply_accumulates,
    packaged_results,
    peak_memory,
    plot_ablation,
    read_records,
    relative_times,
    runs_to_do,
    time_ratio,
    timing_findings,
    training_seconds,
    variant_timings,
)

import numpy as np
import pytest


def test_peak_memory_sees_what_the_block_allocated_and_not_what_came_before():
    earlier = np.ones(150 * 2**20 // 8)  # 150 MB allocated before the block
    with peak_memory() as memory:
        inside = np.ones(200 * 2**20 // 8)  # 200 MB inside it
        inside[::4096] = 2.0
        del inside
    assert earlier.sum() > 0
    if sys.platform.startswith("linux"):
        assert 150 <= memory.added_mb < 300
    assert memory.peak_mb >= memory.before_mb > 0


def test_memory_readings_are_positive_megabytes():
    assert 0 < memory_mb("VmRSS") <= memory_mb("VmHWM") < 1e6


def test_the_table_lists_each_model_and_the_time_ratio():
    rows = [ModelCost("reference", 1_413_834, 10, 3600.0, 2100.4, 800.6, 0.9123),
            ModelCost("compact", 70_746, 12, 540.0, 1500.0, 300.0, 0.9251)]
    lines = comparison_table(rows).splitlines()
    assert lines[0].split() == ["model", "parameters", "epochs", "s/epoch", "train", "s", "peak", "MB", "+",
                                "training", "MB", "test", "acc."]
    assert lines[1].split() == ["reference", "1,413,834", "10", "360.0", "3600.0", "2100", "801", "0.9123"]
    assert lines[2].split() == ["compact", "70,746", "12", "45.0", "540.0", "1500", "300", "0.9251"]
    assert lines[3] == "compact / reference training time: 0.150 (6.7 times faster)"
    assert rows[1].seconds_per_epoch == pytest.approx(45.0)


def test_a_single_row_has_no_ratio():
    assert len(comparison_table([ModelCost("compact", 10, 1, 1.0, 1.0, 0.0, 0.5)]).splitlines()) == 2


def test_the_machine_is_described_with_its_cores_and_python():
    description = describe_machine()
    assert "cores" in description and "Python" in description


def test_training_seconds_is_the_fastest_epoch_times_the_epochs():
    # a run whose machine slowed down for two of its five epochs, and one slow for three: the same computation
    assert fastest_epoch_seconds([40.0, 41.0, 80.0, 42.0, 85.0]) == 40.0
    assert training_seconds([40.0, 41.0, 80.0, 42.0, 85.0]) == pytest.approx(40.0 * 5)
    assert training_seconds([81.0, 40.5, 80.0, 84.0, 41.0]) == pytest.approx(40.5 * 5)
    assert time_ratio([10.0, 11.0, 50.0], [100.0, 99.0, 101.0]) == pytest.approx(30.0 / 297.0)
    with pytest.raises(ValueError, match="epoch times"):
        training_seconds([])


def test_the_median_of_a_two_state_run_is_a_time_no_epoch_took_and_the_fastest_epoch_is_not():
    # seed 42's compact epochs in the committed ablation: five fast, five slow
    epochs = [25.2, 24.4, 41.4, 40.0, 43.9, 22.8, 24.1, 41.4, 24.7, 42.5]
    median = sorted(epochs)[4:6]
    assert max(median) - min(median) > 10  # the median falls in the gap between the two states
    assert fastest_epoch_seconds(epochs) in epochs


def test_time_comparisons_claim_a_difference_only_outside_the_baselines_own_spread():
    baseline = [228.0, 190.0, 209.0]  # median 209: its own runs span 0.91 to 1.09
    within = compare_times("constant rate", [191.0], "compact", baseline)
    assert within == ("constant rate takes 0.91 of compact's training cost (fastest epoch x epochs), within the "
                      "range of compact's own 3 runs (0.91 to 1.09): no difference of time is claimed")
    assert compare_times("no batch norm.", [139.0], "compact", baseline).endswith(": no batch norm. is faster")
    assert compare_times("batch 32", [330.0, 320.0], "compact", baseline).endswith(": batch 32 is slower")
    assert "median of 2 runs" in compare_times("batch 32", [330.0, 320.0], "compact", baseline)
    assert compare_times("batch 32", [330.0], "compact", [209.0]).endswith("no difference is claimed")
    assert relative_times([100.0, 50.0], [100.0, 90.0, 200.0]) == pytest.approx([1.0, 0.5])
    with pytest.raises(ValueError, match="at least one run"):
        compare_times("a", [], "b", [1.0])


def test_the_committed_timing_pass_puts_the_constant_rate_at_the_compact_models_time():
    """The constant-rate variant does exactly the compact model's computation: its time must come out the same."""
    timings = variant_timings(read_records(packaged_results(TIMING_RESULTS)))
    compact_costs = [timing.compact_training_seconds for timing in timings.values()]
    constant = timings["constant_rate"].training_seconds
    assert min(compact_costs) <= constant <= max(compact_costs)
    assert "no difference of time is claimed" in compare_times(
        "constant rate", [constant], "compact model", compact_costs, WINDOW_MEASURE)


def test_the_timed_table_gives_the_fastest_epoch_the_total_and_both_ratios():
    rows = [ModelCost("reference", 1_413_834, 2, 800.0, 2100.0, 800.0, 0.8968, [380.0, 420.0]),
            ModelCost("compact", 70_746, 3, 240.0, 1500.0, 300.0, 0.9206, [45.0, 50.0, 145.0])]
    lines = comparison_table(rows).splitlines()
    assert lines[0].split() == ["model", "parameters", "epochs", "fastest", "s", "total", "s", "peak", "MB", "+",
                                "train", "MB", "test", "acc."]
    assert lines[2].split() == ["compact", "70,746", "3", "45.0", "240.0", "1500", "300", "0.9206"]
    assert lines[3] == ("compact / reference training cost (fastest epoch x epochs): 0.178 (5.6 times faster); "
                        "totals: 0.300")
    assert max(len(line) for line in lines[:3]) <= 80


def tiny_model():
    import keras

    return keras.Sequential([
        keras.Input(shape=(8, 8, 3)),
        keras.layers.Conv2D(4, 3, name="valid"),                   # 6x6x4 outputs, 3x3x3 weights each
        keras.layers.BatchNormalization(name="norm"),
        keras.layers.Conv2D(2, 1, strides=2, padding="same", name="strided"),  # 3x3x2 outputs, 1x1x4 each
        keras.layers.MaxPooling2D(3, name="pool"),
        keras.layers.Flatten(name="flatten"),
        keras.layers.Dense(5, name="dense"),                       # 2 inputs, 5 units
    ])


def test_multiply_accumulates_count_conv_and_dense_layers_by_hand():
    counts = multiply_accumulates(tiny_model())
    assert counts == {"valid": 6 * 6 * 4 * (3 * 3 * 3), "strided": 3 * 3 * 2 * (1 * 1 * 4), "dense": 2 * 5}
    assert sum(counts.values()) == 3_888 + 72 + 10


def test_chapter_7s_models_differ_sixteenfold_in_multiply_accumulates():
    from cnn_course.models import fashion_mnist_compact, fashion_mnist_reference
    from cnn_course.settings import seed_everything

    seed_everything()
    reference = sum(multiply_accumulates(fashion_mnist_reference()).values())
    seed_everything()
    compact = multiply_accumulates(fashion_mnist_compact())
    assert compact["conv2d"] == 28 * 28 * 16 * 9 and compact["dense"] == 640
    assert 16 < reference / sum(compact.values()) < 17


def test_activation_values_count_every_layers_output_per_image():
    counts = activation_values(tiny_model())
    assert counts == {"valid": 6 * 6 * 4, "norm": 6 * 6 * 4, "strided": 3 * 3 * 2, "pool": 2, "flatten": 2,
                      "dense": 5}


def test_the_compact_model_writes_almost_as_many_values_as_the_reference():
    from cnn_course.models import fashion_mnist_compact, fashion_mnist_reference
    from cnn_course.settings import seed_everything

    seed_everything()
    reference = activation_values(fashion_mnist_reference())
    seed_everything()
    compact = activation_values(fashion_mnist_compact())
    assert reference["conv2d"] == 28 * 28 * 64 and compact["batch_normalization"] == 28 * 28 * 16
    assert 1 < sum(reference.values()) / sum(compact.values()) < 2  # against 16 times fewer multiply-accumulates


def record(variant, seed, *, batch="b1", seconds=100.0, accuracy=0.93, test=0.92, date="2026-01-01T00:00:00",
           config=None, parameters=70_746, repeat=False):
    return {"variant": variant, "label": VARIANTS[variant].label if variant in VARIANTS else variant, "seed": seed,
            "repeat": repeat, "batch": batch, "batch_baseline_seed": 42, "date": date,
            "config": config or {"machine": "m", "tensorflow": "2.21.0", "onednn": True, "mode": "full",
                                 "epochs": 10},
            "parameters": parameters, "validation_accuracy": accuracy, "test_accuracy": test,
            "training_seconds": seconds, "epoch_seconds": [seconds / 10] * 9 + [seconds / 5]}


def test_the_plan_runs_the_compact_model_then_the_grids_then_every_variant_on_every_seed():
    plan = ablation_plan([42, 43, 44])
    assert [run.key for run in plan[:3]] == [("compact", 42, None), ("compact", 43, None), ("compact", 44, None)]
    tuned = [variant.name for variant in ABLATION if variant.tune_rate]
    assert set(tuned) == {"without_batch_norm", "constant_rate", "batch_32"}
    grid = plan[3:3 + 3 * len(tuned)]
    assert [run.key for run in grid[:3]] == [(tuned[0], GRID_SEED, rate) for rate in LEARNING_RATE_GRID]
    assert {run.seed for run in grid} == {GRID_SEED} and all(run.grid_rate for run in grid)
    evaluation = plan[3 + 3 * len(tuned):]
    assert [run.key for run in evaluation] == [(variant.name, seed, None) for seed in (42, 43, 44)
                                               for variant in (*ABLATION[1:], *IMPROVEMENTS)]
    assert len(ABLATION) - 1 >= 8 and len(plan) == 3 + 9 + 3 * (len(ABLATION) - 1 + len(IMPROVEMENTS))
    with pytest.raises(ValueError, match="must not be one of"):
        ablation_plan([41, 42])
    with pytest.raises(ValueError, match="at least one seed"):
        ablation_plan([])


def test_every_variant_differs_from_the_compact_model_in_what_its_label_says():
    from cnn_course.models import COMPACT_FILTERS, COMPACT_PEAK_LEARNING_RATE

    default = VARIANTS["compact"]
    assert default.peak_learning_rate() == COMPACT_PEAK_LEARNING_RATE and default.training_batch_size() == 128
    changed = {name: {field for field in ("batch_norm", "head", "mirroring", "schedule", "batch_size", "filters",
                                          "optimizer", "weight_decay", "learning_rate", "erasing", "epochs")
                      if getattr(variant, field) != getattr(default, field)}
               for name, variant in VARIANTS.items()}
    assert all(len(fields) == 1 for name, fields in changed.items()
               if name not in ("compact", "reference_recipe", "erasing_longer"))
    assert changed["erasing_longer"] == {"erasing", "epochs"}
    assert [variant.name for variant in IMPROVEMENTS] == ["random_erasing", "longer_schedule", "erasing_longer"]
    assert VARIANTS["longer_schedule"].training_epochs() == 15 and default.training_epochs() == 10
    assert changed["reference_recipe"] == {"optimizer", "schedule", "learning_rate", "batch_size", "mirroring",
                                           "weight_decay"}
    assert VARIANTS["double_filters"].filters == tuple(2 * f for f in COMPACT_FILTERS)
    assert VARIANTS["half_filters"].filters == tuple(f // 2 for f in COMPACT_FILTERS)


def test_variants_build_and_compile_with_their_own_recipe():
    from cnn_course.settings import seed_everything

    import keras

    seed_everything(42)
    model = VARIANTS["half_filters"].compile(VARIANTS["half_filters"].build(42), 1_000, 2)
    assert model.layers[2].filters == 8 and isinstance(model.optimizer, keras.optimizers.AdamW)
    nadam = VARIANTS["nadam"].compile(VARIANTS["nadam"].build(42), 1_000, 2)
    assert isinstance(nadam.optimizer, keras.optimizers.Nadam) and nadam.optimizer.weight_decay == pytest.approx(1e-4)
    plain = VARIANTS["reference_recipe"].compile(VARIANTS["reference_recipe"].build(42), 1_000, 2)
    assert plain.optimizer.weight_decay is None
    assert float(plain.optimizer.learning_rate) == pytest.approx(1e-3)
    assert "random_flip" not in [layer.name for layer in plain.layers]
    tuned = VARIANTS["constant_rate"].compile(VARIANTS["constant_rate"].build(42), 1_000, 2, learning_rate=3e-4)
    assert float(tuned.optimizer.learning_rate) == pytest.approx(3e-4)


def grid_record(variant, rate, accuracy, config=None):
    return record(variant, GRID_SEED, accuracy=accuracy, config=config) | {"grid": True, "learning_rate": rate}


def test_a_new_call_resumes_and_repeats_the_baseline_to_time_its_batch():
    plan = ablation_plan([42, 43])
    config = record("compact", 42)["config"]
    assert runs_to_do(plan, [], config) == [(run, False) for run in plan]
    done = [record("compact", 42), record("compact", 43), grid_record("without_batch_norm", 3e-3, 0.9)]
    todo = runs_to_do(plan, done, config)
    assert todo[0] == (plan[0], True)
    assert [run for run, _ in todo[1:]] == plan[3:]  # the other rates of the grid come next
    assert runs_to_do(plan, [record(r.variant, r.seed) if r.grid_rate is None else
                             grid_record(r.variant, r.grid_rate, 0.9) for r in plan], config) == []
    other_machine = {**config, "machine": "another"}
    assert runs_to_do(plan, done, other_machine)[0] == (plan[0], False)


def test_a_variants_grid_chooses_its_rate_on_the_validation_set():
    config = record("compact", 42)["config"]
    records = [grid_record("batch_32", 3e-3, 0.921), grid_record("batch_32", 1e-3, 0.930),
               grid_record("batch_32", 3e-4, 0.925), grid_record("constant_rate", 1e-3, 0.99),
               grid_record("batch_32", 3e-4, 0.999, config={**config, "machine": "another"})]
    assert chosen_learning_rate(records, "batch_32", config) == 1e-3
    with pytest.raises(LookupError, match="no learning-rate grid"):
        chosen_learning_rate(records, "without_batch_norm", config)


def test_records_append_as_json_lines_and_read_back(tmp_path):
    path = tmp_path / "results" / "ablation.jsonl"
    assert read_records(path) == []
    append_record(path, record("compact", 42))
    append_record(path, record("batch_32", 42, seconds=180.0))
    assert len(path.read_text().splitlines()) == 2
    assert [r["variant"] for r in read_records(path)] == ["compact", "batch_32"]
    assert load_ablation_records(path)[1]["training_seconds"] == 180.0
    with pytest.raises(FileNotFoundError, match="--ablation"):
        load_ablation_records(tmp_path / "missing.jsonl")


def ablation_records():
    """Two batches on one machine: the second ran when the machine was twice as slow."""
    return [
        record("compact", 42, seconds=100.0, accuracy=0.930, test=0.921),
        record("without_batch_norm", 42, seconds=80.0, accuracy=0.910, test=0.905),
        record("batch_32", 42, seconds=190.0, accuracy=0.925, test=0.918),
        record("compact", 42, batch="b2", seconds=200.0, accuracy=0.930, test=0.921, repeat=True,
               date="2026-01-02T00:00:00"),
        record("compact", 43, batch="b2", seconds=210.0, accuracy=0.934, test=0.925, date="2026-01-02T01:00:00"),
        record("compact", 44, batch="b2", seconds=190.0, accuracy=0.926, test=0.917, date="2026-01-02T02:00:00"),
        record("without_mirroring", 42, batch="b2", seconds=180.0, accuracy=0.928, test=0.92,
               date="2026-01-02T03:00:00"),
    ]


def test_ablation_rows_read_times_against_the_baseline_of_their_batch():
    rows = {row.variant: row for row in ablation_rows(ablation_records())}
    assert list(rows) == ["compact", "without_batch_norm", "batch_32", "without_mirroring"]
    compact = rows["compact"]
    assert compact.seeds == [42, 43, 44] and compact.validation_accuracy == {42: 0.930, 43: 0.934, 44: 0.926}
    assert compact.test_accuracy == [0.921, 0.925, 0.917]
    assert compact.summary.mean == pytest.approx(0.930)
    assert sorted(compact.relative_times) == pytest.approx([0.95, 1.0, 1.0, 1.05])
    assert rows["batch_32"].relative_time == pytest.approx(1.9)
    assert rows["without_mirroring"].relative_time == pytest.approx(0.9)  # 180 s in the slow batch
    assert rows["without_batch_norm"].parameters == 70_746


def test_one_slow_run_of_the_compact_model_does_not_set_its_batchs_time_alone():
    records = [record("compact", 42, seconds=150.0), record("compact", 43, seconds=100.0),
               record("compact", 44, seconds=104.0), record("constant_rate", 42, seconds=100.0)]
    rows = {row.variant: row for row in ablation_rows(records)}
    assert rows["constant_rate"].relative_time == pytest.approx(100 / 104)


def test_records_of_an_older_configuration_are_left_out():
    old = record("flatten_head", 42, config={"machine": "m", "tensorflow": "2.16.0", "onednn": True,
                                              "mode": "full", "epochs": 10}, date="2025-01-01T00:00:00")
    rows = ablation_rows([old, *ablation_records()])
    assert "flatten_head" not in [row.variant for row in rows]


def test_the_ablation_table_lists_each_variant_with_its_spread():
    lines = ablation_table(ablation_records()).splitlines()
    assert lines[0].split() == ["variant", "runs", "params", "val.", "accuracy", "time", "train", "s", "test",
                                "accuracy"]
    assert lines[1].split() == ["compact", "model", "3", "70,746", "0.9300", "±", "0.0023", "1.00", "195.0",
                                "0.9210", "±", "0.0023"]
    assert lines[3].split() == ["batches", "of", "32", "1", "70,746", "0.9250", "1.90", "190.0", "0.9180"]
    assert max(len(line) for line in lines) <= 85  # what the site's column holds (_static/course.css)
    with pytest.raises(ValueError, match="no records"):
        ablation_table([])


def test_the_ablation_figure_draws_every_variant_and_every_seed():
    import matplotlib.pyplot as plt

    ax = plot_ablation(ablation_records())
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[0] == "compact model (3 seeds)" and len(labels) == 4
    means = [collection for collection in ax.collections if collection.get_label() in labels]
    assert means[0].get_offsets()[0].tolist() == pytest.approx([1.0, 0.93])
    assert "fastest epoch" in ax.get_xlabel() and "validation" in ax.get_ylabel()
    plt.close(ax.figure)


def test_no_two_variants_of_the_committed_ablation_share_a_colour_and_a_marker():
    import matplotlib.pyplot as plt

    ax = plot_ablation(load_ablation_records())
    styles = [(tuple(handle.get_facecolor()[0]), tuple(handle.get_paths()[0].vertices.round(3).flatten()))
              for handle in ax.get_legend().legend_handles]
    assert len(styles) == len(ablation_rows(load_ablation_records())) == len(set(styles))
    plt.close(ax.figure)


def test_findings_compare_each_variant_with_the_compact_model_through_the_statistics_toolkit():
    findings = ablation_findings(ablation_records())
    assert len(findings) == 4
    assert findings.pop(0) == ("compact model: its own 4 runs cost 0.95 to 1.05 times their median (fastest epoch x "
                               "epochs), so smaller differences of time are the machine's, not the variant's")
    # one run of 0.910 against 0.930, 0.934 and 0.926: outside the prediction interval of 0.0199 each way
    assert findings[0].startswith("no batch norm.: validation accuracy 0.9100; compact model is more accurate than "
                                  "no batch norm. by 0.020 (95% interval 0.000 to 0.040; no batch norm. is one run")
    assert findings[0].endswith("below the range of compact model's own 4 runs (0.95 to 1.05): no batch norm. is "
                                "faster")
    assert "these runs cannot tell batches of 32 and compact model apart" in findings[1]
    assert findings[1].endswith("batches of 32 is slower")
    assert findings[2].endswith("no mirroring is faster")  # 180 s against the slow batch's 200 s
    with pytest.raises(ValueError, match="compact model itself"):
        ablation_findings([record("batch_32", 42)])


def test_a_variant_run_on_the_compact_models_seeds_is_compared_seed_by_seed():
    records = [record("compact", seed, accuracy=accuracy) for seed, accuracy in ((42, 0.930), (43, 0.934),
                                                                                 (44, 0.926))]
    records += [record("constant_rate", seed, accuracy=accuracy) for seed, accuracy in ((42, 0.905), (43, 0.911),
                                                                                        (44, 0.899))]
    records += [record("grid", 45, accuracy=0.99) | {"grid": True}]
    findings = ablation_findings(records)
    assert findings[1] == ("constant rate: validation accuracy 0.9050 ± 0.0035; compact model is more accurate than "
                           "constant rate by 0.025 (95% interval 0.020 to 0.030, 3 seeds); constant rate takes 1.00 "
                           "of compact model's training cost (fastest epoch x epochs, median of 3 runs), within the "
                           "range of compact model's own 3 runs (1.00 to 1.00): no difference of time is claimed")
    assert [row.variant for row in ablation_rows(records)] == ["compact", "constant_rate"]  # the grid left out


def test_describe_records_names_the_machine_the_dates_and_the_batches():
    text = describe_records(ablation_records())
    assert text.startswith("7 runs in 2 batches from 2026-01-01 to 2026-01-02 on m;")


@pytest.mark.parametrize("folder, name", [("results", ABLATION_RESULTS), ("results", TIMING_RESULTS),
                                          ("final", FINAL_RESULTS)])
def test_the_committed_results_and_the_packaged_copy_are_the_same_file(folder, name):
    """The benchmark writes benchmarks/results/ and copies the file into the package; neither is edited by hand."""
    committed = Path(__file__).resolve().parent.parent / "benchmarks" / folder / name
    packaged = packaged_results(name)
    assert committed.exists() == packaged.exists()
    if committed.exists():
        assert committed.read_bytes() == packaged.read_bytes()
        assert {r["config"]["mode"] for r in read_records(committed)} == {"full"}


def test_the_ablation_over_seeds_records_no_test_accuracy():
    """Design is decided on the validation set: the ablation's committed records never hold a test score."""
    committed = Path(__file__).resolve().parent.parent / "benchmarks" / "results" / ABLATION_RESULTS
    for result in read_records(committed):
        assert not any("test" in key for key in result), result["variant"]


def test_every_results_file_outside_the_final_folder_holds_no_test_score():
    """No file of benchmarks/results/ (nor its package copy) may hold a test score, whatever the benchmark."""
    folder = Path(__file__).resolve().parent.parent / "benchmarks" / "results"
    for path in folder.glob("*.jsonl"):
        for result in read_records(path):
            assert not any("test" in key for key in result), (path.name, result.get("variant"))


def test_the_benchmarks_readme_shows_the_committed_records_as_the_code_prints_them():
    """The README's tables and findings are the output of the code on the committed files, not older runs."""
    readme = (Path(__file__).resolve().parent.parent / "benchmarks" / "README.md").read_text()
    records = load_ablation_records()
    timings = read_records(packaged_results(TIMING_RESULTS))
    blocks = [describe_records(records), ablation_table(records, timings), *ablation_findings(records, timings),
              flip_averaging_finding(records), *timing_findings(timings)]
    missing = [block for block in blocks if block not in readme]
    assert not missing, "benchmarks/README.md no longer shows what the code prints:\n" + "\n".join(missing)
    printed = "".join(readme.split("```")[1::2])  # what the README's code blocks show
    assert "test acc" not in printed.lower(), "a results table of the README shows a test score"


def test_the_final_step_s_records_hold_the_test_scores_of_one_frozen_recipe():
    """Only ``--final`` scores the test set, and only in benchmarks/final/: one recipe, each seed once."""
    committed = Path(__file__).resolve().parent.parent / "benchmarks" / "final" / FINAL_RESULTS
    records = read_records(committed)
    for record in records:
        assert 0 < record["test_accuracy"] <= 1 and record["test_images"] == 10_000
    assert len({record["variant"] for record in records}) <= 1
    assert len({record["seed"] for record in records}) == len(records)


def test_the_benchmark_refuses_to_choose_and_score_in_one_call():
    script = Path(__file__).resolve().parent.parent / "benchmarks" / "fashion_mnist.py"
    finished = subprocess.run([sys.executable, str(script), "--ablation", "--final"], capture_output=True, text=True)
    assert finished.returncode == 2
    assert "one at a time" in finished.stderr


def test_the_ablation_table_gives_the_test_time_flips_beside_the_plain_validation_accuracy():
    records = []
    for seed, plain, flipped in ((42, 0.930, 0.934), (43, 0.926, 0.931), (44, 0.928, 0.930)):
        run = record("compact", seed, accuracy=plain)
        del run["test_accuracy"]
        records.append({**run, "validation_accuracy_flipped": flipped})
    header, compact = ablation_table(records).splitlines()
    assert header.endswith("with flips") and "test" not in header
    assert compact.endswith("0.9317 ± 0.0012")  # mean of 0.934, 0.931, 0.930 and its standard error
    assert ablation_rows(records)[0].validation_accuracy_flipped == {42: 0.934, 43: 0.931, 44: 0.930}
    assert max(len(line) for line in ablation_table(records).splitlines()) <= 85


def timing_record(variant, variant_windows, compact_windows, *, epochs=10, date="2026-01-03T00:00:00"):
    return {"variant": variant, "date": date, "config": {"machine": "m"}, "window_images": 5_500,
            "training_images": 55_000, "epochs": epochs, "batch_size": 128, "rounds": len(variant_windows),
            "variant_window_seconds": variant_windows, "compact_window_seconds": compact_windows}


def timing_records():
    """The compact model timed against itself and beside two variants; one window of each caught a slow state."""
    return [timing_record("compact", [2.0, 4.1], [2.1, 4.0]),
            timing_record("constant_rate", [2.05, 3.9], [4.2, 2.0]),
            timing_record("double_filters", [6.0, 11.0], [2.2, 4.4])]


def test_a_variant_s_cost_is_its_fastest_window_times_the_windows_of_a_run():
    timings = variant_timings(timing_records())
    constant = timings["constant_rate"]
    assert constant.fastest_window == 2.05 and constant.compact_fastest_window == 2.0
    assert constant.training_seconds == pytest.approx(2.05 * 10 * 10)  # 10 windows an epoch, 10 epochs
    assert timings["double_filters"].epoch_seconds == pytest.approx(60.0)


def test_the_timing_pass_claims_a_difference_only_outside_the_compact_model_s_own_spread():
    findings = timing_findings(timing_records())
    assert findings[0] == ("compact model, timed beside each of 3 variants: 200.0 to 220.0 s per training run "
                           "(fastest window x windows)")
    assert findings[2].endswith("no difference of time is claimed")  # constant rate: the same computation
    assert "constant rate: 205.0 s; constant rate takes 0.98 of compact model's training cost" in findings[2]
    assert findings[3].endswith("twice the filters is slower")
    assert "round by round 0.99 (95% interval 0.62 to 1.58, 2 rounds)" in findings[1]  # compact against itself


def test_a_cost_outside_the_compact_model_s_range_is_claimed_only_when_the_rounds_agree():
    """One measurement outside the range of many, while round by round the two take turns being faster."""
    compact = [200.0, 210.0, 220.0]
    lucky = variant_timings([timing_record("without_weight_decay", [2.3, 2.6, 2.7], [5.2, 2.6, 2.1])])
    sentence = compare_timing("no weight decay", lucky["without_weight_decay"], compact)
    assert "above the range of compact model's own 3 runs" in sentence
    assert sentence.endswith("which holds 1: no difference of time is claimed")
    slower = variant_timings([timing_record("double_filters", [6.0, 6.2, 6.1], [2.0, 2.1, 2.05])])
    assert compare_timing("twice the filters", slower["double_filters"], compact).endswith(
        "round by round 2.98 (95% interval 2.92 to 3.04, 3 rounds): twice the filters is slower")


def test_the_round_by_round_ratio_counts_the_variant_s_epochs():
    timing = variant_timings([timing_record("longer_schedule", [2.0, 2.0], [2.0, 2.0], epochs=15)])
    rounds = timing["longer_schedule"].round_by_round()
    assert rounds.ratio == pytest.approx(1.5) and rounds.low == pytest.approx(1.5) and rounds.n == 2
    assert variant_timings([timing_record("x", [2.0], [2.0])])["x"].round_by_round() is None


def test_the_ablation_table_takes_its_times_from_the_timing_pass_when_given():
    rows = {row.variant: row for row in ablation_rows(ablation_records(), timing_records())}
    assert rows["compact"].relative_times == pytest.approx([1.0, 200 / 210, 220 / 210])
    assert rows["batch_32"].relative_time is None  # not timed: no time rather than the ablation's
    lines = ablation_findings(ablation_records(), timing_records())
    assert "fastest window x windows, timed in turns with the compact model" in lines[0]


def test_test_time_flips_are_compared_with_the_plain_score_of_the_same_runs():
    records = []
    for seed, plain, flipped in ((42, 0.930, 0.934), (43, 0.926, 0.931), (44, 0.928, 0.932)):
        records.append({**record("compact", seed, accuracy=plain), "validation_accuracy_flipped": flipped})
    assert flip_averaging_finding(records) == ("compact model with test-time flips is more accurate than compact "
                                                "model without them by 0.004 (95% interval 0.003 to 0.006, 3 seeds)")
    with pytest.raises(ValueError, match="no validation accuracy with flips"):
        flip_averaging_finding(ablation_records())


def test_a_table_without_the_process_peaks_gives_what_training_added_per_model():
    rows = [ModelCost("reference", 1_413_834, 10, 1900.0, None, 474.0, 0.9008, [180.0] * 10),
            ModelCost("compact", 70_746, 10, 290.0, None, 196.0, 0.9195, [20.0] * 10)]
    header, reference, compact, _ = comparison_table(rows).splitlines()
    assert "peak MB" not in header and "+ train MB" in header
    assert reference.split()[-2:] == ["474", "0.9008"] and compact.split()[-2:] == ["196", "0.9195"]


def test_the_final_records_load_or_say_which_step_writes_them(monkeypatch, tmp_path):
    import cnn_course.benchmarking as benchmarking

    monkeypatch.setattr(benchmarking, "packaged_results", lambda name: tmp_path / name)
    with pytest.raises(FileNotFoundError, match="--final --seeds 3"):
        load_final_records()
    (tmp_path / FINAL_RESULTS).write_text('{"test_accuracy": 0.92}\n')
    assert load_final_records() == [{"test_accuracy": 0.92}]


def test_a_time_just_outside_the_baselines_range_is_printed_with_the_digit_that_shows_it():
    sentence = compare_times("variant", [122.2], "compact", [100.0, 100.0, 121.6])
    assert sentence.endswith("takes 1.222 of compact's training cost (fastest epoch x epochs), above the range of "
                             "compact's own 3 runs (1.000 to 1.216): variant is slower")
    assert "takes 1.10 of" in compare_times("variant", [110.0], "compact", [100.0, 100.0, 121.6])

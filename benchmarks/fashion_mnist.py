"""Chapter 7's Fashion-MNIST models trained on this machine: what each costs, what each reaches, what each change buys.

Four measurements, each model trained in a fresh process (so that one's memory does not count for another) by
the same functions as the chapter, on the same standardised splits, keeping the weights of the best validation
epoch:

- the comparison (default): the reference and the compact model, with their parameters, fastest epoch, total
  training seconds, peak memory of the process while it trained, validation accuracy, and the ratio of their
  training costs (``cnn_course.benchmarking.time_ratio``: fastest epoch x epochs, totals beside it);
- the ablation (``--ablation --seeds N``): the compact model and each of its variants
  (``cnn_course.benchmarking.ABLATION``: one change undone at a time, and the reference's whole recipe on the
  compact architecture) over the same N seeds (a seed sets the initial weights, the shuffling and the mirroring).
  A variant whose learning rate no longer suits it first runs a grid of peak rates on a seed of its own
  (``"grid": true`` in its records); its seeds then use the rate that scored best on the validation set. It
  records the best epoch's validation accuracy, every epoch's time and the parameters; never a test accuracy;
- the timing (``--timing``): each variant's training time against the compact model's, measured back to back in
  one process: the two models train in turns on the same fixed window of images, several rounds, and each keeps
  its fastest window (``cnn_course.benchmarking.TIMING_RESULTS``). The ablation's own runs last minutes each and
  hours apart, in whatever state the machine was in; these windows are seconds apart, so the ablation's table
  reads its times from here. A window's time times the windows in a training run is the run's cost;
- the final recipe's seeds (``--final --seeds N``, after the design is frozen on the validation set): the chosen
  variant (``--variant``, the compact model by default) over the same seeds, each scored once on the test set,
  plain and with test-time flips. These are the only test scores the benchmark writes, to a folder of their own,
  ``benchmarks/final/`` (and the package's copy), which chapter 7 reads only after its final test, for the spread
  of the recipe's test scores over seeds.

Every finished run appends one JSON line to a results file (machine, versions, date, mode, variant, seed, epoch
times). A full run writes to ``benchmarks/results/`` (the ablation's file is also copied into the package,
``src/cnn_course/resources/``, where chapter 7 reads it); quick mode and ``--epochs`` runs write under
``_build/benchmarks/``, so that a smoke run never touches the committed results; ``--results PATH`` chooses.
The ablation and the final step resume: a new call skips the runs already recorded for the same machine and
configuration; the ablation starts by repeating the compact model's first run, so that each batch of runs carries
its own time reference.

    .venv/bin/python benchmarks/fashion_mnist.py                        # the comparison (about 90 minutes)
    .venv/bin/python benchmarks/fashion_mnist.py --ablation --seeds 3   # the ablation (see README.md)
    .venv/bin/python benchmarks/fashion_mnist.py --ablation --seeds 3 --plan   # what a call would run
    .venv/bin/python benchmarks/fashion_mnist.py --timing               # every variant's time (about 20 minutes)
    .venv/bin/python benchmarks/fashion_mnist.py --final --seeds 3      # the frozen recipe on the test set
    .venv/bin/python benchmarks/fashion_mnist.py --quick                # quick mode: small subsets, minutes
    CNN_COURSE_MODE=quick make bench                                     # the same smoke run, with the others

It needs Fashion-MNIST in the Keras cache (see the setup page); by default it uses oneDNN's fast CPU kernels,
as full mode does. Nothing is asserted: these are measurements.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import shutil
from importlib.metadata import version
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
COMMITTED_RESULTS = REPOSITORY / "benchmarks" / "results"
COMMITTED_FINAL = REPOSITORY / "benchmarks" / "final"
SMOKE_RESULTS = REPOSITORY / "_build" / "benchmarks"
PACKAGED_RESULTS = REPOSITORY / "src" / "cnn_course" / "resources"
COMPARISON_RESULTS = "fashion_mnist_comparison.jsonl"
MODELS = ("reference", "compact")


def _child_setup(mode: str) -> None:
    """A fresh process trains in the parent's mode, without live progress bars (they cost time per batch)."""
    os.environ["CNN_COURSE_MODE"] = mode
    os.environ["CNN_COURSE_PROGRESS"] = "off"
    import cnn_course  # noqa: F401  (quiet TensorFlow, kernels for the mode)


def _timing(run) -> dict:
    """Every epoch's time, and the run's cost as the course compares it (fastest epoch x epochs) beside the total."""
    from cnn_course.benchmarking import fastest_epoch_seconds, training_seconds

    return {"seconds": run.seconds, "epoch_seconds": run.epoch_seconds,
            "min_epoch_seconds": fastest_epoch_seconds(run.epoch_seconds),
            "training_seconds": training_seconds(run.epoch_seconds)}


def train_and_measure(name: str, epochs: int | None, mode: str) -> dict:
    """Train one model of the comparison in this (child) process; return its measurements."""
    _child_setup(mode)
    from cnn_course.benchmarking import peak_memory
    from cnn_course.data import load_fashion_mnist, standardized_splits
    from cnn_course.models import (
        COMPACT_BATCH_SIZE,
        COMPACT_EPOCHS,
        compile_compact,
        fashion_mnist_compact,
        fashion_mnist_reference,
    )
    from cnn_course.settings import seed_everything
    from cnn_course.training import keep_best_epoch, train

    splits = standardized_splits(*load_fashion_mnist())
    seed_everything()
    if name == "reference":
        model, batch_size, epochs = fashion_mnist_reference(), None, epochs or 10
        model.compile(optimizer="nadam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    else:
        model, batch_size, epochs = fashion_mnist_compact(), COMPACT_BATCH_SIZE, epochs or COMPACT_EPOCHS
        compile_compact(model, len(splits.x_train), batch_size=batch_size, epochs=epochs)
    with peak_memory() as memory:  # the peak of training, not of loading and standardising the data
        run = train(model, splits.x_train, splits.y_train, epochs=epochs, batch_size=batch_size,
                    validation_data=(splits.x_valid, splits.y_valid), callbacks=[keep_best_epoch()])
    return {"model": name, "parameters": model.count_params(), "epochs": run.epochs, "training_images": run.samples,
            "best_epoch": run.best_epoch, "validation_accuracy": max(run.history["val_accuracy"]),
            "validation_images": len(splits.x_valid), "peak_memory_mb": memory.peak_mb,
            "training_memory_mb": memory.added_mb, **_timing(run)}


def train_variant(name: str, seed: int, learning_rate: float | None, epochs: int | None, mode: str,
                  score_test: bool = False) -> dict:
    """Train one variant of the ablation with one seed in this (child) process; return its measurements.

    Nothing is scored on the test set unless ``score_test`` (the final step only): the ablation chooses and
    compares on the validation set.
    """
    _child_setup(mode)
    from cnn_course.benchmarking import VARIANTS
    from cnn_course.data import load_fashion_mnist, standardized_splits
    from cnn_course.evaluation import accuracy, accuracy_with_flips, share_of_test_set
    from cnn_course.settings import seed_everything
    from cnn_course.training import keep_best_epoch, train

    splits = standardized_splits(*load_fashion_mnist())
    variant = VARIANTS[name]
    epochs = epochs or variant.training_epochs()
    seed_everything(seed)
    model = variant.compile(variant.build(seed), len(splits.x_train), epochs, learning_rate)
    run = train(model, splits.x_train, splits.y_train, epochs=epochs, batch_size=variant.training_batch_size(),
                validation_data=(splits.x_valid, splits.y_valid), callbacks=[keep_best_epoch()])
    scores = {}
    if score_test:
        x_test, y_test = share_of_test_set(splits.x_test, splits.y_test)
        scores = {"test_accuracy": accuracy(model, x_test, y_test),
                  "test_accuracy_flipped": accuracy_with_flips(model, x_test, y_test), "test_images": len(x_test)}
    return {**scores, "parameters": model.count_params(), "batch_size": variant.training_batch_size(),
            "validation_accuracy_flipped": accuracy_with_flips(model, splits.x_valid, splits.y_valid),
            "learning_rate": learning_rate or variant.peak_learning_rate(), "epochs": run.epochs,
            "training_images": run.samples, "validation_images": len(splits.x_valid), "best_epoch": run.best_epoch,
            "validation_accuracy": max(run.history["val_accuracy"]), "val_accuracy": run.history["val_accuracy"],
            **_timing(run)}


def time_variant(name: str, window_images: int, rounds: int, mode: str) -> dict:
    """Train the compact model and one variant in turns on the same window of images; every window's seconds.

    Both models are built and compiled as for a training run (with the variant's epochs, for its schedule) and
    first trained on one window each, untimed, so that tracing the training step is not counted. Then each round
    trains each model on the window once, the two taking turns at going first. The windows are seconds apart, so
    when the machine is in its fast state for one model's window, it usually is for the other's too.
    """
    _child_setup(mode)
    import time

    from cnn_course.benchmarking import BASELINE, VARIANTS
    from cnn_course.data import load_fashion_mnist, standardized_splits
    from cnn_course.settings import DEFAULT_SEED, seed_everything

    splits = standardized_splits(*load_fashion_mnist())
    x, y = splits.x_train[:window_images], splits.y_train[:window_images]
    contenders = {}
    for role, variant in (("compact", BASELINE), ("variant", VARIANTS[name])):
        seed_everything(DEFAULT_SEED)
        model = variant.compile(variant.build(DEFAULT_SEED), len(splits.x_train), variant.training_epochs())
        contenders[role] = (model, variant.training_batch_size())
    seconds = {role: [] for role in contenders}
    for round_ in range(rounds + 1):
        order = list(contenders) if round_ % 2 == 0 else list(reversed(contenders))
        for role in order:
            model, batch_size = contenders[role]
            started = time.perf_counter()
            model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
            if round_ > 0:  # round 0 traces the training step
                seconds[role].append(time.perf_counter() - started)
    variant = VARIANTS[name]
    return {"window_images": len(x), "rounds": rounds, "training_images": len(splits.x_train),
            "epochs": variant.training_epochs(), "batch_size": variant.training_batch_size(),
            "parameters": contenders["variant"][0].count_params(),
            "compact_window_seconds": seconds["compact"], "variant_window_seconds": seconds["variant"]}


def in_fresh_process(function, *args):
    """Run ``function(*args)`` in a new Python process and return its result (nothing is shared with this one)."""
    from cnn_course.data import DatasetUnavailableError

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        try:
            return pool.apply(function, args)
        except DatasetUnavailableError as error:
            raise SystemExit(f"DatasetUnavailableError: {error}") from None


def configuration(mode: str, epochs: int | None) -> dict:
    """What must match for two records to count as the same measurement: machine, versions, mode and recipe."""
    from cnn_course.benchmarking import GRID_SEED, LEARNING_RATE_GRID, describe_machine
    from cnn_course.models import (
        COMPACT_BATCH_SIZE,
        COMPACT_EPOCHS,
        COMPACT_FILTERS,
        COMPACT_PEAK_LEARNING_RATE,
        COMPACT_WARMUP_SHARE,
        COMPACT_WEIGHT_DECAY,
    )
    from cnn_course.settings import onednn_enabled

    return {"machine": describe_machine(), "tensorflow": version("tensorflow"), "keras": version("keras"),
            "onednn": onednn_enabled(), "mode": mode, "epochs": epochs or COMPACT_EPOCHS,
            "recipe": {"filters": list(COMPACT_FILTERS), "batch_size": COMPACT_BATCH_SIZE, "optimizer": "adamw",
                       "peak_learning_rate": COMPACT_PEAK_LEARNING_RATE, "weight_decay": COMPACT_WEIGHT_DECAY,
                       "warmup_share": COMPACT_WARMUP_SHARE},
            "learning_rate_grid": list(LEARNING_RATE_GRID), "grid_seed": GRID_SEED}


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def results_path(args, mode: str, name: str, committed: Path = COMMITTED_RESULTS) -> Path:
    """``--results``, else the committed folder for a full run as the chapter does it, else ``_build/``."""
    if args.results:
        return Path(args.results)
    return (committed if mode == "full" and args.epochs is None else SMOKE_RESULTS) / name


def compare(args, mode: str) -> None:
    from cnn_course.benchmarking import ModelCost, append_record, comparison_table, describe_machine

    path, batch, config = results_path(args, mode, COMPARISON_RESULTS), now(), configuration(mode, args.epochs)
    print(f"machine: {describe_machine()}")
    results = []
    for name in MODELS:
        result = in_fresh_process(train_and_measure, name, args.epochs, mode)
        append_record(path, {"benchmark": "fashion_mnist_comparison", "batch": batch, "date": now(),
                             "config": config, **result})
        results.append(result)
    print(f"TensorFlow {version('tensorflow')}, oneDNN {'on' if config['onednn'] else 'off'}, {mode} mode, "
          f"{results[0]['training_images']:,} training images")
    print(comparison_table([ModelCost(r["model"], r["parameters"], r["epochs"], r["seconds"], r["peak_memory_mb"],
                                      r["training_memory_mb"], r["validation_accuracy"], r["epoch_seconds"],
                                      accuracy_label="val. acc.")
                            for r in results]))
    print(f"records appended to {path}")


def ablate(args, mode: str) -> None:
    from cnn_course.benchmarking import (
        ABLATION_RESULTS,
        VARIANTS,
        ablation_findings,
        ablation_plan,
        ablation_table,
        append_record,
        chosen_learning_rate,
        describe_machine,
        read_records,
        runs_to_do,
    )
    from cnn_course.settings import DEFAULT_SEED

    path, config = results_path(args, mode, ABLATION_RESULTS), configuration(mode, args.epochs)
    seeds = [DEFAULT_SEED + index for index in range(args.seeds)]
    plan = ablation_plan(seeds)
    todo = runs_to_do(plan, read_records(path), config)
    print(f"machine: {describe_machine()}")
    print(f"TensorFlow {config['tensorflow']}, oneDNN {'on' if config['onednn'] else 'off'}, {mode} mode; "
          f"results: {path}")
    print(f"{len(plan)} runs in the plan, {len(todo)} to do in this call: "
          + (", ".join(f"{run.describe()}{' (repeated)' * repeat}" for run, repeat in todo) or "none"))
    if args.plan:
        return
    batch = now()
    for number, (run, repeat) in enumerate(todo, 1):
        variant = VARIANTS[run.variant]
        rate = run.grid_rate
        if rate is None and variant.tune_rate:
            rate = chosen_learning_rate(read_records(path), run.variant, config)
        print(f"== run {number}/{len(todo)}: {run.describe()}{', repeated' * repeat}"
              f"{f', rate {rate:g} chosen by its grid' if rate and not run.grid_rate else ''} ({now()})", flush=True)
        result = in_fresh_process(train_variant, run.variant, run.seed, rate, args.epochs, mode)
        append_record(path, {"benchmark": "fashion_mnist_ablation", "variant": run.variant, "label": variant.label,
                             "seed": run.seed, "grid": run.grid_rate is not None, "repeat": repeat, "batch": batch,
                             "batch_baseline_seed": seeds[0], "date": now(), "config": config, **result})
        if path.parent == COMMITTED_RESULTS and not args.results:
            PACKAGED_RESULTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, PACKAGED_RESULTS / ABLATION_RESULTS)
        print(f"{run.describe()}: validation accuracy {result['validation_accuracy']:.4f} (epoch "
              f"{result['best_epoch']}), {result['training_seconds']:.1f} s (fastest epoch "
              f"{result['min_epoch_seconds']:.1f} s x {result['epochs']}; total {result['seconds']:.1f} s)",
              flush=True)
    records = read_records(path)
    if records:
        print(ablation_table(records))
        print("\n".join(ablation_findings(records)))


def timing(args, mode: str) -> None:
    """Every variant timed against the compact model, back to back, one fresh process per variant."""
    from cnn_course.benchmarking import (
        ABLATION,
        IMPROVEMENTS,
        TIMING_RESULTS,
        TIMING_ROUNDS,
        TIMING_WINDOW_IMAGES,
        append_record,
        describe_machine,
        read_records,
        timing_findings,
    )

    path, config = results_path(args, mode, TIMING_RESULTS), configuration(mode, args.epochs)
    window = TIMING_WINDOW_IMAGES if mode == "full" else TIMING_WINDOW_IMAGES // 8
    # a pass with another number of rounds is another measurement: its records stay, and the latest count
    done = {record["variant"] for record in read_records(path)
            if record["config"] == config and record["rounds"] == TIMING_ROUNDS}
    todo = [variant.name for variant in (*ABLATION, *IMPROVEMENTS) if variant.name not in done]
    print(f"machine: {describe_machine()}; {mode} mode; results: {path}")
    print(f"windows of {window:,} images, {TIMING_ROUNDS} rounds; to time: {', '.join(todo) or 'none'}")
    for name in todo:
        result = in_fresh_process(time_variant, name, window, TIMING_ROUNDS, mode)
        append_record(path, {"benchmark": "fashion_mnist_timing", "variant": name, "date": now(), "config": config,
                             **result})
        if path.parent == COMMITTED_RESULTS and not args.results:
            shutil.copyfile(path, PACKAGED_RESULTS / TIMING_RESULTS)
        print(f"{name}: fastest window {min(result['variant_window_seconds']):.2f} s, compact's "
              f"{min(result['compact_window_seconds']):.2f} s", flush=True)
    records = [record for record in read_records(path) if record["config"] == config]
    if records:
        print("\n".join(timing_findings(records)))


def final(args, mode: str) -> None:
    """The frozen recipe over ``--seeds`` seeds, each scored once on the test set: the spread chapter 7 quotes."""
    from cnn_course.benchmarking import FINAL_RESULTS, VARIANTS, append_record, describe_machine, read_records
    from cnn_course.experiments import summarize_seeds
    from cnn_course.settings import DEFAULT_SEED

    if args.variant not in VARIANTS:
        raise SystemExit(f"--variant {args.variant!r} is not one of {sorted(VARIANTS)}")
    path, config = results_path(args, mode, FINAL_RESULTS, COMMITTED_FINAL), configuration(mode, args.epochs)
    seeds = [DEFAULT_SEED + index for index in range(args.seeds)]
    done = {record["seed"] for record in read_records(path)
            if record["variant"] == args.variant and record["config"] == config}
    todo = [seed for seed in seeds if seed not in done]
    print(f"machine: {describe_machine()}; {mode} mode; results: {path}")
    print(f"{args.variant} on seeds {seeds}: {len(todo)} to train ({', '.join(map(str, todo)) or 'none'})")
    variant = VARIANTS[args.variant]
    if variant.tune_rate:
        raise SystemExit(f"{args.variant} chooses its rate on a grid: a final recipe must fix its rate")
    for seed in todo:
        result = in_fresh_process(train_variant, args.variant, seed, None, args.epochs, mode, True)
        append_record(path, {"benchmark": "fashion_mnist_final", "variant": args.variant, "label": variant.label,
                             "seed": seed, "date": now(), "config": config, **result})
        if path.parent == COMMITTED_FINAL and not args.results:
            PACKAGED_RESULTS.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, PACKAGED_RESULTS / FINAL_RESULTS)
        print(f"{args.variant} seed {seed}: validation {result['validation_accuracy']:.4f}, test "
              f"{result['test_accuracy']:.4f} (with flips {result['test_accuracy_flipped']:.4f})", flush=True)
    scores = [record["test_accuracy"] for record in read_records(path)
              if record["variant"] == args.variant and record["config"] == config and record["seed"] in seeds]
    if scores:
        summary = summarize_seeds(scores)
        print(f"test accuracy over {summary.n} seeds: {summary.describe()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs for every model (default: chapter 7's); results then go under _build/")
    parser.add_argument("--quick", action="store_true",
                        help="quick mode: train on small subsets (also when CNN_COURSE_MODE=quick)")
    parser.add_argument("--ablation", action="store_true",
                        help="the compact model with each change undone, and over --seeds seeds")
    parser.add_argument("--seeds", type=int, default=3,
                        help="seeds of every variant in the ablation, from 42 on (default 3)")
    parser.add_argument("--plan", action="store_true", help="print the runs the ablation would do, and stop")
    parser.add_argument("--timing", action="store_true",
                        help="every variant's training time against the compact model's, measured back to back")
    parser.add_argument("--final", action="store_true",
                        help="the frozen recipe (--variant) over --seeds seeds, scored on the test set")
    parser.add_argument("--variant", default="compact",
                        help="with --final: the recipe chosen on the validation set (default: the compact model)")
    parser.add_argument("--results", default=None, help="the JSON-lines file to append to (and resume from)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    mode = "quick" if args.quick or os.environ.get("CNN_COURSE_MODE", "").strip().lower() == "quick" else "full"
    os.environ["CNN_COURSE_MODE"] = mode  # before cnn_course is imported, here and in every child process
    if sum((args.ablation, args.final, args.timing)) > 1:
        parser.error("--ablation, --timing and --final measure different things: one at a time")
    if args.timing:
        timing(args, mode)
    elif args.ablation:
        ablate(args, mode)
    elif args.final:
        final(args, mode)
    else:
        compare(args, mode)


if __name__ == "__main__":
    main()

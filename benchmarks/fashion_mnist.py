"""Chapter 7's Fashion-MNIST models trained on this machine: what each costs, what each reaches, what each change buys.

Two measurements, each model trained in a fresh process (so that one's memory does not count for another) by
the same functions as the chapter, on the same standardised splits, keeping the weights of the best validation
epoch:

- the comparison (default): the reference and the compact model, with their parameters, fastest epoch, total
  training seconds, peak memory of the process while it trained, test accuracy, and the ratio of their training
  costs (``cnn_course.benchmarking.time_ratio``: fastest epoch x epochs, totals beside it);
- the ablation (``--ablation --seeds N``): the compact model and each of its variants
  (``cnn_course.benchmarking.ABLATION``: one change undone at a time, and the reference's whole recipe on the
  compact architecture) over the same N seeds (a seed sets the initial weights, the shuffling and the mirroring).
  A variant whose learning rate no longer suits it first runs a grid of peak rates on a seed of its own
  (``"grid": true`` in its records); its seeds then use the rate that scored best on the validation set. It
  records the best epoch's validation accuracy, every epoch's time and the parameters; never a test accuracy.

Every finished run appends one JSON line to a results file (machine, versions, date, mode, variant, seed, epoch
times). A full run writes to ``benchmarks/results/`` (the ablation's file is also copied into the package,
``src/cnn_course/resources/``, where chapter 7 reads it); quick mode and ``--epochs`` runs write under
``_build/benchmarks/``, so that a smoke run never touches the committed results; ``--results PATH`` chooses.
The ablation resumes: a new call skips the runs already recorded for the same machine and configuration, and
starts by repeating the compact model's first run, so that each batch of runs carries its own time reference.

    .venv/bin/python benchmarks/fashion_mnist.py                        # the comparison (about 90 minutes)
    .venv/bin/python benchmarks/fashion_mnist.py --ablation --seeds 3   # the ablation (see README.md)
    .venv/bin/python benchmarks/fashion_mnist.py --ablation --seeds 3 --plan   # what a call would run
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
    from cnn_course.evaluation import accuracy, share_of_test_set
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
    x_test, y_test = share_of_test_set(splits.x_test, splits.y_test)
    return {"model": name, "parameters": model.count_params(), "epochs": run.epochs, "training_images": run.samples,
            "best_epoch": run.best_epoch, "validation_accuracy": max(run.history["val_accuracy"]),
            "peak_memory_mb": memory.peak_mb, "training_memory_mb": memory.added_mb,
            "test_accuracy": accuracy(model, x_test, y_test), "test_images": len(x_test), **_timing(run)}


def train_variant(name: str, seed: int, learning_rate: float | None, epochs: int | None, mode: str) -> dict:
    """Train one variant of the ablation with one seed in this (child) process; return its measurements.

    Nothing is scored on the test set: the ablation chooses and compares on the validation set.
    """
    _child_setup(mode)
    from cnn_course.benchmarking import VARIANTS
    from cnn_course.data import load_fashion_mnist, standardized_splits
    from cnn_course.evaluation import accuracy_with_flips
    from cnn_course.settings import seed_everything
    from cnn_course.training import keep_best_epoch, train

    splits = standardized_splits(*load_fashion_mnist())
    variant = VARIANTS[name]
    epochs = epochs or variant.training_epochs()
    seed_everything(seed)
    model = variant.compile(variant.build(seed), len(splits.x_train), epochs, learning_rate)
    run = train(model, splits.x_train, splits.y_train, epochs=epochs, batch_size=variant.training_batch_size(),
                validation_data=(splits.x_valid, splits.y_valid), callbacks=[keep_best_epoch()])
    return {"parameters": model.count_params(), "batch_size": variant.training_batch_size(),
            "validation_accuracy_flipped": accuracy_with_flips(model, splits.x_valid, splits.y_valid),
            "learning_rate": learning_rate or variant.peak_learning_rate(), "epochs": run.epochs,
            "training_images": run.samples, "validation_images": len(splits.x_valid), "best_epoch": run.best_epoch,
            "validation_accuracy": max(run.history["val_accuracy"]), "val_accuracy": run.history["val_accuracy"],
            **_timing(run)}


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


def results_path(args, mode: str, name: str) -> Path:
    """``--results``, else the committed folder for a full run as the chapter does it, else ``_build/``."""
    if args.results:
        return Path(args.results)
    return (COMMITTED_RESULTS if mode == "full" and args.epochs is None else SMOKE_RESULTS) / name


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
                                      r["training_memory_mb"], r["test_accuracy"], r["epoch_seconds"])
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
    parser.add_argument("--results", default=None, help="the JSON-lines file to append to (and resume from)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    mode = "quick" if args.quick or os.environ.get("CNN_COURSE_MODE", "").strip().lower() == "quick" else "full"
    os.environ["CNN_COURSE_MODE"] = mode  # before cnn_course is imported, here and in every child process
    if args.ablation:
        ablate(args, mode)
    else:
        compare(args, mode)


if __name__ == "__main__":
    main()

"""Chapter 7's two Fashion-MNIST models trained in one run on this machine: what each costs, what each reaches.

For each model (built by the same functions as the chapter, trained on the same standardised splits with the
same settings, keeping the weights of the best validation epoch) it prints the parameters, the seconds per
epoch, the total training seconds, the peak memory of the process while it trained (data loading excluded
where Linux allows it) and the test accuracy, then the ratio of the training times. Each model trains in a fresh
process, so that one's memory does not count for the other. Nothing is asserted: these are measurements.

    .venv/bin/python benchmarks/fashion_mnist.py              # the full run of chapter 7 (most of an hour on 2 cores)
    .venv/bin/python benchmarks/fashion_mnist.py --epochs 1   # a smoke run: one epoch of each on all the data
    .venv/bin/python benchmarks/fashion_mnist.py --quick      # quick mode: small subsets, a minute or two
    CNN_COURSE_MODE=quick make bench                           # the same smoke run, with the other benchmarks

It needs Fashion-MNIST in the Keras cache (see the setup page); by default it uses oneDNN's fast CPU kernels,
as full mode does.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import platform
import resource
from importlib.metadata import version
from pathlib import Path

MODELS = ("reference", "compact")


def reset_peak_memory() -> bool:
    """Reset this process's peak resident memory (Linux's VmHWM), so that what follows is measured alone."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def memory_mb(field: str = "VmHWM") -> float:
    """This process's peak (``VmHWM``) or current (``VmRSS``) resident memory in MB, from Linux's /proc.

    Elsewhere, the peak since the process started (``ru_maxrss``) for both.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train_and_measure(name: str, epochs: int | None, mode: str) -> dict:
    """Train one model in this (child) process and return its measurements."""
    os.environ["CNN_COURSE_MODE"] = mode
    import cnn_course  # noqa: F401  (quiet TensorFlow, kernels for the mode)
    from cnn_course.data import load_fashion_mnist, standardized_splits
    from cnn_course.evaluation import accuracy, share_of_test_set
    from cnn_course.models import (
        COMPACT_BATCH_SIZE,
        COMPACT_EPOCHS,
        compact_optimizer,
        fashion_mnist_compact,
        fashion_mnist_reference,
    )
    from cnn_course.settings import onednn_enabled, seed_everything
    from cnn_course.training import keep_best_epoch, train, training_steps

    splits = standardized_splits(*load_fashion_mnist())
    seed_everything()
    if name == "reference":
        model, batch_size, epochs = fashion_mnist_reference(), None, epochs or 10
        model.compile(optimizer="nadam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    else:
        model, batch_size, epochs = fashion_mnist_compact(), COMPACT_BATCH_SIZE, epochs or COMPACT_EPOCHS
        steps = training_steps(len(splits.x_train), batch_size, epochs)
        model.compile(optimizer=compact_optimizer(steps), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    gc.collect()
    reset_peak_memory()  # the peak of training, not of loading and standardising the data
    before = memory_mb("VmRSS")
    run = train(model, splits.x_train, splits.y_train, epochs=epochs, batch_size=batch_size,
                validation_data=(splits.x_valid, splits.y_valid), callbacks=[keep_best_epoch()], log=False)
    x_test, y_test = share_of_test_set(splits.x_test, splits.y_test)
    return {
        "model": name,
        "parameters": model.count_params(),
        "epochs": run.epochs,
        "examples": run.samples,
        "seconds": run.seconds,
        "seconds_per_epoch": run.seconds_per_epoch,
        "peak_memory_mb": memory_mb("VmHWM"),
        "training_memory_mb": memory_mb("VmHWM") - before,
        "onednn": onednn_enabled(),
        "test_accuracy": accuracy(model, x_test, y_test),
    }


def describe_machine() -> str:
    """CPU model, cores, system and Python version, for the record."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None, help="epochs for both models (default: chapter 7's)")
    parser.add_argument("--quick", action="store_true",
                        help="quick mode: train on small subsets (also when CNN_COURSE_MODE=quick)")
    args = parser.parse_args()
    mode = "quick" if args.quick or os.environ.get("CNN_COURSE_MODE", "").strip().lower() == "quick" else "full"
    print(f"machine: {describe_machine()}")
    context = multiprocessing.get_context("spawn")
    results = []
    for name in MODELS:
        with context.Pool(1) as pool:
            results.append(pool.apply(train_and_measure, (name, args.epochs, mode)))
    print(f"TensorFlow {version('tensorflow')}, oneDNN {'on' if results[0]['onednn'] else 'off'}, {mode} mode, "
          f"{results[0]['examples']:,} training images")
    print(f"{'model':<10}{'parameters':>11}{'epochs':>7}{'s/epoch':>9}{'train s':>9}{'peak MB':>9}"
          f"{'+ training MB':>15}{'test acc.':>11}")
    for r in results:
        print(f"{r['model']:<10}{r['parameters']:>11,}{r['epochs']:>7}{r['seconds_per_epoch']:>9.1f}"
              f"{r['seconds']:>9.1f}{r['peak_memory_mb']:>9.0f}{r['training_memory_mb']:>15.0f}"
              f"{r['test_accuracy']:>11.4f}")
    reference, compact = results
    ratio = compact["seconds"] / reference["seconds"]
    print(f"compact / reference training time: {ratio:.3f} ({1 / ratio:.1f} times faster)")


if __name__ == "__main__":
    main()

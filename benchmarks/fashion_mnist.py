"""Chapter 7's two Fashion-MNIST models trained in one run on this machine: what each costs, what each reaches.

For each model (built by the same functions as the chapter, trained on the same standardised splits with the
same settings, keeping the weights of the best validation epoch) it prints the parameters, the seconds per
epoch, the total training seconds, the peak memory of the process while it trained (data loading excluded
where Linux allows it) and the test accuracy, then the ratio of the training times. Each model trains in a fresh
process, so that one's memory does not count for the other. Nothing is asserted: these are measurements.

    .venv/bin/python benchmarks/fashion_mnist.py              # the full run of chapter 7 (about 90 minutes on 2 cores)
    .venv/bin/python benchmarks/fashion_mnist.py --epochs 1   # a smoke run: one epoch of each on all the data
    .venv/bin/python benchmarks/fashion_mnist.py --quick      # quick mode: small subsets, a minute or two
    CNN_COURSE_MODE=quick make bench                           # the same smoke run, with the other benchmarks

It needs Fashion-MNIST in the Keras cache (see the setup page); by default it uses oneDNN's fast CPU kernels,
as full mode does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
from importlib.metadata import version

MODELS = ("reference", "compact")


def train_and_measure(name: str, epochs: int | None, mode: str):
    """Train one model in this (child) process; return its costs, the training images and the oneDNN state."""
    os.environ["CNN_COURSE_MODE"] = mode
    import cnn_course  # noqa: F401  (quiet TensorFlow, kernels for the mode)
    from cnn_course.benchmarking import ModelCost, peak_memory
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
    with peak_memory() as memory:  # the peak of training, not of loading and standardising the data
        run = train(model, splits.x_train, splits.y_train, epochs=epochs, batch_size=batch_size,
                    validation_data=(splits.x_valid, splits.y_valid), callbacks=[keep_best_epoch()], log=False)
    x_test, y_test = share_of_test_set(splits.x_test, splits.y_test)
    cost = ModelCost(model=name, parameters=model.count_params(), epochs=run.epochs, seconds=run.seconds,
                     peak_memory_mb=memory.peak_mb, training_memory_mb=memory.added_mb,
                     test_accuracy=accuracy(model, x_test, y_test))
    return cost, run.samples, onednn_enabled()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=None, help="epochs for both models (default: chapter 7's)")
    parser.add_argument("--quick", action="store_true",
                        help="quick mode: train on small subsets (also when CNN_COURSE_MODE=quick)")
    args = parser.parse_args()
    mode = "quick" if args.quick or os.environ.get("CNN_COURSE_MODE", "").strip().lower() == "quick" else "full"
    from cnn_course.benchmarking import comparison_table, describe_machine
    from cnn_course.data import DatasetUnavailableError

    print(f"machine: {describe_machine()}")
    context = multiprocessing.get_context("spawn")
    results = []
    for name in MODELS:
        with context.Pool(1) as pool:
            try:
                results.append(pool.apply(train_and_measure, (name, args.epochs, mode)))
            except DatasetUnavailableError as error:
                raise SystemExit(f"DatasetUnavailableError: {error}") from None
    _, examples, onednn = results[0]
    print(f"TensorFlow {version('tensorflow')}, oneDNN {'on' if onednn else 'off'}, {mode} mode, "
          f"{examples:,} training images")
    print(comparison_table([cost for cost, _, _ in results]))


if __name__ == "__main__":
    main()

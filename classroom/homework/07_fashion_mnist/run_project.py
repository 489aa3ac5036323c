"""Train a Fashion-MNIST project on the course's splits and report its validation accuracy: the test set stays shut.

    python run_project.py fashion_project.py            # the project's full run: 55,000 images, its EPOCHS
    python run_project.py fashion_project.py --quick    # 2,000 images, 2 epochs: a smoke test in seconds
    python run_project.py fashion_project.py --no-augment   # the same run without augmentation, to compare
    python run_project.py fashion_project.py --seeds 42 43 44                  # one run per seed, and their spread
    python run_project.py fashion_project.py --seeds 42 43 44 --against old.py # two designs, seed by seed
    python run_project.py fashion_project.py --no-augment --seeds 42 43 44 --against fashion_project.py

The run uses the splits of chapter 7 (``cnn_course.data.standardized_splits``: the last 5,000 training images
for validation, standardised with the training images' statistics), calls the project's ``augment`` on the
training images at every epoch, keeps the weights of the best validation epoch, and prints one line per epoch
and a summary. One run is one draw: ``--seeds`` trains once per seed and prints their mean and standard error,
and ``--against`` trains another design (or the same file with augmentation, when ``--no-augment`` is given) on
the same seeds and prints the paired comparison of chapter 7 (``cnn_course.experiments.compare_recipes``). It
never evaluates on the test set: the instructor scores each final model on it once, with ``--final``, after the
projects are handed in.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from cnn_course.data import load_fashion_mnist, standardized_splits
from cnn_course.experiments import compare_recipes, summarize_seeds
from cnn_course.settings import seed_everything

import numpy as np

QUICK_TRAIN, QUICK_VALID, QUICK_EPOCHS = 2_000, 500, 2


@dataclass(frozen=True)
class ProjectRun:
    """What the run measured: the best validation accuracy and when it came, the cost, and the model."""

    parameters: int
    epochs: int
    best_epoch: int
    validation_accuracy: float
    seconds: float
    model: object


def load_project(path: str | Path):
    path = Path(path).resolve()
    spec = importlib.util.spec_from_file_location(f"project_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project_splits(quick: bool):
    splits = standardized_splits(*load_fashion_mnist())
    if quick:
        return (splits.x_train[:QUICK_TRAIN], splits.y_train[:QUICK_TRAIN], splits.x_valid[:QUICK_VALID],
                splits.y_valid[:QUICK_VALID], splits)
    return splits.x_train, splits.y_train, splits.x_valid, splits.y_valid, splits


def train_and_validate(project, x_train, y_train, x_valid, y_valid, *, epochs: int, augmentation: bool = True,
                       seed: int = 42, verbose: bool = True) -> ProjectRun:
    """Train the project's model for ``epochs`` epochs, augmenting anew at each, and keep its best validation epoch."""
    seed_everything(seed)
    model = project.build_model()
    steps_per_epoch = -(-len(x_train) // project.BATCH_SIZE)
    project.compile_model(model, steps_per_epoch * epochs)
    rng = np.random.default_rng(seed)
    best, best_epoch, best_weights = -1.0, 0, None
    started = time.perf_counter()
    for epoch in range(1, epochs + 1):
        images = project.augment(x_train, rng) if augmentation else x_train
        model.fit(images, y_train, batch_size=project.BATCH_SIZE, epochs=1, verbose=0, shuffle=True)
        _, accuracy = model.evaluate(x_valid, y_valid, batch_size=512, verbose=0)
        if verbose:
            print(f"epoch {epoch:>2}: validation accuracy {accuracy:.4f} ({time.perf_counter() - started:.0f} s)")
        if accuracy > best:
            best, best_epoch, best_weights = accuracy, epoch, model.get_weights()
    model.set_weights(best_weights)
    return ProjectRun(model.count_params(), epochs, best_epoch, float(best), time.perf_counter() - started, model)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="the project's Python file (fashion_project.py)")
    parser.add_argument("--quick", action="store_true", help="2,000 training images, 2 epochs")
    parser.add_argument("--no-augment", action="store_true", help="train on the images as they are")
    parser.add_argument("--seeds", type=int, nargs="+", default=[42],
                        help="train once per seed (default: 42 only) and print the spread")
    parser.add_argument("--against", type=Path, default=None,
                        help="another project file, trained with augmentation on the same seeds: the paired comparison")
    parser.add_argument("--final", action="store_true",
                        help="instructors, once, after hand-in: also score the best epoch's model on the test set")
    args = parser.parse_args(argv)
    if args.final and (len(args.seeds) > 1 or args.against):
        parser.error("--final scores one handed-in model: give one seed and no --against")
    if args.against and len(args.seeds) < 2:
        parser.error("--against compares over seeds: give at least two with --seeds")
    x_train, y_train, x_valid, y_valid, splits = project_splits(args.quick)
    designs = [(args.project, not args.no_augment)] + ([(args.against, True)] if args.against else [])
    scores = []
    for path, augmentation in designs:
        project = load_project(path)
        epochs = QUICK_EPOCHS if args.quick else project.EPOCHS
        label = f"{path.name}{'' if augmentation else ' without augmentation'}"
        by_seed = {}
        for seed in args.seeds:
            run = train_and_validate(project, x_train, y_train, x_valid, y_valid, epochs=epochs,
                                     augmentation=augmentation, seed=seed)
            by_seed[seed] = run.validation_accuracy
            print(f"{label}, seed {seed}: {run.parameters:,} parameters, best validation accuracy "
                  f"{run.validation_accuracy:.4f} at epoch {run.best_epoch} of {run.epochs}, {run.seconds:.0f} s of "
                  f"training{' (quick)' if args.quick else ''}")
        if len(args.seeds) > 1:
            print(f"{label}, {len(args.seeds)} seeds: {summarize_seeds(by_seed).describe()}")
        scores.append((label, by_seed))
    if args.against:
        (name_a, a), (name_b, b) = scores
        print(compare_recipes(name_a, a, name_b, b))
    if args.final:
        _, test_accuracy = run.model.evaluate(splits.x_test, splits.y_test, batch_size=512, verbose=0)
        print(f"test accuracy of the handed-in model: {test_accuracy:.4f}")
    return 0


def run(argv=None) -> int:
    """``main``, with a one-line message instead of a traceback for a part of the project still to write."""
    try:
        return main(argv)
    except NotImplementedError as missing:
        print(f"the project does not define {missing} yet: replace its `raise NotImplementedError` with your code "
              "(README.md says what it must do)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(run())

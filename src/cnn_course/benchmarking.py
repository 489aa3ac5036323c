"""What a training run costs, and what chapter 7's ablation measured (chapter 7 and its benchmark).

Chapter 7 and ``benchmarks/fashion_mnist.py`` measure their models with these same functions and print
them in the same table, so the chapter's stored full run and a run of the benchmark can be read side by side:

- the time of a run, defined once: :func:`fastest_epoch_seconds`, :func:`training_seconds` (the fastest epoch
  times the epochs), :func:`time_ratio` and :func:`compare_times`, with the plain totals beside them;
  :func:`multiply_accumulates`, the arithmetic a model does per image, which no machine changes;
- peak memory (:func:`peak_memory`), the machine (:func:`describe_machine`), the side-by-side table
  (:func:`comparison_table`);
- the ablation of the compact model: its variants (:data:`ABLATION`), the JSON-lines records the benchmark
  appends (:func:`read_records`, :func:`append_record`), the committed results shipped with the package
  (:func:`load_ablation_records`), and their table and figure (:func:`ablation_table`, :func:`plot_ablation`).

Memory is read from Linux's ``/proc/self/status``: ``VmHWM`` is the peak resident memory of the process, which
``/proc/self/clear_refs`` resets, so a measurement covers training alone and not what the process did before.
Elsewhere the peak since the process started stands in for both readings.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cnn_course.experiments import (
    SeedSummary,
    compare_recipes,
    paired_difference,
    single_run_against,
    summarize_seeds,
)


def reset_peak_memory() -> bool:
    """Reset this process's peak resident memory (Linux's VmHWM) to its current one; False where impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def memory_mb(field: str = "VmHWM") -> float:
    """This process's peak (``VmHWM``) or current (``VmRSS``) resident memory in MB, from Linux's /proc.

    Elsewhere, the peak since the process started (``ru_maxrss``: bytes on macOS, kB elsewhere) for both.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


@dataclass
class MemoryUse:
    """The process's resident memory before a block of code, and its peak while the block ran, in MB."""

    before_mb: float
    peak_mb: float = 0.0

    @property
    def added_mb(self) -> float:
        """How much the block raised the process's memory above where it started."""
        return self.peak_mb - self.before_mb


@contextlib.contextmanager
def peak_memory() -> Iterator[MemoryUse]:
    """Measure the peak memory of the code in a ``with`` block: ``with peak_memory() as memory: train(...)``.

    Garbage is collected first, so that what an earlier step left behind does not count.
    """
    gc.collect()
    reset_peak_memory()
    memory = MemoryUse(before_mb=memory_mb("VmRSS"))
    try:
        yield memory
    finally:
        memory.peak_mb = memory_mb("VmHWM")


def describe_machine() -> str:
    """The CPU model, the number of cores, the system and the Python version, for the record."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python {platform.python_version()}"


def fastest_epoch_seconds(epoch_seconds: Sequence[float]) -> float:
    """A run's fastest epoch: the one time measure the course compares models by.

    These machines switch between a fast and a roughly twice slower state from one epoch to the next (one run of
    the compact model: five epochs of 22.8 to 25.2 s and five of 40.0 to 43.9 s). The median of such epochs
    (32.6 s) is a time no epoch took, and the total depends on how many epochs fell in the slow state. The
    fastest epoch is the time the computation takes when nothing slows the machine down: it moves far less from
    run to run, and two models' fastest epochs, measured back to back, compare what they compute.
    """
    if not epoch_seconds:
        raise ValueError("no epoch times: train with log=True, which times every epoch")
    return min(epoch_seconds)


def training_seconds(epoch_seconds: Sequence[float]) -> float:
    """A run's training cost as the course compares it: its fastest epoch times its number of epochs.

    The time the run would take with every epoch in the machine's fast state (see
    :func:`fastest_epoch_seconds`); the plain total, which counts the slow epochs too, is printed beside it.
    """
    return fastest_epoch_seconds(epoch_seconds) * len(epoch_seconds)


def time_ratio(epoch_seconds: Sequence[float], reference_epoch_seconds: Sequence[float]) -> float:
    """One run's training cost over another's, each as :func:`training_seconds` measures it.

    Chapter 7's goal ("at most a fifth of the reference's training cost") and the benchmark use this ratio; the
    two runs compared must be made back to back on the same machine, and the multiply-accumulates of the two
    models (:func:`multiply_accumulates`), which no machine changes, are printed beside it.
    """
    return training_seconds(epoch_seconds) / training_seconds(reference_epoch_seconds)


def relative_times(seconds: Sequence[float], baseline_seconds: Sequence[float]) -> list[float]:
    """Each time over the median of the baseline's times (its runs over seeds, measured the same way)."""
    reference = statistics.median(baseline_seconds)
    return [value / reference for value in seconds]


def _digits_to_tell_apart(ratio: float, bounds: Sequence[float]) -> int:
    """Two decimals, or three where two would print a ratio just outside a range as one of its bounds."""
    low, high = bounds
    outside = ratio < low and f"{ratio:.2f}" == f"{low:.2f}" or ratio > high and f"{ratio:.2f}" == f"{high:.2f}"
    return 3 if outside else 2


def compare_times(name: str, seconds: Sequence[float], baseline: str, baseline_seconds: Sequence[float],
                  measure: str = "fastest epoch x epochs") -> str:
    """The sentence that compares a model's training cost with a baseline's, each a list of runs' costs.

    Both are relative to the median of the baseline's runs. A difference of time is claimed only when every
    run of the model lies outside the range of the baseline's own runs, measured the same way: within that
    range, the difference is the machine's as much as the model's. With one baseline run, its spread is unknown
    and no difference is claimed. ``measure`` names how the costs were measured, for the sentence.
    """
    if not seconds or not baseline_seconds:
        raise ValueError("a time comparison needs at least one run of each model")
    ratios = relative_times(seconds, baseline_seconds)
    own = relative_times(baseline_seconds, baseline_seconds)
    ratio = statistics.median(ratios)
    digits = _digits_to_tell_apart(ratio, (min(own), max(own)))
    measured = f"{name} takes {ratio:.{digits}f} of {baseline}'s training cost ({measure}"
    measured += f", median of {len(ratios)} runs)" if len(ratios) > 1 else ")"
    if len(own) < 2:
        return f"{measured}; {baseline} ran once, so its own spread is unknown and no difference is claimed"
    spread = f"the range of {baseline}'s own {len(own)} runs ({min(own):.{digits}f} to {max(own):.{digits}f})"
    if max(ratios) < min(own):
        return f"{measured}, below {spread}: {name} is faster"
    if min(ratios) > max(own):
        return f"{measured}, above {spread}: {name} is slower"
    return f"{measured}, within {spread}: no difference of time is claimed"


def multiply_accumulates(model) -> dict[str, int]:
    """Multiply-accumulates per image of each convolutional and dense layer of a built Keras model.

    A convolution computes, for every output value (height x width x filters), one product per kernel weight
    (kernel height x kernel width x input channels / groups); a dense layer one per weight. Biases, batch
    normalisation, ReLU and pooling do no multiply-accumulates worth counting: they are cheap in arithmetic but
    read and write every value of their maps, which is why time does not fall as fast as this count.

    Returns:
        ``{layer name: count}`` in the order of the layers; ``sum(...values())`` is the model's.
    """
    import keras

    counts = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            _, height, width, filters = layer.output.shape
            kernel_height, kernel_width = layer.kernel_size
            channels = layer.input.shape[-1]
            counts[layer.name] = int(height * width * filters * kernel_height * kernel_width * channels
                                     // layer.groups)
        elif isinstance(layer, keras.layers.Dense):
            counts[layer.name] = int(layer.input.shape[-1] * layer.units)
    return counts


def activation_values(model) -> dict[str, int]:
    """Values each layer of a built Keras model writes per image (its output's size), in the order of the layers.

    Every layer reads its input and writes its output, multiply-accumulates or not; layers such as batch
    normalisation, ReLU, pooling or dropout do almost no arithmetic per value, so their time follows how much
    memory they move. Next to :func:`multiply_accumulates`, this count shows why a model with far fewer
    multiply-accumulates is not as many times faster.

    Returns:
        ``{layer name: count}``, the input layer left out.
    """
    import keras

    counts = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        shape = layer.output.shape[1:]
        counts[layer.name] = int(math.prod(shape))
    return counts


@dataclass
class ModelCost:
    """One row of the side-by-side table: what a model is, what its training cost, what it reached.

    ``accuracy`` is the one score the table shows, named by ``accuracy_label``: the benchmark's comparison gives
    the validation accuracy (it scores nothing on the test set), chapter 7's final table the test accuracy.
    ``peak_memory_mb`` is the process's peak while the model trained, which means something only when the model
    trained in a process of its own (the benchmark); in a notebook that trained another model before, it holds
    that one's leftovers too, so chapter 7 leaves it out (``None``) and gives what training added.
    """

    model: str
    parameters: int
    epochs: int
    seconds: float
    peak_memory_mb: float | None
    training_memory_mb: float
    accuracy: float
    epoch_seconds: Sequence[float] = ()
    accuracy_label: str = "test acc."

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds / self.epochs


def _timed_table(rows: Sequence[ModelCost]) -> str:
    with_peak = any(row.peak_memory_mb is not None for row in rows)
    lines = [f"{'model':<10}{'parameters':>10}{'epochs':>7}{'fastest s':>10}{'total s':>9}"
             + (f"{'peak MB':>8}" if with_peak else "")
             + f"{'+ train MB':>11}{rows[0].accuracy_label if rows else 'accuracy':>10}"]
    for row in rows:
        peak = f"{row.peak_memory_mb:>8.0f}" if with_peak else ""
        lines.append(f"{row.model:<10}{row.parameters:>10,}{row.epochs:>7}"
                     f"{fastest_epoch_seconds(row.epoch_seconds):>10.1f}"
                     f"{row.seconds:>9.1f}{peak}{row.training_memory_mb:>11.0f}"
                     f"{row.accuracy:>10.4f}")
    if len(rows) == 2:
        first, second = rows
        ratio = time_ratio(second.epoch_seconds, first.epoch_seconds)
        lines.append(f"{second.model} / {first.model} training cost (fastest epoch x epochs): {ratio:.3f} "
                     f"({1 / ratio:.1f} times faster); totals: {second.seconds / first.seconds:.3f}")
    return "\n".join(lines)


def comparison_table(rows: Sequence[ModelCost]) -> str:
    """The rows as a fixed-width table, then, for two rows, the second's training time over the first's.

    When every row has its ``epoch_seconds``, the table gives each model's fastest epoch beside its
    total, and the ratio is :func:`time_ratio`'s, with the ratio of the totals beside it; otherwise the mean
    epoch and the ratio of the totals.
    """
    if rows and all(row.epoch_seconds for row in rows):
        return _timed_table(rows)
    lines = [f"{'model':<10}{'parameters':>11}{'epochs':>7}{'s/epoch':>9}{'train s':>9}{'peak MB':>9}"
             f"{'+ training MB':>15}{rows[0].accuracy_label if rows else 'accuracy':>11}"]
    for row in rows:
        lines.append(f"{row.model:<10}{row.parameters:>11,}{row.epochs:>7}{row.seconds_per_epoch:>9.1f}"
                     f"{row.seconds:>9.1f}{row.peak_memory_mb:>9.0f}{row.training_memory_mb:>15.0f}"
                     f"{row.accuracy:>11.4f}")
    if len(rows) == 2:
        first, second = rows
        ratio = second.seconds / first.seconds
        lines.append(f"{second.model} / {first.model} training time: {ratio:.3f} ({1 / ratio:.1f} times faster)")
    return "\n".join(lines)


# The ablation of chapter 7's compact model (``benchmarks/fashion_mnist.py --ablation``). Its records hold
# validation accuracies only: the test set scores the final models once, in chapter 7's final test.
ABLATION_RESULTS = "fashion_mnist_ablation.jsonl"
# The frozen recipe's seeds scored on the test set (``benchmarks/fashion_mnist.py --final``), in a folder of their
# own (``benchmarks/final/``): the only test scores the benchmark writes, read by chapter 7 after its final test.
FINAL_RESULTS = "fashion_mnist_final.jsonl"
# The variants' times against the compact model's (``benchmarks/fashion_mnist.py --timing``): the two models train
# in turns on the same window of images (a tenth of an epoch, a whole number of batches of 128 and of 32), each
# keeping its fastest window over the rounds. The ablation's table reads its times from here.
TIMING_RESULTS = "fashion_mnist_timing.jsonl"
TIMING_WINDOW_IMAGES = 43 * 128
TIMING_ROUNDS = 5
WINDOW_MEASURE = "fastest window x windows, timed in turns with the compact model"
# A variant whose learning rate no longer suits it once its change is undone (the schedule, the batch size, batch
# normalisation) gets its own peak rate, chosen on the validation set from this grid with one run per rate on
# GRID_SEED; its runs over the ablation's seeds then use fresh seeds, so that the choice does not inflate them.
LEARNING_RATE_GRID = (3e-3, 1e-3, 3e-4)
GRID_SEED = 41


@dataclass(frozen=True)
class CompactVariant:
    """The compact model with one of its changes undone: how to build it, compile it and feed it.

    The defaults are the compact model itself; each other variant of :data:`ABLATION` sets one field back to
    what a plain network does, so that its records measure what that one change buys. ``tune_rate`` marks a
    variant whose peak learning rate is chosen from :data:`LEARNING_RATE_GRID` on the validation set;
    ``learning_rate`` fixes one (None: the compact model's).
    """

    name: str
    label: str
    batch_norm: bool = True
    head: str = "global_average"
    mirroring: bool = True
    schedule: str = "warmup_cosine"
    batch_size: int | None = None  # None: the compact model's, ``cnn_course.models.COMPACT_BATCH_SIZE``
    filters: tuple[int, int, int] | None = None  # None: ``cnn_course.models.COMPACT_FILTERS``
    optimizer: str = "adamw"
    weight_decay: float | None = None  # None: ``cnn_course.models.COMPACT_WEIGHT_DECAY``
    learning_rate: float | None = None  # None: ``cnn_course.models.COMPACT_PEAK_LEARNING_RATE``
    erasing: int = 0  # the side of RandomErasing's square; 0: none
    epochs: int | None = None  # None: ``cnn_course.models.COMPACT_EPOCHS``
    tune_rate: bool = False

    def build(self, seed: int):
        """The model, its weights, mirroring and erasing drawn from ``seed`` (call ``seed_everything(seed)`` first)."""
        from cnn_course.models import COMPACT_FILTERS, fashion_mnist_compact

        return fashion_mnist_compact(self.filters or COMPACT_FILTERS, batch_norm=self.batch_norm, head=self.head,
                                     mirroring=self.mirroring, erasing=self.erasing, flip_seed=seed)

    def training_epochs(self) -> int:
        from cnn_course.models import COMPACT_EPOCHS

        return self.epochs or COMPACT_EPOCHS

    def training_batch_size(self) -> int:
        from cnn_course.models import COMPACT_BATCH_SIZE

        return self.batch_size or COMPACT_BATCH_SIZE

    def peak_learning_rate(self) -> float:
        from cnn_course.models import COMPACT_PEAK_LEARNING_RATE

        return self.learning_rate or COMPACT_PEAK_LEARNING_RATE

    def compile(self, model, n_train: int, epochs: int, learning_rate: float | None = None):
        """Compile ``model`` with this variant's recipe, sized for ``epochs`` epochs on ``n_train`` images.

        ``learning_rate`` overrides the variant's peak rate (a grid run, or the rate its grid chose).
        """
        from cnn_course.models import COMPACT_WEIGHT_DECAY, compile_compact

        return compile_compact(model, n_train, batch_size=self.training_batch_size(), epochs=epochs,
                               schedule=self.schedule, peak_learning_rate=learning_rate or self.peak_learning_rate(),
                               weight_decay=COMPACT_WEIGHT_DECAY if self.weight_decay is None else self.weight_decay,
                               optimizer=self.optimizer)


# Short labels, for the table and the figure's legend. Each variant undoes one change of the compact model:
# batch normalisation, the global average pooling head (Flatten, then the same softmax layer), warm-up and cosine
# decay (a constant rate), batches of 128 (Keras's default of 32, as the reference model), the mirrored images,
# the filter counts (twice as many, and half), AdamW's update (Nadam's, with the same decoupled weight decay),
# and the weight decay. The last variant is not one change but the reference's whole recipe on the compact
# architecture (Nadam at Keras's default rate, constant, batches of 32, no mirroring, no weight decay): what the
# architecture alone buys, against the reference trained the same way.
BASELINE = CompactVariant("compact", "compact model")
ABLATION = (
    BASELINE,
    CompactVariant("without_batch_norm", "no batch norm.", batch_norm=False, tune_rate=True),
    CompactVariant("flatten_head", "Flatten head", head="flatten"),
    CompactVariant("constant_rate", "constant rate", schedule="constant", tune_rate=True),
    CompactVariant("batch_32", "batches of 32", batch_size=32, tune_rate=True),
    CompactVariant("without_mirroring", "no mirroring", mirroring=False),
    CompactVariant("double_filters", "twice the filters", filters=(32, 64, 128)),
    CompactVariant("half_filters", "half the filters", filters=(8, 16, 32)),
    CompactVariant("nadam", "Nadam, not AdamW", optimizer="nadam"),
    CompactVariant("without_weight_decay", "no weight decay", weight_decay=0.0),
    CompactVariant("reference_recipe", "reference's recipe", optimizer="nadam", schedule="constant",
                   learning_rate=1e-3, batch_size=32, mirroring=False, weight_decay=0.0),
)
# Changes added to the compact model, each a candidate to improve its recipe, chosen or not on the validation set:
# random erasing (8x8 squares), a longer schedule (15 epochs, still within a fifth of the reference's cost), and
# both. A third candidate costs no training: averaging the predictions for each image and its mirror image at
# test time, which every run records beside its plain validation accuracy.
IMPROVEMENTS = (
    CompactVariant("random_erasing", "+ random erasing", erasing=8),
    CompactVariant("longer_schedule", "+ 15 epochs", epochs=15),
    CompactVariant("erasing_longer", "+ erasing, 15 epochs", erasing=8, epochs=15),
)
VARIANTS = {variant.name: variant for variant in (*ABLATION, *IMPROVEMENTS)}


@dataclass(frozen=True)
class PlannedRun:
    """One run of the ablation: a variant, a seed, and for a grid run the peak learning rate it tries."""

    variant: str
    seed: int
    grid_rate: float | None = None

    @property
    def key(self) -> tuple[str, int, float | None]:
        return (self.variant, self.seed, self.grid_rate)

    def describe(self) -> str:
        return f"{self.variant} seed {self.seed}" + (f" at rate {self.grid_rate:g} (grid)" if self.grid_rate else "")


def ablation_plan(seeds: Sequence[int], *, grid_seed: int = GRID_SEED,
                  rates: Sequence[float] = LEARNING_RATE_GRID) -> list[PlannedRun]:
    """Every run of the ablation, in the order a call makes them.

    The compact model over every seed first (its spread, and each batch's time reference); then the learning-rate
    grids of the variants that need one (one run per rate with ``grid_seed``, which must not be one of
    ``seeds``); then every other variant and every candidate improvement (:data:`IMPROVEMENTS`) seed after seed,
    so that an ablation stopped midway already holds each of them on its first seeds.
    """
    if not seeds:
        raise ValueError("the ablation needs at least one seed")
    if grid_seed in seeds:
        raise ValueError(f"the grid's seed {grid_seed} must not be one of the ablation's seeds {list(seeds)}: "
                         "a variant's runs must not include the run that chose its rate")
    plan = [PlannedRun(BASELINE.name, seed) for seed in seeds]
    plan += [PlannedRun(variant.name, grid_seed, rate) for variant in ABLATION if variant.tune_rate for rate in rates]
    others = [*ABLATION[1:], *IMPROVEMENTS]
    return plan + [PlannedRun(variant.name, seed) for seed in seeds for variant in others]


def _record_key(record: Mapping) -> tuple[str, int, float | None]:
    return (record["variant"], record["seed"], record["learning_rate"] if record.get("grid") else None)


def runs_to_do(plan: Sequence[PlannedRun], records: Iterable[Mapping],
               config: Mapping) -> list[tuple[PlannedRun, bool]]:
    """The runs a new call of the benchmark makes, as (run, repeat), in order.

    Runs already recorded with the same configuration are skipped, so that a call resumes where an earlier one
    stopped. Every call that has something left to run starts with the plan's first run (the compact model with
    the first seed): when that run is already recorded, it is repeated (``repeat`` True) to measure this batch's
    machine state, against which the batch's other times are read.
    """
    done = {_record_key(record) for record in records if record["config"] == config}
    pending = [run for run in plan if run.key not in done]
    if not pending:
        return []
    baseline = plan[0]
    return [(baseline, baseline.key in done)] + [(run, False) for run in pending if run != baseline]


def chosen_learning_rate(records: Iterable[Mapping], variant: str, config: Mapping | None = None) -> float:
    """The peak learning rate a variant's grid chose: the grid run with the highest validation accuracy.

    Raises:
        LookupError: the variant's grid has not been run (with this configuration).
    """
    grid = [record for record in records if record["variant"] == variant and record.get("grid")
            and (config is None or record["config"] == config)]
    if not grid:
        raise LookupError(f"no learning-rate grid recorded for {variant}: run the ablation's plan in order")
    return max(grid, key=lambda record: record["validation_accuracy"])["learning_rate"]


def read_records(path: str | os.PathLike) -> list[dict]:
    """The records of a JSON-lines results file, one dictionary per line; none if the file does not exist."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def append_record(path: str | os.PathLike, record: Mapping) -> None:
    """Append one record as one line of JSON, creating the file and its folder if needed.

    One line per finished run: a run that stops halfway leaves every earlier record intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as results:
        results.write(json.dumps(record, sort_keys=True) + "\n")


def packaged_results(name: str = ABLATION_RESULTS) -> Path:
    """Where the package holds a committed results file (``cnn_course/resources/``), found on Colab too."""
    return Path(str(resources.files("cnn_course") / "resources" / name))


def load_final_records() -> list[dict]:
    """The frozen recipe's seeds scored on the test set (the package's copy of ``benchmarks/final/``).

    Raises:
        FileNotFoundError: the final step has not run; it comes after the design is frozen.
    """
    records = read_records(packaged_results(FINAL_RESULTS))
    if not records:
        raise FileNotFoundError(f"no final records at {packaged_results(FINAL_RESULTS)}: run `python "
                                "benchmarks/fashion_mnist.py --final --seeds 3` in full mode once the recipe is frozen")
    return records


def load_ablation_records(path: str | os.PathLike | None = None) -> list[dict]:
    """The ablation's committed records (the package's copy of ``benchmarks/results/``), or those of ``path``.

    Raises:
        FileNotFoundError: no results file there yet; it comes from a full run of the benchmark.
    """
    path = packaged_results() if path is None else Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no ablation results at {path}: run `python benchmarks/fashion_mnist.py "
                                "--ablation --seeds 3` in full mode (several hours on 2 cores) to record them")
    return read_records(path)


@dataclass
class AblationRow:
    """What the records of one variant say: validation accuracy per seed, its cost, its time against the baseline.

    ``training_seconds`` is the median over the variant's runs of each run's :func:`training_seconds` (fastest
    epoch x epochs); ``relative_times`` holds each run's cost over the median cost of the compact model's runs in
    the same batch of runs (the same call of the benchmark), and ``relative_time`` their median.
    """

    variant: str
    label: str
    validation_accuracy: dict[int, float]
    parameters: int
    validation_images: int | None
    training_seconds: float
    fastest_epoch_seconds: float
    relative_time: float | None
    relative_times: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)  # in seed order, where the records hold one
    # each seed's validation accuracy with test-time flips (every image and its mirror image averaged)
    validation_accuracy_flipped: dict[int, float] = field(default_factory=dict)

    @property
    def seeds(self) -> list[int]:
        return sorted(self.validation_accuracy)

    @property
    def runs(self) -> int:
        return len(self.validation_accuracy)

    @property
    def summary(self) -> SeedSummary:
        return summarize_seeds({seed: self.validation_accuracy[seed] for seed in self.seeds})


def _latest_config(records: Sequence[Mapping]) -> dict:
    return max(records, key=lambda record: record["date"])["config"]


def _run_cost(record: Mapping) -> float:
    """A record's training cost by the course's one measure, computed from its epoch times."""
    return training_seconds(record["epoch_seconds"])


def _batch_baselines(records: Sequence[Mapping]) -> dict[str, float]:
    """Each batch's baseline: the median cost (fastest epoch x epochs) of its runs of the compact model.

    A variant's time is read against the compact model's runs of the same call of the benchmark, made back to
    back with it on the same machine, never against runs made on another day.
    """
    costs: dict[str, list[float]] = {}
    for record in records:
        if record["variant"] == BASELINE.name:
            costs.setdefault(record["batch"], []).append(_run_cost(record))
    return {batch: statistics.median(values) for batch, values in costs.items()}


@dataclass(frozen=True)
class VariantTiming:
    """A variant's training cost from the timing pass, and the compact model's, timed in turns with it.

    ``training_seconds`` is the fastest window times the windows in a training run (its images over the window's,
    times its epochs): the run's cost by the course's measure, with a window in place of an epoch.
    """

    variant: str
    fastest_window: float
    compact_fastest_window: float
    windows_per_epoch: float
    epochs: int
    # every round's window, the variant's and the compact model's, timed seconds apart
    windows: tuple[float, ...] = ()
    compact_windows: tuple[float, ...] = ()

    @property
    def epoch_seconds(self) -> float:
        return self.fastest_window * self.windows_per_epoch

    @property
    def training_seconds(self) -> float:
        return self.epoch_seconds * self.epochs

    @property
    def compact_training_seconds(self) -> float:
        from cnn_course.models import COMPACT_EPOCHS

        return self.compact_fastest_window * self.windows_per_epoch * COMPACT_EPOCHS

    def round_by_round(self) -> RatioInterval | None:
        """The variant's training cost over the compact model's, paired round by round, with its 95% interval.

        In each round the two trained on the same window seconds apart, mostly in the same state of the machine,
        so their ratio cancels much of what the state adds. The interval is the paired comparison of chapter 6 on
        the logarithms of the windows' times (a ratio becomes a difference), over the rounds, scaled by the
        variant's epochs over the compact model's. None with fewer than 2 rounds.
        """
        from cnn_course.models import COMPACT_EPOCHS

        if min(len(self.windows), len(self.compact_windows)) < 2:
            return None
        difference = paired_difference([math.log(value) for value in self.windows],
                                       [math.log(value) for value in self.compact_windows])
        scale = self.epochs / COMPACT_EPOCHS
        return RatioInterval(scale * math.exp(difference.mean), scale * math.exp(difference.low),
                             scale * math.exp(difference.high), difference.n)


@dataclass(frozen=True)
class RatioInterval:
    """A ratio of times (a geometric mean over rounds) with its 95% interval, from ``n`` paired rounds."""

    ratio: float
    low: float
    high: float
    n: int


def variant_timings(records: Iterable[Mapping]) -> dict[str, VariantTiming]:
    """The timing pass's records of the latest configuration, by variant (a variant timed twice: its last).

    A pass with more rounds, run after one with fewer, thus replaces it without deleting its records.
    """
    records = list(records)
    if not records:
        return {}
    config = _latest_config(records)
    timings = {}
    for record in sorted((r for r in records if r["config"] == config), key=lambda r: r["date"]):
        timings[record["variant"]] = VariantTiming(
            record["variant"], min(record["variant_window_seconds"]), min(record["compact_window_seconds"]),
            record["training_images"] / record["window_images"], record["epochs"],
            tuple(record["variant_window_seconds"]), tuple(record["compact_window_seconds"]))
    return timings


def _compact_costs(timings: Mapping[str, VariantTiming]) -> list[float]:
    """The compact model's cost as timed beside each variant: its own spread over the timing pass."""
    return [timing.compact_training_seconds for timing in timings.values()]


def compare_timing(label: str, timing: VariantTiming, compact_costs: Sequence[float]) -> str:
    """The sentence that compares a variant's cost from the timing pass with the compact model's.

    A difference is claimed only when two readings agree: the variant's cost lies outside the range of the
    compact model's own costs, timed beside every variant (:func:`compare_times`), and the round-by-round
    ratio's interval (:meth:`VariantTiming.round_by_round`) lies on one side of 1. Either alone is fooled now and
    then by a machine that changes state: one new measurement falls outside the range of fourteen like it
    two times in fifteen by chance alone, and a few rounds can all catch the variant in one state and the compact
    model in another.
    """
    sentence = compare_times(label, [timing.training_seconds], "compact model", compact_costs, WINDOW_MEASURE)
    rounds = timing.round_by_round()
    if rounds is None:
        return sentence
    measured, _, verdict = sentence.rpartition(": ")
    paired = (f"; round by round {rounds.ratio:.2f} (95% interval {rounds.low:.2f} to {rounds.high:.2f}, "
              f"{rounds.n} rounds)")
    if verdict.endswith("is faster") and rounds.high >= 1 or verdict.endswith("is slower") and rounds.low <= 1:
        return f"{measured}{paired}, which holds 1: no difference of time is claimed"
    return f"{measured}{paired}: {verdict}"


def timing_findings(records: Iterable[Mapping]) -> list[str]:
    """The timing pass read with :func:`compare_timing`: each variant against the compact model timed beside it."""
    timings = variant_timings(records)
    compact = _compact_costs(timings)
    findings = [f"compact model, timed beside each of {len(compact)} variants: {min(compact):.1f} to "
                f"{max(compact):.1f} s per training run (fastest window x windows)"]
    for name, timing in timings.items():
        label = VARIANTS[name].label if name in VARIANTS else name
        findings.append(f"{label}: {timing.training_seconds:.1f} s; " + compare_timing(label, timing, compact))
    return findings


def ablation_rows(records: Iterable[Mapping], timings: Iterable[Mapping] | None = None) -> list[AblationRow]:
    """One row per variant, in :data:`ABLATION`'s order, from the records of the latest configuration.

    Records of another configuration (other versions, mode, machine or recipe) are left out, so that an older
    file's runs never mix with newer ones, and so are the runs of a learning-rate grid (``"grid": true``), which
    chose a variant's rate and would inflate its score. Accuracies come from each variant and seed's first run (a
    repeated baseline run only re-measures the time). Times come from the timing pass's records (``timings``,
    :data:`TIMING_RESULTS`) when given, where each variant was timed in turns with the compact model; otherwise
    from the ablation's own runs, each against the compact model's runs of the same batch.
    """
    records = list(records)
    if not records:
        raise ValueError("no records: the ablation has not been run")
    config = _latest_config(records)
    records = [record for record in records if record["config"] == config and not record.get("grid")]
    baselines = _batch_baselines(records)
    rows = []
    for variant in [*ABLATION, *IMPROVEMENTS, *sorted({r["variant"] for r in records} - set(VARIANTS))]:
        name = variant.name if isinstance(variant, CompactVariant) else variant
        runs = sorted((r for r in records if r["variant"] == name), key=lambda r: r["date"])
        if not runs:
            continue
        first = {}
        for run in runs:
            first.setdefault(run["seed"], run)
        relative = [_run_cost(run) / baselines[run["batch"]] for run in runs if run["batch"] in baselines]
        rows.append(AblationRow(
            variant=name, label=runs[0].get("label", name),
            validation_accuracy={seed: first[seed]["validation_accuracy"] for seed in sorted(first)},
            parameters=runs[0]["parameters"], validation_images=runs[0].get("validation_images"),
            training_seconds=statistics.median(_run_cost(run) for run in runs),
            fastest_epoch_seconds=statistics.median(fastest_epoch_seconds(run["epoch_seconds"]) for run in runs),
            relative_time=statistics.median(relative) if relative else None, relative_times=relative,
            test_accuracy=[first[seed]["test_accuracy"] for seed in sorted(first) if "test_accuracy" in first[seed]],
            validation_accuracy_flipped={seed: first[seed]["validation_accuracy_flipped"] for seed in sorted(first)
                                         if "validation_accuracy_flipped" in first[seed]}))
    if timings is not None:
        _time_from_the_timing_pass(rows, variant_timings(timings))
    return rows


def _time_from_the_timing_pass(rows: list[AblationRow], timings: Mapping[str, VariantTiming]) -> None:
    """Replace each row's times with the timing pass's: its cost over the compact model's median cost there."""
    compact = _compact_costs(timings)
    if not compact:
        raise ValueError("no timing records: run benchmarks/fashion_mnist.py --timing")
    median = statistics.median(compact)
    for row in rows:
        timing = timings.get(row.variant)
        if row.variant == BASELINE.name:
            row.relative_times = [cost / median for cost in compact]
        else:
            row.relative_times = [timing.training_seconds / median] if timing else []
        row.relative_time = statistics.median(row.relative_times) if row.relative_times else None
        if timing:
            row.training_seconds = median if row.variant == BASELINE.name else timing.training_seconds
            row.fastest_epoch_seconds = row.training_seconds / timing.epochs


def _mean_and_error(summary: SeedSummary) -> str:
    """``0.9275 ± 0.0018``: the mean over seeds and its standard error; a single run's score alone."""
    if summary.n == 1:
        return f"{summary.mean:.4f}"
    return f"{summary.mean:.4f} ± {summary.standard_error:.4f}"


def ablation_table(records: Iterable[Mapping], timings: Iterable[Mapping] | None = None) -> str:
    """The ablation as a fixed-width table (at most 85 characters): per variant, its runs, cost and accuracies.

    Accuracies are the mean over seeds ± its standard error (a single run's alone); ``time`` is the training cost
    (fastest epoch x epochs) against the compact model's in the same batch of runs (1.00: as long), ``train s``
    the median of the runs' costs in seconds. ``with flips`` is the validation accuracy when each image's
    prediction is averaged with its mirror image's (test-time flips), for records that hold it; a test accuracy
    column appears only for the older records that hold one.
    """
    rows = ablation_rows(records, timings)
    width = max(len("variant"), *(len(row.label) for row in rows)) + 1
    with_test = any(row.test_accuracy for row in rows)
    with_flips = not with_test and any(row.validation_accuracy_flipped for row in rows)
    lines = [f"{'variant':<{width}}{'runs':>4}{'params':>8}  {'val. accuracy':<17}{'time':>5}{'train s':>8}"
             + ("  test accuracy" if with_test else "") + ("  with flips" if with_flips else "")]
    for row in rows:
        time = f"{row.relative_time:.2f}" if row.relative_time is not None else "-"
        line = (f"{row.label:<{width}}{row.runs:>4}{row.parameters:>8,}  {_mean_and_error(row.summary):<17}"
                f"{time:>5}{row.training_seconds:>8.1f}")
        if with_test and row.test_accuracy:
            line += f"  {_mean_and_error(summarize_seeds(row.test_accuracy))}"
        if with_flips and row.validation_accuracy_flipped:
            line += f"  {_mean_and_error(summarize_seeds(row.validation_accuracy_flipped))}"
        lines.append(line)
    return "\n".join(lines)


def ablation_findings(records: Iterable[Mapping], timings: Iterable[Mapping] | None = None) -> list[str]:
    """One sentence per undone change: how its validation accuracy and its time compare with the compact model's.

    The accuracies are compared by :mod:`cnn_course.experiments`: a paired comparison on the seeds the variant
    shares with the compact model when there are at least two, otherwise the single run against the compact
    model's seeds. The time is compared by :func:`compare_timing` when the timing pass's records are given,
    otherwise by :func:`compare_times`, against the spread of the compact model's own runs measured the same
    way; when the compact model ran more than once, a first sentence gives that spread.
    """
    timings = list(timings) if timings is not None else None
    rows = ablation_rows(records, timings)
    timed = variant_timings(timings) if timings is not None else {}
    measure = WINDOW_MEASURE if timings is not None else "fastest epoch x epochs"
    baseline = next((row for row in rows if row.variant == BASELINE.name), None)
    if baseline is None:
        raise ValueError("the records hold no run of the compact model itself, against which to compare")
    findings = []
    if len(baseline.relative_times) > 1:
        own = relative_times(baseline.relative_times, baseline.relative_times)
        findings.append(f"{baseline.label}: its own {len(own)} runs cost {min(own):.2f} to {max(own):.2f} times "
                        f"their median ({measure}), so smaller differences of time are the machine's, "
                        "not the variant's")
    for row in rows:
        if row.variant == BASELINE.name:
            continue
        shared = [seed for seed in row.seeds if seed in baseline.validation_accuracy]
        if len(shared) >= 2:
            accuracy = compare_recipes(row.label, {seed: row.validation_accuracy[seed] for seed in shared},
                                       baseline.label, {seed: baseline.validation_accuracy[seed] for seed in shared})
        else:
            seed = shared[0] if shared else row.seeds[0]
            accuracy = single_run_against(row.label, row.validation_accuracy[seed], baseline.label,
                                          baseline.validation_accuracy)
        if timed and row.variant in timed:
            time = compare_timing(row.label, timed[row.variant], _compact_costs(timed))
        elif row.relative_times and baseline.relative_times:
            time = compare_times(row.label, row.relative_times, baseline.label, baseline.relative_times, measure)
        else:
            time = "its time is not known against the compact model's"
        findings.append(f"{row.label}: validation accuracy {_mean_and_error(row.summary)}; {accuracy}; {time}")
    return findings


def describe_records(records: Iterable[Mapping]) -> str:
    """One line saying where and how the latest configuration's records were measured, for the chapter."""
    records = list(records)
    config = _latest_config(records)
    kept = [record for record in records if record["config"] == config]
    dates = sorted(record["date"][:10] for record in kept)
    batches = len({record["batch"] for record in kept})
    return (f"{len(kept)} runs in {batches} batch{'es' * (batches > 1)} from {dates[0]} to {dates[-1]} on "
            f"{config['machine']}; TensorFlow {config['tensorflow']}, oneDNN {'on' if config['onednn'] else 'off'}, "
            f"{config['mode']} mode, {config['epochs']} epochs")


def flip_averaging_finding(records: Iterable[Mapping], variant: str = BASELINE.name) -> str:
    """What test-time flips buy a variant: its runs' validation accuracy with flips against without, seed by seed.

    Every run of the ablation scores the validation set twice, plainly and with each image's probabilities
    averaged with its mirror image's; the two scores of a seed come from the same trained model, so they pair.
    """
    row = next((row for row in ablation_rows(records) if row.variant == variant), None)
    if row is None or not row.validation_accuracy_flipped:
        raise ValueError(f"the records hold no validation accuracy with flips for {variant}")
    seeds = [seed for seed in row.seeds if seed in row.validation_accuracy_flipped]
    return compare_recipes(f"{row.label} with test-time flips",
                           {seed: row.validation_accuracy_flipped[seed] for seed in seeds},
                           f"{row.label} without them", {seed: row.validation_accuracy[seed] for seed in seeds})


def plot_ablation(records: Iterable[Mapping], ax=None, title: str | None = None,
                  timings: Iterable[Mapping] | None = None):
    """Validation accuracy against training time, one marker per variant, every seed's run drawn.

    The time is relative to the compact model's: from the timing pass when ``timings`` are given, otherwise from
    the compact model's runs in the same batch. A variant run with several seeds shows each seed as a small dot
    and their mean as its marker, with a bar from the lowest to the highest accuracy.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    rows = ablation_rows(records, timings)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 4.6), layout="constrained")
    colours = (OKABE_ITO[7], OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[6], OKABE_ITO[1])
    markers = "o^sDvP*Xhp<>dH"  # one shape per variant of ABLATION, so that no two share colour and shape
    for index, row in enumerate(rows):
        x = row.relative_time if row.relative_time is not None else float("nan")
        colour, marker = colours[index % len(colours)], markers[index % len(markers)]
        accuracy = [row.validation_accuracy[seed] for seed in row.seeds]
        mean = statistics.mean(accuracy)
        if len(accuracy) > 1:
            ax.vlines(x, min(accuracy), max(accuracy), color=colour, linewidth=2)
            ax.scatter([x] * len(accuracy), accuracy, s=12, color=colour)
        spread = f" ({row.runs} seeds)" if row.runs > 1 else ""
        ax.scatter([x], [mean], s=70, marker=marker, color=colour, edgecolor="black", zorder=3,
                   label=f"{row.label}{spread}")
    ax.set_xlabel("training cost (compact model = 1), " + ("fastest window x windows, timed in turns"
                                                           if timings is not None else
                                                           "fastest epoch x epochs, same batch of runs"))
    ax.set_ylabel("validation accuracy (best epoch)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    ax.set_title(title or "What each change of the compact model buys")
    return ax

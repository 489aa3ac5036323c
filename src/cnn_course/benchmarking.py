"""What a training run costs, and what chapter 7's ablation measured (chapter 7 and its benchmark).

Chapter 7 and ``benchmarks/fashion_mnist.py`` measure their models with these same functions and print
them in the same table, so the chapter's stored full run and a run of the benchmark can be read side by side:

- the time of a run, defined once: :func:`training_seconds` (the median epoch times the epochs) and
  :func:`time_ratio`, with the plain totals beside them; :func:`multiply_accumulates`, the arithmetic a model
  does per image;
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


def training_seconds(epoch_seconds: Sequence[float]) -> float:
    """A run's training time as the course compares it: its median epoch time times its number of epochs.

    These machines switch between a fast and a roughly twice slower state, sometimes within one run; the
    median epoch ignores a few slow epochs, where the plain total counts them all. Both come from the same
    run, so a run that changed state halfway still gives a time that the next run can reproduce.
    """
    if not epoch_seconds:
        raise ValueError("no epoch times: train with log=True, which times every epoch")
    return statistics.median(epoch_seconds) * len(epoch_seconds)


def time_ratio(epoch_seconds: Sequence[float], reference_epoch_seconds: Sequence[float]) -> float:
    """One run's training time over another's, each as :func:`training_seconds` measures it.

    Chapter 7's goal ("at most a fifth of the reference's training time") and the benchmark use this ratio;
    the ratio of the plain totals is printed beside it.
    """
    return training_seconds(epoch_seconds) / training_seconds(reference_epoch_seconds)


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
    """One row of the side-by-side table: what a model is, what its training cost, what it reached."""

    model: str
    parameters: int
    epochs: int
    seconds: float
    peak_memory_mb: float
    training_memory_mb: float
    test_accuracy: float
    epoch_seconds: Sequence[float] = ()

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds / self.epochs


def _timed_table(rows: Sequence[ModelCost]) -> str:
    lines = [f"{'model':<10}{'parameters':>10}{'epochs':>7}{'median s':>9}{'min s':>6}{'total s':>9}"
             f"{'peak MB':>8}{'+ train MB':>11}{'test acc.':>10}"]
    for row in rows:
        lines.append(f"{row.model:<10}{row.parameters:>10,}{row.epochs:>7}"
                     f"{statistics.median(row.epoch_seconds):>9.1f}{min(row.epoch_seconds):>6.1f}"
                     f"{row.seconds:>9.1f}{row.peak_memory_mb:>8.0f}{row.training_memory_mb:>11.0f}"
                     f"{row.test_accuracy:>10.4f}")
    if len(rows) == 2:
        first, second = rows
        ratio = time_ratio(second.epoch_seconds, first.epoch_seconds)
        lines.append(f"{second.model} / {first.model} training time (median epoch x epochs): {ratio:.3f} "
                     f"({1 / ratio:.1f} times faster); totals: {second.seconds / first.seconds:.3f}")
    return "\n".join(lines)


def comparison_table(rows: Sequence[ModelCost]) -> str:
    """The rows as a fixed-width table, then, for two rows, the second's training time over the first's.

    When every row has its ``epoch_seconds``, the table gives each model's median and fastest epoch beside its
    total, and the ratio is :func:`time_ratio`'s, with the ratio of the totals beside it; otherwise the mean
    epoch and the ratio of the totals.
    """
    if rows and all(row.epoch_seconds for row in rows):
        return _timed_table(rows)
    lines = [f"{'model':<10}{'parameters':>11}{'epochs':>7}{'s/epoch':>9}{'train s':>9}{'peak MB':>9}"
             f"{'+ training MB':>15}{'test acc.':>11}"]
    for row in rows:
        lines.append(f"{row.model:<10}{row.parameters:>11,}{row.epochs:>7}{row.seconds_per_epoch:>9.1f}"
                     f"{row.seconds:>9.1f}{row.peak_memory_mb:>9.0f}{row.training_memory_mb:>15.0f}"
                     f"{row.test_accuracy:>11.4f}")
    if len(rows) == 2:
        first, second = rows
        ratio = second.seconds / first.seconds
        lines.append(f"{second.model} / {first.model} training time: {ratio:.3f} ({1 / ratio:.1f} times faster)")
    return "\n".join(lines)


# The ablation of chapter 7's compact model (``benchmarks/fashion_mnist.py --ablation``).
ABLATION_RESULTS = "fashion_mnist_ablation.jsonl"


@dataclass(frozen=True)
class CompactVariant:
    """The compact model with at most one of its changes undone: how to build it, compile it and feed it.

    The defaults are the compact model itself; each other variant of :data:`ABLATION` sets one field back to
    what a plain network does, so that its record measures what that one change buys.
    """

    name: str
    label: str
    batch_norm: bool = True
    head: str = "global_average"
    mirroring: bool = True
    schedule: str = "warmup_cosine"
    batch_size: int | None = None  # None: the compact model's, ``cnn_course.models.COMPACT_BATCH_SIZE``

    def build(self, seed: int):
        """The model, its weights and its mirroring drawn from ``seed`` (call ``seed_everything(seed)`` first)."""
        from cnn_course.models import fashion_mnist_compact

        return fashion_mnist_compact(batch_norm=self.batch_norm, head=self.head, mirroring=self.mirroring,
                                     flip_seed=seed)

    def training_batch_size(self) -> int:
        from cnn_course.models import COMPACT_BATCH_SIZE

        return self.batch_size or COMPACT_BATCH_SIZE

    def compile(self, model, n_train: int, epochs: int):
        """Compile ``model`` with this variant's schedule, sized for ``epochs`` epochs on ``n_train`` images."""
        from cnn_course.models import compile_compact

        return compile_compact(model, n_train, batch_size=self.training_batch_size(), epochs=epochs,
                               schedule=self.schedule)


# Short labels, for the table and the figure's legend: the first five undo batch normalisation, the global
# average pooling head (Flatten, then the same softmax layer), warm-up and cosine decay (AdamW at the peak rate
# throughout), batches of 128 (Keras's default of 32, as the reference model) and the mirrored images.
BASELINE = CompactVariant("compact", "compact model")
ABLATION = (
    BASELINE,
    CompactVariant("without_batch_norm", "no batch norm.", batch_norm=False),
    CompactVariant("flatten_head", "Flatten head", head="flatten"),
    CompactVariant("constant_rate", "constant rate", schedule="constant"),
    CompactVariant("batch_32", "batches of 32", batch_size=32),
    CompactVariant("without_mirroring", "no mirroring", mirroring=False),
)
VARIANTS = {variant.name: variant for variant in ABLATION}


def ablation_plan(seeds: Sequence[int], variant_seeds: int = 1) -> list[tuple[str, int]]:
    """Every run of an ablation, as (variant, seed): the compact model with the first seed, each other variant
    with the first seed, then the compact model with each further seed (the seed spread), and the other variants
    with the next of their ``variant_seeds`` seeds, seed after seed."""
    if not seeds:
        raise ValueError("the ablation needs at least one seed")
    if not 1 <= variant_seeds <= len(seeds):
        raise ValueError(f"variant_seeds must be between 1 and the {len(seeds)} seeds, got {variant_seeds}")
    first, *others = seeds
    plan = [(variant.name, first) for variant in ABLATION] + [(BASELINE.name, seed) for seed in others]
    return plan + [(variant.name, seed) for seed in seeds[1:variant_seeds] for variant in ABLATION[1:]]


def runs_to_do(plan: Sequence[tuple[str, int]], records: Iterable[Mapping],
               config: Mapping) -> list[tuple[str, int, bool]]:
    """The runs a new call of the benchmark makes, as (variant, seed, repeat), in order.

    Runs already recorded with the same configuration are skipped, so that a call resumes where an earlier one
    stopped. Every call that has something left to run starts with the plan's first run (the compact model with
    the first seed): when that run is already recorded, it is repeated (``repeat`` True) to measure this batch's
    machine state, against which the batch's other times are read.
    """
    done = {(record["variant"], record["seed"]) for record in records if record["config"] == config}
    pending = [run for run in plan if run not in done]
    if not pending:
        return []
    baseline = plan[0]
    head = [(*baseline, baseline in done)]
    return head + [(*run, False) for run in pending if run != baseline]


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
    """What the records of one variant say: accuracies over its seeds, its cost, its time against the baseline.

    ``relative_time`` is the median, over the variant's runs, of each run's :func:`training_seconds` divided by
    the median time of the compact model's runs in the same batch of runs (the same call of the benchmark).
    """

    variant: str
    label: str
    seeds: list[int]
    parameters: int
    validation_accuracy: list[float]
    test_accuracy: list[float]
    training_seconds: float
    median_epoch_seconds: float
    relative_time: float | None
    relative_times: list[float] = field(default_factory=list)

    @property
    def runs(self) -> int:
        return len(self.seeds)


def _latest_config(records: Sequence[Mapping]) -> dict:
    return max(records, key=lambda record: record["date"])["config"]


def _batch_baselines(records: Sequence[Mapping]) -> dict[str, float]:
    """Each batch's baseline time: the median time of its runs of the compact model, whatever their seed.

    These machines switch between a fast and a slower state from one epoch to the next, so one run's time can be
    off by a fifth or more; the median of the batch's compact runs (the first seed's, and the further seeds' when
    the batch has them) is a steadier reference than any one of them.
    """
    times: dict[str, list[float]] = {}
    for record in records:
        if record["variant"] == BASELINE.name:
            times.setdefault(record["batch"], []).append(record["training_seconds"])
    return {batch: statistics.median(values) for batch, values in times.items()}


def ablation_rows(records: Iterable[Mapping]) -> list[AblationRow]:
    """One row per variant, in :data:`ABLATION`'s order, from the records of the latest configuration.

    Records of another configuration (other versions, mode, machine or recipe) are left out, so that an older
    file's runs never mix with newer ones. Accuracies come from each variant and seed's first run (a repeated
    baseline run only re-measures the time); times from every run.
    """
    records = list(records)
    if not records:
        raise ValueError("no records: the ablation has not been run")
    config = _latest_config(records)
    records = [record for record in records if record["config"] == config]
    baselines = _batch_baselines(records)
    rows = []
    for variant in [*ABLATION, *sorted({r["variant"] for r in records} - set(VARIANTS))]:
        name = variant.name if isinstance(variant, CompactVariant) else variant
        runs = sorted((r for r in records if r["variant"] == name), key=lambda r: r["date"])
        if not runs:
            continue
        first = {}
        for run in runs:
            first.setdefault(run["seed"], run)
        relative = [run["training_seconds"] / baselines[run["batch"]] for run in runs if run["batch"] in baselines]
        rows.append(AblationRow(
            variant=name, label=runs[0].get("label", name), seeds=sorted(first),
            parameters=runs[0]["parameters"],
            validation_accuracy=[first[seed]["validation_accuracy"] for seed in sorted(first)],
            test_accuracy=[first[seed]["test_accuracy"] for seed in sorted(first)],
            training_seconds=statistics.median(run["training_seconds"] for run in runs),
            median_epoch_seconds=statistics.median(run["median_epoch_seconds"] for run in runs),
            relative_time=statistics.median(relative) if relative else None, relative_times=relative))
    return rows


def _spread(values: Sequence[float]) -> str:
    """The mean of some accuracies, and their range when there are several: ``0.9300 (0.926-0.934)``."""
    mean = f"{statistics.mean(values):.4f}"
    return f"{mean} ({min(values):.3f}-{max(values):.3f})" if len(values) > 1 else mean


def ablation_table(records: Iterable[Mapping]) -> str:
    """The ablation as a fixed-width table (at most 85 characters): per variant, its runs, cost and accuracies.

    Accuracies are the mean over seeds, with the lowest and highest in brackets when there are several;
    ``time`` is the training time against the compact model's in the same batch of runs (1.00: as long),
    ``train s`` the median of the runs' :func:`training_seconds`. The test accuracy is there to show its
    spread; the variants are compared on the validation set.
    """
    rows = ablation_rows(records)
    width = max(len("variant"), *(len(row.label) for row in rows)) + 1
    lines = [f"{'variant':<{width}}{'runs':>4}{'params':>8}  {'val. accuracy':<21}{'time':>5}{'train s':>8}  "
             "test accuracy"]
    for row in rows:
        time = f"{row.relative_time:.2f}" if row.relative_time is not None else "-"
        lines.append(f"{row.label:<{width}}{row.runs:>4}{row.parameters:>8,}  {_spread(row.validation_accuracy):<21}"
                     f"{time:>5}{row.training_seconds:>8.1f}  {_spread(row.test_accuracy)}")
    return "\n".join(lines)


def ablation_findings(records: Iterable[Mapping]) -> list[str]:
    """One sentence per undone change: how its validation accuracy and time compare with the compact model's.

    When the compact model ran more than once, a first sentence gives the range of its own times, the noise
    against which the variants' times are read.

    A variant's mean validation accuracy is compared with the compact model's mean over its seeds, and placed
    against their range: a variant inside that range, measured with fewer seeds, is not told apart from the
    compact model by these runs, whatever the sign of the difference. The time is relative to the compact model's
    in the same batch of runs.
    """
    rows = ablation_rows(records)
    baseline = next((row for row in rows if row.variant == BASELINE.name), None)
    if baseline is None:
        raise ValueError("the records hold no run of the compact model itself, against which to compare")
    base_mean = statistics.mean(baseline.validation_accuracy)
    low, high = min(baseline.validation_accuracy), max(baseline.validation_accuracy)
    seeds = f"{baseline.runs} seed{'s' * (baseline.runs > 1)}"
    findings = []
    if len(baseline.relative_times) > 1:
        findings.append(f"{baseline.label}: its own {len(baseline.relative_times)} runs took "
                        f"{min(baseline.relative_times):.2f} to {max(baseline.relative_times):.2f} times their median "
                        "training time, so smaller differences of time are the machine's, not the variant's")
    for row in rows:
        if row.variant == BASELINE.name:
            continue
        mean = statistics.mean(row.validation_accuracy)
        difference = mean - base_mean
        if low <= mean <= high:
            verdict = f"inside the compact model's range over {seeds} ({low:.4f} to {high:.4f}): not told apart"
        else:
            verdict = (f"{'below' if mean < low else 'above'} the compact model's range over {seeds} "
                       f"({low:.4f} to {high:.4f})")
        time = f"{row.relative_time:.2f} times its training time" if row.relative_time is not None else "time unknown"
        findings.append(f"{row.label}: validation accuracy {mean:.4f} ({difference:+.4f}), {verdict}; {time}")
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


def plot_ablation(records: Iterable[Mapping], ax=None, title: str | None = None):
    """Validation accuracy against training time, one marker per variant, every seed's run drawn.

    The time is relative to the compact model's in the same batch of runs, so that runs recorded in different
    states of the machine compare; a variant run with several seeds shows each seed as a small dot and their
    mean as its marker, with a bar from the lowest to the highest accuracy.
    """
    from cnn_course.diagrams import OKABE_ITO

    import matplotlib.pyplot as plt

    rows = ablation_rows(records)
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.6), layout="constrained")
    colours = (OKABE_ITO[7], OKABE_ITO[4], OKABE_ITO[5], OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[6], OKABE_ITO[1])
    markers = "o^sDvP*"
    for index, row in enumerate(rows):
        x = row.relative_time if row.relative_time is not None else float("nan")
        colour, marker = colours[index % len(colours)], markers[index % len(markers)]
        accuracy = row.validation_accuracy
        mean = statistics.mean(accuracy)
        if len(accuracy) > 1:
            ax.vlines(x, min(accuracy), max(accuracy), color=colour, linewidth=2)
            ax.scatter([x] * len(accuracy), accuracy, s=12, color=colour)
        spread = f" ({row.runs} seeds)" if row.runs > 1 else ""
        ax.scatter([x], [mean], s=70, marker=marker, color=colour, edgecolor="black", zorder=3,
                   label=f"{row.label}{spread}")
    ax.set_xlabel("training time (compact model = 1, same batch of runs)")
    ax.set_ylabel("validation accuracy (best epoch)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="best")
    ax.set_title(title or "What each change of the compact model buys")
    return ax

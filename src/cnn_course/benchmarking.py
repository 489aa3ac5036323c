"""What a training run costs: peak memory, the machine it ran on, and a side-by-side table (chapter 7).

Chapter 7 and ``benchmarks/fashion_mnist.py`` measure their two models with these same functions and print
them in the same table, so the chapter's stored full run and a run of the benchmark can be read side by side.
Memory is read from Linux's ``/proc/self/status``: ``VmHWM`` is the peak resident memory of the process, which
``/proc/self/clear_refs`` resets, so a measurement covers training alone and not what the process did before.
Elsewhere the peak since the process started stands in for both readings.
"""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import resource
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
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

    @property
    def seconds_per_epoch(self) -> float:
        return self.seconds / self.epochs


def comparison_table(rows: Sequence[ModelCost]) -> str:
    """The rows as a fixed-width table, then, for two rows, the second's training time over the first's."""
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

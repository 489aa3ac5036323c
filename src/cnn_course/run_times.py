"""What each notebook costs to run: the course's timing file, read, rendered and recorded.

``resources/run_times.json`` (package data, so a Colab copy of a notebook finds it as well) holds, for each
notebook, its measured wall time in each setting: ``full`` (``make execute``, which times every notebook it
runs), ``quick`` (the test run, which writes its times under ``_build/``; ``make record-quick-times`` copies
them here) and ``colab``. Each entry names the machine and the date; an entry not measured is absent, never
guessed. Chapters that train show a cost box quoting this file, and the book's run-time page shows the table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
from importlib import metadata, resources
from pathlib import Path

SETTINGS = ("full", "quick", "colab")


def packaged_file() -> Path:
    """The committed timing file inside the installed package."""
    return Path(str(resources.files("cnn_course") / "resources" / "run_times.json"))


def load(path: Path | None = None) -> dict:
    """The timing file as a dictionary: ``{"notebooks": {name: {setting: entry}}}``, notebooks by file stem."""
    path = packaged_file() if path is None else Path(path)
    if not path.exists():
        return {"notebooks": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def save(run_times: dict, path: Path | None = None) -> None:
    """Write the timing file with sorted notebooks, so that a re-recorded entry changes only its own lines."""
    path = packaged_file() if path is None else Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    run_times["notebooks"] = dict(sorted(run_times.get("notebooks", {}).items()))
    path.write_text(json.dumps(run_times, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def notebook_name(notebook: str | Path) -> str:
    """The key of a notebook in the timing file: its file name without ``.ipynb`` (``05_pooling``)."""
    return Path(notebook).stem


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def cpu_model() -> str:
    """The CPU's model name (Linux's /proc/cpuinfo), or what the platform module knows elsewhere."""
    try:
        with open("/proc/cpuinfo") as info:
            return next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def this_machine() -> dict:
    """What a time depends on: CPU model and cores, system, and the Python, TensorFlow and Keras versions."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
    }


def record(notebook: str | Path, setting: str, seconds: float, path: Path | None = None, *,
           how: str, machine: dict | None = None, date: str | None = None) -> dict:
    """Replace one notebook's entry for one setting (``full``, ``quick`` or ``colab``), keeping all others.

    Returns the entry written: the wall time rounded to the second, the date, the machine and how it was measured.
    """
    if setting not in SETTINGS:
        raise ValueError(f"{setting!r} is not a setting of the timing file; use one of {', '.join(SETTINGS)}.")
    run_times = load(path)
    entry = {
        "seconds": round(float(seconds)),
        "date": date or datetime.date.today().isoformat(),
        "machine": machine or this_machine(),
        "how": how,
    }
    run_times.setdefault("notebooks", {}).setdefault(notebook_name(notebook), {})[setting] = entry
    save(run_times, path)
    return entry


def copy_setting(source: Path, setting: str, path: Path | None = None) -> list[str]:
    """Copy every notebook's ``setting`` entry of another timing file into this one; the names copied."""
    copied = []
    target = load(path)
    for name, entries in load(source).get("notebooks", {}).items():
        if setting in entries:
            target.setdefault("notebooks", {}).setdefault(name, {})[setting] = entries[setting]
            copied.append(name)
    save(target, path)
    return copied


def main(argv: list[str] | None = None) -> None:
    """``python -m cnn_course.run_times record|copy ...``: what ``make execute`` and ``make record-quick-times`` run."""
    parser = argparse.ArgumentParser(prog="python -m cnn_course.run_times", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="record one notebook's wall time")
    recording.add_argument("notebook")
    recording.add_argument("--setting", choices=SETTINGS, required=True)
    recording.add_argument("--started", type=float, required=True, help="start, in seconds since the epoch")
    recording.add_argument("--ended", type=float, required=True, help="end, in seconds since the epoch")
    recording.add_argument("--how", required=True, help="how it was measured, stored with the entry")
    recording.add_argument("--file", type=Path, default=None, help="timing file (default: the package's)")
    copying = commands.add_parser("copy", help="copy one setting's entries from another timing file")
    copying.add_argument("source", type=Path)
    copying.add_argument("--setting", choices=SETTINGS, required=True)
    copying.add_argument("--file", type=Path, default=None, help="timing file (default: the package's)")
    arguments = parser.parse_args(argv)
    if arguments.command == "record":
        entry = record(arguments.notebook, arguments.setting, arguments.ended - arguments.started, arguments.file,
                       how=arguments.how)
        print(f"{arguments.notebook}: {entry['seconds']} s ({arguments.setting}) recorded in "
              f"{arguments.file or packaged_file()}")
    else:
        copied = copy_setting(arguments.source, arguments.setting, arguments.file)
        print(f"{len(copied)} {arguments.setting} times copied from {arguments.source} into "
              f"{arguments.file or packaged_file()}: {', '.join(copied) or 'none'}")


if __name__ == "__main__":
    main()

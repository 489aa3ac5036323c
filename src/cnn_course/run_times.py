"""What each notebook costs to run: the course's timing file, read, rendered and recorded.

``resources/run_times.json`` (package data, so a Colab copy of a notebook finds it as well) holds, for each
notebook, its measured wall time in each setting: ``full`` (``make execute``, which times every notebook it
runs), ``quick`` (the test run, which writes its times under ``_build/``; ``make record-quick-times`` copies
them here) and ``colab``. Each entry names the machine and the date; an entry not measured is absent, never
guessed. An entry may hold ``training_seconds`` (the training time its notebook printed) where the whole
notebook's time is unknown (``seconds`` is then ``null``), with a ``note`` saying so.

Every chapter that trains (5, 6, 7 and common bugs) shows its cost box with one code cell, tagged
``hide-input``, placed right after the chapter's overview (before any code that trains)::

    from cnn_course.run_times import cost_box

    cost_box("05_pooling")

The argument is the notebook's file name without ``.ipynb``. The box quotes this file, so a run that records a
new time changes it: ``make execute`` and ``make record-quick-times`` refresh the stored output of these cells
(:func:`refresh_cost_boxes`), and ``tests/test_run_times.py`` checks that every stored box agrees with the file.
The book's Run times page shows the whole table (:func:`table_markdown`), with a note under it for each page
whose quick run did not take less time than its full run (:func:`not_quicker_in_quick_mode`), and the introduction,
the instructor guide and the README quote the same figures in :func:`describe_duration`'s words.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import platform
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

SETTINGS = ("full", "quick", "colab")
# The chapters whose training makes their run time worth a box at the top.
TRAINING_CHAPTERS = ("05_pooling", "06_architectures", "07_fashion_mnist", "08_what_convnets_learn", "common_bugs")
COST_BOX_CALL = re.compile(r"""\bcost_box\(\s*["']([\w.-]+)["']\s*\)""")
# One way to choose the mode, the same in the cost box, the Colab cell (classroom/colab_cell.py, whose menu keeps
# a mode already set), the setup page and the README (tests/classroom/test_colab_cell.py checks that they agree).
SWITCH_MODES = ("set `CNN_COURSE_MODE=quick` before starting Jupyter (`CNN_COURSE_MODE=quick jupyter lab`); on "
                "Colab, choose `quick` in the `MODE` menu of the chapter's first cell, then Runtime > Run all; "
                "`full` is the default")


def packaged_file() -> Path:
    """The committed timing file, beside this module (package data; found without importing the package)."""
    return Path(__file__).resolve().parent / "resources" / "run_times.json"


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
           how: str, machine: dict | None = None, date: str | None = None, note: str | None = None) -> dict:
    """Replace one notebook's entry for one setting (``full``, ``quick`` or ``colab``), keeping all others.

    Returns the entry written: the wall time rounded to the second, the date, the machine (this one unless
    given) and how it was measured, with ``note`` if given (for Colab: which runtime).
    """
    if setting not in SETTINGS:
        raise ValueError(f"{setting!r} is not a setting of the timing file; use one of {', '.join(SETTINGS)}.")
    run_times = load(path)
    measured = {
        "seconds": round(float(seconds)),
        "date": date or datetime.date.today().isoformat(),
        "machine": this_machine() if machine is None else machine,
        "how": how,
    }
    if note:
        measured["note"] = note
    run_times.setdefault("notebooks", {}).setdefault(notebook_name(notebook), {})[setting] = measured
    save(run_times, path)
    return measured


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


def describe_duration(seconds: float) -> str:
    """A time in the words the course uses everywhere: "under a minute", "about 8 minutes", "about 1 hour 10 minutes".

    Rounded so that the normal spread of these machines (see the README's benchmarks) rarely changes the words:
    to the minute below 10 minutes, to 5 minutes below an hour, to 10 minutes above.
    """
    minutes = seconds / 60
    if minutes < 1:
        return "under a minute"
    if minutes < 10:
        whole = max(1, round(minutes))
        return "about a minute" if whole == 1 else f"about {whole} minutes"
    if minutes < 57.5:
        return f"about {5 * round(minutes / 5)} minutes"
    hours, rest = divmod(10 * round(minutes / 10), 60)
    hours_words = "1 hour" if hours == 1 else f"{hours} hours"
    return f"about {hours_words}" + (f" {rest} minutes" if rest else "")


def entry(notebook: str | Path, setting: str, run_times: dict | None = None) -> dict | None:
    """One notebook's entry for one setting, or None when it was not measured."""
    run_times = load() if run_times is None else run_times
    return run_times.get("notebooks", {}).get(notebook_name(notebook), {}).get(setting)


def describe_machine(machine: dict) -> str:
    """"AMD EPYC, 2 cores, Linux, Python 3.11.7, TensorFlow 2.21.0, Keras 3.15.1" from an entry's machine."""
    parts = [machine.get("cpu"), f"{machine['cores']} cores" if machine.get("cores") else None,
             (machine.get("os") or "").split(" ")[0] or None,
             f"Python {machine['python']}" if machine.get("python") else None,
             f"TensorFlow {machine['tensorflow']}" if machine.get("tensorflow") else None,
             f"Keras {machine['keras']}" if machine.get("keras") else None]
    return ", ".join(part for part in parts if part)


def describe_entry(measured: dict | None) -> str:
    """What one entry says in words: "about 12 minutes", or the training time alone where that is all we know."""
    if measured is None:
        return "not measured"
    if measured.get("seconds") is not None:
        return describe_duration(measured["seconds"])
    if measured.get("training_seconds") is not None:
        return (f"{describe_duration(measured['training_seconds'])} of training "
                "(the whole notebook's time was not measured)")
    return "not measured"


@dataclass(frozen=True)
class CostBox:
    """A chapter's run times as a note: HTML in Jupyter, Colab and on the site, plain text elsewhere (nbval)."""

    notebook: str
    lines: tuple[tuple[str, str], ...]

    def _repr_html_(self) -> str:
        items = "".join(f"<li><strong>{html.escape(label)}</strong>: {_inline_code(text)}</li>"
                        for label, text in self.lines)
        return ('<div class="admonition note cost-box">'
                '<p class="admonition-title"><strong>Run time of this page</strong></p>'
                f'<ul class="simple">{items}</ul></div>')

    def __repr__(self) -> str:
        return "Run time of this page\n" + "\n".join(f"- {label}: {text}" for label, text in self.lines)


def _inline_code(text: str) -> str:
    """Escape text for HTML and turn its `backquoted` parts into <code>, as Markdown would."""
    parts = html.escape(text, quote=False).split("`")
    return "".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts))


def cost_box(notebook: str, run_times: dict | None = None) -> CostBox:
    """The cost box of one notebook (its file name without ``.ipynb``), quoting the timing file."""
    run_times = load() if run_times is None else run_times
    full, quick, colab = (entry(notebook, setting, run_times) for setting in SETTINGS)
    if full is None:
        full_text = "not measured yet"
    else:
        cores = full.get("machine", {}).get("cores")
        where = f"on a {cores}-core CPU" if cores else "on a CPU"
        full_text = (f"{describe_entry(full)} {where} ({describe_machine(full.get('machine', {}))}; "
                     f"{full.get('date', 'date unknown')})")
    quick_text = describe_entry(quick)
    if quick is not None:
        machine = describe_machine(quick.get("machine", {}))
        same = full is not None and machine == describe_machine(full.get("machine", {}))
        quick_text += (" on the same machine" if same else f" on {machine}") + \
            f", as the tests run it ({quick.get('date', 'date unknown')})"
    colab_text = "not measured" if colab is None else (
        f"{describe_entry(colab)} ({colab.get('note') or describe_machine(colab.get('machine', {}))}; "
        f"{colab.get('date', 'date unknown')})")
    return CostBox(notebook_name(notebook), (
        ("Full mode (the default)", full_text),
        ("Quick mode", quick_text),
        ("To switch", SWITCH_MODES),
        ("On Colab", colab_text),
    ))


def cost_box_outputs(notebook: str, run_times: dict | None = None) -> dict:
    """The ``data`` of the stored output that running ``cost_box(notebook)`` gives (for refreshing and checking)."""
    box = cost_box(notebook, run_times)
    return {"text/html": box._repr_html_(), "text/plain": repr(box)}


def refresh_cost_boxes(notebook_path: str | Path, run_times: dict | None = None) -> int:
    """Rewrite the stored output of a notebook's ``cost_box(...)`` cells from the timing file; how many changed.

    The box's output depends on the timing file alone, so this gives exactly what re-running the cell would:
    after ``make execute`` records a notebook's new time, its stored box (drawn before the time was known)
    states it without running the notebook again.
    """
    import nbformat  # only where notebooks are written: not needed to read the file

    notebook = nbformat.read(notebook_path, as_version=4)
    changed = 0
    for cell in notebook.cells:
        call = COST_BOX_CALL.search(cell.source) if cell.cell_type == "code" else None
        if call is None:
            continue
        data = cost_box_outputs(call.group(1), run_times)
        for output in cell.get("outputs", []):
            if output.get("output_type") in ("execute_result", "display_data") and output.get("data") != data:
                output["data"] = nbformat.from_dict(data)
                changed += 1
    if changed:
        nbformat.write(notebook, notebook_path)
    return changed


def not_quicker_in_quick_mode(chapters: list[str], run_times: dict | None = None) -> str | None:
    """The note for the pages whose quick-mode run took at least as long as their full-mode run; None if none did.

    Quick mode cuts training only, and it runs everything with oneDNN's fast CPU kernels switched off
    (:func:`cnn_course.settings.quiet_tensorflow`), so that the tests compute the same floats on every CPU. A page
    that trains little does about the same work in both modes, and there the slower kernels, or the machine's
    changing speed, can make the quick run the longer one. The Run times page prints this note under its table,
    from the timing file, so that it names exactly the pages whose figures it explains.
    """
    pages = []
    for chapter in chapters:
        full, quick = (entry(chapter, setting, run_times) for setting in ("full", "quick"))
        if full is None or quick is None or full.get("seconds") is None or quick.get("seconds") is None:
            continue
        if quick["seconds"] >= full["seconds"]:
            pages.append(f"{{doc}}`{chapter}` ({quick['seconds']} s in quick mode, {full['seconds']} s in full mode)")
    if not pages:
        return None
    listed = pages[0] if len(pages) == 1 else ", ".join(pages[:-1]) + " and " + pages[-1]
    return (f"- Quick mode was not the quicker on {listed}. Quick mode cuts training only, and it runs everything "
            "with oneDNN's CPU kernels switched off (below); on a page that trains little, those slower kernels, or "
            "the machine's changing speed, can make the quick run the longer one.")


def table_markdown(chapters: list[str], run_times: dict | None = None) -> str:
    """The timing table of the Run times page: one row per notebook (a MyST ``{doc}`` link), then the machines."""
    run_times = load() if run_times is None else run_times
    rows = ["| page | full mode (default) | quick mode | Colab |", "| --- | --- | --- | --- |"]
    machines: dict[str, list[str]] = {}
    notes = []
    for chapter in chapters:
        entries = [entry(chapter, setting, run_times) for setting in SETTINGS]
        rows.append(f"| {{doc}}`{chapter}` | " + " | ".join(describe_entry(e) for e in entries) + " |")
        for setting, measured in zip(SETTINGS, entries):
            if measured is None:
                continue
            machine = describe_machine(measured.get("machine", {}))
            machines.setdefault(machine, [])
            if measured.get("date") and measured["date"] not in machines[machine]:
                machines[machine].append(measured["date"])
            if measured.get("note"):
                notes.append(f"- {{doc}}`{chapter}`, {setting} mode: {measured['note']}")
    lines = [*rows, ""]
    if machines:
        lines.append("Measured on: " + "; ".join(f"{machine} ({', '.join(sorted(dates))})"
                                                 for machine, dates in machines.items()) + ".")
    not_quicker = not_quicker_in_quick_mode(chapters, run_times)
    if not_quicker:
        notes.append(not_quicker)
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """``python -m cnn_course.run_times record|copy|refresh ...``: what ``make execute`` and ``make record-quick-times``
    run; ``refresh`` alone rewrites the stored cost boxes of the notebooks named."""
    parser = argparse.ArgumentParser(prog="python -m cnn_course.run_times", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="record one notebook's wall time")
    recording.add_argument("notebook")
    recording.add_argument("--setting", choices=SETTINGS, required=True)
    recording.add_argument("--started", type=float, help="start, in seconds since the epoch")
    recording.add_argument("--ended", type=float, help="end, in seconds since the epoch")
    recording.add_argument("--seconds", type=float, help="the wall time itself (instead of --started and --ended)")
    recording.add_argument("--how", required=True, help="how it was measured, stored with the entry")
    recording.add_argument("--note", help="stored with the entry and quoted by the cost box; for Colab, required: "
                                          "the runtime measured (the machine is Colab's, not this one)")
    recording.add_argument("--file", type=Path, default=None, help="timing file (default: the package's)")
    copying = commands.add_parser("copy", help="copy one setting's entries from another timing file")
    copying.add_argument("source", type=Path)
    copying.add_argument("--setting", choices=SETTINGS, required=True)
    copying.add_argument("--file", type=Path, default=None, help="timing file (default: the package's)")
    copying.add_argument("--refresh", nargs="*", default=[], metavar="NOTEBOOK",
                         help="notebooks whose stored cost boxes to refresh afterwards")
    refreshing = commands.add_parser("refresh", help="rewrite notebooks' stored cost boxes from the timing file")
    refreshing.add_argument("refresh", nargs="+", metavar="NOTEBOOK")
    refreshing.add_argument("--file", type=Path, default=None, help="timing file (default: the package's)")
    arguments = parser.parse_args(argv)
    if arguments.command == "refresh":
        refreshed = arguments.refresh
    elif arguments.command == "record":
        if arguments.seconds is None and None in (arguments.started, arguments.ended):
            parser.error("record needs --seconds, or --started and --ended")
        if arguments.setting == "colab" and not arguments.note:
            parser.error('a Colab time needs --note naming the runtime, e.g. --note "Colab, T4 GPU runtime"')
        seconds = arguments.seconds if arguments.seconds is not None else arguments.ended - arguments.started
        recorded = record(arguments.notebook, arguments.setting, seconds, arguments.file, how=arguments.how,
                          note=arguments.note, machine={} if arguments.setting == "colab" else None)
        print(f"{arguments.notebook}: {recorded['seconds']} s ({arguments.setting}) recorded in "
              f"{arguments.file or packaged_file()}")
        refreshed = [arguments.notebook]
    else:
        copied = copy_setting(arguments.source, arguments.setting, arguments.file)
        print(f"{len(copied)} {arguments.setting} times copied from {arguments.source} into "
              f"{arguments.file or packaged_file()}: {', '.join(copied) or 'none'}")
        refreshed = arguments.refresh
    run_times = load(arguments.file)
    for notebook in refreshed:
        if str(notebook).endswith(".ipynb") and Path(notebook).is_file() and refresh_cost_boxes(notebook, run_times):
            print(f"{notebook}: stored cost box refreshed from the timing file")


if __name__ == "__main__":
    main()

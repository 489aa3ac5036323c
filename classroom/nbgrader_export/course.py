"""Lay out the nbgrader course folder: ``nbgrader_config.py``, ``source/<chapter>/<chapter>.ipynb``, answer keys."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import nbformat

from classroom.student_release.exercise_cells import find_exercises

from .answer_key import answer_key
from .config import CONFIG
from .protected import ProtectedWriter
from .source import source_notebook


def write_course(notebooks: Iterable[Path], destination: Path, *,
                 overwrite: bool = False) -> tuple[list[str], ProtectedWriter]:
    """Write the course folder into ``destination``; returns the assignments written (chapters with exercises) and
    the writer, whose ``kept`` lists the files left alone because an instructor changed them.

    A notebook without exercises (the set-up page) has nothing to grade and is left out. Files an instructor added
    to the folder (the gradebook, submissions) are never touched; files this writes are rewritten only when nobody
    changed them since (:mod:`.protected`), or with ``overwrite``.
    """
    writer = ProtectedWriter(destination, overwrite=overwrite)
    assignments = []
    writer.write(destination / "nbgrader_config.py", CONFIG)
    for path in map(Path, notebooks):
        chapter = nbformat.read(path, as_version=4)
        if not find_exercises(chapter, path.name):
            continue
        key = answer_key(chapter, path.name)
        source = nbformat.writes(source_notebook(chapter, path.name))
        writer.write(destination / "source" / path.stem / path.name, source.rstrip("\n") + "\n")
        writer.write(destination / "answer_keys" / f"{path.stem}.md", key)
        assignments.append(path.stem)
    return assignments, writer

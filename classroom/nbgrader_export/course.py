"""Lay out the nbgrader course folder: ``nbgrader_config.py``, ``source/<chapter>/<chapter>.ipynb``, answer keys."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import nbformat

from classroom.student_release.exercise_cells import find_exercises

from .answer_key import answer_key
from .config import CONFIG
from .source import source_notebook


def write_course(notebooks: Iterable[Path], destination: Path) -> list[str]:
    """Write the course folder into ``destination``; returns the assignments written (chapters with exercises).

    A notebook without exercises (the set-up page) has nothing to grade and is left out. Files an instructor
    added to the folder (the gradebook, submissions, hidden tests in an edited source) are left alone, except
    the source notebooks of the chapters given, which are written anew.
    """
    destination.mkdir(parents=True, exist_ok=True)
    (destination / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    assignments = []
    for path in map(Path, notebooks):
        chapter = nbformat.read(path, as_version=4)
        if not find_exercises(chapter, path.name):
            continue
        key = answer_key(chapter, path.name)
        folder = destination / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(chapter, path.name), folder / path.name)
        keys = destination / "answer_keys"
        keys.mkdir(exist_ok=True)
        (keys / f"{path.stem}.md").write_text(key, encoding="utf-8")
        assignments.append(path.stem)
    return assignments

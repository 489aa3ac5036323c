"""Where a chapter's slides begin: the ``slideshow.slide_type`` of every cell, the metadata nbconvert's slides
exporter (and Jupyter's slideshow tools) read.

The rules, applied in reading order:

- a set-up cell is skipped: the Colab install cell (tag ``remove-cell``), a code cell whose input the site hides
  and whose output is only printed text (imports, the version banner: tag ``hide-input``), and the worked
  solutions of the exercises (tag ``hide-cell``), which stay off the projector;
- a level 1 or 2 heading (a chapter or a section) starts a slide, a level 3 or 4 heading a sub-slide;
- any other cell continues the slide it is on while the slide still fits the screen, and starts a sub-slide
  when it would not (so long code, a long output or a figure below a paragraph moves down, one key away).

"Fits" is an estimate of the height in pixels on a 960x700 reveal.js slide (``SLIDE_HEIGHT``): wrapped lines of
prose, code and printed output, and the height of a figure as the slide shows it. A markdown cell with a heading
inside it is read as two parts, split at the heading (``split_at_headings``); the stored type is that of its
first part, and the deck builder (``classroom.slides.build``) splits the cell the same way.

Run ``python -m classroom.slides.metadata NOTEBOOK...`` to write the metadata (only cell metadata changes,
never a source or an output), or with ``--check`` to list the notebooks whose metadata is out of date.
"""

from __future__ import annotations

import argparse
import base64
import math
import re
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

SLIDE_HEIGHT = 640
"""Pixels of a 960x700 reveal.js slide that content may fill (classroom/slides/templates sets the type sizes)."""
PROSE = (85, 28)
"""Characters per line and pixels per line of prose at 20 px; code at 15 px and printed output at 14 px:"""
CODE = (110, 20)
OUTPUT = (100, 21)
IMAGE_WIDTH, IMAGE_MAX_HEIGHT = 1000, 600
BLOCK_MARGIN = 20
HEADING = re.compile(r"^(#{1,6})\s+\S")
FENCE = re.compile(r"^(```|~~~|:::)")
SET_UP_TAGS = {"remove-cell", "hide-cell"}
RICH_OUTPUTS = ("image/png", "image/jpeg", "image/svg+xml", "text/html", "application/vnd.jupyter.widget-view+json")


@dataclass(frozen=True)
class Part:
    """A run of a cell's source that the deck shows together: a whole cell, or a markdown cell up to a heading."""

    source: str
    cell: dict
    first: bool


def heading_level(source: str) -> int:
    """The level of the heading on the first line of ``source`` (``## Pooling`` is 2), or 0 when there is none."""
    match = HEADING.match(source.lstrip("\n"))
    return len(match.group(1)) if match else 0


def split_at_headings(source: str) -> list[str]:
    """A markdown cell's source cut in front of every heading after its first line (not inside fenced blocks).

    A chapter often closes one section and opens the next in the same cell; on a slide the heading belongs on top.
    """
    parts, current, fenced = [], [], False
    for line in source.splitlines(keepends=True):
        if FENCE.match(line):
            fenced = not fenced
        if not fenced and HEADING.match(line) and any(text.strip() for text in current):
            parts.append("".join(current))
            current = []
        current.append(line)
    parts.append("".join(current))
    return [part for part in parts if part.strip()] or [source]


def parts_of(cell: dict) -> list[Part]:
    """The parts of one cell in reading order: a markdown cell split at its headings, any other cell whole."""
    if cell["cell_type"] != "markdown":
        return [Part(cell["source"], cell, True)]
    return [Part(text, cell, index == 0) for index, text in enumerate(split_at_headings(cell["source"]))]


def is_set_up(cell: dict) -> bool:
    """Whether a cell stays off the slides: install, imports and banner, worked solutions."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & SET_UP_TAGS:
        return True
    if cell["cell_type"] == "code" and "hide-input" in tags:
        return not any(kind in output.get("data", {}) for output in cell.get("outputs", []) for kind in RICH_OUTPUTS)
    return False


def wrapped_height(text: str, metrics: tuple[int, int]) -> float:
    """Pixels that ``text`` takes when wrapped at ``metrics = (characters per line, pixels per line)``."""
    width, line = metrics
    return sum(math.ceil(len(row) / width) * line if row.strip() else line / 3 for row in text.splitlines())


def png_size(data: str) -> tuple[int, int]:
    """Width and height of a base64 PNG, read from its header."""
    header = base64.b64decode(data[:64])
    return struct.unpack(">II", header[16:24])


def output_height(output: dict) -> float:
    """The height of one output in pixels: its printed text, or a figure scaled to the slide's width."""
    if output.get("output_type") == "stream":
        return wrapped_height(output.get("text", ""), OUTPUT)
    data = output.get("data", {})
    if "image/png" in data:
        width, height = png_size(data["image/png"])
        return min(height * min(1.0, IMAGE_WIDTH / width), IMAGE_MAX_HEIGHT)
    if any(kind in data for kind in RICH_OUTPUTS):
        return SLIDE_HEIGHT / 2
    if "text/plain" in data:
        return wrapped_height(data["text/plain"], OUTPUT)
    if output.get("output_type") == "error":
        return len(output.get("traceback", [])) * OUTPUT[1]
    return 0


def part_height(part: Part) -> float:
    """The height of a part on a slide, in pixels."""
    cell = part.cell
    if cell["cell_type"] == "markdown":
        return wrapped_height(part.source, PROSE) + BLOCK_MARGIN
    if cell["cell_type"] != "code":
        return 0
    tags = set(cell.get("metadata", {}).get("tags", []))
    code = 0 if "hide-input" in tags else wrapped_height(cell["source"], CODE) + BLOCK_MARGIN
    return code + sum(output_height(output) for output in cell.get("outputs", []))


def part_slide_types(cells: Sequence[dict]) -> list[tuple[Part, str]]:
    """Every part of every cell with the slide type the rules give it, in reading order."""
    typed, used = [], 0.0
    for cell in cells:
        for part in parts_of(cell):
            if is_set_up(cell):
                typed.append((part, "skip"))
                continue
            level = heading_level(part.source) if cell["cell_type"] == "markdown" else 0
            height = part_height(part)
            if level in (1, 2):
                kind, used = "slide", height
            elif level:
                kind, used = "subslide", height
            elif used > 0 and used + height > SLIDE_HEIGHT:
                kind, used = "subslide", height
            else:
                kind, used = "-", used + height
            typed.append((part, kind))
    return typed


def slide_types(cells: Sequence[dict]) -> list[str]:
    """The slide type each cell should carry: that of its first part."""
    return [kind for part, kind in part_slide_types(cells) if part.first]


def stored_slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def outdated_cells(notebook) -> list[int]:
    """Indices of the cells whose stored slide type differs from what the rules give."""
    expected = slide_types(notebook.cells)
    return [index for index, (cell, kind) in enumerate(zip(notebook.cells, expected, strict=True))
            if stored_slide_type(cell) != kind]


def carries_slide_metadata(notebook) -> bool:
    """Whether any cell of the notebook has a slide type: a notebook never annotated has none."""
    return any(stored_slide_type(cell) is not None for cell in notebook.cells)


def annotate(notebook) -> int:
    """Write each cell's slide type into its metadata; returns how many cells changed. Idempotent."""
    changed = 0
    for cell, kind in zip(notebook.cells, slide_types(notebook.cells), strict=True):
        if stored_slide_type(cell) != kind:
            cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = kind
            changed += 1
    return changed


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.slides.metadata", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit with status 1 if a notebook's slide metadata is out of date")
    args = parser.parse_args(list(argv) if argv is not None else None)
    stale = []
    for path in args.notebooks:
        notebook = nbformat.read(path, as_version=4)
        if args.check:
            cells = outdated_cells(notebook)
            if cells:
                stale.append(path)
                print(f"{path}: slide metadata out of date in {len(cells)} cells (first: cell {cells[0]})")
        elif annotate(notebook):
            nbformat.write(notebook, path)
            print(f"{path}: slide metadata written")
    if stale:
        print(f"Update it with: python -m classroom.slides.metadata {' '.join(map(str, stale))}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())

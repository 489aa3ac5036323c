"""Where a chapter's slides begin: the ``slideshow.slide_type`` of every cell, the metadata nbconvert's slides
exporter (and Jupyter's slideshow tools) read.

The rules, applied in reading order:

- a set-up cell is skipped: the Colab install cell (tag ``remove-cell``), a code cell whose input the site hides
  and whose output is only printed text (imports, the version banner: tag ``hide-input``), and the worked
  solutions of the exercises (tag ``hide-cell``), which stay off the projector;
- a level 1 or 2 heading (a chapter or a section) starts a slide, a level 3 or 4 heading a sub-slide;
- any other part continues the slide it is on while the slide still fits the screen, and starts a sub-slide
  when it would not (so long code, a long output or a figure below a paragraph moves down, one key away).

A cell is read as one or more parts (``parts_of``): a markdown cell with a heading inside it is split at the
heading, and a code cell whose code and outputs together would not fit on a slide shows its code on one slide and
its outputs on the slide below. The stored type is that of a cell's first part; the deck builder
(``classroom.slides.build``) splits the cell the same way and gives each later part its own slide
(``deck_slide_types``).

"Fits" is an estimate of the height in pixels on a 1280x720 slide (``classroom.slides.layout``): the prose a
slide keeps (``classroom.slides.notes`` moves the rest into the speaker notes), wrapped lines of code and printed
output, each up to the height of the box it scrolls in, and the height of a figure as the slide shows it.

Run ``python -m classroom.slides.metadata NOTEBOOK...`` to write the metadata (only cell metadata changes,
never a source or an output), or with ``--check`` to list the notebooks whose metadata is out of date.
"""

from __future__ import annotations

import argparse
import base64
import copy
import math
import re
import struct
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

from classroom.slides import layout, notes

HEADING = re.compile(r"^(#{1,6})\s+\S")
FENCE = re.compile(r"^(```|~~~|:::)")
SET_UP_TAGS = {"remove-cell", "hide-cell"}
RICH_OUTPUTS = ("image/png", "image/jpeg", "image/svg+xml", "text/html", "application/vnd.jupyter.widget-view+json")
IMAGE_WIDTH = layout.CONTENT_WIDTH
"""The width a figure may take on a slide (the output area's), beyond which it is scaled down."""
BOX_PADDING = 14
"""A code or output box's padding and border, top and bottom together."""
ANIMATION = 'class="animation"'
"""What marks a matplotlib animation (``Animation.to_jshtml``) among HTML outputs."""


@dataclass(frozen=True)
class Part:
    """A run of a cell that the deck shows together: a whole cell, a markdown cell up to a heading, or the code
    (``piece="input"``) or the outputs (``piece="outputs"``) of a code cell too tall for one slide."""

    source: str
    cell: dict
    first: bool
    piece: str = "whole"


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
    """The parts of one cell in reading order: a markdown cell split at its headings, a code cell cut between its
    code and its outputs when the two would not fit on one slide, any other cell whole."""
    if cell["cell_type"] == "markdown":
        return [Part(text, cell, index == 0) for index, text in enumerate(split_at_headings(cell["source"]))]
    code = input_height(cell) if cell["cell_type"] == "code" else 0
    if code and code + outputs_height(cell) > layout.CONTENT_HEIGHT:
        return [Part(cell["source"], cell, True, "input"), Part("", cell, False, "outputs")]
    return [Part(cell["source"], cell, True)]


def is_set_up(cell: dict) -> bool:
    """Whether a cell stays off the slides: install, imports and banner, worked solutions."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & SET_UP_TAGS:
        return True
    if cell["cell_type"] == "code" and "hide-input" in tags:
        return not any(kind in output.get("data", {}) for output in cell.get("outputs", []) for kind in RICH_OUTPUTS)
    return False


def wrapped_height(text: str, kind: layout.Type) -> float:
    """Pixels that ``text`` takes when wrapped at the characters a line of ``kind`` holds."""
    width, line = kind.characters_per_line, kind.line_px
    return sum(max(1, math.ceil(len(row) / width)) * line for row in text.splitlines())


def png_size(data: str) -> tuple[int, int]:
    """Width and height of a base64 PNG, read from its header."""
    header = base64.b64decode(data[:64])
    return struct.unpack(">II", header[16:24])


def boxed(height: float, box: float) -> float:
    """The height of text in a box that scrolls beyond ``box`` pixels, with the box's padding."""
    return min(height, box) + BOX_PADDING


def output_height(output: dict) -> float:
    """The height of one output on a slide in pixels: printed text up to its box, a figure as the slide scales it,
    an animation's frame and controls."""
    if output.get("output_type") == "stream":
        return boxed(wrapped_height(output.get("text", ""), layout.OUTPUT), layout.TEXT_OUTPUT_BOX)
    data = output.get("data", {})
    if "image/png" in data:
        width, height = png_size(data["image/png"])
        return min(height * min(1.0, IMAGE_WIDTH / width), layout.IMAGE_HEIGHT) + layout.PARAGRAPH_GAP
    if "text/html" in data and ANIMATION in "".join(data["text/html"]):
        return layout.ANIMATION_HEIGHT + layout.ANIMATION_CONTROLS
    if any(kind in data for kind in RICH_OUTPUTS):
        return layout.CONTENT_HEIGHT / 2
    if "text/plain" in data:
        return boxed(wrapped_height(data["text/plain"], layout.OUTPUT), layout.TEXT_OUTPUT_BOX)
    if output.get("output_type") == "error":
        return boxed(len(output.get("traceback", [])) * layout.OUTPUT.line_px, layout.TEXT_OUTPUT_BOX)
    return 0


def input_height(cell: dict) -> float:
    """The height of a code cell's code on a slide: 0 when the slide hides it, else up to its box."""
    if "hide-input" in cell.get("metadata", {}).get("tags", []):
        return 0
    return boxed(wrapped_height(cell["source"], layout.CODE), layout.CODE_BOX) + layout.BLOCK_MARGIN


def shown_outputs(cell: dict) -> list[dict]:
    """A code cell's outputs as the deck shows them: consecutive printed text in one box (nbconvert's
    ``CoalesceStreamsPreprocessor``, which the deck builder runs), as Jupyter shows it."""
    if not any(output.get("output_type") == "stream" for output in cell.get("outputs", [])):
        return cell.get("outputs", [])
    merged, _ = CoalesceStreamsPreprocessor().preprocess_cell(nbformat.from_dict(copy.deepcopy(cell)), {}, 0)
    return merged.outputs


def outputs_height(cell: dict) -> float:
    """The height of a code cell's outputs on a slide, up to the box they scroll in together."""
    height = sum(output_height(output) for output in shown_outputs(cell))
    return min(height, layout.OUTPUTS_BOX) + layout.BLOCK_MARGIN if height else 0


def part_height(part: Part) -> float:
    """The height of a part on a slide, in pixels: for prose, only the share the slide keeps."""
    cell = part.cell
    if cell["cell_type"] == "markdown":
        return notes.split_prose(part.source).slide_height + layout.BLOCK_MARGIN
    if cell["cell_type"] != "code":
        return 0
    return (input_height(cell) if part.piece != "outputs" else 0) + \
        (outputs_height(cell) if part.piece != "input" else 0)


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
            elif used > 0 and used + height > layout.CONTENT_HEIGHT:
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


def later_part_type(part: Part) -> str:
    """The slide type of a cell's second or later part, which the cell's metadata cannot store: a heading's (a
    slide at level 1 or 2, else a sub-slide), or a sub-slide for a code cell's outputs moved below its code."""
    if part.piece == "outputs":
        return "subslide"
    return "slide" if heading_level(part.source) <= 2 else "subslide"


def deck_slide_types(cells: Sequence[dict]) -> list[tuple[Part, str]]:
    """Every part with the slide type the deck gives it: the cell's stored type for its first part (the rules'
    type where none is stored), ``later_part_type`` for the others."""
    typed, cell_type = [], "-"
    for part, rule in part_slide_types(cells):
        if part.first:
            stored = stored_slide_type(part.cell)
            cell_type = stored if stored is not None else rule
            typed.append((part, cell_type))
        else:
            typed.append((part, cell_type if cell_type in ("skip", "notes") else later_part_type(part)))
    return typed


def slide_count(cells: Sequence[dict]) -> int:
    """How many slides the deck of these cells shows (sub-slides included), as the deck builder lays them out: every
    part that starts a slide or a sub-slide, and the first part shown, which always starts one."""
    shown = [kind for _, kind in deck_slide_types(cells) if kind not in ("skip", "notes")]
    if not shown:
        return 0
    return 1 + sum(kind in ("slide", "subslide") for kind in shown[1:])


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

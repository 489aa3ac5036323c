"""Speaker notes from the chapters' prose: a slide keeps a few lines of a section's text, the notes hold the rest.

A chapter is written to be read: a section often opens with two or three paragraphs of 100 words. On a slide that
is a wall of text nobody reads while the speaker talks. ``split_prose`` cuts the markdown of one slide's part
(``classroom.slides.metadata.Part``) into what the slide shows and what the speaker view shows:

- the slide keeps the heading and the first blocks (paragraphs, lists, tables, admonitions) while they fit in
  ``layout.PROSE_LINES`` lines, and a display formula that follows them whatever its height (a formula is what a
  slide is for); a paragraph that would overflow is cut after its last sentence that fits, a
  list after its last item that fits (the first sentence or item stays, however long);
- everything after goes, in order, into the speaker notes (reveal.js's notes plugin: ``S`` opens the speaker view);
- the chapter's list of references (``{footbibliography}``) stays on its slide, in a box that scrolls.

The cut is made on the chapter's own MyST source, before the markup is rewritten (``classroom.slides.myst``), so
both halves keep their citations, terms and formulas; the chapter file itself is never changed. The deck builder
(``classroom.slides.build``) and the height estimate of ``classroom.slides.metadata`` both use it, so slides begin
where the text a slide really shows ends.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import nbformat
from nbconvert.preprocessors import Preprocessor

from classroom.slides import layout

FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})")
HEADING = re.compile(r"^#{1,6}\s+\S")
LIST_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
TARGET_LABEL = re.compile(r"^\([\w:-]+\)=\s*$")
BIBLIOGRAPHY = re.compile(r"^(?:`{3,}|:{3,})\{footbibliography\}")
ROLE = re.compile(r"\{[\w:-]+\}`([^`<]*?)(?:\s*<[^`]*>)?`")
CITATION = re.compile(r"\{(?:foot)?cite(?::[tp])?\}`[^`]*`")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKUP = re.compile(r"[*_`$\\]")
SENTENCE_END = re.compile(r"""(?<=[.!?])(?P<closing>["')\]*_]*)\s+(?=[A-Z0-9"'(\[*_`$\\{])""")
ABBREVIATIONS = {"e.g.", "i.e.", "al.", "cf.", "vs.", "fig.", "eq.", "no.", "dr.", "st.", "etc.", "approx."}
CITATION_LENGTH = 24  # characters of "(Krizhevsky et al., 2012)" as a slide shows a citation
MATH_ROW_LINES = 1.6  # a row of a display formula, in lines of prose (fractions and sums stand taller than text)
DISPLAY_MATH_LINES = 1.2  # the space above and below a display formula, in lines of prose


@dataclass(frozen=True)
class Block:
    """A run of markdown a slide shows whole or not at all: a heading, a paragraph, one list item, a formula, a
    table, a fenced block (code, an admonition, the bibliography)."""

    kind: str  # heading, paragraph, item, math, table, fenced, bibliography, html, label (a cross-reference target)
    text: str

    @property
    def lines(self) -> float:
        """Lines of prose the block takes on a slide (a heading and the bibliography are counted apart)."""
        if self.kind in ("heading", "bibliography", "label"):
            return 0
        if self.kind == "math":
            rows = 1 + self.text.count("\\\\")
            return rows * MATH_ROW_LINES + DISPLAY_MATH_LINES
        if self.kind == "table":
            rows = [row for row in self.text.splitlines() if row.strip() and not set(row) <= set("|-: ")]
            return sum(wrapped_lines(row, layout.PROSE.characters_per_line - 10) for row in rows)
        if self.kind == "fenced":
            body = self.text.strip().splitlines()[1:-1]
            return 1 + sum(wrapped_lines(line, layout.PROSE.characters_per_line) for line in body)
        indent = 3 if self.kind == "item" else 0
        return sum(wrapped_lines(line, layout.PROSE.characters_per_line - indent)
                   for line in paragraphs(self.text)) + (0.4 if self.kind == "paragraph" else 0)

    @property
    def height(self) -> float:
        if self.kind == "heading":
            return layout.HEADING_HEIGHT[len(self.text) - len(self.text.lstrip("#"))]
        if self.kind == "bibliography":
            return layout.BIBLIOGRAPHY_BOX
        return self.lines * layout.PROSE.line_px


def visible_text(markdown: str) -> str:
    """Roughly the characters a slide shows for a piece of MyST: roles as their text, citations as "(Name, year)"."""
    text = CITATION.sub("x" * CITATION_LENGTH, markdown)
    text = ROLE.sub(r"\1", text)
    text = LINK.sub(r"\1", text)
    return MARKUP.sub("", text)


def paragraphs(text: str) -> list[str]:
    """The text of a block as the lines a browser flows: the source's lines joined, a line per paragraph."""
    return [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]


def wrapped_lines(line: str, characters_per_line: int) -> int:
    return max(1, math.ceil(len(visible_text(line)) / characters_per_line))


def blocks(source: str) -> list[Block]:
    """The source cut into blocks, in order; joined with blank lines they give the source back, up to blank lines."""
    lines, found, index = source.split("\n"), [], 0

    def add(kind: str, text_lines: list[str]) -> None:
        found.append(Block(kind, "\n".join(text_lines)))

    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
        elif TARGET_LABEL.match(line):
            add("label", [line])
            index += 1
        elif FENCE.match(line):
            fence = FENCE.match(line).group(1)
            end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == fence), len(lines) - 1)
            add("bibliography" if BIBLIOGRAPHY.match(line) else "fenced", lines[index:end + 1])
            index = end + 1
        elif HEADING.match(line):
            add("heading", [line])
            index += 1
        elif line.lstrip().startswith("$$"):
            end = index if line.strip() != "$$" and line.rstrip().endswith("$$") and len(line.strip()) > 2 else next(
                (i for i in range(index + 1, len(lines)) if lines[i].rstrip().endswith("$$")), len(lines) - 1)
            add("math", lines[index:end + 1])
            index = end + 1
        elif LIST_ITEM.match(line):
            end = index + 1
            while end < len(lines) and lines[end].strip() and not LIST_ITEM.match(lines[end]) and (
                    lines[end].startswith((" ", "\t"))):
                end += 1
            add("item", lines[index:end])
            index = end
        else:
            kind = "table" if line.lstrip().startswith("|") else "html" if line.lstrip().startswith("<") else (
                "paragraph")
            end = index + 1
            while end < len(lines) and lines[end].strip() and not (
                    FENCE.match(lines[end]) or HEADING.match(lines[end]) or lines[end].lstrip().startswith("$$")
                    or (kind == "paragraph" and LIST_ITEM.match(lines[end]))):
                end += 1
            add(kind, lines[index:end])
            index = end
    return found


def sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each sentence (not inside inline code or a formula, not after "e.g." or an initial)."""
    cuts, start = [], 0
    for match in SENTENCE_END.finditer(paragraph):
        before = paragraph[:match.start()]
        word = before.split()[-1].lower() if before.split() else ""
        if before.count("`") % 2 or before.count("$") % 2 or word in ABBREVIATIONS or re.fullmatch(r"\w\.", word):
            continue
        cuts.append(paragraph[start:match.end("closing")])
        start = match.end()
    cuts.append(paragraph[start:])
    return [sentence for sentence in cuts if sentence.strip()]


def joined(parts: tuple[Block, ...]) -> str:
    """Blocks back into markdown: a blank line between blocks, none between the items of one list."""
    text = ""
    for index, block in enumerate(parts):
        if index:
            text += "\n" if block.kind == "item" and parts[index - 1].kind == "item" else "\n\n"
        text += block.text
    return text


@dataclass(frozen=True)
class ProseSplit:
    """One part's markdown cut in two: what the slide shows, and what the speaker notes hold."""

    slide_blocks: tuple[Block, ...]
    notes_blocks: tuple[Block, ...]

    @property
    def slide(self) -> str:
        return joined(self.slide_blocks)

    @property
    def notes(self) -> str:
        return joined(self.notes_blocks)

    @property
    def slide_height(self) -> float:
        """The estimated height of the slide's share, in pixels (paragraph gaps included)."""
        return sum(block.height for block in self.slide_blocks) + layout.PARAGRAPH_GAP * len(self.slide_blocks)


def first_sentences(block: Block, room: float) -> tuple[Block | None, Block | None]:
    """The whole sentences that open a paragraph and fit in ``room`` lines, and the rest (None when empty)."""
    pieces = sentences(" ".join(block.text.split()))
    kept = 0
    while kept < len(pieces) and Block("paragraph", " ".join(pieces[:kept + 1])).lines <= room:
        kept += 1
    head = Block("paragraph", " ".join(pieces[:kept])) if kept else None
    rest = Block("paragraph", " ".join(pieces[kept:])) if kept < len(pieces) else None
    return head, rest


def split_prose(source: str, lines: float = layout.PROSE_LINES) -> ProseSplit:
    """Cut one part's MyST markdown into the slide's share (at most ``lines`` lines of prose, see the module's
    docstring) and the notes' share."""
    slide: list[Block] = []
    notes: list[Block] = []
    used, cutting = 0.0, False
    for block in blocks(source):
        if block.kind == "bibliography" or (not cutting and (block.kind in ("heading", "label", "math")
                                                             or used + block.lines <= lines)):
            slide.append(block)
            used += 0 if block.kind == "math" else block.lines
            continue
        if cutting:
            notes.append(block)
            continue
        cutting = True
        head, rest = first_sentences(block, lines - used) if block.kind == "paragraph" else (None, block)
        if head is None and not used:  # the slide would show no prose at all: keep the first sentence, or the block
            if block.kind == "paragraph":
                first = Block("paragraph", sentences(" ".join(block.text.split()))[0])
                head, rest = first_sentences(block, first.lines)
            else:
                head, rest = block, None
        if head is not None:
            slide.append(head)
            used += head.lines
        if rest is not None:
            notes.append(rest)
    return ProseSplit(tuple(slide), tuple(notes))


class ProseToNotes(Preprocessor):
    """nbconvert preprocessor: each markdown cell keeps its slide's share, and the rest of every cell of a slide goes,
    in order, into one speaker-notes cell at the slide's end (a cell of slide type ``notes``, which nbconvert's
    template puts in an ``<aside class="notes">``; reveal.js reads only the first such aside of a slide)."""

    def preprocess(self, nb, resources):
        cells, pending = [], []

        def flush():
            if pending:
                cells.append(nbformat.v4.new_markdown_cell("\n\n".join(pending),
                                                           metadata={"slideshow": {"slide_type": "notes"}}))
                pending.clear()

        for cell in nb.cells:
            slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
            if slide_type in ("slide", "subslide"):
                flush()
            cells.append(cell)
            if cell.cell_type != "markdown" or slide_type in ("skip", "notes"):
                continue
            split = split_prose(cell.source)
            if split.notes_blocks:
                cell.source = split.slide
                pending.append(split.notes)
        flush()
        nb.cells = cells
        return nb, resources

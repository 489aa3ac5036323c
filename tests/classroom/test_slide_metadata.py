"""Where slides begin: classroom.slides.metadata's rules, its --check mode, and the chapters' stored metadata."""

import base64
import copy
import struct
from pathlib import Path

import nbformat
import pytest

from classroom.slides import build, layout, metadata

REPOSITORY = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((REPOSITORY / "chapters").glob("*.ipynb"))


def png(width, height):
    """A base64 PNG header of the given size: all the estimate reads of a figure."""
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height) + bytes(8)
    return base64.b64encode(header).decode()


def code(source, tags=(), outputs=()):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    cell.outputs = [nbformat.from_dict(output) for output in outputs]
    return cell


def text(source):
    return nbformat.v4.new_markdown_cell(source)


def printed(lines):
    return {"output_type": "stream", "name": "stdout", "text": "".join(f"line {n}\n" for n in range(lines))}


def figure(width=640, height=480):
    return {"output_type": "display_data", "metadata": {}, "data": {"image/png": png(width, height),
                                                                    "text/plain": "<Figure>"}}


def chapter_like():
    return nbformat.v4.new_notebook(cells=[
        text("# A chapter\n\nWhat it teaches."),
        code("%pip install the-course", tags=["remove-cell"]),
        code("import numpy as np\nprint(banner())", tags=["hide-input"], outputs=[printed(1)]),
        text("## A section\n\nA short paragraph."),
        code("x = 1\nprint(x)", outputs=[printed(1)]),
        code("\n".join(f"y{n} = {n}" for n in range(40)), outputs=[printed(2)]),
        code("draw()", tags=["hide-input"], outputs=[figure()]),
        text("The section ends here.\n\n### A subsection\n\nIt starts on the same cell."),
        text("**Q1.** How many?"),
        code("answer = ...\nq1.check(answer)", outputs=[printed(1)]),
        code("q1.solution()", tags=["hide-cell"], outputs=[printed(3)]),
    ])


def test_headings_start_slides_set_up_cells_are_skipped_and_long_code_moves_down():
    kinds = metadata.slide_types(chapter_like().cells)
    assert kinds == ["slide", "skip", "skip", "slide", "-", "subslide", "subslide", "-", "-", "-", "skip"]


def test_a_hidden_input_with_a_figure_stays_on_the_slides():
    notebook = chapter_like()
    assert not metadata.is_set_up(notebook.cells[6])
    assert metadata.is_set_up(notebook.cells[2])


def test_a_heading_inside_a_cell_splits_it_and_starts_its_own_sub_slide():
    notebook = chapter_like()
    parts = [(part.source.splitlines()[0], kind) for part, kind in metadata.part_slide_types(notebook.cells)
             if part.cell is notebook.cells[7]]
    assert parts == [("The section ends here.", "-"), ("### A subsection", "subslide")]


def test_headings_inside_fenced_blocks_do_not_split():
    source = "Before\n\n```python\n# a comment, not a heading\n```\n\n## After"
    assert metadata.split_at_headings(source) == ["Before\n\n```python\n# a comment, not a heading\n```\n\n",
                                                  "## After"]


def test_a_figure_counts_by_the_height_the_slide_shows():
    tall, wide = code("draw()", outputs=[figure(640, 480)]), code("draw()", outputs=[figure(2000, 480)])
    part = metadata.parts_of
    assert metadata.part_height(part(tall)[0]) > metadata.part_height(part(wide)[0])


def test_annotate_is_idempotent_and_changes_only_cell_metadata():
    notebook = chapter_like()
    before = copy.deepcopy(notebook)
    assert metadata.annotate(notebook) == len(notebook.cells)
    assert metadata.annotate(notebook) == 0
    assert metadata.outdated_cells(notebook) == []
    for old, new in zip(before.cells, notebook.cells, strict=True):
        assert (old.source, old.get("outputs"), old.cell_type) == (new.source, new.get("outputs"), new.cell_type)
        assert {key: value for key, value in new.metadata.items() if key != "slideshow"} == old.metadata


def test_check_mode_fails_on_stale_metadata_and_passes_once_written(tmp_path, capsys):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(chapter_like(), path)
    assert metadata.main(["--check", str(path)]) == 1
    assert "python -m classroom.slides.metadata" in capsys.readouterr().out
    assert metadata.main([str(path)]) == 0
    assert metadata.main(["--check", str(path)]) == 0
    written = nbformat.read(path, as_version=4)
    written.cells.insert(4, text("A new paragraph, without slide metadata."))
    nbformat.write(written, path)
    assert metadata.main(["--check", str(path)]) == 1


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_the_chapters_slide_metadata_is_up_to_date(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    if not metadata.carries_slide_metadata(notebook):
        pytest.skip(f"{chapter.name} carries no slide metadata yet: `make slide-metadata` writes it")
    stale = metadata.outdated_cells(notebook)
    assert not stale, (f"{chapter.name}: the slide types of cells {stale} are out of date; "
                       f"update them with `make slide-metadata NOTEBOOKS=chapters/{chapter.name}`")


def test_a_code_cell_too_tall_for_a_slide_shows_its_outputs_on_the_slide_below():
    tall = code("\n".join(f"step_{n}()" for n in range(25)), outputs=[figure(640, 480)])
    short = code("draw()", outputs=[figure(640, 480)])
    assert [part.piece for part in metadata.parts_of(tall)] == ["input", "outputs"]
    assert [part.piece for part in metadata.parts_of(short)] == ["whole"]
    notebook = nbformat.v4.new_notebook(cells=[text("## A section"), tall, short])
    typed = [(part.piece, kind) for part, kind in metadata.part_slide_types(notebook.cells)]
    assert typed == [("whole", "slide"), ("input", "-"), ("outputs", "subslide"), ("whole", "subslide")]


def test_only_the_prose_a_slide_keeps_counts_toward_its_height():
    sentence = "A 2x2 max pooling keeps the largest of four values, and a shift inside the window changes nothing. "
    long_section = text("## Pooling\n\n" + sentence * 40)
    height = metadata.part_height(metadata.parts_of(long_section)[0])
    assert height < metadata.wrapped_height(long_section.source, layout.PROSE) / 2
    assert height <= layout.HEADING_HEIGHT[2] + (layout.PROSE_LINES + 1) * layout.PROSE.line_px + 60


def test_the_slide_count_is_the_number_of_slides_the_deck_shows():
    notebook = chapter_like()
    notebook.cells.insert(6, code("\n".join(f"step_{n}()" for n in range(25)), outputs=[printed(40)]))
    metadata.annotate(notebook)
    page, _ = build.exporter({}).from_notebook_node(notebook, resources={"metadata": {"name": "A chapter"},
                                                                         "slide_style": layout.style_sheet()})
    stacks = [kind for _, kind in metadata.deck_slide_types(notebook.cells)].count("slide")
    assert page.count("<section") == stacks + metadata.slide_count(notebook.cells)
    # the title, the section, the 40 lines of code, the 25 lines of code and (below) their 40 printed lines, the
    # figure, the subsection
    assert metadata.slide_count(notebook.cells) == 7

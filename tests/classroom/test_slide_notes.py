"""Speaker notes (classroom.slides.notes): a slide keeps a few lines of prose, the notes the rest, no word lost."""

import re
from pathlib import Path

import nbformat
import pytest

from classroom.slides import layout, metadata, notes

REPOSITORY = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((REPOSITORY / "chapters").glob("*.ipynb"))
SENTENCE = "Pooling keeps the largest value of each window, so a small shift of its input often changes nothing."


def words(text):
    return " ".join(text.split())


def test_a_long_section_keeps_its_first_sentences_on_the_slide_and_the_rest_in_the_notes():
    source = "## Pooling\n\n" + " ".join([SENTENCE] * 12) + "\n\nA second paragraph, for the notes."
    split = notes.split_prose(source)
    assert split.slide.startswith("## Pooling\n\n" + SENTENCE)
    assert sum(block.lines for block in split.slide_blocks) <= layout.PROSE_LINES
    assert split.slide.rstrip().endswith("nothing."), "the slide ends on a whole sentence"
    assert split.notes.endswith("A second paragraph, for the notes.")
    assert words(split.slide.removeprefix("## Pooling") + " " + split.notes) == words(source.removeprefix("## Pooling"))


def test_a_short_section_has_no_notes():
    split = notes.split_prose("### Strides\n\nA stride of 2 halves the output.")
    assert split.notes == "" and split.slide == "### Strides\n\nA stride of 2 halves the output."


def test_a_list_is_cut_between_items_and_stays_one_list_on_the_slide():
    source = "Three rules:\n\n- first rule\n- second rule,\n  on two lines\n- third rule\n- fourth rule"
    split = notes.split_prose(source, lines=3.5)
    assert split.slide == "Three rules:\n\n- first rule\n- second rule,\n  on two lines"
    assert split.notes == "- third rule\n- fourth rule"


def test_a_formula_after_the_text_stays_on_the_slide_and_the_bibliography_always_does():
    source = ("The standard error of an accuracy measured on n images is\n\n$$\\mathrm{SE} = \\sqrt{p(1 - p)/n}$$\n\n"
              + " ".join([SENTENCE] * 10) + "\n\n```{footbibliography}\n```")
    split = notes.split_prose(source)
    assert "$$\\mathrm{SE}" in split.slide and split.slide.endswith("```{footbibliography}\n```")
    assert "footbibliography" not in split.notes and split.notes


def test_sentences_are_not_cut_after_an_abbreviation_or_inside_code_or_a_formula():
    text = "Pool, e.g. with a 2x2 window. Then `x. Y` stays whole. So does $a. B$ here. End."
    assert notes.sentences(text) == ["Pool, e.g. with a 2x2 window.", "Then `x. Y` stays whole.",
                                     "So does $a. B$ here.", "End."]


def test_the_first_sentence_stays_on_the_slide_however_long():
    long_sentence = "A sentence " + "that goes on " * 60 + "and ends."
    split = notes.split_prose(long_sentence + " " + SENTENCE)
    assert split.slide == long_sentence and split.notes == SENTENCE


def test_the_preprocessor_puts_the_rest_of_a_slides_prose_in_one_notes_cell_at_its_end():
    long = " ".join([SENTENCE] * 12)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## Pooling\n\n" + long, metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("Second. " + long),
        nbformat.v4.new_markdown_cell("### Strides\n\nShort.", metadata={"slideshow": {"slide_type": "subslide"}}),
    ])
    processed, _ = notes.ProseToNotes().preprocess(notebook, {})
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in processed.cells]
    assert kinds == ["slide", None, None, "notes", "subslide"], "one notes cell, closing the first slide"
    assert processed.cells[0].source.startswith("## Pooling") and processed.cells[2].source.startswith("Second.")
    notes_text = processed.cells[3].source
    assert notes_text.index("nothing.") < notes_text.index("\n\n") < len(notes_text) - len(SENTENCE)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[path.stem for path in CHAPTERS])
def test_no_word_of_a_chapters_prose_is_lost_between_slide_and_notes(chapter):
    for cell in nbformat.read(chapter, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for part in metadata.parts_of(cell):
            split = notes.split_prose(part.source)
            kept = re.sub(r"\s+", "", split.slide + split.notes)
            assert kept == re.sub(r"\s+", "", part.source), f"{chapter.name}: {part.source[:80]!r}"
            prose = [block for block in split.slide_blocks if block.lines and block.kind != "math"]
            assert sum(block.lines for block in prose) <= layout.PROSE_LINES or len(prose) == 1, part.source[:80]

"""The chapters' MyST markup rewritten as the Markdown a slide shows (classroom.slides.myst)."""

import re
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_string

from classroom.slides.myst import Bibliography, MystToMarkdown, myst_to_markdown

REPOSITORY = Path(__file__).resolve().parents[2]
BIB = r"""
@article{hubel1962, author = {Hubel, David H. and Wiesel, Torsten N.}, title = {Receptive fields},
         journal = {The Journal of Physiology}, year = {1962}}
@book{geron2022, author = {G{\'e}ron, Aur{\'e}lien}, title = {Hands-On Machine Learning}, publisher = {O'Reilly},
      year = {2022}}
@inproceedings{krizhevsky2012, author = {Krizhevsky, Alex and Sutskever, Ilya and Hinton, Geoffrey E.},
               title = {ImageNet classification}, booktitle = {NeurIPS}, year = {2012}}
"""
LEFTOVER_MYST = re.compile(r"\{[\w:-]+\}`|^(?:```|:::)\{", re.M)


@pytest.fixture
def bibliography():
    return Bibliography(parse_string(BIB, "bibtex"))


def convert(text, bibliography, decks=None):
    return myst_to_markdown(text, bibliography, decks or {})


def test_citations_read_in_author_year_form(bibliography):
    text = "As {footcite:t}`hubel1962` found, and others confirmed {footcite:p}`geron2022,krizhevsky2012`."
    assert convert(text, bibliography) == ("As Hubel and Wiesel (1962) found, and others confirmed "
                                           "(Géron, 2022; Krizhevsky et al., 2012).")


def test_the_bibliography_lists_what_the_chapter_cited_and_nothing_else(bibliography):
    convert("{footcite:p}`krizhevsky2012` then {footcite:t}`hubel1962`", bibliography)
    listing = convert("## References\n\n```{footbibliography}\n```", bibliography)
    items = [line for line in listing.splitlines() if line.startswith("- ")]
    assert len(items) == 2
    assert "Hubel" in items[0] and "Receptive fields" in items[0]  # sorted by author, as pybtex's plain style does
    assert "Krizhevsky" in items[1] and "imagenet classification" in items[1].lower()
    assert "Géron" not in listing


def test_an_unknown_citation_is_an_error(bibliography):
    with pytest.raises(KeyError, match="nosuchpaper"):
        convert("{footcite:p}`nosuchpaper`", bibliography)


def test_terms_keep_their_words_and_page_links_point_at_decks(bibliography):
    decks = {"07_fashion_mnist": "Fashion-MNIST: a complete project"}
    text = "{term}`strides <stride>` and {term}`padding`; see {doc}`07_fashion_mnist`, {doc}`chapter 7 " \
           "<07_fashion_mnist>` and {doc}`glossary`."
    assert convert(text, bibliography, decks) == (
        "strides and padding; see [Fashion-MNIST: a complete project](07_fashion_mnist.slides.html), "
        "[chapter 7](07_fashion_mnist.slides.html) and glossary.")


def test_admonitions_become_block_quotes_without_their_options(bibliography):
    text = "Before.\n\n```{admonition} Which one to choose?\n:class: tip\nMostly **same**.\n\nOr valid.\n```\n\n" \
           "```{note}\nA note.\n```\nAfter."
    assert convert(text, bibliography) == (
        "Before.\n\n> **Which one to choose?**\n>\n> Mostly **same**.\n>\n> Or valid.\n\n"
        "> **Note.**\n>\n> A note.\nAfter.")


def test_no_chapter_keeps_myst_markup_on_its_slides():
    chapters = sorted((REPOSITORY / "chapters").glob("*.ipynb"))
    preprocessor = MystToMarkdown(bibliography_path=str(REPOSITORY / "references.bib"),
                                  deck_titles={path.stem: path.stem for path in chapters})
    for path in chapters:
        notebook, _ = preprocessor.preprocess(nbformat.read(path, as_version=4), {})
        leftovers = [match.group(0) for cell in notebook.cells if cell.cell_type == "markdown"
                     for match in LEFTOVER_MYST.finditer(cell.source)]
        assert not leftovers, f"{path.name}: MyST markup left on the slides: {leftovers}"

"""``make slides``: one reveal.js deck per chapter, written by nbconvert's slides exporter, that works offline.

Each deck is ``<chapter>.slides.html`` in the output folder (``_build/slides``), next to ``assets/`` (reveal.js
with its notes plugin, MathJax 2, require.js, jQuery, mermaid, the widget manager and Font Awesome, copied from
pinned npm packages by ``classroom.slides.assets``) and an ``index.html`` that lists the decks. Slides begin where the
chapter's cell metadata says (``classroom.slides.metadata``); the set-up cells are skipped, inputs the site hides are
hidden, and the MyST markup is rewritten as plain Markdown (``classroom.slides.myst``). The decks show the outputs
stored in the chapters (full mode): nothing runs.

Every slide fits a 1280x720 screen (``classroom.slides.layout``): a slide keeps a few lines of the chapter's prose
and the speaker notes hold the rest (``classroom.slides.notes``), code and printed outputs wrap and scroll inside
boxes of fixed height, figures are scaled to fit, and a code cell too tall for one slide shows its outputs on the
slide below. The chapter files are never changed.

Serve the folder and open it: ``python3 -m http.server --bind 127.0.0.1 --directory _build/slides 8001``.
In a deck, the arrow keys move between slides (down for a slide's continuation), ``S`` opens the speaker view
(notes, the next slide, a timer), ``Esc`` the overview; ``?print-pdf`` after a deck's address lays it out for
printing, one page per slide (``?print-pdf&showNotes=separate-page`` adds the notes).
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
import yaml
from nbconvert import SlidesExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

from classroom.slides import layout, metadata
from classroom.slides.assets import CACHE, copy_assets
from classroom.slides.myst import MystToMarkdown
from classroom.slides.notes import ProseToNotes

REPOSITORY = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
ASSETS = "assets"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"  # the configuration the template's CDN address loads


CDN_FONT_AWESOME = re.compile(r"""(<link[^>]*\bhref=["'])(?:https?:)?//[^"']*font-awesome[^"']*(["'])""", re.I)


class LocalFontAwesome(Preprocessor):
    """Outputs that link Font Awesome on a CDN (matplotlib's animations, for their buttons) link the copy in
    ``assets/`` instead, so an animation plays offline with its icons."""

    local = f"{ASSETS}/font-awesome/css/font-awesome.min.css"

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                text = "".join(html) if isinstance(html, list) else html
                output["data"]["text/html"] = CDN_FONT_AWESOME.sub(rf"\g<1>{self.local}\g<2>", text)
        return cell, resources


class SplitIntoParts(Preprocessor):
    """Each cell becomes one cell per part, as ``classroom.slides.metadata`` reads it, with the slide type the deck
    gives that part (``metadata.deck_slide_types``): a markdown cell with a heading inside it is cut at the heading,
    a code cell too tall for one slide shows its code, then its outputs on the slide below."""

    def preprocess(self, nb, resources):
        cells = []
        for part, kind in metadata.deck_slide_types(nb.cells):
            cell = part.cell
            if len(metadata.parts_of(cell)) == 1:
                cells.append(cell)
                continue
            piece = copy.deepcopy(cell)
            if not part.first and "id" in piece:
                piece.id = nbformat.v4.new_code_cell().id  # a fresh id: the notebook's ids stay unique
            if cell["cell_type"] == "markdown":
                piece.source = part.source
            elif part.piece == "input":
                piece.outputs = []
            else:
                piece.metadata["transient"] = {"remove_source": True}
            piece.metadata["slideshow"] = {"slide_type": kind}
            cells.append(piece)
        nb.cells = cells
        return nb, resources


def chapter_notebooks(repository: Path = REPOSITORY) -> list[Path]:
    """The notebooks of the book in reading order (_toc.yml), so the index lists the decks as the site does."""
    def walk(entries):
        for entry in entries:
            if "file" in entry:
                yield entry["file"]
            for key in ("sections", "chapters", "parts"):
                yield from walk(entry.get(key, []))

    toc = yaml.safe_load((repository / "_toc.yml").read_text())
    pages = [toc["root"], *walk(toc.get("parts", [])), *walk(toc.get("chapters", []))]
    return [repository / f"{page}.ipynb" for page in pages if (repository / f"{page}.ipynb").is_file()]


def notebook_title(path: Path) -> str:
    """The chapter's title: its first level 1 heading."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and metadata.heading_level(cell.source) == 1:
            return cell.source.lstrip("\n").splitlines()[0].lstrip("#").strip()
    return path.stem


def exporter(deck_titles: dict[str, str], bibliography: Path = REPOSITORY / "references.bib") -> SlidesExporter:
    """nbconvert's slides exporter with every script served from ``assets/`` beside the decks."""
    config = Config()
    config.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    config.SlidesExporter.template_name = "course_slides"
    config.SlidesExporter.reveal_url_prefix = f"{ASSETS}/reveal.js"
    config.SlidesExporter.reveal_theme = "white"
    config.SlidesExporter.reveal_transition = "none"
    config.SlidesExporter.reveal_number = "c/t"
    # a 16:9 slide; what would not fit is cut down by the build (classroom.slides.layout), never scrolled as a whole
    config.SlidesExporter.reveal_width = str(layout.SLIDE_WIDTH)
    config.SlidesExporter.reveal_height = str(layout.SLIDE_HEIGHT)
    config.SlidesExporter.reveal_scroll = False
    config.SlidesExporter.jquery_url = f"{ASSETS}/jquery/dist/jquery.min.js"
    config.SlidesExporter.require_js_url = f"{ASSETS}/requirejs/require.js"
    config.SlidesExporter.mathjax_url = f"{ASSETS}/mathjax/MathJax.js?config={MATHJAX_CONFIG}"
    config.SlidesExporter.widget_renderer_url = f"{ASSETS}/html-manager/dist/embed-amd.js"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    config.CoalesceStreamsPreprocessor.enabled = True  # printed lines in one box, as Jupyter shows them
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_input_tags = {"hide-input", "remove-input"}
    config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
    config.MystToMarkdown.bibliography_path = str(bibliography)
    config.MystToMarkdown.deck_titles = deck_titles
    config.SlidesExporter.preprocessors = [SplitIntoParts, ProseToNotes, MystToMarkdown, LocalFontAwesome]
    slides = SlidesExporter(config=config)
    # not a configurable trait in nbconvert; an ES module address must start with "./"
    slides.mermaid_js_url = f"./{ASSETS}/mermaid/dist/mermaid.esm.min.mjs"
    return slides


def deck_name(notebook: Path) -> str:
    return f"{notebook.stem}.slides.html"


def write_index(decks: Sequence[tuple[Path, str]], output: Path) -> Path:
    """A page that lists the decks, so a classroom server opens on something."""
    items = "\n".join(f'    <li><a href="{html.escape(deck_name(notebook))}">{html.escape(title)}</a></li>'
                      for notebook, title in decks)
    page = output / "index.html"
    page.write_text(f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Slides: Convolutional Neural Networks, an executable course</title>
  <style>body {{ font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.6; }}</style>
</head>
<body>
  <h1>Slides</h1>
  <p>One deck per chapter. Arrow keys move between slides (down: the slide's continuation), <kbd>S</kbd> opens
  the speaker view with the notes, <kbd>Esc</kbd> the overview. To print a deck or save it as PDF, add
  <code>?print-pdf</code> to its address, then print from Chromium or Chrome: landscape, no margins, background
  graphics on (<code>?print-pdf&amp;showNotes=separate-page</code> prints the notes too).</p>
  <ul>
{items}
  </ul>
</body>
</html>
""", encoding="utf-8")
    return page


def build_decks(notebooks: Sequence[Path], output: Path, cache: Path = CACHE) -> list[Path]:
    """Write a deck for each notebook into ``output``, with the assets and the index; returns the decks' paths."""
    output.mkdir(parents=True, exist_ok=True)
    copy_assets(output / ASSETS, cache)
    titles = {path.stem: notebook_title(path) for path in chapter_notebooks()}
    titles.update({Path(path).stem: notebook_title(Path(path)) for path in notebooks})
    slides = exporter(titles)
    written = []
    for path in notebooks:
        path = Path(path)
        notebook = nbformat.read(path, as_version=4)
        if not metadata.carries_slide_metadata(notebook):
            print(f"warning: {path} carries no slide metadata, so its deck is one long slide; "
                  f"write it with: python -m classroom.slides.metadata {path}", file=sys.stderr)
        body, _ = slides.from_notebook_node(notebook, resources={"metadata": {"name": titles[path.stem]},
                                                                 "slide_style": layout.style_sheet()})
        deck = output / deck_name(path)
        deck.write_text(body, encoding="utf-8")
        written.append(deck)
        print(f"{deck}")
    write_index([(Path(path), titles[Path(path).stem]) for path in notebooks], output)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m classroom.slides.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook of _toc.yml")
    parser.add_argument("--output", type=Path, default=Path("_build/slides"))
    args = parser.parse_args(argv)
    build_decks(args.notebooks or chapter_notebooks(), args.output)
    print(f"Open {args.output / 'index.html'} through a local server: "
          f"python3 -m http.server --bind 127.0.0.1 --directory {args.output} 8001")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The slide's geometry and type, in one place: the deck's style sheet, the height estimate and the tests read it.

A deck is a 1280x720 reveal.js slide (16:9, a projector's or a laptop's screen), scaled by reveal.js to the
window. What does not fit is cut down by rules, never left to spill over the slide's edge:

- prose: a slide keeps a few lines of a section's text (``PROSE_LINES``); the rest goes to the speaker notes
  (``classroom.slides.notes``);
- code wraps at the slide's width, and code longer than ``CODE_BOX`` scrolls inside its box;
- a printed output wraps too, and scrolls inside a box of ``TEXT_OUTPUT_BOX``; all the outputs of one cell together
  scroll inside ``OUTPUTS_BOX``; a figure is shown at most ``IMAGE_HEIGHT`` high, an animation's frame at most
  ``ANIMATION_HEIGHT`` (its controls below it stay on the slide);
- nothing is drawn in a margin on the right (``CONTROLS_MARGIN``), where reveal.js's arrows sit;
- a code cell whose code and outputs together would not fit shows its code on one slide and its outputs on the
  slide below (``classroom.slides.metadata``), and any other part that would not fit below what a slide already
  holds starts a slide of its own.

The heights the estimate uses (``Type``) are those the style sheet (``style_sheet``) sets, with a margin for
wrapping: ``tests/classroom/test_slide_fit.py`` steps through every deck in Chromium at 1280x720 and fails on any
slide whose content passes its edge.
"""

from __future__ import annotations

from dataclasses import dataclass

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
CONTROLS_MARGIN = 100
"""Pixels kept free on a slide's right: reveal.js's arrows and the slide number sit in its bottom-right corner, so
no text, figure or button of the slide is drawn under them."""
CONTENT_WIDTH = SLIDE_WIDTH - CONTROLS_MARGIN - 50
"""The width of a cell's content (the slide's, less that margin and the cells' own padding)."""
CONTENT_HEIGHT = 630
"""Pixels of a slide the estimate lets its content fill: the slide, less reveal.js's padding and a margin for error."""


@dataclass(frozen=True)
class Type:
    """One kind of text on a slide: its size, the height of one of its lines, and the characters a line holds
    (fewer than fit, so that the estimate errs on the tall side: words wrap before the edge)."""

    font_px: float
    line_px: float
    characters_per_line: int


PROSE = Type(font_px=20, line_px=27, characters_per_line=105)
CODE = Type(font_px=15, line_px=19.5, characters_per_line=118)
OUTPUT = Type(font_px=14, line_px=18.2, characters_per_line=128)
HEADING_HEIGHT = {1: 90, 2: 66, 3: 56, 4: 50, 5: 46, 6: 46}
"""Height of a heading with its margins, by level (the style sheet's sizes: 48, 34, 28 and 24 px)."""
PARAGRAPH_GAP = 12
BLOCK_MARGIN = 20
"""Pixels around a cell: its padding, and the padding of a code or output box."""

PROSE_LINES = 7
"""Lines of a section's prose a slide keeps; the speaker notes hold the rest."""
CODE_BOX = 450
TEXT_OUTPUT_BOX = 330
OUTPUTS_BOX = 560
IMAGE_HEIGHT = 520
ANIMATION_HEIGHT = 380
"""An animation's frame; its slider, buttons and loop choices take ``ANIMATION_CONTROLS`` more below it."""
ANIMATION_CONTROLS = 120
BIBLIOGRAPHY_BOX = 330
"""The works a chapter cites, listed on its References slide in a box that scrolls."""
BIBLIOGRAPHY_CLASS = "slide-bibliography"


def style_sheet() -> str:
    """The CSS that makes a deck follow these numbers (the deck template puts it after nbconvert's own rules)."""
    return f"""
:root {{
    --jp-content-font-size1: {PROSE.font_px}px;
    --jp-code-font-size: {CODE.font_px}px;
    --jp-cell-prompt-width: 0px;
}}
.reveal .slides {{ text-align: left; }}
.reveal .slides > section:not(.stack), .reveal .slides > section > section {{
    box-sizing: border-box; padding-right: {CONTROLS_MARGIN}px; }}
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3, .reveal .slides h4 {{ text-transform: none; }}
.reveal .jp-RenderedMarkdown h1 {{ font-size: 48px; margin: 0 0 18px; }}
.reveal .jp-RenderedMarkdown h2 {{ font-size: 34px; margin: 0 0 14px; }}
.reveal .jp-RenderedMarkdown h3 {{ font-size: 28px; margin: 0 0 12px; }}
.reveal .jp-RenderedMarkdown h4, .reveal .jp-RenderedMarkdown h5, .reveal .jp-RenderedMarkdown h6 {{
    font-size: 24px; margin: 0 0 10px; }}
.reveal .jp-RenderedMarkdown p, .reveal .jp-RenderedMarkdown li, .reveal .jp-RenderedMarkdown blockquote {{
    font-size: {PROSE.font_px}px; line-height: {PROSE.line_px}px; }}
.reveal .jp-RenderedMarkdown p {{ margin: 0 0 {PARAGRAPH_GAP}px; }}
.reveal .jp-RenderedMarkdown ul, .reveal .jp-RenderedMarkdown ol {{ margin: 0 0 {PARAGRAPH_GAP}px 1.2em; }}
.reveal .jp-RenderedMarkdown blockquote {{ margin: 0 0 {PARAGRAPH_GAP}px; padding: 4px 12px; width: auto; }}
.reveal .jp-Cell {{ padding: 4px 5px; }}
.reveal div.highlight > pre {{
    font-size: {CODE.font_px}px; line-height: {CODE.line_px}px;
    white-space: pre-wrap; overflow-wrap: anywhere;
    max-height: {CODE_BOX}px; overflow: auto;
}}
.reveal .jp-Cell-outputWrapper {{ max-height: {OUTPUTS_BOX}px; overflow: auto; }}
.reveal .jp-OutputArea-output pre, .reveal div.jp-OutputArea-output > pre {{
    font-size: {OUTPUT.font_px}px; line-height: {OUTPUT.line_px}px; width: auto;
    white-space: pre-wrap; overflow-wrap: anywhere;
    max-height: {TEXT_OUTPUT_BOX}px; overflow: auto;
}}
.reveal .jp-RenderedImage img, .reveal .jp-OutputArea-output img {{
    max-height: {IMAGE_HEIGHT}px; max-width: 100%; width: auto; height: auto;
}}
.reveal .animation img {{ max-height: {ANIMATION_HEIGHT}px; width: auto; }}
.reveal .{BIBLIOGRAPHY_CLASS} {{ max-height: {BIBLIOGRAPHY_BOX}px; overflow-y: auto; font-size: 16px; }}
.reveal .{BIBLIOGRAPHY_CLASS} li {{ font-size: 16px; line-height: 22px; }}
.reveal aside.notes {{ display: none; }}
/* MathJax 2 keeps a MathML copy of each formula for screen readers in a 1-pixel box; Chromium draws MathML itself
   and lets it show beside the formula in a table cell: hide it from the eye only */
.reveal .MJX_Assistive_MathML {{ clip-path: inset(50%); }}
/* printing (?print-pdf): reveal.js breaks the page after every slide, the last one too, which adds a blank page */
html.print-pdf .reveal .slides .pdf-page:last-child {{ page-break-after: avoid; break-after: avoid; }}
"""

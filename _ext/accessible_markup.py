"""Sphinx extension: markup that others generate, made to pass axe-core's accessibility rules on every page.

tests/test_browser.py runs axe-core on each page of the site. Two kinds of markup the course does not write
itself would fail it, and are mended in each page's HTML when the book is built, stored notebook outputs
untouched:

- matplotlib's ``Animation.to_jshtml()`` (the chapter animations) draws its frame slider as an
  ``<input type="range">`` with no label, which a screen reader announces as a bare "slider" (axe ``label``,
  critical). It gets ``aria-label="Animation frame"``, as :func:`cnn_course.animations` now writes it for a
  fresh run in Jupyter.
- docutils writes a bibliography as ``<div role="list">`` holding ``<div role="doc-biblioentry">``: ARIA 1.3
  deprecates that role and a list must hold list items (axe ``aria-required-children``, critical, and
  ``aria-deprecated-role``). Each entry becomes a ``listitem``.
"""

import re

UNLABELLED_SLIDER = re.compile(r'<input(?![^>]*\baria-label=)([^>]*\bclass="anim-slider")')
BIBLIOGRAPHY_ENTRY = re.compile(r'(<div class="citation"[^>]*\brole=)"doc-biblioentry"')
SLIDER_LABEL = "Animation frame"


def mend_markup(html: str) -> str:
    """``html`` with labelled animation sliders and bibliography entries as list items."""
    html = UNLABELLED_SLIDER.sub(rf'<input aria-label="{SLIDER_LABEL}"\1', html)
    return BIBLIOGRAPHY_ENTRY.sub(r'\1"listitem"', html)


def mend_page(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = mend_markup(context["body"])


def setup(app):
    app.connect("html-page-context", mend_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The site builds with warnings as errors: a broken notebook, reference or citation fails the test suite.

The build itself is the session fixture ``book_build`` (conftest.py), run as `jupyter-book build -W -n
--keep-going`, and shared with the browser tests so the book is built once per test run.
"""

import os
import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[1]


def cited_keys(pages):
    """The bibtex keys that these pages of the book cite, with {cite} or {footcite}."""
    keys = set()
    for page in pages:
        for path in (REPOSITORY / f"{page}.md", REPOSITORY / f"{page}.ipynb"):
            if path.is_file():
                for group in re.findall(r"\{(?:foot)?cite(?::\w+)?\}`([^`]+)`", path.read_text()):
                    keys |= {key.strip() for key in group.split(",")}
    return keys


def test_the_book_builds_without_warnings(book_build, book_pages):
    if os.environ.get("CNN_COURSE_SITE"):
        pytest.skip("CNN_COURSE_SITE reuses a site built before: unset it to test the build")
    assert book_build.returncode == 0, book_build.log[-10000:]
    html = book_build.html
    assert (html / "index.html").is_file()
    for page in book_pages:
        built = html / f"{page}.html"
        assert built.is_file(), f"no page for {page}"
        assert "Traceback" not in built.read_text(), f"{page} shows a traceback"


def test_mathjax_is_served_by_the_site_itself(book_build):
    html = book_build.html
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file()
    assert list((html / "_static" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff")), "no MathJax fonts"


def test_no_page_loads_a_script_style_font_or_image_from_another_host(book_build):
    """Links to other sites are fine (DOIs, GitHub, Colab); anything the page itself loads must be local."""
    loads = re.compile(
        r"<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=\"((?:https?:)?//[^\"]+)\""
        r"|<link\b[^>]*\bhref=\"((?:https?:)?//[^\"]+)\"[^>]*>"
        r"|url\(\s*['\"]?((?:https?:)?//[^)'\"]+)"
        r"|@import\s+['\"]((?:https?:)?//[^'\"]+)"
    )
    found = {}
    for path in [*book_build.html.rglob("*.html"), *book_build.html.rglob("*.css")]:
        if "_sources" in path.parts:
            continue
        for match in loads.finditer(path.read_text(errors="replace")):
            if match.group(0).startswith("<link") and re.search(r"rel=\"(?:canonical|alternate)\"", match.group(0)):
                continue
            url = next(group for group in match.groups() if group)
            found.setdefault(str(path.relative_to(book_build.html)), set()).add(url)
    assert not found, f"pages that load from another host: {found}"


def test_the_bibliography_lists_exactly_what_the_chapters_cite(book_build, book_pages):
    page = (book_build.html / "chapters" / "references.html").read_text()
    listed = len(re.findall(r"<div class=\"citation\"", page))
    cited = cited_keys(book_pages)
    assert listed == len(cited), f"{listed} works listed, {len(cited)} cited: {sorted(cited)}"

"""`make slides`' decks: built by nbconvert, every script served beside them, stepped through in Chromium offline.

Every deck is built once for the session (tests/classroom/conftest.py) with the pinned packages of
classroom.slides.assets; the decks of chapter 6 (formulas and figures), chapter 4 (which stores widget state, so its
deck loads the widget manager) and chapter 3 (whose animation links Font Awesome) are then served on 127.0.0.1 and
opened in the distribution's Chromium at the slides' size, 1280x720, with every request to another host aborted and
recorded. tests/classroom/test_slide_fit.py checks that every slide of every deck fits that screen.
"""

import html
import re
import shutil
from pathlib import Path

import nbformat
import offline_browser
import pytest
from offline_browser import RecordedPage

from classroom.slides import assets, build, layout, metadata

REPOSITORY = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPOSITORY / "_build" / "screenshots"
STEPPED = REPOSITORY / "chapters" / "06_architectures.ipynb"
WIDGETS = REPOSITORY / "chapters" / "04_strides.ipynb"
ANIMATIONS = REPOSITORY / "chapters" / "03_padding.ipynb"
OTHER_HOST = r"""(?:https?:)?//[^"')\s]+"""
LOADS = re.compile(
    rf"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=["']({OTHER_HOST})"""
    rf"""|<link\b[^>]*\bhref=["']({OTHER_HOST})|url\(\s*["']?({OTHER_HOST})|@import\s+["']({OTHER_HOST})"""
    rf"""|\bimport\b[^;'"]*?["']({OTHER_HOST})|["']((?:https?:)?//[^"'\s]+?\.m?js)(?:\?[^"']*)?["']""")


def visible_text(page):
    """A deck's text as the reader sees it, without its markup (highlighted code is split into many spans)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.fixture(scope="module")
def decks(slide_decks):
    """The decks by file name (``06_architectures.slides.html``)."""
    return {path.name: path for path in slide_decks.values()}


def test_every_script_style_and_font_a_deck_loads_is_served_beside_it(decks):
    for deck in decks.values():
        page = deck.read_text()
        remote = [next(group for group in match.groups() if group) for match in LOADS.finditer(page)]
        assert not remote, f"{deck.name} loads from another host: {remote[:5]}"
        for address in re.findall(r"""(?:src|href)="(assets/[^"?]+)""", page):
            assert (deck.parent / address).is_file(), f"{deck.name} loads {address}, which the build did not copy"
    assert (deck.parent / "assets" / "mathjax" / "fonts" / "HTML-CSS" / "TeX" / "woff").is_dir()


def test_the_deck_has_one_slide_per_boundary_the_chapter_metadata_sets(decks):
    page = decks[build.deck_name(STEPPED)].read_text()
    cells = nbformat.read(STEPPED, as_version=4).cells
    stacks = [kind for _, kind in metadata.deck_slide_types(cells)].count("slide")
    assert page.count("<section") == stacks + metadata.slide_count(cells)  # a stack, then its slides


def test_set_up_cells_and_worked_solutions_stay_off_the_slides(decks):
    text = visible_text(decks[build.deck_name(STEPPED)].read_text())
    assert "google.colab" not in text and "print(banner())" not in text
    assert "q1.solution()" not in text and "solution_q1" not in text
    assert "q1.check(answer)" in text  # the exercise itself is shown


def test_the_index_lists_each_deck(decks):
    index = (next(iter(decks.values())).parent / "index.html").read_text()
    for name in decks:
        assert f'href="{name}"' in index


def test_a_tampered_package_is_refused(decks, tmp_path, monkeypatch):
    asset = assets.ASSETS[0]
    cached = assets.CACHE / asset.tarball
    tampered = tmp_path / asset.tarball
    data = cached.read_bytes()
    tampered.write_bytes(data[:100] + bytes([data[100] ^ 0xFF]) + data[101:])
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(assets.AssetUnavailableError, match="npm is needed"):
        assets.fetch(asset, tmp_path)


@pytest.fixture(scope="module")
def served(decks):
    with offline_browser.served(next(iter(decks.values())).parent) as address:
        yield address


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    offline_browser.chromium_missing()
    screen = {"width": layout.SLIDE_WIDTH, "height": layout.SLIDE_HEIGHT}
    with offline_browser.offline_chromium(tmp_path_factory.mktemp("chromium-profile"), viewport=screen) as context:
        yield context


class Deck(RecordedPage):
    """One deck open in the browser, once reveal.js is ready and MathJax has typeset it."""

    def __init__(self, browser, url):
        super().__init__(browser, url)
        self.page.wait_for_selector(".reveal.ready")
        self.page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")

    def slide_number(self):
        return int(self.page.locator(".slide-number-a").inner_text())

    def current_slide(self):
        # reveal.js's MathJax plugin typesets a slide's formulas again as it shows it: wait for MathJax's queue
        self.page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")
        return self.page.evaluate("""() => {
            const slide = document.querySelector('.slides section.present:not(.stack)');
            return {
                images: [...slide.querySelectorAll('img')].map(image => image.complete && image.naturalWidth > 0),
                math: slide.querySelectorAll('.MathJax_CHTML').length,
            };
        }""")


RAW_MATH = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[")


def test_stepping_through_a_deck_offline_shows_every_slide_with_its_figures_and_typeset_math(browser, served):
    deck = Deck(browser, served + build.deck_name(STEPPED))
    total = deck.page.locator(".slides section:not(.stack)").count()
    assert total > 10, f"the deck has only {total} slides"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen, images, math = [], 0, 0
    for step in range(total):
        seen.append(deck.slide_number())
        slide = deck.current_slide()
        assert all(slide["images"]), f"slide {seen[-1]}: a figure did not load"
        if (slide["images"] and not images) or (slide["math"] and not math):  # the first of each
            deck.page.screenshot(path=SCREENSHOTS / f"slides-{STEPPED.stem}-{seen[-1]}.png")
        images, math = images + len(slide["images"]), math + slide["math"]
        if step < total - 1:
            deck.page.keyboard.press("Space")
            deck.page.wait_for_function("n => +document.querySelector('.slide-number-a').textContent !== n",
                                        arg=seen[-1])
    assert seen == list(range(1, total + 1)), f"the slides came in the order {seen}"
    # reveal.js typesets a slide's formulas again as it shows it, so a slide may be read between two typesettings:
    # the formulas are counted in the whole deck once every slide has been shown
    math = max(math, deck.page.evaluate("() => document.querySelectorAll('.slides .MathJax_CHTML').length"))
    figures = sum("image/png" in output.get("data", {}) for cell in nbformat.read(STEPPED, as_version=4).cells
                  for output in cell.get("outputs", []))
    assert figures >= 4 and images >= figures and math >= 1, f"{images} of {figures} figures and {math} formulas seen"
    state = deck.page.evaluate("""() => ({
        errors: document.querySelectorAll('.MathJax_Error, merror').length,
        text: [...document.querySelectorAll('.jp-MarkdownOutput')].map(cell => {
            const copy = cell.cloneNode(true);
            copy.querySelectorAll('code, pre, script, .MathJax_CHTML, .MJX_Assistive_MathML').forEach(n => n.remove());
            return copy.textContent; }).join(' '),
    })""")
    assert state["errors"] == 0
    assert not RAW_MATH.findall(state["text"]), f"untypeset formulas: {RAW_MATH.findall(state['text'])[:5]}"
    assert not deck.other_hosts(), f"the deck asked other hosts for {deck.other_hosts()}"
    assert not deck.failed and not deck.errors, (deck.failed, deck.errors)


def test_a_deck_with_widget_state_renders_its_widgets_offline(browser, served):
    deck = Deck(browser, served + build.deck_name(WIDGETS))
    deck.page.wait_for_selector(".jupyter-widgets", state="attached")
    assert deck.page.locator(".jupyter-widgets").count() > 0
    assert not deck.other_hosts(), f"the deck asked other hosts for {deck.other_hosts()}"
    assert not deck.failed and not deck.errors, (deck.failed, deck.errors)


def test_an_animation_plays_offline_with_its_icons(browser, served):
    deck = Deck(browser, served + build.deck_name(ANIMATIONS))
    animation = deck.page.locator("div.animation").first
    slide = deck.page.locator(".slides section:not(.stack)", has=animation).first
    deck.page.evaluate("slide => { for (let step = 0; step < 200 && !slide.classList.contains('present'); step++) "
                       "document.dispatchEvent(new KeyboardEvent('keydown', {keyCode: 32})); }", slide.element_handle())
    assert "present" in slide.get_attribute("class"), "stepping through the deck never reached the animation"
    frame = animation.locator("img")
    first = frame.get_attribute("src")
    play = animation.locator("button[title='Play']")
    assert play.locator("i.fa").evaluate("icon => getComputedStyle(icon).fontFamily").lower().startswith("fontawesome")
    play.click()
    deck.page.wait_for_function("([image, first]) => image.src !== first", arg=[frame.element_handle(), first])
    assert not deck.other_hosts(), f"the deck asked other hosts for {deck.other_hosts()}"
    assert not deck.failed and not deck.errors, (deck.failed, deck.errors)

"""Every deck on a 1280x720 screen: no slide spills over its edges, nothing hides under reveal.js's arrows.

Each chapter's deck (built once for the session by tests/classroom/conftest.py) is opened in the distribution's
Chromium at 1280x720, the size of the slide itself (classroom.slides.layout), served on 127.0.0.1 with every other
host cut off, and stepped through slide by slide in one script per deck (about a second a deck). On every slide:

- no element reaches past the slide's edges, counting what an element's own content spills (its scroll size) unless
  the element scrolls it; text inside a box that scrolls is the box's business, but a box that clips content
  without a scroll bar is a fault;
- no text, figure or control is drawn under reveal.js's arrows or the slide number;
- every button, input and link is the element a click at its centre reaches (so the animation's buttons work);
- the slide has at most one block of speaker notes (reveal.js shows only the first).

The deck also has as many slides as ``classroom.slides.metadata.slide_count`` says, the count the instructor guide's
workshop plan quotes. Then: the speaker view opens with the chapter's prose in it, and printing (``?print-pdf``)
gives one page per slide.
"""

import re

import nbformat
import pytest
from offline_browser import RecordedPage, chromium_missing, offline_chromium, served

from classroom.slides import build, layout, metadata

NOTEBOOKS = {path.stem: path for path in build.chapter_notebooks()}
PRINTED = "03_padding"  # figures, formulas and an animation
SPEAKER = "06_architectures"

STEP_THROUGH = r"""async () => {
    const frame = document.querySelector('.reveal .slides');
    const covers = () => [...document.querySelectorAll('.reveal .controls .controls-arrow, .reveal .slide-number')]
        .map(element => element.getBoundingClientRect()).filter(box => box.width > 0 && box.height > 0);
    const shown = element => {
        const box = element.getBoundingClientRect(), style = getComputedStyle(element);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !element.closest('aside.notes');
    };
    const scrolls = style => style.overflowX !== 'visible' || style.overflowY !== 'visible';
    const clipper = (element, slide) => {
        for (let parent = element.parentElement; parent && parent !== slide.parentElement;
             parent = parent.parentElement)
            if (scrolls(getComputedStyle(parent))) return parent;
        return null;
    };
    const describe = element => {
        const classes = (element.className && element.className.baseVal === undefined ? element.className : '')
            .toString().split(/\s+/).filter(Boolean).slice(0, 2).join('.');
        const text = (element.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
        return `<${element.tagName.toLowerCase()}${classes ? '.' + classes : ''}> "${text}"`;
    };
    const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
        && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;

    const problems = [];
    const slides = Reveal.getSlides();
    for (const [index, slide] of slides.entries()) {
        const {h, v} = Reveal.getIndices(slide);
        Reveal.slide(h, v);
        await new Promise(done => MathJax.Hub.Queue(done));
        const bounds = frame.getBoundingClientRect(), scale = bounds.width / frame.offsetWidth;
        const where = `slide ${index + 1} (#/${h}/${v || 0})`;
        const found = [];
        const elements = [slide, ...slide.querySelectorAll('*')].filter(shown);
        for (const element of elements) {
            if (clipper(element, slide)) continue;
            const box = element.getBoundingClientRect(), style = getComputedStyle(element);
            const width = style.overflowX === 'visible' ? Math.max(box.width, element.scrollWidth * scale)
                : box.width;
            const height = style.overflowY === 'visible' ? Math.max(box.height, element.scrollHeight * scale)
                : box.height;
            const right = box.left + width, bottom = box.top + height;
            const past = {left: bounds.left - box.left, top: bounds.top - box.top,
                          right: right - bounds.right, bottom: bottom - bounds.bottom};
            for (const [edge, pixels] of Object.entries(past))
                if (pixels > 1)
                    found.push(`${describe(element)} passes the ${edge} edge by ${Math.round(pixels / scale)} px`);
            for (const [axis, overflow] of [['width', style.overflowX], ['height', style.overflowY]]) {
                const client = axis === 'width' ? element.clientWidth : element.clientHeight;
                const full = axis === 'width' ? element.scrollWidth : element.scrollHeight;
                if ((overflow === 'hidden' || overflow === 'clip') && full > client + 1)
                    found.push(`${describe(element)} cuts ${full - client} px of its ${axis} with no scroll bar`);
            }
        }
        const drawn = [];
        const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent.trim() || !node.parentElement || !shown(node.parentElement)) continue;
            const parent = node.parentElement;  // text inside a box that scrolls: the box is what is drawn
            if (scrolls(getComputedStyle(parent)) || clipper(parent, slide)) continue;
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const box of range.getClientRects()) drawn.push([node.parentElement, box]);
        }
        for (const element of elements.filter(element => !clipper(element, slide)))
            if (/^(IMG|SVG|CANVAS|INPUT|BUTTON|SELECT|VIDEO|IFRAME)$/i.test(element.tagName)
                || scrolls(getComputedStyle(element)))
                drawn.push([element, element.getBoundingClientRect()]);
        for (const [element, box] of drawn)
            if (covers().some(cover => overlap(cover, box)))
                found.push(`${describe(element)} lies under reveal.js's arrows or slide number`);
        for (const element of elements.filter(element => element.matches('button, input, select, textarea, a[href]'))) {
            if (clipper(element, slide)) continue;
            const box = element.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            if (!hit || !(element === hit || element.contains(hit)))
                found.push(`${describe(element)} cannot be clicked: ${hit ? describe(hit) : 'nothing'} covers it`);
        }
        const asides = slide.querySelectorAll('aside.notes').length;
        if (asides > 1) found.push(`${asides} speaker notes: the speaker view shows only the first`);
        problems.push(...[...new Set(found)].slice(0, 3).map(problem => `${where}: ${problem}`));
    }
    return {slides: slides.length, problems};
}"""


@pytest.fixture(scope="module")
def projector(tmp_path_factory):
    """Chromium at the slide's own size, 1280x720, cut off from every other host."""
    chromium_missing()
    with offline_chromium(tmp_path_factory.mktemp("chromium-profile"),
                          viewport={"width": layout.SLIDE_WIDTH, "height": layout.SLIDE_HEIGHT}) as context:
        yield context


@pytest.fixture(scope="module")
def decks_address(slide_decks):
    with served(next(iter(slide_decks.values())).parent) as address:
        yield address


class Deck(RecordedPage):
    """A deck open in the browser, once reveal.js is ready and MathJax has typeset it."""

    def __init__(self, context, url):
        super().__init__(context, url)
        self.page.wait_for_selector(".reveal.ready")
        self.page.evaluate("() => new Promise(done => MathJax.Hub.Queue(done))")


@pytest.mark.parametrize("chapter", sorted(NOTEBOOKS))
def test_every_slide_fits_a_1280x720_screen(projector, decks_address, slide_decks, chapter):
    deck = Deck(projector, decks_address + slide_decks[chapter].name)
    report = deck.page.evaluate(STEP_THROUGH)
    deck.close()
    stale = metadata.outdated_cells(nbformat.read(NOTEBOOKS[chapter], as_version=4))
    hint = (f"\n(the chapter's slide metadata is out of date in {len(stale)} cells: "
            f"`make slide-metadata NOTEBOOKS=chapters/{chapter}.ipynb`)") if stale else ""
    assert not report["problems"], f"{chapter}: {len(report['problems'])} problems\n" + \
        "\n".join(report["problems"][:40]) + hint
    cells = nbformat.read(NOTEBOOKS[chapter], as_version=4).cells
    assert report["slides"] == metadata.slide_count(cells), "the deck's slides are not those the guide counts"
    assert not deck.other_hosts() and not deck.errors, (deck.other_hosts(), deck.errors)


def test_prose_beyond_a_few_lines_is_in_the_speaker_notes_and_the_speaker_view_shows_it(projector, decks_address,
                                                                                         slide_decks):
    deck = Deck(projector, decks_address + slide_decks[SPEAKER].name)
    noted = deck.page.evaluate("""() => Reveal.getSlides().map(slide => Reveal.getSlideNotes(slide) || '')
                                    .map(notes => notes.replace(/<[^>]+>/g, ' ').replace(/\\s+/g, ' ').trim())""")
    assert sum(bool(notes) for notes in noted) >= 5, f"only {sum(map(bool, noted))} slides carry speaker notes"
    first = next(index for index, notes in enumerate(noted) if notes)
    deck.page.evaluate(f"() => Reveal.slide(...Object.values(Reveal.getIndices(Reveal.getSlides()[{first}])))")
    with projector.expect_page() as opened:
        deck.page.keyboard.press("s")  # reveal.js's speaker view, a window of its own
    speaker = opened.value
    speaker.wait_for_function("words => (document.querySelector('.speaker-controls-notes .value') || {}).textContent"
                              " && document.querySelector('.speaker-controls-notes .value').textContent"
                              ".replace(/\\s+/g, ' ').includes(words)", arg=" ".join(noted[first].split()[:6]))
    speaker.close()
    assert not deck.other_hosts() and not deck.errors, (deck.other_hosts(), deck.errors)
    deck.close()


def test_printing_gives_one_page_per_slide(projector, decks_address, slide_decks):
    """``?print-pdf`` lays every slide out on a page of its own, and Chromium's PDF has exactly that many pages;
    ``&showNotes=separate-page`` adds a page of notes after each slide that has notes."""
    deck = Deck(projector, decks_address + slide_decks[PRINTED].name + "?print-pdf")
    slides = deck.page.evaluate("() => Reveal.getTotalSlides()")
    assert deck.page.locator(".pdf-page").count() == slides
    pdf = deck.page.pdf(prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == slides, f"the PDF has {pages} pages for {slides} slides"
    width, height = map(float, re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf).groups())
    assert width / height == pytest.approx(layout.SLIDE_WIDTH / layout.SLIDE_HEIGHT, rel=0.01)
    deck.close()
    with_notes = Deck(projector, decks_address + slide_decks[PRINTED].name + "?print-pdf&showNotes=separate-page")
    noted = with_notes.page.evaluate("() => Reveal.getSlides().filter(slide => Reveal.getSlideNotes(slide)).length")
    assert noted and with_notes.page.locator(".speaker-notes-pdf").count() == noted
    with_notes.close()

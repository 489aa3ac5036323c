"""What the slides' tests share: every chapter's deck, built once per test run.

tests/classroom/test_slide_decks.py (assets, figures, formulas, widgets, the animation) and
tests/classroom/test_slide_fit.py (every slide on a 1280x720 screen, speaker notes, printing) read the same decks, so
``make slides``' work is done once: the pinned packages of classroom.slides.assets (fetched with `npm pack` into
.cache/slides/npm the first time), then one deck per notebook of _toc.yml.
"""

import os

import pytest

from classroom.slides import assets, build


def slides_unavailable(reason):
    """Skip the slides' tests on a machine that cannot fetch the decks' scripts; CI must run them."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must build the slides (.ci/run installs npm)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def slide_decks(tmp_path_factory):
    """Every chapter's deck, built into a temporary folder with its assets: ``{notebook stem: deck path}``."""
    output = tmp_path_factory.mktemp("slides")
    try:
        built = build.build_decks(build.chapter_notebooks(), output)
    except assets.AssetUnavailableError as error:
        slides_unavailable(str(error))
    return {path.name.removesuffix(".slides.html"): path for path in built}

"""A figure that a page outside the chapters quotes from a run is one that a chapter's stored run printed.

The instructor guide, the introduction, the README and the classroom's statements and keys quote measured
results (an accuracy to four decimals, say) for instructors and students to compare with. Chapters are
re-executed, and a quoted figure of an older run would then contradict the page it points to. So every
decimal with three or more decimal places in those documents must be one that a chapter notebook's code or
stored outputs hold, read as tests/test_prose_numbers.py reads them; timings are checked by
tests/test_run_times.py.
"""

import json
import re
from pathlib import Path

import pytest
from test_prose_numbers import NOTEBOOKS, computed

REPOSITORY = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted({REPOSITORY / "README.md", REPOSITORY / "chapters" / "instructor_guide.md",
                    REPOSITORY / "chapters" / "intro.md",
                    *(REPOSITORY / "classroom").glob("homework/*/README.md"),
                    *(REPOSITORY / "classroom").glob("quizzes/**/*.md")})
FIGURE = re.compile(r"(?<![\w.])\d+\.\d{3,}(?![\w.])")


def chapter_figures() -> set[float]:
    figures = set()
    for path in NOTEBOOKS:
        figures |= computed(json.loads(path.read_text()))
    return figures


def unbacked_figures(text: str, figures: set[float]) -> list[str]:
    return sorted({token for token in FIGURE.findall(text) if float(token) not in figures})


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(REPOSITORY)))
def test_a_quoted_figure_is_one_a_chapter_s_stored_run_printed(path):
    missing = unbacked_figures(path.read_text(), chapter_figures())
    assert not missing, f"{path.relative_to(REPOSITORY)} quotes figures no chapter's stored run holds: {missing}"


def test_the_rule_catches_a_figure_of_an_older_run():
    assert unbacked_figures("the compact model reached 0.9308 (0.9296 in the run the chapter stores)",
                            {0.9296}) == ["0.9308"]
    assert unbacked_figures("a ratio of 0.2, version 0.3.0, 1.5 times", set()) == []

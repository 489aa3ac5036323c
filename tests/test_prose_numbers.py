"""Every number the prose of a chapter states is computed by that chapter: prose cannot drift from the code.

The rule, for each notebook in ``chapters/``:

- A *number* is a run of digits, optionally with thousands separators (``10,000``) and a decimal part
  (``0.2844``, ``1.2``). Only numbers with **three or more digits** in all are checked (``225``, ``10,000``,
  ``0.28``... but not ``28``, ``1.2`` or ``0.5``): small numbers ("3x3", "chapter 4", "2 zeros") are part of the
  wording, large and precise ones are claims.
- It is looked up among the numbers of the **same chapter's code**: every code cell's source and every stored
  text output (streams, ``text/plain``, ``text/html`` without embedded images). Thousands separators and
  Python's underscores are ignored on both sides (``10,000`` in the prose matches ``10_000`` in the code and
  ``10000`` in an output), and numbers are compared by value (``300`` matches ``300.0``).
- Not checked: years from 1900 to 2099 (``1962``, ``2012``), anything inside a MyST role such as a citation
  (``{footcite:p}`lecun1998gradient```) or a glossary term, URLs and link targets, fenced code blocks that are
  examples rather than prose (``python``, ``text``, ``bash``...; admonitions such as ``{note}`` are prose and are
  checked), and digits glued to letters (``float32``, ``conv2d``, ``1x1`` is read as ``1`` and ``1``).
- Inline code and LaTeX math are prose here: ``$150 \\times 100$`` or ```padding=[[1, 2]]``` state numbers too.

The test runs on every chapter, present and future; a failure names the chapter and the numbers no cell
computes, so that either a cell prints them or the prose stops stating them.
"""

import json
import re
from pathlib import Path

import pytest

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))

NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:[,_]\d{3})+|\d+)(\.\d+)?(?![\w])")
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")
URL = re.compile(r"https?://\S+|\]\([^)]*\)")
FENCE = re.compile(r"^(```+|~~~+)([^\n{]*)\n.*?^\1\s*$", re.M | re.S)
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")
TIMES = re.compile(r"(?<=\d)[x×](?=\d)")


def text_of(value):
    return "".join(value) if isinstance(value, list) else value if isinstance(value, str) else json.dumps(value)


def numbers_in(text):
    """(token as written, value) for every number of three or more digits in ``text``."""
    text = TIMES.sub(" x ", text)
    found = []
    for match in NUMBER.finditer(text):
        whole, decimals = match.group(1), match.group(2) or ""
        digits = re.sub(r"\D", "", whole + decimals)
        if len(digits) < 3:
            continue
        plain = whole.replace(",", "").replace("_", "") + decimals
        found.append((match.group(0), float(plain)))
    return found


def prose(notebook):
    """The chapter's markdown, without what the rule leaves out (see the module docstring)."""
    text = "\n\n".join(text_of(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    text = FENCE.sub(lambda m: m.group(0) if m.group(2).strip().startswith("{") else "", text)
    text = ROLE.sub(" ", text)
    return URL.sub(" ", text)


def computed(notebook):
    """Every number in the chapter's code cells and stored text outputs, as values."""
    parts = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        parts.append(text_of(cell["source"]))
        for output in cell.get("outputs", []):
            parts.append(text_of(output.get("text", "")))
            for mime, data in output.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append(DATA_URI.sub(" ", text_of(data)))
    values = set()
    for part in parts:
        part = TIMES.sub(" x ", part)
        for match in NUMBER.finditer(part):
            values.add(float(match.group(1).replace(",", "").replace("_", "") + (match.group(2) or "")))
    return values


def unbacked_numbers(notebook):
    values = computed(notebook)
    return sorted({token for token, value in numbers_in(prose(notebook))
                   if not (1900 <= value <= 2099 and value.is_integer()) and value not in values})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_in_the_prose_is_computed_by_the_chapter(path):
    missing = unbacked_numbers(json.loads(path.read_text()))
    assert not missing, f"{path.name} states numbers that no code cell or output of it holds: {missing}"


# --- the rule itself -----------------------------------------------------------------------------------

def notebook(markdown, code="", output=""):
    return {"cells": [{"cell_type": "markdown", "source": markdown},
                      {"cell_type": "code", "source": code,
                       "outputs": [{"output_type": "stream", "name": "stdout", "text": output}]}]}


def test_separators_underscores_and_decimal_forms_match():
    assert unbacked_numbers(notebook("10,000 weights and 1.2 GB", code="n = 10_000")) == []
    assert unbacked_numbers(notebook("300 MB", output="300.0 MB")) == []
    assert unbacked_numbers(notebook("0.2844 of the brightness", output="0.2844")) == []


def test_a_number_no_cell_computes_is_reported():
    assert unbacked_numbers(notebook("225 million multiplications and 12 MB", code="x = 224")) == ["225"]
    assert unbacked_numbers(notebook("a ratio of 0.28", output="0.2844")) == ["0.28"]


def test_years_citations_urls_small_numbers_and_example_code_are_left_out():
    text = ("In 1962 {footcite:p}`hubel1962receptive` (see [notes](https://example.org/page/12345)) "
            "a 3x3 window, float32, conv2d, chapter 14.\n\n```python\nlayer = Conv2D(256, 3)\n```\n")
    assert unbacked_numbers(notebook(text)) == []


def test_math_inline_code_and_admonitions_are_checked():
    text = "$150 \\times 100$ and `Conv2D(256, 3)`\n\n```{note}\nIt holds 4,736 weights.\n```\n"
    assert unbacked_numbers(notebook(text, code="x = 150")) == ["100", "256", "4,736"]

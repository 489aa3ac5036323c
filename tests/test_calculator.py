"""Chapter 4's in-browser calculator: the page contract holds and its JavaScript computes what Python does.

The JavaScript runs in Node.js (skipped, with the reason, when ``node`` is not installed); the browser
test of the site checks the form itself on the built page.
"""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

from cnn_course.calculator import output_size_calculator_html, output_size_calculator_script
from cnn_course.conv import conv_output_size
from cnn_course.strides import explain_output_size

import pytest

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js (`node`) is not installed")


class Elements(HTMLParser):
    """Every start tag as (tag, attributes), and the text of each <script>."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def parse(page):
    parser = Elements()
    parser.feed(page)
    return parser


def test_the_form_follows_the_page_contract():
    page = parse(output_size_calculator_html())
    forms = [attrs for tag, attrs in page.tags if tag == "form"]
    assert len(forms) == 1 and "output-size-calculator" in forms[0]["class"].split()
    inputs = {attrs["name"]: attrs for tag, attrs in page.tags if tag == "input"}
    assert set(inputs) == {"n", "kernel", "stride"} and all(a["type"] == "number" for a in inputs.values())
    assert [attrs["name"] for tag, attrs in page.tags if tag == "select"] == ["padding"]
    assert [attrs["value"] for tag, attrs in page.tags if tag == "option"] == ["valid", "same"]
    assert [attrs["name"] for tag, attrs in page.tags if tag == "output"] == ["result"]
    assert page.scripts and "addEventListener(\"input\"" in page.scripts[0]
    assert "addEventListener(\"change\"" in page.scripts[0]


def test_the_page_is_self_contained_and_prefilled():
    page = output_size_calculator_html(n=28, kernel_size=5, stride=3, padding="same")
    assert not re.search(r"(src|href)=|https?://|//cdn", page), "no external script, style or CDN"
    tags = parse(page).tags
    values = {attrs["name"]: attrs["value"] for tag, attrs in tags if tag == "input"}
    assert values == {"n": "28", "kernel": "5", "stride": "3"}
    assert [attrs.get("value") for tag, attrs in tags if tag == "option" and "selected" in attrs] == ["same"]
    assert output_size_calculator_html() == output_size_calculator_html(), "no random ids: nbval compares it"


def test_an_unknown_padding_is_refused():
    with pytest.raises(ValueError, match="padding"):
        output_size_calculator_html(padding="full")


def run_javascript(cases):
    """outputSize(n, f, s, padding) of the page's script for each case, computed by Node.js."""
    program = output_size_calculator_script() + f"""
const {{outputSize}} = module.exports;
const cases = {json.dumps(cases)};
process.stdout.write(JSON.stringify(cases.map(c => outputSize(c[0], c[1], c[2], c[3]))));
"""
    completed = subprocess.run([NODE, "-"], input="var module = {exports: {}};\n" + program, capture_output=True,
                               text=True, timeout=60, check=True)
    assert completed.stderr == ""
    return json.loads(completed.stdout)


@needs_node
def test_the_javascript_agrees_with_conv_output_size_and_explain_output_size():
    cases = [(n, f, s, p) for n in range(1, 41) for f in range(1, 12) for s in range(1, 10) for p in ("valid", "same")]
    for (n, f, s, p), answer in zip(cases, run_javascript(cases), strict=True):
        if p == "valid" and f > n:
            assert "does not fit" in answer["error"], (n, f, s, p)
            continue
        assert answer["size"] == conv_output_size(n, f, s, p), (n, f, s, p)
        assert answer["text"].endswith(f"= {answer['size']}")
        if s < 8:  # from 8 on, JavaScript and Python may round a tie such as 0.125 differently in the middle step
            assert answer["text"] == explain_output_size(n, f, s, p), (n, f, s, p)


@needs_node
def test_the_javascript_answers_invalid_input_with_a_message_not_an_error():
    nan = None  # JSON has no NaN; null stands for an empty field
    cases = [(nan, 3, 1, "valid"), (0, 3, 1, "same"), (5, 0, 1, "valid"), (5, 3, 0, "same"), (5.5, 3, 1, "valid"),
             (-4, 3, 2, "same"), (3, 9, 1, "valid"), (10**6, 3, 7, "same")]
    answers = run_javascript(cases)
    for case, answer in zip(cases[:-1], answers[:-1], strict=True):
        assert "error" in answer and answer["error"], case
    assert answers[-1]["size"] == conv_output_size(10**6, 3, 7, "same")


def test_chapter_4_stores_the_calculator_in_its_page():
    from pathlib import Path

    chapter = Path(__file__).resolve().parents[1] / "chapters" / "04_strides.ipynb"
    outputs = [output for cell in json.loads(chapter.read_text())["cells"] if cell["cell_type"] == "code"
               for output in cell["outputs"]]
    pages = ["".join(output.get("data", {}).get("text/html", "")) for output in outputs]
    stored = [page for page in pages if 'class="output-size-calculator"' in page]
    assert len(stored) == 1, "chapter 4 shows the in-browser calculator once"
    assert stored[0] == output_size_calculator_html(n=13, kernel_size=6, stride=5, padding="valid")

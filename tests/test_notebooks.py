"""The chapters as files: listed in the book, stored executed in full mode, clean, accessible, runnable on Colab.

nbval (run by `make test` over chapters/) proves their outputs reproduce; these tests check what nbval
cannot see.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

REPOSITORY = Path(__file__).resolve().parents[1]
CHAPTERS = REPOSITORY / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
NUMBERED = [path for path in NOTEBOOKS if re.match(r"\d\d_", path.name)]
NOISE = re.compile(r"oneDNN custom operations|cuda_platform|cudart_stub|absl::InitializeLog|cpu_feature_guard|━")


def cells(path, kind="code"):
    notebook = json.loads(path.read_text())
    return [cell for cell in notebook["cells"] if cell["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def toc_files():
    toc = yaml.safe_load((REPOSITORY / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def test_every_notebook_is_in_the_table_of_contents_and_every_entry_exists():
    listed = toc_files()
    notebooks_listed = [f for f in listed if (REPOSITORY / f"{f}.ipynb").exists()]
    assert sorted(f"chapters/{p.stem}" for p in NOTEBOOKS) == sorted(notebooks_listed)
    for entry in listed:
        assert (REPOSITORY / f"{entry}.ipynb").exists() or (REPOSITORY / f"{entry}.md").exists(), entry


def test_chapters_are_numbered_in_order():
    numbers = [int(path.name[:2]) for path in NUMBERED]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [e for e in toc_files() if re.search(r"/\d\d_", e)] == [f"chapters/{p.stem}" for p in NUMBERED]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_executed_without_errors_or_noise(path):
    notebook = json.loads(path.read_text())
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(cells(path)):
        if source(cell).strip():
            assert cell["execution_count"] is not None, f"code cell {index} was not executed"
        for output in cell["outputs"]:
            assert output["output_type"] != "error", f"code cell {index} stores an error"
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            assert not NOISE.search(text), f"code cell {index} stores TensorFlow log noise or a progress bar"
            assert output.get("name") != "stderr", f"code cell {index} writes to stderr: {text[:200]}"
    assert path.stat().st_size < 5_000_000, "keep figures modest: the notebook is over 5 MB"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_was_executed_in_full_mode(path):
    banner = [o for c in cells(path) for o in c["outputs"] if "cnn_course" in "".join(o.get("text", ""))]
    assert banner and "mode: full" in "".join(banner[0]["text"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_figure_has_alt_text(path):
    for index, cell in enumerate(cells(path)):
        if any("image/png" in output.get("data", {}) for output in cell["outputs"]):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"code cell {index} draws a figure without alt text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_installs_the_package_on_colab_from_the_configured_repository(path):
    first = source(cells(path)[0])
    assert "remove-cell" in cells(path)[0]["metadata"].get("tags", []), "the site does not need the Colab cell"
    repository = yaml.safe_load((REPOSITORY / "_config.yml").read_text())["repository"]
    assert 'if "google.colab" in sys.modules:' in first
    assert f"git+{repository['url']}@{repository['branch']}" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_imports_the_course_package_before_tensorflow(path):
    setup = source(cells(path)[1])
    assert "hide-input" in cells(path)[1]["metadata"].get("tags", [])
    course = setup.index("cnn_course")
    for heavy in ("import tensorflow", "import keras"):
        if heavy in setup:
            assert course < setup.index(heavy)


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_chapter_has_the_course_structure(path):
    markdown = "\n".join(source(cell) for cell in cells(path, "markdown"))
    for heading in ("## Learning objectives", "## Overview", "## Summary", "## Exercises", "## References"):
        assert heading in markdown, f"missing {heading}"
    assert "{footbibliography}" in markdown


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_exercises_have_a_learner_cell_and_a_hidden_checked_solution(path):
    code = cells(path)
    learner = [i for i, c in enumerate(code) if re.search(r"^answer = \.\.\.$", source(c), re.M)]
    assert len(learner) >= 3, "at least three exercises"
    for i in learner:
        question = re.search(r"(q\d+)\.check\(", source(code[i])).group(1)
        solution = code[i + 1]
        assert "hide-cell" in solution["metadata"].get("tags", []), f"{question}: the solution is not hidden"
        assert f"{question}.solution()" in source(solution) and f"{question}.check(" in source(solution)
        printed = "".join("".join(o.get("text", "")) for o in solution["outputs"])
        assert ": correct!" in printed, f"{question}: the stored solution is not accepted by its checker"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_few_outputs_are_ignored_by_nbval(path):
    compared = [c for c in cells(path) if c["outputs"]]
    ignored = [c for c in compared if "NBVAL_IGNORE_OUTPUT" in source(c) or "NBVAL_SKIP" in source(c)]
    assert len(ignored) <= max(2, len(compared) // 5), f"{len(ignored)} of {len(compared)} outputs are not compared"

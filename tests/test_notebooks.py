"""The chapters as files: listed in the book, stored executed in full mode, clean, accessible, runnable on Colab.

nbval (run by `make test` over chapters/) proves their outputs reproduce; these tests check what nbval
cannot see.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

from classroom import colab_cell

REPOSITORY = Path(__file__).resolve().parents[1]
CHAPTERS = REPOSITORY / "chapters"
NOTEBOOKS = sorted(CHAPTERS.glob("*.ipynb"))
NUMBERED = [path for path in NOTEBOOKS if re.match(r"\d\d_", path.name)]
# TensorFlow's C++ log lines, and every progress bar: Keras draws "━", tqdm "█" and its eighth blocks, tqdm's
# text bars end in a rate ("batch/s]", "it/s]"); its notebook bars are widgets holding a FloatProgress.
NOISE = re.compile(r"oneDNN custom operations|cuda_platform|cudart_stub|absl::InitializeLog|cpu_feature_guard"
                   r"|[━█▏▎▍▌▋▊▉]|\w+/s\]|FloatProgress|IntProgress")


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
def test_first_code_cell_installs_the_tagged_release_on_colab_from_the_configured_repository(path):
    """The Colab install cell is classroom/colab_cell.py's text: the release tagged from __version__, on the
    repository of _config.yml; `make colab-cell` writes it into every notebook."""
    first = source(cells(path)[0])
    assert "remove-cell" in cells(path)[0]["metadata"].get("tags", []), "the site does not need the Colab cell"
    assert first == colab_cell.render(), f"the Colab install cell of {path.name} is out of date: run make colab-cell"
    repository = yaml.safe_load((REPOSITORY / "_config.yml").read_text())["repository"]
    version = re.search(r'^__version__ = "(.+)"$', (REPOSITORY / "src/cnn_course/__init__.py").read_text(), re.M)
    assert f'"{repository["url"]}")' in first and f'"refs/tags/v{version.group(1)}"' in first
    assert 'if "google.colab" in sys.modules:' in first
    for advice in ("quick", "Change runtime type", "GPU", "full run on Colab"):
        assert advice in first, f"the Colab cell does not say {advice!r}"


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
    """Learner cell: `answer = ...` then `qN.check(answer)`. Solution cell, right after it: `qN.solution()`, the
    worked answer in `solution_qN` (never `answer`, so running all cells keeps the learner's), `qN.check(solution_qN)`,
    collapsed in Jupyter and Colab (`source_hidden`) and on the site (`hide-cell`)."""
    code = cells(path)
    learner = [i for i, c in enumerate(code) if re.search(r"^answer = \.\.\.$", source(c), re.M)]
    assert len(learner) >= 3, "at least three exercises"
    for i in learner:
        question = re.search(r"(q\d+)\.check\(answer\)", source(code[i])).group(1)
        solution = code[i + 1]
        text = source(solution)
        tags = solution["metadata"].get("tags", [])
        assert "hide-cell" in tags, f"{question}: the solution is not hidden on the site"
        assert solution["metadata"].get("jupyter", {}).get("source_hidden") is True, \
            f"{question}: the solution is not collapsed in Jupyter and Colab"
        assert text.startswith(f"{question}.solution()\n"), f"{question}: start with {question}.solution()"
        assert re.search(rf"^solution_{question} = ", text, re.M), f"{question}: put the answer in solution_{question}"
        assert f"{question}.check(solution_{question})" in text
        assert not re.search(r"^answer\s*=", text, re.M), f"{question}: the solution overwrites the learner's answer"
        printed = "".join("".join(o.get("text", "")) for o in solution["outputs"])
        assert ": correct!" in printed, f"{question}: the stored solution is not accepted by its checker"


def nbval_tags(cell):
    return {"nbval-ignore-output", "nbval-skip"} & set(cell["metadata"].get("tags", []))


# Chapters 6 to 8 store what full-mode training produced (training logs, accuracies, timings, the model's
# mistakes and probabilities); quick mode trains on a subset and cannot reproduce those outputs, so each of these
# chapters has a fixed, reviewed number of uncompared outputs. Figures need no exemption: nbval does not compare
# images.
IGNORED_OUTPUTS_OF_TRAINING_CHAPTERS = {"06_architectures.ipynb": 10, "07_fashion_mnist.ipynb": 17,
                                        "08_what_convnets_learn.ipynb": 11}


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_few_outputs_are_ignored_by_nbval(path):
    compared = [c for c in cells(path) if c["outputs"]]
    ignored = [c for c in compared if nbval_tags(c)]
    allowed = IGNORED_OUTPUTS_OF_TRAINING_CHAPTERS.get(path.name, max(2, len(compared) // 5))
    assert len(ignored) <= allowed, f"{len(ignored)} of {len(compared)} outputs are not compared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_nbval_markers_are_cell_tags_not_comments_learners_read(path):
    for index, cell in enumerate(cells(path)):
        assert "NBVAL_" not in source(cell), f"code cell {index}: use the tag nbval-ignore-output or nbval-skip"


# Paths that name one machine: a home or system folder, a virtual environment, installed packages.
MACHINE_PATH = re.compile(r"(/root\b|/home/(?!you\b)\w|/Users/\w|/tmp/|/var/folders/|/work/|[A-Za-z]:\\\\Users"
                          r"|\.venv\b|site-packages|dist-packages)")
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def output_texts(cell):
    """The text a reader sees in a cell's stored outputs (images and embedded base64 data left out)."""
    for output in cell["outputs"]:
        yield "".join(output.get("text", ""))
        yield "".join(output.get("traceback", []))
        for mime, data in output.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                yield DATA_URI.sub("", data if isinstance(data, str) else "".join(data) if isinstance(data, list)
                                   else json.dumps(data))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_stored_output_shows_a_machine_specific_path(path):
    for index, cell in enumerate(cells(path)):
        for text in output_texts(cell):
            found = MACHINE_PATH.search(text)
            context = text[max(0, found.start() - 40):found.end() + 40] if found else ""
            assert not found, f"code cell {index} stores a path of one machine: ...{context}..."


# A chapter that states a goal prints its verdict ("goal ... -> met" or "-> not met") from its run's numbers.
GOAL_VERDICT = re.compile(r"goal\b[^\n]*->\s*(not met|met)\b")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_goal_verdict_in_an_output_is_the_verdict_the_text_gives(path):
    verdicts = {found.group(1) for cell in cells(path) for text in output_texts(cell)
                for found in GOAL_VERDICT.finditer(text)}
    prose = " ".join(source(cell) for cell in cells(path, "markdown"))
    assert len(verdicts) <= 1, f"the outputs give two verdicts on the goal: {verdicts}"
    if verdicts == {"not met"}:
        assert "not met" in prose, "an output says the goal is not met, and the text never says so"
    if verdicts == {"met"}:
        assert "not met" not in prose, "an output says the goal is met, and the text says it is not"

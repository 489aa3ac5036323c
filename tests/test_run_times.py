"""The timing file: recording replaces one notebook's entry and keeps the others; the package ships it."""

import json
import re
from pathlib import Path

from cnn_course import run_times

import pytest


def test_record_replaces_one_entry_and_keeps_the_others(tmp_path):
    timing_file = tmp_path / "run_times.json"
    machine = {"cpu": "test CPU", "cores": 2}
    run_times.record("chapters/01_visual_cortex.ipynb", "full", 40.4, timing_file, how="first", machine=machine)
    run_times.record("chapters/02_convolution.ipynb", "full", 50, timing_file, how="second", machine=machine)
    run_times.record("chapters/01_visual_cortex.ipynb", "quick", 9, timing_file, how="quick", machine=machine)
    run_times.record("chapters/01_visual_cortex.ipynb", "full", 61.6, timing_file, how="again", machine=machine,
                     date="2030-01-02")

    notebooks = json.loads(timing_file.read_text())["notebooks"]
    assert notebooks["01_visual_cortex"]["full"] == {"seconds": 62, "date": "2030-01-02", "machine": machine,
                                                     "how": "again"}
    assert notebooks["01_visual_cortex"]["quick"]["seconds"] == 9
    assert notebooks["02_convolution"]["full"]["seconds"] == 50


def test_record_refuses_an_unknown_setting(tmp_path):
    with pytest.raises(ValueError, match="full, quick, colab"):
        run_times.record("x.ipynb", "gpu", 1, tmp_path / "t.json", how="")


def test_copy_takes_one_setting_and_leaves_the_rest(tmp_path):
    test_run, committed = tmp_path / "quick.json", tmp_path / "committed.json"
    run_times.record("a.ipynb", "quick", 5, test_run, how="test run", machine={})
    run_times.record("a.ipynb", "full", 500, test_run, how="not to copy", machine={})
    run_times.record("a.ipynb", "full", 600, committed, how="make execute", machine={})
    run_times.record("b.ipynb", "quick", 7, committed, how="older test run", machine={})

    assert run_times.copy_setting(test_run, "quick", committed) == ["a"]
    notebooks = run_times.load(committed)["notebooks"]
    assert notebooks["a"]["quick"] == run_times.load(test_run)["notebooks"]["a"]["quick"]
    assert notebooks["a"]["full"]["seconds"] == 600
    assert notebooks["b"]["quick"]["seconds"] == 7


def test_the_machine_is_named_with_the_versions_a_time_depends_on():
    machine = run_times.this_machine()
    assert set(machine) == {"cpu", "cores", "os", "python", "tensorflow", "keras"}
    assert machine["tensorflow"] and machine["keras"] and machine["cores"] >= 1


def test_the_package_ships_the_timing_file():
    assert run_times.packaged_file().is_file()
    assert "notebooks" in run_times.load()


def test_durations_are_worded_the_same_everywhere():
    assert run_times.describe_duration(40) == "under a minute"
    assert run_times.describe_duration(75) == "about a minute"
    assert run_times.describe_duration(8 * 60 + 10) == "about 8 minutes"
    assert run_times.describe_duration(33 * 60) == "about 35 minutes"
    assert run_times.describe_duration(58 * 60) == "about 1 hour"
    assert run_times.describe_duration(3610) == "about 1 hour"
    assert run_times.describe_duration(4803) == "about 1 hour 20 minutes"
    assert run_times.describe_duration(2 * 3600 + 200) == "about 2 hours"


MACHINE = {"cpu": "Test CPU", "cores": 2, "os": "Linux 6.1", "python": "3.11.7", "tensorflow": "2.21.0",
           "keras": "3.15.1"}


def timing(**notebooks):
    return {"notebooks": notebooks}


def test_a_cost_box_states_both_modes_the_machine_how_to_switch_and_colab():
    box = run_times.cost_box("05_pooling", timing(**{"05_pooling": {
        "full": {"seconds": 500, "date": "2030-01-02", "machine": MACHINE},
        "quick": {"seconds": 30, "date": "2030-01-02", "machine": MACHINE}}}))
    text = repr(box)
    assert "Full mode (the default): about 8 minutes on a 2-core CPU (Test CPU, 2 cores, Linux, Python 3.11.7, " \
           "TensorFlow 2.21.0, Keras 3.15.1; 2030-01-02)" in text
    assert "Quick mode: under a minute" in text
    assert "CNN_COURSE_MODE=quick" in text
    assert "On Colab: not measured" in text
    page = box._repr_html_()
    assert page.startswith('<div class="admonition note')
    assert "<code>CNN_COURSE_MODE=quick</code>" in page and "`" not in page


def test_a_cost_box_says_what_is_not_known():
    box = repr(run_times.cost_box("06_architectures", timing(**{"06_architectures": {
        "full": {"seconds": None, "training_seconds": 3610, "date": "2030-01-02", "machine": MACHINE}}})))
    assert "about 1 hour of training (the whole notebook's time was not measured)" in box
    assert "Quick mode: not measured" in box
    assert "not measured yet" in repr(run_times.cost_box("common_bugs", timing()))


def test_a_measured_colab_time_is_quoted_with_where_it_was_measured():
    box = repr(run_times.cost_box("07_fashion_mnist", timing(**{"07_fashion_mnist": {
        "colab": {"seconds": 900, "date": "2030-01-02", "note": "Colab's T4 GPU runtime"}}})))
    assert "On Colab: about 15 minutes (Colab's T4 GPU runtime; 2030-01-02)" in box


def notebook_with_cost_box(path, name, data):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f'from cnn_course.run_times import cost_box\n\ncost_box("{name}")',
                                     execution_count=2)
    cell.outputs = [nbformat.v4.new_output("execute_result", data=data, execution_count=2)]
    notebook.cells = [nbformat.v4.new_markdown_cell("# A chapter"), cell]
    nbformat.write(notebook, path)


def stored_data(notebook):
    """The data of the cost box cell's stored output, as Jupyter reads it (lines joined)."""
    output = json.loads(notebook.read_text())["cells"][1]["outputs"][0]
    return output, {mime: "".join(value) for mime, value in output["data"].items()}


def test_refreshing_rewrites_a_stale_stored_cost_box_from_the_file(tmp_path):
    notebook = tmp_path / "05_pooling.ipynb"
    notebook_with_cost_box(notebook, "05_pooling", {"text/plain": "an old box"})
    figures = timing(**{"05_pooling": {"full": {"seconds": 500, "machine": MACHINE}}})
    assert run_times.refresh_cost_boxes(notebook, figures) == 1
    output, data = stored_data(notebook)
    assert data == run_times.cost_box_outputs("05_pooling", figures)
    assert output["execution_count"] == 2
    assert run_times.refresh_cost_boxes(notebook, figures) == 0, "an up-to-date box is left as it is"


def test_recording_from_the_command_line_refreshes_the_notebook_s_own_box(tmp_path):
    notebook, timing_file = tmp_path / "common_bugs.ipynb", tmp_path / "run_times.json"
    notebook_with_cost_box(notebook, "common_bugs", {"text/plain": "an old box"})
    run_times.main(["record", str(notebook), "--setting", "full", "--started", "100", "--ended", "712.4",
                    "--how", "make execute", "--file", str(timing_file)])
    assert run_times.load(timing_file)["notebooks"]["common_bugs"]["full"]["seconds"] == 612
    assert "about 10 minutes" in stored_data(notebook)[1]["text/plain"]


# ---- The book against the file: every cost box and every stated duration quotes it.

REPOSITORY = Path(__file__).resolve().parents[1]


def cost_box_cells(name):
    notebook = json.loads((REPOSITORY / "chapters" / f"{name}.ipynb").read_text())
    return notebook["cells"], [index for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
                               and run_times.COST_BOX_CALL.search("".join(cell["source"]))]


def chapter_param(name):
    missing = not cost_box_cells(name)[1]
    reason = (f"{name} has no cost box cell yet: it gets one (see cnn_course.run_times) with its next full-mode "
              "execution; from then on this test checks it")
    return pytest.param(name, marks=pytest.mark.xfail(missing, reason=reason, strict=True))


@pytest.mark.parametrize("name", [chapter_param(name) for name in run_times.TRAINING_CHAPTERS])
def test_every_training_chapter_shows_a_cost_box_that_agrees_with_the_timing_file(name):
    cells, boxes = cost_box_cells(name)
    assert len(boxes) == 1, f"{name}: {len(boxes)} cost box cells, one expected"
    box = cells[boxes[0]]
    source = "".join(box["source"])
    assert run_times.COST_BOX_CALL.search(source).group(1) == name, f"{name}'s box quotes another notebook"
    assert "hide-input" in box["metadata"].get("tags", []), f"{name}: the cost box cell should be tagged hide-input"
    first_section = next(index for index, cell in enumerate(cells)
                         if cell["cell_type"] == "markdown" and "".join(cell["source"]).lstrip().startswith("## "))
    assert boxes[0] < first_section, f"{name}: the cost box belongs right after the overview, before any section"
    shown = [output for output in box.get("outputs", []) if output["output_type"] in ("execute_result", "display_data")]
    assert shown, f"{name}: the cost box cell has no stored output"
    stored = {mime: "".join(value) for mime, value in shown[0]["data"].items()}
    assert stored == run_times.cost_box_outputs(name), (
        f"{name}'s stored cost box is not what the timing file says now: "
        f"`.venv/bin/python -m cnn_course.run_times refresh chapters/{name}.ipynb` rewrites it")


DURATION = re.compile(
    r"\b(?:(?:about|up to|under|over|nearly|almost|around|roughly|at most|less than|more than) )?"
    r"(?:an?|one|two|three|four|five|ten|fifteen|twenty|thirty|\d+(?:\.\d+)?)"
    r"(?: (?:to|or) (?:an?|one|two|three|four|five|ten|fifteen|twenty|thirty|\d+))? (?:hours?|minutes?)"
    r"(?: (?:and a half|\d+ minutes?))?\b")
CHAPTER = re.compile(r"\b[Cc]hapters? (\d)\b")
DOCUMENTS = ["README.md", "chapters/intro.md", "chapters/instructor_guide.md"]


def chapter_notebooks():
    return {int(path.name[:2]): path.stem for path in (REPOSITORY / "chapters").glob("[0-9][0-9]_*.ipynb")}


def allowed_wordings(name):
    """The duration words the file allows for a notebook: each of its entries as describe_entry states it."""
    entries = run_times.load()["notebooks"].get(name, {})
    words = set()
    for measured in entries.values():
        for seconds in (measured.get("seconds"), measured.get("training_seconds")):
            if seconds is not None:
                words.add(run_times.describe_duration(seconds))
    return words


def stated_durations(text):
    """(chapter number, duration words) for each duration a sentence states after naming a chapter."""
    found = []
    for sentence in re.split(r"(?<=[.:;])\s+|\n\n", text):
        sentence = " ".join(sentence.split())
        chapters = [(match.end(), int(match.group(1))) for match in CHAPTER.finditer(sentence)]
        for duration in DURATION.finditer(sentence):
            named = [number for end, number in chapters if end <= duration.start()]
            if named:
                found.append((named[-1], duration.group(0)))
    return found


@pytest.mark.parametrize("document", DOCUMENTS)
def test_stated_durations_of_chapters_quote_the_timing_file(document):
    """A document that says how long a chapter runs says it in the timing file's words (describe_duration)."""
    text = (REPOSITORY / document).read_text()
    notebooks = chapter_notebooks()
    stated = [(number, words) for number, words in stated_durations(text) if number in notebooks]
    wrong = [f"chapter {number}: {words!r} (the file says {sorted(allowed_wordings(notebooks[number])) or 'nothing'})"
             for number, words in stated if words not in allowed_wordings(notebooks[number])]
    assert not wrong, f"{document}: " + "; ".join(wrong)
    quoted = {number for number, _ in stated}
    assert {6, 7, 8} <= quoted, f"{document} should state how long chapters 6, 7 and 8 take in full mode"


def test_the_duration_check_catches_the_wordings_that_once_disagreed():
    stated = stated_durations("On 2 CPU cores chapter 6 takes up to an hour and chapter 7 up to two hours. "
                              "Chapter 7 takes about an hour and a half; three 90-minute sessions.")
    assert stated == [(6, "up to an hour"), (7, "up to two hours"), (7, "about an hour and a half")]


def test_the_run_times_page_is_in_the_book():
    toc = (REPOSITORY / "_toc.yml").read_text()
    assert "file: chapters/run_times" in toc
    assert "{run-times-table}" in (REPOSITORY / "chapters" / "run_times.md").read_text()


def test_refresh_from_the_command_line_rewrites_the_boxes_of_the_notebooks_named(tmp_path):
    notebook, timing_file = tmp_path / "05_pooling.ipynb", tmp_path / "run_times.json"
    notebook_with_cost_box(notebook, "05_pooling", {"text/plain": "an old box"})
    run_times.record(notebook, "quick", 95, timing_file, how="test run", machine=MACHINE)
    run_times.main(["refresh", str(notebook), "--file", str(timing_file)])
    assert "Quick mode: about 2 minutes" in stored_data(notebook)[1]["text/plain"]


def test_a_colab_time_is_recorded_with_its_runtime_and_not_this_machine(tmp_path):
    timing_file = tmp_path / "run_times.json"
    with pytest.raises(SystemExit):
        run_times.main(["record", "x.ipynb", "--setting", "colab", "--seconds", "600", "--how", "Run all",
                        "--file", str(timing_file)])
    run_times.main(["record", "x.ipynb", "--setting", "colab", "--seconds", "600", "--how", "Run all",
                    "--note", "Colab, T4 GPU runtime", "--file", str(timing_file)])
    colab = run_times.load(timing_file)["notebooks"]["x"]["colab"]
    assert colab["machine"] == {} and colab["note"] == "Colab, T4 GPU runtime" and colab["seconds"] == 600


def test_the_pages_whose_quick_run_was_not_quicker_get_a_note_that_says_why():
    figures = timing(**{
        "05_pooling": {"full": {"seconds": 25, "machine": MACHINE}, "quick": {"seconds": 51, "machine": MACHINE}},
        "setup": {"full": {"seconds": 20, "machine": MACHINE}, "quick": {"seconds": 20, "machine": MACHINE}},
        "06_architectures": {"full": {"seconds": 1264, "machine": MACHINE},
                             "quick": {"seconds": 169, "machine": MACHINE}},
        "07_fashion_mnist": {"full": {"seconds": None, "training_seconds": 3000, "machine": MACHINE},
                             "quick": {"seconds": 100, "machine": MACHINE}}})
    pages = ["setup", "05_pooling", "06_architectures", "07_fashion_mnist", "common_bugs"]
    note = run_times.not_quicker_in_quick_mode(pages, figures)
    assert note.startswith("- Quick mode was not the quicker on {doc}`setup` (20 s in quick mode, 20 s in full mode) "
                           "and {doc}`05_pooling` (51 s in quick mode, 25 s in full mode).")
    assert "oneDNN" in note and "trains little" in note
    assert "06_architectures" not in note, "quicker in quick mode"
    assert "07_fashion_mnist" not in note, "no whole-notebook time to compare"
    assert "common_bugs" not in note, "nothing measured"
    assert note in run_times.table_markdown(pages, figures)
    assert run_times.not_quicker_in_quick_mode(["06_architectures", "common_bugs"], figures) is None
    assert "Quick mode was not" not in run_times.table_markdown(["06_architectures"], figures)

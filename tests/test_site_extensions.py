"""The Sphinx extensions of _ext/, on the inputs they exist for."""

import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.animation import FuncAnimation  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))

from offline_site import drop_cdn_font_awesome, keep_page_assets_local  # noqa: E402


def test_matplotlib_animations_lose_their_cdn_stylesheet_and_keep_their_buttons():
    figure, axes = plt.subplots(figsize=(1, 1))
    line, = axes.plot([0, 1], [0, 1])
    animation = FuncAnimation(figure, lambda frame: line.set_ydata([frame, 1 - frame]) or (line,), frames=2)
    html = animation.to_jshtml()
    plt.close(figure)
    assert "font-awesome" in html, "matplotlib no longer links Font Awesome: offline_site can drop that rule"
    cleaned = drop_cdn_font_awesome(html)
    assert "//" not in cleaned.split("<script")[0], "a link to another host is left before the animation's script"
    assert "font-awesome" not in cleaned
    assert cleaned.count("<button") == html.count("<button") > 0
    assert 'class="fa fa-play"' in cleaned


def test_other_html_is_left_alone():
    html = '<link rel="stylesheet" href="../_static/local.css"><p>https://example.org</p>'
    assert drop_cdn_font_awesome(html) == html


def test_pages_keep_local_assets_drop_thebe_and_report_any_other_host(caplog):
    context = {
        "script_files": ["_static/doctools.js", "_static/sphinx-thebe.js", "https://cdn.example.org/widgets.js"],
        "css_files": ["_static/pygments.css", "_static/sphinx-thebe.css"],
    }
    keep_page_assets_local(None, "chapters/intro", "page.html", context, None)
    assert context["script_files"] == ["_static/doctools.js", "https://cdn.example.org/widgets.js"]
    assert context["css_files"] == ["_static/pygments.css"]
    assert "chapters/intro loads https://cdn.example.org/widgets.js from another host" in caplog.text


def test_animation_sliders_get_a_label_and_bibliography_entries_become_list_items():
    from accessible_markup import SLIDER_LABEL, mend_markup

    figure, axes = plt.subplots(figsize=(1, 1))
    line, = axes.plot([0, 1], [0, 1])
    animation = FuncAnimation(figure, lambda frame: line.set_ydata([frame, 1 - frame]) or (line,), frames=2)
    html = animation.to_jshtml()
    plt.close(figure)
    assert 'class="anim-slider"' in html and "aria-label" not in html.split('class="anim-slider"')[0][-300:]
    mended = mend_markup(html)
    assert mended.count(f'aria-label="{SLIDER_LABEL}"') == html.count('class="anim-slider"') == 1
    assert mend_markup(mended) == mended, "a slider that has a label keeps it alone"

    bibliography = ('<div role="list" class="citation-list">\n<div class="citation" id="id15" role="doc-biblioentry">'
                    '<span class="label">[Cho21]</span></div>\n</div>')
    assert mend_markup(bibliography) == bibliography.replace('role="doc-biblioentry"', 'role="listitem"')


def test_the_run_times_table_lists_every_notebook_of_the_book_in_reading_order():
    from run_times_table import load_run_times_module, toc_notebooks

    repository = Path(__file__).resolve().parents[1]
    notebooks = toc_notebooks(repository)
    assert notebooks[0].name == "setup.ipynb" and notebooks[1].name == "01_visual_cortex.ipynb"
    assert {path.name for path in notebooks} == {path.name for path in (repository / "chapters").glob("*.ipynb")}
    run_times = load_run_times_module()
    table = run_times.table_markdown([path.stem for path in notebooks])
    assert table.count("{doc}") >= len(notebooks)
    quoted = [run_times.describe_entry(run_times.entry("07_fashion_mnist", setting)) for setting in run_times.SETTINGS]
    assert "\n| {doc}`07_fashion_mnist` | " + " | ".join(quoted) + " |\n" in table


def test_a_teaching_plan_counts_each_lectures_slides_and_refuses_a_slot_too_short_for_them(tmp_path):
    import nbformat
    from teaching_plan import plan_table

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"## Section {n}\n\nText.")
                                               for n in range(30)])
    path = tmp_path / "01_lecture.ipynb"
    nbformat.write(notebook, path)
    timings = {"notebooks": {"01_lecture": {"quick": {"seconds": 90}}}}
    graded = {"01_lecture": {"sample": 6, "jobs": 2, "seconds": 60}}
    plan = {"pace": 1, "quiz": 5, "covers": "book", "rows": [
        {"slot": "9:00", "minutes": 40, "meeting": "lecture 1", "decks": ["01_lecture"], "quizzes": [1],
         "grade": ["01_lecture"]},
        {"slot": "9:40", "minutes": 20, "meeting": "lab", "lab": "exercises"}]}
    lines, problems = plan_table(plan, {"01_lecture": path}, timings, graded)
    assert problems == []
    assert "| 9:00 | lecture 1, 40 min: 30 slides and quiz 1, 35 min | 01_lecture: 30 slides, Run All 90 |" in lines[2]
    assert "homework 1 about 10 min" in lines[2]  # 60 s for 6 submissions, so 600 s for 60
    plan["rows"][0]["minutes"] = 30
    _, problems = plan_table(plan, {"01_lecture": path, "02_other": path}, timings, graded)
    assert problems == ["lecture 1 at 9:00 lasts 30 min but holds 30 slides at 1 min a slide and 1 quizzes of 5 min: "
                        "35 min", "lab at 9:40 starts at 9:40, but the meeting before it ends at 9:30",
                        "no lecture shows 02_other: give each chapter of the book a lecture"]


def test_the_instructor_guides_plans_hold_what_they_list():
    """The guide's workshop and unit, checked as the book's build checks them: every lecture holds its slides and
    quizzes, and every chapter of the book has a lecture."""
    import yaml
    from run_times_table import load_run_times_module, toc_notebooks
    from teaching_plan import measured_grading, plan_table

    repository = Path(__file__).resolve().parents[1]
    guide = (repository / "chapters" / "instructor_guide.md").read_text()
    plans = re.findall(r"^```\{teaching-plan\}\n(.*?)^```$", guide, re.S | re.M)
    assert len(plans) == 2, "the guide's 2-day workshop and its 4-week unit"
    notebooks = {path.stem: path for path in toc_notebooks(repository)}
    run_times = load_run_times_module()
    for plan in plans:
        lines, problems = plan_table(yaml.safe_load(plan), notebooks, run_times.load(), measured_grading())
        assert not problems, problems

"""Sphinx extension: the ``{teaching-plan}`` directive, a timetable whose slots are checked to hold what they list.

The instructor guide's 2-day workshop and 4-week unit are tables of meetings, written as YAML in the directive's
body. For each lecture the directive fills in, when the book is built, the slides of its decks (counted by
``classroom.slides.metadata.slide_count``, as ``make slides`` lays the decks out) and its chapter's Run All time in
quick mode (``src/cnn_course/resources/run_times.json``); for a row that collects homework, the time
``make grade-homework`` takes for a class, extrapolated from a measured sample
(``benchmarks/results/grading_times.json``, written by ``benchmarks/grading_time.py``). Then it checks every lecture
against its slot: its slides at the plan's pace, plus five minutes per quiz, and the Run All started as the lecture
begins, must end within it; a meeting that starts at a clock time must start when the one before it ends. A slot
that does not hold what it lists is a build warning, which ``-W`` makes an error:
the plan follows the chapters, and a chapter that grows fails the build until its lecture gets the time. With
``covers: book``, a chapter of ``_toc.yml`` that no lecture shows is an error too.

The body::

    pace: 1            # minutes a slide, the pace the plan assumes
    quiz: 5            # minutes a quiz takes
    students: 60       # the class whose grading time is given
    slot: time         # the heading of the first column
    covers: book       # optional: every chapter of the book has a lecture
    rows:
      - {heading: "Day 1"}  # a row across the table
      - {slot: "9:20", minutes: 40, meeting: lecture 1, decks: [01_visual_cortex], quizzes: [1],
         live: "the tuning curve", lab: "chapter 1's exercises", outside: "homework 1", grade: [01_visual_cortex]}
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

import nbformat
import yaml
from docutils import nodes
from docutils.statemachine import StringList
from run_times_table import doc_name, load_run_times_module, toc_notebooks
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

REPOSITORY = Path(__file__).resolve().parents[1]
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))  # the classroom tools live beside the package, not in it

from classroom.homework import grading  # noqa: E402
from classroom.slides import metadata  # noqa: E402

logger = logging.getLogger(__name__)
CLOCK = re.compile(r"(\d{1,2}):(\d{2})")


def minutes_words(minutes: float) -> str:
    return f"{math.ceil(minutes)} min"


def measured_grading(path: Path = grading.GRADING_TIMES) -> dict:
    """The measured grading time of each homework, by folder name (empty when nothing was measured)."""
    return json.loads(path.read_text(encoding="utf-8")).get("homework", {}) if path.is_file() else {}


def grading_words(homework: list[str], graded: dict, students: int) -> str:
    """"grading 60 submissions: homework 1 about 9 min, ..." from the measured samples."""
    parts = []
    for name in homework:
        measured = graded.get(name)
        number = int(name[:2]) if name[:2].isdigit() else name
        if measured is None:
            parts.append(f"homework {number} not measured")
            continue
        minutes = grading.class_grading_seconds(measured, students) / 60
        parts.append(f"homework {number} about {max(1, round(minutes))} min")
    return f"grading {students} submissions with `make grade-homework`: " + ", ".join(parts)


def plan_table(plan: dict, notebooks: dict[str, Path], timings: dict, graded: dict, link=lambda stem: stem,
               describe_duration=str) -> tuple[list[str], list[str]]:
    """The plan as the lines of a MyST table, and what is wrong with it (a slot that does not hold what it lists, a
    deck that is not in the book, a chapter no lecture shows when the plan ``covers: book``).

    ``notebooks`` maps each deck's name to its notebook; ``timings`` is the run-times file (``cnn_course.run_times``),
    ``graded`` the measured grading times; ``link`` writes a reference to a deck, ``describe_duration`` a time.
    """
    pace, quiz, students = plan.get("pace", 1), plan.get("quiz", 5), plan.get("students", 60)
    lines = [f"| {plan.get('slot', 'time')} | meeting | decks: slides, Run All in quick mode | in class | "
             "out of class |", "| --- | --- | --- | --- | --- |"]
    problems, shown, total_slides, lecture_minutes = [], set(), 0, 0
    ends = None  # when the meeting before ends, on a clock (minutes since midnight), within one day
    for row in plan["rows"]:
        if "heading" in row:  # a row that names what follows (a day of a workshop), across the table
            lines.append(f"| **{row['heading']}** | | | | |")
            ends = None
            continue
        where = f"{row['meeting']} at {row['slot']}"
        clock = CLOCK.fullmatch(str(row["slot"]))
        if clock:
            starts = int(clock.group(1)) * 60 + int(clock.group(2))
            if ends is not None and starts != ends:
                problems.append(f"{where} starts at {row['slot']}, but the meeting before it ends at "
                                f"{ends // 60}:{ends % 60:02d}")
            ends = starts + row.get("minutes", 0)
        decks, quizzes = row.get("decks", []), row.get("quizzes", [])
        problems += [f"{where} shows {deck}, which is not in _toc.yml" for deck in decks if deck not in notebooks]
        decks = [deck for deck in decks if deck in notebooks]
        slides = {deck: metadata.slide_count(nbformat.read(notebooks[deck], as_version=4).cells) for deck in decks}
        quick = {deck: ((timings.get("notebooks", {}).get(deck) or {}).get("quick") or {}).get("seconds")
                 for deck in decks}
        meeting = f"{row['meeting']}, {row['minutes']} min" if row.get("minutes") else row["meeting"]
        quizzes_words = f"quiz {', '.join(map(str, quizzes))}" if quizzes else ""
        if decks:
            needed = sum(slides.values()) * pace + len(quizzes) * quiz
            meeting += f": {sum(slides.values())} slides" + (f" and {quizzes_words}" if quizzes else "") + \
                f", {minutes_words(needed)}"
            if needed > row["minutes"]:
                problems.append(f"{where} lasts {row['minutes']} min but holds {sum(slides.values())} slides at "
                                f"{pace} min a slide and {len(quizzes)} quizzes of {quiz} min: {minutes_words(needed)}")
            problems += [f"{where}: the Run All of {deck} in quick mode takes {seconds} s, longer than the lecture"
                         for deck, seconds in quick.items() if seconds is not None and seconds > row["minutes"] * 60]
            shown |= set(decks)
            total_slides += sum(slides.values())
            lecture_minutes += row["minutes"]
        elif quizzes:
            meeting += f": {quizzes_words}, {minutes_words(len(quizzes) * quiz)}"
        deck_words = "; ".join(
            f"{link(deck)}: {slides[deck]} slides, Run All "
            + (describe_duration(quick[deck]) if quick[deck] is not None else "not measured") for deck in decks)
        in_class = " ".join(part for part in (row.get("live", ""), row.get("lab", "")) if part)
        outside = "; ".join(part for part in (row.get("outside", ""),
                                              grading_words(row["grade"], graded, students) if row.get("grade")
                                              else "") if part)
        lines.append(f"| {row['slot']} | {meeting} | {deck_words} | {in_class} | {outside} |")
    if plan.get("covers") == "book":
        problems += [f"no lecture shows {stem}: give each chapter of the book a lecture"
                     for stem in notebooks if stem not in shown]
    lines += ["", f"Lectures: {total_slides} slides in {lecture_minutes} minutes of lecture, at {pace} minute a slide "
                  f"and {quiz} minutes a quiz (a pace the plan assumes, not a measure); each Run All as the test run "
                  "measured it (the Run times page)."]
    return lines, problems


class TeachingPlan(SphinxDirective):
    """A timetable of lectures and labs, with each lecture's slides and quick-mode time filled in and checked."""

    has_content = True

    def run(self):
        run_times = load_run_times_module()
        srcdir = Path(self.env.srcdir)
        here = Path(self.env.doc2path(self.env.docname)).parent
        notebooks = {path.stem: path for path in toc_notebooks(srcdir)}
        for dependency in (run_times.packaged_file(), grading.GRADING_TIMES, srcdir / "_toc.yml",
                           *notebooks.values()):
            self.env.note_dependency(str(dependency))

        def link(stem: str) -> str:
            return f"{{doc}}`{doc_name(notebooks[stem], here, srcdir)}`"

        lines, problems = plan_table(yaml.safe_load("\n".join(self.content)), notebooks, run_times.load(),
                                     measured_grading(), link, run_times.describe_duration)
        for problem in problems:
            logger.warning(f"teaching plan: {problem}", location=(self.env.docname, self.lineno))
        container = nodes.container(classes=["teaching-plan"])
        self.state.nested_parse(StringList(lines, source=self.env.docname), self.content_offset, container)
        return [container]


def setup(app):
    app.add_directive("teaching-plan", TeachingPlan)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

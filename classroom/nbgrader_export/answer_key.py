"""The instructor's answer key of a chapter: each question, its worked answer and what the solution prints.

Written from the chapter itself (the question's markdown, the solution cell and its stored full-mode output),
so the key and the chapter cannot disagree.
"""

from __future__ import annotations

import re

from nbformat import NotebookNode

from classroom.student_release.exercise_cells import find_exercises


def _title(notebook: NotebookNode) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            return cell.source.splitlines()[0][2:].strip()
    return "chapter"


def _question(notebook: NotebookNode, exercise) -> str:
    """The question's text: from its ``**QN.**`` in the markdown cell before the learner's cell, when it is there."""
    if exercise.question is None:
        return ""
    text = notebook.cells[exercise.question].source
    start = re.search(rf"\*\*{exercise.name.upper()}\.?\*\*", text)
    return text[start.start():].strip() if start else text.strip()


def _printed(cell: NotebookNode) -> str:
    return "".join(output.get("text", "") for output in cell.get("outputs", []) if output.get("name") == "stdout")


def answer_key(notebook: NotebookNode, where: str = "the chapter") -> str:
    """The answer key of ``notebook`` as Markdown (empty when the notebook has no exercises)."""
    exercises = find_exercises(notebook, where)
    if not exercises:
        return ""
    parts = [f"# Answer key: {_title(notebook)}", "",
             "Instructor's material, kept out of the student release and the site. Each answer is what the "
             "chapter's hidden solution cell runs and checks; the printed text is what `qN.solution()` shows in "
             "self-study.", ""]
    for exercise in exercises:
        solution = notebook.cells[exercise.solution]
        question = _question(notebook, exercise)
        parts += [f"## {exercise.name.upper()}", "", question, "", "Worked answer, as the chapter checks it:", "",
                  "```python", solution.source.strip(), "```", "", "What it prints:", "", "```text",
                  _printed(solution).strip(), "```", ""]
    return "\n".join(parts)

"""What students receive (`make handout`) and how a class is graded (`make grade-homework`), with no answer leaking.

The reference solutions and the quizzes' keys stay in instructor material: not in the handout, not on the site
(Sphinx excludes classroom/, and no page of the table of contents lives there).
"""

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from classroom.homework import grading, handout
from classroom.quizzes import KEYS, read_key

REPOSITORY = Path(__file__).resolve().parents[2]
HOMEWORK = REPOSITORY / "classroom" / "homework"
SOLUTIONS = HOMEWORK / "solutions"
CHAPTERS = sorted(path.stem for path in (REPOSITORY / "chapters").glob("0*.ipynb"))


def answers():
    """Text that only the instructor's material holds: each key's explanations, each solution's code lines."""
    texts = [answer.explanation[:60] for path in KEYS.glob("*.md") for answer in read_key(path)]
    for solution in SOLUTIONS.rglob("*.py"):
        texts += [line.strip() for line in solution.read_text().splitlines()
                  if len(line.strip()) > 30 and not line.strip().startswith(("def ", "import", "from", '"""', "#"))]
    assert len(texts) > 100
    return texts


def leaked(text, secrets):
    flat = " ".join(text.split())
    return [secret for secret in secrets if " ".join(secret.split()) in flat]


def test_the_handout_holds_every_homework_and_quiz_and_no_answer(tmp_path):
    files = handout.write_handout(tmp_path / "handout")
    relative = [path.relative_to(tmp_path / "handout") for path in files]
    assert not [path for path in relative if {"solutions", "keys"} & set(path.parts)]
    for chapter in CHAPTERS:
        folder = tmp_path / "handout" / "homework" / chapter
        assert (folder / "README.md").is_file() and list(folder.glob("test_*.py")), chapter
        assert (tmp_path / "handout" / "quizzes" / f"{chapter}.md").is_file(), chapter
    assert (tmp_path / "handout" / "homework" / "conftest.py").is_file()
    secrets = answers()
    found = {str(path): leaked(path.read_text(errors="replace"), secrets) for path in files}
    assert not any(found.values()), {path: texts for path, texts in found.items() if texts}


def test_the_projects_rubric_stays_with_the_instructor(tmp_path):
    """The rubric exists, asks for seeds and a paired interval, the guide names it, and no line of it is handed out."""
    rubric = REPOSITORY / "classroom" / "rubrics" / "07_fashion_mnist.md"
    text = rubric.read_text()
    assert "at least 3 seeds" in text and "paired" in text and "--seeds" in text
    assert "classroom/rubrics/07_fashion_mnist.md" in (REPOSITORY / "chapters" / "instructor_guide.md").read_text()
    lines = [line.strip("|- ").strip() for line in text.splitlines() if len(line.strip("|- ").strip()) > 40]
    files = handout.write_handout(tmp_path / "handout")
    found = {str(path): leaked(path.read_text(errors="replace"), lines) for path in files}
    assert not any(found.values()), {path: texts for path, texts in found.items() if texts}
    (tmp_path / "moved").mkdir()
    (tmp_path / "moved" / "RUBRIC.md").write_text(text)
    handout.copy_without_answers(tmp_path / "moved", tmp_path / "copied")
    assert not (tmp_path / "copied" / "RUBRIC.md").exists(), "a rubric moved beside a homework would be handed out"


def test_a_student_runs_the_tests_from_the_handout_alone(tmp_path):
    handout.write_handout(tmp_path / "handout")
    folder = tmp_path / "handout" / "homework" / "03_padding"
    shutil.copy(SOLUTIONS / "03_padding" / "same_padding.py", folder / "same_padding.py")
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=folder,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert re.search(r"\b4 passed\b", run.stdout), run.stdout[-500:]


def test_grading_a_class_writes_each_students_score(tmp_path):
    submissions = tmp_path / "submitted"
    (submissions / "alice" / "homework3").mkdir(parents=True)
    shutil.copy(SOLUTIONS / "03_padding" / "same_padding.py", submissions / "alice" / "homework3")
    (submissions / "carol.py").write_text("import tensorflow as tf\n\n" + (SOLUTIONS / "03_padding" /
                                                                          "same_padding.py").read_text())
    output = tmp_path / "grades.csv"
    grading.grade_all("03_padding", submissions, output)
    rows = {row["student"]: row for row in csv.DictReader(output.open())}
    assert (rows["alice"]["passed"], rows["alice"]["total"]) == ("4", "4")
    assert rows["carol"]["passed"] == "0", "a by-hand homework that imports TensorFlow scores nothing"


def test_the_site_never_includes_the_instructors_material():
    config = yaml.safe_load((REPOSITORY / "_config.yml").read_text())
    assert "classroom" in config["exclude_patterns"]
    toc = (REPOSITORY / "_toc.yml").read_text()
    assert "classroom/" not in toc


def test_no_answer_reaches_the_built_site(book_build):
    secrets = answers()
    found = {}
    for page in book_build.html.rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(errors="replace")))
        found[page.name] = leaked(text, secrets)
    assert not any(found.values()), {page: texts for page, texts in found.items() if texts}

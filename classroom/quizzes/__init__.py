"""Concept quizzes, one per chapter: five multiple-choice questions that ask why, each answered with a letter and a
sentence. The questions (``<chapter>.md``) go to students, printed or through ``make handout``; the answer keys
(``keys/<chapter>.md``, with why each wrong choice is wrong) stay with the instructor. This module reads both, so
the tests can check that every quiz is complete and that every key answers its own quiz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

QUIZZES = Path(__file__).resolve().parent
KEYS = QUIZZES / "keys"
QUESTION = re.compile(r"^\*\*(\d+)\.\*\* (.+?)(?=^- \*\*)", re.M | re.S)
CHOICE = re.compile(r"^- \*\*([a-z])\.\*\* (.+?)(?=^- \*\*|^\*\*\d|\Z)", re.M | re.S)
ANSWER = re.compile(r"^\*\*(\d+)\. ([a-z])\.\*\* (.+?)(?=^\*\*\d|\Z)", re.M | re.S)


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    choices: dict[str, str]


@dataclass(frozen=True)
class Answer:
    number: int
    letter: str
    explanation: str


def read_quiz(path: Path) -> list[Question]:
    """The questions of a quiz file, in order, each with its lettered choices."""
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?=^\*\*\d+\.\*\* )", text, flags=re.M)[1:]
    questions = []
    for block in blocks:
        question = QUESTION.match(block)
        if question is None:
            raise ValueError(f"{path.name}: a question without choices: {block[:80]!r}")
        choices = {letter: " ".join(body.split()) for letter, body in CHOICE.findall(block)}
        questions.append(Question(int(question.group(1)), " ".join(question.group(2).split()), choices))
    return questions


def read_key(path: Path) -> list[Answer]:
    """The answers of a key file, in order: the letter and the explanation of each."""
    return [Answer(int(number), letter, " ".join(explanation.split()))
            for number, letter, explanation in ANSWER.findall(path.read_text(encoding="utf-8"))]


def chapters() -> list[str]:
    """The chapters that have a quiz, by file stem (``05_pooling``)."""
    return sorted(path.stem for path in QUIZZES.glob("*.md"))

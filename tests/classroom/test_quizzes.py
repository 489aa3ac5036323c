"""The concept quizzes (classroom/quizzes): five questions per chapter, each answered by its key, kept apart."""

from collections import Counter
from pathlib import Path

import pytest

from classroom.quizzes import KEYS, QUIZZES, chapters, read_key, read_quiz

REPOSITORY = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(path.stem for path in (REPOSITORY / "chapters").glob("0*.ipynb"))


def test_every_chapter_has_a_quiz_and_a_key():
    assert chapters() == CHAPTERS
    assert sorted(path.stem for path in KEYS.glob("*.md")) == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_quiz_has_five_questions_of_four_choices(chapter):
    questions = read_quiz(QUIZZES / f"{chapter}.md")
    assert [question.number for question in questions] == [1, 2, 3, 4, 5]
    for question in questions:
        assert sorted(question.choices) == ["a", "b", "c", "d"], f"{chapter} Q{question.number}"
        assert len(set(question.choices.values())) == 4, f"{chapter} Q{question.number}: two choices read the same"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_key_answers_each_question_with_one_of_its_choices_and_says_why(chapter):
    questions = read_quiz(QUIZZES / f"{chapter}.md")
    answers = read_key(KEYS / f"{chapter}.md")
    assert [answer.number for answer in answers] == [question.number for question in questions]
    for question, answer in zip(questions, answers, strict=True):
        assert answer.letter in question.choices, f"{chapter} Q{question.number}: no choice {answer.letter}"
        assert len(answer.explanation.split()) >= 25, f"{chapter} Q{question.number}: explain why, and why not the rest"
        wrong = sorted(set(question.choices) - {answer.letter})
        assert sum(f"({letter})" in answer.explanation for letter in wrong) >= 2, \
            f"{chapter} Q{question.number}: the key should say what is wrong with the other choices"


def test_the_right_letters_are_spread_over_a_to_d():
    letters = {chapter: [answer.letter for answer in read_key(KEYS / f"{chapter}.md")] for chapter in CHAPTERS}
    for chapter, chosen in letters.items():
        assert len(set(chosen)) >= 3, f"{chapter}: the answers are {chosen}"
    counts = Counter(letter for chosen in letters.values() for letter in chosen)
    assert set(counts) == {"a", "b", "c", "d"} and max(counts.values()) <= 0.3 * sum(counts.values()), counts


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_quiz_gives_no_answer_away(chapter):
    quiz = (QUIZZES / f"{chapter}.md").read_text(encoding="utf-8")
    assert "answer key" not in quiz.lower()
    for answer in read_key(KEYS / f"{chapter}.md"):
        assert answer.explanation[:60] not in " ".join(quiz.split()), f"{chapter} Q{answer.number}'s explanation"

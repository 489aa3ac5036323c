from cnn_course.exercises import visual_cortex as chapter

import pytest


@pytest.mark.parametrize(
    ("exercise", "right", "slips"),
    [
        (chapter.q1, 20_000_000, {100_000: "200 x 200", 20_000_500: "biases", 60_000_000: "grayscale"}),
        (chapter.q2, 260, {250: "bias", 26: "10 filters", 200 * 200 * 260: "share"}),
        (chapter.q3, 5, {9: "overlap", 6: "twice", 3: "first-layer"}),
        (chapter.q4, "c", {"a": "orientation", "b": "small region"}),
    ],
    ids=["q1", "q2", "q3", "q4"],
)
def test_each_exercise_accepts_the_right_answer_and_explains_slips(exercise, right, slips):
    assert exercise.grade(right).correct
    for wrong, explanation in slips.items():
        result = exercise.grade(wrong)
        assert not result.correct and explanation in result.message, (wrong, result.message)
    assert not exercise.grade("not an answer" if not isinstance(right, str) else 3).correct


def test_every_exercise_is_listed():
    assert chapter.EXERCISES == [chapter.q1, chapter.q2, chapter.q3, chapter.q4]


def test_q3_is_about_one_row_of_pixels_throughout():
    result = chapter.q3.grade(25)
    assert not result.correct and "one row" in result.message
    assert "3x3 windows at stride 1 adds" not in chapter.q3._solution
    assert "3-wide" in chapter.q3._praise


def test_q4_accepts_the_letter_with_brackets():
    for letter in ("(c)", "c)", " C ", "option c"):
        assert chapter.q4.grade(letter).correct

from cnn_course import checks
from cnn_course.checks import Exercise, Incorrect

import numpy as np
import pytest


def exercise(checker):
    return Exercise("Qx", checker, hint="think of the pixels", solution="answer = 42")


def test_not_answered_yet_is_said_kindly():
    result = exercise(checks.number(42)).grade(...)
    assert not result and "not answered yet" in result.message and "`...`" in result.message


def test_check_hint_and_solution_print_for_the_learner(capsys):
    ex = exercise(checks.number(42))
    ex.check(42)
    ex.check(41)
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Qx: correct!"
    assert out[1].startswith("Qx: not quite. 41 is too small.")
    assert out[2] == "Hint: think of the pixels"
    assert out[3:] == ["Solution:", "answer = 42"]


def test_a_checker_that_returns_accepts_and_one_that_raises_rejects():
    def must_be_even(answer):
        if answer % 2:
            raise Incorrect("odd numbers cannot be split in two rows.")

    ex = exercise(must_be_even)
    assert ex.grade(4).correct
    assert "odd numbers" in ex.grade(3).message


def test_number_names_common_mistakes_and_the_direction_of_others():
    check = checks.number(20_000_000, mistakes={100_000: "the image has 200 x 200 pixels, not 200."})
    ex = exercise(check)
    assert ex.grade(20_000_000).correct
    assert ex.grade(np.int64(20_000_000)).correct
    assert ex.grade(np.array([20_000_000.0])).correct
    assert "200 x 200 pixels" in ex.grade(100_000).message
    assert "too large" in ex.grade(30_000_000).message
    assert "too small" in ex.grade(1).message


@pytest.mark.parametrize("wrong_type", ["20000000", None, True, [20_000_000]])
def test_number_rejects_answers_that_are_not_numbers(wrong_type):
    result = exercise(checks.number(20_000_000)).grade(wrong_type)
    assert not result and "should be a number" in result.message


def test_number_tolerance():
    ex = exercise(checks.number(0.5, abs_tol=0.01))
    assert ex.grade(0.505).correct and not ex.grade(0.52).correct


def test_choice_accepts_the_letter_in_any_case_and_explains_wrong_options():
    ex = exercise(checks.choice("b", {"a": "a is about dense layers.", "b": "", "c": "c ignores weight sharing."}))
    assert ex.grade(" B ").correct
    assert "dense layers" in ex.grade("a").message
    assert "choose one of a, b, c" in ex.grade("d").message
    assert "letter as a string" in ex.grade(2).message


def test_choice_refuses_a_correct_option_that_does_not_exist():
    with pytest.raises(ValueError):
        checks.choice("z", {"a": "", "b": ""})


def test_shape_points_at_the_wrong_axis():
    ex = exercise(checks.shape((2, 427, 640, 32)))
    assert ex.grade((2, 427, 640, 32)).correct and ex.grade([2, 427, 640, 32]).correct
    assert "axis 3" in ex.grade((2, 427, 640, 3)).message
    assert "has 3 dimensions; the tensor has 4" in ex.grade((427, 640, 32)).message
    assert "tuple of integers" in ex.grade("2x427").message
    assert exercise(checks.shape((None, 28, 28))).grade((64, 28, 28)).correct


def test_array_compares_with_tolerance_and_names_known_slips():
    expected = np.arange(9.0).reshape(3, 3)
    ex = exercise(checks.array(expected, mistakes=[(expected[::-1, ::-1], "the kernel was flipped.")]))
    assert ex.grade(expected + 1e-8).correct
    assert ex.grade(expected.tolist()).correct
    assert ex.grade(expected[::-1, ::-1]).message.endswith("the kernel was flipped. (Stuck? Call .hint().)")
    assert "shape (2, 2)" in ex.grade(np.zeros((2, 2))).message
    wrong = expected.copy()
    wrong[1, 2] = -1
    assert "1 of 9 values differ, the first at index (1, 2)" in ex.grade(wrong).message
    assert "array of numbers" in ex.grade("nine").message

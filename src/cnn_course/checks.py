"""A small exercise checker, in the spirit of Kaggle Learn's ``learntools``.

An :class:`Exercise` gives the learner three calls::

    q1.check(answer)   # says whether the answer is right and, if not, what looks wrong
    q1.hint()          # a nudge
    q1.solution()      # the worked answer

Each exercise is built from a *checker*: a function that returns when the answer is right and raises
:class:`Incorrect` with a specific, friendly message when it is not. The ``number``, ``choice``,
``array`` and ``shape`` factories below cover most exercises; ``mistakes`` maps the wrong answers
learners often give to an explanation of the slip behind them. The chapters' exercises live in
:mod:`cnn_course.exercises`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NOT_ANSWERED = Ellipsis  # notebooks ship with `answer = ...`


class Incorrect(Exception):
    """Raised by a checker: the answer is wrong, and the message says how."""


@dataclass(frozen=True)
class Result:
    """The verdict on one answer: ``correct`` and the message shown to the learner."""

    correct: bool
    message: str

    def __bool__(self) -> bool:
        return self.correct


class Exercise:
    """One exercise of a chapter: a checker, a hint and a solution.

    Args:
        title: short name shown in messages, e.g. "Connections of a dense layer".
        checker: returns if the answer is right, raises :class:`Incorrect` otherwise.
        hint: a nudge that does not give the answer away.
        solution: the answer as it would be written in the notebook (code or prose).
        praise: what a right answer also teaches, shown after "Correct".
    """

    def __init__(self, title: str, checker: Callable[[Any], None], hint: str, solution: str,
                 praise: str = ""):
        self.title = title
        self._checker = checker
        self._hint = hint
        self._solution = solution
        self._praise = praise

    def grade(self, answer: Any) -> Result:
        """Judge an answer without printing: what :meth:`check` shows, as a :class:`Result`."""
        if answer is NOT_ANSWERED:
            return Result(False, f"{self.title}: not answered yet. Replace `...` with your answer "
                                 "and run the cell again.")
        try:
            self._checker(answer)
        except Incorrect as wrong:
            return Result(False, f"{self.title}: not quite. {wrong} (Stuck? Call .hint().)")
        praise = f" {self._praise}" if self._praise else ""
        return Result(True, f"{self.title}: correct!{praise}")

    def check(self, answer: Any) -> None:
        """Print whether ``answer`` is right, with a specific message when it is not."""
        print(self.grade(answer).message)

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint: {self._hint}")

    def solution(self) -> None:
        """Print the worked solution."""
        print(f"Solution:\n{self._solution}")

    def __repr__(self) -> str:
        return f"Exercise({self.title!r})"


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) < 60 else text[:57] + '...'}"


def number(expected: float, *, rel_tol: float = 1e-9, abs_tol: float = 0.0,
           mistakes: Mapping[float, str] | None = None) -> Callable[[Any], None]:
    """Checker for a numeric answer; ``mistakes`` maps typical wrong values to their explanation."""

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)

    def checker(answer: Any) -> None:
        if isinstance(answer, np.ndarray) and answer.size == 1:
            answer = answer.item()
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            raise Incorrect(f"The answer should be a number, but it is a {_describe(answer)}.")
        if close(float(answer), expected):
            return
        for wrong, explanation in (mistakes or {}).items():
            if close(float(answer), wrong):
                raise Incorrect(f"{answer:,} is a common slip: {explanation}")
        direction = "too large" if answer > expected else "too small"
        raise Incorrect(f"{answer:,} is {direction}.")

    return checker


def choice(correct: str, options: Mapping[str, str]) -> Callable[[Any], None]:
    """Checker for a multiple-choice answer given as the option's letter (case and spaces ignored).

    Args:
        correct: the right option's letter.
        options: every option's letter mapped to why it is wrong (the right one's text is unused).
    """
    if correct not in options:
        raise ValueError(f"the correct option {correct!r} is not among the options {sorted(options)}")

    def checker(answer: Any) -> None:
        if not isinstance(answer, str):
            raise Incorrect(f"Answer with the option's letter as a string, e.g. 'a', not a {_describe(answer)}.")
        letter = answer.strip().lower()
        if letter not in options:
            raise Incorrect(f"{answer!r} is not an option: choose one of {', '.join(sorted(options))}.")
        if letter != correct:
            raise Incorrect(options[letter])

    return checker


def shape(expected: Sequence[int | None]) -> Callable[[Any], None]:
    """Checker for a tensor shape, given as a tuple or list; ``None`` in ``expected`` matches anything."""
    expected = tuple(expected)

    def checker(answer: Any) -> None:
        if not isinstance(answer, (tuple, list)) or not all(isinstance(d, (int, type(None))) for d in answer):
            raise Incorrect(f"A shape is a tuple of integers such as (2, 64, 64, 3), not a {_describe(answer)}.")
        answer = tuple(answer)
        if len(answer) != len(expected):
            raise Incorrect(f"{answer} has {len(answer)} dimensions; the tensor has {len(expected)}.")
        for axis, (got, want) in enumerate(zip(answer, expected)):
            if want is not None and got != want:
                size = "too large" if got > want else "too small"
                raise Incorrect(f"{answer} is wrong along axis {axis}: {got} there is {size}.")

    return checker


def array(expected, *, atol: float = 1e-6, rtol: float = 1e-6,
          mistakes: Sequence[tuple[Any, str]] = ()) -> Callable[[Any], None]:
    """Checker for an array answer (NumPy array, list or tensor), compared with a tolerance.

    ``mistakes`` lists (wrong array, explanation) pairs for slips worth naming, such as a flipped kernel.
    """
    expected = np.asarray(expected)

    def checker(answer: Any) -> None:
        try:
            got = np.asarray(answer, dtype=float)
        except (TypeError, ValueError):
            raise Incorrect(f"The answer should be an array of numbers, not a {_describe(answer)}.") from None
        if got.shape != expected.shape:
            raise Incorrect(f"The array has shape {got.shape}; it should have shape {expected.shape}.")
        if np.allclose(got, expected, atol=atol, rtol=rtol):
            return
        for wrong, explanation in mistakes:
            if np.allclose(got, np.asarray(wrong), atol=atol, rtol=rtol):
                raise Incorrect(explanation)
        differ = ~np.isclose(got, expected, atol=atol, rtol=rtol)
        first = tuple(int(i) for i in np.argwhere(differ)[0])
        raise Incorrect(f"{int(differ.sum())} of {got.size} values differ, the first at index {first}.")

    return checker

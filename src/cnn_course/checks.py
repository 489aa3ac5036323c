"""A small exercise checker, in the spirit of Kaggle Learn's ``learntools``.

An :class:`Exercise` gives the learner three calls::

    q1.check(answer)   # says whether the answer is right and, if not, what looks wrong
    q1.hint()          # a nudge
    q1.solution()      # the worked answer

Each exercise is built from a *checker*: a function that returns when the answer is right and raises
:class:`Incorrect` with a specific, friendly message when it is not. The ``number``, ``choice``,
``array`` and ``shape`` factories below cover most exercises (``function`` checks a function the
learner writes); ``mistakes`` maps the wrong answers
learners often give to an explanation of the slip behind them. The chapters' exercises live in
:mod:`cnn_course.exercises`.

Whatever a learner types, grading never raises: a checker reads an answer through the ``_as_*``
readers below, which turn the natural ways of writing it (a NumPy integer, a scalar tensor, a
``TensorShape``, ``'(b)'``) into plain Python values and anything else into an :class:`Incorrect`
that says what was expected; and :meth:`Exercise.grade` turns any error a checker still lets
through into a message rather than a traceback.

Two settings, one checker. **Self-study** (the default) explains every wrong answer: "too large",
the slip behind a typical wrong value, why an option is wrong. That feedback narrows the answer down
(a number can be found by bisection), so in a **graded setting** a wrong answer only gets "not
correct", and only the messages about the *form* of an answer remain (text in quotes, a letter
expected, an iterator to wrap in ``list``), which say nothing about the value; :meth:`Exercise.solution`
then says that solutions are withheld. The student release and the nbgrader export of the
``classroom/`` folder turn it on with :func:`set_graded`; setting the environment variable
``CNN_COURSE_GRADED=1`` does the same for every notebook a process starts.

Each checker the factories make carries its *recipe* (:func:`recipe`): the factory call, with plain values only,
that builds a checker giving the same verdicts. The nbgrader export writes it into each exercise's hidden test, so
that grading compares the answer with a key of its own rather than calling ``qN.grade``, which an answer cell can
replace. This module imports nothing of the course, so a grading cell can load a fresh copy of it from its file.
"""

from __future__ import annotations

import math
import numbers
import os
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

NOT_ANSWERED = Ellipsis  # notebooks ship with `answer = ...`
GRADED_VARIABLE = "CNN_COURSE_GRADED"
_graded: bool | None = None  # set by set_graded(); None follows the environment variable


def set_graded(on: bool = True) -> None:
    """Turn the graded setting on (or off): feedback that does not narrow the answer down, solutions withheld.

    Called by the student release and the nbgrader export of ``classroom/``; overrides ``CNN_COURSE_GRADED``.
    """
    global _graded
    _graded = bool(on)


def is_graded() -> bool:
    """Whether checkers give graded feedback: :func:`set_graded`, or else ``CNN_COURSE_GRADED`` (1, true, yes)."""
    if _graded is not None:
        return _graded
    return os.environ.get(GRADED_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


def _plain(value: Any) -> Any:
    """``value`` with NumPy arrays and scalars turned into lists and Python numbers (tuples and dicts kept), so that
    its ``repr`` is Python code that gives it back."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return {_plain(key): _plain(item) for key, item in value.items()}
    return value


def _with_recipe(checker: Callable[[Any], None], factory: str, *arguments: Any, **options: Any):
    """Attach to ``checker`` the factory call that rebuilds it (see :func:`recipe`)."""
    checker.recipe = (factory, _plain(arguments), _plain(options))
    return checker


def recipe(checker: Callable[[Any], None]) -> tuple[str, tuple, dict] | None:
    """The call of this module that builds a checker with the same verdicts: ``("number", (260,), {"rel_tol":
    1e-09, "abs_tol": 0.0})`` for ``number(260, mistakes=...)``; plain values only, so that ``repr`` writes it as
    code. The messages about typical mistakes are left out (a grading cell needs the verdict only). None for a
    checker written by hand."""
    return getattr(checker, "recipe", None)


class Incorrect(Exception):
    """Raised by a checker: the answer is wrong, and the message says how.

    ``about_form`` marks a message that speaks of the kind of answer only (text instead of a number, an
    iterator, a letter expected), never of its value: the graded setting shows those and hides the others.
    """

    def __init__(self, message: str, *, about_form: bool = False):
        super().__init__(message)
        self.about_form = about_form


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
        """Judge an answer without printing: what :meth:`check` shows, as a :class:`Result`.

        Never raises: an answer the checker cannot read is graded wrong, with a message.
        """
        if answer is NOT_ANSWERED:
            return Result(False, f"{self.title}: not answered yet. Replace `...` with your answer "
                                 "and run the cell again.")
        try:
            self._checker(answer)
        except Incorrect as wrong:
            if is_graded() and not wrong.about_form:
                return Result(False, f"{self.title}: not correct. (Stuck? Call .hint().)")
            return Result(False, f"{self.title}: not quite. {_sentence(str(wrong))} (Stuck? Call .hint().)")
        except Exception as error:  # noqa: BLE001 - a learner's odd answer must never end in a traceback
            return Result(False, f"{self.title}: this answer cannot be checked ({_described(answer)}: "
                                 f"{type(error).__name__}). Look at the question for the form of answer "
                                 "expected. (Stuck? Call .hint().)")
        praise = f" {self._praise}" if self._praise else ""
        return Result(True, f"{self.title}: correct!{praise}")

    @property
    def recipe(self) -> tuple[str, tuple, dict] | None:
        """The factory call that builds a checker with this exercise's verdicts (see :func:`recipe`)."""
        return recipe(self._checker)

    def check(self, answer: Any) -> None:
        """Print whether ``answer`` is right, with a specific message when it is not."""
        print(self.grade(answer).message)

    def hint(self) -> None:
        """Print the hint."""
        print(f"Hint: {self._hint}")

    def solution(self) -> None:
        """Print the worked solution; in the graded setting, say that it is withheld."""
        if is_graded():
            print(f"{self.title}: solutions are withheld in this copy; your instructor shares them after "
                  "grading.")
            return
        print(f"Solution:\n{self._solution}")

    def __repr__(self) -> str:
        return f"Exercise({self.title!r})"


def _sentence(text: str) -> str:
    """``text`` starting with a capital, as a message after "not quite." should; code and numbers kept as written."""
    if re.match(r"[a-z]+[\s,;:]", text):
        return text[0].upper() + text[1:]
    return text


def _with_article(text: str) -> str:
    """``"an int 5"``, ``"a tuple (2, 570)"``: the article a type name needs when read aloud."""
    starts_with_vowel_sound = re.match(r"[aeio]|u(?!int|s)|nd", text, re.I) is not None
    return f"{'an' if starts_with_vowel_sound else 'a'} {text}"


def _described(value: Any) -> str:
    """``value`` named for a message: ``"an int 5"``, ``"a list [1]"``, and ``None`` as itself."""
    return "None" if value is None else _with_article(_describe(value))


def _describe(value: Any) -> str:
    """``type value``, short enough for a message, even for objects whose repr fails."""
    try:
        text = " ".join(repr(value).split())  # an array's repr spans lines; a message holds one
    except Exception:  # noqa: BLE001
        text = "(unprintable)"
    text = text if len(text) < 60 else text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _is_tensor_like(value: Any) -> bool:
    """A TensorFlow or Keras tensor (anything with a callable ``numpy`` method), not a NumPy array."""
    return not isinstance(value, np.ndarray) and callable(getattr(value, "numpy", None))


def _unwrap(value: Any) -> Any:
    """A tensor as a NumPy array; anything else unchanged."""
    if _is_tensor_like(value):
        try:
            return value.numpy()
        except Exception:  # noqa: BLE001 - a symbolic tensor has no value
            raise Incorrect(f"{_describe(value)} has no value yet: give a number or an array.",
                            about_form=True) from None
    return value


THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(,\d{3})+(\.\d*)?\s*")


def _is_thousands_tuple(answer: Any) -> bool:
    """Whether ``answer`` is what Python makes of a number typed with thousands commas: ``2,570`` is ``(2, 570)``.

    Each group after the first has three digits and no leading zero (``2,070`` does not even parse).
    """
    return (isinstance(answer, tuple) and len(answer) >= 2
            and all(isinstance(part, int) and not isinstance(part, bool) for part in answer)
            and 0 < abs(answer[0]) < 1000 and all(100 <= part < 1000 for part in answer[1:]))


def _wrong_kind(answer: Any, expected: str) -> Incorrect:
    """An :class:`Incorrect` for an answer of the wrong kind, naming the usual causes (a message about form)."""
    if isinstance(answer, (str, bytes)):
        text = answer.decode("utf-8", errors="replace") if isinstance(answer, bytes) else answer
        if expected == "a number" and THOUSANDS.fullmatch(text):
            digits = text.strip().replace(",", "")
            advice = f"write it without quotes and without commas, {digits} (or {text.strip().replace(',', '_')})"
        elif re.fullmatch(r"\s*[-+0-9.,eE()\[\] ]+\s*", text):
            advice = "remove the quotes"
        else:
            advice = "give the value itself, not text"
        return Incorrect(f"The answer should be {expected}, not the text {answer!r}: {advice}.", about_form=True)
    if expected == "a number" and _is_thousands_tuple(answer):
        typed = ",".join(str(part) for part in answer)
        count = {2: "two", 3: "three", 4: "four"}.get(len(answer), str(len(answer)))
        return Incorrect(f"Python reads {typed} as {count} numbers, the tuple {answer}: write the number "
                         f"without commas, {typed.replace(',', '')} (or {typed.replace(',', '_')}).",
                         about_form=True)
    if isinstance(answer, Iterator):
        return Incorrect(f"The answer should be {expected}, not a generator or iterator: wrap it in list(...).",
                         about_form=True)
    if callable(answer) and not isinstance(answer, type):
        return Incorrect(f"The answer should be {expected}, not a function: call it with its arguments.",
                         about_form=True)
    return Incorrect(f"The answer should be {expected}, but it is {_described(answer)}.",
                     about_form=True)


def _as_real(answer: Any) -> int | float:
    """A number answer as a Python int or float: NumPy scalars, one-element arrays and scalar tensors too."""
    answer = _unwrap(answer)
    if isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype.kind in "iuf":
        answer = answer.reshape(()).item()
    if isinstance(answer, np.generic):
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise _wrong_kind(answer, "a number")
    if isinstance(answer, numbers.Integral):
        return int(answer)
    answer = float(answer)
    if not math.isfinite(answer):
        raise Incorrect(f"{answer} is not a finite number: the answer is an ordinary number.", about_form=True)
    return answer


def number(expected: float, *, rel_tol: float = 1e-9, abs_tol: float = 0.0,
           mistakes: Mapping[float, str] | None = None) -> Callable[[Any], None]:
    """Checker for a numeric answer; ``mistakes`` maps typical wrong values to their explanation.

    Accepts ints, floats, NumPy scalars, one-element arrays and scalar tensors.
    """

    def close(a: int | float, b: float) -> bool:
        try:
            return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
        except OverflowError:  # an int too large for a float is close to nothing
            return False

    def checker(answer: Any) -> None:
        value = _as_real(answer)
        if close(value, expected):
            return
        for wrong, explanation in (mistakes or {}).items():
            if close(value, wrong):
                raise Incorrect(f"{_format_number(value)} is a common slip: {explanation}")
        direction = "too large" if value > expected else "too small"
        raise Incorrect(f"{_format_number(value)} is {direction}.")

    return _with_recipe(checker, "number", expected, rel_tol=rel_tol, abs_tol=abs_tol)


def _format_number(value: int | float) -> str:
    """``value`` as a learner would write it: 300,000,000 rather than 300000000.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = f"{value:,}"
    if len(text) < 40:
        return text
    if isinstance(value, int):
        return f"{'-' if value < 0 else ''}a number of {len(str(abs(value)))} digits"
    return f"{value:.3g}"


def _option_letter(answer: Any) -> str:
    """The letter in ``'b'``, ``' B '``, ``'b)'``, ``'(b)'``, ``'b.'`` or ``'option b'``."""
    if isinstance(answer, bytes):
        answer = answer.decode("utf-8", errors="replace")
    if isinstance(answer, np.str_):
        answer = str(answer)
    if not isinstance(answer, str):
        raise Incorrect("Answer with the option's letter as a string, e.g. 'a', not "
                        f"{_described(answer)}.", about_form=True)
    text = answer.strip().lower()
    text = re.sub(r"^(option|answer)\s+", "", text)
    return re.sub(r"^[\s()\[\]{}.:;,'\"*]+|[\s()\[\]{}.:;,'\"*]+$", "", text)


def choice(correct: str, options: Mapping[str, str]) -> Callable[[Any], None]:
    """Checker for a multiple-choice answer given as the option's letter.

    Case, spaces and the brackets or punctuation around a letter are ignored: ``'b'``, ``' B '``,
    ``'b)'`` and ``'(b)'`` all mean option b.

    Args:
        correct: the right option's letter.
        options: every option's letter mapped to why it is wrong (the right one's text is unused).
    """
    if correct not in options:
        raise ValueError(f"the correct option {correct!r} is not among the options {sorted(options)}")

    def checker(answer: Any) -> None:
        letter = _option_letter(answer)
        if letter not in options:
            raise Incorrect(f"{answer!r} is not an option: choose one of {', '.join(sorted(options))}.",
                            about_form=True)
        if letter != correct:
            raise Incorrect(options[letter])

    return _with_recipe(checker, "choice", correct, {letter: "" for letter in options})


def _as_shape(answer: Any) -> tuple[int | None, ...]:
    """A shape answer as a tuple of ints (None kept): tuples, lists, TensorShape, arrays, tensors."""
    as_list = getattr(answer, "as_list", None)
    if callable(as_list) and not isinstance(answer, (list, tuple)):  # tf.TensorShape
        try:
            answer = as_list()
        except ValueError:  # a shape of unknown rank
            raise Incorrect("That shape has an unknown number of dimensions.", about_form=True) from None
    answer = _unwrap(answer)
    if isinstance(answer, np.ndarray) and answer.ndim == 1 and answer.dtype.kind in "iu":
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)):
        raise _wrong_kind(answer, "a shape, a tuple of integers such as (2, 64, 64, 3)")
    dims = []
    for d in answer:
        if d is None:
            dims.append(None)
        elif isinstance(d, (bool, np.bool_)) or not isinstance(d, (numbers.Integral, np.integer)):
            raise Incorrect(f"A shape is a tuple of integers such as (2, 64, 64, 3), and {d!r} is not an "
                            f"integer (in {_describe(answer)}).", about_form=True)
        else:
            dims.append(int(d))
    return tuple(dims)


def shape(expected: Sequence[int | None], *,
          mistakes: Mapping[tuple[int | None, ...], str] | None = None) -> Callable[[Any], None]:
    """Checker for a tensor shape: a tuple or list of ints, a ``TensorShape``, an int array or tensor.

    ``None`` in ``expected`` matches anything. ``None`` in the answer where the size is known gets
    its own message (it is how ``model.summary()`` writes "any batch size"). ``mistakes`` maps
    typical wrong shapes to their explanation.
    """
    expected = tuple(expected)
    mistakes = {tuple(k): v for k, v in (mistakes or {}).items()}

    def checker(answer: Any) -> None:
        got = _as_shape(answer)
        if got in mistakes:
            raise Incorrect(mistakes[got])
        if len(got) != len(expected):
            raise Incorrect(f"{got} has {len(got)} dimensions; the tensor has {len(expected)}.")
        for axis, (have, want) in enumerate(zip(got, expected)):
            if want is not None and have is None:
                what = "the batch size" if axis == 0 else f"axis {axis}"
                raise Incorrect(f"None along axis {axis} means \"any size\", as model.summary() writes an "
                                f"unknown batch; here {what} is known: give it as a number.")
            if want is not None and have != want:
                size = "too large" if have > want else "too small"
                raise Incorrect(f"{got} is wrong along axis {axis}: {have} there is {size}.")

    return _with_recipe(checker, "shape", expected)


def _as_array(answer: Any) -> np.ndarray:
    """An array answer as a float array: lists, tuples, ranges, sets (sorted), arrays and tensors."""
    answer = _unwrap(answer)
    if isinstance(answer, (set, frozenset)):
        try:
            answer = sorted(answer)
        except TypeError:
            raise _wrong_kind(answer, "an array of numbers") from None
    if isinstance(answer, (str, bytes, Mapping, Iterator)) or (callable(answer) and not hasattr(answer, "__len__")):
        raise _wrong_kind(answer, "an array of numbers")
    try:
        got = np.asarray(answer)
        if got.dtype.kind not in "biuf":
            raise TypeError(got.dtype)
        got = got.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise Incorrect(f"The answer should be an array of numbers (a list such as [1, 2, 3], or a NumPy "
                        f"array), with rows of equal length, not {_described(answer)}.",
                        about_form=True) from None
    return got


def array(expected, *, atol: float = 1e-6, rtol: float = 1e-6,
          mistakes: Sequence[tuple[Any, str]] = ()) -> Callable[[Any], None]:
    """Checker for an array answer (NumPy array, list or tensor), compared with a tolerance.

    ``mistakes`` lists (wrong array, explanation) pairs for slips worth naming, such as a flipped kernel.
    Two slips are named for every array: a list one value too long or too short, and the right
    values in the wrong order.
    """
    expected = np.asarray(expected)

    def checker(answer: Any) -> None:
        got = _as_array(answer)
        for wrong, explanation in mistakes:
            wrong = np.asarray(wrong)
            if got.shape == wrong.shape and np.allclose(got, wrong, atol=atol, rtol=rtol):
                raise Incorrect(explanation)
        if got.shape != expected.shape:
            if got.ndim == expected.ndim == 1 and abs(got.size - expected.size) == 1:
                which = "one value too many" if got.size > expected.size else "one value too few"
                plural = "s" if got.size != 1 else ""
                raise Incorrect(f"The list has {got.size} value{plural}, {which}: it should have "
                                f"{expected.size}. Check the first and the last one.")
            raise Incorrect(f"The array has shape {got.shape}; it should have shape {expected.shape}.")
        if np.allclose(got, expected, atol=atol, rtol=rtol, equal_nan=False):
            return
        if np.allclose(np.sort(got, axis=None), np.sort(expected, axis=None), atol=atol, rtol=rtol):
            raise Incorrect("These are the right values, in the wrong order.")
        differ = ~np.isclose(got, expected, atol=atol, rtol=rtol)
        first = tuple(int(i) for i in np.argwhere(differ)[0])
        raise Incorrect(f"{int(differ.sum())} of {got.size} values differ, the first at index {first}.")

    return _with_recipe(checker, "array", expected, atol=atol, rtol=rtol)


def _names_used(code: types.CodeType) -> set[str]:
    """Every global, attribute and free name a function's code refers to, nested functions and lambdas included."""
    names = set(code.co_names) | set(code.co_freevars)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            names |= _names_used(constant)
    return names


def function(reference: Callable[..., Any] | Sequence[Any], cases: Sequence[tuple], *,
             forbidden: Mapping[str, str], slips: Sequence[tuple[Callable[..., Any], str]] = (),
             atol: float = 1e-6) -> Callable[[Any], None]:
    """Checker for an answer that is a function, such as a convolution written with loops.

    The learner's function is called on every case of ``cases`` (tuples of arguments) and must return
    what ``reference`` returns, as an array, within ``atol`` (``reference`` may also be the list of its outputs,
    one per case, as the checker's recipe gives them). ``forbidden`` maps the names of the library
    calls the exercise asks to reproduce (``correlate2d``) to why they are refused: a function whose code
    refers to one of them is refused before it runs, since it would only show that the library works.
    ``slips`` lists (function, explanation) pairs: a learner's function that agrees with one of them on
    every case gets its explanation, e.g. a kernel that was flipped.
    """

    def run(answer: Callable[..., Any], arguments: tuple) -> np.ndarray:
        shapes = ", ".join(f"{np.shape(argument)}" for argument in arguments)
        try:
            result = answer(*(np.array(argument) for argument in arguments))
        except Exception as error:  # noqa: BLE001 - the learner's function, reported as a message
            raise Incorrect(f"Your function raised {type(error).__name__} ({error}) on arguments of shapes "
                            f"{shapes}.", about_form=True) from None
        try:
            return _as_array(result)
        except Incorrect:
            raise Incorrect(f"Your function should return an array of numbers, but on arguments of shapes "
                            f"{shapes} it returned {_described(result)}.", about_form=True) from None

    def agrees(got: np.ndarray, want: np.ndarray) -> bool:
        return got.shape == want.shape and np.allclose(got, want, atol=atol, rtol=0)

    outputs = [reference(*arguments) for arguments in cases] if callable(reference) else reference
    expected = [np.asarray(output, dtype=float) for output in outputs]

    def checker(answer: Any) -> None:
        if not callable(answer) or isinstance(answer, type):
            raise Incorrect("The answer should be your function itself, its name without parentheses "
                            f"(answer = my_function), not {_described(answer)}.", about_form=True)
        code = getattr(answer, "__code__", None)
        if not isinstance(code, types.CodeType):
            raise Incorrect("The answer should be a function you wrote with def or lambda, not "
                            f"{_described(answer)}.", about_form=True)
        refused = sorted(_names_used(code) & set(forbidden))
        if refused:
            raise Incorrect(f"Your function calls {refused[0]}: {forbidden[refused[0]]}", about_form=True)
        results = [(run(answer, arguments), want) for arguments, want in zip(cases, expected)]
        if all(agrees(got, want) for got, want in results):
            return
        for slip, explanation in slips:
            if all(agrees(got, np.asarray(slip(*arguments), dtype=float))
                   for (got, _), arguments in zip(results, cases)):
                raise Incorrect(explanation)
        for (got, want), arguments in zip(results, cases):
            if not agrees(got, want):
                shapes = ", ".join(f"{np.shape(argument)}" for argument in arguments)
                if got.shape != want.shape:
                    raise Incorrect(f"On arguments of shapes {shapes} your function returns shape {got.shape}; "
                                    f"it should return shape {want.shape}.")
                wrong = int((~np.isclose(got, want, atol=atol, rtol=0)).sum())
                raise Incorrect(f"On arguments of shapes {shapes}, {wrong} of the {want.size} values your function "
                                "returns are wrong.")

    return _with_recipe(checker, "function", expected, cases, forbidden={name: "" for name in forbidden}, atol=atol)

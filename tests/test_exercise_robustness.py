"""No answer, however odd, makes an exercise checker raise: every exercise of every chapter is graded on a
battery of strange answers and must return a verdict with a message.

The chapters' exercise modules are found with ``pkgutil`` under ``cnn_course.exercises``, so a chapter
added later is covered without editing this file. Each module lists its exercises in ``EXERCISES``;
any other :class:`cnn_course.checks.Exercise` at module level is graded too.
"""

import decimal
import fractions
import importlib
import itertools
import pkgutil

import cnn_course  # noqa: F401  (quiet TensorFlow first)
import cnn_course.exercises
from cnn_course.checks import Exercise, Result

import numpy as np
import pytest
import tensorflow as tf


def exercise_modules():
    return [importlib.import_module(f"cnn_course.exercises.{info.name}")
            for info in pkgutil.iter_modules(cnn_course.exercises.__path__)]


def all_exercises():
    found = {}
    for module in exercise_modules():
        listed = list(getattr(module, "EXERCISES", []))
        others = [value for value in vars(module).values() if isinstance(value, Exercise)]
        for exercise in listed + others:
            found[f"{module.__name__.rsplit('.', 1)[1]}:{exercise.title}"] = exercise
    return found


EXERCISES = all_exercises()


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __len__(self):
        raise RuntimeError("no len")


def odd_answers():
    """A learner's worst: wrong types, odd numbers, odd containers, tensors, callables and iterators."""
    return {
        "None": None,
        "empty string": "",
        "text": "twenty",
        "digits as text": "18496",
        "letter with brackets": "(b)",
        "bytes": b"b",
        "True": True,
        "False": False,
        "zero": 0,
        "negative": -3,
        "huge int": 10**400,
        "negative huge int": -(10**400),
        "float": 2.5,
        "nan": float("nan"),
        "inf": float("inf"),
        "-inf": float("-inf"),
        "complex": 3 + 4j,
        "fraction": fractions.Fraction(1, 3),
        "decimal": decimal.Decimal("1.5"),
        "decimal nan": decimal.Decimal("NaN"),
        "empty list": [],
        "empty tuple": (),
        "list": [1, 2, 3],
        "nested list": [[1, 2], [3, 4]],
        "deeply nested list": [[[[1]]]],
        "ragged list": [[1, 2], [3]],
        "list with None": [None, 24, 24, 16],
        "list of strings": ["a", "b"],
        "list with nan": [float("nan")] * 4,
        "list with a huge int": [10**400, 1],
        "tuple with None": (None, 24, 24, 16),
        "tuple of floats": (8.0, 24.0, 24.0, 16.0),
        "dict": {"answer": 1},
        "set": {1, 2, 3},
        "set of mixed types": {1, "a"},
        "frozenset": frozenset({21, 22}),
        "range": range(5),
        "generator": (i for i in range(3)),
        "infinite iterator": itertools.count(),
        "map": map(int, "123"),
        "function": len,
        "lambda": lambda x: x,
        "class": int,
        "object": object(),
        "broken repr": BrokenRepr(),
        "Ellipsis in a list": [...],
        "numpy int": np.int64(7),
        "numpy float": np.float32(0.5),
        "numpy bool": np.bool_(True),
        "numpy nan": np.float64("nan"),
        "numpy 0-d array": np.array(5),
        "numpy empty array": np.array([]),
        "numpy 3-D array": np.zeros((2, 3, 4)),
        "numpy string array": np.array(["a", "b"]),
        "numpy object array": np.array([1, "a", None], dtype=object),
        "numpy complex array": np.array([1 + 1j, 2]),
        "numpy datetime": np.datetime64("2024-01-01"),
        "numpy str": np.str_("b"),
        "scalar tensor": tf.constant(3.0),
        "int tensor": tf.constant([8, 24, 24, 16]),
        "string tensor": tf.constant("b"),
        "bool tensor": tf.constant([True, False]),
        "variable": tf.Variable([1.0, 2.0]),
        "TensorShape": tf.TensorShape([8, 24, 24, 16]),
        "TensorShape with None": tf.TensorShape([None, 24, 24, 16]),
        "TensorShape of unknown rank": tf.TensorShape(None),
        "ragged tensor": tf.ragged.constant([[1, 2], [3]]),
        "sparse tensor": tf.sparse.from_dense([[0, 1], [2, 0]]),
        "exception": ValueError("oops"),
        "slice": slice(1, 3),
        "type of None": type(None),
    }


ODD = odd_answers()


def test_every_chapter_module_is_discovered():
    names = {module.__name__.rsplit(".", 1)[1] for module in exercise_modules()}
    assert {"visual_cortex", "convolution", "padding", "strides"} <= names
    assert len(EXERCISES) >= 19


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_an_unanswered_exercise_waits_and_helps(name, capsys):
    """The `...` a notebook starts with is waited for, not marked wrong; the hint and the solution print."""
    exercise = EXERCISES[name]
    result = exercise.grade(...)
    assert not result.correct and "not answered yet" in result.message, result.message
    exercise.hint()
    exercise.solution()
    printed = capsys.readouterr().out
    assert printed.startswith("Hint: ") and "\nSolution:\n" in printed, printed


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_no_odd_answer_makes_a_checker_raise(name):
    exercise = EXERCISES[name]
    for label, answer in odd_answers().items():  # fresh iterators for every exercise
        try:
            result = exercise.grade(answer)
        except Exception as error:  # noqa: BLE001 - this is what the test hunts for
            pytest.fail(f"{name} raised {type(error).__name__} on {label}: {error}")
        assert isinstance(result, Result), label
        assert isinstance(result.message, str) and result.message.strip(), label
        assert exercise.title in result.message, label


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_odd_answers_are_never_accepted_by_accident(name):
    """The battery holds a few plausible values; a checker must not accept the clearly meaningless ones."""
    meaningless = ["None", "empty string", "text", "nan", "inf", "-inf", "dict", "function", "lambda", "class",
                   "object", "broken repr", "generator", "infinite iterator", "exception", "slice"]
    exercise = EXERCISES[name]
    fresh = odd_answers()
    for label in meaningless:
        assert not exercise.grade(fresh[label]).correct, f"{name} accepted {label}"


VALUE_CLUES = ("too large", "too small", "common slip", "values differ", "wrong order", "along axis", "value too",
               "dimensions; the tensor has", "should have shape", "values your function returns are wrong")


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_graded_feedback_gives_no_clue_to_the_value(name, monkeypatch):
    """In the graded setting no answer, odd or plausible, learns how far it is from the right one."""
    from cnn_course import checks

    monkeypatch.setattr(checks, "_graded", True)
    exercise = EXERCISES[name]
    for label, answer in odd_answers().items():
        message = exercise.grade(answer).message
        assert not any(clue in message for clue in VALUE_CLUES), f"{name}, {label}: {message}"

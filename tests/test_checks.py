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
    assert "not quite. Odd numbers cannot" in ex.grade(3).message  # a sentence after "not quite." has a capital


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
    assert ex.grade(expected[::-1, ::-1]).message.endswith("The kernel was flipped. (Stuck? Call .hint().)")
    assert "shape (2, 2)" in ex.grade(np.zeros((2, 2))).message
    wrong = expected.copy()
    wrong[1, 2] = -1
    assert "1 of 9 values differ, the first at index (1, 2)" in ex.grade(wrong).message
    assert "array of numbers" in ex.grade("nine").message


# --- answers written the way learners write them --------------------------------------------------

def test_number_accepts_numpy_scalars_and_scalar_tensors():
    import tensorflow as tf

    ex = exercise(checks.number(300.0, rel_tol=1e-3))
    for right in (300, 300.0, np.float32(300), np.int32(300), np.array(300), tf.constant(300.0), tf.constant([300])):
        assert ex.grade(right).correct, right


@pytest.mark.parametrize(("odd", "fragment"), [
    ("300", "remove the quotes"),
    (float("nan"), "not a finite number"),
    (float("inf"), "not a finite number"),
    (10**400, "too large"),
    (-10**400, "too small"),
    (iter([300]), "list(...)"),
    (len, "call it"),
    (True, "should be a number"),
    (300 + 0j, "should be a number"),
])
def test_number_explains_odd_answers(odd, fragment):
    result = exercise(checks.number(300.0)).grade(odd)
    assert not result and fragment in result.message, result.message


@pytest.mark.parametrize("right", ["b", " B ", "b)", "(b)", "b.", "[b]", "'b'", "option b", b"b", np.str_("b")])
def test_choice_accepts_the_letter_however_it_is_dressed(right):
    ex = exercise(checks.choice("b", {"a": "no.", "b": "", "c": "no."}))
    assert ex.grade(right).correct, right


def test_shape_accepts_tensor_shapes_arrays_and_numpy_ints():
    import tensorflow as tf

    ex = exercise(checks.shape((8, 24, 24, 16)))
    for right in (tf.TensorShape([8, 24, 24, 16]), tf.zeros((8, 24, 24, 16)).shape, np.array([8, 24, 24, 16]),
                  tf.constant([8, 24, 24, 16]), (np.int64(8), 24, 24, np.int32(16))):
        assert ex.grade(right).correct, right


def test_shape_gives_a_specific_message_for_a_none_batch():
    result = exercise(checks.shape((8, 24, 24, 16))).grade((None, 24, 24, 16))
    assert not result and "None" in result.message and "batch size" in result.message


@pytest.mark.parametrize("odd", [[[8, 24], [24, 16]], [8, 24.5, 24, 16], [8, "24", 24, 16], {8, 24, 16},
                                 {"batch": 8}, [True, 24, 24, 16]])
def test_shape_rejects_odd_answers_with_a_message(odd):
    result = exercise(checks.shape((8, 24, 24, 16))).grade(odd)
    assert not result and "not quite" in result.message


def test_shape_names_typical_wrong_shapes():
    ex = exercise(checks.shape((8, 24, 24, 16), mistakes={(24, 24, 16): "the batch axis stays."}))
    assert "batch axis stays" in ex.grade([24, 24, 16]).message


def test_array_names_a_list_one_too_long_or_short_and_the_wrong_order():
    ex = exercise(checks.array([9, 10, 11, 12]))
    assert "one value too few" in ex.grade([9, 10, 11]).message
    assert "one value too many" in ex.grade([8, 9, 10, 11, 12]).message
    assert "wrong order" in ex.grade([12, 11, 10, 9]).message
    assert ex.grade(range(9, 13)).correct and ex.grade({12, 11, 10, 9}).correct


@pytest.mark.parametrize(("odd", "fragment"), [
    ([[1, 2], [3]], "rows of equal length"),
    ({"a": 1}, "array of numbers"),
    ((x for x in range(4)), "list(...)"),
    ([None, 1, 2, 3], "array of numbers"),
    ([10**400, 1, 2, 3], "array of numbers"),
])
def test_array_explains_odd_answers(odd, fragment):
    result = exercise(checks.array([9, 10, 11, 12])).grade(odd)
    assert not result and fragment in result.message, result.message


def test_grade_never_raises_even_when_a_checker_does():
    def fragile(answer):
        return 1 / answer

    result = exercise(fragile).grade(0)
    assert not result and "cannot be checked" in result.message and "ZeroDivisionError" in result.message


# --- wording ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("odd", "phrase"), [
    (5, "not an int 5"), (0.5, "not a float 0.5"), ([1], "not a list [1]"), (np.zeros(2), "not an ndarray"),
    ((1, 2), "not a tuple (1, 2)"), (range(2), "not a range range(0, 2)"), (object(), "not an object"),
])
def test_type_names_take_the_right_article(odd, phrase):
    message = exercise(checks.choice("a", {"a": "", "b": "no."})).grade(odd).message
    assert phrase in message, message


def test_number_message_reads_a_list_with_an_article():
    assert "but it is a list [1]" in exercise(checks.number(1)).grade([1]).message


def test_a_number_typed_with_thousands_commas_is_explained_in_quotes_and_out():
    ex = exercise(checks.number(2570))
    quoted = ex.grade("2,570").message
    assert "without quotes and without commas, 2570" in quoted and "remove the quotes" not in quoted
    unquoted = ex.grade((2, 570)).message  # what Python makes of 2,570
    assert "Python reads 2,570 as two numbers" in unquoted and "2570" in unquoted and "2_570" in unquoted
    assert "Python reads" in exercise(checks.number(1_234_567)).grade((1, 234, 567)).message
    assert "Python reads" not in ex.grade((8, 24)).message  # 8,24 is not a number with a thousands comma
    assert "remove the quotes" in ex.grade("2570").message


@pytest.mark.parametrize(("explanation", "shown"), [
    ("the kernel was flipped.", "The kernel was flipped."),
    ("'same' pads with zeros.", "'same' pads with zeros."),
    ("tf.pad takes one row per axis.", "tf.pad takes one row per axis."),
    ("[2, 3] means 2 before.", "[2, 3] means 2 before."),
])
def test_explanations_start_as_sentences_and_code_keeps_its_case(explanation, shown):
    ex = exercise(checks.choice("a", {"a": "", "b": explanation}))
    assert f"not quite. {shown} (Stuck?" in ex.grade("b").message


# --- the graded setting -------------------------------------------------------------------------------

@pytest.fixture
def graded(monkeypatch):
    monkeypatch.setattr(checks, "_graded", None)
    checks.set_graded(True)
    yield
    checks.set_graded(False)
    monkeypatch.setattr(checks, "_graded", None)


def test_self_study_is_the_default_and_the_environment_variable_turns_grading_on(monkeypatch):
    monkeypatch.setattr(checks, "_graded", None)
    monkeypatch.delenv(checks.GRADED_VARIABLE, raising=False)
    assert not checks.is_graded()
    monkeypatch.setenv(checks.GRADED_VARIABLE, "1")
    assert checks.is_graded()
    checks.set_graded(False)  # an explicit call wins over the environment
    assert not checks.is_graded()


def test_graded_numbers_say_not_correct_without_direction_or_slip(graded):
    ex = exercise(checks.number(20_000_000, mistakes={100_000: "the image has 200 x 200 pixels."}))
    for wrong in (1, 30_000_000, 100_000):
        message = ex.grade(wrong).message
        assert message == "Qx: not correct. (Stuck? Call .hint().)", message
    assert ex.grade(20_000_000).correct


def test_graded_bisection_learns_nothing(graded):
    """Every wrong value gets the same message, so no sequence of guesses narrows the answer down."""
    ex = exercise(checks.number(20_000_000))
    assert len({ex.grade(guess).message for guess in range(0, 40_000_000, 1_000_003)}) == 1


def test_graded_shapes_arrays_and_choices_hide_what_is_wrong(graded):
    shape = exercise(checks.shape((8, 24, 24, 16), mistakes={(24, 24, 16): "the batch axis stays."}))
    array = exercise(checks.array([9, 10, 11, 12]))
    choice = exercise(checks.choice("b", {"a": "a is about dense layers.", "b": "", "c": "no."}))
    for ex, wrong in [(shape, (24, 24, 16)), (shape, (8, 24, 24, 3)), (shape, (None, 24, 24, 16)),
                      (array, [12, 11, 10, 9]), (array, [9, 10, 11]), (array, [9, 10, 11, 13]), (choice, "a")]:
        assert ex.grade(wrong).message == "Qx: not correct. (Stuck? Call .hint().)", (wrong, ex.grade(wrong))


def test_graded_keeps_messages_about_the_form_of_an_answer(graded):
    number = exercise(checks.number(2570))
    assert "without quotes and without commas" in number.grade("2,570").message
    assert "Python reads 2,570" in number.grade((2, 570)).message
    assert "list(...)" in number.grade(iter([1])).message
    assert "not answered yet" in number.grade(...).message
    choice = exercise(checks.choice("b", {"a": "no.", "b": ""}))
    assert "choose one of a, b" in choice.grade("z").message
    assert "letter as a string" in choice.grade(2).message


def test_graded_solutions_are_withheld(graded, capsys):
    ex = exercise(checks.number(42))
    ex.solution()
    ex.hint()
    printed = capsys.readouterr().out
    assert "withheld" in printed and "answer = 42" not in printed and "Hint: think of the pixels" in printed


# --- a function the learner writes --------------------------------------------------------------------

def add_one(x):
    return np.asarray(x) + 1


def function_exercise():
    return exercise(checks.function(add_one, [([1, 2],), ([[3, 4], [5, 6]],)],
                                    forbidden={"add": "add it yourself."},
                                    slips=[(lambda x: np.asarray(x) - 1, "that subtracts one.")]))


def test_function_accepts_a_function_that_agrees_on_every_case():
    assert function_exercise().grade(lambda x: x + 1).correct
    assert not function_exercise().grade(lambda x: x * 0 + 2).correct  # right on [1, 2]'s first value only


def test_function_refuses_forbidden_calls_even_in_nested_code():
    def nested(x):
        return (lambda y: np.add(y, 1))(x)

    assert "calls add: add it yourself." in function_exercise().grade(nested).message


def test_function_names_slips_and_errors():
    ex = function_exercise()
    assert "subtracts one" in ex.grade(lambda x: x - 1).message
    assert "raised ZeroDivisionError" in ex.grade(lambda x: 1 // 0).message
    assert "should return an array of numbers" in ex.grade(lambda x: "two").message
    assert "your function itself" in ex.grade(add_one([1, 2])).message
    assert "a function you wrote" in ex.grade(np.sum).message


def test_none_is_named_as_itself():
    message = exercise(checks.number(5)).grade(None).message
    assert "but it is None." in message and "NoneType" not in message


# ---- Recipes: the key a grading cell rebuilds a checker from (classroom/nbgrader_export writes it into hidden tests).

def course_exercises():
    import importlib
    import pkgutil

    import cnn_course.exercises

    found = {}
    for info in pkgutil.iter_modules(cnn_course.exercises.__path__):
        module = importlib.import_module(f"cnn_course.exercises.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Exercise):
                found[f"{info.name}:{value.title}"] = value
    return found


COURSE_EXERCISES = course_exercises()


def rebuilt(exercise_):
    factory, arguments, options = exercise_.recipe
    assert eval(repr(exercise_.recipe)) == exercise_.recipe, "a recipe is written into a cell as Python code"
    return Exercise("rebuilt", getattr(checks, factory)(*arguments, **options), "", "")


def answers_for(recipe):
    """The right answer a recipe implies, then wrong ones near it and of other kinds."""
    factory, arguments, options = recipe
    odd = [None, "", "b", 3, 0.5, [1, 2], (2, 3), np.zeros(3), lambda *a: 0]
    if factory == "number":
        value = arguments[0]
        return value, [value + 1, value * 1.01, -value, str(value), [value], np.float32(value) * 2, *odd]
    if factory == "choice":
        right, options_ = arguments
        return right, [f"({right.upper()})", f" {right} ", *(letter for letter in options_ if letter != right), *odd]
    if factory == "shape":
        right = tuple(arguments[0])
        known = [axis for axis, size in enumerate(right) if size is not None]
        wrong = list(right)
        wrong[known[-1]] += 1
        return right, [list(right), tuple(wrong), right[:-1], np.array([d or 1 for d in right]), *odd]
    if factory == "array":
        right = np.asarray(arguments[0])
        return right.tolist(), [right + 1, right[::-1], right * 0, right.ravel()[:-1], right.tolist(), *odd]
    if factory == "function":
        outputs, cases = arguments
        table = {repr(np.asarray(case[0]).tolist()): output for case, output in zip(cases, outputs)}

        def looked_up(*arguments_):
            return np.asarray(table[repr(np.asarray(arguments_[0]).tolist())])

        return looked_up, [lambda *a: np.zeros((2, 2)), lambda *a: -looked_up(*a), lambda *a: looked_up(*a).T, *odd]
    raise AssertionError(f"a recipe of an unknown factory: {factory}")


@pytest.mark.parametrize("name", sorted(COURSE_EXERCISES))
def test_every_exercise_has_a_recipe_that_rebuilds_the_same_verdicts(name):
    exercise_ = COURSE_EXERCISES[name]
    assert exercise_.recipe is not None, f"{name}: a hand-written checker leaves nbgrader's hidden test no key"
    copy = rebuilt(exercise_)
    right, wrong = answers_for(exercise_.recipe)
    assert copy.grade(right).correct and exercise_.grade(right).correct, f"{name}: the recipe's right answer"
    for answer in wrong:
        assert copy.grade(answer).correct == exercise_.grade(answer).correct, (name, answer)
    assert not all(copy.grade(answer).correct for answer in wrong)


def test_a_recipe_holds_plain_values_and_leaves_the_messages_out():
    assert checks.recipe(checks.number(np.float64(2.5), mistakes={3: "off by one"})) == \
        ("number", (2.5,), {"rel_tol": 1e-9, "abs_tol": 0.0})
    assert checks.recipe(checks.choice("b", {"a": "why not a", "b": ""})) == ("choice", ("b", {"a": "", "b": ""}), {})
    assert checks.recipe(checks.shape([None, np.int64(4)])) == ("shape", ((None, 4),), {})
    assert checks.recipe(checks.array(np.eye(2), atol=0.1)) == ("array", ([[1.0, 0.0], [0.0, 1.0]],),
                                                                {"atol": 0.1, "rtol": 1e-6})
    assert checks.recipe(lambda answer: None) is None


def test_a_function_checker_from_its_outputs_judges_as_the_one_from_its_reference():
    cases = [(np.arange(4.0),), (np.ones(3),)]
    original = checks.function(np.cumsum, cases, forbidden={"cumsum": "write the loop"})
    factory, arguments, options = checks.recipe(original)
    assert factory == "function" and arguments[0] == [[0.0, 1.0, 3.0, 6.0], [1.0, 2.0, 3.0]]
    copy = checks.function(*arguments, **options)

    def by_hand(x):
        total, out = 0.0, []
        for value in x:
            total += value
            out.append(total)
        return out

    def by_library(x):
        return np.cumsum(x)

    for answer, right in ((by_hand, True), (lambda x: x, False), (by_library, False)):
        assert exercise(copy).grade(answer).correct is right
        assert exercise(original).grade(answer).correct is right

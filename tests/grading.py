"""What the exercise tests ask of a checker: accept an answer, or refuse it with a named explanation."""


def accepted(exercise, answer) -> bool:
    """Whether the exercise grades ``answer`` as right."""
    return exercise.grade(answer).correct


def rejected_with(exercise, answer, fragment: str) -> None:
    """Assert that the exercise refuses ``answer`` and that its message contains ``fragment``."""
    result = exercise.grade(answer)
    assert not result.correct, f"{exercise.title} accepted {answer!r}"
    assert fragment in result.message, result.message

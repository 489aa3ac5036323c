"""Run-time settings shared by every chapter: the training mode, seeding and a quiet TensorFlow.

Two modes run the same notebook code. ``full`` (the default) trains as the text describes; ``quick``
(tests, CI, a short classroom run) trains on small subsets for few epochs. The mode comes from the
environment variable ``CNN_COURSE_MODE`` and notebooks ask :func:`by_mode` for their sizes, so no
notebook carries an ``if quick:`` of its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import sys
from typing import TypeVar

MODE_VARIABLE = "CNN_COURSE_MODE"
DEFAULT_SEED = 42
# Live progress bars while training: on for a person at a notebook or a terminal; `make execute`, the tests
# and CI set it to "off", so that stored outputs keep one line per epoch.
PROGRESS_VARIABLE = "CNN_COURSE_PROGRESS"

T = TypeVar("T")


def _environment_choice(variable: str, choices: dict[str, str]) -> str:
    """The value of ``variable``, one of ``choices`` (the first when unset), read each time it is asked for.

    ``choices`` maps each accepted value to what it means, for the message of a wrong value.

    Raises:
        ValueError: the variable holds something else; the message lists the accepted values.
    """
    default = next(iter(choices))
    value = os.environ.get(variable, default).strip().lower() or default
    if value not in choices:
        accepted = " or ".join(f"{name!r} ({meaning})" for name, meaning in choices.items())
        raise ValueError(f"{variable}={value!r} is not a setting of this course; use {accepted}.")
    return value


def mode() -> str:
    """The current mode, read from ``CNN_COURSE_MODE`` each time (``full`` when unset).

    Raises:
        ValueError: the variable holds something other than ``full`` or ``quick``.
    """
    return _environment_choice(MODE_VARIABLE, {"full": "train as the text describes",
                                               "quick": "small subsets, few epochs"})


def is_quick() -> bool:
    """True in quick mode (tests, CI, a short classroom run)."""
    return mode() == "quick"


def by_mode(*, full: T, quick: T) -> T:
    """Pick the value for the current mode, e.g. ``epochs = by_mode(full=10, quick=1)``."""
    return quick if is_quick() else full


def live_progress() -> bool:
    """Whether :func:`cnn_course.training.train` shows live progress bars (``CNN_COURSE_PROGRESS``, default on).

    A kernel started by ``make execute`` or nbval looks like any other kernel, so the display is switched by
    an explicit setting rather than guessed: whoever stores or compares outputs sets ``CNN_COURSE_PROGRESS=off``.

    Raises:
        ValueError: the variable holds something other than ``on`` or ``off``.
    """
    return _environment_choice(PROGRESS_VARIABLE, {"on": "live progress bars while training",
                                                   "off": "one line per epoch, for stored outputs"}) == "on"


@contextlib.contextmanager
def _stderr_muted():
    """Silence file descriptor 2 (where TensorFlow's C++ code writes), then restore it."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def quiet_tensorflow() -> None:
    """Import TensorFlow without the C++ log lines it writes to stderr, with the right kernels for the mode.

    Those lines ("oneDNN custom operations are on", "Could not find cuda drivers", ...) say nothing a
    learner needs, land in stored notebook outputs and make nbval fail. ``TF_CPP_MIN_LOG_LEVEL=3``
    stops most of them, but TensorFlow 2.21 prints a few before its logging is initialised, so the
    import itself runs with stderr muted.

    oneDNN's fast CPU kernels (TensorFlow's default on x86) train about twice as fast, but may change
    the last digits of float results from one CPU to another. Full mode, where learners train for
    real, keeps them; quick mode (tests, CI) turns them off with ``TF_ENABLE_ONEDNN_OPTS=0`` so that
    the runs that compare stored outputs compute the same floats everywhere. Both variables keep any
    value already set. TensorFlow's own Python warnings (such as "triggered tf.function retracing"
    when a model predicts batches of several sizes) are silenced too: they concern its internals.
    Call it before anything imports TensorFlow or Keras; ``import cnn_course`` does.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if is_quick():
        os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    if "tensorflow" not in sys.modules:
        with _stderr_muted():
            import tensorflow  # noqa: F401
    # TensorFlow's Python warnings (retracing of predict functions, ...) concern its internals.
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


def onednn_enabled() -> bool:
    """Whether TensorFlow uses oneDNN's fast CPU kernels in this process (chapter 7 reports it)."""
    return os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1").strip().lower() not in ("0", "false")


def seed_everything(seed: int = DEFAULT_SEED, *, deterministic: bool = True) -> None:
    """Seed Python, NumPy and TensorFlow so that a notebook gives the same numbers on every run.

    Call it before building each model: ``keras.utils.set_random_seed`` resets the three generators,
    and with ``deterministic=True`` TensorFlow also picks deterministic kernels (slower on a GPU,
    free on a CPU). ``clear_session`` resets layer-name counters so ``model.summary()`` is stable.
    """
    import keras
    import tensorflow as tf

    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)
    if deterministic:
        tf.config.experimental.enable_op_determinism()


def describe_devices() -> str:
    """Say in words which devices TensorFlow will use, with a hint when no GPU is found."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        return f"{len(gpus)} GPU(s): " + ", ".join(gpu.name for gpu in gpus)
    return "CPU only (no GPU found: every chapter runs on a CPU, training just takes longer)"


def banner() -> str:
    """One line a notebook prints at the top: mode, versions and devices, for bug reports."""
    from cnn_course import __version__

    import keras
    import tensorflow as tf

    kernels = "oneDNN on" if onednn_enabled() else "oneDNN off"
    return (
        f"cnn_course {__version__} | mode: {mode()} | Python {platform.python_version()}, "
        f"TensorFlow {tf.__version__}, Keras {keras.__version__} | {describe_devices()}, {kernels}"
    )

import os
import subprocess
import sys

from cnn_course import settings

import numpy as np
import pytest
import tensorflow as tf


@pytest.mark.parametrize(("value", "expected"), [(None, "full"), ("", "full"), ("quick", "quick"),
                                                  (" Quick ", "quick"), ("FULL", "full")])
def test_mode_reads_the_environment_each_time(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv(settings.MODE_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(settings.MODE_VARIABLE, value)
    assert settings.mode() == expected
    assert settings.is_quick() == (expected == "quick")


def test_an_unknown_mode_is_refused_with_the_valid_ones_named(monkeypatch):
    monkeypatch.setenv(settings.MODE_VARIABLE, "fast")
    with pytest.raises(ValueError, match="'full'.*'quick'"):
        settings.mode()


def test_by_mode_picks_the_value_of_the_current_mode(monkeypatch):
    monkeypatch.setenv(settings.MODE_VARIABLE, "quick")
    assert settings.by_mode(full=10, quick=1) == 1
    monkeypatch.setenv(settings.MODE_VARIABLE, "full")
    assert settings.by_mode(full=10, quick=1) == 10


def test_seed_everything_makes_numpy_and_tensorflow_repeat():
    def draw():
        settings.seed_everything(7)
        return np.random.rand(3), tf.random.uniform([3]).numpy()

    first, second = draw(), draw()
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_banner_names_mode_versions_and_devices(monkeypatch):
    monkeypatch.setenv(settings.MODE_VARIABLE, "quick")
    line = settings.banner()
    assert "mode: quick" in line
    assert f"TensorFlow {tf.__version__}" in line
    assert "CPU" in line or "GPU" in line
    assert "\n" not in line


@pytest.mark.parametrize(("mode", "onednn"), [("full", True), ("quick", False)])
def test_importing_the_package_keeps_tensorflow_quiet_with_fast_kernels_in_full_mode_only(mode, onednn):
    """A fresh interpreter that imports cnn_course, then trains a step, writes nothing to stderr.

    Full mode keeps oneDNN's fast kernels for learners; quick mode, which compares stored outputs, turns
    them off so that floats do not depend on the CPU.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS")}
    env[settings.MODE_VARIABLE] = mode
    code = (
        "import cnn_course, os, keras, numpy as np\n"
        "from cnn_course.settings import onednn_enabled\n"
        "model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(),"
        " keras.layers.Dense(1)])\n"
        "model.compile(optimizer='sgd', loss='mse')\n"
        "model.fit(np.ones((4, 8, 8, 1)), np.ones(4), verbose=0)\n"
        "print(onednn_enabled(), os.environ.get('TF_ENABLE_ONEDNN_OPTS'))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ([str(onednn), "None"] if onednn else [str(onednn), "0"])
    assert run.stderr == ""


def test_a_learner_can_still_choose_the_kernels(monkeypatch):
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")
    assert not settings.onednn_enabled()
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "1")
    assert settings.onednn_enabled()


def test_tensorflow_python_warnings_are_silenced():
    import logging

    assert logging.getLogger("tensorflow").level == logging.ERROR


def test_live_progress_is_on_unless_switched_off(monkeypatch):
    from cnn_course.settings import PROGRESS_VARIABLE, live_progress

    monkeypatch.delenv(PROGRESS_VARIABLE, raising=False)
    assert live_progress()
    monkeypatch.setenv(PROGRESS_VARIABLE, " OFF ")
    assert not live_progress()
    monkeypatch.setenv(PROGRESS_VARIABLE, "quiet")
    with pytest.raises(ValueError, match="use 'on'"):
        live_progress()

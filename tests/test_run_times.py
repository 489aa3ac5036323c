"""The timing file: recording replaces one notebook's entry and keeps the others; the package ships it."""

import json

from cnn_course import run_times

import pytest


def test_record_replaces_one_entry_and_keeps_the_others(tmp_path):
    timing_file = tmp_path / "run_times.json"
    machine = {"cpu": "test CPU", "cores": 2}
    run_times.record("chapters/01_visual_cortex.ipynb", "full", 40.4, timing_file, how="first", machine=machine)
    run_times.record("chapters/02_convolution.ipynb", "full", 50, timing_file, how="second", machine=machine)
    run_times.record("chapters/01_visual_cortex.ipynb", "quick", 9, timing_file, how="quick", machine=machine)
    run_times.record("chapters/01_visual_cortex.ipynb", "full", 61.6, timing_file, how="again", machine=machine,
                     date="2030-01-02")

    notebooks = json.loads(timing_file.read_text())["notebooks"]
    assert notebooks["01_visual_cortex"]["full"] == {"seconds": 62, "date": "2030-01-02", "machine": machine,
                                                     "how": "again"}
    assert notebooks["01_visual_cortex"]["quick"]["seconds"] == 9
    assert notebooks["02_convolution"]["full"]["seconds"] == 50


def test_record_refuses_an_unknown_setting(tmp_path):
    with pytest.raises(ValueError, match="full, quick, colab"):
        run_times.record("x.ipynb", "gpu", 1, tmp_path / "t.json", how="")


def test_copy_takes_one_setting_and_leaves_the_rest(tmp_path):
    test_run, committed = tmp_path / "quick.json", tmp_path / "committed.json"
    run_times.record("a.ipynb", "quick", 5, test_run, how="test run", machine={})
    run_times.record("a.ipynb", "full", 500, test_run, how="not to copy", machine={})
    run_times.record("a.ipynb", "full", 600, committed, how="make execute", machine={})
    run_times.record("b.ipynb", "quick", 7, committed, how="older test run", machine={})

    assert run_times.copy_setting(test_run, "quick", committed) == ["a"]
    notebooks = run_times.load(committed)["notebooks"]
    assert notebooks["a"]["quick"] == run_times.load(test_run)["notebooks"]["a"]["quick"]
    assert notebooks["a"]["full"]["seconds"] == 600
    assert notebooks["b"]["quick"]["seconds"] == 7


def test_the_machine_is_named_with_the_versions_a_time_depends_on():
    machine = run_times.this_machine()
    assert set(machine) == {"cpu", "cores", "os", "python", "tensorflow", "keras"}
    assert machine["tensorflow"] and machine["keras"] and machine["cores"] >= 1


def test_the_package_ships_the_timing_file():
    assert run_times.packaged_file().is_file()
    assert "notebooks" in run_times.load()

import sys

from cnn_course.benchmarking import ModelCost, comparison_table, describe_machine, memory_mb, peak_memory

import numpy as np
import pytest


def test_peak_memory_sees_what_the_block_allocated_and_not_what_came_before():
    earlier = np.ones(150 * 2**20 // 8)  # 150 MB allocated before the block
    with peak_memory() as memory:
        inside = np.ones(200 * 2**20 // 8)  # 200 MB inside it
        inside[::4096] = 2.0
        del inside
    assert earlier.sum() > 0
    if sys.platform.startswith("linux"):
        assert 150 <= memory.added_mb < 300
    assert memory.peak_mb >= memory.before_mb > 0


def test_memory_readings_are_positive_megabytes():
    assert 0 < memory_mb("VmRSS") <= memory_mb("VmHWM") < 1e6


def test_the_table_lists_each_model_and_the_time_ratio():
    rows = [ModelCost("reference", 1_413_834, 10, 3600.0, 2100.4, 800.6, 0.9123),
            ModelCost("compact", 70_746, 12, 540.0, 1500.0, 300.0, 0.9251)]
    lines = comparison_table(rows).splitlines()
    assert lines[0].split() == ["model", "parameters", "epochs", "s/epoch", "train", "s", "peak", "MB", "+",
                                "training", "MB", "test", "acc."]
    assert lines[1].split() == ["reference", "1,413,834", "10", "360.0", "3600.0", "2100", "801", "0.9123"]
    assert lines[2].split() == ["compact", "70,746", "12", "45.0", "540.0", "1500", "300", "0.9251"]
    assert lines[3] == "compact / reference training time: 0.150 (6.7 times faster)"
    assert rows[1].seconds_per_epoch == pytest.approx(45.0)


def test_a_single_row_has_no_ratio():
    assert len(comparison_table([ModelCost("compact", 10, 1, 1.0, 1.0, 0.0, 0.5)]).splitlines()) == 2


def test_the_machine_is_described_with_its_cores_and_python():
    description = describe_machine()
    assert "cores" in description and "Python" in description

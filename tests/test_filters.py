from cnn_course.filters import gabor_filters, line_filters, low_frequency_share, oriented_bar, to_grayscale

import numpy as np
import pytest
import tensorflow as tf


def test_line_filters_are_a_vertical_then_a_horizontal_line_of_ones():
    filters = line_filters(7)
    assert filters.shape == (7, 7, 1, 2)
    np.testing.assert_array_equal(filters[:, 3, 0, 0], np.ones(7))
    np.testing.assert_array_equal(filters[3, :, 0, 1], np.ones(7))
    assert filters.sum() == 14
    with pytest.raises(ValueError, match="odd"):
        line_filters(6)


def test_each_gabor_filter_prefers_bars_of_its_own_orientation():
    orientations = [0, 30, 60, 90, 120, 150]
    bank = gabor_filters(orientations)
    assert bank.shape[2:] == (1, len(orientations)) and bank.shape[0] % 2 == 1
    np.testing.assert_allclose(bank.sum(axis=(0, 1)), 0, atol=1e-5)  # flat regions give no response
    np.testing.assert_allclose(np.linalg.norm(bank.reshape(-1, len(orientations)), axis=0), 1, rtol=1e-5)
    bars = np.stack([oriented_bar(64, a) for a in orientations])[..., None]
    tuning = tf.reduce_max(tf.nn.conv2d(bars, bank, 1, "SAME"), axis=[1, 2]).numpy()
    assert list(tuning.argmax(axis=1)) == list(range(len(orientations)))


def test_oriented_bar_draws_horizontal_and_vertical_bars_through_the_centre():
    horizontal, vertical = oriented_bar(9, 0, width=1), oriented_bar(9, 90, width=1)
    np.testing.assert_array_equal(horizontal[4], np.ones(9))
    np.testing.assert_array_equal(vertical, horizontal.T)
    assert horizontal.sum() == 9
    rising = oriented_bar(9, 45, width=1)
    assert rising[0, 8] == 1 and rising[8, 0] == 1 and rising[0, 0] == 0  # 45 degrees rises to the right


def test_to_grayscale_averages_channels_into_the_unit_range():
    images = np.zeros((1, 2, 2, 3), dtype=np.uint8)
    images[0, 0, 0] = (255, 255, 255)
    images[0, 1, 1] = (255, 0, 0)
    gray = to_grayscale(images)
    assert gray.shape == (1, 2, 2, 1) and gray.dtype == np.float32
    np.testing.assert_allclose(gray[0, :, :, 0], [[1, 0], [0, 1 / 3]], rtol=1e-6)
    with pytest.raises(ValueError, match="batch"):
        to_grayscale(np.zeros((2, 2, 3)))


def test_a_smooth_kernel_keeps_its_energy_at_low_frequencies_and_noise_spreads_it():
    flat = np.ones((7, 7, 1, 1))
    assert low_frequency_share(flat)[0] == pytest.approx(1.0)  # all of it at frequency 0
    checkerboard = np.indices((7, 7)).sum(axis=0) % 2 * 2.0 - 1
    assert low_frequency_share(checkerboard[..., None, None])[0] < 0.1  # the highest frequency there is
    noise = np.random.default_rng(0).normal(size=(7, 7, 3, 2000))
    assert np.mean(low_frequency_share(noise)) == pytest.approx(9 / 49, abs=0.01)
    smooth = gabor_filters([0, 45, 90], frequency=0.1, sigma=2.0)
    assert np.all(low_frequency_share(smooth) > 0.5)


def test_low_frequency_share_wants_keras_s_kernel_layout():
    with pytest.raises(ValueError, match="height, width, in_channels, filters"):
        low_frequency_share(np.ones((7, 7)))

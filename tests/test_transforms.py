from cnn_course.transforms import centre_crop, shift_images

import numpy as np
import pytest


def test_shift_right_moves_columns_and_fills_the_left_border():
    image = np.arange(1, 13).reshape(3, 4)
    assert shift_images(image, dx=1).tolist() == [[0, 1, 2, 3], [0, 5, 6, 7], [0, 9, 10, 11]]


def test_shift_left_and_up_fill_the_right_and_bottom_borders():
    image = np.arange(1, 13).reshape(3, 4)
    assert shift_images(image, dx=-2).tolist() == [[3, 4, 0, 0], [7, 8, 0, 0], [11, 12, 0, 0]]
    assert shift_images(image, dy=-1).tolist() == [[5, 6, 7, 8], [9, 10, 11, 12], [0, 0, 0, 0]]
    assert shift_images(image, dy=2, fill=-1).tolist() == [[-1] * 4, [-1] * 4, [1, 2, 3, 4]]


def test_batches_shift_every_image_the_same_way_and_keep_shape_and_dtype():
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 255, size=(5, 28, 28), dtype=np.uint8)
    shifted = shift_images(batch, dx=3, dy=-2)
    assert shifted.shape == batch.shape and shifted.dtype == np.uint8
    for image, moved in zip(batch, shifted):
        np.testing.assert_array_equal(moved, shift_images(image, dx=3, dy=-2))
    with_channels = shift_images(batch[..., None], dx=3, dy=-2)
    np.testing.assert_array_equal(with_channels[..., 0], shifted)


def test_shift_agrees_with_roll_away_from_the_border():
    rng = np.random.default_rng(1)
    image = rng.normal(size=(10, 12))
    for dx, dy in [(0, 0), (1, 0), (0, 3), (-4, 2), (5, -5)]:
        rolled = np.roll(image, (dy, dx), axis=(0, 1))
        shifted = shift_images(image, dx=dx, dy=dy)
        rows = slice(max(dy, 0), 10 + min(dy, 0))
        cols = slice(max(dx, 0), 12 + min(dx, 0))
        np.testing.assert_array_equal(shifted[rows, cols], rolled[rows, cols])
        assert np.count_nonzero(shifted) == (10 - abs(dy)) * (12 - abs(dx))


def test_a_shift_past_the_edge_leaves_only_fill():
    assert not shift_images(np.ones((4, 4)), dx=4).any()
    assert not shift_images(np.ones((2, 4, 4)), dy=-7).any()


@pytest.mark.parametrize("bad", [0.5, "1", None, True])
def test_offsets_must_be_whole_numbers(bad):
    with pytest.raises(TypeError, match="whole number"):
        shift_images(np.zeros((3, 3)), dx=bad)


def test_rejects_arrays_that_are_not_images():
    with pytest.raises(ValueError, match="2 to 4 dimensions"):
        shift_images(np.zeros(5), dx=1)


def test_centre_crop_is_kerass_center_crop_and_an_offset_moves_the_window():
    import cnn_course  # noqa: F401  (quiet TensorFlow first)

    import keras

    images = np.arange(2 * 11 * 14 * 3, dtype="float32").reshape(2, 11, 14, 3)
    for height, width in ((4, 5), (5, 6), (11, 14)):
        assert np.array_equal(centre_crop(images, height, width), keras.layers.CenterCrop(height, width)(images))
    centre = centre_crop(images, 3, 4)
    assert np.array_equal(centre_crop(images, 3, 4, offset=(0, 4)), images[:, 4:7, 9:13])
    assert np.array_equal(centre_crop(images, 3, 4, offset=(-3, 0)), images[:, 1:4, 5:9])
    assert np.array_equal(centre, images[:, 4:7, 5:9])


@pytest.mark.parametrize("height, width, offset", [(12, 4, (0, 0)), (3, 4, (0, 6)), (3, 4, (-5, 0)), (0, 4, (0, 0))])
def test_centre_crop_refuses_a_window_outside_the_images(height, width, offset):
    with pytest.raises(ValueError, match="does not fit"):
        centre_crop(np.zeros((1, 11, 14, 1)), height, width, offset)

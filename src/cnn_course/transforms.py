"""Whole-pixel shifts of images, to measure how much a network's output depends on where things are.

Chapter 5 shifts a tiny image one and two pixels to the right to show what max pooling keeps; chapter 6
shifts the MNIST test digits by 0 to 4 pixels and plots a convnet's accuracy against the shift, with and
without pooling. A shift moves the content and fills the uncovered border with a constant (0: the black
background of MNIST); what leaves the frame is lost, nothing wraps around as with ``np.roll``.

:func:`centre_crop` cuts a window out of the middle of images, or a window moved from the middle by an offset:
chapter 5 compares a transformed crop with crops of unrelated content next to it, measured the same way.
"""

from __future__ import annotations

import numpy as np


def shift_images(images, dx: int = 0, dy: int = 0, *, fill=0) -> np.ndarray:
    """Shift images ``dx`` pixels right and ``dy`` pixels down (negative: left, up), keeping their size.

    Args:
        images: one grayscale image ``[height, width]``, a batch of them ``[n, height, width]`` (as
            Keras loads MNIST), or a batch with channels ``[n, height, width, channels]``.
        dx, dy: whole numbers of pixels.
        fill: the value of the pixels uncovered at the border.

    Returns:
        An array of the same shape and dtype as ``images``.

    Raises:
        TypeError: ``dx`` or ``dy`` is not a whole number.
        ValueError: the array has fewer than 2 or more than 4 dimensions.
    """
    for name, value in (("dx", dx), ("dy", dy)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be a whole number of pixels, got {value!r}")
    images = np.asarray(images)
    if not 2 <= images.ndim <= 4:
        raise ValueError(f"expected an image or a batch of images (2 to 4 dimensions), got shape {images.shape}")
    row_axis = _row_axis(images)
    shifted = np.full_like(images, fill)
    height, width = images.shape[row_axis], images.shape[row_axis + 1]
    if abs(dy) >= height or abs(dx) >= width:
        return shifted
    source = [slice(None)] * images.ndim
    target = [slice(None)] * images.ndim
    source[row_axis], target[row_axis] = _window(dy, height)
    source[row_axis + 1], target[row_axis + 1] = _window(dx, width)
    shifted[tuple(target)] = images[tuple(source)]
    return shifted


def _row_axis(images: np.ndarray) -> int:
    """Index of the height axis: 0 for one image [h, w], 1 for batches [n, h, w] and [n, h, w, c]."""
    return 0 if images.ndim == 2 else 1


def _window(offset: int, size: int) -> tuple[slice, slice]:
    """Source and target slices along one axis for a shift of ``offset`` (positive: towards higher indices)."""
    if offset >= 0:
        return slice(0, size - offset), slice(offset, size)
    return slice(-offset, size), slice(0, size + offset)


def centre_crop(images, height: int, width: int, offset: tuple[int, int] = (0, 0)) -> np.ndarray:
    """The ``height`` x ``width`` window at the centre of images, moved ``offset`` = (down, right) pixels.

    With no offset it is Keras's ``CenterCrop`` (same window, same rounding); with an offset of one crop's
    height or width it is the neighbouring crop, whose content is unrelated to the centre's.

    Args:
        images: a batch ``[n, height, width, channels]``.

    Returns:
        The batch ``[n, height, width, channels]`` of windows (a view of ``images``).

    Raises:
        ValueError: the window does not fit in the images.
    """
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"expected a batch [n, height, width, channels], got shape {images.shape}")
    top = (images.shape[1] - height) // 2 + offset[0]
    left = (images.shape[2] - width) // 2 + offset[1]
    if height < 1 or width < 1 or top < 0 or left < 0 or top + height > images.shape[1] \
            or left + width > images.shape[2]:
        raise ValueError(f"a {height}x{width} window moved by {offset} does not fit in "
                         f"{images.shape[1]}x{images.shape[2]} images")
    return images[:, top:top + height, left:left + width]

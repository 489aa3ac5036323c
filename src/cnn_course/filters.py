"""Hand-made filters: what a convolutional layer would otherwise have to learn.

Chapter 1 models orientation-tuned "simple cells" with a bank of Gabor filters; chapter 2 builds
the vertical and horizontal line detectors by hand. Both return kernels in the layout
``tf.nn.conv2d`` expects: [height, width, in_channels, n_filters]. Chapter 7 asks whether a trained first layer
has learned such smooth patterns, with :func:`low_frequency_share`.
"""

from __future__ import annotations

import numpy as np


def line_filters(size: int = 7) -> np.ndarray:
    """Two filters that fire on thin white lines: a vertical one, then a horizontal one.

    Each is zero except for a line of ones through its centre, so the output at a pixel is the sum
    of the pixels on that line.

    Returns:
        float32 array [size, size, 1, 2]: ``[..., 0]`` vertical, ``[..., 1]`` horizontal.
    """
    if size < 1 or size % 2 == 0:
        raise ValueError(f"size must be a positive odd number so the line has a centre, got {size}")
    filters = np.zeros((size, size, 1, 2), dtype=np.float32)
    filters[:, size // 2, 0, 0] = 1  # vertical line
    filters[size // 2, :, 0, 1] = 1  # horizontal line
    return filters


def gabor_filters(orientations_degrees, frequency: float = 0.15, sigma: float = 3.0) -> np.ndarray:
    """A bank of Gabor filters, one per orientation: models of V1 simple cells.

    A Gabor filter is a sinusoidal grating under a Gaussian window (Daugman 1985); it responds most
    to edges and bars at right angles to its stripes. Built with ``skimage.filters.gabor_kernel``
    (real part, zero mean, so flat regions give no response), normalised to unit L2 norm so the
    response maps of different orientations compare.

    Args:
        orientations_degrees: the orientation of the bars and edges each filter detects, as seen
            on screen: 0 = horizontal, 90 = vertical, 45 = rising to the right.
        frequency: cycles per pixel of the grating.
        sigma: width of the Gaussian window in pixels.

    Returns:
        float32 array [size, size, 1, n_orientations], ``size`` odd.
    """
    from skimage.filters import gabor_kernel

    kernels = []
    for degrees in orientations_degrees:
        # skimage's theta is the direction of the grating's wave vector, measured with rows growing
        # downwards; a bar at `degrees` (counter-clockwise as seen on screen) needs a wave
        # travelling perpendicular to it.
        theta = np.deg2rad(90 - degrees)
        kernels.append(np.real(gabor_kernel(frequency, theta=theta, sigma_x=sigma, sigma_y=sigma)))
    # skimage sizes each kernel by its rotated bounding box; crop all to the smallest, centred.
    size = min(k.shape[0] for k in kernels)
    bank = []
    for kernel in kernels:
        margin = (kernel.shape[0] - size) // 2
        kernel = kernel[margin:margin + size, margin:margin + size]
        kernel = kernel - kernel.mean()
        bank.append(kernel / np.linalg.norm(kernel))
    return np.stack(bank, axis=-1)[:, :, np.newaxis, :].astype(np.float32)


def to_grayscale(images) -> np.ndarray:
    """Average the RGB channels of uint8 images into one channel in [0, 1].

    Args:
        images: [batch, height, width, 3] uint8.

    Returns:
        float32 [batch, height, width, 1].
    """
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(f"expected [batch, height, width, 3] images, got shape {images.shape}")
    return (images.mean(axis=-1, keepdims=True) / 255).astype(np.float32)


def oriented_bar(size: int = 64, angle_degrees: float = 0.0, width: float = 3.0) -> np.ndarray:
    """A white bar through the centre of a black square: the stimulus of Hubel and Wiesel's experiments.

    Chapter 1 turns the bar through 180 degrees and records how strongly a model simple cell fires.

    Args:
        angle_degrees: 0 = horizontal bar, 90 = vertical bar, counter-clockwise.
        width: bar thickness in pixels.

    Returns:
        float32 array [size, size] with values in [0, 1].
    """
    centre = (size - 1) / 2
    rows, cols = np.mgrid[0:size, 0:size]
    theta = np.deg2rad(angle_degrees)
    # distance of each pixel from the line through the centre at the given angle (rows grow downwards)
    distance = np.abs(-(cols - centre) * np.sin(theta) - (rows - centre) * np.cos(theta))
    return np.clip(width / 2 + 0.5 - distance, 0, 1).round(6).astype(np.float32)


def low_frequency_share(kernels, reach: int = 1) -> np.ndarray:
    """The share of each kernel's energy at the lowest spatial frequencies: how smooth it is, from 0 to 1.

    An edge, a bar or a blob varies slowly across the kernel, so most of its energy (the squared magnitudes of its
    2D Fourier transform) lies at frequencies of at most ``reach`` cycles per kernel width, in both directions.
    White noise, such as freshly initialised weights, spreads its energy evenly over all frequencies: for a 7x7
    kernel and ``reach=1`` it puts about 9 / 49 = 0.18 of it there. Unlike the eye, this measure does not see
    patterns in noise.

    Args:
        kernels: ``[height, width, in_channels, filters]``, as a Keras ``Conv2D`` layer stores them; the energy
            of a filter is summed over its input channels.
        reach: the highest frequency, in cycles per kernel width, counted as low.

    Returns:
        One share per filter.
    """
    kernels = np.asarray(kernels, dtype="float64")
    if kernels.ndim != 4:
        raise ValueError(f"kernels must be [height, width, in_channels, filters], not of shape {kernels.shape}")
    height, width = kernels.shape[:2]
    energy = np.abs(np.fft.fft2(kernels, axes=(0, 1))) ** 2  # frequency along axes 0 and 1
    energy = energy.sum(axis=2)  # over input channels: [height, width, filters]
    low_rows = np.abs(np.fft.fftfreq(height) * height) <= reach
    low_columns = np.abs(np.fft.fftfreq(width) * width) <= reach
    low = energy[low_rows][:, low_columns].sum(axis=(0, 1))
    total = energy.sum(axis=(0, 1))
    return np.divide(low, total, out=np.zeros_like(low), where=total > 0)

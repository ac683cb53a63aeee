"""What a computer sees: an image is an array of numbers, and a data set is a matrix X.

Notebook 01: pixel values (uint8, 0–255), why arithmetic must happen in float, greyscale,
flattening images into the rows of X (D = 32 × 32 × 3 = 3,072 for CIFAR-10), and how far
apart two images are on average.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from PIL import Image

from .checks import check_array, check_image, check_int, check_same_shape

__all__ = ["flatten", "to_float", "to_grayscale", "mean_abs_difference", "sample_photo",
           "GRAYSCALE_WEIGHTS", "SAMPLE_PHOTO_PATH"]

#: Weights of red, green and blue in the brightness of a pixel (ITU-R BT.601 luma).
GRAYSCALE_WEIGHTS = np.array([0.299, 0.587, 0.114])

#: matplotlib's bundled photo of Grace Hopper (public domain), the file that
#: ``matplotlib.cbook.get_sample_data("grace_hopper.jpg")`` opens. Located without importing
#: matplotlib: the core modules never import it (only ``plots`` and ``demos`` draw).
SAMPLE_PHOTO_PATH = (Path(importlib.util.find_spec("matplotlib").origin).parent
                     / "mpl-data" / "sample_data" / "grace_hopper.jpg")


def flatten(images) -> np.ndarray:
    """Stack of images → the data matrix X, one image per row.

    images (N, H, W) or (N, H, W, 3), real numbers (uint8 pixels usually).
    Returns X (N, D) float64 with D = H·W(·3), values unchanged (0–255 stays 0–255), row-major:
    the three channel values of a pixel sit next to each other.
    Raises TypeError for non-numeric input, ValueError for another shape, empty or non-finite
    input. Notebook 01.
    """
    images = check_array(images, "images", ndim=(3, 4))
    if images.ndim == 4 and images.shape[3] != 3:
        raise ValueError(f"images must be (N, H, W) or (N, H, W, 3), got shape {images.shape}")
    return images.reshape(images.shape[0], -1)


def to_float(image) -> np.ndarray:
    """The same numbers as float64, so that arithmetic does not wrap around.

    image: any real array (uint8 pixels usually). Returns a float64 array of the same shape
    and values: in uint8, 10 − 20 gives 246; after to_float it gives −10.
    Raises TypeError for non-numeric input, ValueError for empty or non-finite input.
    Notebook 01.
    """
    return check_array(image, "image")


def to_grayscale(image) -> np.ndarray:
    """Brightness of every pixel: 0.299 R + 0.587 G + 0.114 B.

    image (H, W, 3) colour or (H, W) grey, real numbers. Returns (H, W) float64 in the
    image's units (0–255 for uint8); a grey image comes back as float64, values unchanged.
    Raises TypeError for non-numeric input, ValueError for another shape, empty or non-finite
    input. Notebook 01.
    """
    image = to_float(check_image(image))
    if image.ndim == 2:
        return image
    return image @ GRAYSCALE_WEIGHTS


def mean_abs_difference(a, b) -> float:
    """How much one pixel value changes on average between two images: mean of |a − b|.

    a, b: arrays of the same shape (two images), real numbers; uint8 is converted first.
    Returns a float ≥ 0 in the images' units (0–255 for 0–255 images): the L1 distance / D.
    Raises TypeError for non-numeric input, ValueError for different shapes, empty or
    non-finite input. Notebook 01.
    """
    a, b = check_same_shape(a, b)
    return float(np.mean(np.abs(a - b)))


def sample_photo(downscale: int = 2) -> np.ndarray:
    """A real colour photograph, shipped with matplotlib (Grace Hopper; no download).

    downscale: int in [1, 100], keep every downscale-th row and column (1: 600 × 512 pixels,
    2: 300 × 256). Returns (H, W, 3) uint8, values 0–255, channels R, G, B.
    Raises TypeError for a non-integer downscale, ValueError outside [1, 100]. Notebook 01.
    """
    downscale = check_int(downscale, "downscale", low=1, high=100)
    with Image.open(SAMPLE_PHOTO_PATH) as photo:
        pixels = np.asarray(photo.convert("RGB"))
    return np.ascontiguousarray(pixels[::downscale, ::downscale])

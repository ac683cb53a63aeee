"""What a computer sees: an image is an array of numbers, and a data set is a matrix X.

Notebook 01: pixel values (uint8, 0–255), why arithmetic must happen in float, greyscale,
flattening images into the rows of X (D = 32 × 32 × 3 = 3,072 for CIFAR-10), how far apart
two images are on average, and the changes that make recognition hard (``change_image``).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
from PIL import Image

from .checks import check_array, check_choice, check_float, check_image, check_int, check_same_shape, check_seed

__all__ = ["flatten", "to_float", "to_grayscale", "mean_abs_difference", "sample_photo", "change_image",
           "GRAYSCALE_WEIGHTS", "SAMPLE_PHOTO_PATH", "CHANGES", "OCCLUSION_CENTER", "BACKDROP_TOLERANCE"]

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


# ----------------------------------------------------------------------------- image changes

#: The changes ``change_image`` makes: the lecture's difficulties (viewpoint, scale, deformation,
#: background clutter, occlusion; its sixth, intra-class variation, comes from a dataset, not from
#: changing one photo), then two more: illumination (from CS231n's notes, not the lecture) and shift.
CHANGES = ("viewpoint", "scale", "deformation", "clutter", "occlusion", "illumination", "shift")

#: Centre of the occluding square as (row, column) fractions of the image: the face in
#: ``sample_photo()`` (CIFAR-10's objects also sit near the middle of their images).
OCCLUSION_CENTER = (0.39, 0.5)

#: "clutter" treats a pixel as plain backdrop when its colour is within this distance (0–255
#: units, Euclidean over R, G, B) of the backdrop colour.
BACKDROP_TOLERANCE = 80.0


def _sample(image, rows, cols):
    """image (H, W) or (H, W, 3) float read at real-valued (rows, cols), bilinear, clamped to the edges."""
    h, w = image.shape[:2]
    rows, cols = np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)
    r0, c0 = np.floor(rows).astype(int), np.floor(cols).astype(int)
    r1, c1 = np.minimum(r0 + 1, h - 1), np.minimum(c0 + 1, w - 1)
    fr, fc = rows - r0, cols - c0
    if image.ndim == 3:  # the same weights for R, G and B
        fr, fc = fr[..., None], fc[..., None]
    top = (1 - fc) * image[r0, c0] + fc * image[r0, c1]
    bottom = (1 - fc) * image[r1, c0] + fc * image[r1, c1]
    return (1 - fr) * top + fr * bottom


def _grid(image):
    """(rows, cols, centre row, centre column): every pixel's position, as floats."""
    rows, cols = np.indices(image.shape[:2], dtype=np.float64)
    return rows, cols, (image.shape[0] - 1) / 2, (image.shape[1] - 1) / 2


def _viewpoint(image, strength, rng):
    """The flat picture turned about its vertical axis by up to 50°, seen from the same camera.

    A homography: output pixel (v, u) from the centre shows the picture's point
    (v / depth, u / cos(angle) / depth), depth = 1 − u·tan(angle) / focal. Uncovered: mid-grey.
    """
    rows, cols, cy, cx = _grid(image)
    angle, focal = np.deg2rad(50 * strength), 1.5 * image.shape[1]  # focal length in pixels
    v, u = rows - cy, cols - cx
    depth = 1 - u * np.tan(angle) / focal
    src_v, src_u = v / depth, u / np.cos(angle) / depth
    out = _sample(image, cy + src_v, cx + src_u)
    out[(np.abs(src_v) > cy + 0.5) | (np.abs(src_u) > cx + 0.5)] = 128.0
    return out


def _scale(image, strength, rng):
    """Zoom in about the centre by 1 + strength (up to 2×): the object fills more of the frame."""
    rows, cols, cy, cx = _grid(image)
    zoom = 1 + strength
    return _sample(image, cy + (rows - cy) / zoom, cx + (cols - cx) / zoom)


def _deformation(image, strength, rng):
    """A smooth wavy warp, up to 6 % of the width, strongest in the middle, none at the border."""
    rows, cols, _, _ = _grid(image)
    h, w = image.shape[:2]
    amplitude = 0.06 * strength * w * np.sin(np.pi * rows / (h - 1 or 1)) * np.sin(np.pi * cols / (w - 1 or 1))
    phase = rng.uniform(0, 2 * np.pi, size=2)  # the seed picks the shape of the warp
    src_rows = rows + amplitude * np.sin(3 * np.pi * cols / w + phase[0])
    src_cols = cols + amplitude * np.sin(3 * np.pi * rows / h + phase[1])
    return _sample(image, src_rows, src_cols)


def _clutter(image, strength, rng):
    """The plain backdrop (found by colour) blended with a busy patchwork; the rest untouched.

    Backdrop colour: the median of the plainer top corner; backdrop pixels: within
    BACKDROP_TOLERANCE of it. Patchwork: 400 small rectangles of random sizes and colours on a
    random base colour.
    """
    h, w = image.shape[:2]
    pixels = image.reshape(h, w, -1)  # (H, W, channels): 3 for colour, 1 for grey
    s = max(2, min(h, w) // 8)
    corners = [pixels[:s, :s], pixels[:s, -s:]]
    plain = min(corners, key=lambda corner: np.std(corner, axis=(0, 1)).sum())  # least colour spread
    backdrop = np.median(plain.reshape(-1, pixels.shape[2]), axis=0)
    distance = np.sqrt(np.sum((pixels - backdrop) ** 2, axis=2, keepdims=True))
    is_backdrop = distance < BACKDROP_TOLERANCE  # (H, W, 1)
    texture = np.ones_like(pixels) * rng.uniform(0, 255, size=pixels.shape[2])  # a random base colour
    for _ in range(400):
        top, left = rng.integers(0, h), rng.integers(0, w)
        height, width = rng.integers(1, max(2, h // 8)), rng.integers(1, max(2, w // 8))
        texture[top:top + height, left:left + width] = rng.uniform(0, 255, size=pixels.shape[2])
    return (pixels + strength * is_backdrop * (texture - pixels)).reshape(image.shape)


def _occlusion(image, strength, rng):
    """A grey square (side up to 35 % of the smaller side) centred at OCCLUSION_CENTER."""
    h, w = image.shape[:2]
    half = round(0.35 * strength * min(h, w) / 2)
    row, col = round(OCCLUSION_CENTER[0] * (h - 1)), round(OCCLUSION_CENTER[1] * (w - 1))
    out = image.copy()
    if half > 0:
        out[max(row - half, 0):row + half, max(col - half, 0):col + half] = 128.0
    return out


def _illumination(image, strength, rng):
    """Less light: every value times 1 − 0.75 · strength (down to a quarter)."""
    return image * (1 - 0.75 * strength)


def _shift(image, strength, rng):
    """Move right and down by strength × 10 % of the size, whole pixels; the first rows and columns repeat."""
    rows, cols, _, _ = _grid(image)
    dy, dx = np.round(0.1 * strength * np.array(image.shape[:2]))
    return _sample(image, rows - dy, cols - dx)


_CHANGE_FUNCTIONS = {"viewpoint": _viewpoint, "scale": _scale, "deformation": _deformation,
                     "clutter": _clutter, "occlusion": _occlusion, "illumination": _illumination,
                     "shift": _shift}


def change_image(image, kind: str, strength: float, seed: int = 0) -> np.ndarray:
    """The image as the world might change it: one of ``CHANGES``, at a strength from 0 to 1.

    image (H, W, 3) or (H, W) uint8. kind: "viewpoint" (turned up to 50° about its vertical
    axis, a perspective warp), "scale" (zoom in up to 2×), "deformation" (smooth warp),
    "clutter" (plain backdrop → busy patchwork; the rest untouched), "occlusion" (grey square at
    OCCLUSION_CENTER), "illumination" (darker, down to 25 %), "shift" (up to 10 % right and down).
    strength in [0, 1] (0: unchanged); seed: the random choices of deformation and clutter.
    Returns uint8 of the same shape (resampled bilinearly, rounded). Raises TypeError for a
    non-uint8 image, ValueError for an unknown kind or strength outside [0, 1]. Notebook 01.
    """
    image = check_image(image)
    if image.dtype != np.uint8:
        raise TypeError(f"image must hold uint8 pixels 0–255, got dtype {image.dtype} "
                        "(np.clip(image, 0, 255).astype(np.uint8) converts one)")
    kind = check_choice(kind, "kind", CHANGES)
    strength = check_float(strength, "strength", low=0.0, high=1.0)
    rng = np.random.default_rng(check_seed(seed))
    changed = _CHANGE_FUNCTIONS[kind](to_float(image), strength, rng)
    return np.clip(np.rint(changed), 0, 255).astype(np.uint8)

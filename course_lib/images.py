"""Images as arrays of numbers: flattening, channels and the transformations that make
image classification hard.

Introduced in ``notebooks/01_pixels.ipynb`` (lecture part 1, "what a computer sees").
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, as_image, check_choice, check_int, check_nonnegative_float

__all__ = [
    "flatten", "sample_photo", "to_grayscale", "mean_abs_difference", "transform", "TRANSFORMATIONS",
    "PIXEL_DTYPES",
]


def flatten(images, dtype=np.float64) -> np.ndarray:
    """Turn a stack of images into the course's data matrix ``X`` of shape ``(N, D)``.

    Parameters
    ----------
    images : array_like, shape (N, H, W) or (N, H, W, 3), any real dtype (uint8 usually)
    dtype : float dtype, default float64
        The result's dtype; integer pixels are converted so later arithmetic cannot wrap.

    Returns
    -------
    X : numpy.ndarray of ``dtype``, shape (N, D) with D = H·W or H·W·3, values unchanged
        (0–255 for uint8 input); row i is image i in row-major (C) order.

    Raises
    ------
    TypeError
        Non-numeric input, or a ``dtype`` that is not a floating-point dtype.
    ValueError
        Fewer than 2 dimensions (a single vector is not a stack of images), or empty.

    Source: lecture part 2 ("32 x 32 x 3 = 3072 numbers" per CIFAR-10 image).
    """
    try:
        is_float = np.issubdtype(np.dtype(dtype), np.floating)
    except TypeError:
        is_float = False
    if not is_float:
        raise TypeError(f"dtype must be a floating-point dtype such as np.float64, got {dtype!r}")
    arr = as_float_array(images, "images", ndim=(2, 3, 4), dtype=dtype)
    return arr.reshape(arr.shape[0], -1)


# ----------------------------------------------------------------------------- photos


def sample_photo(name: str = "china.jpg", downscale: int = 2) -> np.ndarray:
    """A real colour photograph shipped with scikit-learn (no download).

    Parameters
    ----------
    name : {"china.jpg", "flower.jpg"}
        scikit-learn's two sample images (a temple in China, a flower), both 427 × 640 × 3.
    downscale : int ≥ 1
        Keep every ``downscale``-th row and column (2 gives 214 × 320 × 3), so figures stay
        small and fast.

    Returns
    -------
    numpy.ndarray of uint8, shape (H, W, 3), values 0–255, channels R, G, B.

    Raises
    ------
    ValueError
        Unknown ``name`` or ``downscale`` < 1.

    Source: scikit-learn, ``sklearn.datasets.load_sample_image``.
    """
    name = check_choice(name, "name", ("china.jpg", "flower.jpg"))
    downscale = check_int(downscale, "downscale", low=1, high=100)
    from sklearn.datasets import load_sample_image  # imported after the checks: it takes a second

    return np.ascontiguousarray(load_sample_image(name)[::downscale, ::downscale])


#: The pixel conventions :func:`to_grayscale` and :func:`transform` accept (stated once):
#:
#: * **uint8**: values 0–255 (what the datasets and photos are);
#: * **float** (float16/32/64): values in [0, 1] when the image's largest value is ≤ 1, else
#:   in [0, 255] (matplotlib's two conventions); results stay float of the same dtype.
#:
#: Any other dtype (int8, int16, uint16, bool, …) is refused with a ``TypeError``: its
#: range is ambiguous, and int8 arithmetic wraps around (128 becomes −128).
PIXEL_DTYPES = "uint8 (0-255) or float ([0, 1] or [0, 255])"


def _pixel_scale(image: np.ndarray, name: str = "image") -> float:
    """The value of "white" for an image checked by ``as_image``: 255.0 for uint8 and for
    float images whose largest value exceeds 1, 1.0 for float images in [0, 1]; a
    ``TypeError`` for any other dtype (see :data:`PIXEL_DTYPES`)."""
    if image.dtype == np.uint8:
        return 255.0
    if not np.issubdtype(image.dtype, np.floating):
        raise TypeError(f"{name} must be uint8 or float (pixel values {PIXEL_DTYPES}), got dtype {image.dtype}")
    return 1.0 if float(image.max()) <= 1.0 else 255.0


def to_grayscale(image) -> np.ndarray:
    """Convert an RGB image to one brightness channel.

    Uses the ITU-R BT.601 luma weights 0.299 R + 0.587 G + 0.114 B (what most software
    calls "greyscale"). A greyscale image is returned unchanged.

    Parameters
    ----------
    image : array (H, W, 3) or (H, W), uint8 (0–255) or float ([0, 1] or [0, 255])
        See :data:`PIXEL_DTYPES`.

    Returns
    -------
    numpy.ndarray, shape (H, W): uint8 (values 0–255, rounded) for uint8 input; for float
    input the weighted sum itself (not rounded), in the input's float dtype and range.

    Raises
    ------
    TypeError
        Not an image array, or a dtype other than uint8 or float (int8, uint16, bool, …).
    ValueError
        Not of shape (H, W) or (H, W, 3), empty, or non-finite.
    """
    image = as_image(image)
    _pixel_scale(image)  # refuses int8, uint16, bool, ...
    if image.ndim == 2:
        return image
    grey = image.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    if image.dtype != np.uint8:
        return grey.astype(image.dtype)
    return np.clip(np.rint(grey), 0, 255).astype(np.uint8)


def mean_abs_difference(a, b) -> float:
    """The average change of one pixel value between two images, in 0–255 units.

    This is the L1 distance of notebook 02 divided by the number of values, D, so that
    images of different sizes can be compared: 0 means identical, 255 means every value
    flipped from black to white. Integers are converted before subtracting (uint8 would
    wrap around: 0 − 255 would give 1).

    Parameters
    ----------
    a, b : arrays of the same shape (images or vectors), any real dtype

    Returns
    -------
    float ≥ 0.

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Different shapes, empty, or non-finite values.

    Source: lecture part 1 (L1 distance, d = Σ|I1 − I2|), divided by D.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    return float(np.mean(np.abs(a - b)))


# ----------------------------------------------------------------------------- transformations

#: The difficulties of lecture part 1 that :func:`transform` can show on a photo.
TRANSFORMATIONS = (
    "viewpoint", "shift", "scale", "deformation", "occlusion", "illumination", "clutter",
)


def _sample_nearest(image: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Read ``image`` at (rows, cols), rounded to the nearest pixel and clamped at the edges."""
    h, w = image.shape[:2]
    # round half up (np.rint rounds half to even, which would duplicate every other column)
    r = np.clip(np.floor(rows + 0.5), 0, h - 1).astype(np.intp)
    c = np.clip(np.floor(cols + 0.5), 0, w - 1).astype(np.intp)
    return image[r, c]


def transform(image, kind: str, strength: float, seed: int = 0) -> np.ndarray:
    """Apply one of the lecture's "why is this hard?" changes to an image.

    Every change keeps the image's shape and dtype, so the result can be compared pixel by
    pixel with the original. Geometric changes move pixels (nearest-neighbour resampling,
    edges repeated); the others change values.

    Parameters
    ----------
    image : array (H, W) or (H, W, 3), uint8 (0–255) or float ([0, 1] or [0, 255])
        See :data:`PIXEL_DTYPES`: the grey of ``"occlusion"`` (128 of 255) and the texture
        of ``"clutter"`` (0–255) are scaled to the image's range, so a float image in
        [0, 1] gets the same picture as its uint8 version.
    kind : str, one of :data:`TRANSFORMATIONS`
        ``"viewpoint"``: rotation about the centre by up to 30° (``strength`` 1);
        ``"shift"``: move right and down by up to 15 % of the size (whole pixels);
        ``"scale"``: zoom in about the centre by up to 1.6×;
        ``"deformation"``: a wavy warp with an amplitude of up to 6 % of the width;
        ``"occlusion"``: a grey square covering up to 40 % of the height in the centre;
        ``"illumination"``: darken to as little as 25 % of the brightness;
        ``"clutter"``: blend with a seeded random texture, up to 50 %.
    strength : float in [0, 1]
        0 returns an unchanged copy.
    seed : int ≥ 0
        Seed of ``np.random.default_rng`` for the random texture (used by ``"clutter"`` only,
        checked always).

    Returns
    -------
    numpy.ndarray, same shape and dtype as ``image`` (uint8 results are rounded and
    clipped to 0–255; float results are not rounded).

    Raises
    ------
    TypeError
        Not an image, or a dtype other than uint8 or float; ``seed`` not an integer.
    ValueError
        Unknown ``kind``, ``strength`` outside [0, 1], ``seed`` < 0.

    Source: lecture part 1 (viewpoint, scale, deformation, occlusion, background clutter,
    intra-class variation; illumination from CS231n's notes).
    """
    image = as_image(image)
    white = _pixel_scale(image)
    kind = check_choice(kind, "kind", TRANSFORMATIONS)
    strength = check_nonnegative_float(strength, "strength")
    if strength > 1:
        raise ValueError(f"strength must be in [0, 1], got {strength}")
    seed = check_int(seed, "seed", low=0)
    h, w = image.shape[:2]
    rows, cols = np.meshgrid(np.arange(h, dtype=float), np.arange(w, dtype=float), indexing="ij")
    cy, cx = (h - 1) / 2, (w - 1) / 2
    if kind == "viewpoint":
        angle = np.deg2rad(30 * strength)
        cos, sin = np.cos(angle), np.sin(angle)
        src_r = cy + (rows - cy) * cos - (cols - cx) * sin
        src_c = cx + (rows - cy) * sin + (cols - cx) * cos
        return _sample_nearest(image, src_r, src_c)
    if kind == "shift":
        dy, dx = np.floor(0.15 * strength * np.array([h, w]) + 0.5)  # whole pixels
        return _sample_nearest(image, rows - dy, cols - dx)
    if kind == "scale":
        zoom = 1 + 0.6 * strength
        return _sample_nearest(image, cy + (rows - cy) / zoom, cx + (cols - cx) / zoom)
    if kind == "deformation":
        amplitude = 0.06 * strength * w
        return _sample_nearest(image, rows, cols + amplitude * np.sin(2 * np.pi * rows / (0.5 * h)))
    out = image.astype(np.float64)
    if kind == "occlusion":
        half = int(round(0.2 * strength * h))
        if half:
            out[int(cy) - half : int(cy) + half + 1, int(cx) - half : int(cx) + half + 1] = 128.0 * white / 255
    elif kind == "illumination":
        out *= 1 - 0.75 * strength
    else:  # clutter
        rng = np.random.default_rng(seed)
        coarse = rng.uniform(0, 255, size=(max(h // 8, 1), max(w // 8, 1)) + image.shape[2:])
        coarse *= white / 255  # the texture in the image's range
        texture = np.repeat(np.repeat(coarse, 8, axis=0), 8, axis=1)[:h, :w]
        pad = ((0, h - texture.shape[0]), (0, w - texture.shape[1])) + ((0, 0),) * (image.ndim - 2)
        texture = np.pad(texture, pad, mode="edge")
        out = (1 - 0.5 * strength) * out + 0.5 * strength * texture
    if image.dtype == np.uint8:
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return out.astype(image.dtype)

"""Images as arrays of numbers: flattening, channels and the transformations that make
image classification hard.

Introduced in ``notebooks/01_pixels.ipynb`` (lecture part 1, "what a computer sees").
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array

__all__ = ["flatten"]


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
        Non-numeric input.
    ValueError
        Fewer than 2 dimensions (a single vector is not a stack of images), or empty.

    Source: lecture part 2 ("32 x 32 x 3 = 3072 numbers" per CIFAR-10 image).
    """
    arr = as_float_array(images, "images", ndim=(2, 3, 4), dtype=dtype)
    return arr.reshape(arr.shape[0], -1)

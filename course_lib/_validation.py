"""Input checks shared by every public function of ``course_lib``.

Each helper raises a ``TypeError`` (wrong kind of object or dtype) or a ``ValueError``
(right kind, wrong value or shape) whose message starts with the argument's name and says
what was expected, so that a learner reading the error knows which argument to fix.

Integer arrays are always converted to float64 *before* any arithmetic: uint8 arithmetic
wraps around (``np.uint8(0) - np.uint8(255) == 1``), which would give silently wrong
distances, scores and losses.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

__all__ = [
    "as_float_array",
    "as_image",
    "check_labels",
    "check_label_range",
    "check_int",
    "check_positive_float",
    "check_nonnegative_float",
    "check_choice",
    "check_same_rows",
    "check_seed",
    "positive_int_arg",
]


def _describe(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:120]


def _asarray(x, name: str) -> np.ndarray:
    """``np.asarray(x)``, with a ``ValueError`` naming ``name`` for ragged nested lists
    (numpy's own message, "setting an array element with a sequence", names nothing)."""
    try:
        return np.asarray(x)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array (all rows of the same length), got a ragged "
            f"{type(x).__name__}"
        ) from None


def as_float_array(
    x,
    name: str,
    *,
    ndim: int | tuple[int, ...] | None = None,
    dtype=np.float64,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """Return ``x`` as a floating-point numpy array after checking it.

    Parameters
    ----------
    x : array_like of numbers (bool, integer or float dtype)
    name : str
        The argument's name, used in error messages.
    ndim : int or tuple of int, optional
        Allowed number(s) of dimensions.
    dtype : numpy float dtype, default float64
        The result's dtype. Integer input (uint8 images included) is converted before any
        arithmetic can happen, so nothing wraps around. Float input of another precision
        is converted too.
    allow_empty : bool, default False
        Whether an array with zero elements is acceptable.
    finite : bool, default True
        Whether NaN and ±inf are rejected.

    Returns
    -------
    numpy.ndarray of ``dtype`` (no copy when ``x`` already has that dtype).

    Raises
    ------
    TypeError
        ``x`` is not numeric (strings, objects, complex numbers).
    ValueError
        Ragged nested lists, wrong number of dimensions, empty, or non-finite values.
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be a numeric array, got {_describe(x)}")
    arr = _asarray(x, name)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == bool
    ) or np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(
            f"{name} must be a real numeric array (int, uint8 or float), got dtype {arr.dtype}"
        )
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got {arr.ndim}-D with shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    arr = arr.astype(dtype, copy=False)
    if finite and arr.size and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} must contain only finite numbers, found {bad} NaN or inf values")
    return arr


def as_image(image, name: str = "image") -> np.ndarray:
    """Check that ``image`` is one image: ``(H, W)`` greyscale or ``(H, W, 3)`` RGB.

    Returns the array unchanged (its dtype is kept: uint8 stays uint8 for display).

    Raises
    ------
    TypeError
        Not a numeric array.
    ValueError
        Not 2-D or 3-D with 3 channels, empty, or not finite.
    """
    if isinstance(image, (str, bytes)) or image is None:
        raise TypeError(f"{name} must be an image array (H, W) or (H, W, 3), got {_describe(image)}")
    arr = _asarray(image, name)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be a numeric image array, got dtype {arr.dtype}")
    if arr.ndim == 3 and arr.shape[2] == 3:
        pass
    elif arr.ndim != 2:
        raise ValueError(
            f"{name} must have shape (H, W) or (H, W, 3), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers")
    return arr


def check_labels(
    y,
    name: str = "y",
    *,
    num_classes: int | None = None,
    n: int | None = None,
    n_name: str = "X",
    n_unit: str = "rows",
) -> np.ndarray:
    """Check integer class labels and return them as an int64 array of shape ``(N,)``.

    Parameters
    ----------
    y : array_like of int, shape (N,)
        Class labels in ``[0, num_classes)``. Floats that are whole numbers are *not*
        accepted: a float label is usually a bug (scores passed as labels).
    num_classes : int, optional
        C; every label must satisfy ``0 <= y < C``.
    n : int, optional
        The expected N (the number of rows of the matching ``X``).
    n_name, n_unit : str, default "X", "rows"
        How the length error names what ``y`` must match (e.g. ``"y_true"``, ``"labels"``
        when two label arrays are compared).

    Raises
    ------
    TypeError
        Non-integer dtype (float, bool, string).
    ValueError
        Not 1-D, empty, wrong length, a label outside ``[0, num_classes)``, or a uint64
        label too large for int64 (≥ 2**63).
    """
    if isinstance(y, (str, bytes)) or y is None:
        raise TypeError(f"{name} must be a 1-D array of integer labels, got {_describe(y)}")
    arr = _asarray(y, name)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"{name} must hold integer class labels, got dtype {arr.dtype}"
        )
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D of shape (N,), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if n is not None and arr.shape[0] != n:
        raise ValueError(
            f"{name} has {arr.shape[0]} labels but {n_name} has {n} {n_unit}; they must match"
        )
    if arr.min() < 0:
        raise ValueError(f"{name} must hold labels >= 0, found {arr.min()}")
    if arr.dtype == np.uint64 and arr.max() > np.iinfo(np.int64).max:  # would wrap to < 0
        raise ValueError(f"{name} must hold labels that fit in int64 (< 2**63), found {arr.max()}")
    if num_classes is not None and arr.max() >= num_classes:
        raise ValueError(
            f"{name} must hold labels in [0, {num_classes}), found {arr.max()}"
        )
    return arr.astype(np.int64, copy=False)


#: Inferring C = max(y) + 1 is refused when it exceeds both of these: the limit, and this
#: multiple of the number of distinct labels (see :func:`check_label_range`).
SPARSE_LABELS_MIN_C = 1000
SPARSE_LABELS_RATIO = 10


def check_label_range(y: np.ndarray, name: str = "y", *, remedy: str = "pass num_classes") -> int:
    """Return ``C = max(y) + 1`` for labels already checked by :func:`check_labels`.

    A function that infers the number of classes from the labels builds something with C
    columns. Labels such as ``[0, 10**9]`` would make that a billion columns, nearly all
    of them for labels that never occur, so they are refused with a ``ValueError`` when C is
    more than ``SPARSE_LABELS_RATIO`` (10) times the number of distinct labels *and* more
    than ``SPARSE_LABELS_MIN_C`` (1000). Ordinary labels ``0 … C-1`` never reach the check
    (it costs nothing when ``C <= 1000``). The message suggests ``remedy`` (what the calling
    function offers instead) or relabelling.
    """
    C = int(y.max()) + 1
    if C > SPARSE_LABELS_MIN_C:
        distinct = int(np.unique(y).size)
        if C > SPARSE_LABELS_RATIO * distinct:
            raise ValueError(
                f"{name} has labels up to {C - 1} but only {distinct} distinct values, so "
                f"max({name}) + 1 = {C} classes would be mostly empty: {remedy}, or "
                f"relabel them 0 … {distinct - 1} with "
                f"np.unique({name}, return_inverse=True)"
            )
    return C


def check_int(
    value, name: str, *, low: int | None = None, high: int | None = None
) -> int:
    """Check that ``value`` is an integer (Python or numpy, not bool) in ``[low, high]``.

    Returns it as a Python ``int``.

    Raises
    ------
    TypeError
        Not an integer (floats such as ``3.0`` are refused too).
    ValueError
        Outside ``[low, high]``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if low is not None and value < low or high is not None and value > high:
        lo = "-inf" if low is None else str(low)
        hi = "inf" if high is None else str(high)
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return value


def _check_real(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive_float(value, name: str) -> float:
    """Check that ``value`` is a finite real number > 0 and return it as ``float``.

    Raises ``TypeError`` for non-numbers, ``ValueError`` for NaN, inf, zero or negatives.
    """
    value = _check_real(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_nonnegative_float(value, name: str) -> float:
    """Check that ``value`` is a finite real number >= 0 and return it as ``float``.

    Raises ``TypeError`` for non-numbers, ``ValueError`` for NaN, inf or negatives.
    """
    value = _check_real(value, name)
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def check_choice(value, name: str, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings in ``choices`` and return it.

    Raises
    ------
    TypeError
        Not a string.
    ValueError
        A string that is not among ``choices`` (the message lists them).
    """
    choices = tuple(choices)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {choices}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_same_rows(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same number of rows."""
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"{a_name} has {a.shape[0]} rows but {b_name} has {b.shape[0]}; they must match "
            f"(shapes {a.shape} and {b.shape})"
        )


def check_seed(seed, name: str = "seed", *, allow_none: bool = False) -> int | None:
    """Check a seed for ``np.random.default_rng``: a non-negative integer.

    ``None`` (``default_rng(None)`` draws fresh entropy from the operating system, so every
    call gives another result) is refused with a ``TypeError`` unless ``allow_none=True``:
    only functions whose docstring says what ``seed=None`` means accept it.
    """
    if seed is None and allow_none:
        return None
    return check_int(seed, name, low=0)


def positive_int_arg(text: str) -> int:
    """An ``argparse`` type: the option's value as an int ≥ 1.

    ``type=positive_int_arg`` makes ``--timeout 0`` or ``--block -5`` a usage error (exit
    status 2, a message naming the option) instead of a crash or a silent wrong run later.
    """
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value}")
    return value

"""Input checks at the course's public boundary: one helper per contract.

Every public function checks its arguments once, with these helpers, and then runs the
algorithm on clean numpy arrays. A bad argument gives a ``TypeError`` (wrong kind of object
or dtype) or a ``ValueError`` (right kind, wrong shape or value) whose message starts with
the argument's name. Integer arrays (uint8 images) become float64 *before* any arithmetic,
because uint8 arithmetic wraps around (``0 - 255`` gives 1). Notebook 01 explains why.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_array", "check_X", "check_labels", "check_X_y", "check_W_X_y", "check_image",
    "check_int", "check_float", "check_choice", "check_seed", "check_callable",
    "check_same_shape", "check_distance_inputs", "check_num_classes", "check_bool",
]


def _describe(x) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"{type(x).__name__} {x!r}"[:100]


def _as_numeric(x, name: str) -> np.ndarray:
    """``np.asarray(x)`` for real numbers (bool excluded), else TypeError/ValueError."""
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be a numeric array, got {_describe(x)}")
    try:
        arr = np.asarray(x)
    except ValueError:
        raise ValueError(f"{name} must be a rectangular array (rows of equal length), "
                         f"got a ragged {type(x).__name__}") from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers (int, uint8 or float), got dtype {arr.dtype}")
    return arr


def check_array(x, name: str, *, ndim=None, keep_dtype: bool = False) -> np.ndarray:
    """``x`` as a finite, non-empty float64 array with ``ndim`` dimensions (int or tuple).

    ``keep_dtype=True`` returns it in its own real dtype (uint8, float32, …) without a copy
    (for ``course_lib.large_scale``, where a float64 copy of a large array would cost memory).
    Raises TypeError for non-numbers (text, bool, complex, objects), ValueError for ragged,
    wrongly shaped, empty or non-finite input.
    """
    arr = _as_numeric(x, name)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got {arr.ndim}-D with shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not keep_dtype:
        arr = arr.astype(np.float64, copy=False)
    # NaN and ±inf make the sum non-finite: one pass, no boolean copy; a sum that merely overflows
    # (huge but finite entries) is then told apart by counting
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(arr) if arr.dtype.kind == "f" else 0.0
    if not np.isfinite(total):
        bad = arr.size - np.count_nonzero(np.isfinite(arr))
        if bad:
            raise ValueError(f"{name} must hold only finite numbers, found {bad} NaN or inf")
    return arr


def check_X(X, name: str = "X", *, keep_dtype: bool = False) -> np.ndarray:
    """``X`` as a finite float64 array of shape (N, D), one sample per row (``keep_dtype``: as
    in ``check_array``)."""
    if isinstance(X, np.ndarray) and X.ndim in (3, 4) and name.startswith("X"):
        raise ValueError(f"{name} must be 2-D (N, D), got images of shape {X.shape}: "
                         "flatten them first (course_lib.pixels.flatten)")
    return check_array(X, name, ndim=2, keep_dtype=keep_dtype)


def check_labels(y, name: str = "y", *, num_samples: int | None = None,
                 num_classes: int | None = None, samples_name: str = "X",
                 ndim: int = 1) -> np.ndarray:
    """``y`` as an int64 array of shape (N,) with labels in [0, C).

    ``num_samples``: N, the rows of ``samples_name``; ``num_classes``: C when known;
    ``ndim=2`` for a table of labels such as the (M, k) labels of the k nearest neighbours.
    Raises TypeError for non-integer labels, ValueError for a wrong shape or length, a
    negative label or one ≥ C.
    """
    arr = _as_numeric(y, name)
    if arr.dtype.kind == "f":
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype} "
                        f"(use {name}.astype(int) if the values are whole numbers)")
    if arr.ndim != ndim:
        want = "1-D (N,)" if ndim == 1 else f"{ndim}-D"
        raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    if num_samples is not None and len(arr) != num_samples:
        raise ValueError(f"{name} has {arr.size} labels but {samples_name} has {num_samples} rows; "
                         "they must match")
    if arr.min() < 0 or arr.max() > np.iinfo(np.int64).max:
        raise ValueError(f"{name} must hold labels in [0, C), found {arr.min() if arr.min() < 0 else arr.max()}")
    if num_classes is not None and arr.max() >= num_classes:
        raise ValueError(f"{name} must hold labels in [0, {num_classes}) (C = {num_classes}), "
                         f"found {arr.max()}")
    return arr.astype(np.int64, copy=False)


def check_num_classes(y, name: str = "y") -> int:
    """C = max(y) + 1 for labels already checked by ``check_labels``, refusing sparse labels.

    Counting votes or scores per class needs C entries, so labels such as [0, 10**9] (ids, not
    class indices) are refused with a ValueError when C > 1,000 and C > 10 × the number of
    distinct labels; relabel them with ``np.unique(y, return_inverse=True)``.
    """
    num_classes = int(np.max(y)) + 1
    if num_classes > 1_000:
        distinct = np.unique(y).size
        if num_classes > 10 * distinct:
            raise ValueError(f"{name} must hold class labels in [0, C) for a sensible C, got labels up to "
                             f"{num_classes - 1} but only {distinct} distinct values; relabel them "
                             f"0 … {distinct - 1} with np.unique({name}, return_inverse=True)")
    return num_classes


def check_X_y(X, y, *, X_name: str = "X", y_name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """``X`` (N, D) float64 and ``y`` (N,) int64, with as many labels as rows."""
    X = check_X(X, X_name)
    return X, check_labels(y, y_name, num_samples=X.shape[0], samples_name=X_name)


def check_W_X_y(W, X, y, reg) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The arguments of a loss: ``W`` (D, C), ``X`` (N, D), ``y`` (N,) in [0, C), ``reg`` ≥ 0."""
    W = check_array(W, "W", ndim=2)
    X, y = check_X_y(X, y)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; X @ W needs them "
                         "equal (with the bias trick, append the column of ones to X)")
    check_labels(y, "y", num_classes=W.shape[1])
    return W, X, y, check_float(reg, "reg", low=0.0)


def check_same_shape(a, b, *, names=("a", "b")) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays of the same shape (two images, or two rows of X), each as ``check_array``."""
    a, b = check_array(a, names[0]), check_array(b, names[1])
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and "
                         f"{b.shape} (compare two images, or two rows of X, of the same size)")
    return a, b


def check_distance_inputs(X_test, X_train, *, test_name: str = "X_test", train_name: str = "X_train",
                          keep_dtype: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``X_test`` (M, D) and ``X_train`` (N, D), each as ``check_X``, with the same D."""
    X_test = check_X(X_test, test_name, keep_dtype=keep_dtype)
    X_train = check_X(X_train, train_name, keep_dtype=keep_dtype)
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(f"{test_name} has {X_test.shape[1]} columns but {train_name} has "
                         f"{X_train.shape[1]}; each row must hold the same D values (flatten both "
                         "the same way)")
    return X_test, X_train


def check_image(image, name: str = "image") -> np.ndarray:
    """One image, (H, W) grey or (H, W, 3) colour, real numbers; returned with its dtype kept."""
    arr = _as_numeric(image, name)
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] == 3)):
        raise ValueError(f"{name} must be (H, W) or (H, W, 3), got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold only finite numbers")
    return arr


def check_int(value, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int in [low, high]; bools and floats are refused (TypeError)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else low
        hi = "inf" if high is None else high
        raise ValueError(f"{name} must be an integer in [{lo}, {hi}], got {value}")
    return value


def check_float(value, name: str, *, low: float | None = None, high: float | None = None,
                low_open: bool = False) -> float:
    """``value`` as a finite float in [low, high] (or (low, high] with ``low_open``)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {_describe(value)}")
    try:
        value = float(value)
    except OverflowError:
        raise ValueError(f"{name} must be a finite number, got an integer too large for a float") from None
    too_low = low is not None and (value <= low if low_open else value < low)
    if not np.isfinite(value) or too_low or (high is not None and value > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be a finite number in {'(' if low_open else '['}{lo}, {hi}], "
                         f"got {value}")
    return value


def check_choice(value, name: str, choices) -> str:
    """``value`` as one of the strings ``choices`` (case-sensitive)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {tuple(choices)}, got {_describe(value)}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def check_bool(value, name: str) -> bool:
    """``value`` as a bool; anything but True/False (1, "yes", None) is a TypeError."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def check_seed(seed, name: str = "seed") -> int:
    """A seed for ``np.random.default_rng``: an int ≥ 0."""
    return check_int(seed, name, low=0)


def check_callable(f, name: str):
    """``f`` itself, if it can be called."""
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {_describe(f)}")
    return f

"""Numerical gradients and the gradient check: how to trust an analytic gradient.

Introduced in ``notebooks/06_optimization.ipynb`` (lecture part 3, "How to calculate the
gradient? Numerical calculation / Calculus": compute the gradient analytically, then check it
against the numerical one).

The numerical gradient approximates each partial derivative by a finite difference,

* forward:  ``(f(x + h e_i) - f(x)) / h``            error O(h)   (the lecture's limit), and
* centred:  ``(f(x + h e_i) - f(x - h e_i)) / (2h)``  error O(h²)  (the one to use),

one coordinate ``i`` at a time, so it costs one (forward) or two (centred) evaluations of
``f`` per entry of ``x``: far too slow to train with, exactly right to *check* a formula.

The relative error between two gradients is ``|a - b| / max(|a|, |b|)`` entry by entry (with
a small floor in the denominator so that two zero gradients agree perfectly). How to read the
largest one, in float64 with ``h = 1e-5`` (the bands of CS231n's notes on gradient checks):

==================  ==============================================================
max relative error  verdict
==================  ==============================================================
≤ 1e-7              excellent: the analytic gradient is right
≤ 1e-4              fine for losses with kinks (hinge, ReLU); suspicious for smooth ones
≤ 1e-2              suspicious: look at the worst coordinates
> 1e-2              wrong: the analytic gradient has a bug
==================  ==============================================================
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from ._validation import (
    as_float_array,
    check_choice,
    check_int,
    check_positive_float,
    check_seed,
)

__all__ = [
    "numerical_gradient",
    "relative_error",
    "gradient_check",
    "gradient_check_verdict",
    "CheckedCoordinate",
    "VERDICT_BANDS",
]

#: (upper bound, verdict) pairs for the largest relative error of a gradient check, in order.
VERDICT_BANDS = (
    (1e-7, "excellent"),
    (1e-4, "fine near kinks"),
    (1e-2, "suspicious"),
    (np.inf, "wrong"),
)

_METHOD_ALIASES = {"centered": "centred", "central": "centred"}


def _as_probe_copy(x, name: str = "x") -> np.ndarray:
    """A C-contiguous float64 *copy* of ``x``; warn when a numpy array had another dtype."""
    original_dtype = getattr(x, "dtype", None)
    arr = as_float_array(x, name, allow_empty=False)
    if original_dtype is not None and np.dtype(original_dtype) != np.float64:
        warnings.warn(
            f"{name} has dtype {np.dtype(original_dtype)}; the numerical gradient is taken at "
            f"its float64 copy (finite differences with h ~ 1e-5 are meaningless in integers "
            f"and too coarse in float32)",
            UserWarning,
            stacklevel=3,
        )
    return np.array(arr, dtype=np.float64, copy=True, order="C")


def _call_scalar(f: Callable, x: np.ndarray, where: str) -> float:
    """Call ``f(x)`` and turn its result into a Python float *now* (f may return a view of x)."""
    out = f(x)
    try:
        arr = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"f must return a real number, got {type(out).__name__} {where}"
        ) from None
    if arr.size != 1:
        raise ValueError(
            f"f must return a scalar (one number), got an array of shape {arr.shape} {where}; "
            "for a loss that returns (loss, grad), pass lambda W: loss_fn(W, ...)[0]"
        )
    value = float(arr.reshape(()))
    if not np.isfinite(value):
        raise ValueError(f"f returned {value} {where}; a numerical gradient needs finite values")
    return value


def numerical_gradient(f: Callable, x, h: float = 1e-5, method: str = "centred") -> np.ndarray:
    """The gradient of a scalar function ``f`` at ``x``, by finite differences.

    For every coordinate ``i`` of ``x`` (any shape), the entry ``x[i]`` of a float64 *copy*
    of ``x`` is moved by ``h`` and ``f`` is called on the copy:

    * ``method="centred"``: ``(f(x + h e_i) - f(x - h e_i)) / (2h)``, error O(h²);
    * ``method="forward"``: ``(f(x + h e_i) - f(x)) / h``, error O(h) (the lecture's limit).

    After each probe the entry is restored exactly (it is reassigned, not moved back by
    ``-h``, so no rounding drift accumulates). The ``x`` you pass is never modified, and each
    value returned by ``f`` is converted to a Python float before the next probe, so a
    function that returns a view of its argument (``lambda x: x[0]``) is handled correctly.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` (a number or a one-element array); it receives a float64 array of
        ``x``'s shape. For a course loss write ``lambda W: svm_loss_vectorized(W, X, y, reg)[0]``.
    x : array_like of float64, any shape (a number is fine)
        Where to take the gradient. A numpy array of another dtype (integers, float32) is
        converted to a float64 copy **with a UserWarning**: a step of 1e-5 cannot be
        represented in an integer array and is too coarse for float32's 7 digits, so the
        gradient is computed at the float64 value of ``x`` instead. Python numbers and lists
        are converted silently.
    h : float > 0, default 1e-5
        The step. Too large: truncation error (O(h) forward, O(h²) centred). Too small:
        rounding error (about ``|f| * 1e-16 / h``). ``1e-5`` balances both for centred
        differences in float64 (the best forward step is nearer ``1e-8``).
    method : {"centred", "forward"}, default "centred"
        ("centered" and "central" are accepted as the same thing.)

    Returns
    -------
    grad : numpy.ndarray of float64, the shape of ``x`` (0-d for a scalar ``x``)

    Raises
    ------
    TypeError
        ``f`` not callable, ``x`` not numeric, ``h`` not a number, ``f`` returns a non-number.
    ValueError
        ``x`` empty or not finite, ``h <= 0``, unknown ``method``, ``f`` returns an array of
        more than one number or a NaN/inf.

    Source: lecture part 3 ("Numerical calculation": the derivative as the limit of
    (f(x+h) - f(x)) / h); CS231n notes "Optimization", section "Computing the gradient
    numerically with finite differences". Introduced in notebook 06_optimization.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a number, got {type(f).__name__}")
    h = check_positive_float(h, "h")
    if isinstance(method, str):
        method = _METHOD_ALIASES.get(method, method)
    method = check_choice(method, "method", ("centred", "forward"))
    xc = _as_probe_copy(x)
    flat = xc.reshape(-1)  # a view: xc is C-contiguous
    grad = np.empty(flat.shape[0], dtype=np.float64)
    fx = _call_scalar(f, xc, "at x") if method == "forward" else None
    for i in range(flat.shape[0]):
        old = flat[i]
        flat[i] = old + h
        f_plus = _call_scalar(f, xc, f"at x + h in coordinate {i}")
        if method == "centred":
            flat[i] = old - h
            f_minus = _call_scalar(f, xc, f"at x - h in coordinate {i}")
            grad[i] = (f_plus - f_minus) / (2.0 * h)
        else:
            grad[i] = (f_plus - fx) / h
        flat[i] = old
    return grad.reshape(xc.shape)


def relative_error(a, b, floor: float = 1e-8):
    """Elementwise relative error ``|a - b| / max(|a|, |b|, floor)``.

    The floor keeps the ratio finite where both values are (near) zero: two zero gradients
    agree perfectly and give 0, not NaN. It also means that differences far below ``floor``
    count as tiny, which is what we want for float64 round-off.

    Parameters
    ----------
    a, b : array_like of float, shapes broadcastable to each other (numbers are fine)
    floor : float > 0, default 1e-8
        Smallest denominator.

    Returns
    -------
    float (when both inputs are numbers / 0-d) or numpy.ndarray of float64 of the broadcast
    shape, every value in ``[0, 2]``.

    Raises
    ------
    TypeError
        Non-numeric input.
    ValueError
        Empty or non-finite input, shapes that do not broadcast, ``floor <= 0``.

    Source: CS231n notes "Neural Networks 3", section "Gradient checks" (use the relative
    error, not the absolute one). Introduced in notebook 06_optimization.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    floor = check_positive_float(floor, "floor")
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"a and b must have broadcastable shapes, got {a.shape} and {b.shape}"
        ) from None
    denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
    with np.errstate(over="ignore"):
        err = np.abs(a - b) / denom
    overflowed = np.isinf(err)  # a - b beyond 1.8e308 (a = 1.7e308, b = -1.7e308): scale first
    if overflowed.any():
        err = np.where(overflowed, np.abs(a / denom - b / denom), err)
    if shape == ():
        return float(err)
    return np.asarray(err, dtype=np.float64)


class CheckedCoordinate(NamedTuple):
    """One coordinate of a gradient check (an entry of ``gradient_check``'s ``worst`` list)."""

    index: tuple  #: the multi-index of the entry of x, e.g. (12, 3)
    numerical: float  #: the centred-difference derivative there
    analytic: float  #: the analytic gradient's value there
    rel_error: float  #: their relative error


def gradient_check_verdict(max_rel_error: float) -> str:
    """The verdict band of a gradient check's largest relative error.

    Returns ``"excellent"`` (≤ 1e-7), ``"fine near kinks"`` (≤ 1e-4), ``"suspicious"``
    (≤ 1e-2) or ``"wrong"`` (> 1e-2); see the module docstring.

    Raises
    ------
    TypeError, ValueError
        Not a real number, or negative / NaN.

    Source: CS231n notes "Neural Networks 3", "Gradient checks". Introduced in notebook
    06_optimization.
    """
    if isinstance(max_rel_error, bool) or not isinstance(max_rel_error, (int, float, np.number)):
        raise TypeError(
            f"max_rel_error must be a real number, got {type(max_rel_error).__name__}"
        )
    value = float(max_rel_error)
    if np.isnan(value) or value < 0:
        raise ValueError(f"max_rel_error must be >= 0, got {value}")
    for bound, verdict in VERDICT_BANDS:
        if value <= bound:
            return verdict
    return VERDICT_BANDS[-1][1]


def gradient_check(
    f: Callable,
    x,
    analytic_grad,
    num_checks: int | None = None,
    seed: int = 0,
    h: float = 1e-5,
    num_worst: int = 5,
):
    """Compare an analytic gradient with the centred numerical gradient of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``, the function whose gradient ``analytic_grad`` claims to be (see
        :func:`numerical_gradient`; for a course loss: ``lambda W: loss(W, X, y, reg)[0]``).
    x : array_like of float64, any shape
        Where the gradient was taken. Never modified (the probes use a float64 copy; other
        dtypes are converted with a warning, as in :func:`numerical_gradient`).
    analytic_grad : array_like of float, the shape of ``x``
        The gradient to check, e.g. the ``dW`` a loss function returned.
    num_checks : int ≥ 1 or None, default None
        None: check every coordinate (2 · x.size evaluations of ``f``). An integer: the
        *sparse* check of ``num_checks`` coordinates drawn without replacement with
        ``np.random.default_rng(seed)`` (all coordinates if ``num_checks >= x.size``) —
        what you do when ``f`` is expensive and ``x`` is large.
    seed : int ≥ 0, default 0
        Seed of the sparse check's coordinate sample (ignored when ``num_checks`` is None).
    h : float > 0, default 1e-5
        Step of the centred differences.
    num_worst : int ≥ 1, default 5
        How many of the worst coordinates to return.

    Returns
    -------
    max_rel_error : float
        The largest :func:`relative_error` over the checked coordinates. Read it with
        :func:`gradient_check_verdict`: ≤ 1e-7 excellent; ≤ 1e-4 fine near kinks (hinge,
        ReLU: a probe can cross a kink, where the derivative jumps); ≤ 1e-2 suspicious;
        > 1e-2 wrong.
    worst : list of CheckedCoordinate
        Up to ``num_worst`` checked coordinates, largest relative error first, each a named
        tuple ``(index, numerical, analytic, rel_error)``; ``index`` is the multi-index into
        ``x`` (e.g. ``(row, column)`` for a matrix).

    Raises
    ------
    TypeError, ValueError
        Everything :func:`numerical_gradient` raises; ``analytic_grad`` not numeric, not
        finite or not of ``x``'s shape; bad ``num_checks``, ``seed`` or ``num_worst``.

    Source: lecture part 3 ("calculate the gradient analytically and then check with the
    numerical gradient"); CS231n assignment 1's ``grad_check_sparse``. Introduced in notebook
    06_optimization.
    """
    if not callable(f):
        raise TypeError(f"f must be a callable returning a number, got {type(f).__name__}")
    h = check_positive_float(h, "h")
    seed = check_seed(seed)
    num_worst = check_int(num_worst, "num_worst", low=1)
    xc = _as_probe_copy(x)
    grad = as_float_array(analytic_grad, "analytic_grad")
    if grad.shape != xc.shape:
        raise ValueError(
            f"analytic_grad must have the shape of x {xc.shape}, got {grad.shape}"
        )
    size = xc.size
    if num_checks is None:
        flat_idx = np.arange(size)
    else:
        num_checks = check_int(num_checks, "num_checks", low=1)
        rng = np.random.default_rng(seed)
        flat_idx = np.sort(rng.choice(size, size=min(num_checks, size), replace=False))
    flat = xc.reshape(-1)
    gflat = grad.reshape(-1)
    numerical = np.empty(flat_idx.shape[0], dtype=np.float64)
    for k, i in enumerate(flat_idx):
        old = flat[i]
        flat[i] = old + h
        f_plus = _call_scalar(f, xc, f"at x + h in coordinate {int(i)}")
        flat[i] = old - h
        f_minus = _call_scalar(f, xc, f"at x - h in coordinate {int(i)}")
        flat[i] = old
        numerical[k] = (f_plus - f_minus) / (2.0 * h)
    analytic = gflat[flat_idx]
    errors = np.atleast_1d(relative_error(numerical, analytic))
    order = np.argsort(-errors, kind="stable")[:num_worst]
    worst = [
        CheckedCoordinate(
            tuple(int(j) for j in np.unravel_index(int(flat_idx[k]), xc.shape)),
            float(numerical[k]),
            float(analytic[k]),
            float(errors[k]),
        )
        for k in order
    ]
    return float(errors.max()), worst

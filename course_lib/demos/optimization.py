"""Demos of notebook 06 (optimisation): loss landscapes, finite-difference errors, gradient
descent on a 2-D bowl, and the hyperparameter search of the linear classifier.

Each demo is a plain compute/draw function (unit-tested in ``tests/test_demo_optimization.py``)
plus, for the one learners play with, a thin ``*_widget()`` wrapper.

Introduced in ``notebooks/06_optimization.ipynb``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from .._validation import (
    as_float_array,
    check_choice,
    check_int,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_seed,
)
from .. import distances as _distances

__all__ = [
    "bowl_loss",
    "gradient_descent_path",
    "draw_gd_on_bowl",
    "gd_bowl_widget",
    "loss_slice",
    "draw_loss_slice",
    "finite_difference_errors",
    "weights_accuracy",
    "search_hyperparameters",
    "draw_search_scatter",
]


# ----------------------------------------------------------------------------- a 2-D bowl


def _check_curvatures(curvatures) -> np.ndarray:
    c = as_float_array(curvatures, "curvatures", ndim=1)
    if c.shape != (2,) or np.any(c <= 0):
        raise ValueError(f"curvatures must be two positive numbers, got {c.tolist()}")
    return c


def bowl_loss(w, curvatures=(1.0, 10.0)):
    """A 2-D quadratic bowl ``L(w) = ½ (a·w₀² + b·w₁²)`` and its gradient ``(a·w₀, b·w₁)``.

    The curvatures differ (by default 1 and 10), like a real loss whose valley is much steeper
    in some directions than in others: gradient descent zig-zags across the steep direction
    and diverges once ``learning_rate > 2 / max(curvatures)`` (0.2 by default), while the flat
    direction alone would allow steps up to ``2 / min(curvatures)``.

    Parameters
    ----------
    w : array_like of float, shape (2,) — or (..., 2) to evaluate many points at once
    curvatures : (float, float), both > 0

    Returns
    -------
    loss : float (or array of shape ``w.shape[:-1]``)
    grad : numpy.ndarray of float64, the shape of ``w``

    Raises
    ------
    TypeError, ValueError
        ``w`` whose last axis is not 2; non-positive curvatures.

    Source: the textbook model of gradient descent on an ill-conditioned quadratic (e.g.
    Goodfellow, Bengio & Courville, *Deep Learning*, §4.3). Introduced in notebook 06.
    """
    w = as_float_array(w, "w")
    if w.shape[-1:] != (2,):
        raise ValueError(f"w must have a last axis of length 2, got shape {w.shape}")
    c = _check_curvatures(curvatures)
    loss = 0.5 * np.sum(c * w**2, axis=-1)
    grad = c * w
    return (float(loss) if np.ndim(loss) == 0 else loss), grad


def gradient_descent_path(grad_fn: Callable, start, learning_rate: float, num_steps: int,
                          max_norm: float = 1e6) -> np.ndarray:
    """The points visited by gradient descent ``w ← w − learning_rate · grad_fn(w)``.

    Parameters
    ----------
    grad_fn : callable, ``w (2,) -> gradient (2,)``
    start : array_like of float, shape (P,), the starting point
    learning_rate : float > 0
    num_steps : int ≥ 0
    max_norm : float > 0, default 1e6
        Stop early once ``|w|`` exceeds this (the run is diverging; further points would
        only overflow).

    Returns
    -------
    path : numpy.ndarray of float64, shape (k + 1, P), ``path[0] == start``, ``k ≤ num_steps``
        (``k < num_steps`` only when the run diverged).

    Raises
    ------
    TypeError, ValueError
        Bad arguments; ``grad_fn`` returning the wrong shape.

    Source: lecture part 3 (gradient descent). Introduced in notebook 06.
    """
    if not callable(grad_fn):
        raise TypeError(f"grad_fn must be callable, got {type(grad_fn).__name__}")
    w = np.array(as_float_array(start, "start", ndim=1), dtype=np.float64, copy=True)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    num_steps = check_int(num_steps, "num_steps", low=0)
    max_norm = check_positive_float(max_norm, "max_norm")
    path = [w.copy()]
    for _ in range(num_steps):
        g = np.asarray(grad_fn(w), dtype=np.float64)
        if g.shape != w.shape:
            raise ValueError(f"grad_fn returned shape {g.shape}, expected {w.shape}")
        w = w - learning_rate * g
        path.append(w.copy())
        if not np.all(np.isfinite(w)) or np.linalg.norm(w) > max_norm:
            break
    return np.array(path)


@lru_cache(maxsize=8)
def _bowl_grid(curvatures: tuple, lim: float, resolution: int):
    g = np.linspace(-lim, lim, resolution)
    A, B = np.meshgrid(g, g)
    L, _ = bowl_loss(np.stack([A, B], axis=-1), curvatures)
    return A, B, L


def _contour_levels(top: float, count: int = 12) -> np.ndarray:
    """``count`` increasing, geometrically spaced contour levels up to ``top`` (the largest
    loss shown): from 0.05 — the default bowl's picture — or from ``top / 1000`` when the
    bowl is shallower than 50 there (a small ``lim``, tiny curvatures), so the levels always
    increase. Fewer than 2 levels only for a bowl flat to within float precision."""
    low = min(0.05, top / 1000)
    if not low > 0.0:  # top / 1000 underflowed
        low = top
    return np.unique(np.geomspace(low, top, count))


def draw_gd_on_bowl(ax, learning_rate: float, num_steps: int = 20, *, start=(-4.0, 2.5),
                    curvatures=(1.0, 10.0), lim: float = 5.0) -> dict:
    """Draw the bowl's contour lines and the path of gradient descent on it.

    The contour grid is computed once per (curvatures, lim) and cached, so moving a slider
    only redraws the path (fast).

    Parameters
    ----------
    ax : matplotlib Axes
    learning_rate : float > 0
    num_steps : int ≥ 0
    start : (float, float), default (-4, 2.5)
    curvatures : (float, float), see :func:`bowl_loss`
    lim : float > 0, the plot shows ``[-lim, lim]²``

    Returns
    -------
    dict with ``path`` ((k+1, 2) array), ``final_loss`` (float, the loss at the last point),
    ``diverged`` (bool: the last point is farther from the minimum than the start) and
    ``critical_learning_rate`` (``2 / max(curvatures)``).

    Raises
    ------
    TypeError, ValueError
        As :func:`gradient_descent_path` and :func:`bowl_loss`.

    Source: lecture part 3 (gradient descent). Introduced in notebook 06.
    """
    c = _check_curvatures(curvatures)
    lim = check_positive_float(lim, "lim")
    grad_fn = lambda w: bowl_loss(w, c)[1]  # noqa: E731
    path = gradient_descent_path(grad_fn, start, learning_rate, num_steps)
    A, B, L = _bowl_grid(tuple(float(v) for v in c), lim, 121)
    levels = _contour_levels(float(L.max()))
    if len(levels) >= 2:
        ax.contour(A, B, L, levels=levels, cmap="Greys", linewidths=0.8)
    shown = np.clip(path, -lim * 1.5, lim * 1.5)
    ax.plot(shown[:, 0], shown[:, 1], "o-", color="#D55E00", markersize=3, linewidth=1.2)
    ax.plot(*path[0], "s", color="#0072B2", markersize=7, label="start")
    ax.plot(0, 0, "*", color="#009E73", markersize=12, label="minimum")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_0$")
    ax.set_ylabel("$w_1$")
    final_loss = float(0.5 * np.sum(c * path[-1] ** 2))
    diverged = bool(np.linalg.norm(path[-1]) > np.linalg.norm(path[0]))
    ax.set_title(f"learning rate {learning_rate:.3g}: loss {final_loss:.3g} after {len(path) - 1} steps",
                 fontsize=11)
    return {
        "path": path,
        "final_loss": final_loss,
        "diverged": diverged,
        "critical_learning_rate": float(2.0 / c.max()),
    }


def gd_bowl_widget(curvatures=(1.0, 10.0)):
    """A learning-rate slider (log scale) and a step-count slider driving :func:`draw_gd_on_bowl`.

    Returns
    -------
    ipywidgets.interactive
        Display it in a notebook; ``.children`` holds the two sliders, ``.result`` the dict
        :func:`draw_gd_on_bowl` returned for the current values.

    Source: lecture part 3. Introduced in notebook 06.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    c = tuple(float(v) for v in _check_curvatures(curvatures))

    def update(learning_rate=0.05, num_steps=20):
        fig, ax = plt.subplots(figsize=(5.5, 5))
        out = draw_gd_on_bowl(ax, learning_rate, num_steps, curvatures=c)
        plt.show()
        return out

    return widgets.interactive(
        update,
        learning_rate=widgets.FloatLogSlider(value=0.05, base=10, min=-3, max=np.log10(0.25),
                                             step=0.05, description="learning rate",
                                             readout_format=".3f", continuous_update=True,
                                             style={"description_width": "initial"}),
        num_steps=widgets.IntSlider(value=20, min=0, max=60, description="steps",
                                    continuous_update=True, style={"description_width": "initial"}),
    )


# ----------------------------------------------------------------------------- loss landscape


def loss_slice(W, X, y, directions: Sequence, steps, *, reg: float = 0.0,
               per_sample_loss: Callable | None = None) -> np.ndarray:
    """The loss along a line (one direction) or over a plane (two directions) through ``W``.

    With one direction ``D1`` it returns ``L(W + a·D1)`` for every ``a`` in ``steps``; with two,
    ``L(W + a·D1 + b·D2)`` for every pair (``b`` along the rows, ``a`` along the columns).
    ``L`` is the mean of ``per_sample_loss(scores, y)`` plus ``reg * sum(W**2)``. The scores
    ``X @ (W + a·D1 + b·D2) = X@W + a·X@D1 + b·X@D2`` are linear in ``a`` and ``b``, so only
    three matrix products are needed however fine the grid.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    directions : sequence of 1 or 2 arrays of shape (D, C)
    steps : array_like of float, shape (S,), the step sizes ``a`` (and ``b``)
    reg : float ≥ 0, default 0
    per_sample_loss : callable ``(scores (M, C), y (M,)) -> (M,)``, default
        ``course_lib.losses.hinge_loss`` (the multiclass SVM loss)

    Returns
    -------
    numpy.ndarray of float64, shape (S,) for one direction, (S, S) for two

    Memory: the grid points are evaluated in chunks, so the scores held at once take at most
    ``course_lib.distances.WORKING_MEMORY_BYTES`` (64 MiB; at least one grid point's
    ``N·C·8`` bytes), plus what ``per_sample_loss`` allocates for one chunk (a few times that
    for ``hinge_loss``) and the ``N·C·8``-byte products ``X @ W`` and ``X @ D``; never the
    whole ``(S², N, C)`` array.

    Raises
    ------
    TypeError, ValueError
        Shapes that do not match, not 1 or 2 directions, bad labels, a ``per_sample_loss``
        that does not return one loss per row.

    Source: CS231n notes "Optimization", "Visualizing the loss function". Introduced in
    notebook 06.
    """
    W = as_float_array(W, "W", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; they must match")
    y = check_labels(y, "y", num_classes=W.shape[1], n=X.shape[0])
    if isinstance(directions, np.ndarray) and directions.ndim == 2:
        directions = [directions]
    dirs = [as_float_array(d, f"directions[{i}]", ndim=2) for i, d in enumerate(directions)]
    if len(dirs) not in (1, 2):
        raise ValueError(f"directions must hold 1 or 2 arrays, got {len(dirs)}")
    for i, d in enumerate(dirs):
        if d.shape != W.shape:
            raise ValueError(f"directions[{i}] must have W's shape {W.shape}, got {d.shape}")
    steps = as_float_array(steps, "steps", ndim=1)
    reg = check_nonnegative_float(reg, "reg")
    if per_sample_loss is None:
        from ..losses import hinge_loss as per_sample_loss
    N, C = X.shape[0], W.shape[1]
    S0 = X @ W
    if len(dirs) == 1:
        a = steps
        coef = [a]
    else:
        b_grid, a_grid = np.meshgrid(steps, steps, indexing="ij")
        a, b = a_grid.ravel(), b_grid.ravel()
        coef = [a, b]
    XD = [X @ d for d in dirs]
    G = len(coef[0])
    # The grid points are processed in chunks whose scores, (chunk, N, C), stay within
    # WORKING_MEMORY_BYTES, instead of all G = S² at once (120² points × 500 samples × 10
    # classes would be 0.6 GB of scores, and several times that in temporaries).
    chunk = max(1, _distances.WORKING_MEMORY_BYTES // (8 * N * C))
    data = np.empty(G)
    for start in range(0, G, chunk):
        part = slice(start, min(G, start + chunk))
        g = part.stop - part.start
        scores = np.broadcast_to(S0, (g, N, C)).copy()
        for k, xd in zip(coef, XD):
            scores += k[part, None, None] * xd[None]
        losses = np.asarray(per_sample_loss(scores.reshape(-1, C), np.tile(y, g)), dtype=np.float64)
        if losses.shape != (g * N,):
            raise ValueError(
                f"per_sample_loss must return one loss per row of the scores it is given, shape "
                f"({g * N},), got shape {losses.shape}"
            )
        data[part] = losses.reshape(g, N).mean(axis=1)
    # reg * |W + sum_k c_k d_k|^2, expanded so no (G, D, C) array is needed
    Ws = [W] + dirs
    gram = np.array([[np.sum(p * q) for q in Ws] for p in Ws])
    cvec = np.vstack([np.ones_like(coef[0])] + coef)  # (1 + K, G)
    penalty = np.einsum("ig,ij,jg->g", cvec, gram, cvec)
    total = data + reg * penalty
    return total if len(dirs) == 1 else total.reshape(len(steps), len(steps))


def draw_loss_slice(ax, steps, losses, *, title: str | None = None, cmap: str = "viridis"):
    """Draw a 1-D loss slice as a curve or a 2-D one as a coloured image with contour lines.

    Parameters
    ----------
    ax : matplotlib Axes
    steps : array_like, shape (S,)
    losses : array_like, shape (S,) or (S, S), from :func:`loss_slice`
    title : str, optional

    Returns
    -------
    The line (1-D) or image (2-D) artist.

    Raises
    ------
    ValueError
        ``losses`` whose shape does not match ``steps``.

    Source: CS231n notes "Optimization" (loss-landscape figure). Introduced in notebook 06.
    """
    steps = as_float_array(steps, "steps", ndim=1)
    losses = as_float_array(losses, "losses", ndim=(1, 2))
    S = len(steps)
    if losses.shape not in ((S,), (S, S)):
        raise ValueError(f"losses must have shape ({S},) or ({S}, {S}), got {losses.shape}")
    if losses.ndim == 1:
        (artist,) = ax.plot(steps, losses, color="#0072B2")
        ax.axvline(0.0, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel("step a along the direction")
        ax.set_ylabel("loss")
    else:
        ext = (steps[0], steps[-1], steps[0], steps[-1])
        artist = ax.imshow(losses, origin="lower", extent=ext, cmap=cmap, aspect="auto")
        ax.contour(steps, steps, losses, levels=10, colors="white", linewidths=0.5)
        ax.plot(0, 0, "+", color="red", markersize=10)
        ax.set_xlabel("step a")
        ax.set_ylabel("step b")
    if title:
        ax.set_title(title, fontsize=11)
    return artist


# ----------------------------------------------------------------------------- finite differences


def finite_difference_errors(f: Callable, df: Callable, x0: float, hs, method: str = "centred") -> np.ndarray:
    """The absolute error of a finite-difference derivative of ``f`` at ``x0`` for each step h.

    ``|(f(x0 + h) - f(x0)) / h - df(x0)|`` (forward) or
    ``|(f(x0 + h) - f(x0 - h)) / (2h) - df(x0)|`` (centred). On a log-log plot against h the
    error first falls (truncation error, slope 1 forward and 2 centred) and then rises again
    as h gets tiny (rounding error, about ``|f(x0)| · 1e-16 / h``).

    Parameters
    ----------
    f, df : callable, a scalar function of one float and its exact derivative
    x0 : float
    hs : array_like of float > 0, shape (K,)
    method : {"centred", "forward"}

    Returns
    -------
    numpy.ndarray of float64, shape (K,)

    Raises
    ------
    TypeError, ValueError
        Non-callable ``f``/``df``, non-positive steps, unknown method.

    Source: lecture part 3 (the derivative as a limit); any numerical-analysis text on
    finite differences. Introduced in notebook 06.
    """
    if not callable(f) or not callable(df):
        raise TypeError("f and df must be callables of one float")
    x0 = float(as_float_array(x0, "x0", ndim=0))
    hs = as_float_array(hs, "hs", ndim=1)
    if np.any(hs <= 0):
        raise ValueError("hs must hold step sizes > 0")
    method = check_choice(method, "method", ("centred", "forward"))
    exact = float(df(x0))
    out = np.empty(len(hs))
    for i, h in enumerate(hs):
        if method == "centred":
            approx = (float(f(x0 + h)) - float(f(x0 - h))) / (2 * h)
        else:
            approx = (float(f(x0 + h)) - float(f(x0))) / h
        out[i] = abs(approx - exact)
    return out


# ----------------------------------------------------------------------------- training


def weights_accuracy(W, X, y) -> float:
    """Accuracy of the linear classifier with weights ``W`` on ``X``: mean(argmax(X @ W) == y).

    For a folded ``W`` of shape (D + 1, C) pass ``X`` with its bias column
    (``course_lib.linear.append_bias_column``) — handy inside a training callback.

    Raises
    ------
    TypeError, ValueError
        Shapes that do not match, bad labels.

    Introduced in notebook 06.
    """
    W = as_float_array(W, "W", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; they must match")
    y = check_labels(y, "y", num_classes=W.shape[1], n=X.shape[0])
    return float(np.mean(np.argmax(X @ W, axis=1) == y))


def search_hyperparameters(X_train, y_train, X_val, y_val, learning_rates, regs, *,
                           loss: str = "svm", num_iters: int = 200, batch_size: int = 200,
                           seed: int = 0) -> dict:
    """Train one ``LinearClassifier`` per (learning_rate, reg) pair; score it on validation data.

    Every model starts from the same seeded weights and sees the same minibatches (same
    ``seed``), so the only differences are the two hyperparameters. A run whose loss
    diverges is recorded with accuracy NaN (not an error: too large a learning rate is a
    legitimate outcome of a search).

    Parameters
    ----------
    X_train, X_val : array_like, shapes (N, D) and (M, D), preprocessed features
    y_train, y_val : array_like of int, shapes (N,) and (M,)
    learning_rates, regs : sequences of float (> 0 and ≥ 0)
    loss : {"svm", "softmax"}
    num_iters, batch_size : int ≥ 1, the SGD schedule of every run
    seed : int ≥ 0, seed of the initial weights and of the minibatches

    Returns
    -------
    dict with
        ``results``: dict ``(learning_rate, reg) -> (train_accuracy, val_accuracy)``;
        ``best``: the ``(learning_rate, reg)`` with the highest validation accuracy (the
        first in grid order on ties);
        ``best_model``: the trained ``LinearClassifier`` of that pair.

    Raises
    ------
    TypeError, ValueError
        Bad data or hyperparameters; every run diverged.

    Source: lecture part 1 ("On hyperparameters": choose them on a validation set, never on
    the test set); CS231n assignment 1 (``svm.ipynb`` / ``softmax.ipynb`` grid search).
    Introduced in notebook 06.
    """
    from ..linear import LinearClassifier
    from ..optim import TrainingDiverged

    X_train = as_float_array(X_train, "X_train", ndim=2)
    X_val = as_float_array(X_val, "X_val", ndim=2)
    y_train = check_labels(y_train, "y_train", n=X_train.shape[0])
    y_val = check_labels(y_val, "y_val", n=X_val.shape[0])
    if X_val.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_val has {X_val.shape[1]} columns but X_train has {X_train.shape[1]}; they must match"
        )
    for name, values in (("learning_rates", learning_rates), ("regs", regs)):
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(
                f"{name} must be a sequence of numbers, e.g. [1e-3, 1e-2] (a list even for one "
                f"value), got {type(values).__name__} {values!r}"[:160]
            )
    lrs = [check_positive_float(v, f"learning_rates[{i}]") for i, v in enumerate(learning_rates)]
    regs = [check_nonnegative_float(v, f"regs[{i}]") for i, v in enumerate(regs)]
    if not lrs or not regs:
        raise ValueError("learning_rates and regs must each hold at least one value")
    loss = check_choice(loss, "loss", ("svm", "softmax"))
    num_iters = check_int(num_iters, "num_iters", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    seed = check_seed(seed)
    C = int(max(y_train.max(), y_val.max())) + 1
    results, best, best_acc, best_model = {}, None, -1.0, None
    for lr in lrs:
        for reg in regs:
            model = LinearClassifier(X_train.shape[1], C, seed=seed)
            try:
                model.fit(X_train, y_train, loss=loss, learning_rate=lr, reg=reg,
                          num_iters=num_iters, batch_size=batch_size, seed=seed)
            except TrainingDiverged:
                results[(lr, reg)] = (float("nan"), float("nan"))
                continue
            train_acc, val_acc = model.accuracy(X_train, y_train), model.accuracy(X_val, y_val)
            results[(lr, reg)] = (train_acc, val_acc)
            if val_acc > best_acc:
                best, best_acc, best_model = (lr, reg), val_acc, model
    if best is None:
        raise ValueError("every run diverged: use smaller learning_rates")
    return {"results": results, "best": best, "best_model": best_model}


def draw_search_scatter(ax, results: dict, *, title: str | None = None, vmin=None, vmax=None,
                        annotate: bool = True):
    """Scatter of a hyperparameter search: learning rate × reg (log axes), colour = validation accuracy.

    Diverged runs (NaN) are drawn as grey crosses; the best run is ringed.

    Parameters
    ----------
    ax : matplotlib Axes
    results : dict ``(learning_rate, reg) -> (train_accuracy, val_accuracy)``, as returned in
        :func:`search_hyperparameters`'s ``"results"``
    title : str, optional
    vmin, vmax : float, optional colour limits (share them between two panels to compare)
    annotate : bool, default True
        Write each run's validation accuracy (in per cent) next to its dot.

    Returns
    -------
    The ``PathCollection`` of the scatter (use it for a colour bar), or None when every run
    diverged.

    Raises
    ------
    ValueError
        Empty ``results``; a reg of 0 (it cannot be placed on a log axis).

    Source: CS231n assignment 1 (the coloured cross-validation scatter). Introduced in
    notebook 06.
    """
    if not results:
        raise ValueError("results must hold at least one (learning_rate, reg) entry")
    keys = list(results)
    lr = np.array([k[0] for k in keys], dtype=float)
    reg = np.array([k[1] for k in keys], dtype=float)
    if np.any(reg <= 0):
        raise ValueError("results: reg values must be > 0 to be drawn on a log axis")
    val = np.array([results[k][1] for k in keys], dtype=float)
    ok = np.isfinite(val)
    sc = None
    if ok.any():
        sc = ax.scatter(lr[ok], reg[ok], c=val[ok], s=220, cmap="viridis", vmin=vmin, vmax=vmax,
                        edgecolors="black", linewidths=0.5)
        i = int(np.nanargmax(np.where(ok, val, -np.inf)))
        ax.scatter([lr[i]], [reg[i]], s=480, facecolors="none", edgecolors="#D55E00", linewidths=2)
    if annotate:
        for a, r, v in zip(lr, reg, val):
            text = f"{v:.0%}" if np.isfinite(v) else "diverged"
            ax.annotate(text, (a, r), xytext=(0, 13), textcoords="offset points", ha="center",
                        fontsize=9)
    if (~ok).any():
        ax.scatter(lr[~ok], reg[~ok], marker="x", s=80, color="grey", label="diverged")
        ax.legend(loc="upper right", fontsize=9)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.margins(x=0.15, y=0.2)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("reg (λ)")
    if title:
        ax.set_title(title, fontsize=12)
    return sc


def _benchmark_redraw(learning_rate, num_steps):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5))
    draw_gd_on_bowl(ax, learning_rate, num_steps)
    return fig


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: one redraw of the demo.
BENCHMARK_CASES = [
    (
        "06 gradient descent on a bowl",
        lambda **kw: _close(_benchmark_redraw(**kw)),
        [dict(learning_rate=0.05, num_steps=20), dict(learning_rate=0.2, num_steps=60)],
    ),
]

"""Learning as optimisation: find the W that makes the loss small.

Introduced in ``notebooks/06_optimization.ipynb`` (lecture part 3, "Learning process via
optimization"). The lecture's three strategies, from worst to best:

1. :func:`random_search` — try random weight matrices, keep the best one;
2. :func:`random_local_search` — start somewhere, try a random step, keep it only if the
   loss went down;
3. follow the negative gradient: :func:`gradient_descent` (the gradient of the loss over all
   N training samples at every step) and :func:`sgd`, minibatch stochastic gradient descent
   (the gradient over a small random batch of 32 / 64 / 128 / … samples at every step).

Every optimiser takes a loss function with the signature of ``course_lib.losses``:
``loss_fn(W, X, y, reg) -> (loss, dW)`` where ``loss`` is a float (mean data loss plus
``reg * sum(W**2)``) and ``dW`` its gradient, an array of ``W``'s shape. None of them modifies
the ``W`` it is given: they work on a float64 copy and return the new weights.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import (
    _asarray,
    as_float_array,
    check_int,
    check_label_range,
    check_nonnegative_float,
    check_positive_float,
    check_same_rows,
    check_seed,
)

__all__ = [
    "TrainingDiverged",
    "sgd",
    "gradient_descent",
    "random_search",
    "random_local_search",
    "minibatch_indices",
]


class TrainingDiverged(FloatingPointError, ValueError):
    """The loss (or its gradient) became NaN or infinite during training.

    Raised by :func:`sgd` and :func:`gradient_descent`. It is both a ``FloatingPointError``
    and a ``ValueError``, so either ``except`` clause catches it.

    Attributes
    ----------
    iteration : int
        The 0-based iteration at which the non-finite value appeared.
    loss_history : list of float
        The (finite) losses of the iterations before it, so a diverging run can still be
        plotted.
    learning_rate : float
        The step size that was used.
    """

    def __init__(self, message: str, *, iteration: int, loss_history: list, learning_rate: float):
        super().__init__(message)
        self.iteration = iteration
        self.loss_history = loss_history
        self.learning_rate = learning_rate


# ----------------------------------------------------------------------------- checks


def _check_loss_fn(loss_fn) -> None:
    if not callable(loss_fn):
        raise TypeError(
            "loss_fn must be a callable loss_fn(W, X, y, reg) -> (loss, dW), "
            f"got {type(loss_fn).__name__}"
        )


def _check_data(X, y):
    X = as_float_array(X, "X", ndim=2)
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"y must be an array of N labels (or targets), got {type(y).__name__}")
    y = _asarray(y, "y")
    if y.ndim == 0:
        raise ValueError("y must have one entry per row of X, got a scalar")
    if y.dtype == object or not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
        raise TypeError(f"y must hold numeric labels (or targets), got dtype {y.dtype}")
    check_same_rows(X, "X", y, "y")
    return X, y


def _check_weights(W, X: np.ndarray) -> np.ndarray:
    """A float64 copy of W (never the caller's array), with W.shape[0] == D checked."""
    W = as_float_array(W, "W", ndim=(1, 2))
    if W.shape[0] != X.shape[1]:
        raise ValueError(
            f"W must have one row per feature of X: X is {X.shape} so W needs "
            f"{X.shape[1]} rows, got W of shape {W.shape}"
        )
    return np.array(W, dtype=np.float64, copy=True)


def _evaluate(loss_fn, W, X, y, reg, *, iteration, history, learning_rate, need_grad=True):
    """Call loss_fn, convert and check its output; raise TrainingDiverged if not finite."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = loss_fn(W, X, y, reg)
    if not (isinstance(out, tuple) and len(out) == 2):
        raise TypeError(
            "loss_fn must return a pair (loss, dW), got "
            f"{type(out).__name__}" + (f" of length {len(out)}" if isinstance(out, tuple) else "")
        )
    loss, dW = out
    loss_arr = np.asarray(loss) if not isinstance(loss, (str, bytes)) else np.asarray(None)
    if loss_arr.dtype.kind not in "biuf" or loss_arr.size != 1:
        # (None would become NaN below and be reported as divergence: a wrong diagnosis)
        raise TypeError(
            f"loss_fn must return (loss, dW) with loss a number, got loss = {type(loss).__name__} "
            f"{loss!r}"[:160]
        )
    loss = float(loss_arr.astype(np.float64).reshape(()))
    if need_grad:
        if dW is None or isinstance(dW, (str, bytes)):
            raise TypeError(f"loss_fn must return (loss, dW) with dW an array of W's shape, got dW = {dW!r}"[:160])
        dW = np.asarray(dW, dtype=np.float64)
        if dW.shape != W.shape:
            raise ValueError(
                f"loss_fn returned dW of shape {dW.shape}, but W has shape {W.shape}"
            )
        finite = np.isfinite(loss) and bool(np.all(np.isfinite(dW)))
    else:
        finite = bool(np.isfinite(loss))
    if not finite:
        what = "the loss" if not np.isfinite(loss) else "the gradient dW"
        if learning_rate is None:
            raise ValueError(
                f"loss_fn returned a non-finite loss ({loss}) at try {iteration}; check the "
                "data (scaled? finite?) and the weight scale"
            )
        raise TrainingDiverged(
            f"training diverged: {what} became {'NaN' if np.isnan(loss) else 'non-finite'} at "
            f"iteration {iteration} (learning_rate={learning_rate:g}). The steps are too large "
            f"for this loss: try a smaller learning_rate (e.g. {learning_rate / 10:g}), and "
            "check that the data are scaled (pixels / 255, mean image subtracted).",
            iteration=iteration,
            loss_history=list(history),
            learning_rate=learning_rate,
        )
    return loss, dW


# ----------------------------------------------------------------------------- minibatches


def minibatch_indices(num_samples: int, batch_size: int, num_batches: int, seed: int = 0):
    """The row indices of the minibatches :func:`sgd` uses, one array per iteration.

    The rule (sampling without replacement within an epoch, "drop last"): a fresh random
    permutation of ``0 … N-1`` is drawn with ``np.random.default_rng(seed)`` at the start of
    each epoch and cut into consecutive batches of ``batch_size`` rows. The ``N mod
    batch_size`` rows left at the end of a permutation are not used in that epoch (each epoch
    starts a new permutation), so every minibatch has exactly ``batch_size`` distinct rows,
    no row appears twice in an epoch, and every row is equally likely to be left out.
    With ``batch_size >= N`` every batch is all rows in their original order (full-batch
    gradient descent; no randomness).

    Parameters
    ----------
    num_samples : int ≥ 1, N
    batch_size : int ≥ 1
    num_batches : int ≥ 1, how many minibatches (iterations) to generate
    seed : int ≥ 0

    Returns
    -------
    iterator of numpy.ndarray of int64, each of shape (min(batch_size, N),)

    Raises
    ------
    TypeError, ValueError
        An argument that is not an integer in its range.

    Source: CS231n notes "Optimization", "Mini-batch gradient descent"; PyTorch's
    ``DataLoader(shuffle=True, drop_last=True)`` follows the same rule. Introduced in notebook
    06_optimization.
    """
    num_samples = check_int(num_samples, "num_samples", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    num_batches = check_int(num_batches, "num_batches", low=1)
    seed = check_seed(seed)
    return _minibatches(num_samples, batch_size, num_batches, seed)


def _minibatches(num_samples: int, batch_size: int, num_batches: int, seed):
    """The generator behind :func:`minibatch_indices` (arguments already checked)."""
    if batch_size >= num_samples:
        everything = np.arange(num_samples)
        for _ in range(num_batches):
            yield everything
        return
    rng = np.random.default_rng(seed)
    per_epoch = num_samples // batch_size
    produced = 0
    while produced < num_batches:
        perm = rng.permutation(num_samples)
        for j in range(min(per_epoch, num_batches - produced)):
            yield perm[j * batch_size:(j + 1) * batch_size]
        produced += per_epoch


# ----------------------------------------------------------------------------- gradient descent


def sgd(
    loss_fn: Callable,
    W,
    X,
    y,
    *,
    learning_rate: float,
    reg: float,
    batch_size: int,
    num_iters: int,
    seed: int = 0,
    callback: Callable | None = None,
):
    """Minibatch stochastic gradient descent: ``W ← W − learning_rate · dW`` on random batches.

    At iteration ``t = 0 … num_iters-1`` a minibatch of ``batch_size`` rows is taken (see
    :func:`minibatch_indices` for the rule: without replacement within an epoch, a new
    permutation each epoch, leftover rows skipped), the loss and its gradient are evaluated
    on it at the current weights, the loss is recorded and the weights take one step against
    the gradient. With ``batch_size >= N`` this is full-batch :func:`gradient_descent`.

    Parameters
    ----------
    loss_fn : callable
        ``loss_fn(W, X_batch, y_batch, reg) -> (loss, dW)``, e.g.
        ``course_lib.losses.svm_loss_vectorized`` or ``softmax_loss_vectorized``.
    W : array_like of float, shape (D, C) (or (D,) for a one-output model)
        The starting weights. **Not modified**: training works on a float64 copy.
    X : array_like, shape (N, D)
        Training data, one sample per row (integers, e.g. uint8 pixels, are converted to
        float64 first; scale them before training).
    y : array_like, shape (N,)
        Labels (int, in ``[0, C)``) or targets; passed to ``loss_fn`` batch by batch.
    learning_rate : float > 0
        The step size. Not to be confused with ``reg`` (λ), the regularisation strength:
        two different hyperparameters.
    reg : float ≥ 0
        Regularisation strength λ, passed to ``loss_fn``.
    batch_size : int ≥ 1
        Samples per minibatch (32, 64, 128, 256 are common).
    num_iters : int ≥ 1
        Number of update steps.
    seed : int ≥ 0, default 0
        Seed of the minibatch sampling: the same seed gives the same result.
    callback : callable, optional
        ``callback(iteration, loss, W)`` after each step, with the 0-based iteration, the
        minibatch loss of that step (before the update) and the weights after the update (a
        read-only array that is never changed afterwards; keep it if you like).

    Returns
    -------
    W_new : numpy.ndarray of float64, the shape of ``W``
        The weights after ``num_iters`` steps.
    loss_history : list of float, length num_iters
        The minibatch loss at each iteration, measured before that iteration's update.

    Raises
    ------
    TypeError, ValueError
        Bad arguments: ``loss_fn``/``callback`` not callable; ``X`` not 2-D or not finite;
        ``y``'s length ≠ N; ``W.shape[0] ≠ D``; ``learning_rate <= 0``; ``reg < 0``;
        ``batch_size < 1``; ``num_iters < 1``; ``loss_fn`` not returning ``(loss, dW)`` with
        ``dW`` of ``W``'s shape.
    TrainingDiverged
        (a ``FloatingPointError`` and a ``ValueError``) the loss or gradient became NaN or
        infinite; the message suggests a smaller learning rate, and the exception carries
        the ``loss_history`` so far.

    Source: lecture part 3 ("iteratively calculating the gradient and then performing a
    parameter update is called gradient descent"; minibatches of 32/64/128); CS231n notes
    "Optimization". Introduced in notebook 06_optimization.
    """
    _check_loss_fn(loss_fn)
    X, y = _check_data(X, y)
    W_new = _check_weights(W, X)
    learning_rate = check_positive_float(learning_rate, "learning_rate")
    reg = check_nonnegative_float(reg, "reg")
    batch_size = check_int(batch_size, "batch_size", low=1)
    num_iters = check_int(num_iters, "num_iters", low=1)
    seed = check_seed(seed)
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be None or callable(iteration, loss, W), got {type(callback).__name__}"
        )
    N = X.shape[0]
    full_batch = batch_size >= N
    history: list[float] = []
    batches = minibatch_indices(N, batch_size, num_iters, seed)
    for it, idx in enumerate(batches):
        Xb, yb = (X, y) if full_batch else (X[idx], y[idx])
        loss, dW = _evaluate(
            loss_fn, W_new, Xb, yb, reg,
            iteration=it, history=history, learning_rate=learning_rate,
        )
        history.append(loss)
        with np.errstate(over="ignore", invalid="ignore"):
            W_next = W_new - learning_rate * dW  # a new array: earlier callback W stay as they were
        if not np.all(np.isfinite(W_next)):
            raise TrainingDiverged(
                f"training diverged: the weights overflowed to inf/NaN at iteration {it} "
                f"(learning_rate={learning_rate:g}). Try a smaller learning_rate "
                f"(e.g. {learning_rate / 10:g}).",
                iteration=it, loss_history=list(history), learning_rate=learning_rate,
            )
        W_new = W_next
        if callback is not None:
            view = W_new.view()
            view.flags.writeable = False
            callback(it, loss, view)
    if callback is not None:
        # The callback's last snapshot is a view of W_new: the caller gets its own copy, so
        # changing the returned weights never changes a snapshot (as documented).
        W_new = W_new.copy()
    return W_new, history


def gradient_descent(
    loss_fn: Callable,
    W,
    X,
    y,
    *,
    learning_rate: float,
    reg: float,
    num_iters: int,
    callback: Callable | None = None,
):
    """Full-batch gradient descent: every step uses the gradient of the loss over all N rows.

    The same as :func:`sgd` with ``batch_size = N`` (no randomness). Each step costs a pass
    over the whole training set, which is why minibatches are used in practice.

    Parameters
    ----------
    loss_fn, W, X, y, learning_rate, reg, num_iters, callback
        As in :func:`sgd`. ``W`` is not modified.

    Returns
    -------
    W_new : numpy.ndarray of float64, the shape of ``W``
    loss_history : list of float, length num_iters, the loss at each iteration before its update

    Raises
    ------
    TypeError, ValueError, TrainingDiverged
        As :func:`sgd`.

    Source: lecture part 3 (gradient descent, the gradient of the full loss
    ∇L = 1/N Σ ∇L_i + λ ∇R). Introduced in notebook 06_optimization.
    """
    _check_loss_fn(loss_fn)
    X, y = _check_data(X, y)
    return sgd(
        loss_fn, W, X, y, learning_rate=learning_rate, reg=reg, batch_size=X.shape[0],
        num_iters=num_iters, seed=0, callback=callback,
    )


# ----------------------------------------------------------------------------- strawmen


def _num_classes(y: np.ndarray, num_classes) -> int:
    if num_classes is not None:
        return check_int(num_classes, "num_classes", low=1)
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(
            f"y must hold integer class labels to infer the number of classes, got dtype "
            f"{y.dtype}; pass num_classes"
        )
    if y.min() < 0:
        raise ValueError(f"y must hold labels >= 0, found {y.min()}")
    return check_label_range(y, "y")  # refuses y = [0, 10**9]: W would get 10**9 + 1 columns


def random_search(
    loss_fn: Callable,
    X,
    y,
    *,
    num_tries: int,
    reg: float = 0.0,
    weight_scale: float = 1e-3,
    seed: int = 0,
    num_classes: int | None = None,
):
    """Strategy 1: draw random weight matrices and keep the one with the lowest loss.

    Each try draws ``W = weight_scale * rng.standard_normal((D, C))`` with
    ``rng = np.random.default_rng(seed)`` and evaluates ``loss_fn(W, X, y, reg)`` on all of
    ``X``. Nothing is learned from one try to the next, which is why this is a strawman.

    Parameters
    ----------
    loss_fn : callable, ``loss_fn(W, X, y, reg) -> (loss, dW)`` (``dW`` is ignored)
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,), labels in ``[0, C)``
    num_tries : int ≥ 1
        The budget: how many random W to evaluate.
    reg : float ≥ 0, default 0.0
    weight_scale : float > 0, default 1e-3
        Standard deviation of the random weights.
    seed : int ≥ 0, default 0
    num_classes : int ≥ 1, optional
        C; default ``y.max() + 1`` (refused when that is more than 10 times the number of
        distinct labels and more than 1000, e.g. ``y = [0, 10**9]``: pass ``num_classes`` or
        relabel ``y`` as ``0 … U-1``).

    Returns
    -------
    best_W : numpy.ndarray of float64, shape (D, C)
    best_loss : float
    history : list of float, length num_tries
        The best loss found *so far* after each try (non-increasing; ``history[-1] ==
        best_loss``).

    Raises
    ------
    TypeError, ValueError
        Bad arguments (see :func:`sgd`); a NaN/inf loss; labels too sparse to infer C from
        (see ``num_classes``).

    Source: lecture part 3 ("try different random weights and see which one of them works
    best"); CS231n notes "Optimization", "Strategy #1: random search". Introduced in notebook
    06_optimization.
    """
    _check_loss_fn(loss_fn)
    X, y = _check_data(X, y)
    num_tries = check_int(num_tries, "num_tries", low=1)
    reg = check_nonnegative_float(reg, "reg")
    weight_scale = check_positive_float(weight_scale, "weight_scale")
    seed = check_seed(seed)
    C = _num_classes(y, num_classes)
    rng = np.random.default_rng(seed)
    best_W, best_loss, history = None, np.inf, []
    for t in range(num_tries):
        W = weight_scale * rng.standard_normal((X.shape[1], C))
        loss, _ = _evaluate(
            loss_fn, W, X, y, reg, iteration=t, history=history, learning_rate=None,
            need_grad=False,
        )
        if loss < best_loss:
            best_W, best_loss = W, loss
        history.append(float(best_loss))
    return best_W, float(best_loss), history


def random_local_search(
    loss_fn: Callable,
    W,
    X,
    y,
    *,
    num_iters: int,
    step_size: float,
    reg: float = 0.0,
    seed: int = 0,
):
    """Strategy 2: from ``W``, try a random step; keep it only if the loss goes down.

    At each iteration a candidate ``W_try = W_best + step_size * rng.standard_normal(W.shape)``
    (``rng = np.random.default_rng(seed)``) is evaluated on all of ``X``; it replaces
    ``W_best`` when its loss is strictly lower.

    Parameters
    ----------
    loss_fn : callable, ``loss_fn(W, X, y, reg) -> (loss, dW)`` (``dW`` is ignored)
    W : array_like of float, shape (D, C)
        The starting point. **Not modified.**
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    num_iters : int ≥ 1
    step_size : float > 0
        Standard deviation of the random step.
    reg : float ≥ 0, default 0.0
    seed : int ≥ 0, default 0

    Returns
    -------
    best_W : numpy.ndarray of float64, shape of ``W``
    best_loss : float
    history : list of float, length num_iters
        The best loss so far after each iteration (non-increasing; ``history[-1] ==
        best_loss``).

    Raises
    ------
    TypeError, ValueError
        Bad arguments (see :func:`sgd`); a NaN/inf loss.

    Source: lecture part 3 ("start with a random search and then apply perturbations …,
    updating only if the loss … is lower"); CS231n notes "Optimization", "Strategy #2:
    random local search". Introduced in notebook 06_optimization.
    """
    _check_loss_fn(loss_fn)
    X, y = _check_data(X, y)
    best_W = _check_weights(W, X)
    num_iters = check_int(num_iters, "num_iters", low=1)
    step_size = check_positive_float(step_size, "step_size")
    reg = check_nonnegative_float(reg, "reg")
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    history: list[float] = []
    best_loss, _ = _evaluate(
        loss_fn, best_W, X, y, reg, iteration=0, history=history, learning_rate=None,
        need_grad=False,
    )
    for t in range(num_iters):
        W_try = best_W + step_size * rng.standard_normal(best_W.shape)
        loss, _ = _evaluate(
            loss_fn, W_try, X, y, reg, iteration=t, history=history, learning_rate=None,
            need_grad=False,
        )
        if loss < best_loss:
            best_W, best_loss = W_try, loss
        history.append(float(best_loss))
    return best_W, float(best_loss), history

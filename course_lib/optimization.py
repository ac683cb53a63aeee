"""Learning is optimisation: find the W with the smallest loss.

Notebook 06. The lecture's strategies from worst to best: random search, random local search,
following the gradient (gradient descent, and SGD on minibatches); the numerical gradient is
how an analytic gradient is checked. ``loss_fn`` is any ``(W, X, y, reg) -> (loss, dW)``
function, e.g. ``course_lib.losses.svm_loss_vectorized``; no function modifies the W it gets.
"""

from __future__ import annotations

import numbers

import numpy as np

from .checks import (check_array, check_callable, check_float, check_int, check_num_classes, check_same_shape,
                     check_seed, check_W_X_y, check_X_y)

__all__ = ["numerical_gradient", "relative_error", "gradient_check", "random_search", "random_local_search",
           "gradient_descent", "minibatch_indices", "sgd", "TrainingDiverged"]


class TrainingDiverged(FloatingPointError):
    """The loss or the weights became inf or NaN: the learning rate is too large.

    Attributes: iteration (int, 0-based, where it happened), loss_history (list of float, the
    finite losses before it). Raised by sgd and gradient_descent. Notebook 06.
    """

    def __init__(self, iteration: int, loss_history: list[float], learning_rate: float):
        super().__init__(f"training diverged at iteration {iteration}: the loss or the weights became inf or "
                         f"NaN with learning_rate = {learning_rate:g}; lower the learning rate (try "
                         f"{learning_rate / 10:g}) and check that the data are scaled")
        self.iteration = iteration
        self.loss_history = loss_history


def _value(f, x) -> float:
    """f(x) as a float, with a hint for the usual slip: a loss that returns (loss, dW)."""
    value = f(x)
    if isinstance(value, tuple):
        raise TypeError("f must return a number, got a tuple; for a loss that returns (loss, dW) pass "
                        "lambda W: loss_fn(W, X, y, reg)[0]")
    if np.ndim(value) != 0 or not isinstance(np.asarray(value).item(), numbers.Real):
        raise TypeError(f"f must return a number (a scalar loss), got {type(value).__name__} "
                        f"of shape {np.shape(value)}")
    return float(value)


def _centred_difference(f, x, i, h) -> float:
    """(f(x + h·e_i) − f(x − h·e_i)) / 2h for the flat index i; x[i] is put back exactly."""
    old = x.flat[i]
    x.flat[i] = old + h
    f_plus = _value(f, x)
    x.flat[i] = old - h
    f_minus = _value(f, x)
    x.flat[i] = old
    return (f_plus - f_minus) / (2 * h)


def numerical_gradient(f, x, h=1e-5) -> np.ndarray:
    """The gradient of f at x by centred differences, one entry of x at a time.

    f: function of an array like x returning a float; x: real array of any shape; h > 0.
    Returns grad float64 of x's shape. f is evaluated on a float64 copy: x is never modified.
    Raises TypeError if f is not callable or x, h are not numbers, ValueError for empty or
    non-finite x or h ≤ 0. Notebook 06.
    """
    check_callable(f, "f")
    x = check_array(x, "x").copy()
    h = check_float(h, "h", low=0.0, low_open=True)
    grad = np.zeros_like(x)
    for i in range(x.size):
        grad.flat[i] = _centred_difference(f, x, i, h)
    return grad


def relative_error(a, b) -> np.ndarray:
    """Elementwise |a − b| / max(|a|, |b|, 1e-8): how far two gradients disagree (0 = equal).

    a, b: real arrays (or numbers) of the same shape. Returns float64 of that shape, in [0, 2].
    Raises TypeError for non-numeric input, ValueError for empty or non-finite input or
    different shapes. Notebook 06.
    """
    a, b = check_same_shape(a, b, names=("a", "b"))
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-8)


def gradient_check(f, x, analytic_grad, num_checks=10, h=1e-5, seed=0) -> float:
    """Largest relative error between analytic_grad and the numerical gradient on random entries.

    f, x, h as numerical_gradient; analytic_grad: x's shape; num_checks int ≥ 1 entries, drawn
    without repetition by np.random.default_rng(seed). Returns a float (≲ 1e-7: right; near a
    kink of the hinge up to ~1e-4; ≳ 1e-2: wrong). x is never modified.
    Raises TypeError / ValueError for bad arguments. Notebook 06.
    """
    check_callable(f, "f")
    x, analytic_grad = check_same_shape(x, analytic_grad, names=("x", "analytic_grad"))
    x = x.copy()
    num_checks = check_int(num_checks, "num_checks", low=1)
    h = check_float(h, "h", low=0.0, low_open=True)
    rng = np.random.default_rng(check_seed(seed))
    chosen = rng.choice(x.size, size=min(num_checks, x.size), replace=False)
    numerical = np.array([_centred_difference(f, x, i, h) for i in chosen])
    return float(np.max(relative_error(numerical, analytic_grad.flat[chosen])))


def random_search(loss_fn, X, y, *, num_tries, weight_scale=1e-2, reg=0.0, seed=0):
    """Strategy 1: try num_tries random W = weight_scale · N(0, 1) of shape (D, C), keep the best.

    X (N, D) real, y (N,) int labels (C = max(y) + 1); num_tries int ≥ 1; weight_scale > 0;
    reg ≥ 0; seed int ≥ 0. Returns (W (D, C), loss float, history: the best loss so far after
    each try). Raises TypeError / ValueError for bad arguments. Notebook 06.
    """
    check_callable(loss_fn, "loss_fn")
    X, y = check_X_y(X, y)
    num_classes = check_num_classes(y)
    num_tries = check_int(num_tries, "num_tries", low=1)
    weight_scale = check_float(weight_scale, "weight_scale", low=0.0, low_open=True)
    reg = check_float(reg, "reg", low=0.0)
    rng = np.random.default_rng(check_seed(seed))
    best_W, best_loss, history = None, np.inf, []
    for _ in range(num_tries):
        W = weight_scale * rng.standard_normal((X.shape[1], num_classes))
        loss, _ = loss_fn(W, X, y, reg)
        if loss < best_loss:
            best_W, best_loss = W, float(loss)
        history.append(best_loss)
    return best_W, best_loss, history


def random_local_search(loss_fn, W0, X, y, *, num_iters, step_size, reg=0.0, seed=0):
    """Strategy 2: from W0, try W + step_size · N(0, 1); keep the step only if the loss goes down.

    W0 (D, C), X (N, D), y (N,) int labels in [0, C), reg ≥ 0 (checks.check_W_X_y); num_iters
    int ≥ 1; step_size > 0; seed int ≥ 0. Returns (W, loss float, history: the best loss so far
    after each step). W0 is not modified. Raises TypeError / ValueError for bad arguments.
    Notebook 06.
    """
    check_callable(loss_fn, "loss_fn")
    W, X, y, reg = check_W_X_y(W0, X, y, reg)
    num_iters = check_int(num_iters, "num_iters", low=1)
    step_size = check_float(step_size, "step_size", low=0.0, low_open=True)
    rng = np.random.default_rng(check_seed(seed))
    W, history = W.copy(), []
    best_loss = float(loss_fn(W, X, y, reg)[0])
    for _ in range(num_iters):
        W_try = W + step_size * rng.standard_normal(W.shape)
        loss, _ = loss_fn(W_try, X, y, reg)
        if loss < best_loss:
            W, best_loss = W_try, float(loss)
        history.append(best_loss)
    return W, best_loss, history


def _descent_step(loss_fn, W, X, y, reg, learning_rate, iteration, history):
    """(loss at W, W − learning_rate · dW); TrainingDiverged if either is not finite."""
    with np.errstate(over="ignore", invalid="ignore"):     # divergence is reported below instead
        loss, dW = loss_fn(W, X, y, reg)
        if np.shape(dW) != W.shape:
            raise ValueError(f"loss_fn returned dW of shape {np.shape(dW)}; it must have W's shape {W.shape}")
        W_new = W - learning_rate * dW
    if not (np.isfinite(loss) and np.isfinite(W_new).all()):
        raise TrainingDiverged(iteration, history, learning_rate)
    return float(loss), W_new


def gradient_descent(loss_fn, W0, X, y, *, learning_rate, reg, num_iters):
    """Full-batch gradient descent: num_iters steps W ← W − learning_rate · ∇L(W) on all of X.

    W0 (D, C), X (N, D), y (N,) int labels in [0, C), reg ≥ 0 (checks.check_W_X_y);
    learning_rate > 0; num_iters int ≥ 1. Returns (W, history: the loss before each step).
    W0 is not modified. Raises TypeError / ValueError for bad arguments, TrainingDiverged when
    the loss or W stops being finite. Notebook 06.
    """
    check_callable(loss_fn, "loss_fn")
    W, X, y, reg = check_W_X_y(W0, X, y, reg)
    learning_rate = check_float(learning_rate, "learning_rate", low=0.0, low_open=True)
    num_iters = check_int(num_iters, "num_iters", low=1)
    history = []
    for iteration in range(num_iters):
        loss, W = _descent_step(loss_fn, W, X, y, reg, learning_rate, iteration, history)
        history.append(loss)
    return W, history


def minibatch_indices(num_samples, batch_size, num_batches, seed=0):
    """Yield num_batches index arrays of batch_size rows each, the order SGD visits the data.

    At the start of every epoch the rows 0 … num_samples − 1 are shuffled
    (np.random.default_rng(seed)) and cut into consecutive slices; the num_samples % batch_size
    leftovers sit out that epoch. num_samples ≥ 1, batch_size in [1, num_samples],
    num_batches ≥ 1, seed ≥ 0 (ints). Yields (batch_size,) int64 arrays.
    Raises TypeError / ValueError at the call for bad arguments. Notebook 06.
    """
    num_samples = check_int(num_samples, "num_samples", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1, high=num_samples)
    num_batches = check_int(num_batches, "num_batches", low=1)
    rng = np.random.default_rng(check_seed(seed))
    batches_per_epoch = num_samples // batch_size

    def batches():
        for b in range(num_batches):
            if b % batches_per_epoch == 0:
                order = rng.permutation(num_samples)
            start = (b % batches_per_epoch) * batch_size
            yield order[start:start + batch_size]
    return batches()


def sgd(loss_fn, W0, X, y, *, learning_rate, reg, batch_size, num_iters, seed=0, callback=None):
    """Minibatch stochastic gradient descent: each step W ← W − learning_rate · dW on one minibatch.

    W0 (D, C), X (N, D), y (N,) int labels in [0, C), reg ≥ 0 (checks.check_W_X_y);
    learning_rate > 0; batch_size int ≥ 1 (≥ N: every step sees all rows); num_iters int ≥ 1;
    minibatches from minibatch_indices(N, batch_size, num_iters, seed); callback(iteration, W,
    loss) after each step if given. Returns (W, history: the minibatch loss before each step).
    W0 is not modified. Raises TypeError / ValueError for bad arguments, TrainingDiverged when
    the loss or W stops being finite. Notebook 06.
    """
    check_callable(loss_fn, "loss_fn")
    W, X, y, reg = check_W_X_y(W0, X, y, reg)
    learning_rate = check_float(learning_rate, "learning_rate", low=0.0, low_open=True)
    batch_size = check_int(batch_size, "batch_size", low=1)
    num_iters = check_int(num_iters, "num_iters", low=1)
    seed = check_seed(seed)
    if callback is not None:
        check_callable(callback, "callback")
    history = []
    for iteration, batch in enumerate(minibatch_indices(len(y), min(batch_size, len(y)), num_iters, seed)):
        loss, W = _descent_step(loss_fn, W, X[batch], y[batch], reg, learning_rate, iteration, history)
        history.append(loss)
        if callback is not None:
            callback(iteration, W, loss)
    return W, history

"""Tests of course_lib.optim: random search, random local search, gradient descent, SGD.

The loss functions here are small ones written in this file (least squares, a multiclass
softmax), so the optimisers are tested independently of course_lib.losses.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.gradients import numerical_gradient
from course_lib.optim import (
    TrainingDiverged,
    gradient_descent,
    minibatch_indices,
    random_local_search,
    random_search,
    sgd,
)


def least_squares(W, X, y, reg):
    """0.5 * mean((X W - y)^2) + reg * sum(W^2), W (D,), y real targets (N,)."""
    r = X @ W - y
    return 0.5 * np.mean(r**2) + reg * np.sum(W**2), X.T @ r / len(y) + 2 * reg * W


def softmax_loss(W, X, y, reg):
    """Mean cross-entropy of softmax(X W) + reg * sum(W^2), W (D, C), y int labels."""
    s = X @ W
    s = s - s.max(axis=1, keepdims=True)
    p = np.exp(s)
    p /= p.sum(axis=1, keepdims=True)
    N = len(y)
    loss = -np.mean(np.log(p[np.arange(N), y])) + reg * np.sum(W**2)
    p[np.arange(N), y] -= 1
    return loss, X.T @ p / N + 2 * reg * W


def blobs(n_per_class=40, C=3, D=2, seed=0, spread=0.3):
    """A separable toy problem: C well-separated Gaussian blobs, plus a bias column."""
    rng = np.random.default_rng(seed)
    centres = 3.0 * np.eye(C, D) if D >= C else rng.standard_normal((C, D)) * 3
    X = np.concatenate([c + spread * rng.standard_normal((n_per_class, D)) for c in centres])
    y = np.repeat(np.arange(C), n_per_class)
    X = np.hstack([X, np.ones((len(X), 1))])
    return X, y


def accuracy_of(W, X, y):
    return float(np.mean(np.argmax(X @ W, axis=1) == y))


def test_test_losses_have_right_gradients():
    X, y = blobs()
    W = np.random.default_rng(1).standard_normal((X.shape[1], 3))
    num = numerical_gradient(lambda w: softmax_loss(w, X, y, 0.1)[0], W)
    np.testing.assert_allclose(num, softmax_loss(W, X, y, 0.1)[1], rtol=1e-6, atol=1e-9)


# ----------------------------------------------------------------------------- sgd


def test_sgd_learns_a_separable_problem():
    X, y = blobs()
    W0 = np.zeros((X.shape[1], 3))
    W, hist = sgd(softmax_loss, W0, X, y, learning_rate=0.5, reg=1e-4, batch_size=16,
                  num_iters=200, seed=0)
    assert len(hist) == 200 and all(isinstance(v, float) for v in hist)
    assert hist[0] == pytest.approx(np.log(3))  # zero weights: uniform probabilities
    full_loss = softmax_loss(W, X, y, 1e-4)[0]
    assert full_loss < 0.1 * np.log(3)
    assert accuracy_of(W, X, y) == 1.0


def test_sgd_least_squares_reaches_the_solution():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 3))
    w_true = np.array([1.0, -2.0, 0.5])
    t = X @ w_true
    w, hist = sgd(least_squares, np.zeros(3), X, t, learning_rate=0.2, reg=0.0,
                  batch_size=20, num_iters=300, seed=1)
    np.testing.assert_allclose(w, w_true, atol=1e-6)
    assert hist[-1] < 1e-10 < hist[0]


def test_sgd_does_not_modify_the_W_passed_in():
    X, y = blobs()
    W0 = np.random.default_rng(0).standard_normal((X.shape[1], 3))
    before = W0.copy()
    W, _ = sgd(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.0, batch_size=10,
               num_iters=5, seed=0)
    np.testing.assert_array_equal(W0, before)
    assert not np.shares_memory(W, W0)


def test_sgd_is_deterministic_under_a_seed():
    X, y = blobs()
    W0 = np.zeros((X.shape[1], 3))
    kw = dict(learning_rate=0.3, reg=1e-3, batch_size=8, num_iters=50)
    W1, h1 = sgd(softmax_loss, W0, X, y, seed=3, **kw)
    W2, h2 = sgd(softmax_loss, W0, X, y, seed=3, **kw)
    W3, h3 = sgd(softmax_loss, W0, X, y, seed=4, **kw)
    np.testing.assert_array_equal(W1, W2)
    assert h1 == h2
    assert h1 != h3


def test_sgd_equals_a_hand_written_loop():
    X, y = blobs(n_per_class=10)
    W0 = np.random.default_rng(2).standard_normal((X.shape[1], 3)) * 0.01
    W, hist = sgd(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.01, batch_size=7,
                  num_iters=12, seed=5)
    Wref, href = W0.copy(), []
    for idx in minibatch_indices(len(X), 7, 12, seed=5):
        loss, dW = softmax_loss(Wref, X[idx], y[idx], 0.01)
        href.append(loss)
        Wref = Wref - 0.1 * dW
    np.testing.assert_allclose(W, Wref, rtol=1e-12)
    np.testing.assert_allclose(hist, href, rtol=1e-12)


def test_full_batch_sgd_is_gradient_descent():
    X, y = blobs(n_per_class=10)
    W0 = np.zeros((X.shape[1], 3))
    W1, h1 = sgd(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.0, batch_size=10_000,
                 num_iters=10, seed=9)
    W2, h2 = gradient_descent(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.0, num_iters=10)
    np.testing.assert_array_equal(W1, W2)
    assert h1 == h2
    # and each step is exactly W - lr * full gradient
    loss0, dW0 = softmax_loss(W0, X, y, 0.0)
    _, h_one = gradient_descent(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.0, num_iters=1)
    assert h_one == [loss0]
    W_one, _ = gradient_descent(softmax_loss, W0, X, y, learning_rate=0.1, reg=0.0, num_iters=1)
    np.testing.assert_array_equal(W_one, W0 - 0.1 * dW0)


def test_gradient_descent_on_a_quadratic_is_monotone_for_small_steps():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 4))
    t = rng.standard_normal(50)
    _, hist = gradient_descent(least_squares, np.ones(4), X, t, learning_rate=0.1, reg=0.01,
                               num_iters=50)
    assert all(b <= a + 1e-15 for a, b in zip(hist, hist[1:]))


def test_callback_sees_every_iteration_with_frozen_weights():
    X, y = blobs(n_per_class=10)
    seen = []
    W, hist = sgd(softmax_loss, np.zeros((3, 3)), X, y, learning_rate=0.1, reg=0.0,
                  batch_size=5, num_iters=6, seed=0,
                  callback=lambda it, loss, W: seen.append((it, loss, W)))
    assert [s[0] for s in seen] == list(range(6))
    assert [s[1] for s in seen] == hist
    np.testing.assert_array_equal(seen[-1][2], W)
    assert not seen[0][2].flags.writeable
    assert not np.array_equal(seen[0][2], seen[-1][2])  # earlier snapshots were not overwritten
    # the returned W is the caller's own array: changing it leaves the last snapshot alone
    assert not np.shares_memory(W, seen[-1][2])
    last = seen[-1][2].copy()
    W += 1.0
    np.testing.assert_array_equal(seen[-1][2], last)


def test_divergence_stops_with_a_clear_message():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3)) * 10
    t = rng.standard_normal(40)
    with pytest.raises(TrainingDiverged, match="smaller learning_rate") as info:
        gradient_descent(least_squares, np.zeros(3), X, t, learning_rate=10.0, reg=0.0,
                         num_iters=1000)
    err = info.value
    assert isinstance(err, FloatingPointError) and isinstance(err, ValueError)
    assert 0 < err.iteration < 1000
    assert len(err.loss_history) == err.iteration
    assert err.loss_history[-1] > 1e100 * err.loss_history[0]
    assert err.learning_rate == 10.0


def test_nan_loss_is_reported():
    def nan_loss(W, X, y, reg):
        return np.nan, np.zeros_like(W)

    X, y = blobs(n_per_class=5)
    with pytest.raises(ValueError, match="NaN at iteration 0"):
        sgd(nan_loss, np.zeros((3, 3)), X, y, learning_rate=1.0, reg=0.0, batch_size=4,
            num_iters=3)


def test_uint8_data_are_converted():
    X = np.array([[0, 255], [255, 0], [10, 250]], dtype=np.uint8)
    t = np.array([1.0, -1.0, 0.5])
    w, _ = gradient_descent(least_squares, np.zeros(2), X / 255.0, t, learning_rate=0.5,
                            reg=0.0, num_iters=3)
    w8, _ = gradient_descent(least_squares, np.zeros(2), X, t / 1.0, learning_rate=0.5 / 255**2,
                             reg=0.0, num_iters=3)
    np.testing.assert_allclose(w8 * 255, w, rtol=1e-10)  # no uint8 wrap-around anywhere


# ----------------------------------------------------------------------------- minibatches


def test_minibatches_are_without_replacement_within_an_epoch():
    batches = list(minibatch_indices(10, 3, 7, seed=0))
    assert len(batches) == 7 and all(len(b) == 3 for b in batches)
    for epoch in (batches[0:3], batches[3:6]):
        flat = np.concatenate(epoch)
        assert len(set(flat.tolist())) == 9  # 3 batches x 3 distinct rows, 1 row left out
    assert not np.array_equal(np.concatenate(batches[0:3]), np.concatenate(batches[3:6]))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 50), st.integers(1, 60), st.integers(1, 20), st.integers(0, 100))
def test_minibatch_rule_properties(n, b, k, seed):
    batches = list(minibatch_indices(n, b, k, seed=seed))
    assert len(batches) == k
    size = min(b, n)
    per_epoch = max(n // b, 1)
    for j in range(0, k, per_epoch):
        epoch = np.concatenate(batches[j:j + per_epoch])
        assert len(np.unique(epoch)) == len(epoch)
    for batch in batches:
        assert len(batch) == size and batch.min() >= 0 and batch.max() < n


@pytest.mark.parametrize(
    "args, exc, match",
    [
        ((10, 0, 3), ValueError, "batch_size"),
        ((0, 2, 3), ValueError, "num_samples"),
        ((10, 2, 0), ValueError, "num_batches"),
        ((10, 2, 3, -1), ValueError, "seed"),
        ((10.0, 2, 3), TypeError, "num_samples must be an integer"),
    ],
)
def test_minibatch_bad_input(args, exc, match):
    with pytest.raises(exc, match=match):
        minibatch_indices(*args)  # raised at the call, before iterating


# ----------------------------------------------------------------------------- strawmen


def test_random_search_keeps_the_best():
    X, y = blobs()
    best_W, best_loss, hist = random_search(softmax_loss, X, y, num_tries=30, weight_scale=1.0,
                                            seed=0)
    assert best_W.shape == (3, 3) and len(hist) == 30
    assert hist[-1] == best_loss == pytest.approx(softmax_loss(best_W, X, y, 0.0)[0])
    assert all(b <= a for a, b in zip(hist, hist[1:]))
    # reproduce the tries by hand: the best of the same random matrices
    rng = np.random.default_rng(0)
    losses = [softmax_loss(1.0 * rng.standard_normal((3, 3)), X, y, 0.0)[0] for _ in range(30)]
    assert best_loss == pytest.approx(min(losses))
    np.testing.assert_allclose(hist, np.minimum.accumulate(losses))


def test_random_local_search_improves_and_keeps_W():
    X, y = blobs()
    W0 = np.zeros((3, 3))
    best_W, best_loss, hist = random_local_search(softmax_loss, W0, X, y, num_iters=200,
                                                  step_size=0.3, seed=0)
    np.testing.assert_array_equal(W0, 0.0)
    assert len(hist) == 200 and hist[-1] == best_loss
    assert all(b <= a for a, b in zip(hist, hist[1:]))
    assert best_loss < 0.5 * np.log(3)
    assert best_loss == pytest.approx(softmax_loss(best_W, X, y, 0.0)[0])
    again = random_local_search(softmax_loss, W0, X, y, num_iters=200, step_size=0.3, seed=0)
    np.testing.assert_array_equal(again[0], best_W)


def test_gradient_descent_beats_the_strawmen_on_the_same_budget():
    X, y = blobs(D=5, C=4, spread=1.5, seed=1)
    W0 = np.zeros((X.shape[1], 4))
    _, loss_rs, _ = random_search(softmax_loss, X, y, num_tries=50, weight_scale=0.5, seed=0)
    _, loss_ls, _ = random_local_search(softmax_loss, W0, X, y, num_iters=50, step_size=0.1)
    W_gd, _ = gradient_descent(softmax_loss, W0, X, y, learning_rate=0.5, reg=0.0, num_iters=50)
    loss_gd = softmax_loss(W_gd, X, y, 0.0)[0]
    assert loss_gd < loss_ls < np.log(4) and loss_gd < loss_rs


# ----------------------------------------------------------------------------- bad input


def _good():
    X, y = blobs(n_per_class=5)
    return dict(loss_fn=softmax_loss, W=np.zeros((3, 3)), X=X, y=y, learning_rate=0.1, reg=0.0,
                batch_size=4, num_iters=3)


@pytest.mark.parametrize(
    "change, exc, match",
    [
        (dict(loss_fn="svm"), TypeError, "loss_fn must be a callable"),
        (dict(learning_rate=0.0), ValueError, "learning_rate must be > 0"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate must be > 0"),
        (dict(learning_rate="fast"), TypeError, "learning_rate must be a real number"),
        (dict(reg=-1.0), ValueError, "reg must be >= 0"),
        (dict(batch_size=0), ValueError, "batch_size must be an integer in"),
        (dict(batch_size=2.0), TypeError, "batch_size must be an integer"),
        (dict(num_iters=0), ValueError, "num_iters must be an integer in"),
        (dict(seed=-3), ValueError, "seed must be"),
        (dict(W=np.zeros((4, 3))), ValueError, "W must have one row per feature"),
        (dict(W=np.zeros((3, 3, 1))), ValueError, "W must be 1-D or 2-D"),
        (dict(X=np.zeros(15)), ValueError, "X must be 2-D"),
        (dict(X=np.full((15, 3), np.nan)), ValueError, "X must contain only finite"),
        (dict(y=np.zeros(14, dtype=int)), ValueError, "X has 15 rows but y has 14"),
        (dict(y=None), TypeError, "y must be"),
        (dict(callback=5), TypeError, "callback must be None or callable"),
        (dict(loss_fn=lambda W, X, y, reg: 1.0), TypeError, r"loss_fn must return a pair \(loss, dW\)"),
        (dict(loss_fn=lambda W, X, y, reg: (1.0, np.zeros(2))), ValueError, "dW of shape"),
        # a loss that is not a number is a bug in loss_fn, not a divergence (None became NaN)
        (dict(loss_fn=lambda W, X, y, reg: (None, np.zeros_like(W))), TypeError,
         r"^loss_fn must return \(loss, dW\) with loss a number, got loss = NoneType None"),
        (dict(loss_fn=lambda W, X, y, reg: ("0.5", np.zeros_like(W))), TypeError, "with loss a number, got loss = str"),
        (dict(loss_fn=lambda W, X, y, reg: (0.5, None)), TypeError, r"with dW an array of W's shape, got dW = None"),
    ],
)
def test_sgd_bad_input(change, exc, match):
    args = _good()
    args.update(change)
    with pytest.raises(exc, match=match):
        sgd(**args)


@pytest.mark.parametrize(
    "change, exc, match",
    [
        (dict(num_tries=0), ValueError, "num_tries"),
        (dict(weight_scale=0.0), ValueError, "weight_scale must be > 0"),
        (dict(reg=-0.5), ValueError, "reg must be >= 0"),
        (dict(y=np.zeros(15)), TypeError, "pass num_classes"),
        # C = max(y) + 1 columns of W for 3 distinct labels: refused, not a 2**40-column W
        (dict(y=np.repeat([0, 1, 2**40], 5)), ValueError,
         r"^y has labels up to 1099511627776 but only 3 distinct values.*pass num_classes"),
        (dict(num_classes=0), ValueError, "num_classes"),
    ],
)
def test_random_search_bad_input(change, exc, match):
    X, y = blobs(n_per_class=5)
    args = dict(loss_fn=softmax_loss, X=X, y=y, num_tries=3)
    args.update(change)
    with pytest.raises(exc, match=match):
        random_search(**args)


@pytest.mark.parametrize(
    "change, exc, match",
    [
        (dict(step_size=0.0), ValueError, "step_size must be > 0"),
        (dict(num_iters=-1), ValueError, "num_iters"),
        (dict(W=np.zeros((2, 3))), ValueError, "W must have one row per feature"),
        (dict(loss_fn=lambda W, X, y, reg: (np.inf, None)), ValueError, "non-finite loss"),
    ],
)
def test_random_local_search_bad_input(change, exc, match):
    X, y = blobs(n_per_class=5)
    args = dict(loss_fn=softmax_loss, W=np.zeros((3, 3)), X=X, y=y, num_iters=3, step_size=0.1)
    args.update(change)
    with pytest.raises(exc, match=match):
        random_local_search(**args)


def test_gradient_descent_bad_input():
    X, y = blobs(n_per_class=5)
    with pytest.raises(ValueError, match="learning_rate must be > 0"):
        gradient_descent(softmax_loss, np.zeros((3, 3)), X, y, learning_rate=0.0, reg=0.0,
                         num_iters=2)

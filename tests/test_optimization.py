"""course_lib.optimization (notebook 06): numerical gradients and the gradient check, the two
strawman searches, gradient descent, the minibatch rule, SGD (seeded, callback, divergence), and
a bad-input table."""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import optimization
from course_lib.losses import softmax_loss_vectorized, svm_loss_vectorized
from course_lib.optimization import (TrainingDiverged, gradient_check, gradient_descent, minibatch_indices,
                                     numerical_gradient, random_local_search, random_search, relative_error, sgd)


def blobs(n_per_class=30, num_classes=3, spread=0.4, seed=0):
    """Well-separated Gaussian blobs in 2-D plus a column of ones (the bias trick)."""
    rng = np.random.default_rng(seed)
    centres = 3.0 * np.stack([np.cos(2 * np.pi * np.arange(num_classes) / num_classes),
                              np.sin(2 * np.pi * np.arange(num_classes) / num_classes)], axis=1)
    X = np.concatenate([c + spread * rng.standard_normal((n_per_class, 2)) for c in centres])
    return np.hstack([X, np.ones((len(X), 1))]), np.repeat(np.arange(num_classes), n_per_class)


def accuracy_of(W, X, y):
    return float(np.mean(np.argmax(X @ W, axis=1) == y))


# ----------------------------------------------------------------------------- numerical gradients


def test_numerical_gradient_of_known_functions():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_allclose(numerical_gradient(lambda w: float(np.sum(w**2)), x), 2 * x, rtol=1e-9)
    np.testing.assert_allclose(numerical_gradient(lambda w: float(np.sum(np.sin(w))), x), np.cos(x), rtol=1e-8)
    A = np.random.default_rng(0).normal(size=(2, 2))
    np.testing.assert_allclose(numerical_gradient(lambda w: float(np.sum(A * w)), x), A, rtol=1e-8)
    assert numerical_gradient(lambda w: float(w**3), 2.0) == pytest.approx(12.0, rel=1e-9)  # a number


def test_centred_differences_are_exact_for_a_quadratic_and_error_shrinks_like_h_squared():
    f = lambda w: float(w[0] ** 3)  # noqa: E731  f'(1) = 3, centred error = h²
    errors = [abs(numerical_gradient(f, [1.0], h=h)[0] - 3.0) for h in (1e-2, 1e-3)]
    assert errors[0] == pytest.approx(1e-4, rel=1e-3) and errors[1] == pytest.approx(1e-6, rel=1e-2)
    np.testing.assert_allclose(numerical_gradient(lambda w: float(3 * w[0] ** 2 + w[0]), [2.0], h=0.1), [13.0])


def test_numerical_gradient_never_modifies_x_and_restores_each_entry_exactly():
    x = np.array([[0.1, 1e-3, 12345.678], [-7.3e-7, 3.0, 1.0 / 3.0]])  # x + h − h ≠ x for some
    original, seen = x.copy(), []
    numerical_gradient(lambda w: seen.append(w.copy()) or float(np.sum(np.sin(w))), x)
    np.testing.assert_array_equal(x, original)
    assert len(seen) == 2 * x.size
    assert all(np.count_nonzero(w != original) == 1 for w in seen)  # one entry moved, the rest exact


def test_numerical_gradient_of_uint8_x_is_taken_at_its_float_value():
    np.testing.assert_allclose(numerical_gradient(lambda w: float(np.sum(w**2)), np.array([200, 3], np.uint8)),
                               [400.0, 6.0], rtol=1e-6)  # rounding: |f| · 1e-16 / h


def test_relative_error_values():
    np.testing.assert_allclose(relative_error([1.0, 0.0, 0.0, -1.0], [1.1, 0.0, 1e-12, 1.0]),
                               [0.1 / 1.1, 0.0, 1e-4, 2.0])  # floor 1e-8: two zeros agree
    assert relative_error(3.0, 1.0) == pytest.approx(2 / 3)


def test_gradient_check_passes_a_right_gradient_and_catches_a_wrong_one():
    W, (X, y) = 0.1 * np.random.default_rng(1).normal(size=(3, 3)), blobs()
    loss, dW = softmax_loss_vectorized(W, X, y, 0.1)
    f = lambda w: softmax_loss_vectorized(w, X, y, 0.1)[0]  # noqa: E731
    assert gradient_check(f, W, dW) < 1e-7
    assert gradient_check(f, W, dW - 2 * 0.1 * W, num_checks=W.size) > 1e-2  # the penalty's gradient forgotten
    assert gradient_check(f, W, dW.T, num_checks=W.size) > 1e-2              # transposed by mistake


def test_gradient_check_samples_distinct_seeded_entries_and_leaves_x_alone():
    x = np.arange(12.0).reshape(3, 4)
    calls = []
    f = lambda w: calls.append(w.copy()) or float(np.sum(w**3))  # noqa: E731
    assert gradient_check(f, x, 3 * x**2, num_checks=5, seed=4) < 1e-8
    np.testing.assert_array_equal(x, np.arange(12.0).reshape(3, 4))
    moved = [np.flatnonzero(w != x)[0] for w in calls[::2]]
    assert len(calls) == 10 and len(set(moved)) == 5
    np.testing.assert_array_equal(moved, np.random.default_rng(4).choice(12, size=5, replace=False))
    calls.clear()
    gradient_check(f, x, 3 * x**2, num_checks=100)  # more checks than entries: each entry once
    assert len(calls) == 24
    assert gradient_check(lambda w: 7.0, x, np.zeros_like(x)) == 0.0  # two zero gradients agree, no NaN


# ----------------------------------------------------------------------------- the strawmen


def test_random_search_keeps_the_best_of_the_seeded_tries():
    X, y = blobs()
    W, loss, history = random_search(softmax_loss_vectorized, X, y, num_tries=30, weight_scale=1.0, seed=0)
    rng = np.random.default_rng(0)
    tries = [softmax_loss_vectorized(rng.standard_normal((3, 3)), X, y, 0.0)[0] for _ in range(30)]
    assert W.shape == (3, 3) and loss == min(tries) == softmax_loss_vectorized(W, X, y, 0.0)[0]
    np.testing.assert_array_equal(history, np.minimum.accumulate(tries))


def test_random_local_search_only_keeps_improvements_and_leaves_W0_alone():
    X, y = blobs()
    W0 = np.zeros((3, 3))
    W, loss, history = random_local_search(softmax_loss_vectorized, W0, X, y, num_iters=200, step_size=0.3)
    np.testing.assert_array_equal(W0, 0.0)
    assert len(history) == 200 and history[-1] == loss == softmax_loss_vectorized(W, X, y, 0.0)[0]
    assert all(b <= a for a, b in zip(history, history[1:])) and loss < 0.5 * np.log(3)
    again = random_local_search(softmax_loss_vectorized, W0, X, y, num_iters=200, step_size=0.3)
    np.testing.assert_array_equal(again[0], W)


def test_following_the_gradient_beats_the_strawmen_on_the_same_budget():
    X, y = blobs(spread=1.5, num_classes=4, seed=1)
    W0 = np.zeros((3, 4))
    _, loss_random, _ = random_search(softmax_loss_vectorized, X, y, num_tries=50, weight_scale=0.5)
    _, loss_local, _ = random_local_search(softmax_loss_vectorized, W0, X, y, num_iters=50, step_size=0.1)
    W, _ = gradient_descent(softmax_loss_vectorized, W0, X, y, learning_rate=0.5, reg=0.0, num_iters=50)
    loss_gd = softmax_loss_vectorized(W, X, y, 0.0)[0]
    assert loss_gd < loss_local < np.log(4) and loss_gd < loss_random


# ----------------------------------------------------------------------------- gradient descent


def test_gradient_descent_steps_against_the_full_gradient():
    X, y = blobs()
    W0 = 0.1 * np.random.default_rng(0).normal(size=(3, 3))
    loss0, dW0 = svm_loss_vectorized(W0, X, y, 0.01)
    W, history = gradient_descent(svm_loss_vectorized, W0, X, y, learning_rate=0.1, reg=0.01, num_iters=1)
    assert history == [loss0]
    np.testing.assert_array_equal(W, W0 - 0.1 * dW0)
    _, history = gradient_descent(softmax_loss_vectorized, W0, X, y, learning_rate=0.1, reg=0.01, num_iters=50)
    assert all(b < a for a, b in zip(history, history[1:]))  # a small step always goes down a smooth loss


def test_sgd_with_a_batch_of_all_rows_is_gradient_descent():
    X, y = blobs(n_per_class=10)
    kwargs = dict(learning_rate=0.2, reg=1e-3, num_iters=20)
    W_gd, h_gd = gradient_descent(softmax_loss_vectorized, np.zeros((3, 3)), X, y, **kwargs)
    W_sgd, h_sgd = sgd(softmax_loss_vectorized, np.zeros((3, 3)), X, y, batch_size=1000, seed=5, **kwargs)
    np.testing.assert_allclose(W_sgd, W_gd, rtol=1e-12, atol=1e-15)  # same rows, another order
    np.testing.assert_allclose(h_sgd, h_gd, rtol=1e-12)


# ----------------------------------------------------------------------------- minibatches and SGD


def test_minibatch_indices_small_example():
    batches = list(minibatch_indices(10, 3, 7, seed=0))
    rng = np.random.default_rng(0)
    epochs = [rng.permutation(10) for _ in range(3)]
    expected = [epochs[e][3 * j:3 * j + 3] for e in range(3) for j in range(3)][:7]
    for got, want in zip(batches, expected, strict=True):
        np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(num_samples=st.integers(1, 40), data=st.data(), num_batches=st.integers(1, 25), seed=st.integers(0, 99))
def test_minibatch_epoch_rule(num_samples, data, num_batches, seed):
    batch_size = data.draw(st.integers(1, num_samples), label="batch_size")
    batches = list(minibatch_indices(num_samples, batch_size, num_batches, seed))
    per_epoch = num_samples // batch_size
    assert len(batches) == num_batches and all(len(b) == batch_size for b in batches)
    for start in range(0, num_batches, per_epoch):
        epoch = np.concatenate(batches[start:start + per_epoch])
        assert len(np.unique(epoch)) == len(epoch)  # no row twice in an epoch
        assert epoch.min() >= 0 and epoch.max() < num_samples
        if start + per_epoch <= num_batches:        # a complete epoch: the leftovers sat out
            assert num_samples - len(epoch) == num_samples % batch_size


def test_sgd_is_deterministic_with_a_seed_and_leaves_W0_alone():
    X, y = blobs()
    W0 = 0.01 * np.random.default_rng(2).normal(size=(3, 3))
    before = W0.copy()
    kwargs = dict(learning_rate=0.3, reg=1e-3, batch_size=8, num_iters=50)
    W1, h1 = sgd(softmax_loss_vectorized, W0, X, y, seed=3, **kwargs)
    W2, h2 = sgd(softmax_loss_vectorized, W0, X, y, seed=3, **kwargs)
    W3, h3 = sgd(softmax_loss_vectorized, W0, X, y, seed=4, **kwargs)
    np.testing.assert_array_equal(W1, W2)
    assert h1 == h2 and h1 != h3
    np.testing.assert_array_equal(W0, before)
    assert not np.shares_memory(W1, W0)


def test_sgd_equals_the_loop_written_out_and_calls_back_every_step():
    X, y = blobs(n_per_class=10)
    W0 = 0.01 * np.random.default_rng(2).normal(size=(3, 3))
    seen = []
    W, history = sgd(svm_loss_vectorized, W0, X, y, learning_rate=0.1, reg=0.01, batch_size=7, num_iters=12,
                     seed=5, callback=lambda iteration, W, loss: seen.append((iteration, W, loss)))
    W_ref, ref = W0.copy(), []
    for batch in minibatch_indices(len(y), 7, 12, seed=5):
        loss, dW = svm_loss_vectorized(W_ref, X[batch], y[batch], 0.01)
        ref.append(loss)
        W_ref = W_ref - 0.1 * dW
    np.testing.assert_array_equal(W, W_ref)
    assert history == ref and all(type(v) is float for v in history)
    assert [s[0] for s in seen] == list(range(12)) and [s[2] for s in seen] == history
    np.testing.assert_array_equal(seen[-1][1], W)
    assert not np.array_equal(seen[0][1], seen[-1][1])  # each step's W is its own array


def test_sgd_learns_separable_blobs():
    X, y = blobs()
    W, history = sgd(softmax_loss_vectorized, np.zeros((3, 3)), X, y, learning_rate=0.5, reg=1e-4,
                     batch_size=16, num_iters=200)
    assert history[0] == pytest.approx(np.log(3))  # zero weights: uniform probabilities
    assert softmax_loss_vectorized(W, X, y, 1e-4)[0] < 0.1 * np.log(3) and accuracy_of(W, X, y) == 1.0


@pytest.mark.parametrize("loss_fn", [svm_loss_vectorized, softmax_loss_vectorized])
@pytest.mark.parametrize("batch_size", [8, 1000])
def test_a_huge_learning_rate_raises_training_diverged(loss_fn, batch_size):
    X, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning leaks out
        with pytest.raises(TrainingDiverged) as info:
            sgd(loss_fn, np.zeros((3, 3)), X, y, learning_rate=1e6, reg=10.0, batch_size=batch_size, num_iters=500)
    error = info.value
    assert isinstance(error, FloatingPointError)
    assert "lower the learning rate" in str(error) and "learning_rate = 1e+06" in str(error)
    assert 0 < error.iteration < 500 and len(error.loss_history) == error.iteration
    assert np.isfinite(error.loss_history).all() and error.loss_history[-1] > 1e10 * error.loss_history[1]
    with pytest.raises(TrainingDiverged):
        gradient_descent(loss_fn, np.zeros((3, 3)), X, y, learning_rate=1e6, reg=10.0, num_iters=500)


# ----------------------------------------------------------------------------- bad input

W32, X23, Y2 = np.ones((3, 2)), np.arange(6.0).reshape(2, 3), np.array([0, 1])
svm = svm_loss_vectorized
SGD_ARGS = (svm, W32, X23, Y2)


def quadratic(w):
    return float(np.sum(w**2))


def sgd_with(**change):
    return partial(sgd, **(dict(learning_rate=1e-3, reg=0.0, batch_size=2, num_iters=2) | change))


def gd_with(**change):
    return partial(gradient_descent, **(dict(learning_rate=0.1, reg=0.0, num_iters=1) | change))


BAD_INPUT = [
    (numerical_gradient, (3, np.zeros(2)), TypeError, "f must be a function, got int 3"),
    (numerical_gradient, (quadratic, np.zeros(2), 0.0), ValueError, "h must be a finite number in (0, inf], got 0.0"),
    (numerical_gradient, (quadratic, np.zeros(0)), ValueError, "x must not be empty"),
    (numerical_gradient, (quadratic, [np.nan]), ValueError, "x must hold only finite numbers"),
    (numerical_gradient, (quadratic, "x"), TypeError, "x must be a numeric array"),
    (numerical_gradient, (lambda w: (1.0, w), np.zeros(2)), TypeError,
     "f must return a number, got a tuple; for a loss that returns (loss, dW) pass lambda W: loss_fn(W, X, y, reg)[0]"),
    (relative_error, (np.zeros(2), np.zeros(3)), ValueError, "a and b must have the same shape, got (2,) and (3,)"),
    (relative_error, (np.nan, 1.0), ValueError, "a must hold only finite numbers"),
    (relative_error, (1.0, "b"), TypeError, "b must be a numeric array"),
    (gradient_check, (quadratic, np.zeros((2, 3)), np.zeros((3, 2))), ValueError,
     "x and analytic_grad must have the same shape, got (2, 3) and (3, 2)"),
    (gradient_check, (quadratic, np.zeros(3), np.zeros(3), 0), ValueError, "num_checks must be an integer in [1, inf], got 0"),
    (gradient_check, (quadratic, np.zeros(3), np.zeros(3), 2, 1e-5, -1), ValueError, "seed must be an integer in [0, inf]"),
    (gradient_check, (quadratic, np.zeros(2), [0.0, np.inf]), ValueError, "analytic_grad must hold only finite numbers"),
    (gradient_check, ("f", np.zeros(2), np.zeros(2)), TypeError, "f must be a function"),
    (partial(random_search, num_tries=0), (svm, X23, Y2), ValueError, "num_tries must be an integer in [1, inf], got 0"),
    (partial(random_search, num_tries=1, weight_scale=0.0), (svm, X23, Y2), ValueError,
     "weight_scale must be a finite number in (0, inf], got 0.0"),
    (partial(random_search, num_tries=1), (svm, X23, Y2.astype(float)), TypeError, "y must hold integer class labels"),
    (partial(random_search, num_tries=1, reg=-2.0), (svm, X23, Y2), ValueError, "reg must be a finite number in [0, inf]"),
    (partial(random_search, num_tries=1), (svm, X23, [0, 10**9]), ValueError,
     "y must hold class labels in [0, C) for a sensible C"),
    (partial(random_search, num_tries=1), ("svm", X23, Y2), TypeError, "loss_fn must be a function, got str 'svm'"),
    (partial(random_local_search, num_iters=1, step_size=0.0), SGD_ARGS, ValueError,
     "step_size must be a finite number in (0, inf], got 0.0"),
    (partial(random_local_search, num_iters=1, step_size=0.1), (svm, np.ones((2, 2)), X23, Y2), ValueError,
     "X has 3 columns but W has 2 rows"),
    (partial(random_local_search, num_iters=0, step_size=0.1), SGD_ARGS, ValueError,
     "num_iters must be an integer in [1, inf], got 0"),
    (gd_with(learning_rate=-1.0), SGD_ARGS, ValueError, "learning_rate must be a finite number in (0, inf], got -1.0"),
    (gd_with(learning_rate=float("inf")), SGD_ARGS, ValueError, "learning_rate must be a finite number in (0, inf], got inf"),
    (gd_with(num_iters=2.0), SGD_ARGS, TypeError, "num_iters must be an integer, got float 2.0"),
    (gd_with(reg=-1.0), SGD_ARGS, ValueError, "reg must be a finite number in [0, inf], got -1.0"),
    (gd_with(), (svm, W32, X23, [0.5, 1]), TypeError, "y must hold integer class labels"),
    (minibatch_indices, (0, 1, 1), ValueError, "num_samples must be an integer in [1, inf], got 0"),
    (minibatch_indices, (10, 0, 1), ValueError, "batch_size must be an integer in [1, 10], got 0"),
    (minibatch_indices, (10, 11, 1), ValueError, "batch_size must be an integer in [1, 10], got 11"),
    (minibatch_indices, (10, 2, 1.5), TypeError, "num_batches must be an integer, got float 1.5"),
    (minibatch_indices, (10, 2, 3, -1), ValueError, "seed must be an integer in [0, inf], got -1"),
    (sgd_with(), (svm, np.ones((4, 2)), X23, Y2), ValueError, "X has 3 columns but W has 4 rows"),
    (sgd_with(), (svm, np.ones(3), X23, Y2), ValueError, "W must be 2-D, got 1-D"),
    (sgd_with(), (svm, W32, X23, np.array([0, 1, 1])), ValueError, "y has 3 labels but X has 2 rows"),
    (sgd_with(), (svm, W32, X23, np.array([0, 5])), ValueError, "y must hold labels in [0, 2) (C = 2), found 5"),
    (sgd_with(), (svm, W32, X23, None), TypeError, "y must be a numeric array, got NoneType None"),
    (sgd_with(), (svm, W32, np.zeros(3), Y2), ValueError, "X must be 2-D, got 1-D"),
    (sgd_with(), (svm, W32, np.zeros((0, 3)), np.zeros(0, int)), ValueError, "X must not be empty"),
    (sgd_with(learning_rate=0), SGD_ARGS, ValueError, "learning_rate must be a finite number in (0, inf], got 0.0"),
    (sgd_with(learning_rate="fast"), SGD_ARGS, TypeError, "learning_rate must be a number, got str 'fast'"),
    (sgd_with(batch_size=0), SGD_ARGS, ValueError, "batch_size must be an integer in [1, inf], got 0"),
    (sgd_with(batch_size=2.0), SGD_ARGS, TypeError, "batch_size must be an integer, got float 2.0"),
    (sgd_with(num_iters=0), SGD_ARGS, ValueError, "num_iters must be an integer in [1, inf], got 0"),
    (sgd_with(reg=-1e-3), SGD_ARGS, ValueError, "reg must be a finite number in [0, inf], got -0.001"),
    (sgd_with(seed=-1), SGD_ARGS, ValueError, "seed must be an integer in [0, inf], got -1"),
    (sgd_with(), ("svm", W32, X23, Y2), TypeError, "loss_fn must be a function, got str 'svm'"),
    (sgd_with(callback="plot"), SGD_ARGS, TypeError, "callback must be a function, got str 'plot'"),
    (sgd_with(), (lambda W, X, y, reg: (1.0, np.zeros(2)), W32, X23, Y2), ValueError,
     "loss_fn returned dW of shape (2,); it must have W's shape (3, 2)"),
]


def name_of(fn):
    return getattr(fn, "func", fn).__name__


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{name_of(row[0])}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    functions = set(optimization.__all__) - {"TrainingDiverged"}
    assert functions == {name_of(row[0]) for row in BAD_INPUT}


def test_bad_numbers_from_outside_numpy_give_errors_naming_the_argument():
    """Found by the bad-input review: an int too large for a float, uint64 labels past int64, f returning an array."""
    from course_lib import losses, metrics

    with pytest.raises(ValueError, match="reg must be a finite number"):
        losses.svm_loss_vectorized(np.ones((2, 2)), np.ones((2, 2)), np.array([0, 1]), 10**400)
    with pytest.raises(ValueError, match="y_true must hold labels"):
        metrics.accuracy(np.array([2**63 + 1], dtype=np.uint64), np.array([0]))
    with pytest.raises(TypeError, match="f must return a number"):
        optimization.numerical_gradient(lambda x: x, np.ones(3))

"""course_lib.losses (notebook 05): the lecture's hinge example, softmax and cross-entropy against
scipy and scikit-learn, naive == vectorized (hypothesis), analytic vs numerical gradients, the
regularisation convention, numerical stability, and a bad-input table."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss

from course_lib import losses
from course_lib.losses import (SVM_DELTA, cross_entropy, hinge_loss, l1_penalty, l2_penalty, softmax,
                               softmax_loss_naive, softmax_loss_vectorized, svm_loss_naive, svm_loss_vectorized)
from course_lib.optimization import gradient_check, numerical_gradient

ALL_LOSSES = [svm_loss_naive, svm_loss_vectorized, softmax_loss_naive, softmax_loss_vectorized]
PAIRS = [(svm_loss_naive, svm_loss_vectorized), (softmax_loss_naive, softmax_loss_vectorized)]

# The lecture's table has one column per image; here one row per image (cat, dog, train),
# columns = the scores of the classes cat, dog, train.
LECTURE_SCORES = np.array([[3.54, 1.23, -2.1],
                           [-2.4, 5.3, 0.5],
                           [-3.1, 1.23, 2.0]])
LECTURE_LABELS = np.array([0, 1, 2])


def problem(seed, n=12, d=7, c=4, w_scale=0.5):
    rng = np.random.default_rng(seed)
    return rng.normal(scale=w_scale, size=(d, c)), rng.normal(size=(n, d)), rng.integers(0, c, size=n)


# ----------------------------------------------------------------------------- the lecture's example


def test_hinge_loss_of_the_lecture_example_per_image_sum_and_mean():
    L = hinge_loss(LECTURE_SCORES, LECTURE_LABELS)
    np.testing.assert_allclose(L, [0.0, 0.0, 0.23], atol=1e-12)
    assert L.sum() == pytest.approx(0.23, abs=1e-12)       # what the lecture writes (a sum)
    assert round(L.mean(), 4) == 0.0767                     # what its formula says (1/N Σ L_i)


@pytest.mark.parametrize("loss_fn", [svm_loss_naive, svm_loss_vectorized])
def test_svm_loss_of_the_lecture_example_is_the_mean_and_its_gradient(loss_fn):
    loss, dW = loss_fn(np.eye(3), LECTURE_SCORES, LECTURE_LABELS, 0.0)   # X @ I = the scores
    assert loss == pytest.approx(0.23 / 3, abs=1e-12)
    # only the train image misses a margin (dog 1.23 vs train 2.0): +x_3 for dog, −x_3 for train, / N
    expected = np.zeros((3, 3))
    expected[:, 1], expected[:, 2] = LECTURE_SCORES[2] / 3, -LECTURE_SCORES[2] / 3
    np.testing.assert_allclose(dW, expected, atol=1e-12)


def test_softmax_and_cross_entropy_of_the_lecture_scores_match_scipy():
    p = softmax(LECTURE_SCORES)
    np.testing.assert_allclose(p, scipy.special.softmax(LECTURE_SCORES, axis=1), rtol=1e-12)
    L = cross_entropy(LECTURE_SCORES, LECTURE_LABELS)
    np.testing.assert_allclose(L, -np.log(p[[0, 1, 2], [0, 1, 2]]), rtol=1e-12)
    np.testing.assert_allclose(L, [0.0979, 0.0086, 0.3847], atol=1e-4)
    for loss_fn in (softmax_loss_naive, softmax_loss_vectorized):
        assert loss_fn(np.eye(3), LECTURE_SCORES, LECTURE_LABELS, 0.0)[0] == pytest.approx(L.mean(), rel=1e-12)


# ----------------------------------------------------------------------------- references


@pytest.mark.parametrize("scale", [1.0, 3.0, 1e3])
def test_cross_entropy_matches_logsumexp_and_the_mean_matches_log_loss(scale):
    rng = np.random.default_rng(3)
    scores, y = scale * rng.normal(size=(40, 5)), rng.integers(0, 5, size=40)
    np.testing.assert_allclose(cross_entropy(scores, y),
                               scipy.special.logsumexp(scores, axis=1) - scores[np.arange(40), y],
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(softmax(scores), scipy.special.softmax(scores, axis=1), rtol=1e-12, atol=1e-300)
    if scale < 100:  # log_loss clips probabilities at machine epsilon: no reference for huge scores
        expected = log_loss(y, scipy.special.softmax(scores, axis=1), labels=np.arange(5))
        assert cross_entropy(scores, y).mean() == pytest.approx(expected, rel=1e-10)


def test_softmax_of_one_row():
    np.testing.assert_allclose(softmax([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-12)


# ----------------------------------------------------------------------------- laws


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 12), d=st.integers(1, 8), c=st.integers(2, 7),
       reg=st.floats(0.0, 10.0))
def test_naive_equals_vectorized(seed, n, d, c, reg):
    W, X, y = problem(seed, n, d, c, w_scale=2.0)
    for naive, vectorized in PAIRS:
        loss_a, dW_a = naive(W, X, y, reg)
        loss_b, dW_b = vectorized(W, X, y, reg)
        assert loss_a == pytest.approx(loss_b, rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(dW_a, dW_b, rtol=1e-9, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(-1e3, 1e3))
def test_softmax_and_its_loss_do_not_change_when_a_constant_is_added_to_a_row(seed, shift):
    rng = np.random.default_rng(seed)
    scores, y = rng.normal(scale=5.0, size=(4, 6)), rng.integers(0, 6, size=4)
    shifted = scores + np.array([shift, 0.0, -shift, 2 * shift])[:, None]
    np.testing.assert_allclose(softmax(shifted), softmax(scores), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(cross_entropy(shifted, y), cross_entropy(scores, y), atol=1e-9)
    np.testing.assert_allclose(hinge_loss(shifted, y), hinge_loss(scores, y), atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), scale=st.sampled_from([1.0, 50.0, 1e4]))
def test_softmax_rows_are_probabilities(seed, scale):
    p = softmax(np.random.default_rng(seed).normal(scale=scale, size=(5, 7)))
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), extra=st.floats(1e-9, 100.0))  # (exactly Δ: rounding decides)
def test_hinge_is_zero_when_every_margin_is_met(seed, extra):
    rng = np.random.default_rng(seed)
    scores, y = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    scores[np.arange(6), y] = scores.max(axis=1) + SVM_DELTA + extra   # correct class ahead by ≥ Δ
    np.testing.assert_array_equal(hinge_loss(scores, y), 0.0)
    loss, dW = svm_loss_vectorized(np.eye(4), scores, y, 0.5)        # only the penalty is left
    assert loss == pytest.approx(0.5 * 4) and np.allclose(dW, 2 * 0.5 * np.eye(4))
    scores[0, (y[0] + 1) % 4] = scores[0, y[0]] - SVM_DELTA + 0.25     # one margin missed by 0.25
    assert hinge_loss(scores, y)[0] == pytest.approx(0.25)


# ----------------------------------------------------------------------------- gradients


def kink_free_problem(seed):
    """A random problem whose hinge margins all stay > 1e-3 away from 0 (no kink within h)."""
    for attempt in range(100):
        W, X, y = problem(seed * 1000 + attempt)
        margins = X @ W - (X @ W)[np.arange(len(y)), y][:, None] + SVM_DELTA
        margins[np.arange(len(y)), y] = 10.0
        if np.min(np.abs(margins)) > 1e-3:
            return W, X, y
    raise AssertionError("no kink-free problem found")


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_analytic_gradient_matches_the_numerical_gradient(loss_fn, seed):
    W, X, y = kink_free_problem(seed)
    _, dW = loss_fn(W, X, y, 0.3)
    f = lambda w: loss_fn(w, X, y, 0.3)[0]  # noqa: E731
    assert gradient_check(f, W, dW, num_checks=W.size, seed=seed) < 1e-7
    np.testing.assert_allclose(dW, numerical_gradient(f, W), rtol=1e-6, atol=1e-9)


def test_the_regularisation_convention():
    W, X, y = problem(4)
    for loss_fn in ALL_LOSSES:
        loss0, dW0 = loss_fn(W, X, y, 0.0)
        loss1, dW1 = loss_fn(W, X, y, 0.7)
        assert loss1 - loss0 == pytest.approx(0.7 * l2_penalty(W), rel=1e-10)
        np.testing.assert_allclose(dW1 - dW0, 2 * 0.7 * W, rtol=1e-10, atol=1e-14)


def test_penalties_of_cs231n_toy_weights():
    w1, w2 = np.array([1.0, 0.0, 0.0, 0.0]), np.array([0.25, 0.25, 0.25, 0.25])
    assert w1 @ np.ones(4) == w2 @ np.ones(4) == 1.0          # the same score ...
    assert l2_penalty(w1) == 1.0 and l2_penalty(w2) == 0.25   # ... but L2 prefers spread-out weights
    assert l1_penalty(w1) == l1_penalty(w2) == 1.0            # L1 cannot tell them apart
    assert l1_penalty([[-1, 2], [3, -4]]) == 10.0
    assert l2_penalty(np.array([255], np.uint8)) == 65025.0   # no uint8 wrap-around


# ----------------------------------------------------------------------------- sanity and stability


@pytest.mark.parametrize("c", [3, 10])
def test_first_loss_at_tiny_weights_is_c_minus_1_and_log_c(c):
    rng = np.random.default_rng(6)
    X, y, W = rng.normal(size=(50, 20)), rng.integers(0, c, size=50), 1e-6 * rng.normal(size=(20, c))
    for loss_fn in (svm_loss_naive, svm_loss_vectorized):
        assert loss_fn(W, X, y, 0.0)[0] == pytest.approx(c - 1, abs=1e-3)
    for loss_fn in (softmax_loss_naive, softmax_loss_vectorized):
        assert loss_fn(W, X, y, 0.0)[0] == pytest.approx(math.log(c), abs=1e-3)


@pytest.mark.parametrize("big", [1e3, 1e4])
def test_huge_scores_give_finite_exact_results(big):
    scores = np.array([[big, 0.0, -big], [-big, big, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow on the way
        np.testing.assert_allclose(softmax(scores), [[1, 0, 0], [0, 1, 0]], atol=1e-300)
        np.testing.assert_array_equal(cross_entropy(scores, [0, 1]), [0.0, 0.0])
        np.testing.assert_allclose(cross_entropy(scores, [2, 0]), [2 * big, 2 * big], rtol=1e-12)
        np.testing.assert_allclose(hinge_loss(scores, [2, 0]), [3 * big + 2, 3 * big + 2], rtol=1e-12)
        for loss_fn in (softmax_loss_naive, softmax_loss_vectorized):
            loss, dW = loss_fn(np.array([[big, -big], [-big, big]]), np.eye(2), np.array([1, 1]), 0.0)
            assert loss == pytest.approx(big, rel=1e-12)  # (2 big + 0) / 2
            np.testing.assert_allclose(dW, [[0.5, -0.5], [0.0, 0.0]], atol=1e-12)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_float_loss_float64_gradient_uint8_converted_inputs_untouched(loss_fn):
    rng = np.random.default_rng(2)
    X8, W, y = rng.integers(0, 256, size=(6, 5), dtype=np.uint8), rng.normal(scale=1e-3, size=(5, 3)), np.arange(6) % 3
    copies = X8.copy(), W.copy(), y.copy()
    loss, dW = loss_fn(W, X8, y, 0.1)
    assert type(loss) is float and dW.dtype == np.float64 and dW.shape == W.shape
    ref_loss, ref_dW = loss_fn(W, X8.astype(np.float64), y, 0.1)
    assert loss == ref_loss
    np.testing.assert_array_equal(dW, ref_dW)
    for before, after in zip(copies, (X8, W, y)):
        np.testing.assert_array_equal(before, after)
    assert hinge_loss(np.array([[0, 255]], np.uint8), [1]).tolist() == [0.0]
    assert hinge_loss(np.array([[255, 0]], np.uint8), [1]).tolist() == [256.0]  # 255 − 0 + 1, no wrap


# ----------------------------------------------------------------------------- bad input

W32, X23, Y2 = np.ones((3, 2)), np.arange(6.0).reshape(2, 3), np.array([0, 1])
NAN23 = np.array([[0.0, np.nan, 1.0], [1.0, 2.0, 3.0]])

BAD_INPUT = [(fn, args, error, message) for fn in ALL_LOSSES for args, error, message in [
    ((np.ones((4, 2)), X23, Y2, 0.0), ValueError, "X has 3 columns but W has 4 rows; X @ W needs them equal"),
    ((W32, X23, np.array([0, 1, 1]), 0.0), ValueError, "y has 3 labels but X has 2 rows"),
    ((W32, X23, np.array([0, 2]), 0.0), ValueError, "y must hold labels in [0, 2) (C = 2), found 2"),
    ((W32, X23, np.array([0, -1]), 0.0), ValueError, "y must hold labels in [0, C), found -1"),
    ((W32, X23, np.array([0.0, 1.0]), 0.0), TypeError, "y must hold integer class labels"),
    ((W32, X23, Y2, -0.1), ValueError, "reg must be a finite number in [0, inf], got -0.1"),
    ((W32, X23, Y2, "0.1"), TypeError, "reg must be a number"),
    ((W32, NAN23, Y2, 0.0), ValueError, "X must hold only finite numbers, found 1 NaN or inf"),
    ((np.ones(3), X23, Y2, 0.0), ValueError, "W must be 2-D, got 1-D"),
    (("W", X23, Y2, 0.0), TypeError, "W must be a numeric array"),
    ((W32, np.zeros((2, 3, 4)), Y2, 0.0), ValueError, "X must be 2-D (N, D), got images of shape (2, 3, 4)"),
]] + [
    (softmax, (np.zeros((2, 2, 2)),), ValueError, "scores must be 1-D or 2-D, got 3-D"),
    (softmax, ([[np.inf, 0.0]],), ValueError, "scores must hold only finite numbers"),
    (softmax, (np.zeros((0, 3)),), ValueError, "scores must not be empty"),
    (softmax, ([["a", "b"]],), TypeError, "scores must hold real numbers"),
    (hinge_loss, ([1.0, 2.0], [0]), ValueError, "scores must be 2-D, got 1-D"),
    (hinge_loss, (np.zeros((2, 3)), [0, 1, 2]), ValueError, "y has 3 labels but scores has 2 rows"),
    (hinge_loss, (np.zeros((2, 3)), [0, 3]), ValueError, "y must hold labels in [0, 3) (C = 3), found 3"),
    (hinge_loss, (np.zeros((2, 3)), [0.0, 1.0]), TypeError, "y must hold integer class labels"),
    (cross_entropy, (np.zeros((2, 3)), [0, -1]), ValueError, "y must hold labels in [0, C), found -1"),
    (cross_entropy, (np.zeros((2, 3)), [[0, 1]]), ValueError, "y must be 1-D (N,), got shape (1, 2)"),
    (cross_entropy, ([[0.0, np.nan]], [0]), ValueError, "scores must hold only finite numbers"),
    (cross_entropy, (np.zeros((2, 3)), [True, False]), TypeError, "y must hold real numbers"),
    (l2_penalty, (np.zeros((0, 2)),), ValueError, "W must not be empty"),
    (l2_penalty, ("W",), TypeError, "W must be a numeric array"),
    (l2_penalty, ([np.nan],), ValueError, "W must hold only finite numbers"),
    (l1_penalty, ([1.0, -np.inf],), ValueError, "W must hold only finite numbers"),
    (l1_penalty, (np.array([1j]),), TypeError, "W must hold real numbers (int, uint8 or float), got dtype complex128"),
    (l1_penalty, (np.array([None, 1.0], dtype=object),), TypeError, "W must hold real numbers"),
]


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{row[0].__name__}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    functions = {name for name in losses.__all__ if callable(getattr(losses, name))}
    assert functions == {row[0].__name__ for row in BAD_INPUT}

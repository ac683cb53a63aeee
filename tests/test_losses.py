"""Tests of course_lib.losses: the lecture's worked example, naive == vectorised,
analytic vs numerical gradients, sanity values, numerical stability, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import log_loss

from course_lib import losses
from course_lib.losses import (
    cross_entropy,
    hinge_loss,
    l1_penalty,
    l1_penalty_grad,
    l2_penalty,
    l2_penalty_grad,
    softmax,
    softmax_loss_naive,
    softmax_loss_vectorized,
    svm_loss_naive,
    svm_loss_vectorized,
)

ALL_LOSSES = [svm_loss_naive, svm_loss_vectorized, softmax_loss_naive, softmax_loss_vectorized]
PAIRS = [(svm_loss_naive, svm_loss_vectorized), (softmax_loss_naive, softmax_loss_vectorized)]

# The lecture's example: rows = images (cat, dog, train), columns = class scores for
# cat / dog / train (the lecture's table is the transpose: one column per image).
LECTURE_SCORES = np.array(
    [
        [3.54, 1.23, -2.1],   # image 1, a cat
        [-2.4, 5.3, 0.5],     # image 2, a dog
        [-3.1, 1.23, 2.0],    # image 3, a train
    ]
)
LECTURE_LABELS = np.array([0, 1, 2])


def _numerical_gradient(f, x, h=1e-5):
    """Centred differences (f(x + h e_i) - f(x - h e_i)) / 2h for every entry of x."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = f(x)
        x[idx] = old - h
        f_minus = f(x)
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def _relative_error(a, b):
    """max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|) (CS231n's definition)."""
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def _random_problem(seed, n=12, d=7, c=4, w_scale=0.5):
    rng = np.random.default_rng(seed)
    W = rng.normal(scale=w_scale, size=(d, c))
    X = rng.normal(size=(n, d))
    y = rng.integers(0, c, size=n)
    return W, X, y


# ----------------------------------------------------------------------------- lecture example


def test_hinge_lecture_example_per_image():
    L = hinge_loss(LECTURE_SCORES, LECTURE_LABELS)
    np.testing.assert_allclose(L, [0.0, 0.0, 0.23], atol=1e-12)


def test_hinge_lecture_example_sum_and_mean():
    L = hinge_loss(LECTURE_SCORES, LECTURE_LABELS)
    assert L.sum() == pytest.approx(0.23, abs=1e-12)          # what the lecture writes
    assert L.mean() == pytest.approx(0.23 / 3, abs=1e-12)     # what its formula says
    assert round(L.mean(), 4) == 0.0767


@pytest.mark.parametrize("loss_fn", [svm_loss_naive, svm_loss_vectorized])
def test_svm_loss_lecture_example_through_W(loss_fn):
    # X = the scores and W = identity, so X @ W reproduces the lecture's scores.
    loss, dW = loss_fn(np.eye(3), LECTURE_SCORES, LECTURE_LABELS, 0.0)
    assert loss == pytest.approx(0.23 / 3, abs=1e-12)
    # Only image 3 violates a margin (dog score 1.23 vs train 2.0): +x_3 in column dog,
    # -x_3 in column train, divided by N = 3.
    expected = np.zeros((3, 3))
    expected[:, 1] += LECTURE_SCORES[2] / 3
    expected[:, 2] -= LECTURE_SCORES[2] / 3
    np.testing.assert_allclose(dW, expected, atol=1e-12)


def test_softmax_lecture_example_matches_scipy_and_hand_computation():
    p = softmax(LECTURE_SCORES)
    np.testing.assert_allclose(p, scipy.special.softmax(LECTURE_SCORES, axis=1), rtol=1e-12)
    e = np.exp([3.54, 1.23, -2.1])
    assert p[0, 0] == pytest.approx(e[0] / e.sum(), rel=1e-12)
    L = cross_entropy(LECTURE_SCORES, LECTURE_LABELS)
    np.testing.assert_allclose(L, -np.log(p[[0, 1, 2], [0, 1, 2]]), rtol=1e-12)
    np.testing.assert_allclose(L, [0.0979, 0.0086, 0.3847], atol=1e-4)


def test_cross_entropy_mean_matches_sklearn_log_loss():
    rng = np.random.default_rng(3)
    scores = rng.normal(scale=3.0, size=(40, 5))
    y = rng.integers(0, 5, size=40)
    expected = log_loss(y, scipy.special.softmax(scores, axis=1), labels=np.arange(5))
    assert cross_entropy(scores, y).mean() == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("loss_fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_softmax_loss_lecture_example_through_W(loss_fn):
    loss, _ = loss_fn(np.eye(3), LECTURE_SCORES, LECTURE_LABELS, 0.0)
    assert loss == pytest.approx(cross_entropy(LECTURE_SCORES, LECTURE_LABELS).mean(), rel=1e-12)


def test_hinge_delta_changes_margin():
    # With delta = 3 the cat image's dog term becomes max(0, 1.23 - 3.54 + 3) = 0.69.
    L = hinge_loss(LECTURE_SCORES[:1], LECTURE_LABELS[:1], delta=3.0)
    assert L[0] == pytest.approx(0.69, abs=1e-12)
    np.testing.assert_allclose(hinge_loss(LECTURE_SCORES, LECTURE_LABELS, delta=0.0), 0.0)


# ----------------------------------------------------------------------------- naive == vectorised


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 15),
    d=st.integers(1, 8),
    c=st.integers(2, 6),
    reg=st.floats(0.0, 10.0),
)
def test_naive_equals_vectorized(seed, n, d, c, reg):
    W, X, y = _random_problem(seed, n, d, c, w_scale=2.0)
    for naive, vectorized in PAIRS:
        loss_a, dW_a = naive(W, X, y, reg)
        loss_b, dW_b = vectorized(W, X, y, reg)
        assert loss_a == pytest.approx(loss_b, rel=1e-10, abs=1e-12)
        np.testing.assert_allclose(dW_a, dW_b, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_returns_python_float_and_float64_gradient_of_W_shape(loss_fn):
    W, X, y = _random_problem(0)
    loss, dW = loss_fn(W, X, y, 0.1)
    assert type(loss) is float
    assert dW.dtype == np.float64 and dW.shape == W.shape


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_inputs_are_not_modified(loss_fn):
    W, X, y = _random_problem(1)
    copies = W.copy(), X.copy(), y.copy()
    loss_fn(W, X, y, 0.5)
    for before, after in zip(copies, (W, X, y)):
        np.testing.assert_array_equal(before, after)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_integer_input_is_converted_before_arithmetic(loss_fn):
    rng = np.random.default_rng(2)
    X_uint8 = rng.integers(0, 256, size=(6, 5), dtype=np.uint8)
    W = rng.normal(scale=1e-3, size=(5, 3))
    y = np.array([0, 1, 2, 0, 1, 2])
    loss_int, dW_int = loss_fn(W, X_uint8, y, 0.1)
    loss_float, dW_float = loss_fn(W, X_uint8.astype(np.float64), y, 0.1)
    assert loss_int == loss_float
    np.testing.assert_array_equal(dW_int, dW_float)


# ----------------------------------------------------------------------------- gradients


def _kink_free_svm_problem(seed):
    """A random problem whose hinge margins all stay > 1e-3 away from 0 (no kinks nearby)."""
    for attempt in range(100):
        W, X, y = _random_problem(seed * 1000 + attempt)
        scores = X @ W
        margins = scores - scores[np.arange(len(y)), y][:, None] + 1.0
        margins[np.arange(len(y)), y] = 10.0
        if np.min(np.abs(margins)) > 1e-3:
            return W, X, y
    raise AssertionError("no kink-free problem found")


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_analytic_gradient_matches_numerical(loss_fn, seed):
    W, X, y = _kink_free_svm_problem(seed)
    reg = 0.3
    _, dW = loss_fn(W, X, y, reg)
    num = _numerical_gradient(lambda w: loss_fn(w, X, y, reg)[0], W)
    assert _relative_error(dW, num) < 1e-7


def test_regularisation_term_and_its_gradient_follow_the_convention():
    W, X, y = _random_problem(4)
    for loss_fn in ALL_LOSSES:
        loss0, dW0 = loss_fn(W, X, y, 0.0)
        loss1, dW1 = loss_fn(W, X, y, 0.7)
        assert loss1 - loss0 == pytest.approx(0.7 * np.sum(W**2), rel=1e-10)
        np.testing.assert_allclose(dW1 - dW0, 2 * 0.7 * W, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("penalty, grad", [(l2_penalty, l2_penalty_grad), (l1_penalty, l1_penalty_grad)])
def test_penalty_gradients_match_numerical(penalty, grad):
    W = np.random.default_rng(5).normal(size=(4, 3))   # no entry within 1e-5 of 0
    assert np.min(np.abs(W)) > 1e-3
    assert _relative_error(grad(W), _numerical_gradient(penalty, W)) < 1e-7


def test_penalties_on_the_toy_weight_vectors():
    w1 = np.array([1.0, 0.0, 0.0, 0.0])
    w2 = np.array([0.25, 0.25, 0.25, 0.25])
    x = np.ones(4)
    assert w1 @ x == w2 @ x == 1.0
    assert l2_penalty(w1) == 1.0 and l2_penalty(w2) == 0.25   # L2 prefers the spread-out w2
    assert l1_penalty(w1) == 1.0 and l1_penalty(w2) == 1.0    # L1 cannot tell them apart
    np.testing.assert_array_equal(l2_penalty_grad(w1), [2.0, 0, 0, 0])
    np.testing.assert_array_equal(l1_penalty_grad([-2.0, 0.0, 3.0]), [-1.0, 0.0, 1.0])


def test_l2_penalty_accepts_integers():
    assert l2_penalty(np.array([[1, 2], [3, 4]], dtype=np.uint8)) == 30.0
    assert l1_penalty([[-1, 2], [3, -4]]) == 10.0


# ----------------------------------------------------------------------------- sanity values


@pytest.mark.parametrize("c", [3, 10])
def test_sanity_values_at_tiny_W(c):
    rng = np.random.default_rng(6)
    X = rng.normal(size=(50, 20))
    y = rng.integers(0, c, size=50)
    W = 1e-6 * rng.normal(size=(20, c))
    for loss_fn in (svm_loss_naive, svm_loss_vectorized):
        assert loss_fn(W, X, y, 0.0)[0] == pytest.approx(c - 1, abs=1e-3)
    for loss_fn in (softmax_loss_naive, softmax_loss_vectorized):
        assert loss_fn(W, X, y, 0.0)[0] == pytest.approx(math.log(c), abs=1e-3)


# ----------------------------------------------------------------------------- softmax properties


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(-1e3, 1e3))
def test_softmax_invariant_to_adding_a_constant_to_a_row(seed, shift):
    rng = np.random.default_rng(seed)
    scores = rng.normal(scale=5.0, size=(4, 6))
    shifts = np.array([shift, 0.0, -shift, 2 * shift])[:, None]
    y = rng.integers(0, 6, size=4)
    np.testing.assert_allclose(softmax(scores + shifts), softmax(scores), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(cross_entropy(scores + shifts, y), cross_entropy(scores, y), atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_softmax_rows_are_probabilities(seed):
    rng = np.random.default_rng(seed)
    p = softmax(rng.normal(scale=50.0, size=(5, 7)))
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


def test_softmax_of_one_example_1d():
    np.testing.assert_allclose(softmax([0.0, math.log(3.0)]), [0.25, 0.75], rtol=1e-12)


@pytest.mark.parametrize("big", [1000.0, 1e4])
def test_large_scores_give_finite_correct_results(big):
    scores = np.array([[big, 0.0, -big], [-big, big, 0.0]])
    p = softmax(scores)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, [[1, 0, 0], [0, 1, 0]], atol=1e-300)
    # Correct class far ahead: loss ~0; correct class far behind: loss = the gap, exactly.
    np.testing.assert_allclose(cross_entropy(scores, [0, 1]), [0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(cross_entropy(scores, [2, 0]), [2 * big, 2 * big], rtol=1e-12)
    np.testing.assert_allclose(hinge_loss(scores, [2, 0]), [3 * big + 2, 3 * big + 2], rtol=1e-12)


@pytest.mark.parametrize("big", [1000.0, 1e4])
@pytest.mark.parametrize("loss_fn", [softmax_loss_naive, softmax_loss_vectorized])
def test_softmax_loss_finite_for_huge_scores(loss_fn, big):
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    W = np.array([[big, -big], [-big, big]])   # scores = W: ±big
    loss, dW = loss_fn(W, X, np.array([1, 1]), 0.0)
    assert loss == pytest.approx(big, rel=1e-12)   # (2*big + 0) / 2
    assert np.all(np.isfinite(dW))
    # Example 1 (wrong, p = [1, 0]) gives x_1 * (p - onehot) = [[1, -1], [0, 0]]; example 2 gives 0.
    np.testing.assert_allclose(dW, [[0.5, -0.5], [0.0, 0.0]], atol=1e-12)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
@pytest.mark.parametrize("bad", [3, -1])
def test_label_out_of_range(loss_fn, bad):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    y[2] = bad
    with pytest.raises(ValueError, match=r"^y must hold labels"):
        loss_fn(W, X, y, 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_float_labels(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(TypeError, match=r"^y must hold integer class labels"):
        loss_fn(W, X, y.astype(float), 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_mismatched_n(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(ValueError, match=r"^y has 4 labels but X has 5 rows.*\(4,\).*\(5, 4\)"):
        loss_fn(W, X, y[:4], 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_mismatched_d(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(ValueError, match=r"^X has 3 columns .* W has 4 rows.*\(5, 3\).*\(4, 3\)"):
        loss_fn(W, X[:, :3], y, 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_W_not_2d(loss_fn):
    _, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(ValueError, match=r"^W must be 2-D"):
        loss_fn(np.zeros(4), X, y, 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_X_not_2d(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(ValueError, match=r"^X must be 2-D"):
        loss_fn(W, X[None], y, 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_negative_reg(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(ValueError, match=r"^reg must be >= 0"):
        loss_fn(W, X, y, -0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_non_numeric_reg(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(TypeError, match=r"^reg must be a real number"):
        loss_fn(W, X, y, "0.1")


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_nan_in_X(loss_fn):
    W, X, y = _random_problem(0, n=5, d=4, c=3)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^X must contain only finite numbers"):
        loss_fn(W, X, y, 0.1)


@pytest.mark.parametrize("loss_fn", ALL_LOSSES)
def test_string_W(loss_fn):
    _, X, y = _random_problem(0, n=5, d=4, c=3)
    with pytest.raises(TypeError, match=r"^W must be a numeric array"):
        loss_fn("weights", X, y, 0.1)


@pytest.mark.parametrize("fn", [hinge_loss, cross_entropy])
def test_score_level_mismatched_n(fn):
    with pytest.raises(ValueError, match=r"^y has 2 labels but scores has 3 rows.*\(2,\).*\(3, 3\)"):
        fn(LECTURE_SCORES, [0, 1])


@pytest.mark.parametrize("fn", [hinge_loss, cross_entropy])
def test_score_level_label_out_of_range(fn):
    with pytest.raises(ValueError, match=r"^y must hold labels in \[0, 3\)"):
        fn(LECTURE_SCORES, [0, 1, 3])


@pytest.mark.parametrize("fn", [hinge_loss, cross_entropy])
def test_score_level_float_labels(fn):
    with pytest.raises(TypeError, match=r"^y must hold integer"):
        fn(LECTURE_SCORES, [0.0, 1.0, 2.0])


@pytest.mark.parametrize("fn", [hinge_loss, cross_entropy])
def test_score_level_scores_not_2d(fn):
    with pytest.raises(ValueError, match=r"^scores must be 2-D"):
        fn([1.0, 2.0, 3.0], [0])


def test_softmax_rejects_3d_and_nan():
    with pytest.raises(ValueError, match=r"^scores must be 1-D or 2-D"):
        softmax(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"^scores must contain only finite numbers"):
        softmax([[0.0, np.inf]])


def test_hinge_negative_delta():
    with pytest.raises(ValueError, match=r"^delta must be >= 0"):
        hinge_loss(LECTURE_SCORES, LECTURE_LABELS, delta=-1.0)


@pytest.mark.parametrize("fn", [l2_penalty, l2_penalty_grad, l1_penalty, l1_penalty_grad])
def test_penalty_rejects_strings_and_empty(fn):
    with pytest.raises(TypeError, match=r"^W must be"):
        fn("abc")
    with pytest.raises(ValueError, match=r"^W must not be empty"):
        fn(np.zeros((0, 3)))


def test_module_documents_the_convention():
    doc = losses.__doc__
    assert "reg * sum(W**2)" in doc and "2 * reg * W" in doc
    assert losses.SVM_DELTA == 1.0

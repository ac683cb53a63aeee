"""Tests of course_lib.gradients: numerical gradients, relative error, gradient check."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.gradients import (
    CheckedCoordinate,
    gradient_check,
    gradient_check_verdict,
    numerical_gradient,
    relative_error,
)


# ----------------------------------------------------------------------------- small test losses


def least_squares(w, X, t):
    """0.5 * mean((X w - t)^2) and its gradient X^T (X w - t) / N."""
    r = X @ w - t
    return 0.5 * np.mean(r**2), X.T @ r / len(t)


def logistic(w, X, t):
    """Mean binary cross-entropy with labels t in {0, 1}, and its gradient."""
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    loss = np.mean(np.logaddexp(0.0, z) - t * z)
    return loss, X.T @ (p - t) / len(t)


# ----------------------------------------------------------------------------- numerical_gradient


@pytest.mark.parametrize("method", ["centred", "forward"])
def test_square_derivative(method):
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    g = numerical_gradient(lambda v: np.sum(v**2), x, method=method)
    tol = 1e-8 if method == "centred" else 2e-5
    np.testing.assert_allclose(g, 2 * x, atol=tol)


def test_centred_is_exact_for_quadratics_and_forward_is_off_by_h():
    # centred differences have no truncation error for x^2; forward ones are off by exactly h
    h = 1e-3
    gc = numerical_gradient(lambda v: float(v**2), 3.0, h=h)
    gf = numerical_gradient(lambda v: float(v**2), 3.0, h=h, method="forward")
    assert gc.shape == ()
    assert abs(float(gc) - 6.0) < 1e-9
    assert abs(float(gf) - (6.0 + h)) < 1e-9


def test_sin_derivative_is_cos():
    x = np.linspace(-3, 3, 13)
    g = numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_allclose(g, np.cos(x), atol=1e-9)


def test_centred_error_shrinks_like_h_squared_forward_like_h():
    f = lambda v: float(np.sin(v))  # noqa: E731
    x0 = 1.0
    err_c = [abs(float(numerical_gradient(f, x0, h=h)) - np.cos(x0)) for h in (1e-2, 1e-3)]
    err_f = [abs(float(numerical_gradient(f, x0, h=h, method="forward")) - np.cos(x0))
             for h in (1e-2, 1e-3)]
    assert 80 < err_c[0] / err_c[1] < 120  # O(h^2): 10x smaller h, 100x smaller error
    assert 8 < err_f[0] / err_f[1] < 12  # O(h)


def test_matrix_product_gradient():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 3))
    B = rng.standard_normal((3, 5))
    G = rng.standard_normal((4, 5))
    # f(A) = sum(G * (A @ B)) has gradient G @ B.T with respect to A and A.T @ G w.r.t. B
    gA = numerical_gradient(lambda a: np.sum(G * (a @ B)), A)
    gB = numerical_gradient(lambda b: np.sum(G * (A @ b)), B)
    np.testing.assert_allclose(gA, G @ B.T, atol=1e-8)
    np.testing.assert_allclose(gB, A.T @ G, atol=1e-8)


def test_does_not_modify_x_and_restores_between_probes():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = x.copy()
    seen = []

    def f(v):
        seen.append(v.copy())
        return float(np.sum(v**3))

    g = numerical_gradient(f, x, h=1e-4)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-7)
    # every probe differs from x in exactly one entry (the others were restored)
    for v in seen:
        assert np.count_nonzero(v != before) == 1


def test_f_returning_a_view_of_x():
    # f returns a 0-d *view* into its argument: its value must be read before the next probe
    x = np.array([5.0])
    g = numerical_gradient(lambda v: v.reshape(()), x)
    np.testing.assert_allclose(g, [1.0], atol=1e-9)
    g2 = numerical_gradient(lambda v: v[0:1], np.array([2.0, 7.0]))  # a 1-element view
    np.testing.assert_allclose(g2, [1.0, 0.0], atol=1e-9)


def test_integer_and_float32_inputs_warn_and_are_correct():
    xi = np.array([1, 2, 3])
    with pytest.warns(UserWarning, match="float64"):
        g = numerical_gradient(lambda v: np.sum(v**2), xi)
    np.testing.assert_allclose(g, [2.0, 4.0, 6.0], atol=1e-8)
    np.testing.assert_array_equal(xi, [1, 2, 3])
    x32 = np.array([0.5, -1.5], dtype=np.float32)
    with pytest.warns(UserWarning, match="float32"):
        g32 = numerical_gradient(lambda v: np.sum(v**2), x32)
    assert g32.dtype == np.float64
    np.testing.assert_allclose(g32, [1.0, -3.0], atol=1e-8)


def test_python_numbers_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = numerical_gradient(lambda v: float(v) ** 3, 2)
    assert abs(float(g) - 12.0) < 1e-6


def test_least_squares_and_logistic_gradients():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((20, 4))
    t = rng.standard_normal(20)
    w = rng.standard_normal(4)
    num = numerical_gradient(lambda v: least_squares(v, X, t)[0], w)
    np.testing.assert_allclose(num, least_squares(w, X, t)[1], rtol=1e-7, atol=1e-10)
    tb = (rng.random(20) < 0.5).astype(float)
    num = numerical_gradient(lambda v: logistic(v, X, tb)[0], w)
    np.testing.assert_allclose(num, logistic(w, X, tb)[1], rtol=1e-6, atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=6), st.floats(-3, 3))
def test_gradient_of_linear_function_is_its_coefficients(coeffs, shift):
    # f(x) = c . x + shift is linear, so finite differences are exact up to round-off
    c = np.array(coeffs)
    x = np.linspace(-1, 1, len(c))
    g = numerical_gradient(lambda v: float(c @ v + shift), x)
    np.testing.assert_allclose(g, c, atol=1e-8)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(f=None, x=[1.0]), TypeError, "f must be"),
        (dict(f=np.sum, x="abc"), TypeError, "x must be"),
        (dict(f=np.sum, x=[]), ValueError, "x must not be empty"),
        (dict(f=np.sum, x=[1.0, np.nan]), ValueError, "x must contain only finite"),
        (dict(f=np.sum, x=[1.0], h=0.0), ValueError, "h must be > 0"),
        (dict(f=np.sum, x=[1.0], h="small"), TypeError, "h must be a real number"),
        (dict(f=np.sum, x=[1.0], method="backward"), ValueError, "method must be one of"),
        (dict(f=lambda v: v * 2, x=[1.0, 2.0]), ValueError, "f must return a scalar"),
        (dict(f=lambda v: "loss", x=[1.0]), TypeError, "f must return a real number"),
        (dict(f=lambda v: np.inf, x=[1.0]), ValueError, "f returned inf"),
    ],
)
def test_numerical_gradient_bad_input(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        numerical_gradient(**kwargs)


def test_method_aliases():
    g = numerical_gradient(lambda v: np.sum(v**2), [1.0], method="centered")
    np.testing.assert_allclose(g, [2.0], atol=1e-8)


# ----------------------------------------------------------------------------- relative_error


def test_relative_error_values():
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(2.0, 1.0) == pytest.approx(0.5)
    assert relative_error(1.0, -1.0) == pytest.approx(2.0)
    assert relative_error(1e-12, 0.0) == pytest.approx(1e-4)  # the floor 1e-8 in the denominator
    err = relative_error(np.array([0.0, 1.0, 3.0]), np.array([0.0, 1.1, 3.0]))
    np.testing.assert_allclose(err, [0.0, 0.1 / 1.1, 0.0])
    assert isinstance(relative_error(1.0, 2.0), float)


@settings(max_examples=30, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_relative_error_is_symmetric_and_bounded(a, b):
    e = relative_error(a, b)
    assert e == relative_error(b, a)
    assert 0.0 <= e <= 2.0


@pytest.mark.parametrize(
    "a, b, kwargs, exc, match",
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], {}, ValueError, "broadcastable"),
        ("x", 1.0, {}, TypeError, "a must be"),
        (1.0, None, {}, TypeError, "b must be"),
        (1.0, 1.0, dict(floor=0.0), ValueError, "floor must be > 0"),
        ([np.nan], [1.0], {}, ValueError, "a must contain only finite"),
    ],
)
def test_relative_error_bad_input(a, b, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        relative_error(a, b, **kwargs)


# ----------------------------------------------------------------------------- gradient_check


def _quadratic_setup():
    rng = np.random.default_rng(2)
    A = rng.standard_normal((5, 5))
    A = A @ A.T + np.eye(5)
    x = rng.standard_normal((5,))
    f = lambda v: 0.5 * v @ A @ v  # noqa: E731
    return f, x, A @ x


def test_gradient_check_passes_a_right_gradient():
    f, x, grad = _quadratic_setup()
    err, worst = gradient_check(f, x, grad)
    assert err < 1e-7
    assert gradient_check_verdict(err) == "excellent"
    assert len(worst) == 5 and all(isinstance(w, CheckedCoordinate) for w in worst)
    assert worst[0].rel_error == err
    assert [w.rel_error for w in worst] == sorted((w.rel_error for w in worst), reverse=True)


def test_gradient_check_catches_a_wrong_gradient():
    f, x, grad = _quadratic_setup()
    wrong = grad.copy()
    wrong[3] *= 1.5  # one wrong coordinate
    err, worst = gradient_check(f, x, wrong)
    assert err > 1e-2
    assert gradient_check_verdict(err) == "wrong"
    assert worst[0].index == (3,)
    assert worst[0].analytic == pytest.approx(wrong[3])
    assert worst[0].numerical == pytest.approx(grad[3], rel=1e-6)
    # the classic bug: forgetting the factor 2 of the regulariser's gradient
    W = np.random.default_rng(3).standard_normal((4, 3))
    err2, _ = gradient_check(lambda w: np.sum(w**2), W, W)
    assert err2 == pytest.approx(0.5, rel=1e-6)


def test_gradient_check_on_a_matrix_reports_multi_indices():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((3, 4))
    G = rng.standard_normal((3, 4))
    bad = G.copy()
    bad[2, 1] = -bad[2, 1]
    err, worst = gradient_check(lambda w: np.sum(G * w), W, bad)
    assert worst[0].index == (2, 1)
    assert err == pytest.approx(2.0)


def test_sparse_gradient_check_is_seeded_and_samples_without_replacement():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((30, 6))
    t = (rng.random(30) < 0.5).astype(float)
    w = rng.standard_normal(6)
    calls = []

    def f(v):
        calls.append(1)
        return logistic(v, X, t)[0]

    grad = logistic(w, X, t)[1]
    e1, w1 = gradient_check(f, w, grad, num_checks=3, seed=7, num_worst=10)
    assert len(calls) == 6  # 2 evaluations per checked coordinate
    assert len(w1) == 3 and len({c.index for c in w1}) == 3
    e2, w2 = gradient_check(f, w, grad, num_checks=3, seed=7, num_worst=10)
    assert e1 == e2 and sorted(c.index for c in w1) == sorted(c.index for c in w2)
    assert e1 < 1e-6
    _, w_all = gradient_check(f, w, grad, num_checks=100, num_worst=10)  # clipped to x.size
    assert len(w_all) == 6


def test_gradient_check_kink_band():
    # |x| checked right next to its kink: the probe crosses 0, the derivative jumps
    err, _ = gradient_check(lambda v: np.sum(np.abs(v)), np.array([3e-6]), np.array([1.0]))
    assert err > 1e-2
    err_far, _ = gradient_check(lambda v: np.sum(np.abs(v)), np.array([0.3]), np.array([1.0]))
    assert err_far < 1e-7


def test_gradient_check_does_not_modify_x():
    f, x, grad = _quadratic_setup()
    before = x.copy()
    gradient_check(f, x, grad, num_checks=2)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(analytic_grad=np.zeros(4)), ValueError, "analytic_grad must have the shape"),
        (dict(analytic_grad="g"), TypeError, "analytic_grad must be"),
        (dict(num_checks=0), ValueError, "num_checks must be an integer in"),
        (dict(num_checks=2.5), TypeError, "num_checks must be an integer"),
        (dict(seed=-1), ValueError, "seed must be"),
        (dict(h=-1e-5), ValueError, "h must be > 0"),
        (dict(num_worst=0), ValueError, "num_worst must be"),
        (dict(f=3), TypeError, "f must be a callable"),
    ],
)
def test_gradient_check_bad_input(kwargs, exc, match):
    f, x, grad = _quadratic_setup()
    args = dict(f=f, x=x, analytic_grad=grad)
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        gradient_check(**args)


@pytest.mark.parametrize(
    "value, verdict",
    [(0.0, "excellent"), (1e-7, "excellent"), (2e-7, "fine near kinks"), (1e-4, "fine near kinks"),
     (5e-3, "suspicious"), (0.02, "wrong"), (2.0, "wrong")],
)
def test_verdict_bands(value, verdict):
    assert gradient_check_verdict(value) == verdict


@pytest.mark.parametrize("value, exc", [(-1.0, ValueError), (np.nan, ValueError), ("x", TypeError)])
def test_verdict_bad_input(value, exc):
    with pytest.raises(exc, match="max_rel_error"):
        gradient_check_verdict(value)

"""Numerical robustness of the teaching code, inputs left untouched, and seeded randomness.

* distances are never NaN, and a row's distance to an identical row is exactly 0;
* softmax and cross-entropy stay finite and correct for scores up to ±1e4;
* a gradient check of two zero gradients is 0 (not NaN);
* training that diverges stops with a message that says what to do;
* ``numerical_gradient`` / ``gradient_check`` restore every probed entry exactly;
* no public function changes the arrays it is given (bytes compared before and after);
* every random routine takes a seed: same seed, same output; another seed, another output
  (and a source scan finds no randomness that bypasses ``np.random.default_rng(seed)``).
"""

from __future__ import annotations

import ast
import inspect
import pkgutil
import re
import shutil
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from scipy.special import logsumexp  # noqa: E402
from scipy.special import softmax as scipy_softmax  # noqa: E402

import course_lib  # noqa: E402
from course_lib import (  # noqa: E402
    datasets,
    distances,
    gradients,
    graph,
    images,
    knn,
    linear,
    losses,
    metrics,
    model_selection,
    optim,
    plots,
)
from course_lib.demos import cross_validation as d_cv  # noqa: E402
from course_lib.demos import knn as d_knn  # noqa: E402
from course_lib.demos import linear as d_linear  # noqa: E402
from course_lib.demos import losses as d_losses  # noqa: E402
from course_lib.demos import optimization as d_opt  # noqa: E402
from course_lib.demos import pixels as d_pixels  # noqa: E402

EPS64 = np.finfo(np.float64).eps


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _near_identical(D, *, n=12, scale=1e4, noise=1e-6, seed=0):
    """Rows that differ by ~noise around a large value: the worst case of ‖a‖² + ‖b‖² − 2a·b."""
    rng = np.random.default_rng(seed)
    return scale + noise * rng.standard_normal((n, D))


# ============================================================================= distances never NaN

DIMS = (1, 2, 3, 10, 784, 3072)


@pytest.mark.parametrize("D", DIMS)
def test_no_loop_l2_near_identical_large_rows_is_finite_and_within_rounding(D):
    X = _near_identical(D)
    Y = X + 1e-6  # another array, also near-identical
    d = distances.pairwise_distances(X, Y, metric="l2", method="no_loops")
    exact = distances.pairwise_distances(X, Y, metric="l2", method="two_loops")
    assert np.all(np.isfinite(d)) and np.all(d >= 0)
    # ‖a‖² + ‖b‖² − 2a·b loses about eps·(‖a‖² + ‖b‖²) to rounding, so the distance can be off
    # by the square root of that (here at most ~0.05 for values of 1e4), never more.
    norms = (X**2).sum(1)[:, None] + (Y**2).sum(1)[None, :]
    assert np.all(np.abs(d - exact) <= np.sqrt(16 * EPS64 * norms))


@pytest.mark.parametrize("D", (3, 784, 3072))
def test_no_loop_l2_float32_near_identical_rows_never_nan(D):
    X = _near_identical(D, noise=1e-2).astype(np.float32)
    d = distances.pairwise_distances(X, X[::-1].copy(), metric="l2", method="no_loops")
    assert d.dtype == np.float64 and np.all(np.isfinite(d)) and np.all(d >= 0)


def test_no_loop_l2_of_a_row_with_inf_is_refused_not_nan():
    with pytest.raises(ValueError, match="^X_train must contain only finite numbers"):
        distances.pairwise_distances(np.zeros((1, 2)), np.array([[np.inf, 0.0]]))


def _identical_cases():
    for metric in distances.METRICS:
        for method in distances.METHODS:
            for dtype in (np.float64, np.float32):
                for data in ("constant", "near_identical"):
                    yield pytest.param(metric, method, dtype, data,
                                       id=f"{metric}-{method}-{np.dtype(dtype).name}-{data}")


@pytest.mark.parametrize("metric, method, dtype, data", list(_identical_cases()))
def test_identical_rows_have_distance_exactly_zero(metric, method, dtype, data):
    D = 784
    X = np.full((6, D), 1e4) if data == "constant" else _near_identical(D, n=6)
    X = X.astype(dtype)
    d = distances.pairwise_distances(X, X.copy(), metric=metric, method=method)
    assert not np.isnan(d).any()
    assert np.all(np.diag(d) == 0.0), np.diag(d)


@pytest.mark.parametrize("a, b", [
    (np.full(3072, 1e4), np.full(3072, 1e4)),
    (np.full((32, 32, 3), 255, np.uint8), np.full((32, 32, 3), 255, np.uint8)),
    (1e4 + np.arange(10) * 1e-7, 1e4 + np.arange(10) * 1e-7),
])
def test_single_pair_distances_of_identical_inputs_are_zero(a, b):
    assert distances.l1_distance(a, b) == 0.0
    assert distances.l2_distance(a, b) == 0.0


@pytest.mark.parametrize("method", ["one_loop", "two_loops", "no_loops"])
def test_knn_finds_an_exact_duplicate_among_near_identical_rows(method):
    X_train = _near_identical(784, n=40, noise=1e-4)
    y_train = np.arange(40)  # one label per row: the prediction says which row was nearest
    pred = knn.KNearestNeighbor().fit(X_train, y_train).predict(X_train[:10].copy(), k=1, method=method)
    assert pred.tolist() == list(range(10))


def test_knn_on_pixel_data_is_exact():
    """Integer pixel values (as float64) are exact: duplicates are at distance 0 in every method."""
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, size=(30, 3072)).astype(np.float64)
    for method in distances.METHODS:
        d = distances.pairwise_distances(X[:5], X, method=method)
        assert np.all(d[np.arange(5), np.arange(5)] == 0.0)


# ============================================================================= softmax and cross-entropy at ±1e4

SCALES = (1.0, 1e2, 1e3, 1e4)


@pytest.mark.parametrize("scale", SCALES)
def test_softmax_and_cross_entropy_are_finite_and_correct_for_large_scores(scale):
    base = np.array([[1.0, -1.0, 0.0], [-1.0, -1.0, -1.0], [0.3, 1.0, -0.7], [1.0, 1.0, -1.0]])
    scores = scale * base
    y = np.array([1, 2, 0, 0])
    p = losses.softmax(scores)
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, scipy_softmax(scores, axis=1), rtol=1e-12, atol=1e-300)
    ce = losses.cross_entropy(scores, y)
    expected = logsumexp(scores, axis=1) - scores[np.arange(4), y]
    assert np.all(np.isfinite(ce))
    np.testing.assert_allclose(ce, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(losses.softmax(scores[0]), p[0])  # one example, (C,)


def test_cross_entropy_of_plus_minus_1e4():
    scores = np.array([[1e4, -1e4]])
    assert losses.cross_entropy(scores, [1]).tolist() == [2e4]
    assert losses.cross_entropy(scores, [0]).tolist() == [0.0]
    assert losses.softmax(scores).tolist() == [[1.0, 0.0]]


@pytest.mark.parametrize("fn", [losses.softmax_loss_naive, losses.softmax_loss_vectorized,
                                losses.svm_loss_naive, losses.svm_loss_vectorized])
def test_losses_stay_finite_for_scores_of_1e4(fn):
    W = np.array([[1.0, -1.0, 0.5]])
    X = np.array([[1e4], [-1e4], [3e3]])  # scores up to ±1e4
    y = np.array([1, 0, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        loss, dW = fn(W, X, y, 0.0)
    assert np.isfinite(loss) and np.all(np.isfinite(dW))
    scores = X @ W
    if "softmax" in fn.__name__:
        expected = np.mean(logsumexp(scores, axis=1) - scores[np.arange(3), y])
    else:
        margins = np.maximum(0, scores - scores[np.arange(3), y][:, None] + 1.0)
        margins[np.arange(3), y] = 0
        expected = margins.sum() / 3
    assert loss == pytest.approx(expected, rel=1e-12)


def test_graph_softmax_loss_stays_finite_for_scores_of_1e4():
    W = np.array([[1.0, -1.0, 0.5]])
    X = np.array([[1e4], [-1e4]])
    y = np.array([1, 0])
    loss, W_nodes = graph.softmax_loss_from_values(W, X, y)
    loss.backward()
    assert loss.data == pytest.approx(losses.softmax_loss_vectorized(W, X, y, 0.0)[0], rel=1e-12)
    assert np.all(np.isfinite(graph.grads_of(W_nodes)))


def test_loss_comparison_demo_at_extreme_scores():
    out = d_losses.compute_loss_comparison(1e4, -1e4, other_scores=(0.0,))
    assert out["cross_entropy"] == 0.0 and out["hinge"] == 0.0
    out = d_losses.compute_loss_comparison(-1e4, 1e4, other_scores=())
    assert out["cross_entropy"] == 2e4 and out["hinge"] == 2e4 + 1


# ============================================================================= gradient checks with zero gradients


def test_gradient_check_of_two_zero_gradients_is_zero_not_nan():
    x = np.array([[0.5, -2.0], [3.0, 0.0]])
    max_err, worst = gradients.gradient_check(lambda w: 7.0, x, np.zeros_like(x))
    assert max_err == 0.0
    assert all(w.rel_error == 0.0 and w.numerical == 0.0 for w in worst)
    assert gradients.gradient_check_verdict(max_err) == "excellent"


def test_relative_error_of_zeros_and_of_tiny_differences():
    assert gradients.relative_error(0.0, 0.0) == 0.0
    np.testing.assert_array_equal(gradients.relative_error(np.zeros(3), np.zeros(3)), 0.0)
    assert gradients.relative_error(0.0, 1e-12) == pytest.approx(1e-4)  # floor 1e-8 in the denominator
    assert not np.isnan(gradients.relative_error(np.zeros(2), np.array([0.0, 1e-300]))).any()


def test_numerical_gradient_of_a_constant_is_exactly_zero():
    g = gradients.numerical_gradient(lambda w: 3.0, np.array([1e-3, 1e4, -7.0]))
    assert g.tolist() == [0.0, 0.0, 0.0]


def test_gradient_check_sparse_with_zero_gradients():
    x = np.zeros((5, 4))
    max_err, _ = gradients.gradient_check(lambda w: 0.0, x, np.zeros_like(x), num_checks=6, seed=2)
    assert max_err == 0.0


# ============================================================================= divergence stops with a message

DIVERGE = dict(learning_rate=1e6, reg=10.0)  # 2·reg·learning_rate ≫ 2: the weights blow up


def _toy(seed=0, n=40, d=5, c=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, c, n)


def _assert_diverged(info):
    exc = info.value
    assert isinstance(exc, optim.TrainingDiverged)
    assert isinstance(exc, ValueError) and isinstance(exc, FloatingPointError)
    message = str(exc)
    assert message.startswith("training diverged")
    assert "smaller learning_rate" in message
    assert exc.learning_rate == DIVERGE["learning_rate"]
    assert len(exc.loss_history) == exc.iteration or len(exc.loss_history) == exc.iteration + 1
    assert all(np.isfinite(exc.loss_history))


@pytest.mark.parametrize("loss_fn", [losses.svm_loss_vectorized, losses.softmax_loss_vectorized])
@pytest.mark.parametrize("batch_size", [8, 1000])
def test_sgd_divergence_stops_with_a_clear_message(loss_fn, batch_size):
    X, y = _toy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow warnings leak out either
        with pytest.raises(optim.TrainingDiverged) as info:
            optim.sgd(loss_fn, np.zeros((5, 3)), X, y, batch_size=batch_size, num_iters=500, **DIVERGE)
    _assert_diverged(info)


def test_gradient_descent_divergence_stops_with_a_clear_message():
    X, y = _toy()
    with pytest.raises(optim.TrainingDiverged) as info:
        optim.gradient_descent(losses.softmax_loss_vectorized, np.zeros((5, 3)), X, y, num_iters=500, **DIVERGE)
    _assert_diverged(info)


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_linear_classifier_fit_divergence_stops_and_keeps_the_model(loss):
    X, y = _toy()
    model = linear.LinearClassifier(5, 3, seed=0)
    W0, b0 = model.W.copy(), model.b.copy()
    with pytest.raises(optim.TrainingDiverged) as info:
        model.fit(X, y, loss=loss, num_iters=500, batch_size=10, **DIVERGE)
    _assert_diverged(info)
    # the failed run leaves the model as it was (no NaN weights to trip over later)
    np.testing.assert_array_equal(model.W, W0)
    np.testing.assert_array_equal(model.b, b0)


def test_diverging_gradient_descent_path_stops_early_and_finite():
    grad = lambda w: d_opt.bowl_loss(w)[1]  # noqa: E731
    path = d_opt.gradient_descent_path(grad, [-4.0, 2.5], learning_rate=1.0, num_steps=10_000)
    assert len(path) < 10_001 and np.all(np.isfinite(path))


def test_search_records_diverged_runs_and_refuses_when_all_diverge():
    X, y = _toy()
    out = d_opt.search_hyperparameters(X[:30], y[:30], X[30:], y[30:], [1e-3, 1e6], [10.0],
                                       num_iters=300, batch_size=10)
    assert np.isnan(out["results"][(1e6, 10.0)]).all()
    assert np.isfinite(out["results"][(1e-3, 10.0)]).all() and out["best"] == (1e-3, 10.0)
    with pytest.raises(ValueError, match="every run diverged: use smaller learning_rates"):
        d_opt.search_hyperparameters(X[:30], y[:30], X[30:], y[30:], [1e6], [10.0], num_iters=300, batch_size=10)


def test_random_search_with_a_nan_loss_says_so():
    X, y = _toy()
    with pytest.raises(ValueError, match="non-finite loss"):
        optim.random_search(lambda W, X, y, reg: (float("nan"), None), X, y, num_tries=3)


# ============================================================================= probes restore x exactly


@pytest.mark.parametrize("method", ["centred", "forward"])
def test_numerical_gradient_restores_every_probed_entry_exactly(method):
    # values where x + h - h != x in floating point: restoring by "moving back" would drift
    x = np.array([[0.1, 1e-3, 12345.678], [-7.3e-7, 3.0, 1.0 / 3.0]])
    original = x.copy()
    seen = []

    def f(w):
        seen.append(w.copy())
        return float(np.sum(np.sin(w)))

    gradients.numerical_gradient(f, x, h=1e-5, method=method)
    np.testing.assert_array_equal(x, original)  # the caller's array is untouched
    for w in seen:  # every probe differs from x in at most one entry ...
        assert np.count_nonzero(w != original) <= 1
    # ... and every other entry is bit-for-bit the original (no drift from x + h - h)
    assert all(np.array_equal(np.where(w != original, original, w), original) for w in seen)


def test_gradient_check_restores_every_probed_entry_exactly():
    x = np.array([0.1, 1e-3, 12345.678, 1.0 / 3.0])
    original = x.copy()
    seen = []

    def f(w):
        seen.append(w.copy())
        return float(np.sum(w**3))

    gradients.gradient_check(f, x, 3 * x**2)
    np.testing.assert_array_equal(x, original)
    assert all(np.count_nonzero(w != original) == 1 for w in seen)


def test_numerical_gradient_of_a_function_returning_a_view():
    x = np.array([1.0, 2.0, 3.0])
    g = gradients.numerical_gradient(lambda w: w[1:2], x)  # f returns a view into the probe
    np.testing.assert_allclose(g, [0.0, 1.0, 0.0], atol=1e-9)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


# ============================================================================= nothing mutates its inputs

_rng = np.random.default_rng(5)
XF = _rng.standard_normal((12, 4))  # float64: passed through without a copy, the risky case
YF = np.tile([0, 1, 2], 4)
WF = 0.1 * _rng.standard_normal((4, 3))
XU8 = _rng.integers(0, 256, size=(12, 4)).astype(np.uint8)
IMGS = _rng.integers(0, 256, size=(6, 8, 8)).astype(np.uint8)
IMG_Y = np.array([0, 1, 0, 1, 0, 1])
DIST = np.abs(_rng.standard_normal((5, 12)))


def _svm(W, X, y, reg):
    return losses.svm_loss_vectorized(W, X, y, reg)


MUTATION_CASES = {
    "pairwise_distances-l2-no_loops": lambda a: distances.pairwise_distances(a["XF"][:3], a["XF"]),
    "pairwise_distances-l1-no_loops": lambda a: distances.pairwise_distances(a["XF"][:3], a["XF"], metric="l1"),
    "pairwise_distances-one_loop": lambda a: distances.pairwise_distances(a["XF"][:3], a["XF"], method="one_loop"),
    "pairwise_distances-two_loops": lambda a: distances.pairwise_distances(a["XF"][:3], a["XF"], method="two_loops"),
    "pairwise_distances-uint8": lambda a: distances.pairwise_distances(a["XU8"][:3], a["XU8"]),
    "l2_distance": lambda a: distances.l2_distance(a["XF"][0], a["XF"][1]),
    "knn-fit-predict": lambda a: knn.KNearestNeighbor().fit(a["XF"], a["YF"]).predict(a["XF"][:4], k=3),
    "knn-distances": lambda a: knn.KNearestNeighbor().fit(a["XU8"], a["YF"]).distances(a["XU8"][:2]),
    "nearest_neighbors": lambda a: knn.nearest_neighbors(a["DIST"], 3),
    "vote_counts": lambda a: knn.vote_counts(a["DIST"], a["YF"], 3),
    "predict_from_distances": lambda a: knn.predict_from_distances(a["DIST"], a["YF"], 3),
    "train_val_split": lambda a: model_selection.train_val_split(a["XF"], a["YF"], 0.25, seed=1),
    "cross_validate_knn": lambda a: model_selection.cross_validate_knn(a["XF"], a["YF"], [1, 3], 3, seed=0,
                                                                        progress=False),
    "accuracies_from_distances": lambda a: model_selection.accuracies_from_distances(
        a["DIST"], a["YF"], a["YF"][:5], [1, 3]),
    "best_k": lambda a: model_selection.best_k([1, 3], a["ACC"]),
    "accuracy": lambda a: metrics.accuracy(a["YF"], a["YF"][::-1]),
    "linear_scores": lambda a: linear.linear_scores(a["XF"], a["WF"], a["BF"]),
    "append_bias_column": lambda a: linear.append_bias_column(a["XF"]),
    "fold_bias": lambda a: linear.fold_bias(a["WF"], a["BF"]),
    "unfold_bias": lambda a: linear.unfold_bias(a["WF"]),
    "weights_as_images": lambda a: linear.weights_as_images(a["WF"], (2, 2)),
    "LinearClassifier.fit": lambda a: linear.LinearClassifier(4, 3).fit(a["XF"], a["YF"], num_iters=3, batch_size=5),
    "svm_loss_naive": lambda a: losses.svm_loss_naive(a["WF"], a["XF"], a["YF"], 0.1),
    "svm_loss_vectorized": lambda a: losses.svm_loss_vectorized(a["WF"], a["XF"], a["YF"], 0.1),
    "softmax_loss_naive": lambda a: losses.softmax_loss_naive(a["WF"], a["XF"], a["YF"], 0.1),
    "softmax_loss_vectorized": lambda a: losses.softmax_loss_vectorized(a["WF"], a["XF"], a["YF"], 0.1),
    "softmax": lambda a: losses.softmax(a["XF"]),
    "hinge_loss": lambda a: losses.hinge_loss(a["XF"][:, :3], a["YF"]),
    "cross_entropy": lambda a: losses.cross_entropy(a["XF"][:, :3], a["YF"]),
    "l2_penalty_grad": lambda a: losses.l2_penalty_grad(a["WF"]),
    "l1_penalty_grad": lambda a: losses.l1_penalty_grad(a["WF"]),
    "numerical_gradient": lambda a: gradients.numerical_gradient(lambda w: float(np.sum(w**2)), a["WF"]),
    "gradient_check": lambda a: gradients.gradient_check(
        lambda w: _svm(w, a["XF"], a["YF"], 0.1)[0], a["WF"], _svm(a["WF"], a["XF"], a["YF"], 0.1)[1]),
    "relative_error": lambda a: gradients.relative_error(a["WF"], a["WF"] * 0),
    "sgd": lambda a: optim.sgd(_svm, a["WF"], a["XF"], a["YF"], learning_rate=1e-2, reg=0.1, batch_size=4,
                               num_iters=5),
    "gradient_descent": lambda a: optim.gradient_descent(_svm, a["WF"], a["XF"], a["YF"], learning_rate=1e-2,
                                                         reg=0.1, num_iters=3),
    "random_search": lambda a: optim.random_search(_svm, a["XF"], a["YF"], num_tries=3),
    "random_local_search": lambda a: optim.random_local_search(_svm, a["WF"], a["XF"], a["YF"], num_iters=3,
                                                               step_size=0.1),
    "flatten": lambda a: images.flatten(a["IMGS"]),
    "to_grayscale": lambda a: images.to_grayscale(a["RGB"]),
    "mean_abs_difference": lambda a: images.mean_abs_difference(a["IMGS"][0], a["IMGS"][1]),
    "transform-float-image": lambda a: [images.transform(a["FIMG"], k, 0.7) for k in images.TRANSFORMATIONS],
    "transform-uint8-image": lambda a: [images.transform(a["IMGS"][0], k, 0.7) for k in images.TRANSFORMATIONS],
    "show_class_examples": lambda a: plots.show_class_examples(a["IMGS"], a["IMG_Y"], ["a", "b"], per_class=2),
    "show_image-float": lambda a: plots.show_image(a["FRGB"], ax=plt.subplots()[1]),
    "softmax_loss_from_values": lambda a: graph.softmax_loss_from_values(a["WF"][:2], a["XF"][:3, :2], a["YF"][:3]),
    "compare_transformation": lambda a: d_pixels.compare_transformation(a["IMGS"][0], "clutter", 0.5),
    "winning_class": lambda a: d_linear.winning_class(a["WF"][:2], a["BF"], a["XF"][:, :2]),
    "random_linear_recalls": lambda a: d_linear.random_linear_recalls(a["XF"], a["YF"], 3, num_tries=10),
    "per_class_accuracy": lambda a: d_linear.per_class_accuracy(a["YF"], a["YF"][::-1], 3),
    "loss_slice": lambda a: d_opt.loss_slice(a["WF"], a["XF"], a["YF"], [a["WF"], a["WF"] * 2], a["STEPS"]),
    "bowl_loss": lambda a: d_opt.bowl_loss(a["XF"][:, :2]),
    "gradient_descent_path": lambda a: d_opt.gradient_descent_path(lambda w: 2 * w, a["START"], 0.1, 5),
    "weights_accuracy": lambda a: d_opt.weights_accuracy(a["WF"], a["XF"], a["YF"]),
    "knn_plane": lambda a: d_knn.knn_plane(a["XF"][:, :2], a["YF"], 3, grid=a["XF"][:4, :2]),
    "shift_image": lambda a: d_cv.shift_image(a["FIMG"], 2, 1),
    "occlude_image": lambda a: d_cv.occlude_image(a["FIMG"], 0.5, 3),
    "darken_image": lambda a: d_cv.darken_image(a["FIMG"], 0.5),
    "equal_distance_copies": lambda a: d_cv.equal_distance_copies(a["IMGS"], a["IMG_Y"], 0),
    "cv_summary": lambda a: d_cv.cv_summary([1, 3], a["ACC"]),
    "knn_decision_grid": lambda a: d_cv.knn_decision_grid(a["XF"][:, :2], a["YF"], 3, xlim=(-2, 2), ylim=(-2, 2),
                                                          resolution=5),
}


def _fresh_inputs():
    return {
        "XF": XF.copy(), "YF": YF.copy(), "WF": WF.copy(), "BF": np.array([0.1, -0.2, 0.3]),
        "XU8": XU8.copy(), "IMGS": IMGS.copy(), "IMG_Y": IMG_Y.copy(), "DIST": DIST.copy(),
        "ACC": np.array([[0.5, np.nan], [0.7, 0.6]]), "RGB": _rng.integers(0, 256, (4, 4, 3)).astype(np.uint8),
        "FIMG": IMGS[1].astype(np.float64), "FRGB": _rng.random((4, 4, 3)), "STEPS": np.linspace(-1, 1, 5),
        "START": np.array([1.0, -2.0]),
    }


@pytest.mark.parametrize("name", sorted(MUTATION_CASES))
def test_inputs_are_not_mutated(name):
    inputs = _fresh_inputs()
    before = {k: (v.dtype, v.shape, v.tobytes(), v.flags.writeable) for k, v in inputs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # e.g. SkippedKWarning: not what is tested here
        MUTATION_CASES[name](inputs)
    after = {k: (v.dtype, v.shape, v.tobytes(), v.flags.writeable) for k, v in inputs.items()}
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"{name} changed its input(s) {changed}"


def test_knn_memorises_without_copying_but_never_writes():
    X = XF.copy()
    X.flags.writeable = False  # any write into the memorised array would raise
    model = knn.KNearestNeighbor().fit(X, YF)
    for method in distances.METHODS:
        model.predict(X[:3], k=2, method=method)


def test_read_only_inputs_are_accepted_everywhere_they_are_only_read():
    X, W, y = XF.copy(), WF.copy(), YF.copy()
    for a in (X, W, y):
        a.flags.writeable = False
    losses.softmax_loss_vectorized(W, X, y, 0.1)
    losses.svm_loss_naive(W, X, y, 0.1)
    optim.sgd(_svm, W, X, y, learning_rate=1e-2, reg=0.1, batch_size=4, num_iters=3)
    gradients.numerical_gradient(lambda w: float(np.sum(w**2)), W)
    distances.pairwise_distances(X, X, method="no_loops")
    model_selection.cross_validate_knn(X, y, [1], 2, progress=False)


# ============================================================================= seeds: same seed, same output


@pytest.fixture(scope="module")
def mnist_dir(tmp_path_factory):
    """A data folder holding the project's MNIST cache if there is one (else it is built there)."""
    folder = tmp_path_factory.mktemp("data")
    cache = datasets._PROJECT_DATA_DIR / datasets.MNIST_CACHE_FILE
    if cache.is_file():
        shutil.copy(cache, folder / datasets.MNIST_CACHE_FILE)
    return folder


def _figure_pixels(fig):
    return [im.get_array().copy() for ax in fig.axes for im in ax.images]


def _toy_xy(n=40, d=6, c=3, seed=11):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, c, n)


_XS, _YS = _toy_xy()
_IMG = np.random.default_rng(3).integers(0, 256, (24, 24, 3)).astype(np.uint8)

#: target (qualified public name) -> function of the seed whose output must depend on it only.
SEEDED = {
    "datasets.load_dataset": lambda s: datasets.load_dataset("mnist", num_train=60, num_test=30, seed=s),
    "datasets.load_course_dataset": lambda s: datasets.load_course_dataset("05_losses", name="mnist", seed=s),
    "images.transform": lambda s: images.transform(_IMG, "clutter", 0.8, seed=s),
    "plots.show_class_examples": lambda s: _figure_pixels(
        plots.show_class_examples(np.random.default_rng(0).integers(0, 256, (20, 4, 4)).astype(np.uint8),
                                  np.tile([0, 1], 10), ["a", "b"], per_class=3, seed=s)),
    "linear.LinearClassifier": lambda s: linear.LinearClassifier(6, 3, seed=s).W,
    "linear.LinearClassifier.fit": lambda s: (lambda m: (m.fit(_XS, _YS, num_iters=5, batch_size=8, seed=s), m.W))(
        linear.LinearClassifier(6, 3, seed=0)),
    "gradients.gradient_check": lambda s: gradients.gradient_check(
        lambda w: float(np.sum(w**2)), _XS[:5], 2 * _XS[:5], num_checks=4, seed=s)[1],
    "optim.sgd": lambda s: optim.sgd(_svm, np.zeros((6, 3)), _XS, _YS, learning_rate=1e-2, reg=0.1, batch_size=8,
                                     num_iters=6, seed=s),
    "optim.random_search": lambda s: optim.random_search(_svm, _XS, _YS, num_tries=4, seed=s),
    "optim.random_local_search": lambda s: optim.random_local_search(_svm, np.zeros((6, 3)), _XS, _YS, num_iters=4,
                                                                     step_size=0.1, seed=s),
    "optim.minibatch_indices": lambda s: list(optim.minibatch_indices(40, 8, 7, seed=s)),
    "model_selection.train_val_split": lambda s: model_selection.train_val_split(_XS, _YS, 0.25, seed=s),
    "model_selection.k_fold_indices": lambda s: list(model_selection.k_fold_indices(40, 4, seed=s)),
    "model_selection.cross_validate_knn": lambda s: model_selection.cross_validate_knn(
        _XS, _YS, [1, 3, 5], 4, seed=s, progress=False),
    "demos.pixels.compare_transformation": lambda s: d_pixels.compare_transformation(_IMG, "clutter", 0.8, seed=s),
    "demos.pixels.draw_transformation": lambda s: {
        k: v for k, v in d_pixels.draw_transformation(_IMG, "clutter", 0.8, seed=s).items() if k != "figure"},
    "demos.linear.toy_data_2d": lambda s: [d_linear.toy_data_2d(k, 10, seed=s) for k in d_linear.TOY_KINDS],
    "demos.linear.random_linear_recalls": lambda s: d_linear.random_linear_recalls(_XS, _YS, 3, num_tries=20, seed=s),
    "demos.optimization.search_hyperparameters": lambda s: d_opt.search_hyperparameters(
        _XS[:30], _YS[:30], _XS[30:], _YS[30:], [1e-2, 1e-1], [1e-3], num_iters=20, batch_size=4, seed=s)["results"],
    "demos.knn.make_clouds": lambda s: d_knn.make_clouds(3, 10, seed=s),
    "demos.knn.draw_knn_plane": lambda s: d_knn.draw_knn_plane(plt.subplots()[1], 3, 5, k=3, seed=s)["regions"],
    "demos.cross_validation.make_toy_data": lambda s: d_cv.make_toy_data(20, seed=s),
    "demos.cross_validation.tuning_on_test_set": lambda s: d_cv.tuning_on_test_set([1, 5, 15], num_fresh=400, seed=s),
    "demos.cross_validation.nearest_farthest_ratio": lambda s: d_cv.nearest_farthest_ratio([2, 20], num_points=30,
                                                                                          seed=s),
}

#: Public callables with a ``seed`` argument that have no row above, and why.
SEEDED_ALLOW_LIST = {
    "demos.pixels.transformation_widget",  # passes seed to draw_transformation (row above)
    "demos.knn.knn_plane_widget",  # passes seed to draw_knn_plane (row above)
}


def _same(a, b) -> bool:
    if isinstance(a, datasets.Dataset):
        return all(_same(getattr(a, f), getattr(b, f)) for f in ("X_train", "y_train", "X_test", "y_test"))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(a, (float, int, np.number)):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    return a == b


@pytest.mark.parametrize("target", sorted(SEEDED))
def test_same_seed_same_output_other_seed_other_output(target, mnist_dir, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(mnist_dir))
    fn = SEEDED[target]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        first, again, other = fn(0), fn(0), fn(1)
    assert _same(first, again), f"{target}: the same seed gave different outputs"
    assert not _same(first, other), f"{target}: seeds 0 and 1 gave the same output"


def _public_callables():
    import importlib

    for info in pkgutil.walk_packages(course_lib.__path__, prefix="course_lib."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        mod = importlib.import_module(info.name)
        short = info.name.removeprefix("course_lib.")
        for name in getattr(mod, "__all__", ()):
            obj = getattr(mod, name)
            if not callable(obj):
                continue
            yield f"{short}.{name}", obj
            if inspect.isclass(obj):
                for attr, value in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(value):
                        yield f"{short}.{name}.{attr}", value


def test_every_public_callable_with_a_seed_is_checked_for_reproducibility():
    with_seed = set()
    for qualname, obj in _public_callables():
        try:
            params = inspect.signature(obj).parameters
        except (TypeError, ValueError):
            continue
        if "seed" in params:
            with_seed.add(qualname)
    missing = sorted(with_seed - set(SEEDED) - SEEDED_ALLOW_LIST)
    assert not missing, f"public callables with a seed but no reproducibility row: {missing}"
    assert not (set(SEEDED) | SEEDED_ALLOW_LIST) - with_seed, "rows for callables without a seed argument"


#: Functions that call ``default_rng`` without a ``seed`` argument, and why that is right.
FIXED_SEED_FUNCTIONS = {
    "course_lib.datasets._load_mnist": "the fixed MNIST train/test split (MNIST_SPLIT_SEED) must never change",
}

_ALLOWED_NP_RANDOM = {"default_rng", "SeedSequence", "Generator"}


def _source_modules():
    root = Path(course_lib.__file__).parent
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        yield ".".join(rel.parts).removesuffix(".__init__"), ast.parse(path.read_text(), str(path))


def test_all_randomness_goes_through_default_rng_with_a_seed():
    """A source scan: no global numpy or stdlib randomness, and every ``default_rng`` call sits
    in a function that takes a ``seed`` (or is listed in FIXED_SEED_FUNCTIONS with a reason)."""
    problems = []
    calls = []
    for module, tree in _source_modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if "random" in names:
                    problems.append(f"{module}: imports the stdlib random module")
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "random" and node.attr not in _ALLOWED_NP_RANDOM):
                problems.append(f"{module}:{node.lineno}: np.random.{node.attr} (global state)")

        def visit(fn_stack, node):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                fn_stack = fn_stack + [node]
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
                if name == "default_rng":
                    calls.append(node)
                    seeded = any(
                        "seed" in {a.arg for a in fn.args.args + fn.args.kwonlyargs} for fn in fn_stack
                    )
                    qual = f"{module}." + ".".join(fn.name for fn in fn_stack)
                    if not fn_stack:
                        problems.append(f"{module}:{node.lineno}: default_rng at module level")
                    elif not seeded and qual not in FIXED_SEED_FUNCTIONS:
                        problems.append(f"{qual}:{node.lineno}: default_rng in a function without a seed")
                    if not node.args and not node.keywords:
                        problems.append(f"{qual}:{node.lineno}: default_rng() without a seed (OS entropy)")
            for child in ast.iter_child_nodes(node):
                visit(fn_stack, child)

        visit([], tree)
    assert len(calls) >= 15, f"the scan found only {len(calls)} default_rng calls: is it still looking?"
    assert not problems, "\n".join(problems)


#: Public callables whose docstring says what ``seed=None`` means (no shuffling, or fresh
#: OS entropy for the initial weights); every other function with a seed refuses None.
SEED_NONE_DOCUMENTED = {
    "linear.LinearClassifier",
    "model_selection.train_val_split",
    "model_selection.k_fold_indices",
    "model_selection.cross_validate_knn",
}


@pytest.mark.parametrize("target", sorted(set(SEEDED) - SEED_NONE_DOCUMENTED))
def test_seed_none_is_refused_where_documented_as_int(target, mnist_dir, monkeypatch):
    """Functions documented with ``seed : int`` refuse None (None would mean OS entropy)."""
    monkeypatch.setenv("COURSE_DATA_DIR", str(mnist_dir))
    with pytest.raises(TypeError, match="^seed must be an integer, got NoneType None"):
        SEEDED[target](None)


@pytest.mark.parametrize("call", [
    lambda: d_pixels.transformation_widget(_IMG, seed=None),
    lambda: d_knn.knn_plane_widget(seed=None),
], ids=sorted(SEEDED_ALLOW_LIST))
def test_seed_none_is_refused_by_the_widgets(call):
    with pytest.raises(TypeError, match="^seed must be an integer, got NoneType None"):
        call()


@pytest.mark.parametrize("target", sorted(SEED_NONE_DOCUMENTED))
def test_seed_none_is_accepted_where_documented(target):
    assert target in SEEDED
    assert "or None" in inspect.getdoc(_resolve_public(target))
    SEEDED[target](None)  # no error


def test_seed_none_rows_cover_every_seeded_callable():
    """The set above is exactly the seeded callables whose docstring allows None."""
    documented = set()
    for qualname, obj in _public_callables():
        doc = inspect.getdoc(obj) or ""
        if "seed" in _signature_params(obj) and re.search(r"seed : int (>=|≥) 0 or None", doc):
            documented.add(qualname)
    assert documented == SEED_NONE_DOCUMENTED


def _signature_params(obj):
    try:
        return inspect.signature(obj).parameters
    except (TypeError, ValueError):
        return {}


def _resolve_public(target):
    return dict(_public_callables())[target]

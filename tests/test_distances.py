"""Tests of course_lib.distances: the lecture's worked example, scikit-learn as the reference,
the three implementations agreeing (hypothesis), metric laws, bounded memory, bad input."""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import pairwise_distances as sk_pairwise_distances

from course_lib import distances
from course_lib.distances import METHODS, l1_distance, l2_distance, pairwise_distances

# The lecture's worked example (after CS231n's notes): two 4x4 greyscale images.
TEST_IMAGE = np.array(
    [[56, 32, 10, 18], [90, 23, 128, 133], [24, 26, 178, 200], [2, 0, 255, 220]], dtype=np.uint8
)
TRAIN_IMAGE = np.array(
    [[10, 20, 24, 17], [8, 10, 89, 100], [12, 16, 178, 170], [4, 32, 233, 112]], dtype=np.uint8
)
SK_METRIC = {"l1": "manhattan", "l2": "euclidean"}


# ----------------------------------------------------------------------------- two images


def test_worked_example_l1_is_456():
    assert l1_distance(TEST_IMAGE, TRAIN_IMAGE) == 456.0
    assert l1_distance(TEST_IMAGE.tolist(), TRAIN_IMAGE.tolist()) == 456.0
    # uint8 arithmetic would wrap around (10 - 24 -> 242) and give another number
    assert int(np.abs(TEST_IMAGE - TRAIN_IMAGE).sum()) != 456


def test_worked_example_l2():
    # squares of the differences 46 12 14 1 / 82 13 39 33 / 12 10 0 30 / 2 32 22 108
    assert l2_distance(TEST_IMAGE, TRAIN_IMAGE) == pytest.approx(math.sqrt(26280), rel=1e-15)


def test_uint8_is_converted_before_subtracting():
    a = np.array([0], dtype=np.uint8)
    b = np.array([255], dtype=np.uint8)
    assert l1_distance(a, b) == 255.0
    assert l2_distance(a, b) == 255.0
    for method in METHODS:
        for metric in ("l1", "l2"):
            d = pairwise_distances(a[None, :], b[None, :], metric, method)
            assert d.dtype == np.float64 and d[0, 0] == 255.0


def test_distance_of_colour_images_returns_python_float():
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)
    diff = a.astype(float) - b.astype(float)
    assert isinstance(l1_distance(a, b), float)
    assert l1_distance(a, b) == np.abs(diff).sum()
    assert l2_distance(a, b) == pytest.approx(np.sqrt((diff**2).sum()), rel=1e-14)
    assert l1_distance(a, a) == 0.0 and l2_distance(a, a) == 0.0


@pytest.mark.parametrize("fn", [l1_distance, l2_distance])
def test_two_images_bad_input(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn(np.zeros((4, 4)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match="^a must not be empty"):
        fn([], [])
    with pytest.raises(ValueError, match="^b must contain only finite"):
        fn([1.0, 2.0], [1.0, np.nan])
    with pytest.raises(TypeError, match="^a must be"):
        fn("image", [1.0])
    with pytest.raises(TypeError, match="^b must be a real numeric"):
        fn([1.0], [1j])


# ----------------------------------------------------------------------------- vs scikit-learn


@pytest.mark.parametrize("metric", ["l1", "l2"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.uint8])
def test_matches_scikit_learn(metric, method, dtype):
    rng = np.random.default_rng(1)
    if dtype == np.float64:
        X_test, X_train = rng.normal(size=(13, 20)), rng.normal(size=(29, 20))
    else:
        X_test = rng.integers(0, 256, (13, 20)).astype(dtype)
        X_train = rng.integers(0, 256, (29, 20)).astype(dtype)
    ref = sk_pairwise_distances(X_test.astype(float), X_train.astype(float), metric=SK_METRIC[metric])
    d = pairwise_distances(X_test, X_train, metric=metric, method=method)
    assert d.shape == (13, 29) and d.dtype == np.float64
    np.testing.assert_allclose(d, ref, rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("metric", ["l1", "l2"])
def test_float32_input_gives_float64_close_to_reference(metric):
    rng = np.random.default_rng(2)
    X_test = rng.random((17, 300), dtype=np.float32)
    X_train = rng.random((40, 300), dtype=np.float32)
    ref = sk_pairwise_distances(X_test.astype(float), X_train.astype(float), metric=SK_METRIC[metric])
    d = pairwise_distances(X_test, X_train, metric=metric)
    assert d.dtype == np.float64
    np.testing.assert_allclose(d, ref, rtol=1e-5)
    mixed = pairwise_distances(X_test, X_train.astype(np.float64), metric=metric)
    np.testing.assert_allclose(mixed, ref, rtol=1e-12)


@pytest.mark.parametrize("metric", ["l1", "l2"])
@pytest.mark.parametrize("chunk_size", [1, 2, 5, 7, 1000])
@pytest.mark.parametrize("D", [2, 9, 64])  # below and above FEW_FEATURES
def test_chunk_size_does_not_change_the_result(metric, chunk_size, D):
    rng = np.random.default_rng(3)
    X_test, X_train = rng.normal(size=(11, D)), rng.normal(size=(23, D))
    ref = sk_pairwise_distances(X_test, X_train, metric=SK_METRIC[metric])
    d = pairwise_distances(X_test, X_train, metric=metric, chunk_size=chunk_size)
    np.testing.assert_allclose(d, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("metric", ["l1", "l2"])
@pytest.mark.parametrize("method", METHODS)
def test_small_budgets_force_many_blocks(monkeypatch, metric, method):
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", 1024)
    monkeypatch.setattr(distances, "L1_TILE_BYTES", 1024)
    rng = np.random.default_rng(4)
    X_test, X_train = rng.normal(size=(9, 40)), rng.normal(size=(31, 40))
    ref = sk_pairwise_distances(X_test, X_train, metric=SK_METRIC[metric])
    np.testing.assert_allclose(pairwise_distances(X_test, X_train, metric, method), ref,
                               rtol=1e-12, atol=1e-12)


def test_no_loop_l2_never_gives_nan_and_identical_rows_are_exactly_zero():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 50)) + 100.0
    sq = (X**2).sum(axis=1)
    raw = sq[:, None] + sq[None, :] - 2 * X @ X.T
    assert (raw < 0).any()  # the identity alone goes negative here (sqrt would give NaN)
    d = pairwise_distances(X, X, "l2", "no_loops")
    assert not np.isnan(d).any() and (d >= 0).all()
    assert np.all(np.diag(d) == 0.0)  # recomputed by direct subtraction
    np.testing.assert_allclose(d, pairwise_distances(X, X, "l2", "two_loops"), rtol=1e-9)


def _formula(X_test, X_train):
    """The no-loop L2's squared distances before any recomputation, as the module forms
    them: the product in the inputs' dtype, the norms and sums in float64."""
    prod = ((-2 * X_test) @ X_train.T).astype(np.float64)
    sq = lambda A: np.einsum("ij,ij->i", A, A, dtype=np.float64)  # noqa: E731
    return prod + sq(X_test)[:, None] + sq(X_train)[None, :]


@settings(max_examples=30, deadline=None)
@given(D=st.sampled_from([1, 3, 50, 784]), dtype=st.sampled_from([np.float32, np.float64]),
       offset=st.sampled_from([0.0, 1.0, 1e2, 1e4]), noise=st.sampled_from([1e-6, 1e-2, 1.0, 1e2]),
       seed=st.integers(0, 2**16))
def test_rounding_bound_of_the_no_loop_formula_holds(D, dtype, offset, noise, seed):
    """|computed − true squared distance| ≤ (c/2)·(‖a‖² + ‖b‖²), c = _rounding_factor(D, dtype):
    the bound that decides which pairs are recomputed is a real bound."""
    rng = np.random.default_rng(seed)
    X_test = (offset + noise * rng.standard_normal((6, D))).astype(dtype)
    X_train = np.vstack([X_test[:2], offset + noise * rng.standard_normal((7, D))]).astype(dtype)
    a, b = X_test.astype(np.float64), X_train.astype(np.float64)
    true = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)  # direct: relative error only
    slack = 4 * (D + 2) * 2.0**-53 * true  # the rounding of `true` itself (and of d**2 below)
    S = (a**2).sum(1)[:, None] + (b**2).sum(1)[None, :]
    c = distances._rounding_factor(D, dtype)
    assert np.all(np.abs(_formula(X_test, X_train) - true) <= c / 2 * S + slack)
    # what pairwise_distances returns obeys the stated accuracy, and copies are exactly 0
    d2 = pairwise_distances(X_test, X_train) ** 2
    assert np.all(np.abs(d2 - true) <= c / 2 * S + slack)
    assert np.all(d2[[0, 1], [0, 1]] == 0.0)


def test_rounding_factor_examples():
    assert math.isclose(distances._rounding_factor(784, np.float64), 788 * 2.0**-52 + 784 * 2.0**-52)
    assert math.isclose(distances._rounding_factor(3072, np.float32), 3072 * 2.0**-23 + 3076 * 2.0**-52)


def test_only_pairs_within_rounding_of_zero_are_recomputed(monkeypatch):
    seen = []
    original = distances._recompute_near_zero

    def spy(block, X_train, dest, rows, block_limit, train_limit):
        seen.append(len(rows))
        return original(block, X_train, dest, rows, block_limit, train_limit)

    monkeypatch.setattr(distances, "_recompute_near_zero", spy)
    rng = np.random.default_rng(7)
    for dtype in (np.float64, np.float32):
        X_test = (255 * rng.random((20, 784))).astype(dtype)
        X_train = (255 * rng.random((50, 784))).astype(dtype)
        pairwise_distances(X_test, X_train)  # ordinary pixel data: no pair is near 0
        assert seen == []
        X_train[[3, 17]] = X_test[[5, 9]]  # two exact duplicates
        d = pairwise_distances(X_test, X_train)
        assert d[5, 3] == 0.0 and d[9, 17] == 0.0
        assert seen == [2]  # only the two rows with a duplicate are inspected
        seen.clear()


@pytest.mark.parametrize("X_test, X_train", [
    ([[1e20]], [[-1e20]]),  # the float32 product 2e40 would overflow to inf
    ([[3e38, 0.0]], [[0.0, 3e38]]),  # -2·a itself would overflow
    ([[1e20, 1.0], [1.0, 2.0]], [[-1e20, 0.0], [3.0, 4.0], [0.0, 0.0]]),  # one huge row among small
    ([[1e-25]], [[-1e-25]]),  # the products 1e-50 underflow float32 to 0
    ([[3e-20, 1e-20]], [[-2e-20, 0.0], [3e-20, 1e-20]]),
])
def test_float32_no_loop_l2_outside_float32_product_range_matches_the_loops(X_test, X_train):
    X_test, X_train = np.array(X_test, np.float32), np.array(X_train, np.float32)
    exact = pairwise_distances(X_test, X_train, method="two_loops")  # float64 subtraction
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way either
        d = pairwise_distances(X_test, X_train, method="no_loops")
    assert np.all(np.isfinite(d))
    np.testing.assert_allclose(d, exact, rtol=1e-6)


@pytest.mark.parametrize("chunk_size", [None, 1, 4])
def test_near_identical_rows_get_accurate_distances_in_every_block(monkeypatch, chunk_size):
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", 4096)  # many blocks and chunks
    rng = np.random.default_rng(8)
    X_train = 1e4 + 1e-3 * rng.standard_normal((30, 64))
    X_test = np.vstack([X_train[::3] + 1e-6, rng.normal(size=(5, 64))])  # near and far rows
    exact = pairwise_distances(X_test, X_train, method="two_loops")
    d = pairwise_distances(X_test, X_train, chunk_size=chunk_size)
    np.testing.assert_allclose(d, exact, rtol=1e-9)
    np.testing.assert_array_equal(pairwise_distances(X_train, X_train.copy(), chunk_size=chunk_size).diagonal(), 0.0)


# ----------------------------------------------------------------------------- properties


def _matrices(elements):
    shapes = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 12))
    return shapes.flatmap(lambda s: st.tuples(
        hnp.arrays(np.float64, (s[0], s[2]), elements=elements),
        hnp.arrays(np.float64, (s[1], s[2]), elements=elements),
    ))


_FLOATS = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(pair=_matrices(_FLOATS), metric=st.sampled_from(["l1", "l2"]))
def test_three_methods_agree(pair, metric):
    X_test, X_train = pair
    results = [pairwise_distances(X_test, X_train, metric, method) for method in METHODS]
    scale = 1.0 + max(np.abs(X_test).max(), np.abs(X_train).max()) * np.sqrt(X_test.shape[1])
    for other in results[1:]:
        # L2 via |a|^2 + |b|^2 - 2ab loses about sqrt(eps) * |a| near zero distances
        np.testing.assert_allclose(other, results[0], rtol=1e-9, atol=1e-6 * scale)


@settings(max_examples=40, deadline=None)
@given(pair=_matrices(st.integers(0, 255).map(float)), metric=st.sampled_from(["l1", "l2"]))
def test_three_methods_agree_exactly_on_pixels(pair, metric):
    # integer pixel values: every partial sum is an exact integer in float64
    X_test, X_train = (a.astype(np.uint8) for a in pair)
    results = [pairwise_distances(X_test, X_train, metric, method) for method in METHODS]
    for other in results[1:]:
        np.testing.assert_allclose(other, results[0], rtol=1e-15, atol=0)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), metric=st.sampled_from(["l1", "l2"]))
def test_metric_laws(data, metric):
    D = data.draw(st.integers(1, 8))
    X = data.draw(hnp.arrays(np.float64, (3, D), elements=st.floats(-100, 100, width=64)))
    d = pairwise_distances(X, X, metric, "two_loops")
    assert (d >= 0).all()
    np.testing.assert_allclose(np.diag(d), 0.0)
    np.testing.assert_allclose(d, d.T)  # symmetry
    assert d[0, 2] <= d[0, 1] + d[1, 2] + 1e-9  # triangle inequality


# ----------------------------------------------------------------------------- memory


def _peak_bytes(fn):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("metric", ["l1", "l2"])
@pytest.mark.parametrize("method", ["one_loop", "no_loops"])
def test_memory_stays_within_the_stated_bound(monkeypatch, metric, method):
    budget = 256 * 1024
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", budget)
    monkeypatch.setattr(distances, "L1_TILE_BYTES", budget)
    rng = np.random.default_rng(5)
    M, N, D = 20, 400, 2000
    X_test, X_train = rng.normal(size=(M, D)), rng.normal(size=(N, D))
    peak = _peak_bytes(lambda: pairwise_distances(X_test, X_train, metric, method))
    assert M * N * D * 8 == 128_000_000  # what one (M, N, D) array of differences would take
    assert peak <= M * N * 8 + budget + 64 * 1024


def test_memory_stays_bounded_when_every_pair_is_recomputed(monkeypatch):
    budget = 256 * 1024
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", budget)
    M, N, D = 20, 400, 2000
    for dtype in (np.float64, np.float32):
        X_train = np.full((N, D), 1e4, dtype=dtype)  # all identical: every pair is recomputed
        X_test = X_train[:M].copy()
        peak = _peak_bytes(lambda: pairwise_distances(X_test, X_train))
        # result + the block's budget + the recomputation's budget + its indices + numpy's
        # own fixed-size ufunc buffers; gathering all training rows at once would be 6.4 MB
        assert peak <= M * N * 8 + 2 * budget + N * 8 + 128 * 1024, dtype
        assert np.all(pairwise_distances(X_test, X_train) == 0.0)


def test_float32_no_loop_l2_makes_no_float64_copy_of_the_training_set():
    rng = np.random.default_rng(6)
    X_test = rng.random((10, 1000), dtype=np.float32)
    X_train = rng.random((2000, 1000), dtype=np.float32)
    peak = _peak_bytes(lambda: pairwise_distances(X_test, X_train))
    assert peak < 2000 * 1000 * 8 / 4  # a float64 copy of X_train would be 16 MB


def test_block_sizes_for_all_of_cifar10_respect_the_budgets():
    M, N, D = 10_000, 50_000, 3_072
    a, b = distances._block_sizes(M, N, D, "l1")
    assert a * b * D * 8 <= distances.L1_TILE_BYTES and a >= 1 and b >= 1
    rows, cols = distances._block_sizes(M, N, D, "l2", itemsize=8)
    assert cols == N and rows * D * 8 <= distances.WORKING_MEMORY_BYTES
    rows32, _ = distances._block_sizes(M, N, D, "l2", itemsize=4)
    assert rows32 * (D * 4 + N * 4) <= distances.WORKING_MEMORY_BYTES
    assert M * N * D * 8 > 12e12  # the 12.3 TB array that is never formed


# ----------------------------------------------------------------------------- bad input


def test_bad_metric_and_method():
    X = np.zeros((2, 3))
    with pytest.raises(ValueError, match="^metric must be one of"):
        pairwise_distances(X, X, metric="l3")
    with pytest.raises(TypeError, match="^metric must be one of"):
        pairwise_distances(X, X, metric=2)
    with pytest.raises(ValueError, match="^method must be one of"):
        pairwise_distances(X, X, method="three_loops")


def test_bad_chunk_size():
    X = np.zeros((2, 3))
    with pytest.raises(ValueError, match="^chunk_size must be an integer in"):
        pairwise_distances(X, X, chunk_size=0)
    with pytest.raises(TypeError, match="^chunk_size must be an integer"):
        pairwise_distances(X, X, chunk_size=2.5)


def test_bad_arrays():
    X = np.zeros((2, 3))
    with pytest.raises(ValueError, match="^X_test must be 2-D"):
        pairwise_distances(np.zeros(3), X)
    with pytest.raises(ValueError, match="^X_train must be 2-D"):
        pairwise_distances(X, np.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="^X_test has 4 features per row but X_train has 3"):
        pairwise_distances(np.zeros((2, 4)), X)
    with pytest.raises(ValueError, match="^X_train must contain only finite numbers, found 1"):
        pairwise_distances(X, np.array([[0.0, np.inf, 0.0]]))
    with pytest.raises(ValueError, match="^X_test must not be empty"):
        pairwise_distances(np.zeros((0, 3)), X)
    with pytest.raises(TypeError, match="^X_train must be"):
        pairwise_distances(X, "images")
    with pytest.raises(TypeError, match="^X_test must be a real numeric"):
        pairwise_distances(np.array([["a", "b", "c"]]), X)
    with pytest.raises(ValueError, match="^X_train must be a rectangular array"):
        pairwise_distances(X, [[1.0, 2.0, 3.0], [4.0]])

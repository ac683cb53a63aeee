"""course_lib.large_scale: the same numbers as the readable forms (hypothesis, incl. float32
within its rounding), exact zeros for identical rows, float32 far from its range, bounded
memory, k-NN in blocks equal to knn.predict_labels (ties included), real CIFAR-10 images,
and a bad-input table."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import pairwise_distances as sk_pairwise_distances
from test_knn import read_batch

from course_lib import large_scale
from course_lib.distances import DISTANCES, compute_distances
from course_lib.knn import KNearestNeighbor, predict_labels
from course_lib.large_scale import knn_predict, pairwise_distances

EPS64 = np.finfo(np.float64).eps
SK_NAME = {"l1": "manhattan", "l2": "euclidean"}


def l2_rounding_bound(X_test, X_train, eps):
    """How far the L2 formula ‖a‖² + ‖b‖² − 2 a·b can be from the truth, as a distance:
    √(c·(‖a‖² + ‖b‖²)) with c = D·eps + (D + 4)·ε₆₄ (for pairs not recomputed)."""
    D = X_test.shape[1]
    norms = (X_test.astype(float) ** 2).sum(1)[:, None] + (X_train.astype(float) ** 2).sum(1)[None, :]
    return np.sqrt((D * eps + (D + 4) * EPS64) * norms)


# ----------------------------------------------------------------------------- the same numbers


@pytest.mark.parametrize("distance", DISTANCES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8])
def test_matches_scikit_learn(distance, dtype):
    rng = np.random.default_rng(1)
    X_test, X_train = (rng.random((13, 300)) * 255).astype(dtype), (rng.random((41, 300)) * 255).astype(dtype)
    ref = sk_pairwise_distances(X_test.astype(float), X_train.astype(float), metric=SK_NAME[distance])
    d = pairwise_distances(X_test, X_train, distance)
    assert d.shape == (13, 41) and d.dtype == np.float64
    rtol = 1e-5 if (dtype == np.float32 and distance == "l2") else 1e-12
    np.testing.assert_allclose(d, ref, rtol=rtol)


def _pair_with_copies(elements, dtype):
    """(X_test, X_train) whose first rows are copies of X_test's first rows: identical pairs."""
    shapes = st.tuples(st.integers(1, 6), st.integers(0, 6), st.integers(1, 40))
    return shapes.flatmap(lambda s: st.tuples(
        hnp.arrays(dtype, (s[0], s[2]), elements=elements),
        hnp.arrays(dtype, (s[1], s[2]), elements=elements),
    )).map(lambda p: (p[0], np.vstack([p[0][:2], p[1]])))


@settings(max_examples=80, deadline=None)
@given(pair=_pair_with_copies(st.floats(-1e4, 1e4, width=64), np.float64),
       block_bytes=st.sampled_from([1, 300, 10**6]))
def test_equals_the_readable_form_in_float64(pair, block_bytes):
    X_test, X_train = pair
    two_loops = compute_distances(X_test, X_train, "l1", "two_loops")
    np.testing.assert_allclose(pairwise_distances(X_test, X_train, "l1", block_bytes=block_bytes),
                               two_loops, rtol=1e-13, atol=0)
    exact = compute_distances(X_test, X_train, "l2", "two_loops")
    d = pairwise_distances(X_test, X_train, "l2", block_bytes=block_bytes)
    assert np.all(np.abs(d - exact) <= l2_rounding_bound(X_test, X_train, EPS64))
    n = min(2, len(X_test))
    assert np.all(d[range(n), range(n)] == 0.0)  # identical rows: exactly 0, unlike the formula


@settings(max_examples=80, deadline=None)
@given(pair=_pair_with_copies(st.floats(-1e4, 1e4, width=32), np.float32),
       distance=st.sampled_from(DISTANCES))
def test_float32_equals_the_readable_form_within_float32_rounding(pair, distance):
    X_test, X_train = pair
    exact = compute_distances(X_test, X_train, distance, "two_loops")  # float64 subtraction
    d = pairwise_distances(X_test, X_train, distance)
    if distance == "l1":  # L1 converts each tile to float64: as exact as the readable form
        np.testing.assert_allclose(d, exact, rtol=1e-13)
    else:
        assert np.all(np.abs(d - exact) <= l2_rounding_bound(X_test, X_train, np.finfo(np.float32).eps))
    n = min(2, len(X_test))
    assert np.all(d[range(n), range(n)] == 0.0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("D", [1, 3, 784, 3072])
def test_identical_rows_are_exactly_zero_where_the_formula_is_not(dtype, D):
    # around 1e4 the formula's rounding, √(c·(‖a‖² + ‖b‖²)), dwarfs distances of ~1e-2
    rng = np.random.default_rng(D)
    X = (1e4 + 1e-2 * rng.standard_normal((8, D))).astype(dtype)
    Y = np.vstack([X[:4], X[4:] + dtype(0.5)])
    exact = compute_distances(X, Y, "l2", "one_loop")
    d = pairwise_distances(X, Y)
    assert np.all(np.diag(d)[:4] == 0.0) and np.all(d >= 0)
    assert np.all(np.abs(d - exact) <= l2_rounding_bound(X, Y, np.finfo(dtype).eps))
    if D >= 784:
        assert np.any(np.diag(compute_distances(X, Y))[:4] > 0)  # the readable formula's noise


def test_one_nearest_neighbour_finds_an_exact_duplicate_among_near_identical_rows():
    rng = np.random.default_rng(0)
    X_train = 1e4 + 1e-4 * rng.standard_normal((40, 784))
    pred = knn_predict(X_train, np.arange(40), X_train[:10].copy())
    assert pred.tolist() == list(range(10))


@pytest.mark.parametrize("X_test, X_train", [
    ([[1e20]], [[-1e20]]),  # a float32 product of 2e40 would overflow
    ([[3e38, 0.0]], [[0.0, 3e38]]),
    ([[1e20, 1.0], [1.0, 2.0]], [[-1e20, 0.0], [3.0, 4.0], [0.0, 0.0]]),
    ([[1e-25]], [[-1e-25]]),  # products of 1e-50 underflow float32 to 0
    ([[3e-20, 1e-20]], [[-2e-20, 0.0], [3e-20, 1e-20]]),
])
def test_float32_far_from_its_range_matches_the_loops(X_test, X_train):
    X_test, X_train = np.array(X_test, np.float32), np.array(X_train, np.float32)
    exact = compute_distances(X_test, X_train, "l2", "two_loops")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow on the way
        d = pairwise_distances(X_test, X_train)
    np.testing.assert_allclose(d, exact, rtol=1e-6)


# ----------------------------------------------------------------------------- k-NN in blocks


@settings(max_examples=80, deadline=None)
@given(data=st.data(), distance=st.sampled_from(DISTANCES), block_rows=st.sampled_from([1, 2, 500]))
def test_knn_predict_equals_predict_labels_with_ties(data, distance, block_rows):
    # values 0–2 in few columns: many equal distances, also at the k-th place, and tied votes
    M, N, D = data.draw(st.integers(1, 7)), data.draw(st.integers(1, 14)), data.draw(st.integers(1, 3))
    X_test = data.draw(hnp.arrays(np.int64, (M, D), elements=st.integers(0, 2)))
    X_train = data.draw(hnp.arrays(np.int64, (N, D), elements=st.integers(0, 2)))
    y_train = data.draw(hnp.arrays(np.int64, (N,), elements=st.integers(0, 3)))
    k = data.draw(st.integers(1, N))
    expected = predict_labels(compute_distances(X_test, X_train, distance, "two_loops"), y_train, k)
    got = knn_predict(X_train, y_train, X_test, k, distance, block_rows=block_rows)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, expected)


def test_progress_bar(capsys):
    X = np.arange(12.0).reshape(6, 2)
    knn_predict(X, np.arange(6) % 2, X, block_rows=2, progress=True)
    err = capsys.readouterr().err
    assert "1-NN l2" in err and "3/3" in err


# ----------------------------------------------------------------------------- memory


def peak_bytes(fn):
    tracemalloc.start()  # numpy reports its array allocations to tracemalloc
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("distance", DISTANCES)
def test_pairwise_memory_is_the_result_plus_the_block_budget(distance):
    rng = np.random.default_rng(5)
    M, N, D, budget = 20, 400, 2000, 256 * 1024
    X_test, X_train = rng.normal(size=(M, D)), rng.normal(size=(N, D))
    peak = peak_bytes(lambda: pairwise_distances(X_test, X_train, distance, block_bytes=budget))
    assert peak <= M * N * 8 + budget + 64 * 1024  # an (M, N, D) array would be 128 MB


def test_pairwise_memory_stays_bounded_when_every_pair_is_recomputed():
    M, N, D, budget = 20, 400, 2000, 256 * 1024
    for dtype in (np.float64, np.float32):
        X_train = np.full((N, D), 1e4, dtype=dtype)  # all identical: every pair within rounding of 0
        X_test = X_train[:M].copy()
        d = None

        def run():
            nonlocal d
            d = pairwise_distances(X_test, X_train, block_bytes=budget)

        assert peak_bytes(run) <= M * N * 8 + 2 * budget + N * 16 + 64 * 1024, dtype
        assert np.all(d == 0.0)


def test_float32_l2_makes_no_float64_copy_of_the_training_set():
    rng = np.random.default_rng(6)
    X_test, X_train = rng.random((10, 1000), dtype=np.float32), rng.random((2000, 1000), dtype=np.float32)
    assert peak_bytes(lambda: pairwise_distances(X_test, X_train)) < 2000 * 1000 * 8 / 4  # 16 MB copy


@pytest.mark.parametrize("distance", DISTANCES)
def test_knn_predict_never_holds_all_distances(distance):
    rng = np.random.default_rng(7)
    M, N = 3000, 1000
    X_test, X_train = rng.random((M, 8), dtype=np.float32), rng.random((N, 8), dtype=np.float32)
    y_train = rng.integers(0, 10, N)
    peak = peak_bytes(lambda: knn_predict(X_train, y_train, X_test, 5, distance, block_rows=100))
    assert peak < M * N * 8 / 4  # the (M, N) matrix: 24 MB; one block 0.8 MB (+ a 2 MB L1 tile)


# ----------------------------------------------------------------------------- real images


def test_cifar10_sample_blocks_equal_the_readable_classifier():
    X_train, y_train = read_batch("data_batch_1.bin")
    X_test, _ = read_batch("test_batch.bin")
    X_train, y_train, X_test = X_train[:2000], y_train[:2000], X_test[:200]
    readable = KNearestNeighbor().fit(X_train, y_train).predict(X_test, k=3)
    # uint8 pixels in float64: every sum is an exact integer, so the very same predictions
    np.testing.assert_array_equal(knn_predict(X_train, y_train, X_test, k=3, block_rows=64), readable)
    # float32 (GEMM speed): distances within float32 rounding, hence (almost) the same votes
    fast = knn_predict(X_train.astype(np.float32), y_train, X_test.astype(np.float32), k=3)
    assert np.count_nonzero(fast != readable) <= 2
    l1_readable = KNearestNeighbor().fit(X_train[:500], y_train[:500]).predict(X_test[:50], distance="l1",
                                                                                method="one_loop")
    np.testing.assert_array_equal(knn_predict(X_train[:500], y_train[:500], X_test[:50], distance="l1"),
                                  l1_readable)


# ----------------------------------------------------------------------------- bad input

X23, Y2 = np.arange(6.0).reshape(2, 3), np.array([0, 1])

BAD_INPUT = [
    (pairwise_distances, (np.zeros(3), X23), ValueError, "X_test must be 2-D, got 1-D"),
    (pairwise_distances, (X23, np.zeros((2, 4))), ValueError, "X_test has 3 columns but X_train has 4"),
    (pairwise_distances, (X23, np.array([[np.nan, 0.0, 0.0]], np.float32)), ValueError,
     "X_train must hold only finite numbers, found 1 NaN or inf"),
    (pairwise_distances, (X23, np.zeros((0, 3))), ValueError, "X_train must not be empty"),
    (pairwise_distances, (X23, np.array([[True, False, True]])), TypeError, "X_train must hold real numbers"),
    (pairwise_distances, (X23, X23, "cosine"), ValueError, "distance must be one of ('l1', 'l2'), got 'cosine'"),
    (pairwise_distances, (X23, X23, "l2", 0), ValueError, "block_bytes must be an integer in [1, inf], got 0"),
    (pairwise_distances, (X23, X23, "l2", 1.5), TypeError, "block_bytes must be an integer"),
    (pairwise_distances, (np.zeros((2, 32, 32, 3)), X23), ValueError, "X_test must be 2-D (N, D), got images"),
    (knn_predict, (X23, Y2, np.zeros((1, 4))), ValueError, "X_test has 4 columns but X_train has 3"),
    (knn_predict, (X23, Y2[:1], X23), ValueError, "y_train has 1 labels but X_train has 2 rows"),
    (knn_predict, (X23, [0.0, 1.0], X23), TypeError, "y_train must hold integer class labels"),
    (knn_predict, (X23, [0, -1], X23), ValueError, "y_train must hold labels in [0, C), found -1"),
    (knn_predict, (np.zeros((4, 3)), [0, 10**9, 0, 10**9], X23), ValueError,
     "y_train must hold class labels in [0, C) for a sensible C"),
    (knn_predict, (X23, Y2, X23, 3), ValueError, "k must be an integer in [1, 2], got 3"),
    (knn_predict, (X23, Y2, X23, 0), ValueError, "k must be an integer in [1, 2], got 0"),
    (knn_predict, (X23, Y2, X23, 1, "l3"), ValueError, "distance must be one of ('l1', 'l2'), got 'l3'"),
    (knn_predict, (X23, Y2, X23, 1, "l2", 0), ValueError, "block_rows must be an integer in [1, inf], got 0"),
    (knn_predict, (X23, Y2, X23, 1, "l2", 10, "yes"), TypeError, "progress must be True or False"),
    (knn_predict, (X23, Y2, np.full((1, 3), np.inf)), ValueError, "X_test must hold only finite numbers"),
]


def _call(fn, args):
    if fn is knn_predict and len(args) > 5:
        return fn(*args[:5], block_rows=args[5], progress=args[6] if len(args) > 6 else False)
    if fn is pairwise_distances and len(args) > 3:
        return fn(*args[:3], block_bytes=args[3])
    return fn(*args)


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{row[0].__name__}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        _call(fn, args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name comes first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    public = {name for name in large_scale.__all__ if callable(getattr(large_scale, name))}
    assert public == {row[0].__name__ for row in BAD_INPUT}

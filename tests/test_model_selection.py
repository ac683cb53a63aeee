"""Tests of course_lib.model_selection: splits, k-fold indices, cross-validation of k-NN.

References: scikit-learn's KFold / train_test_split / cross_val_score with a brute-force
KNeighborsClassifier, hand-computed accuracies on a 1-D example, and the laws every k-fold
partition obeys (hypothesis).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.neighbors import KNeighborsClassifier

import course_lib.distances
from course_lib.knn import predict_from_distances
from course_lib.metrics import accuracy
from course_lib.model_selection import (
    SkippedKWarning,
    accuracies_from_distances,
    best_k,
    cross_validate_knn,
    fold_sizes,
    k_fold_indices,
    train_val_split,
)


def blobs(n=60, d=5, num_classes=3, seed=0, spread=2.0):
    """Overlapping Gaussian blobs: continuous values (no distance ties), imperfect accuracy."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, spread, size=(num_classes, d))
    y = rng.integers(0, num_classes, size=n)
    X = centres[y] + rng.normal(0, 1.5, size=(n, d))
    return X, y.astype(np.int64)


# ----------------------------------------------------------------------------- k_fold_indices


def test_fold_sizes_29_in_5():
    assert fold_sizes(29, 5).tolist() == [6, 6, 6, 6, 5]
    sizes = [len(val) for _, val in k_fold_indices(29, 5)]
    assert sizes == [6, 6, 6, 6, 5]


def test_small_case_by_hand():
    folds = [(tr.tolist(), va.tolist()) for tr, va in k_fold_indices(7, 3)]
    assert folds == [
        ([3, 4, 5, 6], [0, 1, 2]),
        ([0, 1, 2, 5, 6], [3, 4]),
        ([0, 1, 2, 3, 4], [5, 6]),
    ]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 120),
    data=st.data(),
    seed=st.one_of(st.none(), st.integers(0, 2**32 - 1)),
)
def test_fold_laws(n, data, seed):
    num_folds = data.draw(st.integers(2, n), label="num_folds")
    folds = list(k_fold_indices(n, num_folds, seed=seed))
    assert len(folds) == num_folds
    seen = np.zeros(n, dtype=int)
    sizes = []
    for train_idx, val_idx in folds:
        assert train_idx.dtype == np.int64 and val_idx.dtype == np.int64
        assert np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0)  # sorted, unique
        # train and validation are complementary
        assert np.intersect1d(train_idx, val_idx).size == 0
        assert np.array_equal(np.union1d(train_idx, val_idx), np.arange(n))
        seen[val_idx] += 1
        sizes.append(len(val_idx))
    assert np.all(seen == 1)  # every sample validates exactly once
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)  # the larger folds come first, as in KFold
    assert sizes == fold_sizes(n, num_folds).tolist()


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 80), data=st.data())
def test_unshuffled_folds_equal_sklearn_kfold(n, data):
    num_folds = data.draw(st.integers(2, n), label="num_folds")
    ours = list(k_fold_indices(n, num_folds))
    ref = list(KFold(n_splits=num_folds).split(np.zeros((n, 1))))
    assert len(ours) == len(ref)
    for (tr, va), (tr_ref, va_ref) in zip(ours, ref):
        assert np.array_equal(tr, tr_ref)
        assert np.array_equal(va, va_ref)


def test_seed_reproducible_and_shuffles():
    a = [va.tolist() for _, va in k_fold_indices(50, 5, seed=3)]
    b = [va.tolist() for _, va in k_fold_indices(50, 5, seed=3)]
    c = [va.tolist() for _, va in k_fold_indices(50, 5, seed=4)]
    assert a == b
    assert a != c
    assert a != [va.tolist() for _, va in k_fold_indices(50, 5)]


@pytest.mark.parametrize("num_folds", [0, 1, 8])
def test_num_folds_out_of_range(num_folds):
    with pytest.raises(ValueError, match=r"^num_folds must be an integer in \[2, 7\]"):
        k_fold_indices(7, num_folds)  # raised at the call, before iterating


def test_num_folds_not_int():
    with pytest.raises(TypeError, match="^num_folds"):
        k_fold_indices(10, 2.0)


@pytest.mark.parametrize("n", [0, 1])
def test_n_too_small(n):
    with pytest.raises(ValueError, match="^n must be"):
        k_fold_indices(n, 2)


def test_n_not_int():
    with pytest.raises(TypeError, match="^n must be an integer"):
        k_fold_indices(10.0, 2)


def test_k_fold_bad_seed():
    with pytest.raises(ValueError, match="^seed"):
        k_fold_indices(10, 2, seed=-1)
    with pytest.raises(TypeError, match="^seed"):
        k_fold_indices(10, 2, seed="a")


# ----------------------------------------------------------------------------- train_val_split


def test_train_val_split_sizes_and_partition():
    X = np.arange(20 * 3).reshape(20, 3)
    y = np.arange(20) % 4
    X_tr, X_val, y_tr, y_val = train_val_split(X, y, 0.25, seed=0)
    assert X_tr.shape == (15, 3) and X_val.shape == (5, 3)
    ids = np.concatenate([X_tr[:, 0], X_val[:, 0]]) // 3
    assert sorted(ids.tolist()) == list(range(20))
    assert np.array_equal(y_tr, y[X_tr[:, 0] // 3]) and np.array_equal(y_val, y[X_val[:, 0] // 3])
    assert X_tr.dtype == X.dtype  # rows are selected, values untouched


def test_train_val_split_count_matches_sklearn_rounding():
    X = np.zeros((29, 2))
    y = np.zeros(29, dtype=int)
    for frac in (0.1, 0.2, 0.33, 0.5, 0.9):
        _, X_val, _, _ = train_val_split(X, y, frac, seed=1)
        _, X_val_ref = train_test_split(X, test_size=frac, random_state=1)
        assert len(X_val) == len(X_val_ref)


def test_train_val_split_no_shuffle_equals_sklearn():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20) % 3
    ours = train_val_split(X, y, 0.3, seed=None)
    ref = train_test_split(X, y, test_size=0.3, shuffle=False)
    for a, b in zip(ours, ref):
        assert np.array_equal(a, b)


def test_train_val_split_seeded_reproducible_and_images_kept_uint8():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(30, 4, 4), dtype=np.uint8)
    y = np.arange(30) % 10
    a = train_val_split(images, y, 0.2, seed=5)
    b = train_val_split(images, y, 0.2, seed=5)
    c = train_val_split(images, y, 0.2, seed=6)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[1], c[1])
    assert a[0].dtype == np.uint8 and a[0].shape == (24, 4, 4)


@pytest.mark.parametrize("frac", [0.0, 1.0, -0.1, 1.5])
def test_train_val_split_bad_fraction(frac):
    with pytest.raises(ValueError, match="^val_fraction"):
        train_val_split(np.zeros((10, 2)), np.zeros(10, dtype=int), frac, seed=0)


@pytest.mark.parametrize("frac", ["0.2", None, True])
def test_train_val_split_fraction_type(frac):
    with pytest.raises(TypeError, match="^val_fraction"):
        train_val_split(np.zeros((10, 2)), np.zeros(10, dtype=int), frac, seed=0)


def test_train_val_split_leaves_nothing_to_train():
    with pytest.raises(ValueError, match="^val_fraction.*no training samples"):
        train_val_split(np.zeros((3, 2)), np.zeros(3, dtype=int), 0.9, seed=0)


def test_train_val_split_bad_X_and_y():
    with pytest.raises(TypeError, match="^X"):
        train_val_split("abc", np.zeros(3, dtype=int), 0.5, seed=0)
    with pytest.raises(ValueError, match="^X must not be empty"):
        train_val_split(np.zeros((0, 2)), np.zeros(0, dtype=int), 0.5, seed=0)
    with pytest.raises(ValueError, match="^X must contain only finite"):
        train_val_split(np.array([[np.nan], [1.0]]), np.zeros(2, dtype=int), 0.5, seed=0)
    with pytest.raises(ValueError, match="^y has 4 labels but X has 5 rows"):
        train_val_split(np.zeros((5, 2)), np.zeros(4, dtype=int), 0.5, seed=0)
    with pytest.raises(TypeError, match="^y must hold integer"):
        train_val_split(np.zeros((5, 2)), np.zeros(5), 0.5, seed=0)
    with pytest.raises(ValueError, match="^seed"):
        train_val_split(np.zeros((5, 2)), np.zeros(5, dtype=int), 0.5, seed=-2)


# ----------------------------------------------------------------------------- cross_validate_knn

# Six points on a line, two clusters. Folds (contiguous): {0,1}, {2,3}, {4,5}.
LINE_X = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
LINE_Y = np.array([0, 0, 0, 1, 1, 1])


def test_hand_computed_accuracies():
    # fold 0: val {0, 1}, train {2, 10, 11, 12} with labels 0, 1, 1, 1
    #   k=1: nearest is 2 (label 0) for both -> 1.0 ; k=3: {2, 10, 11} votes 1 -> 0.0
    #   k=4: all four, label 1 wins 3:1 -> 0.0
    # fold 1: val {2, 10}, train {0, 1, 11, 12} with labels 0, 0, 1, 1
    #   k=1: 2 -> 1 (label 0), 10 -> 11 (label 1) -> 1.0 ; k=3: both right -> 1.0
    #   k=4: a 2:2 tie, the smaller label 0 wins -> 2 right, 10 wrong -> 0.5
    # fold 2: val {11, 12}, train {0, 1, 2, 10} with labels 0, 0, 0, 1
    #   k=1: nearest 10 (label 1) -> 1.0 ; k=3: {10, 2, 1} votes 0 -> 0.0 ; k=4: 0 -> 0.0
    # k=5 exceeds every fold's 4 training points -> NaN
    with pytest.warns(SkippedKWarning, match=r"^k = 5 skipped .* on 3 of 3 folds"):
        acc = cross_validate_knn(LINE_X, LINE_Y, [1, 3, 4, 5], 3)
    expected = np.array([
        [1.0, 1.0, 1.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.5, 0.0],
        [np.nan, np.nan, np.nan],
    ])
    np.testing.assert_array_equal(acc, expected)
    assert acc.dtype == np.float64
    assert best_k([1, 3, 4, 5], acc) == (1, 1.0)


def test_l1_same_as_l2_in_one_dimension():
    np.testing.assert_array_equal(
        cross_validate_knn(LINE_X, LINE_Y, [1, 3, 4], 3, distance="l1"),
        cross_validate_knn(LINE_X, LINE_Y, [1, 3, 4], 3, distance="l2"),
    )


@pytest.mark.parametrize("distance, metric", [("l2", "euclidean"), ("l1", "manhattan")])
@pytest.mark.parametrize("num_folds", [2, 5])
def test_agrees_with_sklearn_cross_val_score(distance, metric, num_folds):
    X, y = blobs(n=60, seed=1)
    ks = [1, 3, 5, 8, 15]
    ours = cross_validate_knn(X, y, ks, num_folds, distance=distance)
    assert ours.shape == (len(ks), num_folds)
    for i, k in enumerate(ks):
        ref = cross_val_score(
            KNeighborsClassifier(n_neighbors=k, algorithm="brute", metric=metric),
            X, y, cv=KFold(n_splits=num_folds),
        )
        np.testing.assert_allclose(ours[i], ref, rtol=0, atol=1e-12)
    assert 0.2 < np.mean(ours) < 1.0  # a real, imperfect problem


def test_agrees_with_sklearn_on_shuffled_folds():
    X, y = blobs(n=47, seed=2)
    ks = [1, 4, 9]
    ours = cross_validate_knn(X, y, ks, 4, seed=11)
    cv = list(k_fold_indices(47, 4, seed=11))
    for i, k in enumerate(ks):
        ref = cross_val_score(KNeighborsClassifier(n_neighbors=k, algorithm="brute"), X, y, cv=cv)
        np.testing.assert_allclose(ours[i], ref, rtol=0, atol=1e-12)


def test_uint8_input_is_converted_before_arithmetic():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(40, 16)).astype(np.uint8)
    y = rng.integers(0, 3, size=40)
    np.testing.assert_array_equal(
        cross_validate_knn(X, y, [1, 3], 4), cross_validate_knn(X.astype(np.float64), y, [1, 3], 4)
    )


def test_one_distance_matrix_per_fold(monkeypatch):
    calls = []
    original = course_lib.distances.pairwise_distances

    def counting(*args, **kwargs):
        calls.append(args[0].shape)
        return original(*args, **kwargs)

    monkeypatch.setattr(course_lib.distances, "pairwise_distances", counting)
    X, y = blobs(n=30)
    cross_validate_knn(X, y, [1, 2, 3, 5, 8, 13], 3)
    assert calls == [(10, 5)] * 3


def test_skipped_k_only_on_small_folds():
    # 11 samples in 2 folds: training parts of 5 and 6 samples; k = 6 fits only fold 1.
    X, y = blobs(n=11, seed=3)
    with pytest.warns(SkippedKWarning, match=r"k = 6 skipped .* on 1 of 2 folds: .*5 samples"):
        acc = cross_validate_knn(X, y, [1, 6], 2)
    assert np.isnan(acc[1, 0]) and not np.isnan(acc[1, 1])
    assert not np.isnan(acc[0]).any()


def test_no_warning_when_all_k_fit():
    X, y = blobs(n=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cross_validate_knn(X, y, [1, 15], 4)


def test_progress_bar_only_when_asked(capsys, monkeypatch):
    import tqdm.auto

    # tqdm reads TQDM_* environment overrides once, at import (the project's conftest sets
    # TQDM_DISABLE); force the bar on here so that what is tested is our switch.
    real = tqdm.auto.tqdm
    monkeypatch.setattr(tqdm.auto, "tqdm", lambda *a, **kw: real(*a, **{**kw, "disable": False}))
    X, y = blobs(n=20)
    cross_validate_knn(X, y, [1], 4)  # progress=None: stderr is not a terminal under pytest
    assert capsys.readouterr().err == ""
    cross_validate_knn(X, y, [1], 4, progress=False)
    assert capsys.readouterr().err == ""
    cross_validate_knn(X, y, [1], 4, progress=True)
    err = capsys.readouterr().err
    assert "cross-validation folds" in err and "4/4" in err


def test_accuracies_from_distances():
    d = np.array([[0.0, 1.0, 5.0], [4.0, 1.0, 0.5]])
    y_train = np.array([0, 1, 1])
    y_val = np.array([0, 0])
    with pytest.warns(SkippedKWarning, match="^k = 4 skipped"):
        acc = accuracies_from_distances(d, y_train, y_val, [1, 3, 4])
    np.testing.assert_array_equal(acc, [0.5, 0.0, np.nan])
    # the length errors name what there is: dists (no X here)
    with pytest.raises(ValueError, match="^y_train has 2 labels but dists has 3 columns"):
        accuracies_from_distances(d, y_train[:2], y_val, [1])
    with pytest.raises(ValueError, match="^y_val has 3 labels but dists has 2 rows"):
        accuracies_from_distances(d, y_train, [0, 0, 1], [1])
    with pytest.raises(ValueError, match="^k_choices must be a flat sequence of integers, got ragged"):
        accuracies_from_distances(d, y_train, y_val, [[1], [2, 3]])


def test_huge_label_values_count_only_the_labels_present():
    # counting votes over 0 … 2**40 would need terabytes; the labels present are enough
    huge = 2**40
    d = np.array([[0.0, 1.0, 5.0], [4.0, 1.0, 0.5]])
    y_train = np.array([0, huge, huge])
    np.testing.assert_array_equal(accuracies_from_distances(d, y_train, [0, huge], [1, 2, 3]), [1.0, 1.0, 0.5])
    X = np.array([[0.0], [0.1], [5.0], [5.1], [0.2], [5.2]])
    y = np.array([0, 0, huge, huge, 0, huge])
    np.testing.assert_array_equal(cross_validate_knn(X, y, [1], 3), [[1.0, 1.0, 1.0]])


@settings(max_examples=40, deadline=None)
@given(
    m=st.integers(1, 12),
    n=st.integers(1, 15),
    num_classes=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    ks=st.lists(st.integers(1, 18), min_size=1, max_size=6),
)
def test_accuracies_equal_predict_from_distances_with_ties(m, n, num_classes, seed, ks):
    # few distinct distances and labels: many equal distances and tied votes
    rng = np.random.default_rng(seed)
    d = rng.integers(0, 3, size=(m, n)).astype(float)
    y_train = rng.integers(0, num_classes, size=n)
    y_val = rng.integers(0, num_classes, size=m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SkippedKWarning)
        got = accuracies_from_distances(d, y_train, y_val, ks)
    for k, a in zip(ks, got):
        if k > n:
            assert np.isnan(a)
        else:
            assert a == accuracy(y_val, predict_from_distances(d, y_train, k))


@pytest.mark.parametrize(
    "kwargs, error, pattern",
    [
        (dict(X=np.zeros(6)), ValueError, "^X must be 2-D"),
        (dict(X="pixels"), TypeError, "^X must be a numeric"),
        (dict(y=np.zeros(6)), TypeError, "^y must hold integer"),
        (dict(y=np.zeros(5, dtype=int)), ValueError, "^y has 5 labels but X has 6 rows"),
        (dict(k_choices=[]), ValueError, "^k_choices must contain at least one"),
        (dict(k_choices=3), TypeError, "^k_choices must be a sequence"),
        (dict(k_choices=[[1, 2]]), ValueError, "^k_choices must be a flat"),
        (dict(k_choices=[1, 0]), ValueError, r"^k_choices\[1\] must be an integer in \[1, inf\]"),
        (dict(k_choices=[2.5]), TypeError, r"^k_choices\[0\] must be an integer"),
        (dict(num_folds=1), ValueError, r"^num_folds must be an integer in \[2, 6\]"),
        (dict(num_folds=7), ValueError, r"^num_folds must be an integer in \[2, 6\]"),
        (dict(num_folds=3.0), TypeError, "^num_folds must be an integer"),
        (dict(distance="l3"), ValueError, "^distance must be one of"),
        (dict(distance=2), TypeError, "^distance must be one of"),
        (dict(seed=-1), ValueError, "^seed"),
        (dict(progress="yes"), TypeError, "^progress must be True, False or None"),
    ],
)
def test_cross_validate_bad_input(kwargs, error, pattern):
    args = dict(X=LINE_X, y=LINE_Y, k_choices=[1, 3], num_folds=3)
    args.update(kwargs)
    with pytest.raises(error, match=pattern):
        cross_validate_knn(**args)


# ----------------------------------------------------------------------------- best_k


def test_best_k_ties_go_to_first_and_nan_ignored():
    acc = np.array([[0.8, 0.9], [0.9, 0.8], [np.nan, 0.95], [np.nan, np.nan]])
    assert best_k([1, 3, 5, 7], acc) == (5, 0.95)
    assert best_k([1, 3], acc[:2]) == (1, pytest.approx(0.85))


def test_best_k_errors():
    with pytest.raises(ValueError, match="^accuracies must have one row per k"):
        best_k([1, 2], np.zeros((3, 2)))
    with pytest.raises(ValueError, match="^accuracies has no value"):
        best_k([1], np.full((1, 3), np.nan))
    with pytest.raises(ValueError, match="^accuracies must be 2-D"):
        best_k([1], np.zeros(3))

"""Choosing hyperparameters honestly: validation splits and k-fold cross-validation.

Introduced in ``notebooks/03_cross_validation.ipynb`` (lecture part 1, "On hyperparameters
and overfitting" and "Methods to avoid overfitting, or how to choose the best k value").

The rules these helpers encode:

* a *hyperparameter* (k, the distance) is chosen by the person training the model, not
  learned from the data, so it must be chosen on data the model was not trained on;
* that data is a *validation* set carved out of the training set (:func:`train_val_split`),
  or, when the training set is small, every part of it in turn (:func:`k_fold_indices`,
  :func:`cross_validate_knn`);
* the test set is touched once, at the very end, to report the chosen model's accuracy.

The folds follow scikit-learn's ``KFold`` exactly (same sizes, same order; with
``seed=None`` the very same index arrays as ``KFold(num_folds, shuffle=False)``), so the
course's numbers can be checked against it.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

from ._validation import (
    _asarray,
    as_float_array,
    check_choice,
    check_int,
    check_labels,
    check_seed,
)

__all__ = [
    "SkippedKWarning",
    "train_val_split",
    "k_fold_indices",
    "fold_sizes",
    "cross_validate_knn",
    "accuracies_from_distances",
    "best_k",
]

#: The distances cross-validation can use (see ``course_lib.distances.pairwise_distances``).
DISTANCES = ("l1", "l2")


class SkippedKWarning(UserWarning):
    """A k was larger than a fold's training part, so it could not be evaluated (NaN).

    Emitted by :func:`cross_validate_knn` and :func:`accuracies_from_distances`; filter it
    with ``warnings.simplefilter("ignore", SkippedKWarning)`` when NaN entries are expected.

    Source: this course (the lecture does not treat the case). Introduced in notebook
    03_cross_validation.
    """


# ----------------------------------------------------------------------------- checks


def _check_data(X, name: str = "X") -> np.ndarray:
    """Check a stack of samples (first axis = samples) without changing its dtype.

    Splitting only indexes rows, so uint8 images stay uint8 (ready for display); the
    functions that compute with them convert to float64 themselves.
    """
    if isinstance(X, (str, bytes)) or X is None:
        raise TypeError(f"{name} must be a numeric array with one sample per row, got {type(X).__name__}")
    arr = _asarray(X, name)
    if arr.ndim == 0:
        raise ValueError(f"{name} must have one sample per row (at least 1-D), got a scalar")
    # Type check (and finiteness for floats) without converting the whole array.
    as_float_array(arr[:0], name, allow_empty=True)
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if np.issubdtype(arr.dtype, np.floating) and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers")
    return arr


def _check_num_folds(num_folds, n: int) -> int:
    if isinstance(num_folds, bool) or not isinstance(num_folds, (int, np.integer)):
        raise TypeError(f"num_folds must be an integer, got {type(num_folds).__name__} {num_folds!r}")
    num_folds = int(num_folds)
    if not 2 <= num_folds <= n:
        raise ValueError(
            f"num_folds must be an integer in [2, {n}] for {n} samples (at least two folds, "
            f"and at least one sample per validation fold), got {num_folds}"
        )
    return num_folds


def _check_k_choices(k_choices, name: str = "k_choices") -> list[int]:
    """Check a non-empty flat sequence of integers >= 1 and return it as a list of ``int``.

    ``name`` is the argument's name in error messages (``"k_choices"``, or e.g. ``"sizes"``,
    ``"shifts"``, ``"dims"`` when another function checks a list of positive integers).
    """
    if isinstance(k_choices, (str, bytes, dict)) or k_choices is None:
        raise TypeError(
            f"{name} must be a sequence of integers >= 1 such as [1, 3, 5], got {k_choices!r}"
        )
    try:
        ndim = np.ndim(k_choices)
    except ValueError:  # a ragged nested list
        ndim = None
    if ndim == 0:
        raise TypeError(
            f"{name} must be a sequence of integers >= 1 such as [1, 3, 5], got {k_choices!r}"
        )
    if ndim != 1:
        shape = "ragged" if ndim is None else f"shape {np.shape(k_choices)}"
        raise ValueError(f"{name} must be a flat sequence of integers, got {shape}")
    values = list(k_choices)
    if not values:
        what = "k" if name == "k_choices" else "value"
        raise ValueError(f"{name} must contain at least one {what}")
    return [check_int(k, f"{name}[{i}]", low=1) for i, k in enumerate(values)]


# ----------------------------------------------------------------------------- splits


def train_val_split(X, y, val_fraction, seed=0):
    """Split a training set into a smaller training set and a validation set.

    Parameters
    ----------
    X : array_like, shape (N, ...) — e.g. ``(N, D)`` features or ``(N, H, W)`` uint8 images
        One sample per first-axis entry; its dtype is kept (only rows are selected).
    y : array_like of int, shape (N,)
        Labels of the rows of ``X``.
    val_fraction : float in (0, 1)
        Share of the samples that go to validation: ``ceil(val_fraction * N)`` of them (the
        rounding scikit-learn's ``train_test_split`` uses); both parts get at least one. A
        float32 or float16 value counts as the decimal it shows (``np.float32(0.2)`` as 0.2,
        not as 0.2000000030, which would round 10 samples up to 3).
    seed : int >= 0 or None, default 0
        Seed of ``np.random.default_rng(seed)``, which draws the samples that go to
        validation. ``None`` means no shuffling: the *last* ``ceil(val_fraction * N)``
        samples are the validation set (as ``train_test_split(..., shuffle=False)``).

    Returns
    -------
    X_train : array, shape (N - N_val, ...), same dtype as ``X``
    X_val : array, shape (N_val, ...)
    y_train : int64 array, shape (N - N_val,)
    y_val : int64 array, shape (N_val,)
        Every sample is in exactly one of the two parts; within each part the samples keep
        their original order.

    Raises
    ------
    TypeError
        Non-numeric ``X``, non-integer ``y``, non-number ``val_fraction``, bad ``seed``.
    ValueError
        ``y``'s length differs from ``X``'s rows; ``val_fraction`` not strictly between 0
        and 1; a split that would leave one part empty (N too small).

    Source: lecture part 1, "On hyperparameters and overfitting" (reserve part of the
    training data as a validation set). Introduced in notebook 03_cross_validation.
    """
    X = _check_data(X, "X")
    y = check_labels(y, "y", n=X.shape[0])
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float, np.integer, np.floating)):
        raise TypeError(f"val_fraction must be a number in (0, 1), got {type(val_fraction).__name__} {val_fraction!r}")
    if isinstance(val_fraction, np.floating) and val_fraction.dtype.itemsize < 8:
        # np.float32(0.2) is 0.2000000030: as float64 its count would round up (3 of 10).
        # Read it as the shortest decimal that gives this float32, 0.2, the number written.
        val_fraction = np.format_float_positional(val_fraction, unique=True)
    val_fraction = float(val_fraction)
    if not (0.0 < val_fraction < 1.0):
        raise ValueError(f"val_fraction must be strictly between 0 and 1, got {val_fraction}")
    seed = check_seed(seed, allow_none=True)
    n = X.shape[0]
    n_val = int(np.ceil(val_fraction * n))
    if n_val >= n:
        raise ValueError(
            f"val_fraction={val_fraction} leaves no training samples out of N={n}; "
            "use a smaller val_fraction or more samples"
        )
    if seed is None:
        val_idx = np.arange(n - n_val, n)
    else:
        val_idx = np.sort(np.random.default_rng(seed).permutation(n)[:n_val])
    is_val = np.zeros(n, dtype=bool)
    is_val[val_idx] = True
    train_idx = np.flatnonzero(~is_val)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def fold_sizes(n, num_folds) -> np.ndarray:
    """The size of each validation fold when ``n`` samples are cut into ``num_folds``.

    The first ``n % num_folds`` folds get one sample more (as scikit-learn's ``KFold``),
    e.g. ``fold_sizes(29, 5) -> [6, 6, 6, 6, 5]``.

    Returns
    -------
    numpy.ndarray of int64, shape (num_folds,), summing to ``n``.

    Raises
    ------
    TypeError
        ``n`` or ``num_folds`` not an integer.
    ValueError
        ``n < 2`` or ``num_folds`` outside ``[2, n]``.

    Source: scikit-learn ``KFold``. Introduced in notebook 03_cross_validation.
    """
    n = check_int(n, "n", low=2)
    num_folds = _check_num_folds(num_folds, n)
    sizes = np.full(num_folds, n // num_folds, dtype=np.int64)
    sizes[: n % num_folds] += 1
    return sizes


def k_fold_indices(n, num_folds, seed=None):
    """Cut ``n`` samples into ``num_folds`` folds; yield each fold as validation once.

    Parameters
    ----------
    n : int >= 2
        Number of samples N.
    num_folds : int in [2, n]
        Number of folds. Fold sizes differ by at most one (see :func:`fold_sizes`).
    seed : int >= 0 or None, default None
        ``None``: no shuffling, fold i is a contiguous block of indices — exactly the
        folds of scikit-learn's ``KFold(num_folds, shuffle=False)``. An integer: the
        indices are first permuted with ``np.random.default_rng(seed)`` (same fold sizes
        and order of sizes; the random partition differs from scikit-learn's, which uses
        another generator).

    Returns
    -------
    iterator of ``num_folds`` pairs ``(train_idx, val_idx)``
        Integer (int64) index arrays, each sorted ascending. ``val_idx`` has the fold's
        size; ``train_idx`` holds all the other ``n - len(val_idx)`` indices. Every index
        is in exactly one ``val_idx``. The arguments are checked when the function is
        called, not when the iterator is first used.

    Raises
    ------
    TypeError
        ``n``, ``num_folds`` or ``seed`` not an integer.
    ValueError
        ``n < 2``, ``num_folds`` outside ``[2, n]``, or a negative ``seed``.

    Source: lecture part 1, "Cross-validation: split the data into folds, and then try each
    fold as validation dataset"; layout of scikit-learn's ``KFold.split``. Introduced in
    notebook 03_cross_validation.
    """
    sizes = fold_sizes(n, num_folds)
    n = int(sizes.sum())
    seed = check_seed(seed, allow_none=True)
    order = np.arange(n) if seed is None else np.random.default_rng(seed).permutation(n)
    folds = []
    start = 0
    for size in sizes:
        is_val = np.zeros(n, dtype=bool)
        is_val[order[start:start + size]] = True
        folds.append((np.flatnonzero(~is_val), np.flatnonzero(is_val)))
        start += size
    return iter(folds)


# ----------------------------------------------------------------------------- cross-validation


def _accuracies(dists, y_train, y_val, k_choices):
    """Accuracies for each k (NaN where k > N) and the list of skipped k; no checks.

    The vote is ``course_lib.knn.predict_from_distances``'s (majority of the k nearest,
    ties between labels -> smallest label; equal distances -> lower training index
    nearer), counted incrementally: the neighbours are searched once, for the largest k,
    and the votes of k_1 < k_2 < ... are accumulated column by column, because the k
    nearest are always the first k of the k_max nearest (a stable order).
    """
    from .knn import nearest_neighbors

    n_train = dists.shape[1]
    result = np.full(len(k_choices), np.nan)
    skipped = [k for k in k_choices if k > n_train]
    valid = sorted({k for k in k_choices if k <= n_train})
    if not valid:
        return result, skipped
    labels = y_train[nearest_neighbors(dists, valid[-1])]  # (M, k_max), nearest first
    m = labels.shape[0]
    # Votes are counted over the labels that occur (codes 0 … U-1 of the ascending distinct
    # labels), so memory does not grow with the label values (y = [0, 10**9] is fine).
    classes, codes = np.unique(labels, return_inverse=True)
    codes = codes.reshape(labels.shape)
    num_codes = classes.size
    offsets = num_codes * np.arange(m)[:, None]
    counts = np.zeros(m * num_codes, dtype=np.int64)
    acc_of = {}
    done = 0
    for k in valid:
        counts += np.bincount((codes[:, done:k] + offsets).ravel(), minlength=m * num_codes)
        done = k
        # first max: the smallest label (classes are ascending)
        y_pred = classes[np.argmax(counts.reshape(m, num_codes), axis=1)]
        acc_of[k] = float(np.mean(y_pred == y_val))
    for i, k in enumerate(k_choices):
        if k in acc_of:
            result[i] = acc_of[k]
    return result, skipped


def accuracies_from_distances(dists, y_train, y_val, k_choices) -> np.ndarray:
    """Validation accuracy of k-NN for every k, from one precomputed distance matrix.

    This is the inner step of :func:`cross_validate_knn`: the expensive part (the
    distances) is done once and every k only re-reads it.

    Parameters
    ----------
    dists : array_like of float, shape (M, N)
        ``dists[i, j]`` = distance between validation sample i and training sample j.
    y_train : array_like of int, shape (N,)
    y_val : array_like of int, shape (M,)
    k_choices : sequence of int >= 1

    Returns
    -------
    numpy.ndarray of float64, shape (len(k_choices),)
        Accuracy in [0, 1] for each k; ``NaN`` for a k larger than N (it cannot be
        evaluated, see :class:`SkippedKWarning`).

    Warns
    -----
    SkippedKWarning
        Once, listing the k values skipped because ``k > N``.

    Raises
    ------
    TypeError, ValueError
        Bad shapes or dtypes (the names of the offending arguments are in the message).

    Source: lecture part 1 ("for each fold run the classification with all possible values
    of k and derive the accuracy"). Introduced in notebook 03_cross_validation.
    """
    dists = as_float_array(dists, "dists", ndim=2)
    y_train = check_labels(y_train, "y_train", n=dists.shape[1], n_name="dists", n_unit="columns")
    y_val = check_labels(y_val, "y_val", n=dists.shape[0], n_name="dists")
    k_choices = _check_k_choices(k_choices)
    result, skipped = _accuracies(dists, y_train, y_val, k_choices)
    if skipped:
        warnings.warn(
            f"k = {', '.join(map(str, skipped))} skipped (accuracy NaN): larger than the "
            f"{dists.shape[1]} training samples, there are not that many neighbours",
            SkippedKWarning,
            stacklevel=2,
        )
    return result


def _progress_enabled(progress) -> bool:
    if progress is None:
        stream = sys.stderr
        try:
            return bool(stream is not None and stream.isatty())
        except (AttributeError, ValueError):
            return False
    if not isinstance(progress, (bool, np.bool_)):
        raise TypeError(f"progress must be True, False or None, got {type(progress).__name__} {progress!r}")
    return bool(progress)


def cross_validate_knn(X, y, k_choices, num_folds, distance="l2", seed=None, progress=None):
    """k-fold cross-validation of the k-nearest-neighbour classifier for several k.

    For each fold: the other folds are the training part, the fold is the validation
    part; the (M, N) distance matrix between them is computed **once** and reused for
    every k in ``k_choices``.

    Parameters
    ----------
    X : array_like, shape (N, D), any real dtype (uint8 is converted to float64)
    y : array_like of int, shape (N,)
    k_choices : sequence of int >= 1
        The k values to compare, e.g. ``[1, 3, 5, 8, 10, 12, 15, 20, 50, 100]``.
    num_folds : int in [2, N]
    distance : {"l2", "l1"}, default "l2"
        Passed to ``course_lib.distances.pairwise_distances`` as ``metric``.
    seed : int >= 0 or None, default None
        Fold shuffling, as in :func:`k_fold_indices` (``None``: contiguous folds, the same
        as scikit-learn's ``KFold(num_folds)``).
    progress : bool or None, default None
        Show a tqdm progress bar (``tqdm.auto``: a widget in Jupyter, text in a terminal)
        over the folds. ``None`` shows it only when standard error is a terminal (a script
        run by hand); in Jupyter, pass ``True`` explicitly (its output holds timings, so tag
        that cell ``nbval-ignore-output``). tqdm's own ``TQDM_DISABLE`` environment
        variable still applies.

    Returns
    -------
    accuracies : numpy.ndarray of float64, shape (len(k_choices), num_folds)
        ``accuracies[i, f]`` = validation accuracy (in [0, 1]) of k = ``k_choices[i]`` on
        fold ``f``. A k larger than a fold's training part cannot be evaluated on it: that
        entry is ``NaN`` and a :class:`SkippedKWarning` says which k were skipped. Average
        over folds with ``np.nanmean(accuracies, axis=1)`` or use :func:`best_k`.

    Warns
    -----
    SkippedKWarning
        Once per call, listing the k values that exceeded a fold's training size.

    Raises
    ------
    TypeError
        Non-numeric ``X``, non-integer ``y`` or k, bad ``distance``/``seed``/``progress``.
    ValueError
        ``X`` not 2-D, ``y``'s length differs from ``X``'s rows, empty ``k_choices``,
        ``k < 1``, ``num_folds`` outside ``[2, N]``, unknown ``distance``.

    Source: lecture part 1, "Methods to avoid overfitting, or how to choose the best k
    value" (cross-validation); CS231n assignment 1, knn.ipynb (cross-validation over
    ``k_choices``). Introduced in notebook 03_cross_validation.
    """
    from .distances import pairwise_distances

    X = as_float_array(X, "X", ndim=2)
    y = check_labels(y, "y", n=X.shape[0])
    k_choices = _check_k_choices(k_choices)
    num_folds = _check_num_folds(num_folds, X.shape[0])
    distance = check_choice(distance, "distance", DISTANCES)
    seed = check_seed(seed, allow_none=True)
    show = _progress_enabled(progress)

    folds = k_fold_indices(X.shape[0], num_folds, seed=seed)
    if show:
        from tqdm.auto import tqdm

        folds = tqdm(folds, total=num_folds, desc="cross-validation folds", unit="fold")
    result = np.empty((len(k_choices), num_folds))
    skipped: dict[int, list[int]] = {}  # k -> folds where it was skipped
    smallest_train = X.shape[0]
    for f, (train_idx, val_idx) in enumerate(folds):
        dists = pairwise_distances(X[val_idx], X[train_idx], metric=distance)
        result[:, f], skipped_here = _accuracies(dists, y[train_idx], y[val_idx], k_choices)
        smallest_train = min(smallest_train, len(train_idx))
        for k in skipped_here:
            skipped.setdefault(k, []).append(f)
    if skipped:
        ks = ", ".join(map(str, sorted(skipped)))
        where = sorted({f for fs in skipped.values() for f in fs})
        warnings.warn(
            f"k = {ks} skipped (accuracy NaN) on {len(where)} of {num_folds} folds: larger "
            f"than a fold's training part ({smallest_train} samples at the smallest), so there "
            "are not that many neighbours",
            SkippedKWarning,
            stacklevel=2,
        )
    return result


def best_k(k_choices, accuracies):
    """The k with the highest mean cross-validation accuracy.

    Parameters
    ----------
    k_choices : sequence of int >= 1, length K
    accuracies : array_like of float, shape (K, num_folds)
        As returned by :func:`cross_validate_knn`; NaN entries (skipped k) are ignored in
        the mean, and a k that is NaN on every fold is never chosen.

    Returns
    -------
    (k, mean_accuracy) : (int, float)
        Ties go to the k listed first in ``k_choices``.

    Raises
    ------
    TypeError, ValueError
        ``accuracies`` not 2-D with ``len(k_choices)`` rows, or no k has any accuracy.

    Source: lecture part 1 ("identify which is the k-value that works best"). Introduced in
    notebook 03_cross_validation.
    """
    k_choices = _check_k_choices(k_choices)
    acc = as_float_array(accuracies, "accuracies", ndim=2, finite=False)
    if acc.shape[0] != len(k_choices):
        raise ValueError(
            f"accuracies must have one row per k: {len(k_choices)} rows, got shape {acc.shape}"
        )
    if np.isinf(acc).any():
        raise ValueError("accuracies must not contain inf")
    evaluated = ~np.all(np.isnan(acc), axis=1)
    if not evaluated.any():
        raise ValueError("accuracies has no value for any k (all NaN): nothing to choose from")
    means = np.full(len(k_choices), -np.inf)
    means[evaluated] = np.nanmean(acc[evaluated], axis=1)
    i = int(np.argmax(means))
    return k_choices[i], float(means[i])

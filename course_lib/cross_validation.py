"""Choosing hyperparameters (k, the distance) honestly: a validation split, or k-fold
cross-validation when the training set is small. The test set is used once, at the end.

Notebook 03. Folds are contiguous and unshuffled, with the sizes of scikit-learn's KFold.
"""

from __future__ import annotations

import numpy as np
from tqdm.auto import tqdm

from .checks import (check_array, check_bool, check_choice, check_float, check_int, check_num_classes,
                     check_seed, check_X_y)
from .distances import DISTANCES
from .knn import majority_vote
from .large_scale import pairwise_distances
from .metrics import accuracy

__all__ = ["train_val_split", "fold_sizes", "k_fold_indices", "cross_validate_knn", "best_k"]


def _check_k_choices(k_choices) -> list[int]:
    """A non-empty sequence of integers ≥ 1 (TypeError / ValueError naming k_choices)."""
    if isinstance(k_choices, (str, bytes, dict)) or not hasattr(k_choices, "__len__"):
        raise TypeError("k_choices must be a sequence of integers ≥ 1 such as [1, 3, 5], "
                        f"got {k_choices!r}")
    if len(k_choices) == 0:
        raise ValueError("k_choices must hold at least one k")
    return [check_int(k, f"k_choices[{i}]", low=1) for i, k in enumerate(k_choices)]


def train_val_split(X, y, val_fraction=0.2, seed=0):
    """Split off a random validation set: X_tr, X_val, y_tr, y_val.

    X (N, D) real, y (N,) int labels; val_fraction in (0, 1): round(val_fraction · N) rows go to
    validation, chosen by np.random.default_rng(seed).permutation(N); seed int ≥ 0.
    Returns X_tr (N − N_val, D), X_val (N_val, D) float64, y_tr, y_val int64.
    Raises TypeError / ValueError for bad X, y, val_fraction or seed, or a split that leaves
    a part empty. Notebook 03.
    """
    X, y = check_X_y(X, y)
    val_fraction = check_float(val_fraction, "val_fraction", low=0.0, high=1.0, low_open=True)
    seed = check_seed(seed)
    num_val = round(val_fraction * len(y))
    if not 1 <= num_val <= len(y) - 1:
        raise ValueError(f"val_fraction={val_fraction} of N={len(y)} samples gives {num_val} validation "
                         "samples; both parts need at least one")
    order = np.random.default_rng(seed).permutation(len(y))
    val_idx, train_idx = order[:num_val], order[num_val:]
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def fold_sizes(num_samples, num_folds) -> np.ndarray:
    """Sizes of num_folds folds of num_samples samples: the first num_samples % num_folds are
    one larger (as scikit-learn's KFold), e.g. fold_sizes(29, 5) → [6, 6, 6, 6, 5].

    num_samples int ≥ 2; num_folds int in [2, num_samples]. Returns (num_folds,) int64.
    Raises TypeError for non-integers, ValueError outside those ranges. Notebook 03.
    """
    num_samples = check_int(num_samples, "num_samples", low=2)
    num_folds = check_int(num_folds, "num_folds", low=2, high=num_samples)
    sizes = np.full(num_folds, num_samples // num_folds, dtype=np.int64)
    sizes[: num_samples % num_folds] += 1
    return sizes


def k_fold_indices(num_samples, num_folds) -> list[tuple[np.ndarray, np.ndarray]]:
    """Contiguous folds, each the validation part once: [(train_idx, val_idx), …].

    num_samples, num_folds as fold_sizes. Returns num_folds pairs of int64 index arrays,
    ascending; every index is in exactly one val_idx (scikit-learn's KFold(num_folds).split).
    Raises as fold_sizes. Notebook 03.
    """
    sizes = fold_sizes(num_samples, num_folds)
    indices = np.arange(num_samples)
    folds, start = [], 0
    for size in sizes:
        val_idx = indices[start:start + size]
        train_idx = np.concatenate([indices[:start], indices[start + size:]])
        folds.append((train_idx, val_idx))
        start += size
    return folds


def cross_validate_knn(X, y, k_choices, num_folds=5, distance="l2", progress=False) -> np.ndarray:
    """Validation accuracy of k-NN for every k in k_choices on every fold.

    X (N, D) real, y (N,) int labels; k_choices: ints ≥ 1; num_folds int in [2, N]; distance
    "l1" or "l2"; progress: show a tqdm bar over the folds. Per fold the distances are
    computed once (large_scale.pairwise_distances: same numbers as compute_distances, bounded
    memory) and sorted once; each k votes with the first k columns.
    Returns (len(k_choices), num_folds) float64 accuracies in [0, 1].
    Raises TypeError / ValueError for bad arguments, or a k larger than a fold's training part.
    Notebook 03.
    """
    X, y = check_X_y(X, y)
    check_num_classes(y)
    k_choices = _check_k_choices(k_choices)
    folds = k_fold_indices(len(y), num_folds)
    distance = check_choice(distance, "distance", DISTANCES)
    show_progress = check_bool(progress, "progress")
    smallest_train = min(len(train_idx) for train_idx, _ in folds)
    if max(k_choices) > smallest_train:
        raise ValueError(f"k_choices holds k = {max(k_choices)}, but the training part of a fold has only "
                         f"{smallest_train} samples (N = {len(y)}, num_folds = {len(folds)}); use k ≤ "
                         f"{smallest_train}")
    accuracies = np.zeros((len(k_choices), len(folds)))
    for fold, (train_idx, val_idx) in enumerate(tqdm(folds, desc="folds", disable=not show_progress)):
        dists = pairwise_distances(X[val_idx], X[train_idx], distance=distance)
        order = np.argsort(dists, axis=1, kind="stable")
        for i, k in enumerate(k_choices):
            y_pred = majority_vote(y[train_idx][order[:, :k]])
            accuracies[i, fold] = accuracy(y[val_idx], y_pred)
    return accuracies


def best_k(k_choices, accuracies) -> tuple[int, float]:
    """The k with the highest mean accuracy over the folds (ties: the smallest such k).

    k_choices: ints ≥ 1; accuracies (len(k_choices), num_folds) real, as cross_validate_knn
    returns. Returns (k, mean_accuracy) as (int, float).
    Raises TypeError / ValueError for bad k_choices, non-2-D or non-finite accuracies, or a
    number of rows other than len(k_choices). Notebook 03.
    """
    k_choices = _check_k_choices(k_choices)
    accuracies = check_array(accuracies, "accuracies", ndim=2)
    if accuracies.shape[0] != len(k_choices):
        raise ValueError(f"accuracies must have one row per k ({len(k_choices)} rows), got shape "
                         f"{accuracies.shape}")
    means = accuracies.mean(axis=1)
    k = min(k for k, mean in zip(k_choices, means) if mean == means.max())
    return k, float(means[k_choices.index(k)])

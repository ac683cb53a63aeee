"""The k-nearest-neighbour classifier: memorise the training set, then let the k closest vote.

Notebook 02 (after CS231n's ``k_nearest_neighbor.py``). Tie rules, used everywhere:
equal distances → the lower training index counts as nearer (a stable sort);
equal votes → the smallest label wins (``np.bincount(...).argmax()``).
"""

from __future__ import annotations

import numpy as np

from .checks import (check_array, check_distance_inputs, check_int, check_labels, check_num_classes,
                     check_X)
from .distances import compute_distances

__all__ = ["nearest_neighbors", "majority_vote", "predict_labels", "KNearestNeighbor"]


def nearest_neighbors(dists, k) -> np.ndarray:
    """Indices of the k nearest training rows of every test row, nearest first.

    dists (M, N) real: test-to-training distances; k int in [1, N].
    Returns (M, k) int64 = np.argsort(dists, axis=1, kind="stable")[:, :k] (equal distances:
    lower training index first).
    Raises TypeError for non-numeric dists or non-integer k, ValueError for non-2-D, empty or
    non-finite dists or k outside [1, N]. Notebook 02.
    """
    dists = check_array(dists, "dists", ndim=2)
    k = check_int(k, "k", low=1, high=dists.shape[1])
    return np.argsort(dists, axis=1, kind="stable")[:, :k]


def majority_vote(neighbor_labels) -> np.ndarray:
    """The most frequent label in every row (equal votes: the smallest label wins).

    neighbor_labels (M, k) int: the labels of the k nearest neighbours of each test row.
    Returns (M,) int64.
    Raises TypeError for non-integer labels, ValueError for non-2-D or empty input, negative
    labels or absurdly sparse ones (e.g. 10**9, see checks.check_num_classes). Notebook 02.
    """
    neighbor_labels = check_labels(neighbor_labels, "neighbor_labels", ndim=2)
    check_num_classes(neighbor_labels, "neighbor_labels")
    return np.array([np.bincount(row).argmax() for row in neighbor_labels], dtype=np.int64)


def predict_labels(dists, y_train, k) -> np.ndarray:
    """Predict each test row's label by a majority vote of its k nearest training rows.

    dists (M, N) real; y_train (N,) int labels in [0, C); k int in [1, N].
    Returns (M,) int64 (ties as in the module docstring).
    Raises TypeError / ValueError as nearest_neighbors and majority_vote, and a ValueError
    when y_train does not have one label per column of dists. Notebook 02.
    """
    dists = check_array(dists, "dists", ndim=2)
    y_train = check_labels(y_train, "y_train")
    if len(y_train) != dists.shape[1]:
        raise ValueError(f"y_train has {len(y_train)} labels but dists has {dists.shape[1]} columns "
                         "(one per training row); they must match")
    check_num_classes(y_train, "y_train")
    return majority_vote(y_train[nearest_neighbors(dists, k)])


class KNearestNeighbor:
    """k-NN with the L1 or L2 distance. fit memorises; predict measures distances and votes.

    Attributes after fit: X_train (N, D), the very array passed to fit (not copied; uint8 stays
    uint8 until distances are computed), and y_train (N,) int64. Notebook 02.
    """

    def __init__(self):
        self.X_train = None
        self.y_train = None

    def fit(self, X, y) -> "KNearestNeighbor":
        """Memorise the training set: X (N, D) real, y (N,) int labels in [0, C). Returns self.

        Raises TypeError for non-numeric X or non-integer y, ValueError for non-2-D, empty or
        non-finite X, a different number of labels than rows, or negative / sparse labels.
        """
        self.X_train = check_X(X, "X", keep_dtype=True)
        self.y_train = check_labels(y, "y", num_samples=self.X_train.shape[0])
        check_num_classes(self.y_train, "y")
        return self

    def predict(self, X, k=1, distance="l2", method="no_loops") -> np.ndarray:
        """Predict a label for each row of X (M, D): the majority of its k nearest training rows.

        k int in [1, N]; distance "l1" or "l2"; method "two_loops", "one_loop" or "no_loops".
        Returns (M,) int64. Raises RuntimeError before fit; TypeError / ValueError for a bad X
        (or another D than the training rows), k, distance or method.
        """
        if self.X_train is None:
            raise RuntimeError("this KNearestNeighbor is not fitted yet: call fit(X, y) first")
        X, X_train = check_distance_inputs(X, self.X_train, test_name="X")
        k = check_int(k, "k", low=1, high=X_train.shape[0])
        dists = compute_distances(X, X_train, distance=distance, method=method)
        return predict_labels(dists, self.y_train, k)

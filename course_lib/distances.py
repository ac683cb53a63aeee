"""How far apart are two images? The L1 and L2 distances, and the distance from every test
row to every training row computed three ways: two loops, one loop, no loops.

Notebook 02 (after CS231n's ``k_nearest_neighbor.py``). These are the readable forms; for all
of CIFAR-10 in bounded memory, float32 speed and exact zeros, see ``course_lib.large_scale``.
"""

from __future__ import annotations

import numpy as np

from .checks import check_choice, check_distance_inputs, check_same_shape

__all__ = ["DISTANCES", "METHODS", "MAX_BROADCAST_ELEMENTS", "l1_distance", "l2_distance",
           "compute_distances_two_loops", "compute_distances_one_loop",
           "compute_distances_no_loops", "compute_distances"]

DISTANCES = ("l1", "l2")
METHODS = ("two_loops", "one_loop", "no_loops")

#: The no-loop L1 holds an (M, N, D) array of differences (and its absolute values): it is
#: refused above this many elements (16 million, 128 MB as float64).
MAX_BROADCAST_ELEMENTS = 16_000_000


def l1_distance(a, b) -> float:
    """L1 (Manhattan) distance Σ |a − b| between two images or two rows of X.

    a, b: arrays of the same shape, real numbers (uint8 is converted to float64 first).
    Returns a float ≥ 0 in the values' units (0–255 pixel units for images).
    Raises TypeError for non-numeric input, ValueError for different shapes, empty or
    non-finite input. Notebook 02.
    """
    a, b = check_same_shape(a, b)
    return float(np.sum(np.abs(a - b)))


def l2_distance(a, b) -> float:
    """L2 (Euclidean) distance √(Σ (a − b)²) between two images or two rows of X.

    a, b: arrays of the same shape, real numbers (uint8 is converted to float64 first).
    Returns a float ≥ 0 in the values' units.
    Raises TypeError for non-numeric input, ValueError for different shapes, empty or
    non-finite input. Notebook 02.
    """
    a, b = check_same_shape(a, b)
    return float(np.sqrt(np.sum((a - b) ** 2)))


def compute_distances_two_loops(X_test, X_train, distance="l2") -> np.ndarray:
    """Distances from every test row to every training row, one pair at a time.

    X_test (M, D), X_train (N, D): real arrays (uint8 is converted to float64 first);
    distance "l1" or "l2". Returns dists (M, N) float64, dists[i, j] = d(X_test[i], X_train[j]).
    Raises TypeError for non-numeric input, ValueError for non-2-D, empty or non-finite input,
    a different number of columns or an unknown distance. Notebook 02.
    """
    X_test, X_train = check_distance_inputs(X_test, X_train)
    distance = check_choice(distance, "distance", DISTANCES)
    dists = np.zeros((X_test.shape[0], X_train.shape[0]))
    for i in range(X_test.shape[0]):
        for j in range(X_train.shape[0]):
            diff = X_test[i] - X_train[j]
            if distance == "l1":
                dists[i, j] = np.sum(np.abs(diff))
            else:
                dists[i, j] = np.sqrt(np.sum(diff ** 2))
    return dists


def compute_distances_one_loop(X_test, X_train, distance="l2") -> np.ndarray:
    """Distances from every test row to every training row, one test row at a time.

    Each test row is compared with all training rows at once (broadcasting (N, D) − (D,)).
    Arguments, result and errors as ``compute_distances_two_loops``. Notebook 02.
    """
    X_test, X_train = check_distance_inputs(X_test, X_train)
    distance = check_choice(distance, "distance", DISTANCES)
    dists = np.zeros((X_test.shape[0], X_train.shape[0]))
    for i in range(X_test.shape[0]):
        diff = X_train - X_test[i]
        if distance == "l1":
            dists[i] = np.sum(np.abs(diff), axis=1)
        else:
            dists[i] = np.sqrt(np.sum(diff ** 2, axis=1))
    return dists


def compute_distances_no_loops(X_test, X_train, distance="l2") -> np.ndarray:
    """Distances from every test row to every training row, with no Python loop.

    L2: ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b, one matrix product for all pairs; rounding can leave a
    tiny negative value (clipped to 0) or a tiny positive one for identical rows.
    L1: |a − b| broadcast to an (M, N, D) array and summed over D.
    Arguments and result as ``compute_distances_two_loops``; also a ValueError for an L1 whose
    M·N·D exceeds MAX_BROADCAST_ELEMENTS (use course_lib.large_scale.pairwise_distances).
    Notebook 02.
    """
    X_test, X_train = check_distance_inputs(X_test, X_train)
    distance = check_choice(distance, "distance", DISTANCES)
    if distance == "l1":
        (M, D), N = X_test.shape, X_train.shape[0]
        if M * N * D > MAX_BROADCAST_ELEMENTS:
            raise ValueError(
                f"X_test and X_train are too large for the no-loop L1: it would hold an (M, N, D) "
                f"array of {M:,} × {N:,} × {D:,} values, more than MAX_BROADCAST_ELEMENTS = "
                f"{MAX_BROADCAST_ELEMENTS:,}; use course_lib.large_scale.pairwise_distances(X_test, "
                "X_train, distance='l1') (bounded memory, same numbers) or method='one_loop'")
        return np.sum(np.abs(X_test[:, None, :] - X_train[None, :, :]), axis=2)
    test_sq = np.sum(X_test ** 2, axis=1)
    train_sq = np.sum(X_train ** 2, axis=1)
    squared = test_sq[:, None] + train_sq[None, :] - 2 * X_test @ X_train.T
    return np.sqrt(np.maximum(squared, 0))


def compute_distances(X_test, X_train, distance="l2", method="no_loops") -> np.ndarray:
    """Distances from every test row to every training row, by the chosen method.

    method "two_loops", "one_loop" or "no_loops" (same numbers up to rounding, very different
    speed); other arguments, result and errors as the three methods. Notebook 02.
    """
    method = check_choice(method, "method", METHODS)
    compute = {"two_loops": compute_distances_two_loops, "one_loop": compute_distances_one_loop,
               "no_loops": compute_distances_no_loops}[method]
    return compute(X_test, X_train, distance)

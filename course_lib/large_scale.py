"""Distances and k-NN at full size: bounded memory, float32 speed, exact zeros.

The readable forms (course_lib.distances, course_lib.knn) hold whole (M, N) or (M, N, D)
arrays. Here the same numbers come in blocks whose memory stays bounded whatever the sizes —
all of CIFAR-10 is 10,000 × 50,000 × 3,072 — for tools/, benchmarks/ and L1 at full size.
Notebook 02 says why this module exists; tests hold it equal to the readable forms.
"""

from __future__ import annotations

import math

import numpy as np
from tqdm.auto import tqdm

from .checks import (check_bool, check_choice, check_distance_inputs, check_int, check_labels,
                     check_num_classes)
from .distances import DISTANCES
from .knn import majority_vote

__all__ = ["BLOCK_BYTES", "L1_TILE_BYTES", "pairwise_distances", "knn_predict"]

#: Default bound, in bytes, on the temporary arrays of one block (64 MiB).
BLOCK_BYTES = 64 * 2**20

#: Size of one (a, b, D) tile of L1 differences: small enough to stay in the CPU cache (2 MiB).
L1_TILE_BYTES = 2 * 2**20


def pairwise_distances(X_test, X_train, distance="l2", *, block_bytes=BLOCK_BYTES) -> np.ndarray:
    """dists[i, j] = d(X_test[i], X_train[j]), as distances.compute_distances, at any size.

    X_test (M, D), X_train (N, D) real (not copied when float64, or float32 for L2); distance
    "l1" or "l2"; block_bytes int ≥ 1 bounds the temporaries (besides the M·N·8-byte result).
    L2 uses ‖a‖² + ‖b‖² − 2 a·b in blocks of test rows, the product in float32 when both inputs
    are float32 (GEMM speed); pairs within rounding of 0 are recomputed by direct subtraction,
    so identical rows are exactly 0. L1 sums |a − b| over cache-sized tiles.
    Returns (M, N) float64. Raises TypeError / ValueError as compute_distances, and for a bad
    block_bytes.
    """
    X_test, X_train = check_distance_inputs(X_test, X_train, keep_dtype=True)
    distance = check_choice(distance, "distance", DISTANCES)
    block_bytes = check_int(block_bytes, "block_bytes", low=1)
    X_train, train_sq = _prepare_train(X_test, X_train, distance)
    return _pairwise(X_test, X_train, train_sq, distance, block_bytes)


def knn_predict(X_train, y_train, X_test, k=1, distance="l2", *, block_rows=500,
                progress=False) -> np.ndarray:
    """k-NN predictions for the whole test set, block_rows test rows at a time.

    X_train (N, D), X_test (M, D) real (float32 is fastest for L2); y_train (N,) int labels in
    [0, C); k int in [1, N]; distance "l1" or "l2"; block_rows int ≥ 1; progress: a tqdm bar.
    Returns (M,) int64, equal to knn.predict_labels(compute_distances(X_test, X_train), y_train, k)
    (same tie rules; float32 L2 up to its rounding of near-equal distances). Memory: one
    (block_rows, N) block of distances at a time, never (M, N).
    Raises TypeError / ValueError for bad arguments.
    """
    X_test, X_train = check_distance_inputs(X_test, X_train, keep_dtype=True)
    y_train = check_labels(y_train, "y_train", num_samples=X_train.shape[0], samples_name="X_train")
    check_num_classes(y_train, "y_train")
    k = check_int(k, "k", low=1, high=X_train.shape[0])
    distance = check_choice(distance, "distance", DISTANCES)
    block_rows = check_int(block_rows, "block_rows", low=1)
    show_progress = check_bool(progress, "progress")
    X_train, train_sq = _prepare_train(X_test, X_train, distance)
    y_pred = np.empty(X_test.shape[0], dtype=np.int64)
    starts = range(0, X_test.shape[0], block_rows)
    for start in tqdm(starts, desc=f"{k}-NN {distance}", disable=not show_progress):
        block = X_test[start:start + block_rows]
        dists = _pairwise(block, X_train, train_sq, distance, BLOCK_BYTES)
        y_pred[start:start + block_rows] = majority_vote(y_train[_nearest(dists, k)])
    return y_pred


def _prepare_train(X_test, X_train, distance):
    """X_train in the dtype of the arithmetic, and its squared row norms (L2 only).

    L2: float32 when both inputs are float32 and |a·b| ≤ D·max|a|·max|b| stays far below
    float32's largest value (3.4e38), so the product cannot overflow; float64 otherwise.
    L1: unchanged (each tile is converted to float64).
    """
    if distance == "l1":
        return X_train, None
    dtype = np.float64
    if X_test.dtype == X_train.dtype == np.float32:
        bound = 2 * X_test.shape[1] * _max_abs(X_test) * _max_abs(X_train)
        dtype = np.float32 if bound < float(np.finfo(np.float32).max) / 4 else np.float64
    X_train = X_train.astype(dtype, copy=False)
    return X_train, _squared_norms(X_train)


def _max_abs(X) -> float:
    return max(float(X.max()), -float(X.min()))


def _squared_norms(X) -> np.ndarray:
    """Σ_d X[i, d]² per row, in float64 (also for float32 rows)."""
    return np.einsum("ij,ij->i", X, X, dtype=np.float64)


def _pairwise(X_test, X_train, train_sq, distance, block_bytes) -> np.ndarray:
    dists = np.empty((X_test.shape[0], X_train.shape[0]))
    if distance == "l1":
        _l1_tiles(X_test, X_train, dists, min(block_bytes, L1_TILE_BYTES))
    else:
        _l2_blocks(X_test, X_train, train_sq, dists, block_bytes)
    return dists


def _l1_tiles(X_test, X_train, dists, tile_bytes):
    """dists = Σ_d |X_test[:, None] − X_train[None]| over tiles of a × b pairs (one reused
    float64 buffer of ≤ tile_bytes, unless a single pair's D values exceed it)."""
    (M, D), N = X_test.shape, X_train.shape[0]
    pairs = max(1, tile_bytes // (8 * D))
    a = max(1, min(M, math.isqrt(pairs)))
    b = max(1, min(N, pairs // a))
    buffer = np.empty(a * b * D)
    for i in range(0, M, a):
        A = X_test[i:i + a, None, :]
        for j in range(0, N, b):
            B = X_train[None, j:j + b, :]
            tile = buffer[: A.shape[0] * B.shape[1] * D].reshape(A.shape[0], B.shape[1], D)
            np.subtract(A, B, out=tile, dtype=np.float64)
            np.abs(tile, out=tile)
            np.sum(tile, axis=2, out=dists[i:i + a, j:j + b])


def _rounding_factor(D, dtype) -> float:
    """c such that ‖a‖² + ‖b‖² − 2 a·b, as computed, is within c·(‖a‖² + ‖b‖²) of the true
    squared distance: c = D·ε_w + (D + 4)·ε₆₄, twice the first-order bound for the product in
    dtype w and the norms and sums in float64 (Higham, Accuracy and Stability of Numerical
    Algorithms, §3.1). E.g. 3.7e-4 for D = 3,072 in float32, 3.5e-13 for D = 784 in float64."""
    return D * float(np.finfo(dtype).eps) + (D + 4) * float(np.finfo(np.float64).eps)


def _l2_blocks(X_test, X_train, train_sq, dists, block_bytes):
    """dists = ‖a − b‖ by ‖a‖² + ‖b‖² − 2 a·b, rows_per_block test rows at a time."""
    D, N = X_train.shape[1], X_train.shape[0]
    rows_per_block = max(1, block_bytes // (N * X_train.itemsize + D * 8))
    c = _rounding_factor(D, X_train.dtype)
    # Products below float32's smallest normal number may be flushed to 0: an absolute error.
    train_limit = c * train_sq + 2 * D * float(np.finfo(X_train.dtype).smallest_normal)
    for start in range(0, X_test.shape[0], rows_per_block):
        block = X_test[start:start + rows_per_block].astype(X_train.dtype, copy=False)
        out = dists[start:start + rows_per_block]
        block_sq = _squared_norms(block)
        np.multiply(block @ X_train.T, -2.0, out=out)  # the GEMM; float64 from here on
        out += block_sq[:, None]
        out += train_sq[None, :]
        _recompute_near_zero(block, X_train, out, c * block_sq, train_limit, block_bytes)
        np.sqrt(out, out=out)


def _recompute_near_zero(block, X_train, out, block_limit, train_limit, block_bytes):
    """Replace each squared distance within rounding of 0 (out[i, j] ≤ block_limit[i] +
    train_limit[j], negatives included) by Σ (a − b)² computed by direct subtraction in float64."""
    D = X_train.shape[1]
    chunk = max(1, block_bytes // (16 * D))  # the gathered rows and their float64 differences
    # A row whose smallest value exceeds its largest possible limit needs no pair recomputed.
    for i in np.flatnonzero(out.min(axis=1) <= block_limit + train_limit.max()):
        js = np.flatnonzero(out[i] <= block_limit[i] + train_limit)
        a = block[i].astype(np.float64)
        for s in range(0, len(js), chunk):
            j = js[s:s + chunk]
            diff = X_train[j] - a
            out[i, j] = np.einsum("ij,ij->i", diff, diff)


def _nearest(dists, k) -> np.ndarray:
    """knn.nearest_neighbors(dists, k) = np.argsort(dists, axis=1, kind="stable")[:, :k], found
    in O(N) per row by a partial sort; rows with a tie at the k-th place get the full sort."""
    if k == dists.shape[1]:
        return np.argsort(dists, axis=1, kind="stable")
    idx = np.sort(np.argpartition(dists, k - 1, axis=1)[:, :k], axis=1)
    chosen = np.take_along_axis(dists, idx, axis=1)
    idx = np.take_along_axis(idx, np.argsort(chosen, axis=1, kind="stable"), axis=1)
    tied = np.count_nonzero(dists <= chosen.max(axis=1)[:, None], axis=1) > k
    if tied.any():
        idx[tied] = np.argsort(dists[tied], axis=1, kind="stable")[:, :k]
    return idx

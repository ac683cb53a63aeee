"""How far apart are two images? The L1 and L2 distances, and the whole test-by-training
distance matrix computed three ways (two loops, one loop, no loops).

Introduced in ``notebooks/02_knn.ipynb`` (lecture part "the k-nearest neighbor": a k-NN
classifier needs a distance; the lecture uses L1 and L2). The three implementations follow
CS231n assignment 1 (``compute_distances_two_loops`` / ``_one_loop`` / ``_no_loops``).

Memory is bounded everywhere: large inputs are processed in blocks whose size is chosen from
a byte budget (:data:`WORKING_MEMORY_BYTES`, :data:`L1_TILE_BYTES`), so no
``(M, N, D)`` array is ever formed, not even for all of CIFAR-10 (10,000 test × 50,000
training images × 3,072 values, which as one float64 array would need 12.3 TB).
"""

from __future__ import annotations

import math

import numpy as np

from ._validation import _asarray, as_float_array, check_choice, check_int

__all__ = [
    "l1_distance",
    "l2_distance",
    "pairwise_distances",
    "METRICS",
    "METHODS",
    "WORKING_MEMORY_BYTES",
    "L1_TILE_BYTES",
    "FEW_FEATURES",
]

#: The distances the course uses: ``"l1"`` (sum of absolute differences, "Manhattan") and
#: ``"l2"`` (square root of the sum of squared differences, "Euclidean").
METRICS = ("l1", "l2")

#: The three implementations of :func:`pairwise_distances`, slowest to fastest.
METHODS = ("two_loops", "one_loop", "no_loops")

#: Upper bound, in bytes, on the temporary arrays :func:`pairwise_distances` allocates per
#: block (besides its result and float copies of its inputs). 64 MiB.
WORKING_MEMORY_BYTES = 64 * 2**20

#: Size, in bytes, of one ``(a, b, D)`` float64 tile of differences in the no-loop L1. Small
#: enough to stay in the processor's cache, which is what makes the broadcast fast. 2 MiB.
L1_TILE_BYTES = 2 * 2**20

#: Up to this many features the no-loop L1 loops over features instead of summing a short
#: last axis (numpy's reductions over a very short axis are slow). Points in the plane: D = 2.
FEW_FEATURES = 8


# ----------------------------------------------------------------------------- two images


def _pair(a, b) -> tuple[np.ndarray, np.ndarray]:
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(
            f"a and b must have the same shape, got {a.shape} and {b.shape} "
            "(compare two images, or two rows of X, of the same size)"
        )
    return a, b


def l1_distance(a, b) -> float:
    """The L1 (Manhattan) distance between two images or vectors: ``Σ_i |a_i − b_i|``.

    Parameters
    ----------
    a, b : array_like of the same shape, any real dtype
        Two images (``(H, W)``, ``(H, W, 3)``) or two rows of ``X`` (``(D,)``). Integer
        input (uint8 pixels) is converted to float64 *before* subtracting: in uint8,
        ``0 − 255`` wraps around to 1 instead of giving 255.

    Returns
    -------
    float
        The distance, ≥ 0, in the units of the values (0–255 pixel units for images).

    Raises
    ------
    TypeError
        ``a`` or ``b`` is not a real numeric array.
    ValueError
        Empty, non-finite, or the shapes differ.

    Source: lecture part "the k-nearest neighbor", ``d_L1(I1, I2) = Σ_p |I1^p − I2^p|``
    (worked example: two 4×4 images at distance 456). Notebook ``02_knn``.
    """
    a, b = _pair(a, b)
    return float(np.sum(np.abs(a - b)))


def l2_distance(a, b) -> float:
    """The L2 (Euclidean) distance between two images or vectors: ``√(Σ_i (a_i − b_i)²)``.

    Parameters
    ----------
    a, b : array_like of the same shape, any real dtype
        As in :func:`l1_distance`; integers are converted to float64 first.

    Returns
    -------
    float
        The distance, ≥ 0, in the units of the values.

    Raises
    ------
    TypeError
        ``a`` or ``b`` is not a real numeric array.
    ValueError
        Empty, non-finite, or the shapes differ.

    Source: lecture part "the k-nearest neighbor", ``d_L2(I1, I2) = √(Σ_p (I1^p − I2^p)²)``.
    Notebook ``02_knn``.
    """
    a, b = _pair(a, b)
    diff = a - b
    return float(np.sqrt(np.sum(diff * diff)))


# ----------------------------------------------------------------------------- input checks


def _check_finite_rows(arr: np.ndarray, name: str) -> None:
    """Raise ValueError if the float array ``arr`` holds NaN or inf; checks row blocks so
    the check needs no boolean array as large as ``arr``. Integer arrays pass at once."""
    if not np.issubdtype(arr.dtype, np.floating) or arr.size == 0:
        return
    per_row = max(1, arr.size // max(1, arr.shape[0]))
    rows = max(1, WORKING_MEMORY_BYTES // per_row)
    for start in range(0, arr.shape[0], rows):
        if not np.isfinite(arr[start:start + rows]).all():
            bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
            raise ValueError(
                f"{name} must contain only finite numbers, found {bad} NaN or inf values"
            )


def _check_samples(x, name: str) -> np.ndarray:
    """Check that ``x`` is a 2-D real array without copying or converting it (integer
    arrays stay integer: they are converted where the arithmetic happens)."""
    arr = x
    if not (isinstance(x, (str, bytes)) or x is None):
        arr = _asarray(x, name)  # a ragged list: ValueError naming the argument
    if isinstance(arr, np.ndarray) and arr.dtype != bool and (
        np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
    ):
        arr = as_float_array(arr, name, ndim=2, dtype=arr.dtype, finite=False)
        _check_finite_rows(arr, name)
        return arr
    return as_float_array(x, name, ndim=2)  # raises for non-numbers; bool -> float64


def _work_dtype(X_test_dtype, X_train_dtype, metric: str, method: str):
    """The dtype the arithmetic uses: float32 only when both inputs are float32 and the
    no-loop L2's matrix product can use it; float64 otherwise."""
    if (metric == "l2" and method == "no_loops"
            and X_test_dtype == np.float32 and X_train_dtype == np.float32):
        return np.float32
    return np.float64


def _prepare(X_test, X_train, metric: str, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Validate both inputs and convert them to the working dtype (no copy when they
    already have it)."""
    X_test = _check_samples(X_test, "X_test")
    X_train = _check_samples(X_train, "X_train")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_test has {X_test.shape[1]} features per row but X_train has "
            f"{X_train.shape[1]}; they must match (shapes {X_test.shape} and {X_train.shape})"
        )
    dtype = _work_dtype(X_test.dtype, X_train.dtype, metric, method)
    return X_test.astype(dtype, copy=False), X_train.astype(dtype, copy=False)


def _block_sizes(M: int, N: int, D: int, metric: str, itemsize: int = 8,
                 chunk_size: int | None = None) -> tuple[int, int]:
    """Rows of X_test and of X_train handled together by the no-loop method.

    L2: all training rows at once, and as many test rows as keep the block's temporaries
    (the scaled test rows, ``rows·D·itemsize`` bytes, plus a float32 product of
    ``rows·N·4`` bytes when the inputs are float32) within :data:`WORKING_MEMORY_BYTES`.
    L1: tiles of ``a × b`` pairs whose ``(a, b, D)`` float64 differences fit in
    :data:`L1_TILE_BYTES`, as square as possible.
    """
    if metric == "l2":
        per_row = D * itemsize + (N * 4 if itemsize == 4 else 0)
        a = chunk_size or WORKING_MEMORY_BYTES // max(1, per_row)
        return max(1, min(M, a)), N
    pairs = max(1, L1_TILE_BYTES // (8 * D))
    a = chunk_size or math.isqrt(pairs)
    a = max(1, min(M, a))
    b = max(1, min(N, pairs // a))
    return a, b


# ----------------------------------------------------------------------------- the matrix


def _two_loops(X_test, X_train, metric, out):
    for i in range(X_test.shape[0]):
        for j in range(X_train.shape[0]):
            diff = X_test[i] - X_train[j]
            if metric == "l1":
                out[i, j] = np.sum(np.abs(diff))
            else:
                out[i, j] = np.sqrt(np.sum(diff * diff))


def _one_loop(X_test, X_train, metric, out):
    N, D = X_train.shape
    # One test row against (a block of) all training rows: the (rows, D) difference is the
    # only temporary, so blocks of training rows keep it within the budget.
    rows = max(1, min(N, WORKING_MEMORY_BYTES // (8 * D)))
    buffer = np.empty((rows, D))  # reused, so only one difference block exists at a time
    for i in range(X_test.shape[0]):
        for start in range(0, N, rows):
            block = X_train[start:start + rows]
            diff = buffer[: block.shape[0]]
            np.subtract(block, X_test[i], out=diff)  # broadcast over training rows
            if metric == "l1":
                np.abs(diff, out=diff)  # in place: no second temporary
                out[i, start:start + rows] = np.sum(diff, axis=1)
            else:
                np.square(diff, out=diff)
                out[i, start:start + rows] = np.sqrt(np.sum(diff, axis=1))


def _squared_norms(X) -> np.ndarray:
    """Row-wise ``Σ_d X[i, d]²`` in float64 (also for float32 rows: they carry magnitude)."""
    return np.einsum("ij,ij->i", X, X, dtype=np.float64)


def _rounding_factor(D: int, dtype) -> float:
    """The factor ``c`` of the no-loop L2's rounding bound: ``‖a‖² + ‖b‖² − 2 a·b`` computed
    in floating point differs from the true squared distance by at most
    ``(c / 2)·(‖a‖² + ‖b‖²)``, with ``c = D·ε_w + (D + 4)·ε₆₄``.

    ``ε_w`` is the machine epsilon of the matrix product's dtype (float32: 1.2e-7, float64:
    2.2e-16) and ``ε₆₄`` that of float64, in which the norms and sums are formed. With the
    unit roundoff u = ε/2 and the standard bounds for sums and dot products in any order
    (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.1):

    * each squared norm (D products summed in float64) is off by at most ``D·u₆₄·‖a‖²``
      (resp. ``‖b‖²``);
    * the dot product in the working dtype is off by at most ``D·u_w·Σ|a_i b_i| ≤
      D·u_w·‖a‖·‖b‖ ≤ D·u_w·(‖a‖² + ‖b‖²)/2``, so ``2 a·b`` by ``D·u_w·(‖a‖² + ‖b‖²)``
      (scaling by −2 is exact);
    * the two additions add at most ``4·u₆₄·(‖a‖² + ‖b‖²)``.

    Their sum, ``(D·u_w + (D + 4)·u₆₄)·(‖a‖² + ‖b‖²)``, is a first-order bound; ``c`` is
    twice its factor (ε = 2u), a margin for the neglected higher-order terms. Examples:
    c = 3.5e-13 for D = 784 in float64, 3.7e-4 for D = 3,072 in float32.
    """
    return D * float(np.finfo(dtype).eps) + (D + 4) * float(np.finfo(np.float64).eps)


def _underflow_term(D: int, dtype) -> float:
    """An absolute addition to the rounding bound for products that underflow.

    A product ``a_i·b_i`` smaller than the dtype's smallest normal number (float32: 1.2e-38,
    e.g. values of 1e-20) is rounded to the subnormal grid, off by up to half its spacing
    ``s`` (float32: 1.4e-45) whatever its size; the D products of ``2 a·b`` can thus be off
    by ``D·s`` in absolute terms, which a relative bound does not cover. Twice that, as for
    ``c``. Negligible (below 1e-40) unless the squared distances themselves are that small,
    and then those pairs are recomputed exactly.
    """
    return 2 * D * float(np.finfo(dtype).smallest_subnormal)


def _recompute_near_zero(block, X_train, dest, rows, block_limit, train_limit):
    """Overwrite ``dest[i, j]`` with ``Σ_d (block[i, d] − X_train[j, d])²`` in float64 for
    every pair of the given ``rows`` whose computed value is within the pair's own
    rounding bound ``block_limit[i] + train_limit[j]`` of 0 (NaN included).

    Training rows are gathered in chunks into reused buffers (float64 differences, plus
    the gathered float32 rows for float32 input) of at most :data:`WORKING_MEMORY_BYTES`.
    """
    dtype, D = X_train.dtype, X_train.shape[1]
    gather_bytes = 0 if dtype == np.float64 else dtype.itemsize
    per_chunk = max(1, WORKING_MEMORY_BYTES // ((8 + gather_bytes) * D))
    diff = gathered = None
    for i in rows:
        js = np.flatnonzero(~(dest[i] > block_limit[i] + train_limit))
        if js.size == 0:
            continue
        if diff is None:  # allocated once, only when some pair needs it
            size = min(per_chunk, X_train.shape[0])
            diff = np.empty((size, D))
            gathered = diff if gather_bytes == 0 else np.empty((size, D), dtype=dtype)
        a = block[i].astype(np.float64)
        for s in range(0, js.size, per_chunk):
            j = js[s:s + per_chunk]
            g, d = gathered[: j.size], diff[: j.size]
            np.take(X_train, j, axis=0, out=g, mode="clip")  # "clip": no copy; j is valid
            np.subtract(g, a, out=d)  # float32 rows are converted exactly
            dest[i, j] = np.einsum("ij,ij->i", d, d)


def _no_loops_l2(X_test, X_train, out, chunk_size, train_sq=None):
    # ||a - b||² = ||a||² + ||b||² - 2 a·b : one matrix product does the work of all pairs.
    M, D = X_test.shape
    N = X_train.shape[0]
    f32 = X_train.dtype == np.float32
    rows, _ = _block_sizes(M, N, D, "l2", X_train.dtype.itemsize, chunk_size)
    if train_sq is None:
        train_sq = _squared_norms(X_train)
    # Rounding bound (see _rounding_factor): a computed squared distance ≤ c·(‖a‖² + ‖b‖²)
    # may come from a true 0, so such pairs are recomputed directly.
    c = _rounding_factor(D, X_train.dtype)
    train_limit = c * train_sq + _underflow_term(D, X_train.dtype)
    train_limit_max = float(train_limit.max())
    if f32:
        # |2 a·b| ≤ 2‖a‖‖b‖ bounds every partial sum of the float32 product (Cauchy-Schwarz).
        # Rows for which that could pass float32's largest value (3.4e38, e.g. values of
        # 1e20) are left out of the product and computed by direct subtraction in float64.
        train_norm = max(1.0, float(np.sqrt(train_sq.max())))
        overflow_norm = float(np.finfo(np.float32).max) / 4 / train_norm
    buffer = np.empty((rows, D), dtype=X_test.dtype)
    for start in range(0, M, rows):
        block = X_test[start:start + rows]
        dest = out[start:start + rows]
        minus_two = buffer[: block.shape[0]]
        block_sq = _squared_norms(block)
        overflow = np.sqrt(block_sq) > overflow_norm if f32 else None
        if f32 and overflow.any():
            minus_two[overflow] = 0.0  # their product is skipped; NaN below marks them
            np.multiply(block, -2, out=minus_two, where=~overflow[:, None])
        else:
            np.multiply(block, -2, out=minus_two)  # exact: scaling by a power of two
        if f32:
            np.copyto(dest, minus_two @ X_train.T)  # float32 product, float64 result
        else:
            np.matmul(minus_two, X_train.T, out=dest)
        dest += block_sq[:, None]
        dest += train_sq[None, :]
        if f32 and overflow.any():
            dest[overflow] = np.nan  # recomputed below, as every NaN is
        # A row whose smallest value exceeds c·‖a‖² + the largest c·‖b‖² has no pair within
        # rounding of 0 (one read-only pass, no mask). In the other rows (rare in real
        # data) each pair is checked against its own bound and recomputed by direct
        # subtraction, which also replaces every negative (and NaN) value that rounding
        # could leave: no clipping is needed before the square root.
        block_limit = c * block_sq
        near_rows = np.flatnonzero(~(dest.min(axis=1) > block_limit + train_limit_max))
        if near_rows.size:
            _recompute_near_zero(block, X_train, dest, near_rows, block_limit, train_limit)
        np.sqrt(dest, out=dest)


def _no_loops_l1(X_test, X_train, out, chunk_size):
    # |a - b| summed over D for a tile of a × b pairs at once: broadcasting (a, 1, D) against
    # (1, b, D). The tile is reused, so memory stays at L1_TILE_BYTES whatever M and N are.
    M, D = X_test.shape
    N = X_train.shape[0]
    if D <= FEW_FEATURES:
        # A sum over a very short last axis is slow in numpy; with few features it is
        # faster to loop over the D features (never over samples) on (a, b) tiles.
        a, b = _block_sizes(M, N, 1, "l1", 8, chunk_size)
        tile = np.empty(a * b)
        for i in range(0, M, a):
            for j in range(0, N, b):
                dest = out[i:i + a, j:j + b]
                dest[...] = 0.0
                t = tile[: dest.size].reshape(dest.shape)
                for f in range(D):
                    np.subtract(X_test[i:i + a, None, f], X_train[None, j:j + b, f], out=t)
                    np.abs(t, out=t)
                    dest += t
        return
    a, b = _block_sizes(M, N, D, "l1", 8, chunk_size)
    tile = np.empty(a * b * D)
    for i in range(0, M, a):
        A = X_test[i:i + a, None, :]
        for j in range(0, N, b):
            B = X_train[None, j:j + b, :]
            t = tile[: A.shape[0] * B.shape[1] * D].reshape(A.shape[0], B.shape[1], D)
            np.subtract(A, B, out=t)
            np.abs(t, out=t)
            np.sum(t, axis=2, out=out[i:i + a, j:j + b])


def pairwise_distances(X_test, X_train, metric: str = "l2", method: str = "no_loops",
                       chunk_size: int | None = None) -> np.ndarray:
    """The distance from every test sample to every training sample: ``dists[i, j] =
    d(X_test[i], X_train[j])``.

    Three implementations give the same numbers at very different speeds (notebook 02 times
    them):

    ``"two_loops"``
        a Python loop over test rows and one over training rows, one pair at a time;
    ``"one_loop"``
        a loop over test rows; each row is compared with all training rows at once
        (broadcasting);
    ``"no_loops"``
        no loop over samples. L2 uses ``‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b``, so one matrix
        product ``X_test @ X_train.T`` does the work. That formula subtracts large, nearly
        equal numbers when two rows are close, so rounding can leave a small positive value
        for identical rows, or a negative one (whose ``sqrt`` would be NaN). Every pair
        whose computed squared distance is within the rounding bound of 0 (see Accuracy) is
        therefore recomputed by direct subtraction, ``Σ (a − b)²`` in float64. L1 has no
        such identity: it broadcasts ``|a − b|`` over tiles of test × training pairs and
        sums over ``D``.

    Parameters
    ----------
    X_test : array_like, shape (M, D), any real dtype
        Test samples, one per row (images flattened with ``course_lib.images.flatten``).
    X_train : array_like, shape (N, D), any real dtype
        Training samples, one per row.
    metric : {"l2", "l1"}
        The distance (see :func:`l2_distance`, :func:`l1_distance`).
    method : {"no_loops", "one_loop", "two_loops"}
    chunk_size : int ≥ 1, optional
        Test rows per block for ``method="no_loops"`` (default: chosen from
        :data:`WORKING_MEMORY_BYTES` for L2 and :data:`L1_TILE_BYTES` for L1). The loop
        methods choose their blocks themselves and ignore it.

    Returns
    -------
    dists : numpy.ndarray of float64, shape (M, N)
        Distances ≥ 0 (never NaN) in the units of the inputs (0–255 pixel units for
        images). Integer input (uint8 pixels) is converted to float64 before any
        arithmetic, so ``0 − 255`` counts 255. float32 input is used as float32 by the
        no-loop L2's matrix product (about twice as fast, see Accuracy); every other
        computation is in float64.

    Accuracy
    --------
    The loop methods and the no-loop L1 subtract first: identical rows are at distance
    exactly 0, and every distance has a relative error of at most about ``D·ε₆₄`` (the
    rounding of a sum of D terms in float64).

    The no-loop L2's ``‖a‖² + ‖b‖² − 2 a·b`` can be off by at most
    ``(c/2)·(‖a‖² + ‖b‖²)`` in the *squared* distance, with ``c = D·ε_w + (D + 4)·ε₆₄``
    (``ε_w`` the machine epsilon of the product's dtype: 2.2e-16 for float64, 1.2e-7 for
    float32 input; ``ε₆₄`` = 2.2e-16; the derivation is in ``_rounding_factor``). Pairs whose
    computed squared distance is ≤ ``c·(‖a‖² + ‖b‖²)`` — all that rounding could have
    produced from a true 0 — are recomputed by direct subtraction in float64. Hence:

    * identical rows are at distance exactly 0, and near-identical rows get accurate
      distances (not rounding noise), so 1-NN finds an exact duplicate;
    * every other squared distance ``d²`` is off by at most ``(c/2)·(‖a‖² + ‖b‖²)``, which
      is less than ``d²`` itself, so the distance ``d`` by at most
      ``(c/2)·(‖a‖² + ‖b‖²) / d``. That is a worst case: ``benchmarks/bench_distances.py``
      measures the largest error against a float64 reference on random pixel values,
      0 for float64 input and about 0.005 pixel units for float32 images of 3,072 values.

    With float32 input, the product is also kept from leaving float32's range: a test row
    for which ``2‖a‖·max(1, ‖b‖)`` could exceed float32's largest value (values around
    1e19 and up) is computed entirely by direct subtraction in float64 instead of
    overflowing to inf, and products too small for float32 (values around 1e-20 and
    below) widen the recomputation bound by ``2·D·2⁻¹⁴⁹`` (``_underflow_term``), so such
    inputs get the same distances as the other methods.

    Finding the pairs to recompute takes one read-only pass over each block of the result
    (no measurable slowdown in ``benchmarks/bench_distances.py``), and real images rarely
    have such near pairs; on data made of (near-)duplicates the recomputation costs about
    what ``"one_loop"`` costs for those pairs.

    Memory
    ------
    Besides the ``M·N·8``-byte result, at most:

    * float64 copies of inputs that are not float64 already (``(M + N)·D·8`` bytes for
      uint8 input; none for float64 input, none for float32 input to the no-loop L2);
    * temporaries of at most :data:`WORKING_MEMORY_BYTES` (64 MiB): the loop methods and
      the no-loop L2 size their blocks to fit it; with ``chunk_size`` given, the no-loop L2
      uses ``chunk_size·D·8`` bytes (``chunk_size·D·4`` + ``chunk_size·N·4`` for float32
      input) instead; the no-loop L2's recomputation of near-zero pairs uses at most
      another :data:`WORKING_MEMORY_BYTES` (+ ``N·9`` bytes of indices and comparisons);
    * for the no-loop L1, one reused tile of differences of at most
      :data:`L1_TILE_BYTES` (2 MiB); with ``chunk_size`` given, ``chunk_size × b × D``
      values with ``b ≥ 1`` as large as fits.

    No ``(M, N, D)`` array is ever formed. For all of CIFAR-10 as uint8 (M = 10,000,
    N = 50,000, D = 3,072) that is a 4.0 GB result + 1.5 GB of float64 copies + 64 MiB,
    instead of the 12.3 TB that a float64 ``(M, N, D)`` array would take.

    Raises
    ------
    TypeError
        An input is not a real numeric array; ``metric``/``method`` is not a string;
        ``chunk_size`` is not an integer.
    ValueError
        An input is not 2-D, is empty or holds NaN/inf; the numbers of columns (D) differ;
        unknown ``metric`` or ``method``; ``chunk_size`` < 1.

    Source: lecture part "the k-nearest neighbor" (L1 and L2 formulas); the three versions
    and the ‖a‖² + ‖b‖² − 2a·b trick follow CS231n assignment 1 (k-NN). Notebook ``02_knn``.
    """
    metric = check_choice(metric, "metric", METRICS)
    method = check_choice(method, "method", METHODS)
    if chunk_size is not None:
        chunk_size = check_int(chunk_size, "chunk_size", low=1)
    X_test, X_train = _prepare(X_test, X_train, metric, method)
    return _pairwise(X_test, X_train, metric, method, chunk_size)


def _pairwise(X_test, X_train, metric, method, chunk_size=None, train_sq=None) -> np.ndarray:
    """pairwise_distances on checked inputs already in the working dtype."""
    out = np.empty((X_test.shape[0], X_train.shape[0]), dtype=np.float64)
    if method == "two_loops":
        _two_loops(X_test, X_train, metric, out)
    elif method == "one_loop":
        _one_loop(X_test, X_train, metric, out)
    elif metric == "l2":
        _no_loops_l2(X_test, X_train, out, chunk_size, train_sq)
    else:
        _no_loops_l1(X_test, X_train, out, chunk_size)
    return out

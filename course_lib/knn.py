"""The k-nearest-neighbour classifier: memorise the training set, then vote.

Training is memorising (no arithmetic at all); predicting a test sample means computing its
distance to every training sample, taking the k closest and letting their labels vote.

Tie rules (stated once, used everywhere and tested):

* **equal distances**: the training sample with the lower index counts as nearer (the order
  of a *stable* sort of the distances);
* **equal votes**: among the labels with the most votes, the smallest label wins.

Introduced in ``notebooks/02_knn.ipynb``; notebook ``03_cross_validation`` chooses ``k``
and the distance with it.
"""

from __future__ import annotations

import numpy as np

from . import distances as _distances
from ._validation import as_float_array, check_choice, check_int, check_label_range, check_labels

__all__ = [
    "nearest_neighbors",
    "vote_counts",
    "predict_from_distances",
    "KNearestNeighbor",
]


def _check_dists(dists) -> np.ndarray:
    return as_float_array(dists, "dists", ndim=2)


def _check_k(k, n: int) -> int:
    k = check_int(k, "k", low=1)
    if k > n:
        raise ValueError(
            f"k must be an integer in [1, {n}] (the number of training samples), got {k}"
        )
    return k


def _rows_per_block(n: int) -> int:
    # the sort/partition temporaries are a few (rows, N) arrays of 8 bytes
    return max(1, _distances.WORKING_MEMORY_BYTES // (4 * 8 * max(1, n)))


def _nearest_block(d: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k smallest entries of each row, nearest first, ties → lower index."""
    m, n = d.shape
    if k == n:
        return np.argsort(d, axis=1, kind="stable")
    # A partial sort finds the k smallest in O(n); it is correct up to ties at the boundary
    # (several entries equal to the k-th smallest, not all of which fit). Those rows, rare
    # with real data, fall back to a full stable sort.
    idx = np.argpartition(d, k - 1, axis=1)[:, :k]
    kth = np.take_along_axis(d, idx[:, k - 1:k], axis=1)
    ambiguous = np.count_nonzero(d <= kth, axis=1) > k
    idx.sort(axis=1)  # ascending index, so the stable sort below puts lower indices first
    order = np.argsort(np.take_along_axis(d, idx, axis=1), axis=1, kind="stable")
    idx = np.take_along_axis(idx, order, axis=1)
    if ambiguous.any():
        rows = np.flatnonzero(ambiguous)
        idx[rows] = np.argsort(d[rows], axis=1, kind="stable")[:, :k]
    return idx


def nearest_neighbors(dists, k: int) -> np.ndarray:
    """The indices of the ``k`` nearest training samples of every test sample.

    Parameters
    ----------
    dists : array_like of float, shape (M, N)
        ``dists[i, j]`` is the distance from test sample i to training sample j (from
        :func:`course_lib.distances.pairwise_distances`).
    k : int, 1 ≤ k ≤ N

    Returns
    -------
    numpy.ndarray of int64, shape (M, k)
        Row i lists training indices from nearest to farthest. Equal distances: the lower
        training index comes first (exactly the order of a stable sort, e.g.
        ``np.argsort(dists, axis=1, kind="stable")[:, :k]``, but faster for small k).

    Raises
    ------
    TypeError
        ``dists`` is not numeric; ``k`` is not an integer.
    ValueError
        ``dists`` is not 2-D, is empty or holds NaN/inf; ``k`` outside [1, N].

    Source: lecture part "the k-nearest neighbor" (the k closest images). Notebook ``02_knn``.
    """
    d = _check_dists(dists)
    k = _check_k(k, d.shape[1])
    rows = _rows_per_block(d.shape[1])
    return np.concatenate(
        [_nearest_block(d[s:s + rows], k) for s in range(0, d.shape[0], rows)]
    ).astype(np.int64, copy=False)


def _check_votes_input(dists, y_train):
    d = _check_dists(dists)
    y_train = check_labels(y_train, "y_train")
    if len(y_train) != d.shape[1]:
        raise ValueError(
            f"y_train has {len(y_train)} labels but dists has {d.shape[1]} columns (one per "
            "training sample); they must match"
        )
    return d, y_train


def _compact_votes(neighbor_labels: np.ndarray):
    """Votes counted over the labels that occur, not over ``0 … max(label)``.

    ``neighbor_labels`` (M, k) int → ``(classes, counts)``: ``classes`` the distinct labels,
    ascending, shape (U,); ``counts`` (M, U) int64, ``counts[i, j]`` the votes of row i for
    ``classes[j]``. Memory is O(M · U) however large the label values are (labels such as
    ``10**9`` would otherwise need a column per unused label). Because ``classes`` is
    ascending, ``classes[np.argmax(counts, axis=1)]`` picks the smallest of tied labels.
    """
    classes, codes = np.unique(neighbor_labels, return_inverse=True)
    codes = codes.reshape(neighbor_labels.shape).astype(np.int64, copy=False)
    m, u = codes.shape[0], classes.size
    flat = codes + u * np.arange(m, dtype=np.int64)[:, None]
    counts = np.bincount(flat.ravel(), minlength=m * u).reshape(m, u)
    return classes, counts


def vote_counts(dists, y_train, k: int, num_classes: int | None = None) -> np.ndarray:
    """How many of the ``k`` nearest training samples carry each label.

    Parameters
    ----------
    dists : array_like of float, shape (M, N)
        Test-to-training distances.
    y_train : array_like of int, shape (N,)
        Training labels in [0, C).
    k : int, 1 ≤ k ≤ N
        The number of neighbours that vote (equal distances: lower index nearer).
    num_classes : int, optional
        C (default: ``max(y_train) + 1``).

    Returns
    -------
    counts : numpy.ndarray of int64, shape (M, C)
        ``counts[i, c]`` is the number of votes for class c; each row sums to k.

    Raises
    ------
    TypeError
        Non-numeric ``dists``; non-integer ``y_train``, ``k`` or ``num_classes``.
    ValueError
        Bad shapes (``y_train`` must have N entries), NaN/inf distances, ``k`` outside
        [1, N], a label outside [0, num_classes); without ``num_classes``, labels so sparse
        that ``max(y_train) + 1`` is more than 10 times the number of distinct labels and
        more than 1000 (e.g. ``[0, 10**9]``: the (M, C) table would be mostly empty columns;
        relabel with ``np.unique(y_train, return_inverse=True)``, or use
        :func:`predict_from_distances`, which counts only the labels present).

    Source: lecture part "the k-nearest neighbor" (the most recurring label among the k
    nearest). Notebook ``02_knn`` (the 2-D demo shows the votes' ties).
    """
    d, y_train = _check_votes_input(dists, y_train)
    if num_classes is None:
        num_classes = check_label_range(
            y_train, "y_train",
            remedy="use predict_from_distances (it counts only the labels present)",
        )
    else:
        num_classes = check_int(num_classes, "num_classes", low=1)
        check_labels(y_train, "y_train", num_classes=num_classes)
    classes, compact = _compact_votes(y_train[nearest_neighbors(d, k)])
    counts = np.zeros((d.shape[0], num_classes), dtype=np.int64)
    counts[:, classes] = compact
    return counts


def predict_from_distances(dists, y_train, k: int) -> np.ndarray:
    """Predict labels by a majority vote of the ``k`` nearest training samples.

    Parameters
    ----------
    dists : array_like of float, shape (M, N)
        Test-to-training distances (see :func:`course_lib.distances.pairwise_distances`).
    y_train : array_like of int, shape (N,)
        Training labels in [0, C).
    k : int, 1 ≤ k ≤ N

    Returns
    -------
    y_pred : numpy.ndarray of int64, shape (M,)
        The label with the most votes among the k nearest. Ties: among equally distant
        training samples the lower index is nearer; among labels with equally many votes
        the smallest label wins. Votes are counted over the labels that occur, so the
        memory used does not grow with the label values (``y_train = [0, 10**9]`` is fine).

    Raises
    ------
    TypeError
        Non-numeric ``dists``; non-integer ``y_train`` or ``k``.
    ValueError
        ``dists`` not 2-D, empty or non-finite; ``y_train`` not of length N or with
        negative labels; ``k`` outside [1, N].

    Source: lecture part "the k-nearest neighbor" (test: the most recurring label among
    the k nearest); CS231n assignment 1 ``predict_labels``. Notebook ``02_knn``.
    """
    d, y_train = _check_votes_input(dists, y_train)
    classes, counts = _compact_votes(y_train[nearest_neighbors(d, k)])
    # argmax: the first (smallest, classes are ascending) of the tied labels
    return classes[np.argmax(counts, axis=1)].astype(np.int64, copy=False)


class KNearestNeighbor:
    """The k-nearest-neighbour classifier with the L1 or L2 distance.

    ``fit`` memorises the training set (by reference: nothing is copied unless the labels
    need a dtype conversion); ``predict`` computes distances to all of it and votes. ``k``
    and the distance are chosen at prediction time, so one fitted model serves every
    hyperparameter setting (notebook 03 uses this).

    Attributes
    ----------
    X_train : numpy.ndarray, shape (N, D)
        The memorised training samples, the very array passed to :meth:`fit` (changing it
        afterwards changes the model).
    y_train : numpy.ndarray of int64, shape (N,)
        Their labels.

    Source: lecture part "the k-nearest neighbor" (training = memorising); CS231n
    assignment 1 ``KNearestNeighbor``. Notebook ``02_knn``.
    """

    def __init__(self):
        self.X_train = None
        self.y_train = None

    def __repr__(self) -> str:
        if self.X_train is None:
            return "KNearestNeighbor(not fitted)"
        return f"KNearestNeighbor(N={self.X_train.shape[0]}, D={self.X_train.shape[1]})"

    def fit(self, X, y) -> "KNearestNeighbor":
        """Memorise the training set.

        Parameters
        ----------
        X : array_like, shape (N, D), any real dtype (uint8 allowed: converted when
            distances are computed)
        y : array_like of int, shape (N,), labels in [0, C)

        Returns
        -------
        self

        Raises
        ------
        TypeError
            ``X`` not numeric; ``y`` not integer.
        ValueError
            ``X`` not 2-D, empty or non-finite; ``y`` not 1-D, of another length than X's
            rows, or with negative labels.
        """
        arr = _distances._check_samples(X, "X")  # no copy, no conversion
        y = check_labels(y, "y", n=np.shape(arr)[0])
        self.X_train = arr
        self.y_train = y
        return self

    def distances(self, X, distance: str = "l2", method: str = "no_loops") -> np.ndarray:
        """The distances from the rows of ``X`` to the memorised training samples.

        Parameters
        ----------
        X : array_like, shape (M, D), any real dtype
        distance : {"l2", "l1"}
        method : {"no_loops", "one_loop", "two_loops"}

        Returns
        -------
        dists : numpy.ndarray of float64, shape (M, N)
            As :func:`course_lib.distances.pairwise_distances` (same memory bound).

        Raises
        ------
        RuntimeError
            :meth:`fit` was not called.
        TypeError / ValueError
            As :func:`course_lib.distances.pairwise_distances` (the argument names there are
            ``X_test`` for ``X`` and ``metric`` for ``distance``).
        """
        self._check_fitted()
        return _distances.pairwise_distances(X, self.X_train, metric=distance, method=method)

    def predict(self, X, k: int = 1, distance: str = "l2", method: str = "no_loops") -> np.ndarray:
        """Predict a label for each row of ``X``.

        Parameters
        ----------
        X : array_like, shape (M, D), any real dtype
        k : int, 1 ≤ k ≤ N
            How many nearest training samples vote.
        distance : {"l2", "l1"}
        method : {"no_loops", "one_loop", "two_loops"}
            How the distances are computed (same result, different speed).

        Returns
        -------
        y_pred : numpy.ndarray of int64, shape (M,)
            Ties as in :func:`predict_from_distances`.

        Memory: test rows are processed in blocks, so at most about
        ``course_lib.distances.WORKING_MEMORY_BYTES`` of distances are held at once
        (never the whole ``(M, N)`` matrix when it is larger).

        Raises
        ------
        RuntimeError
            :meth:`fit` was not called.
        TypeError
            ``X`` not numeric; ``k`` not an integer; ``distance``/``method`` not a string.
        ValueError
            ``X`` not 2-D, empty or non-finite; ``X`` has a different number of features
            than the training data; ``k`` outside [1, N]; unknown ``distance``/``method``.
        """
        self._check_fitted()
        n, D = self.X_train.shape
        k = _check_k(k, n)
        distance = check_choice(distance, "distance", _distances.METRICS)
        method = check_choice(method, "method", _distances.METHODS)
        arr = _distances._check_samples(X, "X")
        if arr.shape[1] != D:
            raise ValueError(
                f"X has {arr.shape[1]} features per row but the training data has {D}; "
                "they must match (flatten test images the same way as training images)"
            )
        # Convert once (not once per block) and keep the training norms for all blocks.
        dtype = _distances._work_dtype(arr.dtype, self.X_train.dtype, distance, method)
        X_train = self.X_train.astype(dtype, copy=False)
        train_sq = _distances._squared_norms(X_train) if (
            distance == "l2" and method == "no_loops") else None
        rows = max(1, _distances.WORKING_MEMORY_BYTES // (8 * n))
        preds = []
        for start in range(0, arr.shape[0], rows):
            block = arr[start:start + rows].astype(dtype, copy=False)
            dists = _distances._pairwise(block, X_train, distance, method, train_sq=train_sq)
            preds.append(predict_from_distances(dists, self.y_train, k))
        return np.concatenate(preds)

    def _check_fitted(self):
        if self.X_train is None:
            raise RuntimeError("this KNearestNeighbor is not fitted yet: call fit(X, y) first")


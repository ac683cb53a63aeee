"""The linear classifier: one score per class, scores = X @ W + b.

Notebook 04. The lecture writes f(x_i, W, b) = W x_i + b for one image as a column; the
course's W (D, C) is that matrix transposed, so that X @ W + b scores all N rows at once.
The bias trick folds b into W as one more row. Trained in notebook 06 with optimization.sgd.
"""

from __future__ import annotations

import numpy as np

from .checks import check_array, check_choice, check_float, check_int, check_labels, check_seed, check_X
from .losses import softmax_loss_vectorized, svm_loss_vectorized
from .metrics import accuracy
from .optimization import sgd

__all__ = ["linear_scores", "append_bias_column", "fold_bias", "unfold_bias", "LinearClassifier"]


def _check_X_fits_W(X, W) -> np.ndarray:
    """X (N, D) float64 with as many columns as W (D, C) has rows."""
    X = check_X(X)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; X @ W needs them equal "
                         "(flatten the images the same way; W is (D, C), the lecture's matrix transposed)")
    return X


def _check_W_b(W, b) -> tuple[np.ndarray, np.ndarray]:
    """W (D, C) and b (C,) float64, one bias per column of W."""
    W, b = check_array(W, "W", ndim=2), check_array(b, "b", ndim=1)
    if b.shape[0] != W.shape[1]:
        raise ValueError(f"b has {b.shape[0]} entries but W has {W.shape[1]} columns; b needs one per class")
    return W, b


def linear_scores(X, W, b) -> np.ndarray:
    """Class scores of every row: scores = X @ W + b.

    X (N, D) real (uint8 becomes float64), W (D, C), b (C,). Returns scores (N, C) float64;
    scores[i, c] says how much image i looks like class c.
    Raises TypeError for non-numeric input, ValueError for wrong dimensions, empty or non-finite
    input, or shapes that do not fit together. Notebook 04.
    """
    W, b = _check_W_b(W, b)
    X = _check_X_fits_W(X, W)
    return X @ W + b


def append_bias_column(X) -> np.ndarray:
    """The bias trick, data half: X with a column of ones appended.

    X (N, D) real. Returns (N, D + 1) float64 (a new array).
    Raises TypeError / ValueError for non-numeric, non-2-D, empty or non-finite X. Notebook 04.
    """
    X = check_X(X)
    return np.hstack([X, np.ones((X.shape[0], 1))])


def fold_bias(W, b) -> np.ndarray:
    """The bias trick, weight half: b stacked under W as one more row.

    W (D, C), b (C,). Returns W_folded (D + 1, C) float64, so that
    append_bias_column(X) @ fold_bias(W, b) equals X @ W + b.
    Raises TypeError / ValueError for bad W or b, or len(b) ≠ C. Notebook 04.
    """
    W, b = _check_W_b(W, b)
    return np.vstack([W, b])


def unfold_bias(W_folded) -> tuple[np.ndarray, np.ndarray]:
    """Undo fold_bias: W_folded (D + 1, C) → (W (D, C), b (C,)), both float64 copies.

    Raises TypeError / ValueError for non-numeric, non-2-D or non-finite W_folded, or fewer
    than 2 rows. Notebook 04.
    """
    W_folded = check_array(W_folded, "W_folded", ndim=2)
    if W_folded.shape[0] < 2:
        raise ValueError(f"W_folded must have at least 2 rows (D rows of weights, then the bias row), "
                         f"got shape {W_folded.shape}")
    return W_folded[:-1].copy(), W_folded[-1].copy()


class LinearClassifier:
    """A linear classifier with W (D, C) drawn as weight_scale · N(0, 1) (seeded) and b = 0.

    num_features D int ≥ 1, num_classes C int ≥ 2, weight_scale ≥ 0, seed int ≥ 0.
    Attributes: W (D, C), b (C,) float64; num_parameters = D·C + C. Raises TypeError /
    ValueError for bad arguments. Notebook 04; fit in notebook 06.
    """

    def __init__(self, num_features, num_classes, *, weight_scale=1e-3, seed=0):
        num_features = check_int(num_features, "num_features", low=1)
        num_classes = check_int(num_classes, "num_classes", low=2)
        weight_scale = check_float(weight_scale, "weight_scale", low=0.0)
        rng = np.random.default_rng(check_seed(seed))
        self.W = weight_scale * rng.standard_normal((num_features, num_classes))
        self.b = np.zeros(num_classes)

    @property
    def num_parameters(self) -> int:
        """The number of learned values, D · C weights + C biases."""
        return self.W.size + self.b.size

    def scores(self, X) -> np.ndarray:
        """scores = X @ W + b, (N, C) float64 for X (N, D) real.

        Raises TypeError / ValueError for bad X or another number of columns than D (linear_scores).
        """
        return linear_scores(X, self.W, self.b)

    def predict(self, X) -> np.ndarray:
        """The class with the highest score for every row of X (N, D): (N,) int64 (ties: lowest class).

        Raises as scores.
        """
        return np.argmax(self.scores(X), axis=1)

    def accuracy(self, X, y) -> float:
        """Fraction of rows of X (N, D) predicted as their label y (N,) in [0, C): a float in [0, 1].

        Raises TypeError / ValueError for bad X, non-integer labels, labels outside [0, C) or a
        different number of labels than rows.
        """
        X = check_X(X)
        y = check_labels(y, "y", num_samples=X.shape[0], num_classes=self.W.shape[1])
        return accuracy(y, self.predict(X))

    def fit(self, X, y, *, loss="svm", learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, seed=0,
            callback=None) -> list[float]:
        """Train W and b from their current values with optimization.sgd; returns the loss history.

        X (N, D), y (N,) int labels in [0, C); loss "svm" or "softmax" (the vectorized losses);
        the other arguments go to sgd on the bias-trick arrays (callback gets W_folded (D + 1, C)).
        Raises TypeError / ValueError for bad arguments, TrainingDiverged (the model is then
        left unchanged).
        """
        X = _check_X_fits_W(X, self.W)
        loss = check_choice(loss, "loss", ("svm", "softmax"))
        loss_fn = svm_loss_vectorized if loss == "svm" else softmax_loss_vectorized
        W_folded, history = sgd(loss_fn, fold_bias(self.W, self.b), append_bias_column(X), y,
                                learning_rate=learning_rate, reg=reg, batch_size=batch_size,
                                num_iters=num_iters, seed=seed, callback=callback)
        self.W, self.b = unfold_bias(W_folded)
        return history

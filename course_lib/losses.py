"""How bad are the scores? The multiclass hinge (SVM) loss and the softmax cross-entropy loss.

Notebook 05 (after CS231n's ``linear_svm.py`` and ``softmax.py``). Full loss = MEAN of the
per-image losses L_i + reg · Σ W² (so its gradient has + 2 · reg · W). Every ``*_loss_*``
function is ``(W, X, y, reg) -> (loss, dW)``: the naive ones loop over images and classes,
the vectorized ones have no Python loop and give the same numbers.
"""

from __future__ import annotations

import numpy as np

from .checks import check_array, check_labels, check_W_X_y

__all__ = ["SVM_DELTA", "softmax", "hinge_loss", "cross_entropy", "l2_penalty", "l1_penalty",
           "svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized"]

#: The margin Δ of the hinge loss: the correct score should beat every other score by 1.
SVM_DELTA = 1.0


def _check_scores_y(scores, y) -> tuple[np.ndarray, np.ndarray]:
    """scores (N, C) float64 and y (N,) int64 labels in [0, C)."""
    scores = check_array(scores, "scores", ndim=2)
    return scores, check_labels(y, "y", num_samples=scores.shape[0], num_classes=scores.shape[1],
                                samples_name="scores")


def softmax(scores) -> np.ndarray:
    """Class probabilities p_k = exp(s_k) / Σ_j exp(s_j), row by row.

    scores (N, C) (or one row (C,)) real. Returns float64 of the same shape, each row summing to 1.
    The row maximum is subtracted first: same result, and no overflow for scores of ±1000.
    Raises TypeError for non-numeric scores, ValueError for other shapes, empty or non-finite
    scores. Notebook 05.
    """
    scores = check_array(scores, "scores", ndim=(1, 2))
    exp_scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exp_scores / exp_scores.sum(axis=-1, keepdims=True)


def hinge_loss(scores, y) -> np.ndarray:
    """Per-image multiclass hinge loss L_i = Σ_{j ≠ y_i} max(0, s_j − s_{y_i} + Δ), Δ = SVM_DELTA.

    scores (N, C) real; y (N,) int labels in [0, C). Returns L (N,) float64, in score units.
    Raises TypeError for non-numeric scores or non-integer y, ValueError for non-2-D or
    non-finite scores, a different number of labels than rows, or a label outside [0, C).
    Notebook 05.
    """
    scores, y = _check_scores_y(scores, y)
    rows = np.arange(len(y))
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + SVM_DELTA)
    margins[rows, y] = 0.0                     # the correct class is not compared with itself
    return margins.sum(axis=1)


def cross_entropy(scores, y) -> np.ndarray:
    """Per-image softmax cross-entropy L_i = −log p_{y_i} = log Σ_j exp(s_j) − s_{y_i}.

    scores (N, C) real; y (N,) int labels in [0, C). Returns L (N,) float64 in nats, computed
    as log-sum-exp (row maximum subtracted) minus the correct score: finite for any finite scores.
    Raises as hinge_loss. Notebook 05.
    """
    scores, y = _check_scores_y(scores, y)
    shifted = scores - scores.max(axis=1, keepdims=True)
    return np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(y)), y]


def l2_penalty(W) -> float:
    """The L2 penalty R(W) = Σ W² (no factor ½: the loss adds reg · Σ W², the gradient 2 · reg · W).

    W: real array of any shape. Returns a float ≥ 0.
    Raises TypeError for non-numeric W, ValueError for empty or non-finite W. Notebook 05.
    """
    W = check_array(W, "W")
    return float(np.sum(W * W))


def l1_penalty(W) -> float:
    """The L1 penalty R(W) = Σ |W|.

    W: real array of any shape. Returns a float ≥ 0.
    Raises TypeError for non-numeric W, ValueError for empty or non-finite W. Notebook 05.
    """
    W = check_array(W, "W")
    return float(np.sum(np.abs(W)))


def svm_loss_naive(W, X, y, reg):
    """Hinge loss and its gradient with loops over images and classes (CS231n's svm_loss_naive).

    W (D, C), X (N, D) real (uint8 becomes float64); y (N,) int labels in [0, C); reg ≥ 0.
    Returns (loss, dW): loss float = mean L_i + reg · Σ W², dW (D, C) float64 = ∂loss/∂W.
    Raises TypeError / ValueError for bad arguments (checks.check_W_X_y). Notebook 05.
    """
    W, X, y, reg = check_W_X_y(W, X, y, reg)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        correct_class_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue
            margin = scores[j] - correct_class_score + SVM_DELTA
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]               # raising s_j raises the loss ...
                dW[:, y[i]] -= X[i]            # ... raising s_{y_i} lowers it
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    return float(loss), dW


def svm_loss_vectorized(W, X, y, reg):
    """Hinge loss and its gradient without a Python loop; the same numbers as svm_loss_naive.

    W (D, C), X (N, D), y (N,), reg ≥ 0 as svm_loss_naive. Returns (loss float, dW (D, C)).
    Raises as svm_loss_naive. Notebook 05.
    """
    W, X, y, reg = check_W_X_y(W, X, y, reg)
    num_train, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + SVM_DELTA)
    margins[rows, y] = 0.0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    dscores = (margins > 0).astype(np.float64)     # +1 for every class whose margin is violated
    dscores[rows, y] = -dscores.sum(axis=1)        # −1 per violation for the correct class
    dW = X.T @ dscores / num_train + 2 * reg * W
    return float(loss), dW


def softmax_loss_naive(W, X, y, reg):
    """Softmax cross-entropy loss and its gradient with loops (CS231n's softmax_loss_naive).

    W (D, C), X (N, D) real (uint8 becomes float64); y (N,) int labels in [0, C); reg ≥ 0.
    Returns (loss, dW): loss float = mean L_i + reg · Σ W² (nats), dW (D, C) float64.
    Stable: each row's maximum score is subtracted, L_i is computed as log-sum-exp.
    Raises TypeError / ValueError for bad arguments (checks.check_W_X_y). Notebook 05.
    """
    W, X, y, reg = check_W_X_y(W, X, y, reg)
    num_train, num_classes = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        scores = scores - np.max(scores)           # the largest exponent becomes 0: no overflow
        sum_exp = np.sum(np.exp(scores))
        loss += np.log(sum_exp) - scores[y[i]]     # −log p_{y_i}
        for j in range(num_classes):
            p_j = np.exp(scores[j]) / sum_exp
            dW[:, j] += (p_j - (j == y[i])) * X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax loss and its gradient without a Python loop; the same numbers as softmax_loss_naive.

    W (D, C), X (N, D), y (N,), reg ≥ 0 as softmax_loss_naive. Returns (loss float, dW (D, C)).
    Raises as softmax_loss_naive. Notebook 05.
    """
    W, X, y, reg = check_W_X_y(W, X, y, reg)
    num_train, rows = X.shape[0], np.arange(X.shape[0])
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(scores).sum(axis=1))
    loss = np.mean(log_sum_exp - scores[rows, y]) + reg * np.sum(W * W)
    dscores = np.exp(scores - log_sum_exp[:, None])    # the probabilities p
    dscores[rows, y] -= 1                              # p − 1 for the correct class
    dW = X.T @ dscores / num_train + 2 * reg * W
    return float(loss), dW

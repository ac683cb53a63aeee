"""Loss functions for the linear classifier: multiclass hinge (SVM), softmax cross-entropy,
and the regularisation penalties.

Introduced in ``notebooks/05_losses.ipynb`` (lecture part 2, "The loss function").

The full loss of a linear classifier with weights ``W`` on ``N`` examples is

    L(W) = (1/N) * sum_i L_i  +  reg * R(W)

* ``(1/N) * sum_i L_i`` is the **data loss**: the *mean* of the per-example losses ``L_i``
  (not their sum, so the size of ``reg`` does not depend on how many examples there are);
* ``reg`` is the **regularisation strength** λ (a hyperparameter ≥ 0; it is *not* the
  learning rate, which is the step size of gradient descent in notebook 06);
* ``R(W)`` is the **regularisation penalty**. The one convention used everywhere in this
  course is the L2 penalty without a factor ½::

      R(W) = sum(W**2)       so the loss adds   reg * sum(W**2)
                             and its gradient is 2 * reg * W

  Every entry of the ``W`` that is passed in is regularised. With the bias trick (a column
  of ones appended to ``X``, see ``course_lib.linear``) that includes the bias row, as in
  CS231n's assignment 1; the effect is negligible and it keeps one code path.

Every ``*_loss_*`` function has the signature ``(W, X, y, reg) -> (loss, dW)``:

============  ==============================================================
argument      meaning
============  ==============================================================
``W``         weights, shape ``(D, C)`` (``D`` may include the bias row)
``X``         data, shape ``(N, D)``, one example per row (ints → float64)
``y``         integer labels, shape ``(N,)``, values in ``[0, C)``
``reg``       regularisation strength λ, a float ≥ 0
``loss``      Python ``float``: mean data loss + ``reg * sum(W**2)``
``dW``        gradient of ``loss`` with respect to ``W``, float64 ``(D, C)``
============  ==============================================================

Each loss comes twice: a *naive* version with explicit Python loops that mirrors the maths
one example and one class at a time, and a *vectorised* version with whole-array numpy
operations. They compute the same numbers (the tests check it); the vectorised one is the
one to use for training.

Numerical stability: the softmax subtracts each row's maximum score before exponentiating
(this does not change the probabilities), and the cross-entropy is computed with the
log-sum-exp form ``L_i = log(sum_j exp(s_j - m)) - (s_{y_i} - m)``, never as ``-log`` of a
probability that could underflow to 0. Scores of ±1000 (or ±1e4) give finite, correct
results.

Source: lecture part 2 ("The loss function", "Multiclass SVM loss (Hinge Loss)", "Softmax
classifier (Cross-entropy loss)", "Regularization"); CS231n notes "Linear classification"
(https://cs231n.github.io/linear-classify/) and assignment 1 (``linear_svm.py``,
``softmax.py``).
"""

from __future__ import annotations

import numpy as np

from ._validation import _asarray, as_float_array, check_labels, check_nonnegative_float

__all__ = [
    "SVM_DELTA",
    "svm_loss_naive",
    "svm_loss_vectorized",
    "softmax_loss_naive",
    "softmax_loss_vectorized",
    "softmax",
    "hinge_loss",
    "cross_entropy",
    "l2_penalty",
    "l2_penalty_grad",
    "l1_penalty",
    "l1_penalty_grad",
]

#: The margin Δ of the multiclass hinge loss used by ``svm_loss_naive``/``svm_loss_vectorized``.
SVM_DELTA = 1.0


# ----------------------------------------------------------------------------- validation


def _check_scores_labels(scores, y, scores_name: str = "scores"):
    """Validate ``scores (N, C)`` and ``y (N,)``; return float64 scores and int64 labels."""
    scores = as_float_array(scores, scores_name, ndim=2)
    n, c = scores.shape
    y_arr = _asarray(y, "y") if not isinstance(y, (str, bytes)) and y is not None else y
    if isinstance(y_arr, np.ndarray) and y_arr.ndim == 1 and y_arr.shape[0] != n:
        raise ValueError(
            f"y has {y_arr.shape[0]} labels but {scores_name} has {n} rows; they must match "
            f"(shapes {y_arr.shape} and {scores.shape})"
        )
    y = check_labels(y, "y", num_classes=c, n=n)
    return scores, y


def _check_loss_inputs(W, X, y, reg):
    """Validate the ``(W, X, y, reg)`` arguments of the ``*_loss_*`` functions.

    Returns ``W`` and ``X`` as float64, ``y`` as int64 and ``reg`` as float.
    """
    W = as_float_array(W, "W", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[1]} columns (features D) but W has {W.shape[0]} rows; they must "
            f"match (shapes X {X.shape} and W {W.shape}; with the bias trick both include the "
            f"bias, see course_lib.linear.append_bias_column)"
        )
    y_arr = _asarray(y, "y") if not isinstance(y, (str, bytes)) and y is not None else y
    if isinstance(y_arr, np.ndarray) and y_arr.ndim == 1 and y_arr.shape[0] != X.shape[0]:
        raise ValueError(
            f"y has {y_arr.shape[0]} labels but X has {X.shape[0]} rows; they must match "
            f"(shapes y {y_arr.shape} and X {X.shape})"
        )
    y = check_labels(y, "y", num_classes=W.shape[1], n=X.shape[0])
    reg = check_nonnegative_float(reg, "reg")
    return W, X, y, reg


# ----------------------------------------------------------------------------- score level


def softmax(scores) -> np.ndarray:
    """Turn class scores into probabilities: ``p_k = exp(s_k) / sum_j exp(s_j)`` per row.

    Each row is shifted by its own maximum before exponentiating, which leaves the result
    unchanged (the factor ``exp(-max)`` cancels) but keeps every exponent ≤ 0, so scores of
    ±1000 give finite, correct probabilities instead of ``inf / inf = nan``.

    Parameters
    ----------
    scores : array_like of float, shape (N, C), or (C,) for a single example
        Unnormalised class scores (logits), e.g. ``X @ W + b``.

    Returns
    -------
    numpy.ndarray of float64, the same shape as ``scores``: probabilities in [0, 1], each row
    summing to 1.

    Raises
    ------
    TypeError
        Non-numeric ``scores``.
    ValueError
        ``scores`` not 1-D or 2-D, empty, or containing NaN/inf.

    Source: lecture part 2 ("Softmax classifier": P(Y = k | X = x_i) = e^{s_k} / sum_j e^{s_j});
    CS231n notes "Linear classification", practical issue "numeric stability".
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    scores = as_float_array(scores, "scores", ndim=(1, 2))
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def hinge_loss(scores, y, delta: float = 1.0) -> np.ndarray:
    """Per-example multiclass hinge (SVM) loss ``L_i = sum_{j != y_i} max(0, s_j - s_{y_i} + delta)``.

    A wrong class ``j`` costs nothing once the correct class's score beats it by at least
    ``delta``; otherwise it costs the amount by which the margin is missed.

    Parameters
    ----------
    scores : array_like of float, shape (N, C)
        Class scores, one row per example.
    y : array_like of int, shape (N,)
        Correct class of each example, in ``[0, C)``.
    delta : float ≥ 0, default 1.0
        The margin Δ (the lecture uses 1).

    Returns
    -------
    numpy.ndarray of float64, shape (N,): ``L_i`` ≥ 0 for each example (score units).

    Raises
    ------
    TypeError
        Non-numeric scores, non-integer labels, non-numeric ``delta``.
    ValueError
        ``scores`` not 2-D, ``y`` of the wrong length, a label outside ``[0, C)``,
        non-finite values, or ``delta`` < 0.

    Source: lecture part 2 ("Multiclass SVM loss (Hinge Loss)"); the worked example with
    scores 3.54 / 1.23 / -2.1 etc. gives L_i = 0, 0, 0.23.
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    scores, y = _check_scores_labels(scores, y)
    delta = check_nonnegative_float(delta, "delta")
    rows = np.arange(scores.shape[0])
    correct = scores[rows, y][:, None]
    margins = np.maximum(0.0, scores - correct + delta)
    margins[rows, y] = 0.0
    return margins.sum(axis=1)


def cross_entropy(scores, y) -> np.ndarray:
    """Per-example softmax cross-entropy ``L_i = -log( exp(s_{y_i}) / sum_j exp(s_j) )``.

    Computed in the stable log-sum-exp form ``L_i = log(sum_j exp(s_j - m)) - (s_{y_i} - m)``
    with ``m`` the row's maximum score, so a correct-class probability that would underflow
    to 0 still gives the right, finite loss (e.g. scores ``[1000, -1000]`` with the second
    class correct give ``L_i = 2000``).

    Parameters
    ----------
    scores : array_like of float, shape (N, C)
        Class scores (logits), one row per example.
    y : array_like of int, shape (N,)
        Correct class of each example, in ``[0, C)``.

    Returns
    -------
    numpy.ndarray of float64, shape (N,): ``L_i`` ≥ 0 in nats (natural logarithm).

    Raises
    ------
    TypeError
        Non-numeric scores or non-integer labels.
    ValueError
        ``scores`` not 2-D, ``y`` of the wrong length, a label outside ``[0, C)``, or
        non-finite values.

    Source: lecture part 2 ("Softmax classifier (Cross-entropy loss)").
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    scores, y = _check_scores_labels(scores, y)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_sum_exp = np.log(np.exp(shifted).sum(axis=1))
    return log_sum_exp - shifted[np.arange(scores.shape[0]), y]


# ----------------------------------------------------------------------------- regularisation


def l2_penalty(W) -> float:
    """The L2 regularisation penalty ``R(W) = sum(W**2)`` (no factor ½: the course's convention).

    The full loss adds ``reg * l2_penalty(W)``.

    Parameters
    ----------
    W : array_like of float, any shape (usually (D, C))

    Returns
    -------
    float ≥ 0 (units: weight²).

    Raises
    ------
    TypeError, ValueError
        Non-numeric, empty, or non-finite ``W``.

    Source: lecture part 2 ("Regularization": L2); CS231n notes "Linear classification".
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    W = as_float_array(W, "W")
    return float(np.sum(W * W))


def l2_penalty_grad(W) -> np.ndarray:
    """Gradient of :func:`l2_penalty`: ``dR/dW = 2 * W`` (float64, same shape as ``W``).

    The gradient of the loss's regularisation term is ``reg * l2_penalty_grad(W) = 2 * reg * W``.

    Raises ``TypeError``/``ValueError`` for non-numeric, empty, or non-finite ``W``.

    Source: lecture part 2 ("Regularization"). Introduced in ``notebooks/05_losses.ipynb``.
    """
    W = as_float_array(W, "W")
    return 2.0 * W


def l1_penalty(W) -> float:
    """The L1 regularisation penalty ``R(W) = sum(|W|)``.

    Parameters
    ----------
    W : array_like of float, any shape (usually (D, C))

    Returns
    -------
    float ≥ 0 (units: weight).

    Raises
    ------
    TypeError, ValueError
        Non-numeric, empty, or non-finite ``W``.

    Source: lecture part 2 ("Regularization": L1). Introduced in ``notebooks/05_losses.ipynb``.
    """
    W = as_float_array(W, "W")
    return float(np.sum(np.abs(W)))


def l1_penalty_grad(W) -> np.ndarray:
    """(Sub)gradient of :func:`l1_penalty`: ``sign(W)``, with 0 where an entry is exactly 0.

    ``|w|`` has a kink at 0; any value in [-1, 1] is a valid subgradient there and 0 is the
    conventional choice.

    Returns float64, same shape as ``W``. Raises ``TypeError``/``ValueError`` for
    non-numeric, empty, or non-finite ``W``.

    Source: lecture part 2 ("Regularization"). Introduced in ``notebooks/05_losses.ipynb``.
    """
    W = as_float_array(W, "W")
    return np.sign(W)


# ----------------------------------------------------------------------------- SVM (hinge)


def svm_loss_naive(W, X, y, reg):
    """Multiclass SVM (hinge) loss and its gradient, written with explicit loops.

    ``loss = (1/N) * sum_i sum_{j != y_i} max(0, s_ij - s_{i,y_i} + 1) + reg * sum(W**2)``
    with ``s_i = X[i] @ W``. For every wrong class ``j`` whose margin is violated
    (``s_ij - s_{i,y_i} + 1 > 0``), the gradient gets ``+X[i]`` in column ``j`` and ``-X[i]``
    in column ``y_i``. At a kink (margin exactly 0) the subgradient 0 is used.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
    X : array_like of float or int, shape (N, D) (integers are converted to float64)
    y : array_like of int, shape (N,), labels in [0, C)
    reg : float ≥ 0, the regularisation strength λ

    Returns
    -------
    loss : float
        Mean hinge loss over the N examples plus ``reg * sum(W**2)``.
    dW : numpy.ndarray of float64, shape (D, C)
        Gradient of ``loss`` with respect to ``W``.

    Raises
    ------
    TypeError
        Non-numeric ``W``/``X``/``reg`` or non-integer ``y``.
    ValueError
        ``W``/``X`` not 2-D; ``X``'s columns ≠ ``W``'s rows; ``y``'s length ≠ ``X``'s rows;
        a label outside ``[0, C)``; non-finite values; ``reg`` < 0.

    Source: lecture part 2 ("Multiclass SVM loss (Hinge Loss)"); CS231n assignment 1,
    ``linear_svm.svm_loss_naive``. Introduced in ``notebooks/05_losses.ipynb``.
    """
    W, X, y, reg = _check_loss_inputs(W, X, y, reg)
    num_train = X.shape[0]
    num_classes = W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W                        # (C,) scores of example i
        correct_score = scores[y[i]]
        for j in range(num_classes):
            if j == y[i]:
                continue                         # the correct class is not compared with itself
            margin = scores[j] - correct_score + SVM_DELTA
            if margin > 0:
                loss += margin
                dW[:, j] += X[i]                 # raising s_j raises the loss
                dW[:, y[i]] -= X[i]              # raising s_{y_i} lowers it
    loss /= num_train                            # data loss = mean of the L_i
    dW /= num_train
    loss += reg * np.sum(W * W)                  # + reg * R(W), R(W) = sum(W**2)
    dW += 2.0 * reg * W
    return float(loss), dW


def svm_loss_vectorized(W, X, y, reg):
    """Multiclass SVM (hinge) loss and its gradient, without Python loops.

    Same inputs, outputs, errors and numbers as :func:`svm_loss_naive` (see there), computed
    with whole-array numpy operations: all scores ``X @ W`` at once, a mask of the violated
    margins, and the gradient as one matrix product ``X.T @ mask``.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
    X : array_like of float or int, shape (N, D)
    y : array_like of int, shape (N,), labels in [0, C)
    reg : float ≥ 0

    Returns
    -------
    loss : float ; dW : numpy.ndarray of float64, shape (D, C)

    Raises
    ------
    TypeError, ValueError
        As :func:`svm_loss_naive`.

    Source: CS231n assignment 1, ``linear_svm.svm_loss_vectorized``.
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    W, X, y, reg = _check_loss_inputs(W, X, y, reg)
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W                                           # (N, C)
    correct = scores[rows, y][:, None]                       # (N, 1)
    margins = np.maximum(0.0, scores - correct + SVM_DELTA)  # (N, C)
    margins[rows, y] = 0.0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    # d loss / d scores: +1 for each violated wrong class, -(number of violations) for y_i.
    coeff = (margins > 0).astype(np.float64)
    coeff[rows, y] = -coeff.sum(axis=1)
    dW = X.T @ coeff / num_train + 2.0 * reg * W
    return float(loss), dW


# ----------------------------------------------------------------------------- softmax


def softmax_loss_naive(W, X, y, reg):
    """Softmax cross-entropy loss and its gradient, written with explicit loops.

    ``loss = (1/N) * sum_i -log( exp(s_{i,y_i}) / sum_j exp(s_ij) ) + reg * sum(W**2)``
    with ``s_i = X[i] @ W``. With ``p_ij`` the softmax probabilities, the gradient of
    ``L_i`` with respect to column ``j`` of ``W`` is ``(p_ij - [j == y_i]) * X[i]``.
    Each example's scores are shifted by their maximum and ``L_i`` is computed with
    log-sum-exp, so large scores (±1000) stay finite.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
    X : array_like of float or int, shape (N, D) (integers are converted to float64)
    y : array_like of int, shape (N,), labels in [0, C)
    reg : float ≥ 0, the regularisation strength λ

    Returns
    -------
    loss : float
        Mean cross-entropy (nats) over the N examples plus ``reg * sum(W**2)``.
    dW : numpy.ndarray of float64, shape (D, C)
        Gradient of ``loss`` with respect to ``W``.

    Raises
    ------
    TypeError
        Non-numeric ``W``/``X``/``reg`` or non-integer ``y``.
    ValueError
        ``W``/``X`` not 2-D; ``X``'s columns ≠ ``W``'s rows; ``y``'s length ≠ ``X``'s rows;
        a label outside ``[0, C)``; non-finite values; ``reg`` < 0.

    Source: lecture part 2 ("Softmax classifier (Cross-entropy loss)"); CS231n assignment 1,
    ``softmax.softmax_loss_naive``. Introduced in ``notebooks/05_losses.ipynb``.
    """
    W, X, y, reg = _check_loss_inputs(W, X, y, reg)
    num_train = X.shape[0]
    num_classes = W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W                        # (C,) scores of example i
        shifted = scores - np.max(scores)        # same probabilities, no overflow
        exp_scores = np.exp(shifted)
        sum_exp = np.sum(exp_scores)
        loss += np.log(sum_exp) - shifted[y[i]]  # -log p_{y_i}, via log-sum-exp
        for j in range(num_classes):
            p_j = exp_scores[j] / sum_exp
            indicator = 1.0 if j == y[i] else 0.0
            dW[:, j] += (p_j - indicator) * X[i]
    loss /= num_train                            # data loss = mean of the L_i
    dW /= num_train
    loss += reg * np.sum(W * W)                  # + reg * R(W), R(W) = sum(W**2)
    dW += 2.0 * reg * W
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    """Softmax cross-entropy loss and its gradient, without Python loops.

    Same inputs, outputs, errors and numbers as :func:`softmax_loss_naive` (see there):
    all scores at once, row-wise max shift and log-sum-exp, and the gradient
    ``X.T @ (P - Y_onehot) / N + 2 * reg * W``.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
    X : array_like of float or int, shape (N, D)
    y : array_like of int, shape (N,), labels in [0, C)
    reg : float ≥ 0

    Returns
    -------
    loss : float ; dW : numpy.ndarray of float64, shape (D, C)

    Raises
    ------
    TypeError, ValueError
        As :func:`softmax_loss_naive`.

    Source: CS231n assignment 1, ``softmax.softmax_loss_vectorized``.
    Introduced in ``notebooks/05_losses.ipynb``.
    """
    W, X, y, reg = _check_loss_inputs(W, X, y, reg)
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W                                       # (N, C)
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp_scores = np.exp(shifted)
    sum_exp = exp_scores.sum(axis=1, keepdims=True)      # (N, 1)
    data_loss = np.mean(np.log(sum_exp[:, 0]) - shifted[rows, y])
    loss = data_loss + reg * np.sum(W * W)
    dscores = exp_scores / sum_exp                       # probabilities P (N, C)
    dscores[rows, y] -= 1.0                              # P - one_hot(y)
    dW = X.T @ dscores / num_train + 2.0 * reg * W
    return float(loss), dW

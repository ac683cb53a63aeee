"""How good are predictions? Accuracy, the one number every notebook reports.

Introduced in ``notebooks/02_knn.ipynb``.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_labels

__all__ = ["accuracy"]


def accuracy(y_true, y_pred) -> float:
    """Fraction of predictions equal to the true labels.

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (N,), labels in [0, C)

    Returns
    -------
    float in [0, 1] (multiply by 100 for per cent).

    Raises
    ------
    TypeError
        Non-integer labels.
    ValueError
        Not 1-D, empty, negative labels, or different lengths.

    Source: lecture part 1 (k-NN: "derive the accuracy" for each k).
    """
    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, "y_pred", n=len(y_true), n_name="y_true", n_unit="labels")
    return float(np.mean(y_true == y_pred))

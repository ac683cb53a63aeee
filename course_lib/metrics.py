"""How good are predictions? Accuracy, the number every notebook from 02 on reports."""

from __future__ import annotations

import numpy as np

from .checks import check_labels

__all__ = ["accuracy"]


def accuracy(y_true, y_pred) -> float:
    """Fraction of predictions equal to the true labels.

    y_true, y_pred (N,) int labels in [0, C). Returns a float in [0, 1] (× 100 for per cent).
    Raises TypeError for non-integer labels, ValueError for non-1-D or empty input, negative
    labels or different lengths. Notebook 02.
    """
    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, "y_pred", num_samples=len(y_true), samples_name="y_true")
    return float(np.mean(y_true == y_pred))

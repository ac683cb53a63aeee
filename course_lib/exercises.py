"""Checks for the notebooks' exercise cells.

An exercise cell holds the learner's code between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` markers (the solution ships in the instructor's copy; nbgrader's
"clear solutions" step turns it into a blank for students). The next cell calls
:func:`check`, which prints a one-line verdict when the answer is right and raises an
``AssertionError`` with a hint when it is not, so a wrong answer cannot be missed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check"]


def check(name: str, answer, expected, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> None:
    """Compare a learner's ``answer`` with ``expected`` and say whether it is right.

    Parameters
    ----------
    name : str
        What is being checked, shown in the verdict.
    answer, expected : number, array_like, or any object comparable with ``==``
        Numbers and arrays are compared with ``numpy.allclose(rtol, atol)`` and must have
        the same shape; other objects with ``==``.
    hint : str
        Shown when the answer is wrong.

    Raises
    ------
    AssertionError
        The answer is wrong (the message says what was expected and gives the hint).
    """
    if answer is None or answer is Ellipsis:
        raise AssertionError(f"{name}: no answer yet — replace the ... in the cell above. {hint}".strip())
    try:
        a = np.asarray(answer, dtype=float)
        e = np.asarray(expected, dtype=float)
        numeric = True
    except (TypeError, ValueError):
        numeric = False
    if numeric:
        right = a.shape == e.shape and np.allclose(a, e, rtol=rtol, atol=atol)
    else:
        right = answer == expected
    if not right:
        detail = ""
        if numeric and a.shape != e.shape:
            detail = f" The answer has shape {a.shape}, expected shape {e.shape}."
        elif numeric and not np.all(np.isfinite(a)):
            detail = " The answer contains NaN or inf."
        raise AssertionError(f"{name}: not yet.{detail} {hint}".strip())
    print(f"✓ {name}: correct")

"""Checks for the notebooks' exercise cells.

An exercise cell holds the learner's code between ``### BEGIN SOLUTION`` and
``### END SOLUTION`` markers (the solution ships in the instructor's copy; nbgrader's
"clear solutions" step turns it into a blank for students). The next cell calls
:func:`check`, which prints a one-line verdict when the answer is right and raises an
``AssertionError`` with a hint when it is not, so a wrong answer cannot be missed.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_nonnegative_float

__all__ = ["check"]


def check(name: str, answer, expected, *, rtol: float = 1e-6, atol: float = 1e-9, hint: str = "") -> None:
    """Compare a learner's ``answer`` with ``expected`` and say whether it is right.

    Parameters
    ----------
    name : str
        What is being checked, shown in the verdict.
    answer, expected : number, array_like, str, dict, or any object comparable with ``==``
        Compared by these rules, applied recursively:

        * **text**: a ``str`` answer only equals a ``str`` expected (``"5"`` is not ``5``:
          text is never turned into a number), compared with ``==``;
        * **dicts**: the same keys, and every value right by these rules;
        * **numbers and arrays of numbers** (int, float, bool, uint8, …): the same shape and
          ``numpy.allclose(rtol, atol, equal_nan=True)`` (so NaN where NaN is expected is
          right);
        * **other sequences** (lists, tuples, arrays holding text or mixed entries): the
          same length and every entry right;
        * anything else (sets, dates, …): ``==``.
    rtol, atol : float ≥ 0
        Tolerances for numbers.
    hint : str
        Shown when the answer is wrong.

    Raises
    ------
    AssertionError
        The answer is wrong (the message says what was expected and gives the hint).
    TypeError, ValueError
        ``rtol`` or ``atol`` not a number ≥ 0.
    """
    rtol = check_nonnegative_float(rtol, "rtol")
    atol = check_nonnegative_float(atol, "atol")
    if answer is None or answer is Ellipsis:
        raise AssertionError(f"{name}: no answer yet — replace the ... in the cell above. {hint}".strip())
    right, detail = _compare(answer, expected, rtol, atol)
    if not right:
        raise AssertionError(f"{name}: not yet.{detail} {hint}".strip())
    print(f"✓ {name}: correct")


def _as_numbers(x) -> np.ndarray | None:
    """``x`` as an array of numbers (bool, integer, float or complex), or None when ``x`` is
    not a number or a (nested) sequence of numbers (text, dicts, ragged lists, objects)."""
    if isinstance(x, (str, bytes, dict)):
        return None
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):  # ragged nested lists
        return None
    if arr.dtype.kind in "biufc":
        return arr
    if arr.dtype == object:  # e.g. [1, None]: None becomes NaN, as a missing number
        try:
            return arr.astype(float)
        except (TypeError, ValueError):
            return None
    return None


def _is_sequence(x) -> bool:
    return isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _compare(answer, expected, rtol: float, atol: float) -> tuple[bool, str]:
    """Whether ``answer`` is right (the rules of :func:`check`), and what to tell the learner
    when it is not (a sentence starting with a space, or "")."""
    if isinstance(answer, (str, bytes)) or isinstance(expected, (str, bytes)):
        if isinstance(answer, str) and isinstance(expected, str) or (
                isinstance(answer, bytes) and isinstance(expected, bytes)):
            return answer == expected, ""
        if isinstance(expected, (str, bytes)):
            return False, f" The answer is of type {type(answer).__name__}, expected text ({type(expected).__name__})."
        return False, (f" The answer is text ({answer!r:.40}), expected a value of type "
                       f"{type(expected).__name__} (text is never converted to a number).")
    if isinstance(answer, dict) or isinstance(expected, dict):
        if not (isinstance(answer, dict) and isinstance(expected, dict)):
            return False, f" The answer is a {type(answer).__name__}, expected a {type(expected).__name__}."
        if answer.keys() != expected.keys():
            return False, f" The answer has the keys {list(answer)}, expected {list(expected)}."[:200]
        for key in expected:
            right, detail = _compare(answer[key], expected[key], rtol, atol)
            if not right:
                return False, f" Entry {key!r}:{detail or ' wrong.'}"
        return True, ""
    a, e = _as_numbers(answer), _as_numbers(expected)
    if a is not None and e is not None:
        if a.shape != e.shape:
            return False, f" The answer has shape {a.shape}, expected shape {e.shape}."
        if np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=True):
            return True, ""
        return False, " The answer contains NaN or inf." if not np.all(np.isfinite(a)) else ""
    if _is_sequence(answer) and _is_sequence(expected):
        if len(answer) != len(expected):
            return False, f" The answer has {len(answer)} entries, expected {len(expected)}."
        for i, (x, y) in enumerate(zip(answer, expected)):
            right, detail = _compare(x, y, rtol, atol)
            if not right:
                return False, f" Entry {i}:{detail or ' wrong.'}"
        return True, ""
    try:
        same = answer == expected
        return bool(same if isinstance(same, (bool, np.bool_)) else np.all(same)), ""
    except Exception:  # an == that returns something without a truth value
        return False, ""

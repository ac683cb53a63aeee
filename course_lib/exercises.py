"""Check cells for the exercises: compare a student's function with the course's reference.

A check runs both functions on fresh copies of the same seeded inputs and says *what* is wrong
(type, shape, kind of numbers, which entries, NaN, an input changed in place, an exception) —
never the expected value. The case makers below build seeded inputs for the course's contracts
(X, y, W, scores, images, distance matrices), so a check cell is three lines. All notebooks.
"""

from __future__ import annotations

import copy
import inspect
import numbers
from collections.abc import Iterator, Mapping

import numpy as np

from .checks import check_callable, check_float, check_int

__all__ = [
    "check_function", "check_value", "Case", "case", "make_cases",
    "random_X", "random_X_pair", "random_labels", "random_W", "random_scores",
    "random_W_X_y", "random_image", "random_images", "random_dists",
]

# An iterator a function returns is read up to this many items (an endless generator is a bug).
_MAX_ITEMS = 10_000


class Case:
    """The arguments of one call: ``Case(*args, **kwargs)``; :func:`case` makes one."""

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __repr__(self):
        parts = [_describe(a) for a in self.args] + [f"{k}={_describe(v)}" for k, v in self.kwargs.items()]
        return f"case({', '.join(parts)})"


def case(*args, **kwargs) -> Case:
    """The arguments of one call, for cases with keyword arguments: ``case(X, k=3)``."""
    return Case(*args, **kwargs)


def _as_case(item) -> Case:
    if isinstance(item, Case):
        return item
    return Case(*item) if isinstance(item, tuple) else Case(item)


def _describe(x) -> str:
    """A short description of an input that never shows an array's values."""
    if isinstance(x, np.ndarray):
        return f"{x.dtype} array {x.shape}"
    if isinstance(x, (bool, numbers.Number, str, type(None))):
        return repr(x)[:40]
    if isinstance(x, (list, tuple)):
        return f"{type(x).__name__} of {len(x)}"
    return getattr(x, "__name__", type(x).__name__)


def _describe_case(c: Case, fn) -> str:
    try:
        bound = inspect.signature(fn).bind(*c.args, **c.kwargs)
        items = [f"{k}: {_describe(v)}" for k, v in bound.arguments.items()]
    except (TypeError, ValueError):
        items = [_describe(a) for a in c.args] + [f"{k}: {_describe(v)}" for k, v in c.kwargs.items()]
    return ", ".join(items)


def _arg_names(c: Case, fn) -> list[tuple[str, object]]:
    """(name, value) of every argument of the case, named as ``fn`` names them where it can."""
    try:
        params = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        params = []
    named = [(params[i] if i < len(params) else f"argument {i + 1}", a) for i, a in enumerate(c.args)]
    return named + list(c.kwargs.items())


def _position(index: tuple, ndim: int) -> str:
    if ndim == 1:
        return f"entry {index[0]}"
    if ndim == 2:
        return f"row {index[0]}, column {index[1]}"
    return f"index {tuple(int(i) for i in index)}"


def _kind(dtype) -> str:
    return {"b": "booleans", "i": "integers", "u": "integers", "f": "floats", "c": "complex numbers"}.get(
        dtype.kind, f"{dtype} values")


def _is_number(x) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, (bool, np.bool_))


def _compare_numbers(got: np.ndarray, want: np.ndarray, what: str, rtol: float, atol: float) -> list[str]:
    """What is wrong with the numbers ``got`` (same shape as ``want``), never showing ``want``."""
    if _kind(got.dtype) != _kind(want.dtype):
        return [f"{what} holds {_kind(got.dtype)} ({got.dtype}); expected {_kind(want.dtype)}"]
    if got.dtype.kind in "fc":
        bad_got, bad_want = ~np.isfinite(got), ~np.isfinite(want)
        surplus = bad_got & ~bad_want
        if surplus.any():
            where = _position(np.argwhere(surplus)[0], got.ndim) if got.ndim else ""
            nan, inf = int(np.isnan(got[surplus]).sum()), int(np.isinf(got[surplus]).sum())
            return [f"{what} contains {nan} NaN and {inf} inf value(s)" + (f" (first at {where})" if where else "")
                    + ": an overflow, a division by zero or a log of 0?"]
    close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return []
    if got.ndim == 0:
        message = f"{what} is wrong"
        return [message + _diagnose(got, want, rtol, atol, scalar=True)]
    wrong = np.argwhere(~close)
    places = "; ".join(_position(i, got.ndim) for i in wrong[:3]) + ("; …" if len(wrong) > 3 else "")
    return [f"{what}: {len(wrong)} of {close.size} entries are wrong (at {places})"
            + _diagnose(got, want, rtol, atol, scalar=False)]


@np.errstate(all="ignore")
def _diagnose(got, want, rtol, atol, *, scalar: bool) -> str:
    """A hint about the kind of mistake, naming no value (starts with ' — ' or is empty)."""
    if want.dtype.kind != "f" or got.dtype.kind not in "iuf":
        return ""  # labels and indices: a wrong one is just wrong
    got, want = got.astype(np.float64), want.astype(np.float64)
    if not (np.isfinite(got).all() and np.isfinite(want).all()):
        return ""
    if np.allclose(got, want, rtol=1e-3, atol=max(atol, 1e-5)):
        return f" — close, but not within the tolerance (rtol={rtol:g}): float32 arithmetic or a rounding step?"
    if np.any(np.abs(want) > atol) and np.allclose(got, -want, rtol=rtol, atol=atol):
        return " — the sign is wrong"
    if np.all(want >= 0) and np.allclose(got, want ** 2, rtol=rtol, atol=atol):
        return " — these look like the squares of the right values (a missing square root?)"
    if not scalar and got.ndim == 2 and got.shape[0] == got.shape[1] and np.allclose(got, want.T, rtol=rtol, atol=atol):
        return " — this is the transpose of the right result"
    nonzero = np.abs(want) > atol
    if not scalar and nonzero.sum() > 1 and np.all(np.abs(got[~nonzero]) <= atol):
        ratio = got[nonzero] / want[nonzero]
        if np.allclose(ratio, ratio[0], rtol=1e-6) and not np.isclose(ratio[0], 1.0):
            return " — every entry is off by the same factor (a missing mean, or a factor 2?)"
    if scalar:
        return " — too large" if got > want else " — too small"
    return ""


def _compare(got, want, what: str, rtol: float, atol: float) -> list[str]:
    """Problems of the output ``got`` against the reference output ``want``, never naming it."""
    if got is None and want is not None:
        return [f"{what} is None: did you forget the `return` statement?"]
    if isinstance(want, np.ndarray):
        if _is_number(got) and want.ndim == 0:
            got = np.asarray(got)
        if not isinstance(got, np.ndarray):
            return [f"{what} is a {type(got).__name__}; expected a numpy array (np.array(...) makes one)"]
        if got.shape != want.shape:
            hint = ""
            if got.shape == want.shape[::-1] and got.ndim == 2 and got.size and \
                    np.allclose(got.T.astype(float), want.astype(float), rtol=rtol, atol=atol):
                hint = " — your result is the transpose of the right one"
            return [f"{what} has shape {got.shape}; expected shape {want.shape}{hint}"]
        if want.dtype.kind not in "biufc":
            return [] if np.array_equal(got, want) else [f"{what} is different from the expected array"]
        if got.dtype.kind not in "biufc":
            return [f"{what} holds {got.dtype} values; expected {_kind(want.dtype)}"]
        return _compare_numbers(got, want, what, rtol, atol)
    if _is_number(want):
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got[()]
        if not _is_number(got):
            shape = f" of shape {got.shape}" if isinstance(got, np.ndarray) else ""
            return [f"{what} is a {type(got).__name__}{shape}; expected a single number "
                    "(float(...) or .item() turns a one-entry array into one)"]
        return _compare_numbers(np.asarray(got), np.asarray(want), what, rtol, atol)
    if isinstance(want, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return [f"{what} is a {type(got).__name__}; expected True or False"]
        return [] if bool(got) == bool(want) else [f"{what} is the wrong truth value"]
    if isinstance(want, Mapping):
        if not isinstance(got, Mapping):
            return [f"{what} is a {type(got).__name__}; expected a dict"]
        missing, extra = [k for k in want if k not in got], [k for k in got if k not in want]
        if missing or extra:
            return [f"{what} has keys {sorted(map(repr, got))}; expected keys {sorted(map(repr, want))}"]
        return [p for k in want for p in _compare(got[k], want[k], f"{what}[{k!r}]", rtol, atol)]
    if isinstance(want, (tuple, list)):
        if not isinstance(got, (tuple, list)):
            return [f"{what} is a {type(got).__name__}; expected a {type(want).__name__} of {len(want)} items"]
        if len(got) != len(want):
            return [f"{what} has {len(got)} items; expected {len(want)}"]
        return [p for i, (g, w) in enumerate(zip(got, want)) for p in _compare(g, w, f"{what}[{i}]", rtol, atol)]
    if type(got) is not type(want):
        return [f"{what} is a {type(got).__name__}; expected a {type(want).__name__}"]
    try:
        same = bool(got == want)
    except Exception:  # an == without a truth value
        same = False
    return [] if same else [f"{what} is different from the expected {type(want).__name__}"]


def _check_name(name) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str naming what is checked, got {type(name).__name__}")
    if not name.strip():
        raise ValueError("name must name what is checked, got an empty text")


def _materialise(value, what: str):
    """An iterator (e.g. a generator) as a list of its items, so it can be compared."""
    if isinstance(value, Iterator):
        items = []
        for item in value:
            items.append(item)
            if len(items) > _MAX_ITEMS:
                raise AssertionError(f"{what} yields more than {_MAX_ITEMS:,} items: an endless loop?")
        return items
    return value


def _same_state(a, b) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and a.dtype == b.dtype and \
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, (list, dict)):
        try:
            return bool(a == b)
        except ValueError:  # lists of arrays
            return repr(a) == repr(b)
    return True


def _mutations(c: Case, pristine: Case, ref_after: Case, fn) -> list[str]:
    problems = []
    for (name, after), (_, before), (_, ref) in zip(_arg_names(c, fn), _arg_names(pristine, fn),
                                                    _arg_names(ref_after, fn)):
        if not _same_state(after, ref):
            if _same_state(ref, before):
                problems.append(f"it changed its input {name} in place: work on a copy "
                                f"({name}.copy()) or build a new array")
            else:
                problems.append(f"it leaves its input {name} in a different state than expected")
    return problems


def _run(fn, c: Case):
    """(output, the arguments after the call, the exception raised or None)."""
    args, kwargs = copy.deepcopy(c.args), copy.deepcopy(c.kwargs)
    try:
        return _materialise(fn(*args, **kwargs), "the result"), Case(*args, **kwargs), None
    except Exception as exc:  # reported to the student, never swallowed silently
        return None, Case(*args, **kwargs), exc


def _case_problems(student_fn, reference_fn, c: Case, name: str, rtol: float, atol: float):
    """(what is wrong with the student's function on case c, the exception it raised or None)."""
    want, ref_after, ref_error = _run(reference_fn, c)
    got, after, error = _run(student_fn, c)
    if isinstance(error, NotImplementedError):
        raise AssertionError(f"{name}: not written yet — replace `raise NotImplementedError()` with "
                             "your code in the exercise cell, run that cell, then this one.") from None
    if error is not None and not (ref_error is not None and isinstance(error, type(ref_error))):
        return [f"it raised {type(error).__name__}: {error}"[:300]], error
    if ref_error is not None:
        problems = [] if error is not None else [f"it returned normally; it should raise "
                                                 f"{type(ref_error).__name__} for these inputs"]
    else:
        problems = _compare(got, want, "the result", rtol, atol)
    return problems + _mutations(after, c, ref_after, reference_fn), None


def check_function(student_fn, reference_fn, cases, *, name: str, rtol: float = 1e-6, atol: float = 1e-8,
                   hint: str = "") -> None:
    """Check ``student_fn`` against ``reference_fn`` on every case; print ``✓ name: correct on N cases``.

    cases: a non-empty list; each item is a tuple of positional arguments, a :func:`case` (with
    keyword arguments), or one argument. Both functions get their own deep copy of the inputs.
    Compared: type, shape, kind of numbers (int/float/bool), values (np.isclose with rtol, atol),
    NaN/inf, tuples/lists/dicts item by item, generators as lists, inputs changed in place, and
    exceptions (where the reference raises, the student must raise the same type). Wrong values
    are located ("3 of 12 entries are wrong (at row 2, column 0; …)") and, where the mistake has a
    recognisable form, named: wrong sign, squares (a missing square root), the transpose, off by
    one factor everywhere, close but outside the tolerance; a single number also "too large" or
    "too small" (harmless here: the inputs are random, so this cannot be turned into an answer).
    Raises AssertionError saying what is wrong in the first failing case (never the expected
    value), a short "not written yet" one while student_fn raises NotImplementedError; TypeError /
    ValueError for bad arguments of the check itself.
    """
    check_callable(student_fn, "student_fn")
    check_callable(reference_fn, "reference_fn")
    _check_name(name)
    rtol, atol = check_float(rtol, "rtol", low=0.0), check_float(atol, "atol", low=0.0)
    cases = [_as_case(item) for item in cases]
    if not cases:
        raise ValueError("cases must hold at least one case")
    failures = []
    for number, c in enumerate(cases, start=1):
        problems, error = _case_problems(student_fn, reference_fn, c, name, rtol, atol)
        if problems:
            failures.append((number, c, problems, error))
    if not failures:
        print(f"✓ {name}: correct on {len(cases)} case{'s' * (len(cases) != 1)}")
        return
    number, c, problems, error = failures[0]
    lines = [f"{name}: wrong on {len(failures)} of {len(cases)} cases.",
             f"First failing case (case {number}; {_describe_case(c, reference_fn)}):"]
    lines += [f"  • {p}" for p in problems]
    if hint:
        lines.append(f"Hint: {hint}")
    raise AssertionError("\n".join(lines)) from error


def check_value(answer, expected, *, name: str, rtol: float = 1e-6, atol: float = 1e-8, hint: str = "") -> None:
    """Check a numeric warm-up answer (a number or an array); print ``✓ name: correct``.

    A wrong answer gets an AssertionError saying only what a teacher would: no answer yet, the
    wrong type, shape or kind of number (e.g. a count must be a whole number), NaN/inf, the wrong
    sign, and whether it is off by a factor of 2 or more (a missed dimension or channel?) or within
    a factor of 2 (an arithmetic slip?). It never says "too large" or "too small": with the
    direction, repeated guesses would find the number by bisection without understanding it.
    """
    _check_name(name)
    rtol, atol = check_float(rtol, "rtol", low=0.0), check_float(atol, "atol", low=0.0)
    if answer is None or answer is Ellipsis:
        raise AssertionError(f"{name}: no answer yet — replace the ... with your answer.")
    if isinstance(answer, (str, bytes)):
        raise AssertionError(f"{name}: the answer is text; expected a number (write it without quotes)")
    want = np.asarray(expected)
    got = np.asarray(answer) if isinstance(answer, (list, tuple, np.ndarray)) or _is_number(answer) else None
    if got is None or got.dtype.kind not in "biufc" or (got.dtype.kind == "b" and want.dtype.kind != "b"):
        raise AssertionError(f"{name}: the answer is a {type(answer).__name__}; expected "
                             f"{'a number' if want.ndim == 0 else 'an array of numbers'}")
    if got.shape != want.shape:
        raise AssertionError(f"{name}: the answer has shape {got.shape}; expected shape {want.shape}")
    if want.dtype.kind in "iu" and not np.all(np.isfinite(got) & (got == np.round(got))):
        raise AssertionError(f"{name}: the answer is a count, a whole number" + (f"\nHint: {hint}" if hint else ""))
    if not np.all(np.isfinite(got)):
        raise AssertionError(f"{name}: the answer contains NaN or inf")
    if np.allclose(got, want, rtol=rtol, atol=atol):
        print(f"✓ {name}: correct")
        return
    got, want = got.astype(np.float64), want.astype(np.float64)
    if np.any(np.sign(got) * np.sign(want) < 0):
        verdict = "the sign is wrong"
    else:
        with np.errstate(over="ignore", divide="ignore"):
            ratio = np.abs(got) / np.maximum(np.abs(want), max(atol, 1e-300))
        far = np.any((ratio >= 2) | (ratio <= 0.5))
        verdict = ("not right — off by a factor of 2 or more: a missing or extra dimension, channel or unit?"
                   if far else "not right, but within a factor of 2: check the arithmetic")
    raise AssertionError(f"{name}: {verdict}" + (f"\nHint: {hint}" if hint else ""))


# ------------------------------------------------------------------------------------ case makers

def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    return rng


def random_X(rng, N: int, D: int, *, dtype=np.float64) -> np.ndarray:
    """(N, D) data, one sample a row: standard normal floats, or uint8 pixels 0–255 with dtype=np.uint8."""
    _check_rng(rng)
    N, D = check_int(N, "N", low=1), check_int(D, "D", low=1)
    if np.dtype(dtype) == np.uint8:
        return rng.integers(0, 256, size=(N, D), dtype=np.uint8)
    return rng.standard_normal((N, D)).astype(dtype)


def random_X_pair(rng, M: int, N: int, D: int, *, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """(X_test (M, D), X_train (N, D)): one case for a distance function."""
    return random_X(rng, M, D, dtype=dtype), random_X(rng, N, D, dtype=dtype)


def random_labels(rng, N, C: int) -> np.ndarray:
    """int64 labels in [0, C) of shape N (an int, or a tuple such as (M, k) for neighbours' labels)."""
    _check_rng(rng)
    C = check_int(C, "C", low=1)
    shape = (check_int(N, "N", low=1),) if not isinstance(N, tuple) else tuple(check_int(n, "N", low=1) for n in N)
    return rng.integers(0, C, size=shape).astype(np.int64)


def random_W(rng, D: int, C: int, *, scale: float = 1.0) -> np.ndarray:
    """(D, C) weights: normal with standard deviation ``scale``."""
    _check_rng(rng)
    D, C = check_int(D, "D", low=1), check_int(C, "C", low=1)
    return check_float(scale, "scale", low=0.0) * rng.standard_normal((D, C))


def random_scores(rng, N: int, C: int, *, scale: float = 3.0) -> np.ndarray:
    """(N, C) class scores: normal with standard deviation ``scale`` (margins both met and missed)."""
    _check_rng(rng)
    N, C = check_int(N, "N", low=1), check_int(C, "C", low=1)
    return check_float(scale, "scale", low=0.0) * rng.standard_normal((N, C))


def random_W_X_y(rng, N: int, D: int, C: int, *, reg: float = 0.1) -> tuple:
    """(W (D, C), X (N, D), y (N,), reg): one case for a loss function (W scaled so scores are O(1))."""
    X = random_X(rng, N, D)
    return random_W(rng, D, C, scale=1.0 / np.sqrt(D)), X, random_labels(rng, N, C), check_float(reg, "reg", low=0.0)


def random_image(rng, H: int, W: int, channels: int | None = 3) -> np.ndarray:
    """One uint8 image: (H, W, 3) colour, or (H, W) grey with channels=None."""
    return random_images(rng, 1, H, W, channels)[0]


def random_images(rng, N: int, H: int, W: int, channels: int | None = 3) -> np.ndarray:
    """N uint8 images: (N, H, W, 3), or (N, H, W) with channels=None."""
    _check_rng(rng)
    shape = tuple(check_int(n, name, low=1) for n, name in ((N, "N"), (H, "H"), (W, "W")))
    if channels is not None:
        shape += (check_int(channels, "channels", low=3, high=3),)
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


def random_dists(rng, M: int, N: int, *, ties: bool = False) -> np.ndarray:
    """(M, N) non-negative distances; with ties=True small whole numbers, so equal distances occur."""
    _check_rng(rng)
    M, N = check_int(M, "M", low=1), check_int(N, "N", low=1)
    if ties:
        return rng.integers(0, 4, size=(M, N)).astype(np.float64)
    return rng.uniform(0.0, 10.0, size=(M, N))


def make_cases(maker, shapes, *, seed: int = 0, **kwargs) -> list:
    """``[maker(rng, *shape, **kwargs) for shape in shapes]`` with one ``np.random.default_rng(seed)``.

    E.g. ``make_cases(random_W_X_y, [(1, 3, 2), (20, 5, 4)])``: two cases for a loss function.
    """
    check_callable(maker, "maker")
    rng = np.random.default_rng(check_int(seed, "seed", low=0))
    return [maker(rng, *(shape if isinstance(shape, tuple) else (shape,)), **kwargs) for shape in shapes]

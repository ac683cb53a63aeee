"""course_lib.exercises: checks that say what is wrong and never what the answer is."""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_lib import exercises as ex


def l2_reference(X_test, X_train):
    X_test, X_train = np.asarray(X_test, dtype=np.float64), np.asarray(X_train, dtype=np.float64)
    return np.sqrt(((X_test[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2))


def loss_reference(W, X, y, reg):
    scores = X @ W
    margins = np.maximum(0, scores - scores[np.arange(len(y)), y][:, None] + 1)
    margins[np.arange(len(y)), y] = 0
    return margins.sum() / len(y) + reg * np.sum(W * W), 2 * reg * W


DIST_CASES = ex.make_cases(ex.random_X_pair, [(3, 5, 4), (1, 1, 1), (6, 2, 3)])


def _failure(student, reference=l2_reference, cases=DIST_CASES, **kwargs) -> str:
    kwargs.setdefault("name", "l2")
    with pytest.raises(AssertionError) as info:
        ex.check_function(student, reference, cases, **kwargs)
    return str(info.value)


# --------------------------------------------------------------------------- check_function


def test_float32_results_of_a_float64_reference_pass_within_the_tolerance(capsys):
    ex.check_function(lambda a, b: l2_reference(a, b).astype(np.float32), l2_reference, DIST_CASES, name="l2")
    assert capsys.readouterr().out.startswith("✓ l2")


def test_a_correct_function_passes_and_says_so(capsys):
    ex.check_function(lambda a, b: l2_reference(a, b).copy(), l2_reference, DIST_CASES, name="l2_two_loops")
    assert capsys.readouterr().out == "✓ l2_two_loops: correct on 3 cases\n"
    ex.check_function(len, len, [([1, 2],)], name="len")
    assert capsys.readouterr().out == "✓ len: correct on 1 case\n"


def test_not_written_yet_is_short_and_has_no_chained_traceback():
    def stub(X_test, X_train):
        # YOUR CODE HERE
        raise NotImplementedError()

    with pytest.raises(AssertionError) as info:
        ex.check_function(stub, l2_reference, DIST_CASES, name="compute_distances_two_loops")
    assert str(info.value).startswith("compute_distances_two_loops: not written yet")
    assert info.value.__cause__ is None and info.value.__suppress_context__


@pytest.mark.parametrize("student, fragments", [
    (lambda a, b: l2_reference(a, b).T, ["has shape (5, 3); expected shape (3, 5)", "transpose"]),
    (lambda a, b: l2_reference(a, b) ** 2, ["entries are wrong", "squares of the right values"]),
    (lambda a, b: -l2_reference(a, b), ["the sign is wrong"]),
    (lambda a, b: 2 * l2_reference(a, b), ["off by the same factor"]),
    (lambda a, b: l2_reference(a, b) * (1 + 1e-4), ["close, but not within the tolerance"]),
    (lambda a, b: np.round(l2_reference(a, b)).astype(int), ["holds integers (int64); expected floats"]),
    (lambda a, b: l2_reference(a, b).tolist(), ["is a list; expected a numpy array"]),
    (lambda a, b: None, ["is None: did you forget the `return` statement?"]),
    (lambda a, b: l2_reference(a, b) * np.nan, ["contains 15 NaN and 0 inf value(s) (first at row 0, column 0)"]),
    (lambda a, b: a @ b, ["raised ValueError"]),
])
def test_failures_say_what_is_wrong(student, fragments):
    message = _failure(student)
    for fragment in fragments:
        assert fragment in message, message
    assert "First failing case (case " in message


def test_failures_locate_the_wrong_entries_and_count_the_failing_cases():
    def one_wrong(X_test, X_train):
        d = l2_reference(X_test, X_train)
        if d.shape == (3, 5):
            d[2, 0] += 1.0
        return d

    message = _failure(one_wrong)
    assert "wrong on 1 of 3 cases" in message
    assert "(case 1; X_test: float64 array (3, 4), X_train: float64 array (5, 4))" in message
    assert "1 of 15 entries are wrong (at row 2, column 0)" in message


def test_an_exception_names_the_case_and_chains_the_students_traceback():
    def crashes(X_test, X_train):
        return X_test[10]

    with pytest.raises(AssertionError) as info:
        ex.check_function(crashes, l2_reference, DIST_CASES, name="l2")
    assert "it raised IndexError" in str(info.value)
    assert isinstance(info.value.__cause__, IndexError)


def test_changing_an_input_in_place_is_reported():
    def scales_input(X_test, X_train):
        X_test *= 1.0
        X_test[0, 0] = 99.0
        return l2_reference(X_test, X_train)

    message = _failure(scales_input)
    assert "changed its input X_test in place" in message and "X_test.copy()" in message


def test_inputs_are_fresh_copies_for_each_function():
    seen = []

    def student(X_test, X_train):
        seen.append(X_test)
        X_test[...] = 0.0  # vandalises its own copy only
        return l2_reference(X_test, X_train)

    original = DIST_CASES[0][0].copy()
    message = _failure(student)
    np.testing.assert_array_equal(DIST_CASES[0][0], original)
    assert all(s is not DIST_CASES[i][0] for i, s in enumerate(seen))
    assert "changed its input X_test in place" in message


def test_tuple_results_are_compared_item_by_item():
    cases = ex.make_cases(ex.random_W_X_y, [(4, 3, 2), (10, 5, 3)])
    ex.check_function(loss_reference, loss_reference, cases, name="svm_loss")

    def forgot_reg_gradient(W, X, y, reg):
        loss, dW = loss_reference(W, X, y, reg)
        return loss, dW / 2

    message = _failure(forgot_reg_gradient, loss_reference, cases, name="svm_loss")
    assert "the result[1]" in message and "off by the same factor" in message
    message = _failure(lambda W, X, y, reg: loss_reference(W, X, y, reg)[0], loss_reference, cases)
    assert "is a float64; expected a tuple of 2 items" in message


def test_scalar_results_say_too_large_or_too_small():
    cases = [(np.array([1.0, 2.0]),), (np.array([3.0, -1.0, 0.5]),)]
    message = _failure(lambda v: float(np.sum(v)) + 1.0, lambda v: float(np.sum(v)), cases, name="total")
    assert "the result is wrong — too large" in message
    message = _failure(lambda v: np.array([np.sum(v)]), lambda v: float(np.sum(v)), cases, name="total")
    assert "of shape (1,); expected a single number" in message
    ex.check_function(lambda v: np.float64(np.sum(v)), lambda v: float(np.sum(v)), cases, name="total")


def test_integer_results_dtype_kind_and_no_misleading_hints():
    cases = [(ex.random_dists(np.random.default_rng(0), 4, 6, ties=True),)]
    ref = lambda d: np.argsort(d, axis=1, kind="stable")[:, :2]  # noqa: E731
    ex.check_function(lambda d: np.argsort(d, axis=1, kind="stable")[:, :2].astype(np.int32), ref, cases, name="nn")
    message = _failure(lambda d: np.argsort(-d, axis=1)[:, :2], ref, cases, name="nn")
    assert "entries are wrong" in message and "—" not in message.split("\n")[2]
    message = _failure(lambda d: np.argsort(d, axis=1)[:, :2].astype(float), ref, cases, name="nn")
    assert "holds floats (float64); expected integers" in message


def test_expected_exceptions_must_be_raised_too():
    def reference(k):
        if k < 1:
            raise ValueError("k must be >= 1")
        return k

    ex.check_function(lambda k: reference(k), reference, [(1,), (0,)], name="k")
    message = _failure(lambda k: k, reference, [(1,), (0,)], name="k")
    assert "it returned normally; it should raise ValueError for these inputs" in message
    message = _failure(lambda k: 1 / 0 if k < 1 else k, reference, [(1,), (0,)], name="k")
    assert "it raised ZeroDivisionError" in message


def test_generators_dicts_and_keyword_cases():
    def batches(n, size):
        for start in range(0, n, size):
            yield np.arange(start, min(start + size, n))

    ex.check_function(batches, batches, [ex.case(10, size=3), (4, 4)], name="batches")
    message = _failure(lambda n, size: iter([np.arange(n)]), batches, [ex.case(10, size=3)], name="batches")
    assert "has 1 items; expected 4" in message and "(case 1; n: 10, size: 3)" in message
    ref = lambda: {"W1": np.ones(2), "b1": np.zeros(2)}  # noqa: E731
    message = _failure(lambda: {"W1": np.ones(2)}, ref, [()], name="init")
    assert "has keys" in message
    message = _failure(lambda: {"W1": np.ones(2), "b1": np.ones(2)}, ref, [()], name="init")
    assert "the result['b1']: 2 of 2 entries are wrong" in message


def test_hint_is_shown_on_failure_only(capsys):
    message = _failure(lambda a, b: None, hint="Loop over the test rows.")
    assert message.endswith("Hint: Loop over the test rows.")
    ex.check_function(l2_reference, l2_reference, DIST_CASES, name="l2", hint="never shown")
    assert "never shown" not in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, exc, message", [
    (dict(student_fn=3), TypeError, "student_fn must be a function"),
    (dict(reference_fn="ref"), TypeError, "reference_fn must be a function"),
    (dict(name=""), ValueError, "name must name what is checked"),
    (dict(name=None), TypeError, "name must be a str"),
    (dict(cases=[]), ValueError, "cases must hold at least one case"),
    (dict(rtol=-1.0), ValueError, "rtol must be a finite number"),
    (dict(atol="0"), TypeError, "atol must be a number"),
])
def test_check_function_bad_arguments(kwargs, exc, message):
    arguments = dict(student_fn=l2_reference, reference_fn=l2_reference, cases=DIST_CASES, name="l2")
    arguments.update(kwargs)
    with pytest.raises(exc, match=message):
        ex.check_function(arguments.pop("student_fn"), arguments.pop("reference_fn"), arguments.pop("cases"),
                          **arguments)


# --------------------------------------------------------------------------- nothing leaks

# Expected values that cannot appear in a message by accident: messages hold counts and indices
# below 100, shapes of at most 6, and tolerances such as 1e-06.
leaky_floats = st.floats(min_value=100.5, max_value=1e6, allow_nan=False).map(
    lambda v: float(v) if abs(v - round(v)) > 0.01 else float(v) + 0.37)
signed = st.tuples(leaky_floats, st.booleans()).map(lambda t: -t[0] if t[1] else t[0])


def _forbidden(value) -> set[str]:
    v = float(value)
    forms = {repr(v), str(v), f"{v:.1f}", f"{v:.2f}", f"{v:.3f}", f"{v:g}", f"{v:.3g}", f"{v:.4g}",
             f"{v:.5g}", f"{v:.2e}", f"{v:e}", str(round(v)), f"{v:,.0f}", f"{v:,.1f}"}
    if float(v).is_integer():
        forms.add(str(int(v)))
    return forms


def _assert_no_leak(message: str, expected) -> None:
    values = np.atleast_1d(np.asarray(expected, dtype=np.float64)).ravel()
    for v in values:
        for form in _forbidden(v):
            assert form not in message, (form, message)
    if np.ndim(expected):
        assert np.array2string(np.asarray(expected)) not in message


MUTATIONS = {
    "perturb_one": lambda r, rng: np.where(np.arange(r.size).reshape(r.shape) == rng.integers(r.size), r + 1.5, r),
    "scaled": lambda r, rng: 3.0 * r,
    "negated": lambda r, rng: -r,
    "squared": lambda r, rng: r ** 2,
    "transposed": lambda r, rng: r.T,
    "float32": lambda r, rng: r.astype(np.float32),
    "as_int": lambda r, rng: np.round(r).astype(np.int64),
    "as_list": lambda r, rng: r.tolist(),
    "nan": lambda r, rng: np.where(np.arange(r.size).reshape(r.shape) == 0, np.nan, r),
    "reshaped": lambda r, rng: r.reshape(-1),
    "summed": lambda r, rng: float(r.sum()),
    "close": lambda r, rng: r * (1 + 1e-4),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expected=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=6),
                           elements=signed),
       mutation=st.sampled_from(sorted(MUTATIONS)), seed=st.integers(0, 2**16), hint=st.booleans())
def test_no_failure_message_contains_an_expected_value(expected, mutation, seed, hint):
    answer = MUTATIONS[mutation](expected.copy(), np.random.default_rng(seed))
    reference = lambda x: expected.copy()  # noqa: E731
    student = lambda x: answer  # noqa: E731
    try:
        ex.check_function(student, reference, [(np.zeros(2),)], name="f", hint="Think." if hint else "")
    except AssertionError as error:
        _assert_no_leak(str(error), expected)
    else:  # only a mutation that leaves the values as they are may pass
        assert np.allclose(np.asarray(answer, dtype=float).reshape(expected.shape), expected)


@settings(max_examples=100, deadline=None)
@given(expected=signed, factor=st.floats(0.01, 100.0).filter(lambda f: abs(f - 1) > 1e-3), tuple_=st.booleans())
def test_no_scalar_or_tuple_failure_message_contains_the_expected_value(expected, factor, tuple_):
    want = (expected, np.full((2, 2), expected)) if tuple_ else expected
    got = (expected * factor, np.full((2, 2), expected * factor)) if tuple_ else expected * factor
    with pytest.raises(AssertionError) as info:
        ex.check_function(lambda x: got, lambda x: want, [(1,)], name="f")
    _assert_no_leak(str(info.value), expected)


@settings(max_examples=100, deadline=None)
@given(expected=signed, factor=st.floats(-100.0, 100.0).filter(lambda f: abs(f - 1) > 1e-3))
def test_no_check_value_message_contains_the_expected_value(expected, factor):
    with pytest.raises(AssertionError) as info:
        ex.check_value(expected * factor, expected, name="answer", hint="Count the channels.")
    _assert_no_leak(str(info.value), expected)


@settings(max_examples=50, deadline=None)
@given(expected=st.integers(100, 10**6), answer=st.one_of(st.integers(-10**7, 10**7), st.text(max_size=5),
                                                         st.floats(allow_nan=True)))
def test_check_value_integer_answers_never_leak(expected, answer):
    if isinstance(answer, (int, float)) and answer == expected:
        ex.check_value(answer, expected, name="n")
        return
    with pytest.raises(AssertionError) as info:
        ex.check_value(answer, expected, name="n")
    _assert_no_leak(str(info.value), expected)


# --------------------------------------------------------------------------- check_value


@pytest.mark.parametrize("answer, fragment", [
    (None, "no answer yet"),
    (..., "no answer yet"),
    ("3072", "the answer is text"),
    ([1, 2], "the answer has shape (2,); expected shape ()"),
    (True, "the answer is a bool"),
    (3072.5, "a count, a whole number"),
    (float("nan"), "a count, a whole number"),
    (-3072, "the sign is wrong"),
    (1024, "off by a factor of 2 or more"),
    (9216, "off by a factor of 2 or more"),
    (3000, "within a factor of 2"),
])
def test_check_value_says_what_kind_of_wrong(answer, fragment):
    with pytest.raises(AssertionError) as info:
        ex.check_value(answer, 3072, name="D", hint="height × width × channels")
    message = str(info.value)
    assert message.startswith("D: ") and fragment in message
    assert "too large" not in message and "too small" not in message


def test_check_value_passes_right_answers(capsys):
    ex.check_value(3072, 3072, name="D")
    ex.check_value(3072.0, 3072, name="D")
    ex.check_value(np.array([0.5, -2.0]), [0.5, -2.0], name="grad")
    ex.check_value(0.1 + 0.2, 0.3, name="sum")
    assert capsys.readouterr().out == "✓ D: correct\n✓ D: correct\n✓ grad: correct\n✓ sum: correct\n"
    with pytest.raises(AssertionError, match="grad: the sign is wrong"):
        ex.check_value(np.array([0.5, 2.0]), [0.5, -2.0], name="grad")


# --------------------------------------------------------------------------- case makers


def test_case_makers_shapes_dtypes_ranges_and_seeds():
    rng = np.random.default_rng(0)
    X = ex.random_X(rng, 4, 3)
    assert X.shape == (4, 3) and X.dtype == np.float64
    P = ex.random_X(rng, 4, 3, dtype=np.uint8)
    assert P.dtype == np.uint8
    y = ex.random_labels(rng, 50, 3)
    assert y.shape == (50,) and y.dtype == np.int64 and set(y) == {0, 1, 2}
    assert ex.random_labels(rng, (4, 5), 2).shape == (4, 5)
    W, X, y, reg = ex.random_W_X_y(rng, 6, 5, 4)
    assert W.shape == (5, 4) and X.shape == (6, 5) and y.shape == (6,) and y.max() < 4 and reg == 0.1
    assert ex.random_scores(rng, 2, 10).shape == (2, 10)
    assert ex.random_image(rng, 5, 6).shape == (5, 6, 3) and ex.random_image(rng, 5, 6, None).shape == (5, 6)
    images = ex.random_images(rng, 3, 4, 4)
    assert images.dtype == np.uint8 and images.shape == (3, 4, 4, 3)
    d = ex.random_dists(rng, 20, 30, ties=True)
    assert d.min() >= 0 and len(np.unique(d)) <= 4
    assert ex.random_dists(rng, 2, 3).min() >= 0
    first, second = ex.make_cases(ex.random_X_pair, [(2, 3, 4)] * 2, seed=5)
    again = ex.make_cases(ex.random_X_pair, [(2, 3, 4)] * 2, seed=5)
    assert first[0].shape == (2, 4) and first[1].shape == (3, 4)
    assert not np.array_equal(first[0], second[0])  # one generator for all cases
    np.testing.assert_array_equal(first[0], again[0][0])
    assert [len(c) for c in ex.make_cases(ex.random_X, [(2,), 4], D=2)] == [2, 4]


@pytest.mark.parametrize("call, exc, message", [
    (lambda: ex.random_X(0, 2, 3), TypeError, "rng must be a numpy Generator"),
    (lambda: ex.random_X(np.random.default_rng(), 0, 3), ValueError, "N must be an integer in"),
    (lambda: ex.random_labels(np.random.default_rng(), 3, 2.5), TypeError, "C must be an integer"),
    (lambda: ex.random_images(np.random.default_rng(), 1, 2, 2, channels=4), ValueError, "channels"),
    (lambda: ex.make_cases(3, [(1,)]), TypeError, "maker must be a function"),
])
def test_case_makers_refuse_bad_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_case_repr_and_description_never_show_array_values():
    c = ex.case(np.array([[123.456]]), k=3)
    assert repr(c) == "case(float64 array (1, 1), k=3)"
    message = _failure(lambda X_test, X_train: None, cases=[(np.array([[123.456]]), np.array([[789.123]]))])
    assert not re.search(r"123\.4|789\.1", message)

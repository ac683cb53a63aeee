"""Tests of course_lib.backpropagation: the scalar autodiff engine Value (notebook 07)."""

from __future__ import annotations

import gc
import math
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib.backpropagation import Value, topological_order, zero_grad
from course_lib.losses import softmax_loss_vectorized

# ----------------------------------------------------------------------------- worked examples


def lecture_graph(x=3.0, y=5.0, z=-2.0):
    x, y, z = Value(x, "x"), Value(y, "y"), Value(z, "z")
    q = x + y
    f = q * z
    return x, y, z, q, f


def test_lecture_example_f_equals_x_plus_y_times_z():
    x, y, z, q, f = lecture_graph()
    assert (q.data, f.data) == (8.0, -16.0)
    f.backward()
    assert f.grad == 1.0
    assert q.grad == -2.0  # ∂f/∂q = z
    assert z.grad == 8.0  # ∂f/∂z = q
    assert (x.grad, y.grad) == (-2.0, -2.0)  # ∂f/∂q · ∂q/∂x = z · 1


def test_cs231n_example_x_minus_2_y_5_z_minus_4():
    x, y, z, q, f = lecture_graph(-2.0, 5.0, -4.0)
    assert (q.data, f.data) == (3.0, -12.0)
    f.backward()
    assert (x.grad, y.grad, z.grad) == (-4.0, -4.0, 3.0)


def test_graph_records_inputs_op_and_label_for_drawings():
    x, y, z, q, f = lecture_graph()
    assert f._prev == (q, z) and f._op == "*"
    assert q._prev == (x, y) and q._op == "+"
    assert x._prev == () and x._op == "" and x.label == "x"
    f.label = "f"
    assert repr(f) == "Value(data=-16, grad=0, label='f')"


def test_cs231n_circuit_add_distributes_mul_swaps_max_routes():
    x, y, z, w = Value(3.0), Value(-4.0), Value(2.0), Value(-1.0)
    f = 2 * (x * y + z.max(w))
    f.backward()
    assert f.data == -20.0
    assert (x.grad, y.grad, z.grad, w.grad) == (-8.0, 6.0, 2.0, 0.0)


def test_cs231n_sigmoid_neuron():
    w0, x0, w1, x1, b = (Value(v) for v in (2.0, -1.0, -3.0, -2.0, -3.0))
    out = (w0 * x0 + w1 * x1 + b).sigmoid()
    out.backward()
    s = 1 / (1 + math.exp(-1.0))
    assert out.data == pytest.approx(s)  # 0.73
    local = s * (1 - s)  # 0.2
    assert [w0.grad, x0.grad, w1.grad, x1.grad, b.grad] == pytest.approx(
        [-1.0 * local, 2.0 * local, -2.0 * local, -3.0 * local, local])


def test_sigmoid_gate_equals_the_same_function_built_from_primitives():
    a1, a2 = Value(0.7), Value(0.7)
    s1, s2 = a1.sigmoid(), 1 / (1 + (-a2).exp())
    s1.backward()
    s2.backward()
    assert s1.data == pytest.approx(s2.data, rel=1e-15)
    assert a1.grad == pytest.approx(a2.grad, rel=1e-12)


# ----------------------------------------------------------------------------- every op vs numerical


def check_against_centred_differences(build, args, h=1e-6):
    leaves = [Value(a) for a in args]
    out = build(*leaves) * 1.7  # an upstream gradient other than 1
    out.backward()
    for i, leaf in enumerate(leaves):
        plus, minus = list(args), list(args)
        plus[i] += h
        minus[i] -= h
        numerical = (build(*map(Value, plus)).data - build(*map(Value, minus)).data) * 1.7 / (2 * h)
        assert leaf.grad == pytest.approx(numerical, rel=1e-5, abs=1e-6), (i, args)


real = st.floats(-3.0, 3.0)
away_from_zero = st.one_of(st.floats(0.2, 3.0), st.floats(-3.0, -0.2))
positive = st.floats(0.2, 5.0)

OPERATIONS = {
    "add": (lambda a, b: a + b, (real, real)),
    "mul": (lambda a, b: a * b, (real, real)),
    "pow_int": (lambda a: a**3, (real,)),
    "pow_negative": (lambda a: a**-2, (away_from_zero,)),
    "pow_fraction": (lambda a: a**0.5, (positive,)),
    "exp": (lambda a: a.exp(), (real,)),
    "log": (lambda a: a.log(), (positive,)),
    "relu": (lambda a: a.relu(), (away_from_zero,)),
    "tanh": (lambda a: a.tanh(), (real,)),
    "sigmoid": (lambda a: a.sigmoid(), (st.floats(-30.0, 30.0),)),
    "neg": (lambda a: -a, (real,)),
    "sub": (lambda a, b: a - b, (real, real)),
    "truediv": (lambda a, b: a / b, (real, away_from_zero)),
    "radd": (lambda a: 2.5 + a, (real,)),
    "rmul": (lambda a: 2.5 * a, (real,)),
    "rsub": (lambda a: 2.5 - a, (real,)),
    "rtruediv": (lambda a: 2.5 / a, (away_from_zero,)),
    "sub_number": (lambda a: a - 2.5, (real,)),
    "div_number": (lambda a: a / 2.5, (real,)),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_matches_centred_differences(name):
    build, strategies = OPERATIONS[name]

    @settings(max_examples=30, deadline=None)
    @given(st.tuples(*strategies))
    def check(args):
        check_against_centred_differences(build, args)

    check()


@settings(max_examples=30, deadline=None)
@given(real, real)
def test_max_matches_centred_differences_away_from_ties(a, b):
    if abs(a - b) < 1e-3:
        b = a + 0.5
    check_against_centred_differences(lambda u, v: u.max(v), (a, b))


@settings(max_examples=30, deadline=None)
@given(real, real, positive)
def test_composite_expression_matches_centred_differences(a, b, c):
    def build(u, v, w):
        return (u * v + w.log()).tanh() * u + (v / (w + 1)).exp() - (u - w) ** 2 + u.sigmoid() * v

    check_against_centred_differences(build, (a, b, c))


def test_kinks_relu_at_zero_and_max_tie():
    a = Value(0.0)
    r = a.relu()
    r.backward()
    assert (r.data, a.grad) == (0.0, 0.0)
    a, b = Value(1.0), Value(1.0)
    a.max(b).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)  # a tie routes the gradient to the first input


def test_sigmoid_and_tanh_saturate_without_overflow():
    for a, expected in [(-1000.0, 0.0), (1000.0, 1.0)]:
        x = Value(a)
        s = x.sigmoid()
        s.backward()
        assert (s.data, x.grad) == (expected, 0.0)
    assert Value(-1000.0).tanh().data == -1.0


def test_numbers_mix_in_on_both_sides_numpy_scalars_included():
    a = Value(4.0)
    assert [v.data for v in (a + 2, 2 + a, a - 2, 2 - a, a * 2, 2 * a, a / 2, 2 / a, -a, a**2)] == [
        6.0, 6.0, 2.0, -2.0, 8.0, 8.0, 2.0, 0.5, -4.0, 16.0]
    product = np.float64(3.0) * a
    assert isinstance(product, Value) and product.data == 12.0
    assert isinstance(np.int64(1) - a, Value) and Value(np.float32(1.5)).data == 1.5


# ----------------------------------------------------------------------------- the backward pass


def test_node_used_twice_collects_both_contributions():
    x = Value(3.0, "x")
    f = x * x
    f.backward()
    assert (f.data, x.grad) == (9.0, 6.0)  # 2x
    x = Value(2.0)
    g = x * 3 + x.exp()
    g.backward()
    assert x.grad == pytest.approx(3 + math.exp(2.0))


def test_gradients_accumulate_across_expressions_and_zero_grad_resets():
    a = Value(2.0, "a")
    (a * 3).backward()
    assert a.grad == 3.0
    (a * a).backward()  # a new expression that shares the leaf a: its gradient is added, as in PyTorch
    assert a.grad == 3.0 + 4.0
    zero_grad([a])
    assert a.grad == 0.0
    (a + 1).backward()
    assert a.grad == 1.0


def test_second_backward_raises_and_leaves_gradients_alone():
    x, y, z, q, f = lecture_graph()
    f.backward()
    with pytest.raises(RuntimeError, match="already run through this output.*doubled"):
        f.backward()
    assert [v.grad for v in (x, y, z, q, f)] == [-2.0, -2.0, 8.0, -2.0, 1.0]
    g = q * 2  # a new output built on an intermediate result that was already back-propagated
    with pytest.raises(RuntimeError, match="intermediate result '\\+' = 8"):
        g.backward()
    assert x.grad == -2.0
    zero_grad([x, y, z])  # the fix: rebuild the expression from its leaves
    f2 = (x + y) * z
    f2.backward()
    assert (x.grad, y.grad, z.grad) == (-2.0, -2.0, 8.0)


def test_zero_grad_takes_any_iterable_of_values():
    x, y, z, q, f = lecture_graph()
    f.backward()
    zero_grad(v for v in topological_order(f))
    assert [v.grad for v in (x, y, z, q, f)] == [0.0] * 5


def test_a_chain_10000_deep_works_without_recursion():
    x = Value(1.0, "x")
    out = x
    for _ in range(10_000):  # ten times Python's default recursion limit
        out = out + x
    out.backward()
    assert (out.data, x.grad) == (10_001.0, 10_001.0)
    assert len(topological_order(out)) == 10_001
    t = Value(0.5)
    out = t
    for _ in range(10_000):
        out = out.tanh()
    out.backward()
    assert 0 < t.grad < 1 and math.isfinite(t.grad)


def test_topological_order_inputs_first_each_node_once_output_last():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len(set(order)) == 5 and order[-1] is e
    where = {v: i for i, v in enumerate(order)}
    assert all(where[child] < where[v] for v in order for child in v._prev)
    assert topological_order(a) == [a]


def test_a_dropped_graph_is_freed_without_the_cycle_collector():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        x = Value(2.0)
        out = ((x * 3).exp().log() + x.tanh()).sigmoid().max(x) ** 2 / 4 - 1
        out.backward()
        probe = weakref.ref(out._prev[0])
        del out
        assert probe() is None  # reference counting alone freed it: the graph holds no cycles
    finally:
        if was_enabled:
            gc.enable()


# ----------------------------------------------------------------------------- softmax loss from Values


def softmax_loss_from_values(W_nodes, X, y, reg):
    """The softmax loss of scores = X @ W, written with Value operations only."""
    (N, D), C = X.shape, len(W_nodes[0])
    losses = []
    for i in range(N):
        scores = [sum((W_nodes[d][c] * X[i, d] for d in range(D)), Value(0.0)) for c in range(C)]
        shift = max(s.data for s in scores)
        losses.append(sum((s - shift).exp() for s in scores).log() - (scores[y[i]] - shift))
    penalty = sum(w * w for row in W_nodes for w in row)
    return sum(losses) / N + reg * penalty


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_softmax_loss_built_from_values_equals_the_vectorized_loss(reg):
    rng = np.random.default_rng(0)
    N, D, C = 5, 4, 3
    W, X, y = rng.normal(scale=0.5, size=(D, C)), rng.normal(size=(N, D)), np.array([0, 2, 1, 1, 0])
    W_nodes = [[Value(W[d, c]) for c in range(C)] for d in range(D)]
    loss = softmax_loss_from_values(W_nodes, X, y, reg)
    loss.backward()
    expected_loss, expected_dW = softmax_loss_vectorized(W, X, y, reg)
    assert loss.data == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose([[w.grad for w in row] for row in W_nodes], expected_dW, rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- overflow and bad input


def test_exp_at_the_largest_finite_input_works():
    assert math.isfinite(Value(709.78).exp().data)


@pytest.mark.parametrize("build, fragment", [
    (lambda x: x**-3, r"'\*\*-3' = 1e\+300"),  # slope −3e400: Python's ** raised OverflowError
    (lambda x: 1.0 / (x * 1e-100), "gradient overflowed"),  # slope −1e400: ** raised again
    (lambda x: x * 1e300 * 1e-300 * 1e300, "gradient overflowed"),  # * gives inf silently
    (lambda x: (x * 0.0) ** 0.5, r"'\*\*0.5' = 0"),  # infinite slope of √ at 0 (ZeroDivisionError)
], ids=["pow", "div", "mul-chain", "sqrt-at-0"])
def test_a_gradient_that_overflows_raises(build, fragment):
    x = Value(1e-100, "x")
    out = build(x)
    assert math.isfinite(out.data)  # the forward pass is fine ...
    with pytest.raises(OverflowError, match=fragment):
        out.backward()  # ... a gradient is not


BAD_INPUT = [
    (lambda: Value("3"), TypeError, "data must be a number"),
    (lambda: Value(None), TypeError, "data must be a number"),
    (lambda: Value([1.0]), TypeError, "data must be a number"),
    (lambda: Value(1 + 2j), TypeError, "data must be a number"),
    (lambda: Value(True), TypeError, "data must be a number, got bool"),
    (lambda: Value(np.bool_(False)), TypeError, "data must be a number"),
    (lambda: Value(Value(1.0)), TypeError, "data must be a number, got Value"),
    (lambda: Value(math.nan), ValueError, "data must be a finite number"),
    (lambda: Value(-math.inf), ValueError, "data must be a finite number"),
    (lambda: Value(1.0, label=3), TypeError, "label must be a str"),
    (lambda: Value(1.0) + "a", TypeError, "other must be a number, got str"),
    (lambda: "a" * Value(1.0), TypeError, "other must be a number"),
    (lambda: Value(1.0) - True, TypeError, "other must be a number, got bool"),
    (lambda: Value(1.0) / None, TypeError, "other must be a number"),
    (lambda: Value(1.0) + math.nan, ValueError, "other must be a finite number"),
    (lambda: Value(1.0).max("a"), TypeError, "other must be a number"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "exponent must be a number, not a Value"),
    (lambda: Value(2.0) ** "2", TypeError, "exponent must be a number"),
    (lambda: Value(2.0) ** math.inf, ValueError, "exponent must be a finite number"),
    (lambda: Value(-8.0) ** 0.5, ValueError, "not a real number"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "0 \\*\\* -1 divides by zero"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, "divides by zero"),
    (lambda: 1 / Value(0.0), ZeroDivisionError, "divides by zero"),
    (lambda: Value(0.0).log(), ValueError, "log needs a positive number, got 0"),
    (lambda: Value(-1.0, "x").log(), ValueError, "got -1 \\(x\\)"),
    (lambda: Value(710.0).exp(), OverflowError, "'exp' of \\(710\\) overflows.*subtract the largest score"),
    (lambda: Value(1e200) * 1e200, OverflowError, "'\\*' of \\(1e\\+200, 1e\\+200\\) overflows"),
    (lambda: Value(1e308) + 1e308, OverflowError, "'\\+' of .* overflows"),
    (lambda: Value(1e200) ** 2, OverflowError, "'\\*\\*2' of \\(1e\\+200\\) overflows"),
    (lambda: Value(1.0) < Value(2.0), TypeError, "not supported"),
    (lambda: topological_order(3.0), TypeError, "output must be a Value, got float"),
    (lambda: zero_grad(3), TypeError, "values must be an iterable of Values"),
    (lambda: zero_grad([Value(1.0), 2.0]), TypeError, "values must hold only Values, found float at position 1"),
]


@pytest.mark.parametrize("call, error, fragment", BAD_INPUT)
def test_bad_input_gives_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()

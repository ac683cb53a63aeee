"""Tests of course_lib.graph: the scalar autodiff engine and its drawing (notebook 07)."""

from __future__ import annotations

import math
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_lib.graph import (  # noqa: E402
    Value,
    backward_order,
    describe_backward_step,
    draw_graph,
    gradients_final_after,
    grads_of,
    softmax_loss_from_values,
    topological_order,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def lecture_graph(x=3.0, y=5.0, z=-2.0):
    x, y, z = Value(x, "x"), Value(y, "y"), Value(z, "z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return x, y, z, q, f


# ----------------------------------------------------------------------------- worked examples


def test_lecture_example_forward_and_backward():
    x, y, z, q, f = lecture_graph()
    assert (q.data, f.data) == (8.0, -16.0)
    f.backward()
    assert f.grad == 1.0
    assert z.grad == 8.0  # ∂f/∂z = q
    assert q.grad == -2.0  # ∂f/∂q = z
    assert x.grad == -2.0 and y.grad == -2.0  # ∂f/∂q · ∂q/∂x = z · 1


def test_lecture_example_step_by_step():
    x, y, z, q, f = lecture_graph()
    assert [g.label for g in backward_order(f)] == ["f", "q"]
    f.backward(num_steps=0)
    assert (f.grad, q.grad, z.grad, x.grad) == (1.0, 0.0, 0.0, 0.0)
    f.backward(num_steps=1)
    assert (q.grad, z.grad, x.grad, y.grad) == (-2.0, 8.0, 0.0, 0.0)
    f.backward(num_steps=2)
    assert (x.grad, y.grad) == (-2.0, -2.0)
    assert [v.label for v in gradients_final_after(f, 0)] == ["f"]
    assert {v.label for v in gradients_final_after(f, 1)} == {"q", "z", "f"}
    assert {v.label for v in gradients_final_after(f, 2)} == {"x", "y", "q", "z", "f"}


def test_describe_backward_step_lecture_numbers():
    *_, f = lecture_graph()
    f.backward()
    assert describe_backward_step(f, 0) == "step 0: seed ∂f/∂f = 1"
    s1 = describe_backward_step(f, 1)
    assert "gate f (×)" in s1 and "-2 × 1 = -2 to q" in s1 and "8 × 1 = 8 to z" in s1
    s2 = describe_backward_step(f, 2)
    assert "1 × -2 = -2 to x" in s2 and "1 × -2 = -2 to y" in s2


def test_shared_node_x_times_x():
    x = Value(3.0, "x")
    f = x * x
    f.backward()
    assert f.data == 9.0
    assert x.grad == 6.0  # 2x: both branches add into x.grad


def test_shared_node_3_x_squared_a():
    x, a = Value(-1.5, "x"), Value(2.0, "a")
    f = 3 * x**2 * a
    f.backward()
    assert f.data == pytest.approx(3 * 2.25 * 2.0)
    assert x.grad == pytest.approx(6 * -1.5 * 2.0)  # ∂/∂x 3x²a = 6xa
    assert a.grad == pytest.approx(3 * 2.25)  # ∂/∂a = 3x²


def test_node_used_by_two_gates_sums_contributions():
    x = Value(2.0, "x")
    f = x * 3 + x.exp()  # df/dx = 3 + e^x
    f.backward()
    assert x.grad == pytest.approx(3 + math.exp(2.0))


def test_gates_add_distributes_mul_swaps_max_routes():
    # CS231n's circuit 2 (xy + max(z, w)) at x=3, y=-4, z=2, w=-1
    x, y, z, w = Value(3.0, "x"), Value(-4.0, "y"), Value(2.0, "z"), Value(-1.0, "w")
    f = 2 * (x * y + z.max(w))
    f.backward()
    assert f.data == -20.0
    assert (x.grad, y.grad, z.grad, w.grad) == (-8.0, 6.0, 2.0, 0.0)
    prod = x * y
    assert [(v.label, g) for v, g in prod.local_grads()] == [("x", -4.0), ("y", 3.0)]
    add = x + y
    assert [g for _, g in add.local_grads()] == [1.0, 1.0]
    m = z.max(w)
    assert [g for _, g in m.local_grads()] == [1.0, 0.0]
    assert [g for _, g in w.max(z).local_grads()] == [0.0, 1.0]


def test_local_grads_restores_gradients_and_merges_shared_input():
    x = Value(3.0, "x")
    f = x * x
    f.backward()
    assert [(v.label, g) for v, g in f.local_grads()] == [("x", 6.0)]
    assert (x.grad, f.grad) == (6.0, 1.0)  # unchanged by the probe
    assert x.local_grads() == ()


def test_sigmoid_neuron_cs231n_values():
    w0, x0, w1, x1, b = (Value(v) for v in (2.0, -1.0, -3.0, -2.0, -3.0))
    out = (w0 * x0 + w1 * x1 + b).sigmoid()
    out.backward()
    s = 1 / (1 + math.exp(-1.0))
    assert out.data == pytest.approx(s)
    local = s * (1 - s)
    assert [w0.grad, x0.grad, w1.grad, x1.grad, b.grad] == pytest.approx(
        [local * -1.0, local * 2.0, local * -2.0, local * -3.0, local]
    )


def test_sigmoid_gate_equals_composed_gates():
    a1, a2 = Value(0.7), Value(0.7)
    s1 = a1.sigmoid()
    s2 = 1 / (1 + (-a2).exp())
    s1.backward()
    s2.backward()
    assert s1.data == pytest.approx(s2.data, rel=1e-15)
    assert a1.grad == pytest.approx(a2.grad, rel=1e-12)


def test_kink_conventions():
    a = Value(0.0)
    r = a.relu()
    r.backward()
    assert (r.data, a.grad) == (0.0, 0.0)
    a, b = Value(1.0), Value(1.0)
    m = a.max(b)
    m.backward()
    assert (a.grad, b.grad) == (1.0, 0.0)  # a tie routes to the first input
    assert Value(-3.0).relu().data == 0.0


def test_sigmoid_extremes_are_finite():
    assert Value(-800.0).sigmoid().data == pytest.approx(0.0, abs=1e-300)
    assert Value(800.0).sigmoid().data == 1.0


def test_numbers_mix_in_on_both_sides():
    a = Value(4.0)
    assert (2 + a).data == 6.0 and (a + 2).data == 6.0
    assert (2 - a).data == -2.0 and (a - 2).data == 2.0
    assert (2 * a).data == 8.0 and (a * 2).data == 8.0
    assert (2 / a).data == 0.5 and (a / 2).data == 2.0
    assert (-a).data == -4.0
    assert a.max(5).data == 5.0
    assert (np.float64(3.0) * a).data == 12.0 and isinstance(np.float64(3.0) * a, Value)
    assert Value(np.int64(3)).data == 3.0 and isinstance(Value(np.float32(1.5)).data, float)
    f = 2 / a  # ∂/∂a (2/a) = −2/a²
    f.backward()
    assert a.grad == pytest.approx(-2 / 16)
    g = 5 - a
    g.backward()
    assert a.grad == -1.0


# ----------------------------------------------------------------------------- numerical gradients

H = 1e-6


def _check_numerically(build, args, tol=1e-6):
    """Compare the engine's gradients of build(*Values) with centred differences."""
    leaves = [Value(a) for a in args]
    out = build(*leaves) * 1.7  # a non-trivial upstream gradient
    out.backward()
    for i, leaf in enumerate(leaves):
        plus = list(args)
        minus = list(args)
        plus[i] += H
        minus[i] -= H
        num = (build(*map(Value, plus)).data * 1.7 - build(*map(Value, minus)).data * 1.7) / (2 * H)
        assert leaf.grad == pytest.approx(num, rel=1e-5, abs=tol), (i, args)


real = st.floats(-3.0, 3.0, allow_nan=False)
away_from_zero = st.one_of(st.floats(0.2, 3.0), st.floats(-3.0, -0.2))
positive = st.floats(0.2, 5.0)

OPERATIONS = {
    "add": (lambda a, b: a + b, (real, real)),
    "sub": (lambda a, b: a - b, (real, real)),
    "neg": (lambda a: -a, (real,)),
    "mul": (lambda a, b: a * b, (real, real)),
    "div": (lambda a, b: a / b, (real, away_from_zero)),
    "pow_int": (lambda a: a**3, (real,)),
    "pow_negative": (lambda a: a**-2, (away_from_zero,)),
    "pow_fraction": (lambda a: a**0.5, (positive,)),
    "exp": (lambda a: a.exp(), (real,)),
    "log": (lambda a: a.log(), (positive,)),
    "sigmoid": (lambda a: a.sigmoid(), (real,)),
    "tanh": (lambda a: a.tanh(), (real,)),
    "relu": (lambda a: a.relu(), (away_from_zero,)),
    "radd": (lambda a: 2.5 + a, (real,)),
    "rsub": (lambda a: 2.5 - a, (real,)),
    "rmul": (lambda a: 2.5 * a, (real,)),
    "rtruediv": (lambda a: 2.5 / a, (away_from_zero,)),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_matches_centred_numerical_gradient(name):
    build, strategies = OPERATIONS[name]

    @settings(max_examples=25, deadline=None)
    @given(st.tuples(*strategies))
    def check(args):
        _check_numerically(build, args)

    check()


@settings(max_examples=25, deadline=None)
@given(real, real)
def test_max_matches_numerical_gradient_away_from_ties(a, b):
    if abs(a - b) < 1e-3:
        b = a + 0.5
    _check_numerically(lambda u, v: u.max(v), (a, b))


@settings(max_examples=25, deadline=None)
@given(real, real, positive)
def test_composite_expression_matches_numerical_gradient(a, b, c):
    def build(u, v, w):
        h = (u * v + w.log()).tanh()
        return h * u + (v / (w + 1)).exp() - (u - w) ** 2 + u.sigmoid() * v

    _check_numerically(build, (a, b, c), tol=1e-5)


# ----------------------------------------------------------------------------- the backward pass


def test_second_backward_is_idempotent_not_doubled():
    x, y, z, q, f = lecture_graph()
    f.backward()
    first = [v.grad for v in (x, y, z, q, f)]
    f.backward()
    assert [v.grad for v in (x, y, z, q, f)] == first == [-2.0, -2.0, 8.0, -2.0, 1.0]
    # The classic bug, done by hand: a second pass that only accumulates (no zeroing) piles
    # the new contributions on the old ones: z doubles, and x gets -2 + 1 * (-4) because q's
    # gradient has doubled before q passes it on.
    f.grad = 1.0
    for gate in backward_order(f):
        gate._backward()
    assert (z.grad, q.grad, x.grad) == (16.0, -4.0, -6.0)
    f.backward()
    assert (x.grad, z.grad) == (-2.0, 8.0)


def test_zero_grad_clears_the_whole_graph():
    x, y, z, q, f = lecture_graph()
    f.backward()
    f.zero_grad()
    assert [v.grad for v in (x, y, z, q, f)] == [0.0] * 5


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(1.0, "x")
    out = x
    for _ in range(5_000):  # far deeper than the default recursion limit (1,000)
        out = out + x
    out.backward()
    assert out.data == 5_001.0
    assert x.grad == 5_001.0
    assert len(topological_order(out)) == 5_001  # x and 5,000 additions


def test_topological_order_inputs_first_each_node_once():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert len(order) == len(set(order)) == 5
    where = {v: i for i, v in enumerate(order)}
    for v in order:
        assert all(where[child] < where[v] for child in v.inputs)
    assert order[-1] is e
    assert backward_order(e) == [e, d, c]


def test_repr_and_name_have_no_addresses():
    x, y, z, q, f = lecture_graph()
    f.backward()
    assert repr(f) == "Value('f', data=-16, grad=1, op='*')"
    assert repr(Value(-0.0)) == "Value(data=0, grad=0)"
    assert (x * y).name == "×" and Value(2.5).name == "2.5"


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", ["3", None, [1.0], 1 + 2j, True, np.bool_(True)])
def test_value_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="data"):
        Value(bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_value_rejects_non_finite(bad):
    with pytest.raises(ValueError, match="data must be a finite"):
        Value(bad)


def test_value_rejects_value_as_data_and_bad_label():
    with pytest.raises(TypeError, match="data must be a plain number"):
        Value(Value(1.0))
    with pytest.raises(TypeError, match="label must be a str"):
        Value(1.0, label=3)


def test_log_of_non_positive_raises():
    with pytest.raises(ValueError, match="log is defined only for positive numbers"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="'x' is -1"):
        Value(-1.0, "x").log()


def test_division_by_zero_raises():
    with pytest.raises(ZeroDivisionError, match="division by zero.*'b' is 0"):
        Value(1.0) / Value(0.0, "b")
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        1 / Value(0.0)


def test_power_errors():
    with pytest.raises(TypeError, match="exponent must be a plain number"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** "2"
    with pytest.raises(ValueError, match="exponent must be a finite"):
        Value(2.0) ** math.nan
    with pytest.raises(ValueError, match="not a real number"):
        Value(-8.0) ** 0.5
    with pytest.raises(ZeroDivisionError, match="0 \\*\\* -1"):
        Value(0.0) ** -1
    root = Value(0.0, "x") ** 0.5
    with pytest.raises(ZeroDivisionError, match="infinite"):
        root.backward()
    assert (Value(-2.0) ** 3).data == -8.0  # integer powers of negatives are fine
    assert (Value(0.0) ** 2).data == 0.0


def test_overflow_raises_clear_value_error():
    with pytest.raises(ValueError, match="exp\\(1000\\) overflows"):
        Value(1000.0).exp()
    with pytest.raises(ValueError, match="overflow"):
        Value(1e200) * Value(1e200)
    with pytest.raises(ValueError, match="overflows"):
        Value(1e200) ** 2


@pytest.mark.parametrize("build, gate", [
    (lambda x: x ** -3, r"'\*\*-3' gate"),  # slope -3e400: Python's ** raised OverflowError
    (lambda x: 1.0 / (x * 1e-100), r"'/' gate"),  # slope -1e400 at 1e-200: was a ZeroDivisionError
    (lambda x: 1.0 / (x * 1e-60), r"'/' gate"),  # 1 / 1e-160: slope -1e320, was -inf silently
    (lambda x: (x * 5e-224).log(), r"'log' gate"),  # log at 5e-324: slope 2e323, was inf silently
    (lambda x: x * 1e300 * 1e-300 * 1e300, r"'\*' gate"),  # d out / d 1e-300 = 1e200 · 1e300
], ids=["pow", "div-tiny", "div-subnormal-square", "log-subnormal", "chain"])
def test_backward_refuses_a_gradient_that_overflows(build, gate):
    x = Value(1e-100, "x")
    out = build(x)
    assert math.isfinite(out.data)  # every forward value is fine ...
    with pytest.raises(ValueError, match=f"^the gradient overflowed in the backward step of the {gate}.*"
                                         r"larger than a float can hold"):
        out.backward()  # ... but a gradient is not


def test_gradients_near_the_float_limits_stay_exact():
    x = Value(1e-100, "x")
    (1.0 / x).backward()
    assert x.grad == -1e200  # −1 / x², as large as a float holds easily
    b = Value(1e200, "b")
    (Value(1.0) / b).backward()  # −a / b² = −1e-400 underflows to −0.0: no error (b² would overflow)
    assert b.grad == 0.0
    a, b = Value(3.0), Value(4.0)
    (a / b).backward()
    assert (a.grad, b.grad) == (0.25, -3.0 / 16.0)
    rng = np.random.default_rng(0)  # ordinary values: exactly the textbook −a / b**2, bit for bit
    for x, y in rng.uniform(-10, 10, size=(200, 2)) * 10.0 ** rng.integers(-100, 100, size=(200, 2)):
        a, b = Value(x), Value(y)
        (a / b).backward()
        assert b.grad == -x / y**2
    a, b = Value(1e-200), Value(1e-170)  # b² = 1e-340 would round to 0; the slope is -1e140
    (a / b).backward()
    assert b.grad == pytest.approx(-1e140, rel=1e-15)
    t = Value(1e-300, "t")
    (t ** 2).backward()
    assert t.grad == 2e-300


def test_a_refused_gate_leaves_its_inputs_gradients_unchanged():
    x = Value(1e-200, "x")
    out = 1.0 / x + x
    with pytest.raises(ValueError, match="gradient overflowed"):
        out.backward()
    assert x.grad == 1.0  # from the '+' gate, which ran first; the '/' gate added nothing
    with pytest.raises(ValueError, match="gradient overflowed"):
        (1.0 / x).local_grads()


def test_unsupported_operands_raise_type_error():
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    with pytest.raises(TypeError):
        "a" * Value(1.0)
    with pytest.raises(TypeError, match="other must be a Value or a real number"):
        Value(1.0).max("a")
    with pytest.raises(TypeError, match="a.max\\(b\\)"):
        Value(1.0) < Value(2.0)


def test_backward_num_steps_checked():
    *_, f = lecture_graph()
    with pytest.raises(ValueError, match="num_steps"):
        f.backward(num_steps=3)
    with pytest.raises(TypeError, match="num_steps"):
        f.backward(num_steps=1.0)


def test_graph_functions_reject_non_values():
    with pytest.raises(TypeError, match="node must be a course_lib.graph.Value"):
        topological_order(3.0)
    with pytest.raises(TypeError, match="node"):
        draw_graph("f")
    with pytest.raises(TypeError, match="output"):
        describe_backward_step(1.0, 0)
    with pytest.raises(TypeError, match="output"):
        gradients_final_after(1.0, 0)
    *_, f = lecture_graph()
    with pytest.raises(ValueError, match="step"):
        describe_backward_step(f, 3)
    with pytest.raises(ValueError, match="step"):
        gradients_final_after(f, -1)
    with pytest.raises(TypeError, match="nodes must hold only Values"):
        grads_of([Value(1.0), 2.0])


# ----------------------------------------------------------------------------- drawing


def test_draw_values_only_shows_forward_pass():
    *_, f = lecture_graph()
    d = draw_graph(f, show="values")
    assert d.box_texts == ["x\nvalue 3", "y\nvalue 5", "q = +\nvalue 8", "z\nvalue -2", "f = ×\nvalue -16"]
    assert d.edge_texts == [] and d.active is None


def test_draw_gradients_and_backward_arrows():
    *_, f = lecture_graph()
    f.backward()
    d = draw_graph(f)
    assert d.box_texts[0] == "x\nvalue 3\ngrad -2"
    assert d.box_texts[-1] == "f = ×\nvalue -16\ngrad 1"
    assert sorted(d.edge_texts) == sorted(["← -2", "← -2", "← -2", "← 8"])
    texts = [t.get_text() for t in d.ax.texts]
    assert "← 8" in texts and "grad -2" in texts
    assert not any(re.search(r"0x[0-9a-f]{4,}", t) for t in texts)


def test_draw_step_hides_unfinished_gradients_and_highlights_gate():
    x, y, z, q, f = lecture_graph()
    f.backward(num_steps=1)
    d = draw_graph(f, step=1)
    assert d.active is f
    assert d.box_texts[0] == "x\nvalue 3\ngrad ?"
    assert d.box_texts[2] == "q = +\nvalue 8\ngrad -2"
    assert sorted(d.edge_texts) == ["← -2", "← 8"]
    d0 = draw_graph(f, step=0)
    assert d0.edge_texts == [] and d0.active is None
    assert sum("grad ?" in t for t in d0.box_texts) == 4


def test_draw_layout_is_layered_and_deterministic():
    first = lecture_graph()
    second = lecture_graph()
    d1 = draw_graph(first[-1], show="values")
    d2 = draw_graph(second[-1], show="values")
    assert [d1.positions[v] for v in d1.nodes] == [d2.positions[v] for v in d2.nodes]
    assert d1.box_texts == d2.box_texts
    pos = d1.positions
    for v in d1.nodes:
        assert all(pos[c][0] < pos[v][0] for c in v.inputs)  # inputs left of their gate
    x, y, z, q, f = first
    assert pos[x][0] == pos[y][0] == pos[z][0] == 0.0 < pos[q][0] < pos[f][0]
    assert pos[x][1] > pos[y][1] > pos[z][1]  # rows in the order the graph uses them


def test_draw_shared_input_gets_one_summed_label():
    x = Value(3.0, "x")
    f = x * x
    f.backward()
    d = draw_graph(f)
    assert d.edge_texts == ["← 6"]


def test_draw_constant_sits_next_to_its_gate():
    x, a = Value(3.0, "x"), Value(2.0, "a")
    f = 3 * x**2 * a
    f.backward()
    d = draw_graph(f)
    const = next(v for v in d.nodes if v.is_leaf and not v.label)
    assert "constant\nvalue 3\ngrad 18" in d.box_texts
    assert d.positions[const][0] > d.positions[x][0]
    assert sorted(d.edge_texts) == sorted(["← 36", "← 6", "← 18", "← 2", "← 27"])


def test_draw_into_given_axes_and_bad_options():
    *_, f = lecture_graph()
    fig, ax = plt.subplots()
    assert draw_graph(f, ax).ax is ax
    with pytest.raises(ValueError, match="show must be one of"):
        draw_graph(f, show="both")
    with pytest.raises(ValueError, match="step must be None when show='values'"):
        draw_graph(f, show="values", step=0)
    with pytest.raises(ValueError, match="step"):
        draw_graph(f, step=3)
    with pytest.raises(ValueError, match="max_nodes=3"):
        draw_graph(f, max_nodes=3)


# ----------------------------------------------------------------------------- the link to losses


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_softmax_loss_from_values_matches_analytic_dW(reg):
    from course_lib.losses import softmax_loss_vectorized

    rng = np.random.default_rng(0)
    N, D, C = 3, 4, 3
    W = rng.normal(scale=0.5, size=(D, C))
    X = rng.normal(size=(N, D))
    y = np.array([0, 2, 1])
    loss, W_nodes = softmax_loss_from_values(W, X, y, reg)
    loss.backward()
    expected_loss, expected_dW = softmax_loss_vectorized(W, X, y, reg)
    assert loss.data == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(grads_of(W_nodes), expected_dW, rtol=1e-9, atol=1e-12)
    assert grads_of(W_nodes).shape == (D, C)


def test_softmax_loss_from_values_is_stable_for_large_scores():
    from course_lib.losses import softmax_loss_vectorized

    W = np.array([[400.0, -400.0], [1.0, 2.0]])
    X = np.array([[2.0, 1.0], [1.0, -1.0]])
    y = np.array([1, 0])
    loss, W_nodes = softmax_loss_from_values(W, X, y, 0.0)
    loss.backward()
    expected_loss, expected_dW = softmax_loss_vectorized(W, X, y, 0.0)
    assert loss.data == pytest.approx(expected_loss)
    np.testing.assert_allclose(grads_of(W_nodes), expected_dW, atol=1e-12)


def test_softmax_loss_from_values_bad_input():
    W = np.zeros((4, 3))
    X = np.zeros((2, 4))
    y = np.array([0, 1])
    with pytest.raises(ValueError, match="X has 5 columns but W has 4 rows"):
        softmax_loss_from_values(W, np.zeros((2, 5)), y)
    with pytest.raises(ValueError, match="reg must be >= 0"):
        softmax_loss_from_values(W, X, y, -1.0)
    with pytest.raises(ValueError, match="y must hold labels in \\[0, 3\\)"):
        softmax_loss_from_values(W, X, np.array([0, 3]))
    with pytest.raises(TypeError, match="y must hold integer"):
        softmax_loss_from_values(W, X, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="W must be 2-D"):
        softmax_loss_from_values(np.zeros(4), X, y)
    with pytest.raises(ValueError, match="X has 2 labels|y has 3 labels"):
        softmax_loss_from_values(W, X, np.array([0, 1, 2]))

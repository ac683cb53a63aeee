"""Tests of course_lib.demos.backpropagation: notebook 07's graph drawings, the step-by-step backward
pass of the lecture's f = (x + y) z, its widget, the softmax loss built from Values, and the helpers
of its exercises (including that the check cells catch the usual mistakes)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import course_lib.demos.backpropagation as demo  # noqa: E402
from course_lib.backpropagation import Value  # noqa: E402
from course_lib.exercises import check_function, make_cases  # noqa: E402
from course_lib.losses import softmax_loss_vectorized  # noqa: E402
from course_lib.optimization import numerical_gradient  # noqa: E402

finite = st.floats(-4, 4, allow_nan=False)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- the lecture's example


def test_lecture_example_forward_and_backward_numbers():
    n = demo.lecture_graph(**demo.LECTURE_INPUTS)
    assert (n["q"].data, n["f"].data) == (8.0, -16.0)
    n["f"].backward()
    assert [n[k].grad for k in "xyzq"] == [-2.0, -2.0, 8.0, -2.0]


def test_cs231n_inputs_give_its_numbers():
    n = demo.lecture_graph(**demo.CS231N_INPUTS)
    assert (n["q"].data, n["f"].data) == (3.0, -12.0)
    n["f"].backward()
    assert [n[k].grad for k in "xyz"] == [-4.0, -4.0, 3.0]


@pytest.mark.parametrize("step, known, grads", [
    (0, {"f"}, {"f": 1.0}),
    (1, {"f", "q", "z"}, {"f": 1.0, "q": -2.0, "z": 8.0}),
    (2, set("xyzqf"), {"x": -2.0, "y": -2.0, "z": 8.0, "q": -2.0, "f": 1.0}),
])
def test_backward_steps_stop_after_each_gate(step, known, grads):
    n = demo.lecture_graph(3.0, 5.0, -2.0)
    state = demo.run_backward_steps(n["f"], step)
    assert {v.label for v in state["known"]} == known
    assert [g.label for g in state["gates"]] == ["f", "q"][:step]
    assert {k: n[k].grad for k in known} == grads
    assert all(n[k].grad == 0 for k in set("xyzqf") - known)


@settings(max_examples=40, deadline=None)
@given(finite, finite, finite, finite)
def test_all_steps_equal_the_engines_backward(a, b, c, d):
    def build():
        x, y, z, w = Value(a, "x"), Value(b, "y"), Value(c, "z"), Value(d, "w")
        return (x * y + z.max(w)) * x - (y + 1).tanh() * w, (x, y, z, w)

    out, leaves = build()
    demo.run_backward_steps(out)
    out2, leaves2 = build()
    out2.backward()
    assert [v.grad for v in leaves] == [v.grad for v in leaves2]


def test_backward_steps_refuse_a_used_graph_and_bad_steps():
    n = demo.lecture_graph()
    n["f"].backward()
    with pytest.raises(ValueError, match="fresh graph"):
        demo.run_backward_steps(n["f"], 1)
    with pytest.raises(ValueError, match="num_steps"):
        demo.run_backward_steps(demo.lecture_graph()["f"], 3)


def test_lecture_messages_name_the_numbers():
    assert "q = x + y = 8, f = q * z = -16" in demo.lecture_message()
    assert "df/dq = z * 1 = -4" in demo.lecture_message(**demo.CS231N_INPUTS, step=1)
    assert "df/dz = q * 1 = 3" in demo.lecture_message(**demo.CS231N_INPUTS, step=1)
    with pytest.raises(ValueError, match="step"):
        demo.lecture_message(step=3)
    with pytest.raises(TypeError, match="x must be a number"):
        demo.lecture_graph(x="3")


# ----------------------------------------------------------------------------- drawings


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_draw_lecture_graph_shows_values_then_gradients():
    fig = demo.draw_lecture_graph(3.0, 5.0, -2.0)
    assert isinstance(fig, Figure)
    texts = _texts(fig)
    assert "q = 8" in texts and "f = \u221216" in texts and not any(t.startswith("grad") for t in texts)
    texts = _texts(demo.draw_lecture_graph(3.0, 5.0, -2.0, step=1))
    assert texts.count("grad ?") == 2 and "grad \u22122" in texts and "grad 8" in texts
    texts = _texts(demo.draw_lecture_graph(3.0, 5.0, -2.0, step=2))
    assert "grad ?" not in texts and texts.count("grad \u22122") == 3


def test_gradient_labels_are_projector_sized_and_never_a_cross():
    fig = demo.draw_lecture_graph(3.0, 5.0, -2.0, step=2)
    sizes = [t.get_fontsize() for t in fig.axes[0].texts]
    assert min(sizes) >= 14
    assert not any("\u00d7" in t for t in _texts(fig))   # the multiply gate is "*", never the glyph ×


def test_boxes_are_wide_enough_for_their_text():
    w0, x0, b = Value(2.0, "w0"), Value(-1.0, "x0"), Value(-3.0, "b")
    out = (w0 * x0 + b).sigmoid()
    out.backward()
    fig = demo.draw_graph(out, title="a neuron")
    renderer = FigureCanvasAgg(fig).get_renderer()
    boxes = [p.get_window_extent(renderer) for p in fig.axes[0].patches if type(p).__name__ == "FancyBboxPatch"]
    for text in fig.axes[0].texts:
        if text.get_text().startswith("grad"):
            extent = text.get_window_extent(renderer)
            assert any(b.x0 <= extent.x0 and extent.x1 <= b.x1 for b in boxes), text.get_text()
    assert fig.get_size_inches()[0] <= 11.0 + 1e-9


def test_graph_alt_lists_every_node_with_its_gradient():
    n = demo.lecture_graph()
    n["f"].backward()
    alt = demo.graph_alt(n["f"])
    for part in ("x = 3, gradient -2", "z = -2, gradient 8", "q = 8 (gate + of x, y)", "f = -16 (gate * of q, z)"):
        assert part in alt
    assert "gradient not known yet" in demo.lecture_alt(step=0)
    assert "gradient" not in demo.lecture_alt()


def test_draw_graph_layout_puts_a_constant_next_to_its_gate():
    x = Value(3.0, "x")
    f = 2 * x
    f.backward()
    texts = _texts(demo.draw_graph(f))
    assert "2" in texts and "grad 3" in texts  # the constant is a node with its own gradient


# ----------------------------------------------------------------------------- widget


def test_widget_steps_through_the_backward_pass(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append(alt))
    widget = demo.lecture_widget()
    sliders = widget.children[0].children
    step_button, reset_button = widget.children[1].children
    status = widget.children[2]
    assert [s.description for s in sliders] == ["x", "y", "z"]
    assert not any(s.continuous_update for s in sliders)
    assert shown[-1] == demo.lecture_alt() and "Forward pass" in status.value
    for step in range(3):
        step_button.click()
        assert shown[-1] == demo.lecture_alt(step=step)
    assert step_button.disabled
    sliders[2].value = 0.0
    assert shown[-1] == demo.lecture_alt(3.0, 5.0, 0.0, step=2)
    reset_button.click()
    assert shown[-1] == demo.lecture_alt(3.0, 5.0, 0.0) and not step_button.disabled


# ----------------------------------------------------------------------------- exercise 1: a gate


@settings(max_examples=40, deadline=None)
@given(finite, finite)
def test_gate_results_of_the_reference_match_the_formulas(a, w):
    r = demo.gate_results(demo.engine_tanh)(a, w)
    t = math.tanh(a)
    assert r["out.data"] == pytest.approx(t)
    assert r["a.grad"] == pytest.approx(w * (1 - t**2) + 1, abs=1e-12)
    assert r["w.grad"] == pytest.approx(t)


def _gate(rule, *, attach=True, children=True, op_value=math.tanh):
    def gate(a):
        t = op_value(a.data)
        out = Value(t, _children=(a,) if children else (), _op="tanh")

        def _backward(out_grad):
            rule(a, t, out_grad)

        if attach:
            out._backward = _backward
        return out

    return gate


def _set(a, t, g):
    a.grad = (1 - t**2) * g   # = instead of +=


def _no_upstream(a, t, g):
    a.grad += 1 - t**2


def _exp_rule(a, t, g):
    a.grad += t * g           # the exp gate's rule, not tanh's


WRONG_GATES = [
    (_gate(_set), "a.grad"),
    (_gate(_no_upstream), "a.grad"),
    (_gate(_exp_rule), "a.grad"),
    (_gate(_exp_rule, attach=False), "a.grad"),
    (_gate(_exp_rule, children=False), "does not list its input"),
    (lambda a: math.tanh(a.data), "returned a float"),
    (lambda a: a, "returned its input"),
]


@pytest.mark.parametrize("gate, message", WRONG_GATES)
def test_the_gate_check_catches_usual_mistakes(gate, message):
    cases = make_cases(demo.random_gate_case, [0.5, 1.0, 2.0, 4.0], seed=7) + [(0.0, 1.0)]
    with pytest.raises(AssertionError, match=message):
        check_function(demo.gate_results(gate), demo.gate_results(demo.engine_tanh), cases, name="tanh_gate")


def test_the_gate_check_passes_a_right_gate_and_says_not_written_yet():
    def right(a, t, g):
        a.grad += (1 - t**2) * g

    cases = make_cases(demo.random_gate_case, [0.5, 4.0], seed=7)
    check_function(demo.gate_results(_gate(right)), demo.gate_results(demo.engine_tanh), cases, name="tanh_gate")

    def unfinished(a):
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="not written yet"):
        check_function(demo.gate_results(unfinished), demo.gate_results(demo.engine_tanh), cases, name="tanh_gate")


# ----------------------------------------------------------------------------- exercise 2: by hand


@settings(max_examples=40, deadline=None)
@given(finite, finite, finite)
def test_grads_by_engine_match_numerical_gradients_away_from_the_kink(x, y, z):
    if abs(x * y - z) < 1e-3:
        return
    numerical = numerical_gradient(lambda v: max(v[0] * v[1], v[2]) * (v[0] + v[2]), np.array([x, y, z]), h=1e-6)
    np.testing.assert_allclose(demo.grads_by_engine(x, y, z), numerical, rtol=1e-5, atol=1e-5)


def test_grads_by_engine_at_a_tie_route_to_x_times_y():
    # x y = z = 3: f = m (x + z), m's gradient s = 5 goes to p = x y; x also gets m = 3 through s
    assert demo.grads_by_engine(2.0, 1.5, 3.0) == (1.5 * 5 + 3, 2.0 * 5, 3.0)


def test_the_by_hand_check_catches_a_missing_path():
    def forgets_second_path(x, y, z):
        p, s = x * y, x + z
        m = max(p, z)
        dp = s if p >= z else 0.0
        return y * dp, x * dp, (s if p < z else 0.0) + m

    cases = make_cases(demo.random_xyz, [0.5, 1.0, 2.0, 3.0], seed=11)
    with pytest.raises(AssertionError, match=r"result\[0\] is wrong"):
        check_function(forgets_second_path, demo.grads_by_engine, cases, name="grads_by_hand")


# ----------------------------------------------------------------------------- softmax from Values


def test_softmax_loss_from_values_equals_notebook_05():
    rng = np.random.default_rng(3)
    W, X, y = rng.normal(size=(5, 4)), rng.normal(size=(6, 5)), rng.integers(0, 4, size=6)
    loss, W_nodes = demo.softmax_loss_values(W, X, y, 0.3)
    loss.backward()
    want_loss, want_dW = softmax_loss_vectorized(W, X, y, 0.3)
    assert loss.data == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(demo.grads_of(W_nodes), want_dW, rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError):
        demo.softmax_loss_values(W, X[:, :4], y, 0.3)


def test_a_gate_that_hands_the_work_to_the_engine_is_refused_and_the_engine_is_restored():
    cases = make_cases(demo.random_gate_case, [1.0, 2.0], seed=3)
    with pytest.raises(AssertionError, match=r"called the engine's Value.tanh\(\)"):
        check_function(demo.gate_results(lambda a: a.tanh(), forbid="tanh"), demo.gate_results(demo.engine_tanh),
                       cases, name="tanh_gate")
    assert Value(0.5).tanh().data == pytest.approx(np.tanh(0.5))     # the method is back after the check


def test_gradients_by_hand_may_not_call_backward_but_plain_arithmetic_passes():
    def through_the_engine(x, y, z):
        x, y, z = Value(x), Value(y), Value(z)
        ((x * y).max(z) * (x + z)).backward()
        return x.grad, y.grad, z.grad

    def by_hand(x, y, z):
        p, s = x * y, x + z
        m = max(p, z)
        dp, dz = (s, 0.0) if p >= z else (0.0, s)
        return m + y * dp, x * dp, dz + m

    cases = make_cases(demo.random_xyz, [1.0, 3.0], seed=5) + [(2.0, 1.5, 3.0)]
    with pytest.raises(AssertionError, match=r"through_the_engine called the engine's Value.backward\(\)"):
        check_function(demo.by_hand(through_the_engine), demo.grads_by_engine, cases, name="grads_by_hand")
    check_function(demo.by_hand(by_hand), demo.grads_by_engine, cases, name="grads_by_hand")
    assert demo.grads_by_engine(1.0, 2.0, -1.0) == through_the_engine(1.0, 2.0, -1.0)  # backward restored

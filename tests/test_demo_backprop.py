"""Tests of course_lib.demos.backprop: the step-by-step backward-pass demo (notebook 07)."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_lib.demos.backprop import (  # noqa: E402
    backprop_widget,
    compute_backprop_state,
    draw_backprop_step,
    lecture_example,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_lecture_example_builds_the_graph():
    nodes = lecture_example()
    assert list(nodes) == ["x", "y", "z", "q", "f"]
    assert [nodes[k].data for k in nodes] == [3.0, 5.0, -2.0, 8.0, -16.0]
    assert nodes["q"].inputs == (nodes["x"], nodes["y"])
    assert nodes["f"].inputs == (nodes["q"], nodes["z"])
    assert all(v.grad == 0.0 for v in nodes.values())


def test_states_step_by_step_lecture_numbers():
    fwd = compute_backprop_state()
    assert fwd["values"] == {"x": 3.0, "y": 5.0, "z": -2.0, "q": 8.0, "f": -16.0}
    assert all(g is None for g in fwd["grads"].values())
    assert fwd["num_steps"] == 2
    assert fwd["message"].startswith("forward pass: q = x + y = 8, f = q · z = -16")
    s0 = compute_backprop_state(step=0)
    assert s0["grads"] == {"x": None, "y": None, "z": None, "q": None, "f": 1.0}
    s1 = compute_backprop_state(step=1)
    assert s1["grads"] == {"x": None, "y": None, "z": 8.0, "q": -2.0, "f": 1.0}
    assert "gate f (×)" in s1["message"]
    s2 = compute_backprop_state(step=2)
    assert s2["grads"] == {"x": -2.0, "y": -2.0, "z": 8.0, "q": -2.0, "f": 1.0}
    assert s2["message"].startswith("step 2 of 2: gate q (+)")


def test_states_other_inputs():
    s = compute_backprop_state(1.0, -4.0, 0.5, step=2)
    assert s["values"]["q"] == -3.0 and s["values"]["f"] == -1.5
    assert s["grads"] == {"x": 0.5, "y": 0.5, "z": -3.0, "q": 0.5, "f": 1.0}


def test_bad_inputs():
    with pytest.raises(ValueError, match="step"):
        compute_backprop_state(step=3)
    with pytest.raises(TypeError, match="step"):
        compute_backprop_state(step=1.0)
    with pytest.raises(TypeError, match="^x must be a real number"):
        compute_backprop_state("3", 5.0, -2.0)
    with pytest.raises(ValueError, match="^x must be a finite number"):
        compute_backprop_state(math.nan, 5.0, -2.0)
    with pytest.raises(TypeError, match="^y must be a real number"):
        lecture_example(y=True)
    with pytest.raises(ValueError, match="^z must be a finite number"):
        draw_backprop_step(None, z=math.inf)
    with pytest.raises(ValueError, match="step"):
        draw_backprop_step(None, step=-1)


def test_draw_backprop_step():
    fig, ax = plt.subplots()
    d = draw_backprop_step(ax, step=None)
    assert d.ax is ax and ax.get_title() == "forward pass"
    assert all("grad" not in t for t in d.box_texts)
    d = draw_backprop_step(None, step=1)
    assert d.ax.get_title() == "backward pass, step 1 of 2"
    assert d.active.label == "f"
    assert sorted(d.edge_texts) == ["← -2", "← 8"]
    d = draw_backprop_step(None, 1.0, 2.0, 3.0, step=2)
    assert d.box_texts[0] == "x\nvalue 1\ngrad 3"


def _parts(w):
    sliders = list(w.children[0].children)
    step_button, reset_button = w.children[1].children
    return sliders, step_button, reset_button, w.children[2], w.children[3]


def test_widget_steps_and_resets():
    w = backprop_widget()
    sliders, step_button, reset_button, status, out = _parts(w)
    assert [s.description for s in sliders] == ["x", "y", "z"]
    assert [s.value for s in sliders] == [3.0, 5.0, -2.0]
    assert "forward pass" in status.value
    step_button.click()
    assert "step 0: seed" in status.value
    step_button.click()
    assert "step 1 of 2" in status.value and not step_button.disabled
    step_button.click()
    assert "step 2 of 2" in status.value and "-2 to x" in status.value
    assert step_button.disabled
    sliders[2].value = 1.0  # z = 1: the + gate now passes ∂f/∂q = 1 back
    assert "step 2 of 2" in status.value and "1 × 1 = 1 to x" in status.value
    reset_button.click()
    assert "forward pass: q = x + y = 8, f = q · z = 8" in status.value
    assert not step_button.disabled
    assert plt.get_fignums() == []  # every redraw closes its figure after showing it


def test_widget_checks_inputs_and_keeps_start_values_outside_the_slider_range():
    with pytest.raises(TypeError, match="^x must be a real number"):
        backprop_widget(x="3")  # not silently converted to 3.0
    with pytest.raises(ValueError, match="^z must be a finite number"):
        backprop_widget(z=math.nan)
    w = backprop_widget(x=7.5, z=-6.0)
    sliders = _parts(w)[0]
    assert [s.value for s in sliders] == [7.5, 5.0, -6.0]  # not clipped to [-5, 5]
    assert [(s.min, s.max) for s in sliders] == [(-5.0, 8.0), (-5.0, 5.0), (-6.0, 5.0)]
    assert "f = q · z = -75" in _parts(w)[3].value

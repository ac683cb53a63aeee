"""Interactive demo of notebook 07: the lecture's graph f = (x + y) z, forward and backward.

Sliders choose x, y and z; the graph is redrawn with every node's value and gradient. A
button runs the backward pass one gate at a time (first the seed ∂f/∂f = 1, then the ×
gate, then the + gate), so a live demo can pause on every application of the chain rule.

Two layers (see CONTRIBUTING.md): plain functions that build, compute and draw
(:func:`lecture_example`, :func:`compute_backprop_state`, :func:`draw_backprop_step`), unit
tested with concrete numbers, and a thin :func:`backprop_widget` that wires ipywidgets to
them.

Source: lecture part 3 (the example f(x, y, z) = (x + y) z at x = 3, y = 5, z = −2).
Introduced in ``notebooks/07_backpropagation.ipynb``.
"""

from __future__ import annotations

import math

from .._validation import check_int
from ..graph import (
    Value,
    _check_data,
    backward_order,
    describe_backward_step,
    draw_graph,
    gradients_final_after,
)

__all__ = ["lecture_example", "compute_backprop_state", "draw_backprop_step", "backprop_widget"]

#: Node names of the lecture example, inputs first.
NAMES = ("x", "y", "z", "q", "f")

#: The range of the widget's sliders (widened to include a start value outside it).
SLIDER_RANGE = (-5.0, 5.0)


def _check_inputs(x, y, z) -> tuple[float, float, float]:
    """x, y, z as Python floats; TypeError/ValueError naming the argument for anything that
    is not a finite real number (strings such as ``"3"`` and bools are refused)."""
    return _check_data(x, "x"), _check_data(y, "y"), _check_data(z, "z")


def lecture_example(x: float = 3.0, y: float = 5.0, z: float = -2.0) -> dict:
    """Build the lecture's graph ``q = x + y``, ``f = q z`` (forward pass only).

    Parameters
    ----------
    x, y, z : float, finite
        The inputs (the lecture uses 3, 5, −2).

    Returns
    -------
    dict str -> Value
        ``{"x", "y", "z", "q", "f"}``, each Value labelled with its name; gradients are 0.

    Raises
    ------
    TypeError
        ``x``, ``y`` or ``z`` is not a real number (a string such as ``"3"``, a bool, None);
        the message names the argument.
    ValueError
        ``x``, ``y`` or ``z`` is NaN or ±inf.

    Source: lecture part 3. Notebook 07.
    """
    x, y, z = _check_inputs(x, y, z)
    nodes = {"x": Value(x, "x"), "y": Value(y, "y"), "z": Value(z, "z")}
    nodes["q"] = nodes["x"] + nodes["y"]
    nodes["q"].label = "q"
    nodes["f"] = nodes["q"] * nodes["z"]
    nodes["f"].label = "f"
    return nodes


def _num_gates() -> int:
    return len(backward_order(lecture_example()["f"]))


def compute_backprop_state(x: float = 3.0, y: float = 5.0, z: float = -2.0, step: int | None = None) -> dict:
    """The lecture example after the forward pass and ``step`` backward steps.

    Parameters
    ----------
    x, y, z : float, finite
    step : int or None, default None
        ``None``: forward pass only (no gradients yet). ``0``: the output is seeded with
        ∂f/∂f = 1. ``1``: the × gate has run (∂f/∂q, ∂f/∂z known). ``2``: the + gate has run
        (all gradients known).

    Returns
    -------
    dict with keys
        ``"values"``: {name: float} forward values of x, y, z, q, f;
        ``"grads"``: {name: float or None} gradients ∂f/∂name, ``None`` where not known yet;
        ``"num_steps"``: int, the number of gate steps (2);
        ``"message"``: str, what the last step did (or that the forward pass is done).

    Raises
    ------
    TypeError, ValueError
        Non-finite or non-numeric inputs; ``step`` not None or an integer in [0, 2].

    Source: lecture part 3. Notebook 07.
    """
    nodes = lecture_example(x, y, z)
    f = nodes["f"]
    num_steps = len(backward_order(f))
    if step is not None:
        step = check_int(step, "step", low=0, high=num_steps)
    values = {name: v.data for name, v in nodes.items()}
    if step is None:
        grads = {name: None for name in nodes}
        message = (
            f"forward pass: q = x + y = {values['q']:g}, f = q · z = {values['f']:g}. "
            f"Press 'backward step' to start the backward pass."
        )
    else:
        f.backward(num_steps=step)
        final = gradients_final_after(f, step)
        grads = {name: (v.grad if any(v is u for u in final) else None) for name, v in nodes.items()}
        message = describe_backward_step(f, step)
    return {"values": values, "grads": grads, "num_steps": num_steps, "message": message}


def draw_backprop_step(ax, x: float = 3.0, y: float = 5.0, z: float = -2.0, step: int | None = None):
    """Draw the lecture example into ``ax`` after the forward pass and ``step`` backward steps.

    Parameters
    ----------
    ax : matplotlib Axes or None (None: a new figure)
    x, y, z : float, finite
    step : int or None — as in :func:`compute_backprop_state` (None = values only).

    Returns
    -------
    course_lib.graph.GraphDrawing
        What was drawn (box texts, edge gradient labels, the highlighted gate).

    Raises
    ------
    TypeError, ValueError
        As :func:`compute_backprop_state`.

    Source: lecture part 3. Notebook 07.
    """
    nodes = lecture_example(x, y, z)
    f = nodes["f"]
    if step is None:
        return draw_graph(f, ax, show="values", title="forward pass")
    step = check_int(step, "step", low=0, high=len(backward_order(f)))
    f.backward(num_steps=step)
    return draw_graph(f, ax, step=step, title=f"backward pass, step {step} of {len(backward_order(f))}")


def backprop_widget(x: float = 3.0, y: float = 5.0, z: float = -2.0):
    """Sliders for x, y, z and buttons that step the backward pass of f = (x + y) z.

    "Backward step" advances forward pass → seed → × gate → + gate; "Reset" returns to the
    forward pass. Moving a slider redraws the current step with the new numbers.

    Parameters
    ----------
    x, y, z : float, finite
        The sliders' start values (the lecture's 3, 5, −2 by default). The sliders span
        :data:`SLIDER_RANGE` (−5 to 5 in steps of 0.5), widened to the next whole numbers
        for a start value outside it, so no value is silently clipped.

    Returns
    -------
    ipywidgets.VBox
        Children: ``[HBox(x, y, z sliders), HBox(step button, reset button), HTML status,
        Output (the figure)]``.

    Raises
    ------
    TypeError
        ``x``, ``y`` or ``z`` is not a real number (a string such as ``"3"``, a bool, None).
    ValueError
        ``x``, ``y`` or ``z`` is NaN or ±inf.

    Source: lecture part 3. Notebook 07.
    """
    x, y, z = _check_inputs(x, y, z)  # before any widget exists: errors name the argument

    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    style = {"description_width": "1.5em"}
    layout = widgets.Layout(width="260px")
    low, high = SLIDER_RANGE
    sliders = [
        widgets.FloatSlider(value=v, min=min(low, math.floor(v)), max=max(high, math.ceil(v)),
                            step=0.5, description=name, continuous_update=False, style=style,
                            layout=layout)
        for name, v in (("x", x), ("y", y), ("z", z))
    ]
    step_button = widgets.Button(description="backward step ▶", button_style="warning",
                                 layout=widgets.Layout(width="auto"))
    reset_button = widgets.Button(description="reset", tooltip="back to the forward pass",
                                  layout=widgets.Layout(width="auto"))
    status = widgets.HTML()
    out = widgets.Output()
    state = {"step": None}
    num_steps = _num_gates()

    def redraw(*_):
        values = [s.value for s in sliders]
        info = compute_backprop_state(*values, step=state["step"])
        status.value = f"<b>{info['message']}</b>"
        step_button.disabled = state["step"] == num_steps
        fig, ax = plt.subplots(figsize=(6.6, 3.4))
        draw_backprop_step(ax, *values, step=state["step"])
        fig.subplots_adjust(left=0, right=1, bottom=0, top=0.9)
        with out:
            out.clear_output(wait=True)
            display(fig)
        plt.close(fig)

    def on_step(_):
        state["step"] = 0 if state["step"] is None else min(state["step"] + 1, num_steps)
        redraw()

    def on_reset(_):
        state["step"] = None
        redraw()

    for s in sliders:
        s.observe(redraw, names="value")
    step_button.on_click(on_step)
    reset_button.on_click(on_reset)
    redraw()
    return widgets.VBox([widgets.HBox(sliders), widgets.HBox([step_button, reset_button]), status, out])


def _benchmark_redraw(**kw):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.6, 3.4))
    draw_backprop_step(ax, **kw)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=0.9)
    return fig


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: one redraw of the demo.
BENCHMARK_CASES = [
    (
        "07 graph redraw",
        lambda **kw: _close(_benchmark_redraw(**kw)),
        [dict(x=3.0, y=5.0, z=-2.0, step=None), dict(x=1.0, y=-2.0, z=4.0, step=2)],
    ),
]

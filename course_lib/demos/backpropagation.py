"""Notebook 07's figures, widget and exercise helpers: computational graphs of ``Value``s.

``draw_graph`` draws any small graph of the engine (one box per Value with its value and its
gradient, one circle per gate) and returns a Figure for ``plots.show_figure``. ``run_backward_steps``
runs only the first gates of a backward pass, so the notebook and ``lecture_widget`` can stop after
every application of the chain rule on the lecture's f = (x + y) z. ``gate_results`` and
``grads_by_engine`` turn a gate and an expression into numbers that the check cells compare, and
``softmax_loss_values`` builds notebook 05's softmax loss out of Values.
"""

from __future__ import annotations

import contextlib

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..backpropagation import Value, topological_order
from ..checks import check_callable, check_float, check_int, check_W_X_y
from ..plots import new_figure, show_figure

__all__ = [
    "LECTURE_INPUTS", "CS231N_INPUTS", "lecture_graph", "backward_gates", "run_backward_steps",
    "draw_graph", "graph_alt", "draw_lecture_graph", "lecture_message", "lecture_alt", "lecture_widget",
    "gate_results", "engine_tanh", "random_gate_case", "grads_by_engine", "by_hand", "random_xyz",
    "softmax_loss_values", "grads_of",
]

#: The lecture's inputs of f = (x + y) z, and CS231n's (its notes use the same graph).
LECTURE_INPUTS = {"x": 3.0, "y": 5.0, "z": -2.0}
CS231N_INPUTS = {"x": -2.0, "y": 5.0, "z": -4.0}

_COLUMN = 2.7        # horizontal distance between columns of the drawing
_BOX_W, _BOX_H = 1.7, 1.05
_FONT = 16           # projector size at dpi 100
_GRAD = "#c2410c"    # gradients: dark orange (white boxes, readable in print too)
_GRAD_OFF = "#9ca3af"
_HIGHLIGHT = "#f59e0b"
_OP_SYMBOLS = {"sigmoid": "\u03c3"}  # what a gate's circle shows, where not its op


def _fmt(v: float) -> str:
    """A number for a figure: 4 significant digits, a real minus sign, no '-0'."""
    text = f"{v + 0.0:.4g}"
    return text.replace("-", "\u2212")


def _name(node) -> str:
    if node.label:
        return node.label
    return _fmt(node.data) if not node._prev else ""


def _top_line(node) -> str:
    name = _name(node)
    return f"{name} = {_fmt(node.data)}" if name and name != _fmt(node.data) else _fmt(node.data)


def lecture_graph(x=3.0, y=5.0, z=-2.0) -> dict:
    """The lecture's graph q = x + y, f = q * z (forward pass only; every grad 0).

    x, y, z: finite numbers. Returns {"x", "y", "z", "q", "f"} -> Value, each labelled.
    Raises TypeError / ValueError naming the argument. Notebook 07.
    """
    x, y, z = (Value(check_float(v, n), n) for v, n in ((x, "x"), (y, "y"), (z, "z")))
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return {"x": x, "y": y, "z": z, "q": q, "f": f}


def backward_gates(output) -> list:
    """The gates (Values made by an op) in the order backward() runs them, output first."""
    return [node for node in reversed(topological_order(output)) if node._prev]


def run_backward_steps(output, num_steps=None) -> dict:
    """Start a backward pass on a fresh graph and stop after ``num_steps`` gates (all if None).

    Step 0 only seeds ∂output/∂output = 1. Returns {"gates": the gates run, in order, "known": the
    set of Values whose gradient is complete (every gate that uses them has run)}. The engine's
    backward() does the same in one go; this lets a figure stop after each gate. Raises ValueError
    if the graph already has gradients, or num_steps is outside [0, number of gates].
    """
    order = topological_order(output)
    if any(node.grad != 0 for node in order):
        raise ValueError("run_backward_steps needs a fresh graph (all gradients 0): build it again")
    gates = backward_gates(output)
    num_steps = len(gates) if num_steps is None else check_int(num_steps, "num_steps", low=0, high=len(gates))
    output.grad = 1.0
    for gate in gates[:num_steps]:
        gate._backward(gate.grad)  # the same closure backward() calls: local gradient × upstream
    done = set(gates[:num_steps])
    known = {node for node in order
             if node is output or all(user in done for user in order if node in user._prev)}
    return {"gates": gates[:num_steps], "known": known}


def _layout(output, column_width=_COLUMN) -> dict:
    """(x, y) of every node: gates one column right of their deepest input, leaves just left of
    their first user; leaves stacked top to bottom in the order they appear, gates at the mean
    height of their inputs."""
    order = topological_order(output)
    depth = {}
    for node in order:
        depth[node] = 1 + max(depth[c] for c in node._prev) if node._prev else 0
    column = dict(depth)
    for node in order:
        if not node._prev:
            users = [depth[u] for u in order if node in u._prev]
            column[node] = min(users) - 1 if users else 0
    leaves = [node for node in order if not node._prev]
    height = {leaf: float(len(leaves) - 1 - i) for i, leaf in enumerate(leaves)}
    for node in order:
        if node._prev:
            height[node] = float(np.mean([height[c] for c in node._prev]))
    return {node: (column[node] * column_width, height[node] * 1.55) for node in order}


def draw_graph(output, *, known=None, highlight=None, show_grads=True, title="", figsize=None):
    """Draw the graph that made ``output``: a box per Value (name, value, gradient), a circle per gate.

    known: the Values whose gradient is shown (default: all; others show "grad ?");
    highlight: a gate whose circle and input arrows are drawn in orange (the step just run);
    show_grads=False draws the forward pass only. Returns a Figure. Raises TypeError if output is
    not a Value. Notebook 07.
    """
    texts = {node: (_top_line(node), f"grad {_fmt(node.grad)}") for node in topological_order(output)}
    chars = max(len(t) for pair in texts.values() for t in pair)
    scale = 0.8  # inches per unit: projector-sized text; shrunk below if the figure would exceed 11 x 7 in
    for _ in range(3):  # a smaller scale makes the text relatively wider: widen the boxes and try again
        box_w = max(_BOX_W, 0.3 + 0.18 * chars * 0.8 / scale)
        pos = _layout(output, box_w + 1.0)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        width = max(xs) - min(xs) + box_w + 0.3
        height = max(ys) - min(ys) + 1.7
        scale = min(0.8, 11.0 / width, 6.5 / height)
    fig = new_figure(figsize or (scale * width, scale * height + (0.6 if title else 0.0)))
    ax = fig.add_axes([0.0, 0.0, 1.0, 1 - 0.6 / fig.get_size_inches()[1] if title else 1.0])
    ax.set_xlim(min(xs) - box_w / 2 - 0.15, max(xs) + box_w / 2 + 0.15)
    ax.set_ylim(min(ys) - 0.85, max(ys) + 0.85)
    ax.set_aspect("equal")
    ax.axis("off")
    for node, (cx, cy) in pos.items():
        lit = node is highlight
        if node._prev:  # the gate: a circle with its op, left of its result's box
            gx = cx - box_w / 2 - 0.45
            op = _OP_SYMBOLS.get(node._op, node._op)
            ax.add_patch(Circle((gx, cy), 0.3, facecolor=_HIGHLIGHT if lit else "#e5e7eb",
                                edgecolor="black", lw=1.5, zorder=3))
            ax.text(gx, cy, op, ha="center", va="center", fontsize={1: _FONT + 1, 2: 13, 3: 11}.get(len(op), 9),
                    weight="bold", zorder=4)
            ax.add_patch(FancyArrowPatch((gx + 0.3, cy), (cx - box_w / 2, cy), arrowstyle="-|>",
                                         mutation_scale=14, lw=1.5, color="black", zorder=2))
            for child in node._prev:
                px, py = pos[child]
                ax.add_patch(FancyArrowPatch((px + box_w / 2, py), (gx, cy), arrowstyle="-|>",
                                             shrinkB=16, mutation_scale=14, lw=3.5 if lit else 1.5,
                                             color=_HIGHLIGHT if lit else "black", zorder=2))
        ax.add_patch(FancyBboxPatch((cx - box_w / 2, cy - _BOX_H / 2), box_w, _BOX_H,
                                    boxstyle="round,pad=0.02,rounding_size=0.12", facecolor="white",
                                    edgecolor="black", lw=1.5, zorder=3))
        ax.text(cx, cy + 0.2, texts[node][0], ha="center", va="center", fontsize=_FONT, zorder=4)
        if show_grads:
            shown = known is None or node in known
            ax.text(cx, cy - 0.24, texts[node][1] if shown else "grad ?", ha="center",
                    va="center", fontsize=_FONT, weight="bold" if shown else "normal",
                    color=_GRAD if shown else _GRAD_OFF, zorder=4)
    if title:
        fig.suptitle(title, fontsize=_FONT)
    return fig


def graph_alt(output, *, known=None, show_grads=True, what="A computational graph") -> str:
    """Alt text for ``draw_graph``: every node's name, value and (known) gradient, inputs first."""
    parts = []
    for node in topological_order(output):
        name = _name(node) or f"the {node._op} result"
        text = f"the constant {node.data:.4g}" if not node._prev and not node.label else f"{name} = {node.data:.4g}"
        if node._prev:
            text += f" (gate {node._op} of {', '.join(_name(c) or f'the {c._op} result' for c in node._prev)})"
        if show_grads:
            text += f", gradient {node.grad:.4g}" if known is None or node in known else ", gradient not known yet"
        parts.append(text)
    return f"{what}, boxes from the inputs on the left to the output on the right: " + "; ".join(parts) + "."


def draw_lecture_graph(x=3.0, y=5.0, z=-2.0, step=None):
    """The lecture's f = (x + y) z after the forward pass and ``step`` backward steps (None: none yet).

    step 0 seeds ∂f/∂f = 1, step 1 runs the * gate, step 2 the + gate. Returns a Figure.
    Raises TypeError / ValueError for bad inputs or a step outside [0, 2]. Notebook 07.
    """
    nodes = lecture_graph(x, y, z)
    if step is None:
        return draw_graph(nodes["f"], show_grads=False, title="forward pass: values flow left to right")
    state = run_backward_steps(nodes["f"], step)
    gate = state["gates"][-1] if state["gates"] else None
    return draw_graph(nodes["f"], known=state["known"], highlight=gate,
                      title=f"backward pass, step {step} of 2")


def lecture_message(x=3.0, y=5.0, z=-2.0, step=None) -> str:
    """One sentence saying what the last step of the lecture example did, with its numbers."""
    n = lecture_graph(x, y, z)
    q, f = n["q"].data, n["f"].data
    if step is None:
        return f"Forward pass: q = x + y = {q:g}, f = q * z = {f:g}. Press 'backward step'."
    step = check_int(step, "step", low=0, high=2)
    return [f"Step 0, the seed: df/df = 1.",
            f"Step 1, the * gate f = q * z swaps its inputs: df/dq = z * 1 = {z + 0.0:g}, "
            f"df/dz = q * 1 = {q:g}.",
            f"Step 2, the + gate q = x + y hands df/dq = {z + 0.0:g} on to x and to y unchanged. Done."][step]


def lecture_alt(x=3.0, y=5.0, z=-2.0, step=None) -> str:
    """Alt text of ``draw_lecture_graph`` with the same arguments."""
    nodes = lecture_graph(x, y, z)
    if step is None:
        return graph_alt(nodes["f"], show_grads=False, what="The forward pass of f = (x + y) z")
    state = run_backward_steps(nodes["f"], step)
    return graph_alt(nodes["f"], known=state["known"], what=f"f = (x + y) z after backward step {step} of 2")


def lecture_widget(x=3.0, y=5.0, z=-2.0):
    """Sliders for x, y, z and buttons that run the backward pass of f = (x + y) z gate by gate.

    Returns an ipywidgets.VBox: the sliders, the buttons "backward step" and "reset", a line saying
    what the last step did, and the figure (an Output showing ``draw_lecture_graph``).
    Raises TypeError / ValueError for bad start values. Notebook 07.
    """
    lecture_graph(x, y, z)  # checks the start values before any widget exists
    sliders = [widgets.FloatSlider(value=float(np.clip(v, -5, 5)), min=-5, max=5, step=0.5, description=name,
                                   continuous_update=False, readout_format=".1f",
                                   style={"description_width": "1.5em"}, layout=widgets.Layout(width="250px"))
               for name, v in (("x", x), ("y", y), ("z", z))]
    step_button = widgets.Button(description="backward step", icon="step-forward", button_style="warning")
    reset_button = widgets.Button(description="reset", tooltip="back to the forward pass")
    status = widgets.HTML()
    out = widgets.Output()
    state = {"step": None}

    def redraw(change=None):
        values, step = [s.value for s in sliders], state["step"]
        status.value = f"<b>{lecture_message(*values, step=step)}</b>"
        step_button.disabled = step == 2
        with out:
            out.clear_output(wait=True)
            show_figure(draw_lecture_graph(*values, step=step), alt=lecture_alt(*values, step=step))

    def on_step(button):
        state["step"] = 0 if state["step"] is None else min(state["step"] + 1, 2)
        redraw()

    def on_reset(button):
        state["step"] = None
        redraw()

    for slider in sliders:
        slider.observe(redraw, names="value")
    step_button.on_click(on_step)
    reset_button.on_click(on_reset)
    redraw()
    return widgets.VBox([widgets.HBox(sliders), widgets.HBox([step_button, reset_button]), status, out])


# ------------------------------------------------------------------ exercise 1: a new gate

def engine_tanh(a):
    """The course's reference gate: the engine's own ``a.tanh()``."""
    return a.tanh()


def gate_results(gate, *, forbid=()):
    """A function of (a, w) for a check cell: run ``gate`` inside L = w * gate(a) + a and backward.

    gate: a function of one Value returning a new Value (the gate's output). The returned function
    builds a = Value(a), w = Value(w), out = gate(a), L = w * out + a, calls L.backward() and returns
    {"out.data", "a.grad", "w.grad"}. a feeds two gates, so a backward rule that overwrites a.grad
    (= instead of +=) is caught. forbid: names of Value methods the gate may not call (a student's
    gate that hands the work to the engine's own ``tanh`` raises RuntimeError). Raises TypeError /
    ValueError saying what the gate got wrong. Notebook 07.
    """
    check_callable(gate, "gate")
    forbid = (forbid,) if isinstance(forbid, str) else tuple(forbid)

    def results(a, w):
        a, w = Value(check_float(a, "a"), "a"), Value(check_float(w, "w"), "w")
        with _engine_refuses(forbid, "the gate"):
            out = gate(a)
        if not isinstance(out, Value):
            raise TypeError(f"the gate returned a {type(out).__name__}; it must return a new Value")
        if out is a:
            raise ValueError("the gate returned its input; it must return a new Value")
        if not any(child is a for child in out._prev):
            raise ValueError("the new Value does not list its input among its children (_children=(a,)), "
                             "so backward() never reaches a")
        if a.grad != 0:
            raise ValueError("the gate changed a.grad during the forward pass: only _backward may do that")
        L = w * out + a
        L.backward()
        return {"out.data": out.data, "a.grad": a.grad, "w.grad": w.grad}

    return results


@contextlib.contextmanager
def _engine_refuses(names, who):
    """Within the block, calling Value.<name> for a name in names raises RuntimeError."""
    saved = {name: getattr(Value, name) for name in names}

    def refusal(name):
        def method(*args, **kwargs):
            raise RuntimeError(f"{who} called the engine's Value.{name}(); the exercise asks you to write "
                               "this step yourself")
        return method

    try:
        for name in names:
            setattr(Value, name, refusal(name))
        yield
    finally:
        for name, method in saved.items():
            setattr(Value, name, method)


def by_hand(fn):
    """fn, run with the engine's ``Value.backward`` switched off, for a check of gradients by hand.

    Calling backward() inside fn raises RuntimeError naming it. Notebook 07.
    """
    check_callable(fn, "fn")

    def run(*args, **kwargs):
        with _engine_refuses(("backward",), getattr(fn, "__name__", "the function")):
            return fn(*args, **kwargs)
    return run


def random_gate_case(rng, scale=1.5) -> tuple:
    """(a, w): two floats for ``gate_results``, normal with standard deviation ``scale``."""
    a, w = scale * rng.standard_normal(2)
    return float(a), float(w)


# ------------------------------------------------------------------ exercise 2: backprop by hand

def grads_by_engine(x, y, z) -> tuple:
    """(df/dx, df/dy, df/dz) of f = max(x * y, z) * (x + z), by the engine (a tie of max goes to x * y)."""
    x, y, z = Value(check_float(x, "x"), "x"), Value(check_float(y, "y"), "y"), Value(check_float(z, "z"), "z")
    f = (x * y).max(z) * (x + z)
    f.backward()
    return x.grad, y.grad, z.grad


def random_xyz(rng, scale=2.0) -> tuple:
    """(x, y, z): three floats, normal with standard deviation ``scale``."""
    return tuple(float(v) for v in scale * rng.standard_normal(3))


# ------------------------------------------------------------------ notebook 05's softmax loss from Values

def softmax_loss_values(W, X, y, reg):
    """Notebook 05's softmax loss, mean over the rows of X plus reg * Σ W², built from Values.

    W (D, C), X (N, D), y (N,), reg ≥ 0, as ``losses.softmax_loss_vectorized``. Returns (loss Value,
    W_nodes: a (D, C) object array of the leaf Values). Raises as softmax_loss_vectorized.
    """
    W, X, y, reg = check_W_X_y(W, X, y, reg)
    W_nodes = np.array([[Value(w) for w in row] for row in W], dtype=object)
    losses = []
    for x_i, y_i in zip(X, y):
        scores = [sum(W_nodes[d, c] * float(x_i[d]) for d in range(X.shape[1])) for c in range(W.shape[1])]
        shift = max(s.data for s in scores)  # a plain number: the same loss, and exp cannot overflow
        losses.append(sum((s - shift).exp() for s in scores).log() - (scores[y_i] - shift))
    penalty = sum(w * w for w in W_nodes.ravel())
    return sum(losses) / len(losses) + reg * penalty, W_nodes


def grads_of(nodes) -> np.ndarray:
    """The ``grad`` of every Value in an object array, as a float64 array of the same shape."""
    return np.vectorize(lambda v: v.grad, otypes=[np.float64])(nodes)

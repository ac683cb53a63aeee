"""Backpropagation on a computational graph: a tiny scalar autodiff engine.

Introduced in ``notebooks/07_backpropagation.ipynb`` (lecture part 3, "Backpropagation").

A :class:`Value` holds one number. Every arithmetic operation on Values builds a new Value
that remembers

* ``data`` — its forward value, computed at once (the forward pass *is* the construction);
* ``inputs`` and ``op`` — which Values it was computed from, and how (the graph's edges);
* ``_backward`` — a small closure that knows the operation's *local* gradients and adds
  ``local gradient × upstream gradient`` into each input's ``grad`` (the chain rule, one
  gate at a time).

``output.backward()`` puts the graph's nodes in reverse topological order (every node after
all the nodes it feeds) and calls each ``_backward`` once, so when a node's turn comes its
own gradient is complete. Gradients are *added* with ``+=`` because a node that feeds several
others receives one contribution from each (``x * x`` gives ``x`` the gradient ``2x``).

**A second ``backward()``.** ``backward()`` first sets every gradient in the graph to zero and
then runs the whole backward pass, so calling it twice gives the same gradients (it is
idempotent). Engines that only *accumulate* pile a second call's gradients onto the first
unless you zero them in between (PyTorch's leaf gradients double; in micrograd even
intermediate gradients grow, so inputs get more than double) — the classic bug; the
notebook shows it.

The design follows Andrej Karpathy's micrograd (MIT licence), rewritten for the course: all
the listed operations, input checks with clear messages, an iterative topological sort (deep
graphs never hit Python's recursion limit) and a matplotlib drawing (:func:`draw_graph`) that
needs no system binaries.

Source: lecture part 3 (backpropagation, the chain rule ``h(x) = f(g(x))`` ⇒
``h'(x) = f'(g(x)) g'(x)``, the example ``f = (x + y) z``, "every gate is local");
CS231n notes "Backpropagation, Intuitions"; micrograd (github.com/karpathy/micrograd).
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_choice, check_int, check_labels, check_nonnegative_float

__all__ = [
    "Value",
    "topological_order",
    "backward_order",
    "describe_backward_step",
    "gradients_final_after",
    "draw_graph",
    "GraphDrawing",
    "grads_of",
    "softmax_loss_from_values",
]

def _check_data(data, name: str = "data") -> float:
    """A real, finite number (Python or numpy scalar, not bool) as a Python float."""
    if isinstance(data, Value):
        raise TypeError(
            f"{name} must be a plain number; to reuse a Value in an expression, use it directly "
            f"(no Value(Value(...)))"
        )
    if isinstance(data, (bool, np.bool_)) or not isinstance(data, numbers.Real):
        raise TypeError(f"{name} must be a real number (int or float), got {type(data).__name__} {data!r}"[:160])
    data = float(data)
    if not math.isfinite(data):
        raise ValueError(f"{name} must be a finite number, got {data}")
    return data


def _fmt(x: float) -> str:
    """A short, stable rendering of a number (4 significant digits, no negative zero)."""
    return f"{x + 0.0:.4g}"


class Value:
    """One scalar node of a computational graph: a value, its gradient and where it came from.

    Parameters
    ----------
    data : int or float (Python or numpy scalar), finite
        The forward value, stored as a Python ``float``.
    label : str, default ""
        A name shown in drawings and messages (``"x"``, ``"q"``, ``"loss"``).
    _children, _op : internal
        The inputs and the name of the operation that produced this node; set by the
        operations, not by hand (a Value made directly is a leaf: an input or a constant).

    Attributes
    ----------
    data : float
        Forward value. Changing it later does *not* recompute the nodes built from it
        (build the expression again).
    grad : float
        ∂output/∂(this node) after ``output.backward()``; 0.0 before.
    label : str
    op : str (read-only)
        ``""`` for a leaf, else one of ``+ - neg * / **p exp log max sigmoid tanh relu``.
    inputs : tuple of Value (read-only)
        The operation's inputs in order (the same Value twice for ``x * x``).

    Operations (each returns a new Value; plain numbers mix in on either side):
    ``a + b``, ``a - b``, ``-a``, ``a * b``, ``a / b``, ``a ** p`` (``p`` a number),
    ``a.exp()``, ``a.log()``, ``a.max(b)``, ``a.sigmoid()``, ``a.tanh()``, ``a.relu()``.
    Conventions at kinks: ``relu`` has gradient 0 at 0; ``max`` sends the whole gradient to its
    first input on a tie.

    Raises
    ------
    TypeError
        ``data`` is not a real number (str, None, bool, complex, a Value); ``label`` not a str.
    ValueError
        ``data`` is NaN or infinite.

    Examples
    --------
    >>> x, y, z = Value(3.0, "x"), Value(5.0, "y"), Value(-2.0, "z")
    >>> f = (x + y) * z
    >>> f.backward()
    >>> f.data, x.grad, y.grad, z.grad
    (-16.0, -2.0, -2.0, 8.0)

    Source: lecture part 3 (gates with local gradients); micrograd's ``Value``. Notebook 07.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward", "__weakref__")

    def __init__(self, data, label: str = "", _children: tuple = (), _op: str = ""):
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__} {label!r}"[:160])
        self.data = _check_data(data)
        self.grad = 0.0
        self.label = label
        self._prev = tuple(_children)
        self._op = _op
        self._backward = _no_backward

    # ------------------------------------------------------------------ read-only views
    @property
    def op(self) -> str:
        """The operation that produced this node (``""`` for a leaf)."""
        return self._op

    @property
    def inputs(self) -> tuple:
        """The operation's inputs, in order (empty for a leaf)."""
        return self._prev

    @property
    def is_leaf(self) -> bool:
        """True for inputs and constants (nodes no operation produced)."""
        return not self._prev

    @property
    def name(self) -> str:
        """What drawings and messages call this node: its label, else its op, else its value."""
        if self.label:
            return str(self.label)
        if self._op:
            return _OP_SYMBOLS.get(self._op, self._op)
        return _fmt(self.data)

    def __repr__(self) -> str:
        label = f"{self.label!r}, " if self.label else ""
        op = f", op={self._op!r}" if self._op else ""
        return f"Value({label}data={_fmt(self.data)}, grad={_fmt(self.grad)}{op})"

    # ------------------------------------------------------------------ the operations
    # Each one: compute the forward value, remember the inputs, and attach a _backward that
    # ADDS (local gradient × upstream gradient out.grad) to every input's grad.

    def __add__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return other
        out = _result(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += 1.0 * out.grad  # ∂(a + b)/∂a = 1
            other.grad += 1.0 * out.grad  # ∂(a + b)/∂b = 1

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return other
        out = _result(self.data - other.data, (self, other), "-")

        def _backward():
            self.grad += 1.0 * out.grad  # ∂(a − b)/∂a = 1
            other.grad += -1.0 * out.grad  # ∂(a − b)/∂b = −1

        out._backward = _backward
        return out

    def __neg__(self):
        out = _result(-self.data, (self,), "neg")

        def _backward():
            self.grad += -1.0 * out.grad  # ∂(−a)/∂a = −1

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return other
        out = _result(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad  # ∂(a b)/∂a = b   (the inputs swap)
            other.grad += self.data * out.grad  # ∂(a b)/∂b = a

        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = _as_value(other)
        if other is NotImplemented:
            return other
        if other.data == 0.0:
            raise ZeroDivisionError(
                f"division by zero: the divisor {other.name!r} is 0, so a / b and its gradient "
                f"-a / b**2 are undefined"
            )
        out = _result(self.data / other.data, (self, other), "/")

        def _backward():
            self.grad += (1.0 / other.data) * out.grad  # ∂(a / b)/∂a = 1 / b
            other.grad += _minus_a_over_b_squared(self.data, other.data) * out.grad  # ∂(a / b)/∂b = −a / b²

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError(
                "exponent must be a plain number: Value ** Value is not supported "
                "(write (b * a.log()).exp() for a ** b with a > 0)"
            )
        p = _check_data(exponent, "exponent")
        if self.data == 0.0 and p < 0:
            raise ZeroDivisionError(
                f"0 ** {_fmt(p)} is undefined (division by zero): {self.name!r} is 0 and the exponent is negative"
            )
        if self.data < 0 and not p.is_integer():
            raise ValueError(
                f"a negative base ({_fmt(self.data)}) to the non-integer power {_fmt(p)} is not a "
                f"real number"
            )
        try:
            forward = self.data**p
        except OverflowError:
            raise ValueError(
                f"{_fmt(self.data)} ** {_fmt(p)} overflows a float (it is larger than about 1.8e308)"
            ) from None
        out = _result(forward, (self,), f"**{_fmt(p)}")

        def _backward():
            if self.data == 0.0 and 0.0 < p < 1.0:
                raise ZeroDivisionError(
                    f"the gradient of x ** {_fmt(p)} at x = 0 is infinite ({self.name!r} is 0)"
                )
            local = 0.0 if p == 0.0 else p * self.data ** (p - 1.0)  # ∂(a^p)/∂a = p a^(p−1)
            self.grad += local * out.grad

        out._backward = _backward
        return out

    def exp(self):
        """``e ** self``; local gradient ``e ** self`` (the output itself)."""
        try:
            forward = math.exp(self.data)
        except OverflowError:
            raise ValueError(
                f"exp({_fmt(self.data)}) overflows a float (inputs above about 709.78 do); "
                f"shift the inputs first, as softmax does with the maximum score"
            ) from None
        out = _result(forward, (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad  # ∂e^a/∂a = e^a

        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm; local gradient ``1 / self``.

        Raises ``ValueError`` when ``self.data <= 0`` (the logarithm is undefined there)."""
        if self.data <= 0.0:
            raise ValueError(
                f"log is defined only for positive numbers, but {self.name!r} is {_fmt(self.data)}"
            )
        out = _result(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += (1.0 / self.data) * out.grad  # ∂ log a/∂a = 1 / a

        out._backward = _backward
        return out

    def max(self, other):
        """``max(self, other)`` as a gate that *routes* the gradient to the larger input.

        On a tie the first input (``self``) gets the whole gradient. ``other`` may be a number.
        """
        given, other = other, _as_value(other)
        if other is NotImplemented:
            raise TypeError(f"other must be a Value or a real number, got {type(given).__name__}")
        self_wins = self.data >= other.data
        out = _result(self.data if self_wins else other.data, (self, other), "max")

        def _backward():
            self.grad += (1.0 if self_wins else 0.0) * out.grad  # 1 for the larger input
            other.grad += (0.0 if self_wins else 1.0) * out.grad  # 0 for the other one

        out._backward = _backward
        return out

    def sigmoid(self):
        """σ(a) = 1 / (1 + e^(−a)) as one gate; local gradient σ(a) (1 − σ(a))."""
        a = self.data
        s = 1.0 / (1.0 + math.exp(-a)) if a >= 0 else math.exp(a) / (1.0 + math.exp(a))
        out = _result(s, (self,), "sigmoid")

        def _backward():
            self.grad += out.data * (1.0 - out.data) * out.grad  # ∂σ/∂a = σ (1 − σ)

        out._backward = _backward
        return out

    def tanh(self):
        """tanh(a); local gradient 1 − tanh(a)²."""
        out = _result(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1.0 - out.data**2) * out.grad  # ∂ tanh a/∂a = 1 − tanh² a

        out._backward = _backward
        return out

    def relu(self):
        """max(0, a); local gradient 1 where a > 0, else 0 (0 at a = 0 too)."""
        out = _result(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad  # 1 if a > 0 else 0

        out._backward = _backward
        return out

    # ------------------------------------------------------------------ numbers on the left
    def __radd__(self, other):  # 2 + a
        other = _as_value(other)
        return other if other is NotImplemented else other + self

    def __rsub__(self, other):  # 2 - a
        other = _as_value(other)
        return other if other is NotImplemented else other - self

    def __rmul__(self, other):  # 2 * a
        other = _as_value(other)
        return other if other is NotImplemented else other * self

    def __rtruediv__(self, other):  # 2 / a
        other = _as_value(other)
        return other if other is NotImplemented else other / self

    def _no_ordering(self, other):
        raise TypeError(
            "Values cannot be compared with <, >: compare a.data and b.data, or build a max "
            "gate with a.max(b)"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _no_ordering

    # ------------------------------------------------------------------ the backward pass
    def backward(self, num_steps: int | None = None) -> None:
        """Fill in ``.grad`` of every node of the graph that ends here: ∂self/∂node.

        Steps: (1) set every gradient in the graph to 0 (so a second call gives the same
        result, never doubled gradients); (2) ``self.grad = 1`` (∂self/∂self); (3) call the
        ``_backward`` of every gate in :func:`backward_order` — each adds its local gradient ×
        its own (complete) gradient into its inputs.

        Parameters
        ----------
        num_steps : int or None, default None
            Run only the first ``num_steps`` gates of step (3) (0 = just seed the output with
            1), to watch the backward pass one gate at a time; ``None`` runs them all. Nodes
            the pass has not finished yet keep partial gradients.

        Raises
        ------
        TypeError, ValueError
            ``num_steps`` not an integer in ``[0, number of gates]``.
        ZeroDivisionError
            A ``x ** p`` gate with ``x = 0`` and ``0 < p < 1`` (infinite slope).
        ValueError
            A gradient overflowed (beyond about 1.8e308, e.g. ``1 / x`` at ``x = 1e-200``,
            whose slope is −1e400); the message names the gate. The pass stops there.

        Source: lecture part 3 (the backward pass applies the chain rule from the output back).
        """
        order = topological_order(self)
        gates = [node for node in reversed(order) if node._prev]
        if num_steps is not None:
            num_steps = check_int(num_steps, "num_steps", low=0, high=len(gates))
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in gates[:num_steps]:
            _run_gate(node)

    def zero_grad(self) -> None:
        """Set ``.grad`` to 0.0 on this node and every node it was computed from."""
        for node in topological_order(self):
            node.grad = 0.0

    def local_grads(self) -> tuple:
        """The gate's local gradients: ``((input, ∂self/∂input), …)`` for each distinct input.

        Computed by the gate's own ``_backward`` with an upstream gradient of 1 (all gradients
        are restored afterwards), which shows that a gate needs nothing but its inputs and
        output. An input used twice (``x * x``) appears once with the sum (``2x``). Empty for a
        leaf.
        """
        unique = list(dict.fromkeys(self._prev))
        saved = [(node, node.grad) for node in unique + [self]]
        try:
            for node in unique:
                node.grad = 0.0
            self.grad = 1.0
            _run_gate(self)
            return tuple((node, node.grad) for node in unique)
        finally:
            for node, g in saved:
                node.grad = g


def _no_backward():
    """The backward step of a leaf: nothing to pass on."""


def _minus_a_over_b_squared(a: float, b: float) -> float:
    """``−a / b²``, the division gate's local gradient for its divisor ``b`` (≠ 0).

    Computed as written while ``b²`` is an ordinary float; beyond that (``|b|`` above 1e150,
    where ``b ** 2`` overflows, or below 1e-150, where it loses digits and then rounds to 0)
    as ``−(a / b) / b``, which stays finite whenever the result is.
    """
    if 1e-150 < abs(b) < 1e150:
        return -a / b**2
    return -(a / b) / b


def _run_gate(gate: Value) -> None:
    """Run one gate's ``_backward``, refusing a gradient beyond the float range.

    The forward pass refuses a value that overflows (:func:`_result`); this is the same check
    for the backward pass. A gradient can overflow although every forward value is finite
    (``1 / x`` at ``x = 1e-200`` is 1e200, its slope −1e400), and Python then gives ±inf
    silently (``a / b``, ``a * b``) or raises ``OverflowError`` (``x ** p``). Either becomes a
    ``ValueError`` naming the gate; its inputs keep the gradients they had before the step.
    """
    inputs = gate._prev
    before = [node.grad for node in inputs]
    try:
        gate._backward()
        if all(math.isfinite(node.grad) for node in inputs):
            return  # the usual case
    except OverflowError:
        pass
    for node, grad in zip(inputs, before):
        node.grad = grad
    label = f" {gate.label!r}" if gate.label else ""
    raise ValueError(
        f"the gradient overflowed in the backward step of the {gate.op!r} gate{label} (inputs "
        f"{', '.join(_fmt(node.data) for node in inputs)}, upstream gradient {_fmt(gate.grad)}): "
        "local gradient × upstream gradient is larger than a float can hold (about 1.8e308)"
    )


def _as_value(x):
    """A Value as is; a real number as a constant leaf; anything else: NotImplemented."""
    if isinstance(x, Value):
        return x
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        return NotImplemented
    return Value(x)


def _result(data: float, children: tuple, op: str) -> Value:
    """The Value an operation produces, with a clear error when its value overflowed."""
    if not math.isfinite(data):
        raise ValueError(
            f"the result of {op!r} on {', '.join(_fmt(c.data) for c in children)} is {data} "
            f"(overflow): the inputs are too large"
        )
    return Value(data, "", children, op)


_OP_SYMBOLS = {"*": "×", "-": "−", "neg": "−( )", "sigmoid": "σ", "/": "÷"}


# ----------------------------------------------------------------------------- graph walks


def _check_node(node, name: str = "node") -> Value:
    if not isinstance(node, Value):
        raise TypeError(f"{name} must be a course_lib.graph.Value, got {type(node).__name__}")
    return node


def topological_order(node) -> list:
    """Every node ``node`` depends on (itself included), each after all of its inputs.

    An iterative depth-first search (no recursion, so a chain of 100,000 operations is fine);
    inputs are visited in the order the operations list them, so the order is deterministic.

    Parameters
    ----------
    node : Value
        Usually the output (the loss).

    Returns
    -------
    list of Value, inputs first and ``node`` last; every node appears once.

    Raises
    ------
    TypeError
        ``node`` is not a Value.

    Source: micrograd's ``build_topo``, made iterative. Notebook 07.
    """
    _check_node(node)
    order, visited = [], set()
    stack = [(node, False)]
    while stack:
        v, inputs_done = stack.pop()
        if inputs_done:
            order.append(v)
            continue
        if v in visited:
            continue
        visited.add(v)
        stack.append((v, True))
        for child in reversed(v._prev):
            if child not in visited:
                stack.append((child, False))
    return order


def backward_order(node) -> list:
    """The gates (non-leaf nodes) in the order ``node.backward()`` runs them: output first.

    Step ``k`` of the backward pass (1-based) runs the ``_backward`` of ``backward_order(node)[k-1]``.

    Raises ``TypeError`` when ``node`` is not a Value. Notebook 07.
    """
    return [v for v in reversed(topological_order(node)) if v._prev]


def _consumers(order) -> dict:
    """For each node, the distinct gates that use it as an input."""
    users = {v: [] for v in order}
    for v in order:
        for child in dict.fromkeys(v._prev):
            users[child].append(v)
    return users


def _final_after(output, order, step) -> set:
    """Nodes whose gradient is complete after ``step`` gate steps of ``output.backward()``."""
    gates = [v for v in reversed(order) if v._prev]
    done = set(gates[:step])
    users = _consumers(order)
    return {v for v in order if v is output or (users[v] and all(u in done for u in users[v]))}


def gradients_final_after(output, step: int) -> list:
    """The nodes whose gradient is complete after ``step`` steps of ``output.backward()``.

    Step 0 only seeds the output, so only ``output`` is final; a node becomes final once every
    gate that uses it has run (its gradient then has all its contributions).

    Parameters
    ----------
    output : Value
    step : int in [0, number of gates]

    Returns
    -------
    list of Value, in topological order.

    Raises
    ------
    TypeError, ValueError
        ``output`` not a Value; ``step`` not an integer in range.

    Notebook 07.
    """
    _check_node(output, "output")
    order = topological_order(output)
    num_gates = sum(1 for v in order if v._prev)
    step = check_int(step, "step", low=0, high=num_gates)
    final = _final_after(output, order, step)
    return [v for v in order if v in final]


def describe_backward_step(output, step: int) -> str:
    """One line saying what step ``step`` of ``output.backward()`` does (for step-by-step demos).

    Step 0 seeds the output with ∂output/∂output = 1; step ``k ≥ 1`` is the gate
    ``backward_order(output)[k-1]``: its upstream gradient, its local gradients and what it
    adds to each input. Reads the current ``.data`` and ``.grad``: call ``output.backward()``
    (in full or with ``num_steps >= step``) first.

    Raises
    ------
    TypeError, ValueError
        ``output`` not a Value; ``step`` not an integer in ``[0, number of gates]``.

    Notebook 07.
    """
    _check_node(output, "output")
    gates = backward_order(output)
    step = check_int(step, "step", low=0, high=len(gates))
    if step == 0:
        return f"step 0: seed ∂{output.name}/∂{output.name} = 1"
    gate = gates[step - 1]
    parts = [
        f"{_fmt(local)} × {_fmt(gate.grad)} = {_fmt(local * gate.grad)} to {child.name}"
        for child, local in gate.local_grads()
    ]
    return (
        f"step {step} of {len(gates)}: gate {gate.name} ({_OP_SYMBOLS.get(gate.op, gate.op)}) "
        f"gets ∂{output.name}/∂{gate.name} = {_fmt(gate.grad)} and sends local × upstream: "
        + "; ".join(parts)
    )


# ----------------------------------------------------------------------------- drawing

GRAD_COLOR = "#D55E00"  # vermillion (Okabe–Ito): everything about gradients
VALUE_COLOR = "#000000"
_LEAF_FACE = "#E8F1FA"
_GATE_FACE = "#F4F4F4"
_DX, _DY, _BOX_W, _BOX_H = 2.9, 1.25, 1.8, 0.98
_INCH_PER_UNIT = 0.9


@dataclass
class GraphDrawing:
    """What :func:`draw_graph` drew (returned so tests and demos can check it).

    Attributes
    ----------
    ax : matplotlib Axes
    nodes : list of Value, in topological order (inputs first)
    positions : dict Value -> (x, y) box centre in data coordinates (x grows with depth)
    box_texts : list of str, the text of each node's box, in the order of ``nodes``
    edge_texts : list of str, the gradient labels written on edges (empty in "values" mode)
    active : Value or None, the gate highlighted as the step just run
    """

    ax: object
    nodes: list = field(repr=False)
    positions: dict = field(repr=False)
    box_texts: list
    edge_texts: list
    active: object = field(default=None, repr=False)


def _layout(order):
    """Deterministic layered positions (a small Sugiyama-style layout).

    Columns: a labelled leaf (an input) in column 0, a gate one column right of its deepest
    input, an unlabelled leaf (a constant such as the 2 in ``2 * a``) just left of the first
    gate that uses it. An edge that skips columns gets a free row slot in each column it
    crosses, so it never runs under a box. Rows: inputs in the order the graph uses them; a
    gate centred on its inputs, a constant beside its gate's other inputs; then the nodes of a
    column are spread one row apart.

    Returns ``(positions, paths)``: box centres ``{node: (x, y)}`` and, for each edge
    ``(input, gate)`` that skips columns, the centres of the slots it passes through.
    """
    index = {v: i for i, v in enumerate(order)}
    users = _consumers(order)
    depth = {}
    for v in order:  # inputs come first, so their depth is known
        depth[v] = 0 if not v._prev else 1 + max(depth[c] for c in v._prev)
    constants = {v for v in order if not v._prev and not v.label and users[v]}
    for v in constants:
        depth[v] = max(0, min(depth[u] for u in users[v]) - 1)
    columns = {}
    for v in order:
        columns.setdefault(depth[v], []).append(v)
    # Slots for edges that skip columns: ("slot", input, gate, column), chained left to right.
    slot_pred, slot_rank, chains = {}, {}, {}
    for v in order:
        for c in dict.fromkeys(v._prev):
            if depth[v] - depth[c] > 1:
                prev, chain = c, []
                for d in range(depth[c] + 1, depth[v]):
                    slot = ("slot", index[c], index[v], d)
                    slot_pred[slot], slot_rank[slot] = prev, index[c] + 0.5
                    columns[d].append(slot)
                    chain.append(slot)
                    prev = slot
                chains[(c, v)] = chain
    ypos = {}
    for d in sorted(columns):
        items = columns[d]
        wanted, row = {}, 0
        for v in items:
            if v in slot_pred:
                wanted[v] = ypos[slot_pred[v]]
            elif v in constants:
                continue
            elif not v._prev:
                wanted[v], row = float(row), row + 1
            else:
                wanted[v] = float(np.mean([ypos[c] for c in v._prev]))
        for v in items:
            if v in constants:
                siblings = [wanted.get(s, ypos.get(s)) for s in users[v][0]._prev if s is not v]
                siblings = [s for s in siblings if s is not None]
                wanted[v] = float(np.mean(siblings)) + 0.5 if siblings else float(row)
        items = sorted(items, key=lambda v: (wanted[v], slot_rank.get(v, index.get(v, 0))))
        placed = []
        for v in items:
            placed.append(wanted[v] if not placed else max(wanted[v], placed[-1] + 1.0))
        shift = np.mean([wanted[v] for v in items]) - np.mean(placed)
        for v, y in zip(items, placed):
            ypos[v] = y + shift
    top = min(ypos.values())

    def xy(key, d):
        return (d * _DX, -(ypos[key] - top) * _DY)

    positions = {v: xy(v, depth[v]) for v in order}
    paths = {edge: [xy(slot, slot[3]) for slot in chain] for edge, chain in chains.items()}
    return positions, paths


def draw_graph(
    node,
    ax=None,
    *,
    show: str = "gradients",
    step: int | None = None,
    title: str | None = None,
    max_nodes: int = 40,
) -> GraphDrawing:
    """Draw the computational graph that ends at ``node`` with matplotlib.

    Layout (deterministic, no ``id()`` anywhere): inputs on the left, the output on the right,
    each gate one column right of its deepest input; within a column nodes keep the order in
    which the graph was built. Each node is a box with its name (label, else operation),
    its forward value and — in gradient mode — its gradient in a second colour
    (:data:`GRAD_COLOR`). Arrows point forward (input → gate); in gradient mode each arrow is
    labelled ``← g`` with the gradient flowing back along it (local gradient × the gate's
    gradient; an input used twice by one gate gets one label with the sum).

    Parameters
    ----------
    node : Value
        The output whose graph is drawn.
    ax : matplotlib Axes, optional
        Drawn into; default: a new figure sized to the graph.
    show : {"gradients", "values"}, default "gradients"
        ``"values"`` draws the forward pass only (no gradients).
    step : int or None, default None
        With ``show="gradients"``: show the backward pass after ``step`` gate steps
        (``0`` = only the seed ∂out/∂out = 1; ``k`` = after the gates
        ``backward_order(node)[:k]``). Gradients that are not complete yet show as "?", the gate
        of step ``k`` and its arrows are highlighted. ``None`` shows all gradients. The drawing
        reads ``.grad``: run ``node.backward()`` (or ``node.backward(num_steps=step)``) first.
    title : str, optional
    max_nodes : int, default 40
        Larger graphs are refused (a drawing of hundreds of boxes teaches nothing).

    Returns
    -------
    GraphDrawing
        The axes and the texts drawn (see :class:`GraphDrawing`).

    Raises
    ------
    TypeError
        ``node`` not a Value; ``show`` not a str; ``step``/``max_nodes`` not integers.
    ValueError
        Unknown ``show``; ``step`` outside ``[0, number of gates]`` or given with
        ``show="values"``; more than ``max_nodes`` nodes.

    Source: the lecture's circuit diagram of ``f = (x + y) z`` (values above the wires,
    gradients below); CS231n notes "Backpropagation, Intuitions". Notebook 07.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    _check_node(node)
    show = check_choice(show, "show", ("gradients", "values"))
    max_nodes = check_int(max_nodes, "max_nodes", low=1)
    order = topological_order(node)
    if len(order) > max_nodes:
        raise ValueError(
            f"node's graph has {len(order)} nodes, more than max_nodes={max_nodes}; draw_graph "
            f"is meant for small graphs (raise max_nodes to draw it anyway)"
        )
    gates = [v for v in reversed(order) if v._prev]
    if step is not None:
        if show == "values":
            raise ValueError("step must be None when show='values' (the forward pass has no steps)")
        step = check_int(step, "step", low=0, high=len(gates))
        final = _final_after(node, order, step)
        done = set(gates[:step])
        active = gates[step - 1] if step >= 1 else None
    else:
        final, done, active = set(order), set(gates), None
    with_grads = show == "gradients"

    pos, paths = _layout(order)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    x0, x1 = min(xs) - _BOX_W / 2 - 0.2, max(xs) + _BOX_W / 2 + 0.2
    y0, y1 = min(ys) - _BOX_H / 2 - 0.2, max(ys) + _BOX_H / 2 + 0.2
    if ax is None:
        extra = 0.4 if title else 0.0
        height = (y1 - y0) * _INCH_PER_UNIT + extra
        fig, ax = plt.subplots(figsize=((x1 - x0) * _INCH_PER_UNIT, height))
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - extra / height)

    # Edges: input → gate (drawn first, under the boxes).
    edge_texts = []
    for v in order:
        counts = {}
        for child in v._prev:
            counts[child] = counts.get(child, 0) + 1
        locals_ = dict(v.local_grads()) if (with_grads and v in done) else {}
        seen = {}
        for child in v._prev:
            k = seen.get(child, 0)
            seen[child] = k + 1
            m = counts[child]
            rad = 0.0 if m == 1 else 0.35 * (k - (m - 1) / 2)
            (cx, cy), (px, py) = pos[child], pos[v]
            hot = v is active
            color, lw = (GRAD_COLOR, 2.2) if hot else ("#777777", 1.2)
            # An edge that skips columns runs straight through its free slots, then arrives.
            points = [(cx + _BOX_W / 2, cy)]
            for sx, sy in paths.get((child, v), []):
                points += [(sx - _BOX_W / 2, sy), (sx + _BOX_W / 2, sy)]
            if len(points) > 1:
                ax.plot(*zip(*points), color=color, lw=lw, zorder=1, solid_capstyle="round")
            ax.annotate(
                "",
                xy=(px - _BOX_W / 2, py),
                xytext=points[-1],
                arrowprops=dict(
                    arrowstyle="-|>", color=color, lw=lw, shrinkA=0, shrinkB=0,
                    connectionstyle=f"arc3,rad={rad}",
                ),
                zorder=1,
            )
            if locals_ and k == 0:
                g = locals_[child] * v.grad
                text = f"← {_fmt(g)}"
                edge_texts.append(text)
                if len(points) > 1:  # on the first free slot
                    mx, my = (points[1][0] + points[2][0]) / 2, points[1][1]
                else:
                    mx, my = (points[0][0] + px - _BOX_W / 2) / 2, (points[0][1] + py) / 2
                ax.text(
                    mx, my, text, ha="center", va="center", fontsize=9, color=GRAD_COLOR,
                    fontweight="bold" if hot else "normal", zorder=3,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9),
                )

    # Boxes.
    box_texts = []
    for v in order:
        x, y = pos[v]
        if v._prev:
            op = _OP_SYMBOLS.get(v.op, v.op)
            head = f"{v.label} = {op}" if v.label else op
        else:
            head = str(v.label) if v.label else "constant"
        lines = [head, f"value {_fmt(v.data)}"]
        if with_grads:
            lines.append(f"grad {_fmt(v.grad)}" if v in final else "grad ?")
        box_texts.append("\n".join(lines))
        hot = v is active
        ax.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                fc=_GATE_FACE if v._prev else _LEAF_FACE,
                ec=GRAD_COLOR if hot else "#444444", lw=2.4 if hot else 1.0, zorder=2,
            )
        )
        dy = _BOX_H / 4 if with_grads else _BOX_H / 6
        ax.text(x, y + dy, head, ha="center", va="center", fontsize=11, fontweight="bold", zorder=4)
        ax.text(x, y if with_grads else y - dy, lines[1], ha="center", va="center",
                fontsize=10, color=VALUE_COLOR, zorder=4)
        if with_grads:
            ax.text(x, y - dy, lines[2], ha="center", va="center", fontsize=10,
                    color=GRAD_COLOR, zorder=4)

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return GraphDrawing(ax, order, pos, box_texts, edge_texts, active)


# ----------------------------------------------------------------------------- helpers


def grads_of(nodes) -> np.ndarray:
    """The ``.grad`` of every Value in a (nested) list or object array, as a float64 array.

    Parameters
    ----------
    nodes : nested list / tuple / object ndarray of Value, any shape

    Returns
    -------
    numpy.ndarray of float64 with the same shape.

    Raises
    ------
    TypeError
        Some entry is not a Value.

    Notebook 07.
    """
    arr = np.asarray(nodes, dtype=object)
    out = np.empty(arr.shape, dtype=np.float64)
    for idx, v in np.ndenumerate(arr):
        if not isinstance(v, Value):
            raise TypeError(f"nodes must hold only Values, found {type(v).__name__} at index {idx}")
        out[idx] = v.grad
    return out


def softmax_loss_from_values(W, X, y, reg: float = 0.0):
    """Notebook 05's softmax loss, built from scalar Values so backprop can find ∂L/∂W.

    ``L = (1/N) Σ_i [ −s_{i,y_i} + log Σ_j exp(s_ij) ] + reg · Σ W²`` with ``s = X @ W``.
    For numerical safety each row's scores are shifted by their maximum (a plain number, not a
    node), which changes neither the loss nor its gradient.

    Parameters
    ----------
    W : array_like of float, shape (D, C)
        Weights (with the bias trick, the last row is the bias).
    X : array_like of float, shape (N, D)
    y : array_like of int, shape (N,), labels in [0, C)
    reg : float ≥ 0, default 0.0

    Returns
    -------
    loss : Value
        The loss node (call ``loss.backward()``).
    W_nodes : list of list of Value, shape (D, C)
        The leaf nodes holding ``W``; ``grads_of(W_nodes)`` is ``dW`` after the backward pass.

    Raises
    ------
    TypeError, ValueError
        As ``losses.softmax_loss_vectorized``: wrong shapes, non-finite values, bad labels,
        negative ``reg``.

    Source: lecture part 2 (softmax loss) and part 3 (backpropagation); the gradient must
    equal ``course_lib.losses.softmax_loss_vectorized``'s ``dW``. Notebook 07.
    """
    W = as_float_array(W, "W", ndim=2)
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but W has {W.shape[0]} rows; they must match")
    y = check_labels(y, "y", num_classes=W.shape[1], n=X.shape[0])
    reg = check_nonnegative_float(reg, "reg")
    N, D = X.shape
    C = W.shape[1]
    W_nodes = [[Value(W[d, c], f"W[{d},{c}]") for c in range(C)] for d in range(D)]
    per_sample = []
    for i in range(N):
        scores = []
        for c in range(C):
            s = W_nodes[0][c] * X[i, 0]
            for d in range(1, D):
                s = s + W_nodes[d][c] * X[i, d]
            scores.append(s)
        shift = max(s.data for s in scores)  # a constant: softmax ignores shifts
        total = (scores[0] - shift).exp()
        for s in scores[1:]:
            total = total + (s - shift).exp()
        per_sample.append(total.log() - (scores[y[i]] - shift))
    data_loss = per_sample[0]
    for L_i in per_sample[1:]:
        data_loss = data_loss + L_i
    loss = data_loss / N
    if reg > 0:
        penalty = W_nodes[0][0] ** 2
        for d, c in itertools.product(range(D), range(C)):
            if (d, c) != (0, 0):
                penalty = penalty + W_nodes[d][c] ** 2
        loss = loss + reg * penalty
    loss.label = "loss"
    return loss, W_nodes

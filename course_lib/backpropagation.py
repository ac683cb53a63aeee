"""Notebook 07: a scalar autodiff engine. A ``Value`` holds one number and remembers how it was made.

Every operation computes its result, remembers its inputs (``_prev``) and its name (``_op``), and
leaves a ``_backward(out_grad)`` closure that adds local gradient × ``out_grad`` into each input.
``backward()`` runs those closures from the output back (the chain rule, one gate at a time).
Modelled on Andrej Karpathy's micrograd (``engine.py``, MIT licence).
"""

from __future__ import annotations

import math
import sys

from .checks import check_float

__all__ = ["Value", "topological_order", "zero_grad"]

_LARGEST_EXP = math.log(sys.float_info.max)  # 709.78…: math.exp of anything larger overflows


class Value:
    """One number of a computation, its gradient, and the operation that produced it.

    data: a finite real number (int or float, not bool), stored as a float; label: a name to show.
    After ``out.backward()``, ``grad`` holds ∂out/∂(this value). ``_prev`` (the inputs) and ``_op``
    (the operation, "" for a leaf) describe the graph. Ops: + - * / ** (number exponent), exp, log,
    relu, tanh, sigmoid, max. Raises TypeError for a non-number or bool, ValueError for NaN/±inf;
    an op whose result overflows a float raises OverflowError. Notebook 07.
    """

    __slots__ = ("data", "grad", "label", "_prev", "_op", "_backward", "_backward_done", "__weakref__")
    __array_ufunc__ = None  # numpy number * Value: numpy steps aside, Value.__rmul__ does the work

    def __init__(self, data, label="", _children=(), _op=""):
        if not _op:  # a leaf (an input or a parameter): a number from outside, checked here once
            data = check_float(data, "data")
            if not isinstance(label, str):
                raise TypeError(f"label must be a str, got {type(label).__name__} {label!r}"[:100])
        elif not math.isfinite(data):  # an op's inputs are finite, so only overflow gets here
            inputs = ", ".join(f"{child.data:.4g}" for child in _children)
            hint = " (in a softmax, subtract the largest score before exp)" if _op == "exp" else ""
            raise OverflowError(f"{_op!r} of ({inputs}) overflows: the result is larger than a float "
                                f"holds (about 1.8e308); make the inputs smaller{hint}")
        self.data = data
        self.grad = 0.0
        self.label = label
        self._prev = _children
        self._op = _op
        self._backward = _no_backward  # replaced by the op that makes this Value
        self._backward_done = False

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g}{label})"

    # ---- primitive operations: compute, remember the inputs, add local gradient × out_grad.
    # backward() hands each closure out.grad as out_grad (micrograd's closures read out.grad):
    # a closure that never refers to out makes no reference cycle, so a graph is freed as soon
    # as it is dropped, without waiting for Python's (slow, on big graphs) cycle collector.

    def __add__(self, other):
        other = _as_value(other)
        out = Value(self.data + other.data, _children=(self, other), _op="+")

        def _backward(out_grad):
            self.grad += out_grad  # ∂(a + b)/∂a = 1: the add gate hands the gradient on
            other.grad += out_grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = _as_value(other)
        out = Value(self.data * other.data, _children=(self, other), _op="*")

        def _backward(out_grad):
            self.grad += other.data * out_grad  # ∂(a b)/∂a = b: the multiply gate swaps its inputs
            other.grad += self.data * out_grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        """self ** exponent for a number exponent; 0 ** negative and (negative) ** fraction raise."""
        if isinstance(exponent, Value):
            raise TypeError("exponent must be a number, not a Value (for a ** b write (b * a.log()).exp())")
        p = check_float(exponent, "exponent")
        if self.data == 0 and p < 0:
            raise ZeroDivisionError(f"0 ** {p:g} divides by zero (a / b is computed as a * b ** -1)")
        if self.data < 0 and not p.is_integer():
            raise ValueError(f"({self.data:g}) ** {p:g} is not a real number (a negative base needs a "
                             "whole-number exponent)")
        out = Value(_power(self.data, p), _children=(self,), _op=f"**{p:g}")

        def _backward(out_grad):
            self.grad += p * self.data ** (p - 1) * out_grad  # ∂(a^p)/∂a = p a^(p−1)

        out._backward = _backward
        return out

    def exp(self):
        """e ** self; OverflowError above 709.78."""
        e = math.exp(self.data) if self.data <= _LARGEST_EXP else math.inf
        out = Value(e, _children=(self,), _op="exp")

        def _backward(out_grad):
            self.grad += e * out_grad  # ∂e^a/∂a = e^a

        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm; ValueError for self ≤ 0."""
        if self.data <= 0:
            raise ValueError(f"log needs a positive number, got {self.data:g}"
                             + (f" ({self.label})" if self.label else ""))
        out = Value(math.log(self.data), _children=(self,), _op="log")

        def _backward(out_grad):
            self.grad += out_grad / self.data  # ∂ log a/∂a = 1/a

        out._backward = _backward
        return out

    def relu(self):
        """max(0, self); gradient 0 at 0."""
        out = Value(self.data if self.data > 0 else 0.0, _children=(self,), _op="relu")

        def _backward(out_grad):
            self.grad += (self.data > 0) * out_grad  # 1 where a > 0, else 0 (also at a = 0)

        out._backward = _backward
        return out

    def tanh(self):
        """Hyperbolic tangent, in (−1, 1)."""
        t = math.tanh(self.data)
        out = Value(t, _children=(self,), _op="tanh")

        def _backward(out_grad):
            self.grad += (1 - t**2) * out_grad  # ∂ tanh a/∂a = 1 − tanh² a

        out._backward = _backward
        return out

    def sigmoid(self):
        """σ(self) = 1 / (1 + e^−self), in (0, 1), one gate."""
        a = self.data  # two forms of 1 / (1 + e^−a), so that exp never overflows
        s = 1 / (1 + math.exp(-a)) if a >= 0 else math.exp(a) / (1 + math.exp(a))
        out = Value(s, _children=(self,), _op="sigmoid")

        def _backward(out_grad):
            self.grad += s * (1 - s) * out_grad  # ∂σ/∂a = σ (1 − σ)

        out._backward = _backward
        return out

    def max(self, other):
        """The larger of self and other (a Value or a number); on a tie, self gets the gradient."""
        other = _as_value(other)
        self_wins = self.data >= other.data  # a tie goes to self
        out = Value(self.data if self_wins else other.data, _children=(self, other), _op="max")

        def _backward(out_grad):
            self.grad += self_wins * out_grad  # the max gate routes the whole gradient to the winner
            other.grad += (not self_wins) * out_grad

        out._backward = _backward
        return out

    # ---- derived operations, built from the primitives (as micrograd does)

    def __neg__(self):  # -a
        return self * -1

    def __sub__(self, other):  # a - b
        return self + (-_as_value(other))

    def __truediv__(self, other):  # a / b
        return self * _as_value(other) ** -1

    def __radd__(self, other):  # 2 + a
        return self + other

    def __rmul__(self, other):  # 2 * a
        return self * other

    def __rsub__(self, other):  # 2 - a
        return _as_value(other) + (-self)

    def __rtruediv__(self, other):  # 2 / a
        return _as_value(other) * self**-1

    # ---- the backward pass

    def backward(self):
        """Fill ``grad`` of every Value this one was computed from with ∂self/∂(that Value).

        Topological order, ``self.grad = 1``, then every ``_backward`` from the output back.
        Gradients ACCUMULATE (+=) on top of earlier ones, as in PyTorch: call ``zero_grad`` first.
        Raises RuntimeError if backward() already ran through this graph (gradients would double);
        OverflowError if a gradient is infinite or too large for a float. Notebook 07.
        """
        order = topological_order(self)
        done = next((node for node in reversed(order) if node._backward_done), None)
        if done is not None:
            where = "this output" if done is self else f"the intermediate result {_name(done)}"
            raise RuntimeError(f"backward() has already run through {where}: a second pass would add "
                               "the same gradients again (doubled). Build the expression again from "
                               "its inputs, after zero_grad(parameters), as a training loop does")
        self.grad = 1.0
        for node in reversed(order):
            try:
                node._backward(node.grad)
            except (OverflowError, ZeroDivisionError):  # Python's ** raises these
                raise OverflowError(_gradient_overflow(node)) from None
        bad = next((node for node in reversed(order) if not math.isfinite(node.grad)), None)
        if bad is not None:  # * and / give inf silently
            raise OverflowError(_gradient_overflow(bad))
        for node in order:
            node._backward_done = bool(node._prev)  # leaves (inputs, parameters) stay reusable


def topological_order(output):
    """Every Value ``output`` was computed from, itself last, each after all of its inputs.

    output: a Value. Returns a list of Values, each once. Iterative depth-first search, so a chain
    of any depth works (no recursion limit). Raises TypeError if output is not a Value. Notebook 07.
    """
    if not isinstance(output, Value):
        raise TypeError(f"output must be a Value, got {type(output).__name__}")
    order, visited, stack = [], set(), [(output, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)  # all its inputs are in order already
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for child in reversed(node._prev):  # reversed: the first input is visited first
                if child not in visited:
                    stack.append((child, False))
    return order


def zero_grad(values):
    """Set ``grad = 0`` on every Value in ``values`` (an iterable, e.g. a model's parameters).

    Raises TypeError if values is not iterable or holds something other than a Value. Notebook 07.
    """
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"values must be an iterable of Values, got {type(values).__name__}") from None
    for i, value in enumerate(values):
        if not isinstance(value, Value):
            raise TypeError(f"values must hold only Values, found {type(value).__name__} at position {i}")
    for value in values:
        value.grad = 0.0


def _no_backward(out_grad):
    """A leaf's backward step: it has no inputs to hand its gradient to."""


def _as_value(x):
    """x if it is a Value, else a constant leaf holding the number x."""
    return x if isinstance(x, Value) else Value(check_float(x, "other"))


def _power(base, p):
    """base ** p, or inf where Python raises OverflowError instead (Value then explains)."""
    try:
        return base**p
    except OverflowError:
        return math.inf


def _name(node):
    """How messages call a node: its label, else its op and value."""
    if node.label:
        return repr(node.label)
    return f"{node._op!r} = {node.data:.4g}" if node._op else f"the leaf {node.data:.4g}"


def _gradient_overflow(node):
    """The message for a gradient that overflowed at (or just below) ``node``."""
    inputs = ", ".join(f"{child.data:.4g}" for child in node._prev) or "none"
    return (f"the gradient overflowed in the backward pass at {_name(node)} (inputs: {inputs}; "
            f"gradient {node.grad:.4g}): local gradient × upstream gradient is infinite or larger "
            "than a float holds (about 1.8e308)")

"""Notebook 08: a small neural network, twice — on the course's ``Value`` engine and with numpy matrices.

``Neuron``, ``Layer`` and ``MLP`` follow micrograd's ``nn.py`` (ReLU hidden units, a linear output
layer), trained by plain gradient descent on the softmax loss. The matrix version is CS231n's
two-layer net: ``X @ W1 + b1`` → ReLU → ``@ W2 + b2`` → softmax, with the backward pass gate by gate.
"""

from __future__ import annotations

import contextlib
import gc

import numpy as np

from .backpropagation import Value, zero_grad
from .checks import (check_array, check_bool, check_callable, check_choice, check_float, check_int, check_labels,
                     check_seed, check_X, check_X_y)
from .optimization import TrainingDiverged, minibatch_indices

__all__ = ["Neuron", "Layer", "MLP", "mlp_loss", "mlp_predict", "train_mlp", "init_two_layer_net",
           "two_layer_net_loss", "two_layer_net_predict", "train_two_layer_net"]


class Neuron:
    """One unit: ``relu(w · x + b)`` (or just ``w · x + b`` when ``nonlinear=False``), on Values.

    num_inputs: int ≥ 1; weights drawn N(0, 2 / num_inputs) (He) with ``seed``, bias 0.
    Call it on a sequence of num_inputs numbers or Values; returns a Value. Notebook 08.
    """

    def __init__(self, num_inputs, nonlinear=True, seed=0):
        num_inputs = check_int(num_inputs, "num_inputs", low=1)
        rng = np.random.default_rng(check_seed(seed))
        self.w = [Value(w) for w in rng.normal(0.0, np.sqrt(2.0 / num_inputs), size=num_inputs)]
        self.b = Value(0.0)
        self.nonlinear = check_bool(nonlinear, "nonlinear")

    def __call__(self, x):
        _check_length(x, len(self.w))
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlinear else act

    def parameters(self):
        return self.w + [self.b]

    def zero_grad(self):
        zero_grad(self.parameters())


class Layer:
    """``num_outputs`` neurons that all see the same ``num_inputs`` inputs; returns a list of Values.

    Each neuron gets its own seed, drawn from ``seed``. Notebook 08.
    """

    def __init__(self, num_inputs, num_outputs, nonlinear=True, seed=0):
        num_outputs = check_int(num_outputs, "num_outputs", low=1)
        seeds = np.random.default_rng(check_seed(seed)).integers(2**31, size=num_outputs)
        self.neurons = [Neuron(num_inputs, nonlinear, seed=int(s)) for s in seeds]

    def __call__(self, x):
        return [neuron(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def zero_grad(self):
        zero_grad(self.parameters())


class MLP:
    """A multi-layer perceptron on Values: ReLU hidden layers, then a linear output layer.

    num_inputs: D; layer_sizes: e.g. [16, 2] (hidden sizes, then C scores). Call it on one sample
    (D numbers); returns a list of C Values, the scores. Notebook 08.
    """

    def __init__(self, num_inputs, layer_sizes, seed=0):
        self.num_inputs = check_int(num_inputs, "num_inputs", low=1)
        if not isinstance(layer_sizes, (list, tuple)):
            raise TypeError(f"layer_sizes must be a list of ints, got {type(layer_sizes).__name__}")
        if not layer_sizes:
            raise ValueError("layer_sizes must not be empty: give at least the number of outputs, e.g. [2]")
        sizes = [self.num_inputs] + [check_int(s, "layer_sizes entries", low=1) for s in layer_sizes]
        seeds = np.random.default_rng(check_seed(seed)).integers(2**31, size=len(layer_sizes))
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlinear=i < len(layer_sizes) - 1, seed=int(s))
                       for i, s in enumerate(seeds)]

    def __call__(self, x):
        _check_length(x, self.num_inputs)
        x = [xi if isinstance(xi, Value) else Value(xi) for xi in x]  # once, not once per neuron
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        zero_grad(self.parameters())


def mlp_loss(model, X, y, reg):
    """Softmax loss of an MLP: mean over the N samples + ``reg * Σ w²`` over its weights (not biases).

    X (N, D) float, y (N,) int in [0, C) (C = the model's outputs), reg ≥ 0. Returns a Value: call
    ``.backward()`` on it. Raises TypeError/ValueError for bad input. Notebook 08.
    """
    X, y = _check_mlp_data(model, X, y)
    reg = check_float(reg, "reg", low=0.0)
    losses = []
    for x_i, y_i in zip(X, y):
        scores = model(x_i)
        shift = max(s.data for s in scores)  # a plain number (05's trick): same loss, exp cannot overflow
        losses.append(sum((s - shift).exp() for s in scores).log() - (scores[y_i] - shift))
    penalty = sum(w * w for layer in model.layers for neuron in layer.neurons for w in neuron.w)
    return sum(losses) / len(losses) + reg * penalty


def mlp_predict(model, X):
    """The predicted class of every row of X (N, D): the index of the largest score, (N,) int64.

    Raises TypeError/ValueError for a model that is not an MLP or X with the wrong shape. Notebook 08.
    """
    X, _ = _check_mlp_data(model, X)
    return np.array([np.argmax([s.data for s in model(x_i)]) for x_i in X], dtype=np.int64)


def train_mlp(model, X, y, *, learning_rate, reg, num_iters, callback=None):
    """Plain (full-batch) gradient descent on ``mlp_loss``; updates the model's parameters in place.

    Each step: forward (a new graph), ``zero_grad()``, ``backward()``, ``p.data -= learning_rate * p.grad``.
    ``callback(iteration, model, loss)`` after each step if given. Returns the list of losses.
    Raises TypeError/ValueError for bad input. Notebook 08.
    """
    X, y = _check_mlp_data(model, X, y)
    learning_rate = check_float(learning_rate, "learning_rate", low=0.0, low_open=True)
    reg = check_float(reg, "reg", low=0.0)
    num_iters = check_int(num_iters, "num_iters", low=1)
    callback = None if callback is None else check_callable(callback, "callback")
    history = []
    with _cycle_collector_paused():
        for iteration in range(num_iters):
            loss = mlp_loss(model, X, y, reg)
            model.zero_grad()  # gradients accumulate: clear the previous step's first
            loss.backward()
            for p in model.parameters():
                p.data -= learning_rate * p.grad
            history.append(loss.data)
            if callback is not None:
                callback(iteration, model, loss.data)
    return history


def init_two_layer_net(num_features, hidden_size, num_classes, weight_scale=1e-2, seed=0):
    """Weights of the two-layer net: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,), float64.

    W1, W2 ~ weight_scale · N(0, 1), or N(0, 2 / fan_in) with ``weight_scale="he"``; biases 0.
    Raises TypeError/ValueError for bad sizes, scale or seed. Notebook 08.
    """
    D = check_int(num_features, "num_features", low=1)
    H = check_int(hidden_size, "hidden_size", low=1)
    C = check_int(num_classes, "num_classes", low=1)
    if isinstance(weight_scale, str):
        check_choice(weight_scale, "weight_scale", ("he",))
        scale1, scale2 = np.sqrt(2.0 / D), np.sqrt(2.0 / H)
    else:
        scale1 = scale2 = check_float(weight_scale, "weight_scale", low=0.0, low_open=True)
    rng = np.random.default_rng(check_seed(seed))
    return {"W1": scale1 * rng.standard_normal((D, H)), "b1": np.zeros(H),
            "W2": scale2 * rng.standard_normal((H, C)), "b2": np.zeros(C)}


def two_layer_net_loss(params, X, y, reg):
    """Softmax loss of the two-layer net and its gradients, backward gate by gate.

    params: W1 (D, H), b1 (H,), W2 (H, C), b2 (C,); X (N, D); y (N,) in [0, C); reg ≥ 0 (on W1, W2).
    Returns (loss: float, grads: dict with the keys and shapes of params). Raises TypeError/ValueError
    for bad input. Notebook 08.
    """
    params, X, y = _check_net_inputs(params, X, y)
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    reg = check_float(reg, "reg", low=0.0)
    N = X.shape[0]
    # forward pass
    hidden_in = X @ W1 + b1                           # (N, D) @ (D, H) -> (N, H)
    hidden = np.maximum(0, hidden_in)                 # ReLU, (N, H)
    scores = hidden @ W2 + b2                         # (N, H) @ (H, C) -> (N, C)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(N), y].mean() + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    # backward pass: each gradient has the shape of its variable; the shapes fix each product
    dscores = np.exp(log_probs)                       # softmax probabilities, (N, C)
    dscores[np.arange(N), y] -= 1
    dscores /= N                                      # ∂loss/∂scores, (N, C)
    dW2 = hidden.T @ dscores + 2 * reg * W2           # (H, N) @ (N, C) -> (H, C)
    db2 = dscores.sum(axis=0)                         # (C,): b2 was added to every row
    dhidden = dscores @ W2.T                          # (N, C) @ (C, H) -> (N, H)
    dhidden_in = dhidden * (hidden_in > 0)            # ReLU routes where its input was > 0
    dW1 = X.T @ dhidden_in + 2 * reg * W1             # (D, N) @ (N, H) -> (D, H)
    db1 = dhidden_in.sum(axis=0)                      # (H,)
    return float(loss), {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def two_layer_net_predict(params, X):
    """The class with the largest score for every row of X (N, D): (N,) int64.

    Raises TypeError/ValueError for bad params or X. Notebook 08.
    """
    params, X, _ = _check_net_inputs(params, X)
    hidden = np.maximum(0, X @ params["W1"] + params["b1"])
    return np.argmax(hidden @ params["W2"] + params["b2"], axis=1)


def train_two_layer_net(params, X, y, *, learning_rate, reg, num_iters, batch_size, seed=0,
                        callback=None):
    """Minibatch SGD on ``two_layer_net_loss``, as ``optimization.sgd``; the given params are not modified.

    Minibatches from ``minibatch_indices(N, min(batch_size, N), num_iters, seed)``; each step
    ``params[name] -= learning_rate * grads[name]``; ``callback(iteration, params, loss)`` after it.
    Returns (params, history: the minibatch loss before each step). Raises TypeError/ValueError for
    bad input, TrainingDiverged when the loss or the weights stop being finite. Notebook 08.
    """
    params, X, y = _check_net_inputs(params, X, y)
    learning_rate = check_float(learning_rate, "learning_rate", low=0.0, low_open=True)
    num_iters = check_int(num_iters, "num_iters", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    callback = None if callback is None else check_callable(callback, "callback")
    batches = minibatch_indices(len(y), min(batch_size, len(y)), num_iters, check_seed(seed))
    params = {name: value.copy() for name, value in params.items()}
    history = []
    for iteration, batch in enumerate(batches):
        with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported just below
            loss, grads = two_layer_net_loss(params, X[batch], y[batch], reg)
            for name in params:
                params[name] -= learning_rate * grads[name]
        if not (np.isfinite(loss) and all(np.isfinite(value).all() for value in params.values())):
            raise TrainingDiverged(iteration, history, learning_rate)
        history.append(loss)
        if callback is not None:
            callback(iteration, params, loss)
    return params, history


@contextlib.contextmanager
def _cycle_collector_paused():
    """Pause Python's cycle collector while train_mlp builds one big graph after another.

    Value graphs hold no reference cycles, so reference counting frees each one; the collector
    would only scan the live graph over and over (about 2/3 of the training time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_length(x, num_inputs):
    """x must be a sequence of num_inputs entries (zip would silently drop the rest)."""
    if not hasattr(x, "__len__") or len(x) != num_inputs:
        size = len(x) if hasattr(x, "__len__") else type(x).__name__
        raise ValueError(f"x must hold {num_inputs} inputs (one per weight), got {size}")


def _check_mlp_data(model, X, y=None):
    """model an MLP; X (N, model.num_inputs); y, if given, (N,) labels in [0, number of outputs)."""
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an MLP, got {type(model).__name__}")
    X = check_X(X) if y is None else check_X_y(X, y)[0]
    if X.shape[1] != model.num_inputs:
        raise ValueError(f"X has {X.shape[1]} columns but the model takes {model.num_inputs} inputs")
    if y is not None:
        y = check_labels(y, num_samples=X.shape[0], num_classes=len(model.layers[-1].neurons))
    return X, y


def _check_net_inputs(params, X, y=None):
    """params W1 (D, H), b1 (H,), W2 (H, C), b2 (C,) that fit together and fit X (N, D), y (N,)."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict (see init_two_layer_net), got {type(params).__name__}")
    missing = [name for name in ("W1", "b1", "W2", "b2") if name not in params]
    if missing:
        raise ValueError(f"params must hold W1, b1, W2, b2 (see init_two_layer_net), missing {missing}")
    params = {name: check_array(params[name], f"params['{name}']", ndim=2 if name[0] == "W" else 1)
              for name in ("W1", "b1", "W2", "b2")}
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    if not b1.shape[0] == W1.shape[1] == W2.shape[0] or b2.shape[0] != W2.shape[1]:
        raise ValueError(f"params must fit together as W1 (D, H), b1 (H,), W2 (H, C), b2 (C,); got "
                         f"{W1.shape}, {b1.shape}, {W2.shape}, {b2.shape}")
    X = check_X(X) if y is None else check_X_y(X, y)[0]
    if X.shape[1] != W1.shape[0]:
        raise ValueError(f"X has {X.shape[1]} columns but params['W1'] has {W1.shape[0]} rows; "
                         "X @ W1 needs them equal")
    if y is not None:
        y = check_labels(y, num_samples=X.shape[0], num_classes=W2.shape[1])
    return params, X, y

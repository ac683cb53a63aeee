"""Notebook 08's helpers, figures and widget: a small network next to the linear classifier.

``mlp_to_params`` / ``mlp_grads`` copy a one-hidden-layer ``MLP`` (Values) into the matrices of the
two-layer net, so the same network can be drawn fast and the two implementations compared;
``engine_relu_backward`` / ``engine_matmul_backward`` are the exercises' references, computed with
notebook 07's ``Value`` engine. The ``draw_*`` functions return figures (shown with
``plots.show_figure``); ``moons_network_widget`` wires hidden units and λ to ``draw_moons_network``.
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator

from ..backpropagation import Value
from ..checks import check_array, check_float, check_int, check_X, check_X_y
from ..linear_classifier import LinearClassifier
from ..neural_network import MLP, train_two_layer_net, two_layer_net_predict
from ..optimization import numerical_gradient
from ..plots import CLASS_COLORS, class_cmap, new_figure, show_figure
from .toy_data import make_moons, plane_grid

__all__ = [
    "print_source", "mlp_to_params", "mlp_grads", "engine_relu_backward", "engine_matmul_backward",
    "random_relu_case", "random_matmul_case", "standardize", "AccuracyRecorder", "draw_linear_vs_network",
    "linear_vs_network_alt", "draw_loss_curves", "draw_search_results", "draw_learning_curves",
    "MOONS_HIDDEN_SIZES", "MOONS_REGS", "MOONS_TRAINING", "moons_network", "draw_moons_network",
    "moons_network_alt", "moons_network_widget",
]

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")  # one per class, as in notebook 04
_UNIT_LINE = dict(color="0.25", lw=0.9, alpha=0.55, ls=(0, (4, 3)), zorder=1)

#: The widget's choices: hidden units and λ (the slider positions).
MOONS_HIDDEN_SIZES = (1, 2, 3, 4, 8, 16, 32, 64)
MOONS_REGS = (0.0, 1e-4, 1e-3, 1e-2, 1e-1)
#: How notebook 08 trains its networks on the moons (and so does the widget): minibatch gradient
#: descent, 10 epochs of 200 points in batches of 20, starting from ``MLP(2, [H, 2], seed=0)``.
MOONS_TRAINING = dict(learning_rate=1.0, batch_size=20, num_iters=100, seed=0)


# ------------------------------------------------------------------------------- showing the code


def print_source(*functions, docstrings=False) -> None:
    """Print the source of each function or method (dedented; a method under a ``# Class.method``
    line), without its docstring unless ``docstrings=True``, a blank line between them.
    Raises TypeError for something that is not a function.
    """
    for i, function in enumerate(functions):
        if not callable(function):
            raise TypeError(f"functions must be functions or methods, got {type(function).__name__}")
        source = textwrap.dedent(inspect.getsource(function))
        if not docstrings:
            body = ast.parse(source).body[0].body
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and \
                    isinstance(first.value.value, str) and len(body) > 1:
                lines = source.splitlines()
                source = "\n".join(lines[:first.lineno - 1] + lines[first.end_lineno:]) + "\n"
        header = f"# {function.__qualname__}\n" if "." in function.__qualname__ else ""
        print(("\n" if i else "") + header + source, end="")


# ------------------------------------------------------------------------------- the same net twice


def _hidden_and_output(model):
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an MLP, got {type(model).__name__}")
    if len(model.layers) != 2:
        raise ValueError(f"model must have one hidden layer (MLP(D, [H, C])), got {len(model.layers)} layers")
    return model.layers


def mlp_to_params(model) -> dict:
    """The weights of a one-hidden-layer MLP as the two-layer net's matrices W1 (D, H), b1 (H,),
    W2 (H, C), b2 (C,), float64 copies (column j of W1 = hidden neuron j's weights).

    Raises TypeError for a non-MLP, ValueError for an MLP without exactly one hidden layer.
    """
    hidden, output = _hidden_and_output(model)
    return {"W1": np.array([[w.data for w in n.w] for n in hidden.neurons]).T,
            "b1": np.array([n.b.data for n in hidden.neurons]),
            "W2": np.array([[w.data for w in n.w] for n in output.neurons]).T,
            "b2": np.array([n.b.data for n in output.neurons])}


def mlp_grads(model) -> dict:
    """The ``.grad`` of every parameter of a one-hidden-layer MLP, arranged as ``mlp_to_params``.

    Raises as mlp_to_params.
    """
    hidden, output = _hidden_and_output(model)
    return {"W1": np.array([[w.grad for w in n.w] for n in hidden.neurons]).T,
            "b1": np.array([n.b.grad for n in hidden.neurons]),
            "W2": np.array([[w.grad for w in n.w] for n in output.neurons]).T,
            "b2": np.array([n.b.grad for n in output.neurons])}


def engine_relu_backward(upstream, pre_activation) -> np.ndarray:
    """Reference for the ReLU exercise, by notebook 07's engine: the gradient of
    ``Σ upstream ⊙ relu(pre_activation)`` with respect to pre_activation (relu's gradient is 0 at 0).

    upstream, pre_activation: real arrays of the same shape (N, H). Returns (N, H) float64.
    Raises TypeError / ValueError for bad input.
    """
    upstream = check_array(upstream, "upstream", ndim=2)
    pre_activation = check_array(pre_activation, "pre_activation", ndim=2)
    if upstream.shape != pre_activation.shape:
        raise ValueError(f"upstream {upstream.shape} and pre_activation {pre_activation.shape} must have "
                         "the same shape")
    a = [Value(float(v)) for v in pre_activation.ravel()]
    total = sum((float(u) * v.relu() for u, v in zip(upstream.ravel(), a)), Value(0.0))
    total.backward()
    return np.array([v.grad for v in a]).reshape(pre_activation.shape)


def engine_matmul_backward(upstream, X, W) -> tuple[np.ndarray, np.ndarray]:
    """Reference for the matrix-product exercise, by notebook 07's engine: the gradients of
    ``Σ upstream ⊙ (X @ W)`` with respect to X and to W, as (dX (N, D), dW (D, H)) float64.

    upstream (N, H), X (N, D), W (D, H): real arrays. Raises TypeError / ValueError for bad input.
    For small shapes only (one Value per multiply-add).
    """
    upstream = check_array(upstream, "upstream", ndim=2)
    X, W = check_array(X, "X", ndim=2), check_array(W, "W", ndim=2)
    if X.shape[1] != W.shape[0] or upstream.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes must be upstream (N, H), X (N, D), W (D, H); got {upstream.shape}, "
                         f"{X.shape}, {W.shape}")
    Xv = [[Value(float(v)) for v in row] for row in X]
    Wv = [[Value(float(v)) for v in row] for row in W]
    total = Value(0.0)
    for i in range(X.shape[0]):
        for j in range(W.shape[1]):
            product = sum((Xv[i][k] * Wv[k][j] for k in range(X.shape[1])), Value(0.0))
            total = total + float(upstream[i, j]) * product
    total.backward()
    return (np.array([[v.grad for v in row] for row in Xv]), np.array([[v.grad for v in row] for row in Wv]))


def numerical_matmul_backward(upstream, X, W) -> tuple[np.ndarray, np.ndarray]:
    """Reference for the matrix-product exercise by notebook 06's centred differences: the gradients of
    ``Σ upstream ⊙ (X @ W)`` with respect to X and to W, as (dX (N, D), dW (D, H)) float64.

    Same arguments as :func:`engine_matmul_backward`; for small shapes only. Raises TypeError / ValueError.
    """
    upstream = check_array(upstream, "upstream", ndim=2)
    X, W = check_array(X, "X", ndim=2).astype(float), check_array(W, "W", ndim=2).astype(float)
    if X.shape[1] != W.shape[0] or upstream.shape != (X.shape[0], W.shape[1]):
        raise ValueError(f"shapes must be upstream (N, H), X (N, D), W (D, H); got {upstream.shape}, "
                         f"{X.shape}, {W.shape}")
    return (numerical_gradient(lambda X_: np.sum(upstream * (X_ @ W)), X),
            numerical_gradient(lambda W_: np.sum(upstream * (X @ W_)), W))


def random_relu_case(rng, N: int, H: int, *, zeros: bool = False) -> tuple:
    """(upstream (N, H), pre_activation (N, H)) for the ReLU exercise; ``zeros=True`` sets about a
    third of the pre-activations to exactly 0 (the kink)."""
    upstream, pre_activation = rng.normal(size=(N, H)), rng.normal(size=(N, H))
    if zeros:
        pre_activation[rng.random((N, H)) < 1 / 3] = 0.0
    return upstream, pre_activation


def random_matmul_case(rng, N: int, D: int, H: int, *, dtype=np.float64) -> tuple:
    """(upstream (N, H), X (N, D), W (D, H)) for the matrix-product exercise; X as uint8 pixels
    with ``dtype=np.uint8``."""
    X = rng.integers(0, 256, size=(N, D)).astype(np.uint8) if dtype == np.uint8 else rng.normal(size=(N, D))
    return rng.normal(size=(N, H)), X, rng.normal(size=(D, H))


def standardize(X, mean=None, std=None):
    """(X − mean) / std per column, with the mean and std of X itself unless given.

    X (N, D). Returns (X_standardized (N, D), mean (D,), std (D,)). Raises TypeError / ValueError
    for bad input or a column without spread.
    """
    X = check_X(X)
    if np.any(X.std(axis=0) <= 0) and std is None:
        raise ValueError("X must vary in every column (a constant column cannot be standardized)")
    mean, std = _check_mean_std(X.mean(axis=0) if mean is None else mean, X.std(axis=0) if std is None else std,
                                X.shape[1])
    return (X - mean) / std, mean, std


# ------------------------------------------------------------------------------- measuring training


class AccuracyRecorder:
    """A ``train_two_layer_net`` callback: every ``every`` steps (and after the last), the accuracy
    on a training sample and on the validation set. Attributes ``steps``, ``train``, ``val`` (lists).

    X_train (N, D), y_train (N,), X_val (M, D), y_val (M,); every ≥ 1; num_iters: the run's length.
    ``seconds``: the time spent measuring (subtract it from the run's time to get the training time).
    """

    def __init__(self, X_train, y_train, X_val, y_val, *, every, num_iters):
        self.X_train, self.y_train = check_X_y(X_train, y_train)
        self.X_val, self.y_val = check_X_y(X_val, y_val, X_name="X_val", y_name="y_val")
        self.every = check_int(every, "every", low=1)
        self.num_iters = check_int(num_iters, "num_iters", low=1)
        self.steps, self.train, self.val = [], [], []
        self.seconds = 0.0  # time spent measuring, to subtract from a training time

    def __call__(self, iteration, params, loss):
        done = iteration + 1
        if done % self.every == 0 or done == self.num_iters:
            start = time.perf_counter()
            self.steps.append(done)
            self.train.append(float(np.mean(two_layer_net_predict(params, self.X_train) == self.y_train)))
            self.val.append(float(np.mean(two_layer_net_predict(params, self.X_val) == self.y_val)))
            self.seconds += time.perf_counter() - start


# ------------------------------------------------------------------------------- 2-D pictures


def _limits(X, margin=0.6):
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    return (float(low[0]), float(high[0])), (float(low[1]), float(high[1]))


def _region_legend(ax, num_classes, *, with_units, loc="upper center", anchor=(0.5, -0.16)):
    handles, labels = [], []
    for c in range(num_classes):
        region = Patch(facecolor=CLASS_COLORS[c], alpha=0.3, edgecolor="none")
        point = Line2D([], [], marker=MARKERS[c], ls="", markersize=9, markerfacecolor=CLASS_COLORS[c],
                       markeredgecolor="black")
        handles.append((region, point))
        labels.append(f"class {c}")
    if with_units:
        handles.append(Line2D([], [], **{**_UNIT_LINE, "lw": 1.5, "alpha": 0.8}))
        labels.append("a hidden unit switches on")
    ax.legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=1)}, frameon=False, fontsize=12,
              title="class: region, points", title_fontsize=12, loc=loc, bbox_to_anchor=anchor,
              ncols=len(handles), columnspacing=1.0, handletextpad=0.4, borderaxespad=0)


def _draw_regions(ax, predict, X, y, xlim, ylim, *, resolution, num_classes):
    grid = plane_grid(xlim, ylim, resolution)
    regions = predict(grid).reshape(resolution, resolution)
    dx, dy = (xlim[1] - xlim[0]) / (resolution - 1) / 2, (ylim[1] - ylim[0]) / (resolution - 1) / 2
    ax.imshow(regions, origin="lower", extent=(xlim[0] - dx, xlim[1] + dx, ylim[0] - dy, ylim[1] + dy),
              cmap=class_cmap(num_classes), vmin=-0.5, vmax=num_classes - 0.5, alpha=0.3,
              interpolation="nearest", aspect="auto", zorder=0)
    for c in range(num_classes):
        mine = X[y == c]
        ax.scatter(mine[:, 0], mine[:, 1], marker=MARKERS[c], s=34, color=CLASS_COLORS[c],
                   edgecolors="black", linewidths=0.6, zorder=3)
    ax.set(xlim=xlim, ylim=ylim, xlabel="p[0]", ylabel="p[1]")
    ax.locator_params(nbins=5)


def _unit_lines(ax, params, mean, std):
    """Where each hidden unit's input w·x + b crosses 0, drawn in the original coordinates; a unit whose
    line misses the picture (e.g. weights shrunk to almost 0 by a large λ) draws nothing."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    centre, half_diagonal = np.array([x0 + x1, y0 + y1]) / 2, np.hypot(x1 - x0, y1 - y0) / 2
    segments = []
    for w, b in zip(params["W1"].T / std, params["b1"] - (params["W1"].T / std) @ mean):
        norm = np.hypot(*w)
        if norm > 1e-12 and abs(w @ centre + b) / norm < half_diagonal:   # the line crosses the picture
            point = centre - (w @ centre + b) * w / norm**2                # its point nearest the centre
            along = np.array([-w[1], w[0]]) / norm * half_diagonal         # long enough to cross it all
            segments.append([point - along, point + along])
    style = {"colors": _UNIT_LINE["color"], "linewidths": _UNIT_LINE["lw"], "linestyles": _UNIT_LINE["ls"],
             "alpha": _UNIT_LINE["alpha"], "zorder": _UNIT_LINE["zorder"]}
    ax.add_collection(LineCollection(segments, **style), autolim=False)   # one artist: a fast redraw


def _check_2d(X, y):
    X, y = check_X_y(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane), got {X.shape[1]}")
    return X, y


def _check_mean_std(mean, std, num_features):
    mean, std = check_array(mean, "mean", ndim=1), check_array(std, "std", ndim=1)
    if mean.shape != (num_features,) or std.shape != (num_features,):
        raise ValueError(f"mean and std must have shape ({num_features},), got {mean.shape} and {std.shape}")
    if np.any(std <= 0):
        raise ValueError("std must be positive in every column")
    return mean, std


def _linear_net_accuracies(X, y, linear, params, mean, std):
    mean, std = _check_mean_std(mean, std, X.shape[1])
    Xs = (X - mean) / std
    return float(np.mean(linear.predict(Xs) == y)), float(np.mean(two_layer_net_predict(params, Xs) == y))


def draw_linear_vs_network(X, y, linear, params, *, mean, std, name, resolution=150):
    """Two panels on the same points: the linear classifier's regions (left) and the network's
    (right, with the lines where its hidden units switch on), each titled with its accuracy.

    X (N, 2), y (N,) in the original coordinates; linear (a LinearClassifier) and params (the
    two-layer net) were trained on ``(X − mean) / std``; name: the data's name for the titles.
    Returns the Figure. Raises TypeError / ValueError for bad input.
    """
    X, y = _check_2d(X, y)
    if not isinstance(linear, LinearClassifier):
        raise TypeError(f"linear must be a LinearClassifier, got {type(linear).__name__}")
    acc_linear, acc_net = _linear_net_accuracies(X, y, linear, params, mean, std)
    C = int(max(y.max() + 1, params["W2"].shape[1]))
    xlim, ylim = _limits(X)
    fig = new_figure((11.0, 5.6))
    panels = ((f"linear classifier: {acc_linear:.1%} right", lambda p: linear.predict((p - mean) / std)),
              (f"network, {params['W1'].shape[1]} hidden units: {acc_net:.1%} right",
               lambda p: two_layer_net_predict(params, (p - mean) / std)))
    for i, (title, predict) in enumerate(panels):
        ax = fig.add_axes((0.07 + 0.5 * i, 0.25, 0.4, 0.65))
        _draw_regions(ax, predict, X, y, xlim, ylim, resolution=resolution, num_classes=C)
        if i == 1:
            _unit_lines(ax, params, mean, std)
        ax.set_title(title, fontsize=14)
    fig.suptitle(f"{name}: the same points, a straight boundary vs a learned one", fontsize=15, y=0.99)
    _region_legend(fig.axes[0], C, with_units=True, anchor=(1.12, -0.16))
    return fig


def linear_vs_network_alt(X, y, linear, params, *, mean, std, name) -> str:
    """The alt text of ``draw_linear_vs_network`` with the same arguments (accuracies computed)."""
    X, y = _check_2d(X, y)
    acc_linear, acc_net = _linear_net_accuracies(X, y, linear, params, mean, std)
    return (f"{name}, {len(X)} points of {int(y.max()) + 1} classes, drawn twice. Left: the plane coloured by "
            f"the linear classifier's prediction, split by one straight line; {acc_linear:.1%} of the points lie "
            f"in their own class's region. Right: the network with {params['W1'].shape[1]} hidden units, whose "
            f"boundary bends along the dashed lines where hidden units switch on; {acc_net:.1%} of the points "
            "lie in their own class's region.")


def draw_loss_curves(histories, steps_per_epoch):
    """Training loss step by step (thin) and its mean per epoch (thick, dots), one panel per run.

    histories: {name: list of per-step losses}; steps_per_epoch: {name: int}. Returns the Figure.
    Raises ValueError for an empty dict or a name without steps_per_epoch.
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError("histories must be a non-empty dict {name: list of losses}")
    fig = new_figure((5.2 * len(histories), 4.0))
    for i, (name, history) in enumerate(histories.items()):
        if name not in steps_per_epoch:
            raise ValueError(f"steps_per_epoch has no entry for {name!r}")
        history = check_array(history, f"histories[{name!r}]", ndim=1)
        per_epoch = check_int(steps_per_epoch[name], "steps_per_epoch", low=1)
        epochs = len(history) // per_epoch
        ax = fig.add_axes((0.08 + i / len(histories), 0.17, 0.85 / len(histories) - 0.08, 0.7))
        ax.plot(np.arange(1, len(history) + 1), history, color=CLASS_COLORS[0], lw=1.0, alpha=0.45,
                label="one minibatch")
        means = history[:epochs * per_epoch].reshape(epochs, per_epoch).mean(axis=1)
        ax.plot(per_epoch * np.arange(1, epochs + 1), means, color=CLASS_COLORS[5], lw=2.5, marker="o",
                markersize=6, label="mean over an epoch")
        ax.set(xlabel="step (one minibatch each)", ylabel="training loss", title=name, ylim=(0, None))
        ax.legend(frameon=False, loc="upper right")
    return fig


def _percent_axis(ax, which):
    """Ticks at whole multiples of 5 % (2 % on a narrow range), labelled as percentages."""
    low, high = ax.get_xlim() if which == "x" else ax.get_ylim()
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(MultipleLocator(0.02 if high - low < 0.12 else 0.05))
    axis.set_major_formatter(lambda v, pos: f"{100 * v:.0f}%")


def draw_search_results(results, chosen, *, linear_val):
    """One row per hyperparameter setting: training accuracy (hollow) and validation accuracy (filled)
    joined by a line (the gap is overfitting); the chosen row in bold; a dashed line at the best
    linear classifier's validation accuracy.

    results: list of dicts with hidden_size, learning_rate, reg, train, val; chosen: the index of
    the chosen row; linear_val: a number in [0, 1]. Returns the Figure.
    """
    if not isinstance(results, (list, tuple)) or not results:
        raise ValueError("results must be a non-empty list of dicts")
    chosen = check_int(chosen, "chosen", low=0, high=len(results) - 1)
    linear_val = check_float(linear_val, "linear_val", low=0.0, high=1.0)
    height = 0.45 * len(results) + 2.0
    fig = new_figure((9.5, height))
    ax = fig.add_axes((0.36, 0.95 / height, 0.6, 1 - 1.6 / height))
    rows = np.arange(len(results))[::-1]
    for row, r in zip(rows, results):
        ax.plot([r["val"], r["train"]], [row, row], color="0.6", lw=2, zorder=1)
    ax.scatter([r["train"] for r in results], rows, s=70, facecolors="white", edgecolors=CLASS_COLORS[0],
               linewidths=2, zorder=2, label="training accuracy")
    ax.scatter([r["val"] for r in results], rows, s=70, color=CLASS_COLORS[5], zorder=3,
               label="validation accuracy")
    ax.axvline(linear_val, color="0.3", ls="--", lw=1.5, label="best linear classifier, validation")
    labels = [f"H = {r['hidden_size']}, lr = {r['learning_rate']:g}, λ = {r['reg']:g}" for r in results]
    ax.set_yticks(rows, labels, fontsize=12)
    ax.get_yticklabels()[chosen].set_fontweight("bold")
    ax.set(xlabel="accuracy", ylim=(-0.7, len(results) - 0.3))
    _percent_axis(ax, "x")
    fig.legend(*ax.get_legend_handles_labels(), loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=3,
               frameon=False, fontsize=11, handletextpad=0.3, columnspacing=1.2)
    return fig


def draw_learning_curves(history, recorder, *, steps_per_epoch, linear_val):
    """Left: the chosen network's minibatch loss and its mean per epoch. Right: accuracy on the
    training sample and on the validation set as training goes on, with the best linear
    classifier's validation accuracy dashed. Returns the Figure.

    history: per-step losses; recorder: the AccuracyRecorder of the same run; steps_per_epoch ≥ 1.
    """
    if not isinstance(recorder, AccuracyRecorder) or not recorder.steps:
        raise ValueError("recorder must be an AccuracyRecorder that recorded at least one point")
    fig = draw_loss_curves({"minibatch loss": history}, {"minibatch loss": steps_per_epoch})
    fig.set_size_inches(12.5, 4.0)
    fig.axes[0].set_position((0.06, 0.17, 0.33, 0.7))
    ax = fig.add_axes((0.47, 0.17, 0.3, 0.7))
    epochs = np.array(recorder.steps) / check_int(steps_per_epoch, "steps_per_epoch", low=1)
    ax.plot(epochs, recorder.train, color=CLASS_COLORS[0], marker="o", label=f"training sample ({len(recorder.y_train):,})")
    ax.plot(epochs, recorder.val, color=CLASS_COLORS[5], marker="s", label="validation images")
    ax.axhline(check_float(linear_val, "linear_val", low=0.0, high=1.0), color="0.3", ls="--", lw=1.5,
               label="best linear (validation)")
    ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy while training")
    _percent_axis(ax, "y")
    ax.legend(frameon=False, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=11)
    return fig


# ------------------------------------------------------------------------------- the widget


@functools.lru_cache(maxsize=None)
def _moons():
    X, y = make_moons()
    Xs, mean, std = standardize(X)
    return X, y, Xs, mean, std


@functools.lru_cache(maxsize=64)
def _trained_moons_network(hidden_size, reg, learning_rate, batch_size, num_iters, seed):
    X, y, Xs, mean, std = _moons()
    params = mlp_to_params(MLP(2, [hidden_size, 2], seed=seed))
    params, _ = train_two_layer_net(params, Xs, y, learning_rate=learning_rate, reg=reg, num_iters=num_iters,
                                    batch_size=batch_size, seed=seed)
    return params


def moons_network(hidden_size=16, reg=1e-4, **training):
    """The two-layer net trained on notebook 03's moons (``make_moons()``, standardized) as notebook 08
    trains its MLP: start ``MLP(2, [hidden_size, 2], seed)``, then ``train_two_layer_net`` with
    ``MOONS_TRAINING`` (override any of learning_rate, batch_size, num_iters, seed). Cached per setting.

    Returns (params, mean, std). Raises TypeError / ValueError for bad arguments.
    """
    hidden_size = check_int(hidden_size, "hidden_size", low=1, high=256)
    reg = check_float(reg, "reg", low=0.0)
    unknown = set(training) - set(MOONS_TRAINING)
    if unknown:
        raise TypeError(f"unknown training arguments {sorted(unknown)}; allowed: {sorted(MOONS_TRAINING)}")
    settings = {**MOONS_TRAINING, **training}
    params = _trained_moons_network(hidden_size, reg, float(settings["learning_rate"]),
                                    int(settings["batch_size"]), int(settings["num_iters"]), int(settings["seed"]))
    _, _, _, mean, std = _moons()
    return {k: v.copy() for k, v in params.items()}, mean, std


def draw_moons_network(hidden_size=16, reg=1e-4, *, resolution=110, **training):
    """The moons coloured by the prediction of ``moons_network(hidden_size, reg, **training)``, with the
    lines where its hidden units switch on; the title gives the training accuracy. Returns the Figure.
    """
    X, y, Xs, _, _ = _moons()
    params, mean, std = moons_network(hidden_size, reg, **training)
    accuracy = np.mean(two_layer_net_predict(params, Xs) == y)
    fig = new_figure((6.4, 5.4))
    ax = fig.add_axes((0.12, 0.27, 0.84, 0.64))
    xlim, ylim = _limits(X)
    _draw_regions(ax, lambda p: two_layer_net_predict(params, (p - mean) / std), X, y, xlim, ylim,
                  resolution=check_int(resolution, "resolution", low=2), num_classes=2)
    _unit_lines(ax, params, mean, std)
    ax.set_title(f"{hidden_size} hidden unit{'s' * (hidden_size > 1)}, λ = {reg:g}: {accuracy:.1%} right",
                 fontsize=14, y=1.01)
    _region_legend(ax, 2, with_units=True, anchor=(0.45, -0.17))
    return fig


def moons_network_alt(hidden_size=16, reg=1e-4, **training) -> str:
    """The alt text of ``draw_moons_network`` with the same arguments (accuracy and areas computed)."""
    X, y, Xs, _, _ = _moons()
    params, mean, std = moons_network(hidden_size, reg, **training)
    accuracy = np.mean(two_layer_net_predict(params, Xs) == y)
    xlim, ylim = _limits(X)
    share = np.mean(two_layer_net_predict(params, (plane_grid(xlim, ylim, 60) - mean) / std) == 0)
    return (f"The two moons, coloured by the class a network with {hidden_size} hidden "
            f"unit{'s' * (hidden_size > 1)} and λ = {reg:g} predicts (class 0 on {share:.0%} of the area); "
            f"{accuracy:.1%} of the {len(X)} training points lie in their own class's region; dashed lines "
            "mark where each hidden unit switches on, and the boundary bends only on them.")


def moons_network_widget(hidden_size=16, reg=1e-4, **training):
    """A slider for the hidden units (``MOONS_HIDDEN_SIZES``) and one for λ (``MOONS_REGS``) redrawing
    ``draw_moons_network`` on release. Returns an ipywidgets.VBox (sliders, then an Output).

    hidden_size and reg: the starting positions (must be among the choices); training: as
    moons_network. Raises TypeError / ValueError for bad arguments.
    """
    if hidden_size not in MOONS_HIDDEN_SIZES or reg not in MOONS_REGS:
        raise ValueError(f"hidden_size must be one of {MOONS_HIDDEN_SIZES} and reg one of {MOONS_REGS}, "
                         f"got {hidden_size!r} and {reg!r}")
    moons_network(hidden_size, reg, **training)  # bad training arguments fail here, before any widget
    style, layout = {"description_width": "110px"}, widgets.Layout(width="420px")
    units = widgets.SelectionSlider(options=MOONS_HIDDEN_SIZES, value=hidden_size, description="hidden units",
                                    continuous_update=False, style=style, layout=layout)
    lam = widgets.SelectionSlider(options=[(f"{r:g}", r) for r in MOONS_REGS], value=reg, description="λ (reg)",
                                  continuous_update=False, style=style, layout=layout)
    out = widgets.Output()

    def redraw(change=None):
        fig = draw_moons_network(units.value, lam.value, **training)
        with out:
            out.clear_output(wait=True)
            show_figure(fig, alt=moons_network_alt(units.value, lam.value, **training))

    units.observe(redraw, names="value")
    lam.observe(redraw, names="value")
    redraw()
    return widgets.VBox([units, lam, out])

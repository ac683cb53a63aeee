"""Notebook 06's figures, widget and measurements: loss landscapes, blind search, finite differences,
the learning rate, gradient descent on a 2-D bowl, minibatches, the hyperparameter search, template
roughness and the k-NN vs linear comparison. Every ``draw_*`` returns a Figure (shown with
``plots.show_figure``) and has a ``*_alt`` partner computed from the same numbers;
``gradient_descent_widget`` wires two sliders to ``draw_gradient_descent``; ``threshold_learning_rate``
is the reference of the notebook's warm-up exercise.
"""

from __future__ import annotations

from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from ..checks import (check_array, check_callable, check_float, check_int, check_seed, check_W_X_y,
                      check_X_y)
from ..exercises import case, random_W_X_y
from ..losses import hinge_loss
from ..metrics import accuracy
from ..optimization import TrainingDiverged, sgd
from ..plots import CLASS_COLORS, new_figure, show_figure

__all__ = [
    "weights_accuracy", "loss_slice", "draw_loss_landscape", "loss_landscape_alt",
    "draw_search_history", "search_history_alt", "finite_difference_errors",
    "draw_finite_difference_errors", "finite_difference_alt", "draw_learning_rates",
    "learning_rates_alt", "describe_loss_history", "bowl_loss", "bowl_path", "threshold_learning_rate",
    "draw_gradient_descent", "gradient_descent_alt", "draw_gradient_descent_runs",
    "gradient_descent_widget", "draw_minibatch_losses", "minibatch_losses_alt", "search_hyperparameters",
    "best_pair", "search_table", "draw_search", "search_alt", "template_roughness", "draw_templates",
    "templates_alt", "format_table", "comparison_table", "describe_comparison", "sgd_case",
]

BLUE, ORANGE, GREEN, PURPLE, VERMILLION = (CLASS_COLORS[i] for i in (0, 1, 2, 3, 5))
#: Scores held at once by loss_slice (entries of a (points, N, C) block): about 8 MB.
SLICE_BLOCK = 1_000_000


def weights_accuracy(W, X, y) -> float:
    """Accuracy of the linear classifier with (bias-trick) weights W (D, C) on X (N, D), y (N,).

    = mean(argmax(X @ W) == y), a float in [0, 1]. Raises TypeError / ValueError for bad shapes
    or labels (checks.check_W_X_y).
    """
    W, X, y, _ = check_W_X_y(W, X, y, 0.0)
    return accuracy(y, np.argmax(X @ W, axis=1))


# ------------------------------------------------------------------------------------ landscape

def loss_slice(W, X, y, directions, steps) -> np.ndarray:
    """The SVM data loss (mean hinge, no regulariser) on a line or a plane through W.

    One direction D1: L(W + a·D1) for every a in steps, shape (S,). Two: L(W + a·D1 + b·D2),
    shape (S, S), rows b, columns a. The scores are linear in a and b, so three products
    X @ W, X @ D1, X @ D2 serve every grid point (in blocks of SLICE_BLOCK scores).
    W, D1, D2 (D, C); X (N, D); y (N,) in [0, C); steps (S,). Raises ValueError for bad shapes.
    """
    W, X, y, _ = check_W_X_y(W, X, y, 0.0)
    directions = [check_array(d, f"directions[{i}]", ndim=2) for i, d in enumerate(directions)]
    if len(directions) not in (1, 2) or any(d.shape != W.shape for d in directions):
        raise ValueError(f"directions must be 1 or 2 arrays of W's shape {W.shape}")
    steps = check_array(steps, "steps", ndim=1)
    grids = np.meshgrid(*[steps] * len(directions), indexing="xy")      # a varies along columns
    coefficients = np.stack([g.ravel() for g in grids])                  # (K, points)
    base, moves = X @ W, np.stack([X @ d for d in directions])           # (N, C), (K, N, C)
    per_block = max(1, SLICE_BLOCK // base.size)
    losses = []
    for start in range(0, coefficients.shape[1], per_block):
        c = coefficients[:, start:start + per_block]                    # (K, P)
        scores = base + np.einsum("kp,knc->pnc", c, moves)             # (P, N, C)
        losses.append(hinge_loss(scores.reshape(-1, W.shape[1]), np.tile(y, c.shape[1]))
                      .reshape(c.shape[1], -1).mean(axis=1))
    out = np.concatenate(losses)
    return out if len(directions) == 1 else out.reshape(len(steps), len(steps))


def _kinks(values) -> np.ndarray:
    """Indices where a sampled piecewise-linear curve bends: one per run of non-zero second differences."""
    bends = np.abs(np.diff(values, 2)) > 1e-9 * max(1.0, np.abs(values).max())
    starts = np.flatnonzero(bends & ~np.concatenate([[False], bends[:-1]]))
    return starts + 1


def draw_loss_landscape(steps, one_image, many, plane_steps, plane, num_images):
    """Three panels: the loss of 1 image along a line (its kinks marked), of num_images along the
    same line, and of num_images over a plane (viridis, dark = low), the start W0 marked at 0."""
    fig = new_figure((14.0, 4.2))
    axes = fig.subplots(1, 3)
    for ax, values, title in ((axes[0], one_image, "1 image, along a line"),
                              (axes[1], many, f"{num_images} images, along the same line")):
        ax.plot(steps, values, color=BLUE, linewidth=2)
        ax.plot(0, values[len(steps) // 2], "o", color=VERMILLION, markersize=8, label="W0 (a = 0)")
        ax.set(title=title, xlabel="step a along direction D1", ylabel="SVM loss")
    kinks = _kinks(one_image)
    axes[0].plot(steps[kinks], one_image[kinks], "|", color="black", markersize=16, markeredgewidth=2,
                 label="kinks")
    for ax in axes[:2]:
        ax.legend(loc="upper center", fontsize=11)
    image = axes[2].imshow(plane, origin="lower", cmap="viridis", aspect="auto",
                           extent=(plane_steps[0], plane_steps[-1], plane_steps[0], plane_steps[-1]))
    axes[2].contour(plane_steps, plane_steps, plane, levels=8, colors="white", linewidths=0.6)
    axes[2].plot(0, 0, "o", color=VERMILLION, markersize=8, label="W0")
    axes[2].set(title=f"{num_images} images, over a plane", xlabel="step a along D1", ylabel="step b along D2")
    axes[2].legend(loc="upper right", fontsize=11)
    fig.colorbar(image, ax=axes[2], label="SVM loss")
    fig.tight_layout()
    return fig


def loss_landscape_alt(steps, one_image, many, plane_steps, plane, num_images) -> str:
    """Alt text for draw_loss_landscape, with the numbers of the three slices."""
    kinks = len(_kinks(one_image))
    low = np.unravel_index(np.argmin(plane), plane.shape)
    return (f"Three views of the SVM loss around a random W0. Left: one image along a line, straight pieces "
            f"joined at {kinks} kinks (marked), from {one_image.min():.3g} to {one_image.max():.3g}. Middle: "
            f"{num_images} images along the same line, a bowl-shaped curve with its lowest value "
            f"{many.min():.3g} at a = {steps[np.argmin(many)]:.3g}. Right: the same {num_images} images "
            f"over a plane as a colour map from {plane.min():.3g} (dark) to {plane.max():.3g} (bright), "
            f"lowest at a = {plane_steps[low[1]]:.3g}, b = {plane_steps[low[0]]:.3g}.")


# ------------------------------------------------------------------------------------ searching

def draw_search_history(random_history, local_history):
    """Best loss so far against the number of loss evaluations: random search, then random local
    search drawn from where it starts (after random search's evaluations, at its best loss)."""
    random_history, local_history = list(random_history), list(local_history)
    start = len(random_history)
    fig = new_figure((8.0, 4.0))
    ax = fig.subplots()
    ax.plot(np.arange(1, start + 1), random_history, color=BLUE, drawstyle="steps-post",
            label="random search (best so far)")
    ax.plot(np.arange(start, start + len(local_history) + 1), [random_history[-1]] + local_history,
            color=ORANGE, drawstyle="steps-post", label="random local search (current W)")
    ax.plot(start, random_history[-1], "o", color=VERMILLION, markersize=8,
            label="hand-over: local search starts here")
    ax.set(xlabel="number of loss evaluations", ylabel="training loss (SVM)",
           title="two ways of searching blindly")
    ax.legend(fontsize=11)
    fig.tight_layout()
    return fig


def search_history_alt(random_history, local_history) -> str:
    """Alt text for draw_search_history."""
    first, best = random_history[0], random_history[-1]
    found = (f"lowers its best loss from {first:.3g} to {best:.3g}" if best < first else
             f"finds nothing better than its first try, {best:.3g}")
    return (f"Line chart of the training loss against the number of loss evaluations. Random search "
            f"({len(random_history)} tries) {found}; random local search then starts from that point and "
            f"after {len(local_history)} more evaluations reaches {local_history[-1]:.3g}.")


# ---------------------------------------------------------------------------- finite differences

def finite_difference_errors(f, df, x0, hs, method="centred") -> np.ndarray:
    """|finite-difference derivative − df(x0)| of the scalar function f at x0 for each step h.

    forward: (f(x0 + h) − f(x0)) / h; centred: (f(x0 + h) − f(x0 − h)) / 2h. hs (K,) > 0.
    Returns (K,) float64. Raises TypeError / ValueError for bad arguments.
    """
    check_callable(f, "f")
    check_callable(df, "df")
    x0 = check_float(x0, "x0")
    hs = check_array(hs, "hs", ndim=1)
    if np.any(hs <= 0) or method not in ("forward", "centred"):
        raise ValueError("hs must be > 0 and method 'forward' or 'centred'")
    if method == "forward":
        estimates = np.array([(f(x0 + h) - f(x0)) / h for h in hs])
    else:
        estimates = np.array([(f(x0 + h) - f(x0 - h)) / (2 * h) for h in hs])
    return np.abs(estimates - df(x0))


def draw_finite_difference_errors(hs, forward, centred, h_default=1e-5):
    """Log-log plot of the error of forward and centred differences against h (zero errors drawn
    at 1e-17), the default step marked."""
    fig = new_figure((8.0, 4.6))
    ax = fig.subplots()
    ax.loglog(hs, np.maximum(forward, 1e-17), "o-", color=BLUE, markersize=4, linewidth=1.5,
              label="forward  (f(x+h) − f(x)) / h")
    ax.loglog(hs, np.maximum(centred, 1e-17), "s-", color=ORANGE, markersize=4, linewidth=1.5,
              label="centred  (f(x+h) − f(x−h)) / 2h")
    ax.axvline(h_default, color="grey", linestyle=":", label=f"h = {h_default:g} (the course's default)")
    ax.set(xlabel="step h", ylabel="|error of the derivative|",
           title="round-off (small h, left) against truncation (large h, right)")
    ax.legend(fontsize=11, loc="lower left")
    fig.tight_layout()
    return fig


def finite_difference_alt(hs, forward, centred) -> str:
    """Alt text for draw_finite_difference_errors."""
    return (f"Log-log chart of the error of two finite-difference derivatives against the step h from "
            f"{hs[0]:.0e} to {hs[-1]:.0e}. Both errors fall as h shrinks from the right, then rise again "
            f"for tiny h. The forward difference is best at h = {hs[np.argmin(forward)]:.0e} (error "
            f"{forward.min():.0e}), the centred difference at h = {hs[np.argmin(centred)]:.0e} (error "
            f"{centred.min():.0e}).")


# --------------------------------------------------------------------------------- learning rates

_RUN_STYLES = (("o", BLUE), ("s", ORANGE), ("^", GREEN), ("D", VERMILLION))


def draw_learning_rates(histories, panels=((0, 1), (2,), (3,)),
                        titles=("too small and about right", "too large", "far too large (log scale)")):
    """Loss against iteration for each run of ``histories`` (label → losses), in panels that
    each get their own scale (``panels``: run indices per panel; the last one log-scaled), every
    run with its own marker and a legend, the starting loss dashed."""
    labels = list(histories)
    fig = new_figure((14.0, 4.6))
    axes = fig.subplots(1, len(panels))
    for p, (ax, members, title) in enumerate(zip(axes, panels, titles)):
        ax.set_title(title)
        for i in members:
            history = histories[labels[i]]
            marker, colour = _RUN_STYLES[i % len(_RUN_STYLES)]
            ax.plot(np.arange(len(history)), history, marker=marker, color=colour, linewidth=1.5, markersize=6,
                    markevery=max(1, len(history) // 10), label=labels[i])
        ax.axhline(histories[labels[members[0]]][0], color="grey", linestyle="--", linewidth=1,
                   label="starting loss")
        log = p == len(panels) - 1
        ax.set(xlabel="iteration", ylabel="training loss" + (" (log scale)" if log else ""),
               yscale="log" if log else "linear")
        ax.legend(fontsize=11)
    fig.tight_layout()
    return fig


def learning_rates_alt(histories, panels=((0, 1), (2,), (3,))) -> str:
    """Alt text for draw_learning_rates."""
    labels = list(histories)

    def run(label):
        h = histories[label]
        peak = f", highest {max(h):.3g}" if max(h) > 1.5 * max(h[0], h[-1]) else ""
        return f"{label} from {h[0]:.3g} to {h[-1]:.3g}{peak}"
    parts = [f"chart {n} ({len(members)} run{'s' * (len(members) > 1)}): " + "; ".join(run(labels[i]) for i in members)
             for n, members in enumerate(panels, 1)]
    return (f"{len(panels)} line charts of the training loss over {len(histories[labels[0]])} iterations of "
            f"gradient descent, each on its own scale (the last one logarithmic). " + ". ".join(parts) + ".")


def describe_loss_history(history, last=20) -> str:
    """What a loss history does, in words computed from its numbers (notebook 06's text).

    Four cases: it grows without bound (by a factor per step); it falls (at every step, or to a
    narrow band); it stays in a band (largest < 1.5 × smallest over the last ``last`` steps) not
    below its start; or it swings up and down.
    """
    h = check_array(history, "history", ndim=1)
    tail = h[-last:]
    low, high, start, end = tail.min(), tail.max(), h[0], h[-1]
    if high > 1e6 * start:
        growth = (tail[-1] / tail[0]) ** (1 / (len(tail) - 1))
        return (f"it grows without bound: over the last {len(tail)} steps it is multiplied by about "
                f"{growth:.3g} at every step, up to {end:.3g}")
    rises = int(np.sum(np.diff(h) > 0))
    if end < start and (rises == 0 or high / low < 1.5):
        how = "at every step" if rises == 0 else f"with {rises} rises along the way"
        recent = (h[-11] - end) / h[-11] if len(h) > 10 else (start - end) / start
        return (f"it falls from {start:.3g} to {end:.3g}, {how}; over the last 10 steps it still dropped by "
                f"{recent:.1%}")
    if high / low < 1.5:
        opening = "it rises in the first steps and then stays in a band" if low > 1.5 * start else "it stays in a band"
        return (f"{opening}: over the last {len(tail)} steps between "
                f"{low:.3g} and {high:.3g} (the largest {100 * (high / low - 1):.0f} % above the smallest), "
                + (f"at least {low / start:.0f} times its starting value" if low > 1.5 * start else
                   f"around its starting value {start:.3g}"))
    turns = int(np.sum(np.diff(np.sign(np.diff(tail))) != 0))
    return (f"it swings up and down: over the last {len(tail)} steps between {low:.3g} and {high:.3g} (the "
            f"largest {high / low:.1f} times the smallest, {turns} changes of direction), so the value after "
            f"the last step says little")


# ------------------------------------------------------------------------------------- the bowl

def bowl_loss(w, curvatures=(1.0, 10.0)):
    """The quadratic bowl L(w) = ½ Σ_k c_k w_k² and its gradient (c_k w_k).

    w (..., K) real with K = len(curvatures); curvatures > 0. Returns (loss of shape w.shape[:-1]
    (a float for one point), grad of w's shape). Raises ValueError for mismatched shapes.
    """
    c = check_array(curvatures, "curvatures", ndim=1)
    w = check_array(w, "w")
    if w.shape[-1] != len(c) or np.any(c <= 0):
        raise ValueError(f"w must end in an axis of length {len(c)} and curvatures must be > 0")
    loss = 0.5 * np.sum(c * w ** 2, axis=-1)
    return (float(loss) if loss.ndim == 0 else loss), c * w


def bowl_path(learning_rate, num_steps, start=(-4.0, 2.5), curvatures=(1.0, 10.0)) -> np.ndarray:
    """The points of gradient descent w ← w − learning_rate · ∇L(w) on the bowl, start first.

    Stops early once |w| > 1e6 (a diverging run). Returns (k + 1, K) float64, k ≤ num_steps.
    """
    learning_rate = check_float(learning_rate, "learning_rate", low=0.0, low_open=True)
    num_steps = check_int(num_steps, "num_steps", low=0)
    w = check_array(start, "start", ndim=1).copy()
    path = [w]
    for _ in range(num_steps):
        w = w - learning_rate * bowl_loss(w, curvatures)[1]
        path.append(w)
        if np.linalg.norm(w) > 1e6:
            break
    return np.array(path)


def threshold_learning_rate(curvatures) -> float:
    """The learning rate at and above which gradient descent on the bowl does not converge.

    One step multiplies w_k by (1 − learning_rate · c_k); every factor has size < 1 exactly when
    learning_rate < 2 / max(c). curvatures: real (K,) > 0. Returns a float. The reference of
    notebook 06's warm-up exercise.
    """
    c = check_array(curvatures, "curvatures", ndim=1)
    if np.any(c <= 0):
        raise ValueError("curvatures must all be > 0")
    return float(2.0 / c.max())


@lru_cache(maxsize=4)
def _bowl_grid(curvatures, lim):
    grid = np.linspace(-lim, lim, 121)
    A, B = np.meshgrid(grid, grid)
    return A, B, bowl_loss(np.stack([A, B], axis=-1), curvatures)[0]


def _draw_bowl(ax, learning_rate, num_steps, curvatures, lim=5.0):
    """Contours, the path up to the step that leaves the view (matplotlib clips that segment at the
    frame; later points are not drawn), start, minimum; the title gives the final loss."""
    curvatures = tuple(float(c) for c in curvatures)
    A, B, L = _bowl_grid(curvatures, lim)
    ax.contour(A, B, L, levels=np.geomspace(0.05, L.max(), 12), colors="#999999", linewidths=0.8)
    path = bowl_path(learning_rate, num_steps, curvatures=curvatures)
    outside = np.flatnonzero(np.abs(path).max(axis=1) > lim)
    shown = path if len(outside) == 0 else path[:outside[0] + 1]
    ax.plot(shown[:, 0], shown[:, 1], "o-", color=VERMILLION, markersize=4, linewidth=1.2, label="steps")
    ax.plot(*path[0], "s", color=BLUE, markersize=9, label="start")
    ax.plot(0, 0, "*", color=GREEN, markersize=15, label="minimum")
    if len(outside) and outside[0] > 0:
        ax.plot(*shown[-2], "X", color="black", markersize=10, label=f"last point in view (step {outside[0] - 1})")
    ticks = np.arange(-2 * (lim // 2), lim + 1e-9, 2.0)              # even numbers: -4, -2, 0, 2, 4
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="w₀", ylabel="w₁",
           xticks=ticks, yticks=ticks)
    loss = bowl_loss(path[-1], curvatures)[0]
    stopped = " (then stopped: |w| > 10⁶)" if len(path) - 1 < num_steps else ""
    ax.set_title(f"learning rate {learning_rate:.3g}: loss {loss:.3g}\nafter {len(path) - 1} steps{stopped}",
                 fontsize=13)
    return path, loss


def draw_gradient_descent(learning_rate=0.05, num_steps=20, curvatures=(1.0, 10.0)):
    """The widget's picture: contour lines of the bowl and the path of gradient descent on it
    (points outside the view drawn at its edge). Returns the Figure."""
    fig = new_figure((5.4, 5.4))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.15, right=0.97, bottom=0.12, top=0.88)   # fixed: no layout pass per redraw
    _draw_bowl(ax, learning_rate, num_steps, curvatures)
    ax.legend(loc="lower right", fontsize=11)
    return fig


def gradient_descent_alt(learning_rate, num_steps, curvatures=(1.0, 10.0)) -> str:
    """Alt text for draw_gradient_descent: where the run ends and whether it converges."""
    path = bowl_path(learning_rate, num_steps, curvatures=curvatures)
    loss = bowl_loss(path[-1], curvatures)[0]
    verdict = ("moving towards the minimum" if learning_rate < threshold_learning_rate(curvatures)
               else "moving away from the minimum: this learning rate is at or above the threshold "
                    f"{threshold_learning_rate(curvatures):.3g}")
    stopped = f" (stopped after {len(path) - 1} of {num_steps}: |w| passed 10⁶)" if len(path) - 1 < num_steps else ""
    return (f"Contour lines of the bowl L(w) = ½({curvatures[0]:g} w0² + {curvatures[1]:g} w1²) and the path of "
            f"{num_steps} gradient-descent steps{stopped} with learning rate {learning_rate:.3g} from "
            f"({path[0][0]:g}, {path[0][1]:g}), ending at loss {loss:.3g}, {verdict}.")


def draw_gradient_descent_runs(learning_rates, num_steps=25, curvatures=(1.0, 10.0)):
    """One bowl panel per learning rate, side by side. Returns the Figure."""
    fig = new_figure((4.6 * len(learning_rates), 5.6))
    axes = fig.subplots(1, len(learning_rates))
    for ax, learning_rate in zip(axes, learning_rates):
        _draw_bowl(ax, learning_rate, num_steps, curvatures)
    handles = {}
    for ax in axes:                                   # every marker once, in one legend under the panels
        for handle, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, handle)
    fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=len(handles), fontsize=11)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def gradient_descent_widget(curvatures=(1.0, 10.0)):
    """Sliders for the learning rate (log scale, 0.001–0.25) and the number of steps (0–60)
    redrawing draw_gradient_descent on release. Returns an ipywidgets.VBox (sliders, picture)."""
    style = {"description_width": "initial"}
    rate = widgets.FloatLogSlider(value=0.05, base=10, min=-3, max=np.log10(0.25), step=0.02,
                                  description="learning rate", readout_format=".3f",
                                  continuous_update=False, style=style)
    steps = widgets.IntSlider(value=20, min=0, max=60, description="steps", continuous_update=False, style=style)
    out = widgets.Output()

    def redraw(change=None):
        fig = draw_gradient_descent(rate.value, steps.value, curvatures)
        with out:
            out.clear_output(wait=True)
            show_figure(fig, alt=gradient_descent_alt(rate.value, steps.value, curvatures))

    rate.observe(redraw, names="value")
    steps.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([rate, steps]), out])


# ------------------------------------------------------------------------------------ minibatches

def draw_minibatch_losses(histories):
    """The loss of every minibatch against the iteration, one line per batch size (batch size →
    losses), on a log axis."""
    fig = new_figure((9.0, 4.4))
    ax = fig.subplots()
    for (batch_size, history), (marker, colour) in zip(histories.items(), _RUN_STYLES):
        ax.plot(history, color=colour, linewidth=1.0, alpha=0.85, marker=marker, markersize=4,
                markevery=max(1, len(history) // 10), label=f"batch size {batch_size}")
    ax.set(yscale="log", xlabel="iteration", ylabel="minibatch loss (log scale)",
           title="minibatch SGD: the same steps, different batch sizes")
    ax.legend(fontsize=11)
    fig.tight_layout()
    return fig


def minibatch_losses_alt(histories, last=50) -> str:
    """Alt text for draw_minibatch_losses: the spread of each run's last losses."""
    parts = [f"batch size {b}: last {last} losses with mean {np.mean(h[-last:]):.3g} and standard deviation "
             f"{np.std(h[-last:]):.3g}" for b, h in histories.items()]
    return "Line chart of the loss of each minibatch against the iteration, log scale. " + "; ".join(parts) + "."


# ------------------------------------------------------------------------- the SGD exercise's cases

def sgd_case(rng, N, D, C, loss_fn, *, batch_size, num_iters, seed, learning_rate=0.5, reg=0.01):
    """One case for notebook 06's sgd exercise: exercises.case(loss_fn, W0, X, y, learning_rate=…,
    reg=…, batch_size=…, num_iters=…, seed=…) with W0 (D, C), X (N, D), y (N,) drawn by
    exercises.random_W_X_y(rng, N, D, C). Raises TypeError / ValueError for bad sizes."""
    check_callable(loss_fn, "loss_fn")
    W0, X, y, _ = random_W_X_y(rng, N, D, C)
    return case(loss_fn, W0, X, y, learning_rate=learning_rate, reg=reg, batch_size=batch_size,
                num_iters=num_iters, seed=seed)


# ----------------------------------------------------------------------------- the hyperparameters

def search_hyperparameters(loss_fn, X_train, y_train, X_val, y_val, learning_rates, regs, *, num_iters,
                           batch_size, weight_scale=1e-3, seed=0) -> dict:
    """Train with sgd for every (learning_rate, reg) pair and measure train / validation accuracy.

    X_train, X_val with the bias column (bias trick); every run starts from the same seeded
    W0 = weight_scale · N(0, 1) (bias row 0, as LinearClassifier) and sees the same minibatches.
    Returns {(learning_rate, reg): (train_accuracy, val_accuracy, W)}; a diverged run gives
    (nan, nan, None) instead of an error. Raises TypeError / ValueError for bad arguments.
    """
    check_callable(loss_fn, "loss_fn")
    X_train, y_train = check_X_y(X_train, y_train, X_name="X_train", y_name="y_train")
    X_val, y_val = check_X_y(X_val, y_val, X_name="X_val", y_name="y_val")
    num_classes = int(y_train.max()) + 1
    W0 = check_float(weight_scale, "weight_scale", low=0.0) * \
        np.random.default_rng(check_seed(seed)).standard_normal((X_train.shape[1], num_classes))
    W0[-1] = 0.0
    results = {}
    for learning_rate in learning_rates:
        for reg in regs:
            try:
                W, _ = sgd(loss_fn, W0, X_train, y_train, learning_rate=learning_rate, reg=reg,
                           batch_size=batch_size, num_iters=num_iters, seed=seed)
            except TrainingDiverged:
                results[(learning_rate, reg)] = (float("nan"), float("nan"), None)
                continue
            results[(learning_rate, reg)] = (accuracy(y_train, np.argmax(X_train @ W, axis=1)),   # checked above
                                             accuracy(y_val, np.argmax(X_val @ W, axis=1)), W)
    return results


def best_pair(results):
    """The (learning_rate, reg) with the highest validation accuracy (ties: the smaller learning rate,
    then the smaller reg)."""
    finite = {pair: r[1] for pair, r in results.items() if np.isfinite(r[1])}
    if not finite:
        raise ValueError("results: every run diverged")
    return max(finite, key=lambda pair: (finite[pair], -pair[0], -pair[1]))


def search_table(results, name) -> str:
    """One line per pair: learning rate, reg, train and validation accuracy; the best marked."""
    best = best_pair(results)
    lines = [f"{name:>8}  learning_rate  reg      train   validation"]
    for (learning_rate, reg), (train, val, _) in results.items():
        mark = "  <- best" if (learning_rate, reg) == best else ""
        text = f"{train:7.1%}  {val:7.1%}" if np.isfinite(val) else "   diverged"
        lines.append(f"{'':>8}  {learning_rate:<13.3g}  {reg:<7g}  {text}{mark}")
    return "\n".join(lines)


def draw_search(results_by_loss):
    """One heat map per loss (loss name → results): learning rate across, reg up, colour = validation
    accuracy (one colour scale for all), the value written in every cell, the best pair framed."""
    names = list(results_by_loss)
    values = [r[1] for res in results_by_loss.values() for r in res.values() if np.isfinite(r[1])]
    fig = new_figure((5.6 * len(names) + 1.2, 4.4))
    fig.set_layout_engine("constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        results = results_by_loss[name]
        rates = sorted({pair[0] for pair in results})
        regs = sorted({pair[1] for pair in results})
        grid = np.array([[results[(lr, reg)][1] for lr in rates] for reg in regs])
        image = ax.imshow(grid, origin="lower", cmap="viridis", vmin=min(values), vmax=max(values), aspect="auto")
        for (i, j), value in np.ndenumerate(grid):
            text = f"{value:.1%}" if np.isfinite(value) else "diverged"
            light = np.isfinite(value) and value < min(values) + 0.6 * (max(values) - min(values))
            ax.text(j, i, text, ha="center", va="center", fontsize=13, color="white" if light else "black")
        lr, reg = best_pair(results)
        frame = ax.add_patch(_frame(rates.index(lr), regs.index(reg)))
        ax.set(xticks=range(len(rates)), xticklabels=[f"{v:.2g}" for v in rates], xlabel="learning rate",
               yticks=range(len(regs)), yticklabels=[f"{v:g}" for v in regs], title=f"{name}: validation accuracy")
    axes[0].set_ylabel("reg (λ)")
    fig.colorbar(image, ax=list(axes), label="validation accuracy", fraction=0.04)
    fig.legend([frame], ["framed: the best pair (on a tie, the smaller learning rate, then the smaller reg)"],
               loc="outside lower center", frameon=False, fontsize=12)
    return fig


def _frame(x, y):
    return Rectangle((x - 0.48, y - 0.48), 0.96, 0.96, fill=False, edgecolor=VERMILLION, linewidth=3)


def search_alt(results_by_loss) -> str:
    """Alt text for draw_search."""
    parts = []
    for name, results in results_by_loss.items():
        lr, reg = best_pair(results)
        vals = [r[1] for r in results.values() if np.isfinite(r[1])]
        parts.append(f"{name}: from {min(vals):.1%} to {max(vals):.1%}, best at learning rate {lr:.3g} "
                     f"and reg {reg:g}")
    return ("Heat maps of validation accuracy over a grid of learning rates (across) and regularisation "
            "strengths (up), one per loss. " + "; ".join(parts) + ".")


# ---------------------------------------------------------------------------------- templates

def template_roughness(W, image_shape) -> np.ndarray:
    """How noisy each class's template is: the mean squared difference between neighbouring
    weights (across and down) divided by twice the template's variance.

    About 1 for pure noise, near 0 for a smooth image. W (D, C) without the bias row;
    image_shape (H, W) or (H, W, 3). Returns (C,) float64.
    """
    W = check_array(W, "W", ndim=2)
    T = W.T.reshape((W.shape[1], *image_shape))
    across = np.mean((T[:, :, 1:] - T[:, :, :-1]) ** 2, axis=tuple(range(1, T.ndim)))
    down = np.mean((T[:, 1:] - T[:, :-1]) ** 2, axis=tuple(range(1, T.ndim)))
    return (across + down) / 2 / (2 * T.reshape(len(T), -1).var(axis=1))


def draw_templates(rows, image_shape, class_names):
    """One row of templates per entry of ``rows`` (label → W (D, C)), each stretched to its own
    range like plots.show_templates; the label on the left."""
    C = len(class_names)
    fig = new_figure((1.25 * C + 2.2, 1.3 * len(rows) + 0.4))
    axes = fig.subplots(len(rows), C, squeeze=False)
    for r, (label, W) in enumerate(rows.items()):
        T = np.asarray(W).T
        span = np.ptp(T, axis=1, keepdims=True)
        images = ((T - T.min(axis=1, keepdims=True)) / np.where(span > 0, span, 1.0)).reshape((C, *image_shape))
        for c, ax in enumerate(axes[r]):
            ax.imshow(images[c], cmap="gray", vmin=0.0, vmax=1.0)
            ax.set(xticks=[], yticks=[])
            if r == 0:
                ax.set_title(str(class_names[c]), fontsize=12)
        axes[r, 0].set_ylabel(label.replace(" (", "\n("), rotation=0, ha="right", va="center", fontsize=12)
    fig.subplots_adjust(left=2.1 / (1.25 * C + 2.2), right=0.99, top=1 - 0.35 / (1.3 * len(rows) + 0.4),
                        bottom=0.02, wspace=0.08, hspace=0.08)
    return fig


def templates_alt(rows, image_shape) -> str:
    """Alt text for draw_templates: the mean roughness of each row."""
    parts = [f"{label}: mean roughness {template_roughness(W, image_shape).mean():.2f}" for label, W in rows.items()]
    return ("Rows of learned templates, one image per class (each stretched from its lowest to its highest "
            "weight); roughness 1 is pure noise, 0 perfectly smooth. " + "; ".join(parts) + ".")


# ------------------------------------------------------------------------------ the comparison

def format_table(header, rows) -> str:
    """A plain-text table: the header and every row (lists of str), columns right-aligned."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(v).rjust(w) if i else str(v).ljust(w) for i, (v, w) in enumerate(zip(row, widths)))
             for row in [header, *rows]]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])


def _duration(seconds) -> str:
    return f"{1e3 * seconds:.2g} ms" if seconds < 0.01 else f"{seconds:.2f} s"


def comparison_table(infos) -> str:
    """The k-NN vs linear table of notebook 06: one row per model. infos: dicts with 'name',
    'accuracy' (fraction), 'train_s' (seconds), 'predict_s' (seconds per image), 'bytes' held and
    'ops' (multiply-adds per image). Raises KeyError when a key is missing."""
    header = ["model", "test accuracy", "training time", "prediction time per image", "memory held",
              "multiply-adds per image"]
    rows = [[i["name"], f"{i['accuracy']:.1%}", _duration(i["train_s"]), f"{1e3 * i['predict_s']:.4f} ms",
             f"{i['bytes'] / 1e6:.2f} MB", f"{i['ops']:,}"] for i in infos]
    return format_table(header, rows)


def describe_comparison(knn, linear) -> str:
    """Which model wins each column, in words: knn and linear are dicts with 'name', 'accuracy',
    'bytes' (larger accuracy wins, fewer bytes win); speed is compared in the timing table."""
    better = linear["accuracy"] > knn["accuracy"]
    acc = (f"{linear['name']} is more accurate on the test set ({linear['accuracy']:.1%} against "
           f"{knn['accuracy']:.1%})" if better else
           f"k-NN is more accurate on the test set ({knn['accuracy']:.1%} against {linear['name']}'s "
           f"{linear['accuracy']:.1%})")
    memory = knn["bytes"] / linear["bytes"]
    return (f"{acc}; it keeps {memory:,.0f} times fewer bytes" if better else
            f"{acc}, but {linear['name']} keeps {memory:,.0f} times fewer bytes")

"""Notebook 04's figures and widget: the linear classifier in a plane, its templates, its limits.

In 2-D a class's score ``s_c(p) = p @ W[:, c] + b[c]`` is zero on a line and grows along the
weight vector ``W[:, c]``; every point goes to the class with the highest score, so the plane
splits into one region per class. The drawing functions return a Figure (shown in the notebook
with ``plots.show_figure``); ``linear_plane_widget`` wires sliders for W and b to
``draw_linear_plane``. Also the measurements the notebook prints (per-class accuracy, 20,000
random classifiers on XOR, mirror symmetry of templates) and the references of its exercises.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch
from matplotlib.patheffects import withStroke

from ..checks import (check_array, check_choice, check_float, check_image, check_int, check_labels, check_seed,
                      check_X)
from ..exercises import random_W, random_X
from ..linear_classifier import linear_scores
from ..plots import CLASS_COLORS, class_cmap, new_figure, show_figure, show_image
from .toy_data import plane_grid

__all__ = [
    "DEMO_W", "DEMO_B", "MARKERS", "winning_class", "per_class_accuracy", "random_linear_recalls",
    "add_product_feature", "mirror_symmetry", "random_X_W_b", "zero_line", "arrow_positions",
    "draw_score_plane", "draw_linear_plane", "linear_plane_alt", "draw_linear_planes",
    "draw_class_scores", "linear_plane_widget",
]

#: The widget's starting weights, shape (2, 3): three arrows 120° apart, and its biases (3,).
DEMO_W = np.array([[1.0, -0.5, -0.5], [0.0, 0.9, -0.9]])
DEMO_B = np.array([1.0, 0.0, -1.0])

#: One marker shape per class (with the class colour, so a class never depends on colour alone).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "<")

_WIDGET_FIGSIZE = (7.6, 5.0)


# ------------------------------------------------------------------------------- measuring


def winning_class(X, W, b) -> np.ndarray:
    """The predicted class of every row: ``argmax(X @ W + b)`` per row (ties: the lowest class).

    X (N, D) real, W (D, C), b (C,). Returns (N,) int64. Raises as linear_classifier.linear_scores.
    Notebook 04 (the reference of its ``predict`` exercise, and the colour of every region).
    """
    return np.argmax(linear_scores(X, W, b), axis=1).astype(np.int64)


def per_class_accuracy(y_true, y_pred, num_classes) -> np.ndarray:
    """For each class c, the fraction of its examples predicted as c (its recall).

    y_true, y_pred (N,) int labels in [0, num_classes). Returns (num_classes,) float64, NaN for a
    class without examples. Raises TypeError / ValueError for bad labels or lengths.
    """
    num_classes = check_int(num_classes, "num_classes", low=1)
    y_true = check_labels(y_true, "y_true", num_classes=num_classes)
    y_pred = check_labels(y_pred, "y_pred", num_classes=num_classes, num_samples=len(y_true),
                          samples_name="y_true")
    hits = np.bincount(y_true[y_pred == y_true], minlength=num_classes).astype(np.float64)
    counts = np.bincount(y_true, minlength=num_classes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, hits / counts, np.nan)


def random_linear_recalls(X, y, num_classes, *, num_tries=20_000, scale=3.0, seed=0) -> np.ndarray:
    """Per-class accuracy of ``num_tries`` random linear classifiers on (X, y).

    Try t uses W[t] = scale · N(0, 1) of shape (D, C) and b[t] = scale · N(0, 1) of shape (C,)
    (all W drawn first, then all b). X (N, D), y (N,) in [0, C). Returns (num_tries, C) float64.
    Raises TypeError / ValueError for bad arguments.
    """
    X = check_X(X)
    num_classes = check_int(num_classes, "num_classes", low=2)
    y = check_labels(y, "y", num_samples=X.shape[0], num_classes=num_classes)
    num_tries = check_int(num_tries, "num_tries", low=1)
    scale = check_float(scale, "scale", low=0.0, low_open=True)
    rng = np.random.default_rng(check_seed(seed))
    W_all = scale * rng.standard_normal((num_tries, X.shape[1], num_classes))
    b_all = scale * rng.standard_normal((num_tries, 1, num_classes))
    onehot = np.eye(num_classes)[y]                      # (N, C)
    counts = onehot.sum(axis=0)
    recalls = np.empty((num_tries, num_classes))
    for start in range(0, num_tries, 2_000):             # 2,000 classifiers at a time: bounded memory
        scores = X @ W_all[start:start + 2_000] + b_all[start:start + 2_000]   # (t, N, C)
        hit = (np.argmax(scores, axis=2) == y).astype(np.float64)   # (t, N)
        recalls[start:start + 2_000] = (hit @ onehot) / counts
    return recalls


def add_product_feature(X) -> np.ndarray:
    """XOR's hand-made feature: X (N, 2) → (N, 3) float64 with columns p1, p2 and p1 · p2.

    Raises TypeError / ValueError unless X is a finite real (N, 2) array. Notebook 04 (exercise).
    """
    X = check_X(X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have 2 columns (points in the plane), got shape {X.shape}")
    return np.column_stack([X, X[:, 0] * X[:, 1]])


def mirror_symmetry(images) -> np.ndarray:
    """How left–right symmetric each image is: the correlation of its values with its mirror image.

    images (n, H, W) or (n, H, W, 3) real (e.g. templates W.T reshaped). Returns (n,) float64
    in [-1, 1]: 1 = symmetric; 0 for a constant image. Raises TypeError / ValueError.
    """
    images = check_array(images, "images", ndim=(3, 4))
    a = images.reshape(len(images), -1)
    m = images[:, :, ::-1].reshape(len(images), -1)
    a, m = a - a.mean(axis=1, keepdims=True), m - m.mean(axis=1, keepdims=True)
    norm = np.sqrt((a * a).sum(axis=1) * (m * m).sum(axis=1))
    return np.where(norm > 0, (a * m).sum(axis=1) / np.where(norm > 0, norm, 1.0), 0.0)


def random_X_W_b(rng, N, D, C, *, dtype=np.float64) -> tuple:
    """One check case for a score function: X (N, D) (uint8 pixels with dtype=np.uint8), W (D, C), b (C,).

    rng: a numpy Generator. W is scaled by 1/√D so the scores stay of order 1 (or 255 for pixels).
    """
    X = random_X(rng, N, D, dtype=dtype)
    return X, random_W(rng, D, C, scale=1.0 / np.sqrt(D)), rng.standard_normal(C)


# ------------------------------------------------------------------------------- geometry


def zero_line(w, b, lim) -> np.ndarray:
    """The segment of the line ``p @ w + b = 0`` inside the square [-lim, lim]².

    w (2,), b a number, lim > 0. Returns (2, 2) float64 end points, all NaN when the line misses
    the square or w = 0 (then the score is the constant b). Raises TypeError / ValueError.
    """
    w = check_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,), got {w.shape}")
    b = check_float(b, "b")
    lim = check_float(lim, "lim", low=0.0, low_open=True)
    missing = np.full((2, 2), np.nan)
    norm2 = float(w @ w)
    if norm2 == 0.0:
        return missing
    p0 = -b * w / norm2                                   # the point of the line closest to 0
    d = np.array([-w[1], w[0]]) / np.sqrt(norm2)          # unit direction along the line
    t_lo, t_hi = -np.inf, np.inf
    for k in range(2):                                    # clip to each pair of borders
        if d[k] == 0.0:
            if abs(p0[k]) > lim:
                return missing
        else:
            t1, t2 = sorted(((-lim - p0[k]) / d[k], (lim - p0[k]) / d[k]))
            t_lo, t_hi = max(t_lo, t1), min(t_hi, t2)
    if not t_lo < t_hi:
        return missing
    return np.array([p0 + t_lo * d, p0 + t_hi * d])


def _cross(o, a, b) -> float:
    return float((a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]))


def _point_segment_distance(p, a, b) -> float:
    ab = b - a
    t = np.clip((p - a) @ ab / max(float(ab @ ab), 1e-12), 0.0, 1.0)
    return float(np.linalg.norm(p - (a + t * ab)))


def _segment_distance(a1, a2, b1, b2) -> float:
    """The shortest distance between the segments a1–a2 and b1–b2 (0 when they cross)."""
    if _cross(a1, a2, b1) * _cross(a1, a2, b2) < 0 and _cross(b1, b2, a1) * _cross(b1, b2, a2) < 0:
        return 0.0
    return min(_point_segment_distance(a1, b1, b2), _point_segment_distance(a2, b1, b2),
               _point_segment_distance(b1, a1, a2), _point_segment_distance(b2, a1, a2))


def arrow_positions(W, b, lim, *, gap=None) -> np.ndarray:
    """Where to draw each class's weight arrow so that no two arrows overlap.

    The arrow of class c is the vector W[:, c] itself, starting on that class's zero line. Class
    by class, the start slides along the visible part of the line (middle first) until the arrow
    stays inside the square and keeps at least ``gap`` (default lim / 8) from the arrows placed
    before it; if no place does, the one farthest from them. Returns (C, 2, 2) float64 [start,
    end] per class, NaN for a class whose line misses the square.
    """
    W, b = check_array(W, "W", ndim=2), check_array(b, "b", ndim=1)
    lim = check_float(lim, "lim", low=0.0, low_open=True)
    gap = lim / 8 if gap is None else check_float(gap, "gap", low=0.0)
    fractions = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)
    arrows = np.full((W.shape[1], 2, 2), np.nan)
    placed = []
    for c in range(W.shape[1]):
        line = zero_line(W[:, c], b[c], lim)
        if np.isnan(line).any():
            continue
        best, best_key = None, None
        for f in fractions:
            start = line[0] + f * (line[1] - line[0])
            end = start + W[:, c]
            inside = bool(np.all(np.abs(end) <= 0.95 * lim))
            apart = min((_segment_distance(start, end, *other) for other in placed), default=np.inf)
            if inside and apart >= gap:
                best = (start, end)
                break
            key = (inside, apart)
            if best_key is None or key > best_key:
                best, best_key = (start, end), key
        arrows[c] = best
        placed.append(best)
    return arrows


# ------------------------------------------------------------------------------- figures


def _check_plane_args(W, b, X, y):
    W, b = check_array(W, "W", ndim=2), check_array(b, "b", ndim=1)
    if not 1 <= W.shape[1] <= len(CLASS_COLORS) or b.shape != (W.shape[1],):
        raise ValueError(f"W (D, C) and b (C,) need 1 ≤ C ≤ {len(CLASS_COLORS)} and one bias per "
                         f"column, got W {W.shape} and b {b.shape}")
    if X is not None:
        X = check_X(X)
        if X.shape[1] != 2:
            raise ValueError(f"X must be points in the plane, shape (N, 2), got {X.shape}")
        if y is None:
            raise ValueError("y must be given together with X")
        y = check_labels(y, "y", num_samples=len(X), num_classes=W.shape[1])
    return W, b, X, y


def _class_names(class_names, C):
    if class_names is None:
        return [f"class {c}" for c in range(C)]
    if len(class_names) != C:
        raise ValueError(f"class_names has {len(class_names)} entries but there are {C} classes")
    return [str(name) for name in class_names]


def draw_score_plane(w, b, *, lim=3.0, resolution=121):
    """One class's score ``s(p) = p @ w + b`` over [-lim, lim]² as a heat map (red positive, blue
    negative), its zero line and the weight vector w as an arrow from that line. Returns the Figure.

    w (2,), b a number. Raises TypeError / ValueError for bad arguments.
    """
    line = zero_line(w, b, lim)                                  # checks w, b and lim
    w, b = np.asarray(w, dtype=np.float64), float(b)
    grid = plane_grid((-lim, lim), (-lim, lim), check_int(resolution, "resolution", low=2))
    scores = (grid @ w + b).reshape(resolution, resolution)
    top = float(np.abs(scores).max()) or 1.0
    fig = new_figure((6.0, 5.6))
    ax = fig.add_axes((0.14, 0.26, 0.62, 0.68))
    half = lim / (resolution - 1)
    image = ax.imshow(scores, origin="lower", extent=(-lim - half, lim + half, -lim - half, lim + half),
                      cmap="RdBu_r", vmin=-top, vmax=top)
    fig.colorbar(image, cax=fig.add_axes((0.8, 0.26, 0.03, 0.68)), label="score  p @ w + b")
    handles = []
    if not np.isnan(line).any():
        ax.plot(line[:, 0], line[:, 1], color="black", lw=2.5)
        start = line.mean(axis=0)
        ax.add_patch(FancyArrowPatch(tuple(start), tuple(start + w), arrowstyle="-|>", mutation_scale=22,
                                     color="black", lw=2.5))
        handles = [Line2D([], [], color="black", lw=2.5, label="score = 0"),
                   Line2D([], [], color="black", marker=r"$\rightarrow$", markersize=16, ls="",
                          label="the weight vector w")]
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="first input, p[0]",
           ylabel="second input, p[1]")
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.55, -0.15), ncols=2, frameon=False)
    return fig


def _legend_handles(names, C, with_points, with_lines, with_arrows):
    handles = []
    for c in range(C):
        region = Patch(facecolor=CLASS_COLORS[c], alpha=0.3, edgecolor="none")
        point = Line2D([], [], marker=MARKERS[c], ls="", markersize=9, markerfacecolor=CLASS_COLORS[c],
                       markeredgecolor="black")
        handles.append(((region, point) if with_points else region, names[c]))
    if with_lines:
        handles.append((Line2D([], [], color="0.35", lw=2.5), "score = 0 (class colour)"))
    if with_arrows:
        handles.append((Line2D([], [], color="0.35", marker=r"$\rightarrow$", markersize=18, ls=""),
                        "W[:, c] (class colour)"))
    return [h for h, _ in handles], [label for _, label in handles]


def draw_linear_plane(W, b, X=None, y=None, *, class_names=None, lim=4.0, resolution=150, features=None,
                      show_lines=True, show_arrows=True, title=None, ax=None, legend="right"):
    """A 2-D linear classifier: the plane coloured by the winning class, each class's zero-score
    line, each weight vector W[:, c] as an arrow (placed so arrows do not overlap), the points
    (X, y) with one colour and marker per class, and a class legend. Returns the Figure.

    W (2, C) and b (C,), 1 ≤ C ≤ 10; X (N, 2) and y (N,) in [0, C) optional; class_names: C names.
    features: a function mapping points (P, 2) to (P, D'), for a W of D' rows (the regions are
    then drawn in the plane; lines and arrows need D' = 2 and are left out). title: default the
    accuracy on the points. ax: an Axes to draw into (default: a new figure). legend: "right" or
    "below" the axes. Raises TypeError / ValueError for bad arguments.
    """
    W, b, X, y = _check_plane_args(W, b, X, y)
    if features is None and W.shape[0] != 2:
        raise ValueError(f"W must have 2 rows (points in the plane), got {W.shape}; pass features= for more")
    if features is not None:
        show_lines = show_arrows = False
    legend = check_choice(legend, "legend", ("right", "below"))
    C, names = W.shape[1], _class_names(class_names, W.shape[1])
    lim = check_float(lim, "lim", low=0.0, low_open=True)
    resolution = check_int(resolution, "resolution", low=2)
    if ax is None:
        fig = new_figure(_WIDGET_FIGSIZE if legend == "right" else (5.4, 6.6))
        ax = fig.add_axes((0.1, 0.12, 0.55, 0.8) if legend == "right" else (0.14, 0.3, 0.8, 0.64))
    grid = plane_grid((-lim, lim), (-lim, lim), resolution)
    points = grid if features is None else features(grid)
    winner = winning_class(points, W, b).reshape(resolution, resolution)
    half = lim / (resolution - 1)
    ax.imshow(winner, origin="lower", extent=(-lim - half, lim + half, -lim - half, lim + half),
              cmap=class_cmap(C), vmin=-0.5, vmax=C - 0.5, alpha=0.3, interpolation="nearest", zorder=0)
    outline = [withStroke(linewidth=5, foreground="white")]
    for c in range(C) if show_lines else ():
        line = zero_line(W[:, c], b[c], lim)
        ax.plot(line[:, 0], line[:, 1], color=CLASS_COLORS[c], lw=2.5, zorder=2, path_effects=outline)
    for c, (start, end) in enumerate(arrow_positions(W, b, lim) if show_arrows else ()):
        if not np.isnan(start).any():
            ax.add_patch(FancyArrowPatch(tuple(start), tuple(end), arrowstyle="-|>", mutation_scale=20,
                                         color=CLASS_COLORS[c], lw=3, zorder=3, path_effects=outline))
    for c in range(C) if X is not None else ():
        mine = X[y == c]
        ax.scatter(mine[:, 0], mine[:, 1], marker=MARKERS[c], s=36, color=CLASS_COLORS[c],
                   edgecolors="black", linewidths=0.6, zorder=4)
    if title is None and X is not None:
        title = f"accuracy on these points: {np.mean(winning_class(_points_of(X, features), W, b) == y):.2f}"
    ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xlabel="p[0]", ylabel="p[1]")
    ax.locator_params(nbins=4)                            # few ticks: each one costs redraw time
    if title:
        ax.set_title(title, fontsize=14, y=1.01)          # a fixed y skips matplotlib's title layout
    handles, labels = _legend_handles(names, C, X is not None, show_lines, show_arrows)
    where = dict(loc="upper left", bbox_to_anchor=(1.03, 1.0)) if legend == "right" else \
        dict(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncols=2)
    ax.legend(handles, labels, handler_map={tuple: HandlerTuple(ndivide=1)}, frameon=False, fontsize=12,
              title="class: region, points", title_fontsize=12, borderaxespad=0, **where)
    return ax.figure


def _points_of(X, features=None):
    """X itself, or features(X) when a feature map is given (for scoring points like the grid)."""
    return X if features is None else features(X)


def linear_plane_alt(W, b, X=None, y=None, *, class_names=None, lim=4.0, features=None) -> str:
    """The alt text of ``draw_linear_plane`` with the same arguments: what share of the square each
    class wins and how many points lie in their own class's region (computed)."""
    W, b, X, y = _check_plane_args(W, b, X, y)
    names = _class_names(class_names, W.shape[1])
    grid = plane_grid((-lim, lim), (-lim, lim), 60)
    share = np.bincount(winning_class(_points_of(grid, features), W, b), minlength=W.shape[1]) / len(grid)
    parts = ", ".join(f"{name} {100 * s:.0f} %" for name, s in zip(names, share))
    text = (f"The square from {-lim:g} to {lim:g} coloured by the class with the highest score "
            f"(share of the area: {parts})")
    if features is None:
        text += "; each class's zero-score line and its weight vector as an arrow"
    if X is not None:
        right = int(np.sum(winning_class(_points_of(X, features), W, b) == y))
        text += f"; {right} of the {len(X)} points lie in their own class's region"
    return text + "."


def draw_linear_planes(panels, *, lim=4.0, size=5.4):
    """Several ``draw_linear_plane`` pictures side by side, each legend below its panel.

    panels: a list of dicts of draw_linear_plane's arguments (W, b, X, y, class_names, title,
    features, show_arrows …). Returns the Figure. Raises as draw_linear_plane.
    """
    if not isinstance(panels, (list, tuple)) or not panels:
        raise ValueError("panels must be a non-empty list of dicts of draw_linear_plane's arguments")
    n = len(panels)
    fig = new_figure((size * n, size + 0.6))
    for i, panel in enumerate(panels):
        ax = fig.add_axes((i / n + 0.1 / n, 0.3, 0.82 / n, 0.63))
        draw_linear_plane(**{"lim": lim, **panel}, ax=ax, legend="below")
    return fig


def draw_class_scores(image, scores, class_names, true_label):
    """Template matching in action: one image and its score for every class as bars (the highest bar
    outlined and labelled "predicted", the true class's name in bold). Returns the Figure.

    image (H, W) or (H, W, 3); scores (C,); class_names: C names; true_label in [0, C).
    """
    image = check_image(image)
    scores = check_array(scores, "scores", ndim=1)
    names = _class_names(class_names, len(scores))
    true_label = check_int(true_label, "true_label", low=0, high=len(scores) - 1)
    predicted = int(np.argmax(scores))
    fig = new_figure((10.0, 3.6))
    ax_img, ax_bar = fig.add_axes((0.02, 0.3, 0.2, 0.6)), fig.add_axes((0.32, 0.3, 0.66, 0.6))
    show_image(image, ax=ax_img, title=f"true: {names[true_label]}")
    bars = ax_bar.bar(range(len(scores)), scores, color=[CLASS_COLORS[c] for c in range(len(scores))],
                      edgecolor="0.4", linewidth=0.8)
    bars[predicted].set(edgecolor="black", linewidth=2.5)
    low, high = min(0.0, float(scores.min())), max(0.0, float(scores.max()))
    margin = 0.2 * (high - low or 1.0)
    ax_bar.annotate("predicted", (predicted, max(scores[predicted], 0.0)), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=12)
    ax_bar.axhline(0, color="black", lw=0.8)
    ax_bar.set_ylim(low - 0.05 * margin, high + margin)
    long_names = max(map(len, names)) > 3                 # digits stay upright, words are tilted
    ax_bar.set_xticks(range(len(scores)), names, rotation=30 if long_names else 0,
                      ha="right" if long_names else "center", fontsize=12)
    ax_bar.get_xticklabels()[true_label].set_fontweight("bold")
    ax_bar.set(ylabel="score", title=f"scores (true class in bold): predicted {names[predicted]}")
    return fig


# ------------------------------------------------------------------------------- widget


def linear_plane_widget(X, y, W=DEMO_W, b=DEMO_B, *, class_names=None, lim=4.0):
    """Sliders for every entry of a 2-D, three-class W (2, 3) and b (3,), redrawing
    ``draw_linear_plane`` (regions, zero lines, arrows, points, legend) on release.

    X (N, 2), y (N,) in [0, 3): the points drawn. Returns an ipywidgets.VBox: one row of sliders
    per class (``W[0,c]``, ``W[1,c]``, ``b[c]``, numpy's indices), then the picture (an Output).
    Raises TypeError / ValueError for bad arguments or a W that is not (2, 3).
    """
    W, b, X, y = _check_plane_args(W, b, X, y)
    if W.shape != (2, 3):
        raise ValueError(f"W must have shape (2, 3) (the widget has sliders for 3 classes), got {W.shape}")
    sliders = {}
    for c in range(3):
        for key, value, low, high in ((f"W[0,{c}]", W[0, c], -3, 3), (f"W[1,{c}]", W[1, c], -3, 3),
                                      (f"b[{c}]", b[c], -6, 6)):
            sliders[key] = widgets.FloatSlider(
                value=float(np.clip(value, low, high)), min=low, max=high, step=0.1, description=key,
                continuous_update=False, readout_format=".1f", layout=widgets.Layout(width="250px"),
                style={"description_width": "55px", "handle_color": CLASS_COLORS[c]})
    out = widgets.Output()

    def redraw(change=None):
        W_now = np.array([[sliders[f"W[{r},{c}]"].value for c in range(3)] for r in range(2)])
        b_now = np.array([sliders[f"b[{c}]"].value for c in range(3)])
        fig = draw_linear_plane(W_now, b_now, X, y, class_names=class_names, lim=lim)
        with out:
            out.clear_output(wait=True)
            show_figure(fig, alt=linear_plane_alt(W_now, b_now, X, y, class_names=class_names, lim=lim))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    rows = [widgets.HBox([sliders[f"W[0,{c}]"], sliders[f"W[1,{c}]"], sliders[f"b[{c}]"]]) for c in range(3)]
    return widgets.VBox(rows + [out])

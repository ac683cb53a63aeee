"""Notebook 04's demos: the linear classifier as lines in a plane.

In 2-D a class's score ``s_c(p) = W[0, c] * p_x + W[1, c] * p_y + b[c]`` is zero on a line and
grows along the weight vector ``W[:, c]``; the predicted class at a point is the one with the
highest score, so the plane splits into one region per class.

- :func:`toy_data_2d` makes small seeded 2-D datasets (three blobs, a class that needs two
  templates, XOR);
- :func:`winning_class` / :func:`draw_linear_2d` compute and draw the picture (plain, tested);
- :func:`draw_score_plane` draws one class's score as a heat map;
- :func:`random_linear_recalls` measures many random linear classifiers at once;
- :func:`linear_2d_widget` wires sliders for W and b to :func:`draw_linear_2d`, updating the
  artists' data in place instead of re-plotting (a redraw is one small PNG).

Source: CS231n notes, "Linear classification" (geometric interpretation) and its interactive
linear-classification web demo. Introduced in ``notebooks/04_linear_classifier.ipynb``.
"""

from __future__ import annotations

import numpy as np

from .._validation import as_float_array, check_choice, check_int, check_labels, check_positive_float, check_seed
from ..linear import linear_scores, zero_line
from ..plots import CLASS_COLORS, class_cmap

__all__ = [
    "TOY_KINDS",
    "toy_data_2d",
    "plane_grid",
    "winning_class",
    "draw_linear_2d",
    "draw_score_plane",
    "random_linear_recalls",
    "per_class_accuracy",
    "linear_2d_widget",
    "DEMO_W",
    "DEMO_B",
]

#: The kinds of toy data made by :func:`toy_data_2d`.
TOY_KINDS = ("blobs", "two_clusters", "xor")

#: Starting weights of the widget, shape (2, 3): three arrows 120° apart.
DEMO_W = np.array([[1.0, -0.5, -0.5], [0.0, 0.9, -0.9]])
#: Starting biases of the widget, shape (3,).
DEMO_B = np.array([1.0, 0.0, -1.0])


def toy_data_2d(kind: str = "blobs", num_per_class: int = 40, seed: int = 0):
    """A small seeded 2-D dataset for pictures of the linear classifier.

    Parameters
    ----------
    kind : {"blobs", "two_clusters", "xor"}
        ``"blobs"``: three Gaussian clouds (std 0.6) around points 120° apart at radius 2 —
        linearly separable. ``"two_clusters"``: class 0 is two clouds at (-2.5, 0) and
        (2.5, 0), class 1 a cloud between them at (0, 0), class 2 a cloud at (0, 2.5) — class 0
        would need two templates. ``"xor"``: two classes, points uniform in
        [-3, 3]² at least 0.2 from the axes; class 0 where x·y > 0, class 1 where x·y < 0; every
        point comes with its mirror image ``-p`` (so each class is symmetric through the origin,
        which makes "no linear classifier beats a coin on both classes" exact).
    num_per_class : int ≥ 1
        Points per class (for ``"two_clusters"`` class 0 gets this many per cloud; for ``"xor"``
        it is rounded up to an even number).
    seed : int ≥ 0, seed of ``np.random.default_rng``

    Returns
    -------
    X : numpy.ndarray of float64, shape (N, 2), coordinates (unitless)
    y : numpy.ndarray of int64, shape (N,), labels in [0, C) (C = 3, 3, 2)

    Raises
    ------
    TypeError, ValueError
        Unknown ``kind``, bad ``num_per_class`` or ``seed``.

    Source: CS231n linear-classification web demo (toy 2-D data). Introduced in notebook 04.
    """
    kind = check_choice(kind, "kind", TOY_KINDS)
    n = check_int(num_per_class, "num_per_class", low=1)
    rng = np.random.default_rng(check_seed(seed))
    if kind == "blobs":
        angles = np.deg2rad([0.0, 120.0, 240.0])
        centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
        X = np.concatenate([c + 0.6 * rng.standard_normal((n, 2)) for c in centres])
        y = np.repeat(np.arange(3), n)
    elif kind == "two_clusters":
        centres = [(-2.5, 0.0), (2.5, 0.0), (0.0, 0.0), (0.0, 2.5)]
        labels = [0, 0, 1, 2]
        X = np.concatenate([np.asarray(c) + 0.5 * rng.standard_normal((n, 2)) for c in centres])
        y = np.repeat(labels, n)
    else:
        half = (n + 1) // 2
        parts = []
        for sign in (1.0, -1.0):  # class 0 from quadrant 1, class 1 from quadrant 2
            p = rng.uniform(0.2, 3.0, (half, 2))
            p[:, 0] *= sign
            parts.append(np.concatenate([p, -p]))  # each point comes with its mirror image -p
        X = np.concatenate(parts)
        y = np.repeat([0, 1], 2 * half)
    return X.astype(np.float64), np.asarray(y, dtype=np.int64)


def plane_grid(lim: float = 4.0, resolution: int = 150) -> np.ndarray:
    """The centres of a ``resolution × resolution`` grid of pixels covering ``[-lim, lim]²``.

    Returns
    -------
    grid : numpy.ndarray of float64, shape (resolution * resolution, 2); row ``r * resolution
        + c`` is the pixel in row r (bottom to top) and column c (left to right).

    Raises ``TypeError``/``ValueError`` for ``lim`` ≤ 0 or ``resolution`` < 2.

    Source: course helper (precomputed once, so a widget redraw only multiplies). Introduced in
    notebook 04.
    """
    lim = check_positive_float(lim, "lim")
    resolution = check_int(resolution, "resolution", low=2)
    step = 2 * lim / resolution
    ticks = -lim + step * (np.arange(resolution) + 0.5)
    gx, gy = np.meshgrid(ticks, ticks)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def winning_class(W, b, grid) -> np.ndarray:
    """The predicted class at every grid point: ``argmax(grid @ W + b)`` (ties: smallest index).

    Parameters
    ----------
    W : array_like, shape (2, C); b : array_like, shape (C,)
    grid : array_like, shape (P, 2), e.g. from :func:`plane_grid`

    Returns
    -------
    numpy.ndarray of int64, shape (P,)

    Raises the errors of :func:`course_lib.linear.linear_scores`, and ``ValueError`` when
    ``grid`` is not 2-D or its columns do not match ``W``'s rows (the message names ``grid``).

    Source: lecture part 2 (the predicted label is the class with the highest score).
    Introduced in notebook 04.
    """
    grid = as_float_array(grid, "grid", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    if grid.shape[1] != W.shape[0]:
        raise ValueError(
            f"grid has {grid.shape[1]} columns but W has {W.shape[0]} rows; they must match "
            f"(shapes grid {grid.shape} and W {W.shape})"
        )
    return np.argmax(linear_scores(grid, W, b), axis=1).astype(np.int64)


def _check_W2(W, b):
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != 2:
        raise ValueError(f"W must have shape (2, C) for the 2-D picture, got {W.shape}")
    if not 1 <= W.shape[1] <= len(CLASS_COLORS):
        raise ValueError(f"W must have between 1 and {len(CLASS_COLORS)} columns, got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b has shape {b.shape} but W has shape {W.shape}: b needs shape ({W.shape[1]},)")
    return W, b


def draw_linear_2d(ax, W, b, X=None, y=None, *, lim: float = 4.0, resolution: int = 150,
                   state: dict | None = None, show_arrows: bool = True) -> dict:
    """Draw a 2-D linear classifier: the plane coloured by the winning class, each class's
    zero-score line, and each weight vector as an arrow.

    The arrow of class c is the vector ``W[:, c]`` itself (data units), drawn from the middle
    of that class's zero line: the score of class c grows by ``|W[:, c]|`` per unit step in
    the arrow's direction and is zero along the line.

    Parameters
    ----------
    ax : matplotlib Axes (ignored when ``state`` is given: its axes are reused)
    W : array_like, shape (2, C), 1 ≤ C ≤ 10; b : array_like, shape (C,)
    X : array_like, shape (N, 2), optional, points drawn in their class colours
    y : array_like of int, shape (N,), labels in [0, C); required with ``X``
    lim : float > 0, the picture covers ``[-lim, lim]²``
    resolution : int ≥ 2, pixels per side of the coloured plane
    state : dict, optional
        The ``"state"`` returned by an earlier call with the same C, ``X``, ``lim`` and
        ``resolution``: its artists are updated in place (no new artists, the grid is not
        recomputed), which keeps a widget redraw fast.
    show_arrows : bool, draw the weight vectors

    Returns
    -------
    dict with
        ``"winner"``: int64 (resolution, resolution), winning class per pixel (row 0 = bottom);
        ``"lines"``: float64 (C, 2, 2), end points of each zero line in the picture (NaN if
        it misses it);
        ``"arrows"``: float64 (C, 2, 2), start and end point of each weight arrow (NaN when
        the line is missing);
        ``"accuracy"``: fraction of points on the right side (None without ``X``);
        ``"state"``: the artists and the grid, for the next call.

    Raises
    ------
    TypeError, ValueError
        Bad shapes or values (named in the message).

    Source: CS231n notes, "Linear classification", and its interactive web demo. Introduced in
    notebook 04.
    """
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.patheffects import withStroke

    W, b = _check_W2(W, b)
    C = W.shape[1]
    if state is None:
        lim = check_positive_float(lim, "lim")
        resolution = check_int(resolution, "resolution", low=2)
        if X is not None:
            X = as_float_array(X, "X", ndim=2)
            if X.shape[1] != 2:
                raise ValueError(f"X must have shape (N, 2), got {X.shape}")
            if y is None:
                raise ValueError("y must be given together with X")
            y = check_labels(y, "y", num_classes=C, n=X.shape[0])
        grid = plane_grid(lim, resolution)
        extent = (-lim, lim, -lim, lim)
        image = ax.imshow(np.zeros((resolution, resolution)), origin="lower", extent=extent,
                          cmap=class_cmap(C), vmin=-0.5, vmax=C - 0.5, alpha=0.3,
                          interpolation="nearest", zorder=0)
        lines = [ax.plot([], [], color=CLASS_COLORS[c], lw=2.5, zorder=2)[0] for c in range(C)]
        arrows = []
        for c in range(C):
            arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=20,
                                    color=CLASS_COLORS[c], lw=3, zorder=3,
                                    path_effects=[withStroke(linewidth=5, foreground="white")])
            ax.add_patch(arrow)
            arrows.append(arrow)
        if X is not None:
            ax.scatter(X[:, 0], X[:, 1], c=[CLASS_COLORS[k] for k in y], s=28,
                       edgecolors="black", linewidths=0.6, zorder=4)
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("first feature, x[0]")
        ax.set_ylabel("second feature, x[1]")
        state = dict(ax=ax, C=C, grid=grid, resolution=resolution, lim=lim, image=image,
                     lines=lines, arrows=arrows, X=X, y=y)
    elif state["C"] != C:
        raise ValueError(f"state was made for {state['C']} classes but W has {C} columns")
    ax, lim, res = state["ax"], state["lim"], state["resolution"]
    winner = winning_class(W, b, state["grid"]).reshape(res, res)
    state["image"].set_data(winner)
    segs = np.full((C, 2, 2), np.nan)
    arrow_pts = np.full((C, 2, 2), np.nan)
    for c in range(C):
        seg = zero_line(W[:, c], b[c], (-lim, lim), (-lim, lim))
        segs[c] = seg
        state["lines"][c].set_data(seg[:, 0], seg[:, 1])
        visible = show_arrows and not np.isnan(seg).any()
        if visible:
            start = seg.mean(axis=0)
            arrow_pts[c] = (start, start + W[:, c])
            state["arrows"][c].set_positions(tuple(arrow_pts[c, 0]), tuple(arrow_pts[c, 1]))
        state["arrows"][c].set_visible(bool(visible))
    acc = None
    if state["X"] is not None:
        pred = np.argmax(state["X"] @ W + b, axis=1)
        acc = float(np.mean(pred == state["y"]))
        ax.set_title(f"accuracy on these points: {acc:.2f}")
    return {"winner": winner, "lines": segs, "arrows": arrow_pts, "accuracy": acc, "state": state}


def draw_score_plane(ax, w, b, *, lim: float = 4.0, resolution: int = 120, color=None) -> dict:
    """Draw one class's score ``s(p) = w · p + b`` over ``[-lim, lim]²`` as a heat map, with
    its zero line and the weight vector ``w`` as an arrow from the line.

    Parameters
    ----------
    ax : matplotlib Axes
    w : array_like, shape (2,); b : float
    lim : float > 0; resolution : int ≥ 2
    color : colour of the line and arrow (default: class 0's colour)

    Returns
    -------
    dict with ``"scores"`` float64 (resolution, resolution) (row 0 = bottom), ``"line"``
    (2, 2) end points of the zero line, and ``"image"`` (the ``AxesImage``, for a colour bar).

    Raises ``TypeError``/``ValueError`` for bad ``w``, ``b``, ``lim`` or ``resolution``.

    Source: CS231n notes, "Linear classification" (geometric interpretation). Introduced in
    notebook 04.
    """
    w = as_float_array(w, "w", ndim=1)
    if w.shape != (2,):
        raise ValueError(f"w must have shape (2,), got {w.shape}")
    b = float(as_float_array(b, "b", ndim=0))
    grid = plane_grid(lim, resolution)
    scores = (grid @ w + b).reshape(resolution, resolution)
    m = float(np.abs(scores).max()) or 1.0
    image = ax.imshow(scores, origin="lower", extent=(-lim, lim, -lim, lim), cmap="RdBu_r",
                      vmin=-m, vmax=m, zorder=0)
    color = CLASS_COLORS[0] if color is None else color
    seg = zero_line(w, b, (-lim, lim), (-lim, lim))
    ax.plot(seg[:, 0], seg[:, 1], color="black", lw=2.5)
    if not np.isnan(seg).any():
        start = seg.mean(axis=0)
        ax.annotate("", xy=tuple(start + w), xytext=tuple(start),
                    arrowprops=dict(arrowstyle="-|>", color="black", lw=2.5, mutation_scale=18))
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    return {"scores": scores, "line": seg, "image": image}


def per_class_accuracy(y_true, y_pred, num_classes: int) -> np.ndarray:
    """For each class c, the fraction of its examples predicted as c (its recall).

    Parameters
    ----------
    y_true, y_pred : array_like of int, shape (N,), labels in [0, num_classes)
    num_classes : int ≥ 1

    Returns
    -------
    numpy.ndarray of float64, shape (num_classes,); NaN for a class without examples.

    Raises ``TypeError``/``ValueError`` for bad labels or different lengths.

    Source: the per-class recall (scikit-learn's ``recall_score(average=None)`` is the
    reference in the tests). Introduced in notebook 04.
    """
    num_classes = check_int(num_classes, "num_classes", low=1)
    y_true = check_labels(y_true, "y_true", num_classes=num_classes)
    y_pred = check_labels(y_pred, "y_pred", num_classes=num_classes, n=len(y_true), n_name="y_true",
                          n_unit="labels")
    out = np.full(num_classes, np.nan)
    for c in range(num_classes):
        mask = y_true == c
        if mask.any():
            out[c] = np.mean(y_pred[mask] == c)
    return out


def random_linear_recalls(X, y, num_classes: int, *, num_tries: int = 20_000, scale: float = 3.0,
                          seed: int = 0, chunk: int = 2_000) -> np.ndarray:
    """Per-class accuracy (recall) of many random linear classifiers at once.

    Try t uses ``W[t]`` (D, C) and ``b[t]`` (C,) from ``W = scale * rng.standard_normal((num_tries,
    D, C))`` and then ``b = scale * rng.standard_normal((num_tries, 1, C))``; the
    result says how well the best of them can do, e.g. that on XOR data no line recognises
    both classes better than a coin.

    Parameters
    ----------
    X : array_like, shape (N, D); y : array_like of int, shape (N,)
    num_classes : int ≥ 2
    num_tries : int ≥ 1; scale : float > 0; seed : int ≥ 0; chunk : int ≥ 1 (tries per batch)

    Returns
    -------
    recalls : numpy.ndarray of float64, shape (num_tries, num_classes)

    Raises ``TypeError``/``ValueError`` for bad arguments.

    Source: lecture part 3 (random search), used here to probe the limits of one template
    per class (XOR). Introduced in notebook 04.
    """
    X = as_float_array(X, "X", ndim=2)
    num_classes = check_int(num_classes, "num_classes", low=2)
    y = check_labels(y, "y", num_classes=num_classes, n=X.shape[0])
    num_tries = check_int(num_tries, "num_tries", low=1)
    chunk = check_int(chunk, "chunk", low=1)
    scale = check_positive_float(scale, "scale")
    rng = np.random.default_rng(check_seed(seed))
    D, C = X.shape[1], num_classes
    counts = np.bincount(y, minlength=C).astype(np.float64)
    onehot = np.eye(C)[y]  # (N, C)
    W_all = scale * rng.standard_normal((num_tries, D, C))  # drawn first: chunk cannot change them
    b_all = scale * rng.standard_normal((num_tries, 1, C))
    out = np.empty((num_tries, C))
    for start in range(0, num_tries, chunk):
        W, b = W_all[start:start + chunk], b_all[start:start + chunk]
        pred = np.argmax(np.einsum("nd,tdc->tnc", X, W) + b, axis=2)  # (t, N)
        hit = (pred == y[None, :]).astype(np.float64)  # (t, N)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[start:start + len(W)] = (hit @ onehot) / counts
    return out


def linear_2d_widget(X=None, y=None, W=None, b=None, *, lim: float = 4.0, resolution: int = 150,
                     figsize=(5.2, 5.2)):
    """Sliders for every entry of a 2-D, three-class ``W`` and ``b``, redrawing
    :func:`draw_linear_2d` (the winning-class plane, the zero lines and the weight arrows).

    The figure and its artists are made once; a slider move only updates their data and
    shows the figure again (one small PNG).

    Parameters
    ----------
    X, y : optional points (N, 2) and labels in [0, 3) to draw (default: ``toy_data_2d("blobs")``)
    W, b : optional starting values, shapes (2, 3) and (3,) (default: ``DEMO_W``, ``DEMO_B``)
    lim, resolution : see :func:`draw_linear_2d`
    figsize : (width, height) in inches

    Returns
    -------
    ipywidgets.interactive
        Its ``.result`` is the latest dict of :func:`draw_linear_2d` (without ``"state"``);
        ``.kwargs_widgets`` are the sliders, named ``w0_c``, ``w1_c`` and ``b_c`` for class c and
        labelled ``W[0,c]``, ``W[1,c]`` and ``b[c]`` (numpy indices, as in the code).

    Raises the errors of :func:`draw_linear_2d`.

    Source: in the spirit of the CS231n interactive linear-classification web demo.
    Introduced in notebook 04.
    """
    import ipywidgets as widgets
    from IPython.display import display
    from matplotlib.figure import Figure

    if X is None:
        X, y = toy_data_2d("blobs")
    W0 = DEMO_W if W is None else W
    b0 = DEMO_B if b is None else b
    W0, b0 = _check_W2(W0, b0)
    if W0.shape[1] != 3:
        raise ValueError(f"the widget has sliders for 3 classes: W must have shape (2, 3), got {W0.shape}")
    fig = Figure(figsize=figsize)
    ax = fig.add_subplot()
    first = draw_linear_2d(ax, W0, b0, X, y, lim=lim, resolution=resolution)
    fig.tight_layout()
    state = first["state"]

    def update(**values):
        W_now = np.array([[values[f"w0_{c}"] for c in range(3)], [values[f"w1_{c}"] for c in range(3)]])
        b_now = np.array([values[f"b_{c}"] for c in range(3)])
        result = draw_linear_2d(None, W_now, b_now, state=state)
        display(fig)
        return {k: v for k, v in result.items() if k != "state"}

    sliders = {}
    for c in range(3):
        for name, value, lo, hi in (("w0", W0[0, c], -3.0, 3.0), ("w1", W0[1, c], -3.0, 3.0),
                                    ("b", b0[c], -6.0, 6.0)):
            sliders[f"{name}_{c}"] = widgets.FloatSlider(
                value=float(np.clip(value, lo, hi)), min=lo, max=hi, step=0.1,
                description=f"{name}[{c}]" if name == "b" else f"W[{name[1]},{c}]",
                continuous_update=True, readout_format=".1f",
                style={"description_width": "50px", "handle_color": CLASS_COLORS[c]},
                layout=widgets.Layout(width="240px"),
            )
    w = widgets.interactive(update, **sliders)
    rows = [widgets.HBox([sliders[f"w0_{c}"], sliders[f"w1_{c}"], sliders[f"b_{c}"]]) for c in range(3)]
    w.children = tuple(rows) + (w.out,)
    return w


def _benchmark_redraw(W, b):
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(5.2, 5.2))
    X, y = toy_data_2d("blobs")
    draw_linear_2d(fig.add_subplot(), W, b, X, y)
    return fig


def _close(fig):
    import matplotlib.pyplot as plt

    plt.close(fig)


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py. The widget itself keeps
#: one figure and only updates its artists, so drawing a new figure each time is an upper bound.
BENCHMARK_CASES = [
    (
        "04 linear 2-D redraw (new figure: upper bound)",
        lambda **kw: _close(_benchmark_redraw(**kw)),
        [dict(W=DEMO_W, b=DEMO_B), dict(W=-DEMO_W, b=DEMO_B + 1.0)],
    ),
]

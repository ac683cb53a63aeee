"""Notebook 02's figures and demo: distances between images, and k-NN in the plane.

The interactive demo (in the spirit of the well-known k-NN web demo from Stanford's CS231n)
puts a few coloured point clouds in the plane and colours every location by the class a
k-NN classifier would predict there; locations where the vote is tied are shown in grey.

Layers, as everywhere in ``course_lib.demos``:

* :func:`make_clouds` and :func:`knn_plane` compute (plain, unit-tested);
* :func:`draw_knn_plane` draws one setting onto a matplotlib ``Axes``;
* :func:`knn_plane_widget` wires sliders and toggles to it.

The figure helpers :func:`draw_worked_example`, :func:`draw_unit_circles`,
:func:`draw_distance_matrix` and :func:`show_neighbors` draw the notebook's other pictures.
"""

from __future__ import annotations

import functools

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from .._validation import as_float_array, as_image, check_choice, check_int, check_labels, check_seed
from ..distances import METRICS, pairwise_distances
from ..knn import _compact_votes, nearest_neighbors
from ..plots import CLASS_COLORS, show_image, show_pixel_values

__all__ = [
    "TIE",
    "TIE_COLOR",
    "PLANE_LIMITS",
    "GRID_SIZE",
    "GRID",
    "MAX_CLASSES",
    "MAX_POINTS_PER_CLASS",
    "make_clouds",
    "knn_plane",
    "draw_knn_plane",
    "knn_plane_widget",
    "draw_worked_example",
    "draw_unit_circles",
    "draw_distance_matrix",
    "show_neighbors",
]

#: The label :func:`knn_plane` gives to locations where two or more classes get the most votes.
TIE = -1
#: Colour of tied locations (neutral grey, distinct from every class colour).
TIE_COLOR = "#C8C8C8"
#: The square of the plane that the demo shows: x and y in [-PLANE_LIMITS, PLANE_LIMITS].
PLANE_LIMITS = 4.0
#: Locations per side of the precomputed grid (GRID_SIZE² predictions per redraw).
GRID_SIZE = 110
#: Largest number of classes and of points per class the demo offers.
MAX_CLASSES = 5
MAX_POINTS_PER_CLASS = 50

#: The grid's locations, shape (GRID_SIZE², 2), row-major from the bottom-left corner; fixed
#: once so that a redraw only computes distances and votes.
_AXIS = np.linspace(-PLANE_LIMITS, PLANE_LIMITS, GRID_SIZE)
GRID = np.stack(np.meshgrid(_AXIS, _AXIS), axis=-1).reshape(-1, 2)


# ----------------------------------------------------------------------------- compute


@functools.lru_cache(maxsize=16)
def _all_clouds(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * (np.arange(MAX_CLASSES) / MAX_CLASSES + rng.uniform(0, 0.1))
    centres = 1.8 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    points = centres[:, None, :] + 1.0 * rng.standard_normal((MAX_CLASSES, MAX_POINTS_PER_CLASS, 2))
    points = np.clip(points, -PLANE_LIMITS + 0.1, PLANE_LIMITS - 0.1)
    points.setflags(write=False)
    return centres, points


def make_clouds(num_classes: int = 3, points_per_class: int = 20, seed: int = 0):
    """Points in the plane drawn around one centre per class (a toy training set).

    The clouds are nested: with the same ``seed``, asking for more classes or more points
    adds points and keeps the earlier ones where they were, so the demo's picture changes
    only where something changed.

    Parameters
    ----------
    num_classes : int in [2, MAX_CLASSES]
    points_per_class : int in [1, MAX_POINTS_PER_CLASS]
    seed : int ≥ 0, the seed of ``np.random.default_rng``

    Returns
    -------
    X : numpy.ndarray of float64, shape (num_classes · points_per_class, 2)
        Coordinates (arbitrary units) inside the shown square.
    y : numpy.ndarray of int64, shape (num_classes · points_per_class,)
        Labels ``0 … num_classes − 1``, class by class.

    Raises
    ------
    TypeError / ValueError
        A non-integer argument or one outside its range.

    Notebook ``02_knn`` (interactive demo).
    """
    num_classes = check_int(num_classes, "num_classes", low=2, high=MAX_CLASSES)
    points_per_class = check_int(points_per_class, "points_per_class", low=1,
                                 high=MAX_POINTS_PER_CLASS)
    seed = check_seed(seed)
    _, points = _all_clouds(seed)
    X = points[:num_classes, :points_per_class].reshape(-1, 2).copy()
    y = np.repeat(np.arange(num_classes, dtype=np.int64), points_per_class)
    return X, y


def knn_plane(X, y, k: int, metric: str = "l2", num_classes: int | None = None,
              grid=None) -> np.ndarray:
    """The k-NN prediction at every location of a grid, with ties marked.

    Parameters
    ----------
    X : array_like of float, shape (N, 2)
        Training points.
    y : array_like of int, shape (N,)
        Their labels in [0, C).
    k : int, 1 ≤ k ≤ N
    metric : {"l2", "l1"}
    num_classes : int, optional
        C (default ``max(y) + 1``).
    grid : array_like of float, shape (G, 2), optional
        Where to predict (default: the demo's fixed :data:`GRID`).

    Returns
    -------
    numpy.ndarray of int64, shape (G,)
        The predicted class at each location, or :data:`TIE` (−1) where two or more classes
        share the most votes (``predict_from_distances`` would pick the smallest of them;
        the demo shows the tie instead).

    Raises
    ------
    TypeError / ValueError
        Bad shapes or values (as :func:`course_lib.knn.vote_counts`), or ``X`` / ``grid``
        not of shape (N, 2) / (G, 2).

    Notebook ``02_knn`` (interactive demo).
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2) (points in the plane), got {X.shape}")
    y = check_labels(y, "y", n=X.shape[0])
    if grid is None:
        grid = GRID
    else:
        grid = as_float_array(grid, "grid", ndim=2)
        if grid.shape[1] != 2:
            raise ValueError(
                f"grid must have shape (G, 2) (locations in the plane), got {grid.shape}"
            )
    metric = check_choice(metric, "metric", METRICS)
    if num_classes is not None:
        num_classes = check_int(num_classes, "num_classes", low=1)
        check_labels(y, "y", num_classes=num_classes)
    # Votes over the labels present (memory independent of the label values), as
    # predict_from_distances counts them; a tie is two or more labels sharing the top count.
    idx = nearest_neighbors(pairwise_distances(grid, X, metric=metric), k)
    classes, counts = _compact_votes(y[idx])
    top = counts.max(axis=1, keepdims=True)
    tied = np.count_nonzero(counts == top, axis=1) > 1
    return np.where(tied, TIE, classes[np.argmax(counts, axis=1)]).astype(np.int64)


def _region_colors(num_classes: int) -> np.ndarray:
    """RGB rows: lightened class colours for classes 0..C-1, then the tie colour last."""
    rgb = np.array([mpl.colors.to_rgb(c) for c in CLASS_COLORS[:num_classes]])
    light = 0.45 * rgb + 0.55  # mixed with white, so the points stay visible on top
    return np.vstack([light, mpl.colors.to_rgb(TIE_COLOR)])


# ----------------------------------------------------------------------------- draw


def draw_knn_plane(ax, num_classes: int = 3, points_per_class: int = 20, k: int = 1,
                   metric: str = "l2", seed: int = 0) -> dict:
    """Draw the demo for one setting: the plane coloured by the k-NN prediction, tied
    locations in grey, and the training points on top.

    Parameters
    ----------
    ax : matplotlib Axes
    num_classes, points_per_class, seed
        As in :func:`make_clouds`.
    k : int in [1, num_classes · points_per_class]
    metric : {"l2", "l1"}

    Returns
    -------
    dict with ``"X"``, ``"y"`` (the points), ``"regions"`` (int64, shape
    (GRID_SIZE, GRID_SIZE), class or :data:`TIE` per location, row 0 at the bottom),
    ``"tie_fraction"`` (float, share of the shown square that is tied) and ``"image"``
    (the ``AxesImage``).

    Raises the errors of :func:`make_clouds` and :func:`knn_plane`.
    """
    X, y = make_clouds(num_classes, points_per_class, seed)
    regions = knn_plane(X, y, k, metric, num_classes).reshape(GRID_SIZE, GRID_SIZE)
    colors = _region_colors(num_classes)
    ext = (-PLANE_LIMITS, PLANE_LIMITS, -PLANE_LIMITS, PLANE_LIMITS)
    image = ax.imshow(colors[regions], origin="lower", extent=ext, interpolation="nearest")
    point_colors = np.array(CLASS_COLORS[:num_classes])[y]
    ax.scatter(X[:, 0], X[:, 1], c=point_colors, s=28, edgecolors="black", linewidths=0.6)
    ax.set_xlim(-PLANE_LIMITS, PLANE_LIMITS)
    ax.set_ylim(-PLANE_LIMITS, PLANE_LIMITS)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    tie_fraction = float(np.mean(regions == TIE))
    ax.set_title(f"k = {k}, {metric.upper()}: {tie_fraction:.0%} tied", fontsize=12)
    return {"X": X, "y": y, "regions": regions, "tie_fraction": tie_fraction, "image": image}


def _legend_handles(num_classes: int):
    handles = [mpl.patches.Patch(color=c, label=f"class {i}")
               for i, c in enumerate(CLASS_COLORS[:num_classes])]
    handles.append(mpl.patches.Patch(color=TIE_COLOR, label="tie"))
    return handles


def knn_plane_widget(seed: int = 0):
    """The interactive demo: sliders for k (1–7), the number of classes (2–5) and points
    per class (5–50), and a toggle for the L1/L2 distance.

    Every change redraws the plane; the grid is fixed and the point clouds are cached, so
    a redraw computes only GRID_SIZE² × N distances and the votes.

    Returns
    -------
    ipywidgets.interactive
        Display it (it is the last expression of a notebook cell). Its ``.result`` is the
        dict returned by :func:`draw_knn_plane` for the current setting.

    Notebook ``02_knn``.
    """
    import ipywidgets as widgets

    seed = check_seed(seed)

    def update(k, metric, num_classes, points_per_class):
        fig, ax = plt.subplots(figsize=(6.2, 4.6))
        k = min(k, num_classes * points_per_class)
        result = draw_knn_plane(ax, num_classes, points_per_class, k, metric, seed)
        ax.legend(handles=_legend_handles(num_classes), loc="center left",
                  bbox_to_anchor=(1.01, 0.5), frameon=False, fontsize=10)
        fig.tight_layout()
        plt.show()
        return result

    style = {"description_width": "initial"}
    return widgets.interactive(
        update,
        k=widgets.IntSlider(value=1, min=1, max=7, description="k", continuous_update=False),
        metric=widgets.ToggleButtons(options=[("L1", "l1"), ("L2", "l2")], value="l2",
                                     description="distance"),
        num_classes=widgets.IntSlider(value=3, min=2, max=MAX_CLASSES,
                                      description="classes", continuous_update=False),
        points_per_class=widgets.IntSlider(value=20, min=5, max=MAX_POINTS_PER_CLASS, step=5,
                                           description="points per class", style=style,
                                           continuous_update=False),
    )


# ----------------------------------------------------------------------------- other figures


def draw_worked_example(test_image, train_image, fig=None) -> dict:
    """The L1 distance, step by step: the test image, the training image and their
    pixel-wise absolute difference as three tables of numbers, and the sum in the title.

    Parameters
    ----------
    test_image, train_image : array_like of int, the same greyscale shape (h, w), values
        0–255 (small: ≤ 8 × 8 keeps the numbers legible)
    fig : matplotlib Figure, optional

    Returns
    -------
    dict with ``"difference"`` (float64 (h, w), |test − train| computed after converting to
    float64), ``"distance"`` (float, its sum) and ``"figure"``.

    Raises
    ------
    TypeError / ValueError
        Non-images, colour images, different shapes, or values outside 0–255.

    Source: lecture part "the k-nearest neighbor" (the worked example, after CS231n's notes).
    Notebook ``02_knn``.
    """
    test = as_image(test_image, "test_image")
    train = as_image(train_image, "train_image")
    if test.ndim != 2 or test.shape != train.shape:
        raise ValueError(
            "test_image and train_image must be greyscale (h, w) images of the same shape, "
            f"got {test.shape} and {train.shape}"
        )
    for name, im in (("test_image", test), ("train_image", train)):
        if im.min() < 0 or im.max() > 255:
            raise ValueError(f"{name} must hold pixel values in 0–255")
    diff = np.abs(test.astype(np.float64) - train.astype(np.float64))
    if fig is None:
        fig = plt.figure(figsize=(9.5, 3.3))
    fig.clear()
    axes = fig.subplots(1, 3)
    show_pixel_values(test.astype(np.uint8), ax=axes[0], fontsize=11, title="test image")
    show_pixel_values(train.astype(np.uint8), ax=axes[1], fontsize=11, title="training image")
    show_pixel_values(diff.astype(np.uint8), ax=axes[2], fontsize=11, title="|test − training|")
    distance = float(diff.sum())
    fig.suptitle(f"L1 distance = sum of the right-hand table = {distance:.0f}", fontsize=13)
    fig.tight_layout()
    return {"difference": diff, "distance": distance, "figure": fig}


def draw_unit_circles(ax) -> dict:
    """The points at distance 1 from the origin in the plane: a diamond for L1, a circle for
    L2 (the L1 "circle" depends on how the axes are turned, the L2 one does not).

    Returns a dict with the points drawn: ``"l1"`` and ``"l2"``, arrays of shape (P, 2),
    each at distance 1 from the origin in its own metric.

    Notebook ``02_knn``.
    """
    t = np.linspace(0, 2 * np.pi, 401)
    circle = np.stack([np.cos(t), np.sin(t)], axis=1)
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)
    ax.plot(diamond[:, 0], diamond[:, 1], color=CLASS_COLORS[0], lw=2.5, label="L1 = 1")
    ax.plot(circle[:, 0], circle[:, 1], color=CLASS_COLORS[1], lw=2.5, ls="--", label="L2 = 1")
    ax.axhline(0, color="grey", lw=0.6)
    ax.axvline(0, color="grey", lw=0.6)
    ax.set_aspect("equal")
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=10, frameon=False)
    ax.set_title("points at distance 1 from 0", fontsize=12)
    return {"l1": diamond, "l2": circle}


def _check_class_names(class_names) -> list:
    """``class_names`` as a list of str (one per class, label c named ``class_names[c]``)."""
    if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__len__"):
        raise TypeError(
            f"class_names must be a sequence of names (one str per class), got "
            f"{type(class_names).__name__} {class_names!r}"[:160]
        )
    if len(class_names) == 0:
        raise ValueError("class_names must hold at least one name")
    return [str(name) for name in class_names]


def draw_distance_matrix(ax, dists, y_test, y_train, class_names=None) -> dict:
    """The distance matrix as an image, rows (test) and columns (training) sorted by label,
    with lines between the classes: dark blocks on the diagonal mean that samples of the
    same class tend to be closer.

    Parameters
    ----------
    ax : matplotlib Axes
    dists : array_like of float, shape (M, N)
    y_test : array_like of int, shape (M,)
    y_train : array_like of int, shape (N,)
    class_names : sequence of str, optional (tick labels; default: the label numbers)

    Returns
    -------
    dict with ``"sorted"`` (the (M, N) matrix in the displayed order), ``"row_order"``,
    ``"col_order"`` (the stable sorts of the labels) and ``"image"`` (the ``AxesImage``).

    Raises
    ------
    TypeError / ValueError
        Non-numeric distances, wrong label dtype or lengths, ``class_names`` not a sequence
        of names, or a label without a name (``>= len(class_names)``).

    Notebook ``02_knn``.
    """
    d = as_float_array(dists, "dists", ndim=2)
    names = None if class_names is None else _check_class_names(class_names)
    C = None if names is None else len(names)  # every label needs a name
    y_test = check_labels(y_test, "y_test", n=d.shape[0], n_name="dists", num_classes=C)
    y_train = check_labels(y_train, "y_train", n=d.shape[1], n_name="dists", n_unit="columns",
                           num_classes=C)
    rows = np.argsort(y_test, kind="stable")
    cols = np.argsort(y_train, kind="stable")
    sorted_d = d[rows][:, cols]
    image = ax.imshow(sorted_d, cmap="viridis", aspect="auto", interpolation="nearest")
    if names is None:
        names = {c: str(c) for c in np.union1d(y_test, y_train).tolist()}  # the labels present
    for labels, line, set_ticks in ((y_test[rows], ax.axhline, ax.set_yticks),
                                    (y_train[cols], ax.axvline, ax.set_xticks)):
        present = np.unique(labels)
        starts = np.searchsorted(labels, present)
        ends = np.searchsorted(labels, present, side="right")
        for s in starts[1:]:
            line(s - 0.5, color="white", lw=0.8)
        set_ticks((starts + ends - 1) / 2, [names[c] for c in present], fontsize=9)
    ax.tick_params(axis="x", labelrotation=90)
    ax.set_xlabel("training samples (sorted by label)")
    ax.set_ylabel("test samples")
    return {"sorted": sorted_d, "row_order": rows, "col_order": cols, "image": image}


def show_neighbors(test_images, train_images, neighbor_idx, y_train, class_names,
                   y_test=None, size: float = 1.15):
    """A gallery: each row is a test image followed by its nearest training images,
    nearest first, titled with their class names.

    Parameters
    ----------
    test_images : array (R, H, W) or (R, H, W, 3), the R test images to show
    train_images : array (N, H, W) or (N, H, W, 3), all training images
    neighbor_idx : array_like of int, shape (R, k), training indices, nearest first
        (from :func:`course_lib.knn.nearest_neighbors`)
    y_train : array_like of int, shape (N,)
    class_names : sequence of str
    y_test : array_like of int, shape (R,), optional (the test images' true classes, shown
        in their titles)
    size : float, inches per image

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    TypeError / ValueError
        Shapes that do not fit together, no test image or no neighbour, indices out of
        range, labels (``y_train``, ``y_test``) outside ``[0, len(class_names))``.

    Notebook ``02_knn``.
    """
    test_images = np.asarray(test_images)
    train_images = np.asarray(train_images)
    idx = np.asarray(neighbor_idx)
    if idx.ndim != 2 or idx.shape[0] != len(test_images):
        raise ValueError(
            f"neighbor_idx must have shape ({len(test_images)}, k), got {idx.shape}"
        )
    if idx.size == 0:
        raise ValueError(
            f"neighbor_idx must hold at least one test image and one neighbour, got shape {idx.shape}"
        )
    if not np.issubdtype(idx.dtype, np.integer) or idx.min() < 0 or idx.max() >= len(train_images):
        raise ValueError(f"neighbor_idx must hold training indices in [0, {len(train_images)})")
    class_names = _check_class_names(class_names)
    y_train = check_labels(y_train, "y_train", n=len(train_images), n_name="train_images",
                           n_unit="images", num_classes=len(class_names))
    if y_test is not None:
        y_test = check_labels(y_test, "y_test", n=len(test_images), n_name="test_images",
                              n_unit="images", num_classes=len(class_names))
    R, k = idx.shape
    fig, axes = plt.subplots(R, k + 1, figsize=(size * (k + 1) + 0.4, size * R + 0.35),
                             squeeze=False)
    for r in range(R):
        title = "test" if y_test is None else f"test: {class_names[int(y_test[r])]}"
        show_image(test_images[r], ax=axes[r, 0], title=title)
        axes[r, 0].title.set_fontsize(9)
        for j in range(k):
            label = int(y_train[idx[r, j]])
            show_image(train_images[idx[r, j]], ax=axes[r, j + 1], title=class_names[label])
            axes[r, j + 1].title.set_fontsize(9)
    fig.tight_layout(pad=0.3)
    return fig


def _benchmark_redraw(**kw):
    fig, ax = plt.subplots(figsize=(6.2, 4.6))
    draw_knn_plane(ax, **kw)
    fig.tight_layout()
    return fig


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: one redraw of the demo.
BENCHMARK_CASES = [
    (
        "02 k-NN plane redraw",
        lambda **kw: plt.close(_benchmark_redraw(**kw)),
        [dict(num_classes=3, points_per_class=20, k=1, metric="l2"),
         dict(num_classes=5, points_per_class=50, k=7, metric="l1")],
    ),
]

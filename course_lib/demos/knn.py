"""Notebook 02's figures and its 2-D k-NN widget.

Each ``…_figure`` function returns a dict with ``"figure"`` (a matplotlib Figure), ``"alt"`` (the
alt text: what the figure shows, numbers computed) and the values it computed, ready for
``plots.show_figure(result["figure"], alt=result["alt"])``. The 2-D demo is ``knn_plane`` (plain
computation, unit-tested), ``draw_knn_plane`` (one redraw) and ``knn_plane_widget`` (controls).
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch

from ..checks import (check_array, check_choice, check_image, check_int, check_labels, check_num_classes,
                      check_same_shape, check_X)
from ..distances import DISTANCES, compute_distances
from ..knn import majority_vote, nearest_neighbors, predict_labels
from ..plots import CLASS_COLORS, new_figure, show_figure, show_image, show_pixel_values
from . import toy_data

__all__ = [
    "TIE", "TIE_COLOR", "SAME_CLASS_COLOR", "OTHER_CLASS_COLOR", "MARKERS", "TOY_DATASETS", "MAX_K",
    "worked_example_figure", "vote_example", "vote_example_figure", "unit_balls_figure",
    "distance_matrix_figure", "neighbors_figure", "images_row_figure", "accuracy_vs_k_figure",
    "toy_points", "knn_regions", "knn_plane", "draw_knn_plane", "knn_plane_panels", "knn_plane_widget",
]

#: The label ``knn_regions`` gives a location where two or more classes share the most votes.
TIE = -1
#: Grey of tied locations (lighter than every class colour's region, darker than white).
TIE_COLOR = "#B0B0B0"
#: Frames of the neighbours figure: of the test image's own class / of another class.
SAME_CLASS_COLOR = CLASS_COLORS[2]   # bluish green
OTHER_CLASS_COLOR = CLASS_COLORS[5]  # vermillion
#: One marker per class in 2-D pictures (shape as well as colour tells the classes apart).
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h", "p")
#: The 2-D training sets of the widget (course_lib.demos.toy_data, seed 0): name -> (maker, default
#: points per class, class names).
TOY_DATASETS = {
    "moons": (toy_data.make_moons, 100, ("upper moon", "lower moon")),
    "blobs": (toy_data.make_blobs, 40, ("blob 0", "blob 1", "blob 2")),
    "two clusters": (toy_data.make_two_clusters, 40, ("outer pair", "centre", "top")),
    "xor": (toy_data.make_xor, 60, ("x·y > 0", "x·y < 0")),
}
_PLANE_RESOLUTION = 80   # grid locations per side of the 2-D demo (80² predictions per redraw)
#: The largest k the 2-D demo offers.
MAX_K = 25
_MAX_PER_CLASS = 100


def _class_names(class_names, num_classes: int) -> list:
    if isinstance(class_names, (str, bytes)) or not hasattr(class_names, "__len__"):
        raise TypeError(f"class_names must be a sequence of names, one per class, got {type(class_names).__name__}")
    if len(class_names) < num_classes:
        raise ValueError(f"class_names has {len(class_names)} names but the labels need {num_classes}")
    return [str(name) for name in class_names]


# --------------------------------------------------------------------------- the lecture's examples


def worked_example_figure(test_image, train_image) -> dict:
    """The L1 distance step by step: two grey images and |test − training| as tables of numbers.

    test_image, train_image: (h, w) grey images of the same shape, values 0–255, at most 8 × 8.
    Returns dict(figure, alt, difference (h, w) float64, distance float = its sum).
    Raises TypeError / ValueError for colour, too large or differently shaped images. Notebook 02.
    """
    test, train = check_same_shape(check_image(test_image, "test_image"), check_image(train_image, "train_image"),
                                   names=("test_image", "train_image"))
    if test.ndim != 2 or test.size > 64:
        raise ValueError(f"test_image must be a small grey image (h, w), at most 8 × 8, got shape {test.shape}")
    for name, image in (("test_image", test), ("train_image", train)):
        if image.min() < 0 or image.max() > 255:
            raise ValueError(f"{name} must hold pixel values in 0–255")
    difference = np.abs(test - train)
    distance = float(difference.sum())
    h, w = test.shape
    fig = new_figure((3.2 * 3 + 0.6, 0.55 * h + 1.6))
    axes = fig.subplots(1, 3)
    titles = ("test image", "training image", "|test − training|")
    for ax, image, title in zip(axes, (test, train, difference), titles):
        show_pixel_values(image.astype(np.uint8), ax=ax, fontsize=13, title=title)
    fig.suptitle(f"L1 distance = sum of the right-hand table = {distance:.0f}", fontsize=15)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.03, top=0.78, wspace=0.12)
    alt = (f"Three {h} × {w} tables of pixel values: the test image, the training image and their absolute "
           f"difference pixel by pixel, each cell shaded by its value; the differences add up to the L1 "
           f"distance {distance:.0f}.")
    return {"figure": fig, "alt": alt, "difference": difference, "distance": distance}


def vote_example() -> dict:
    """The lecture's k = 5 picture as data: 3 classes of points in the plane and one query point
    whose 5 nearest neighbours are 3 triangles, 1 circle and 1 square (positions chosen by hand).

    Returns dict(X (15, 2) float64, y (15,) int64 in {0, 1, 2}, query (2,), class_names). Notebook 02.
    """
    circles = [(-0.7, -0.3), (-1.9, 0.9), (-2.3, -0.4), (-1.4, 1.9), (-2.6, 1.5)]
    squares = [(0.9, 0.5), (2.0, 1.2), (1.7, 2.0), (2.4, 0.2), (0.6, 2.3)]
    triangles = [(0.5, 0.3), (-0.4, 0.45), (0.1, -0.6), (1.2, -1.8), (-0.6, -2.0)]
    X = np.array(circles + squares + triangles, dtype=np.float64)
    y = np.repeat(np.arange(3, dtype=np.int64), 5)
    return {"X": X, "y": y, "query": np.array([0.0, 0.0]), "class_names": ("circle", "square", "triangle")}


def vote_example_figure(X, y, query, k=5, class_names=("circle", "square", "triangle"),
                        distance="l2") -> dict:
    """The vote in the plane: training points by class, a query point, its k nearest neighbours
    joined to it and enclosed by a dashed circle, the votes in the legend.

    X (N, 2), y (N,) labels in [0, C), query (2,); k in [1, N]; distance "l1" or "l2".
    Returns dict(figure, alt, neighbors (k,) indices nearest first, votes (C,), prediction int).
    Raises TypeError / ValueError for bad arguments. Notebook 02.
    """
    X = check_X(X)
    y = check_labels(y, "y", num_samples=X.shape[0])
    query = check_array(query, "query", ndim=1)
    if X.shape[1] != 2 or query.shape != (2,):
        raise ValueError(f"X must be (N, 2) and query (2,): points in the plane, got {X.shape} and {query.shape}")
    k = check_int(k, "k", low=1, high=X.shape[0])
    C = check_num_classes(y)
    names = _class_names(class_names, C)
    dists = compute_distances(query[None, :], X, distance=distance)
    neighbors = nearest_neighbors(dists, k)[0]
    votes = np.bincount(y[neighbors], minlength=C)
    prediction = int(predict_labels(dists, y, k)[0])
    fig = new_figure((6.4, 4.6))
    ax = fig.subplots()
    for j in neighbors:
        ax.plot([query[0], X[j, 0]], [query[1], X[j, 1]], color="0.55", lw=1.2, zorder=1)
    radius = float(dists[0, neighbors[-1]])
    if distance == "l2":
        ax.add_patch(Circle(query, radius * 1.08, fill=False, ls="--", lw=1.5, color="0.3"))
    for c in range(C):
        pts = X[y == c]
        ax.scatter(pts[:, 0], pts[:, 1], s=110, marker=MARKERS[c], color=CLASS_COLORS[c], edgecolors="black",
                   linewidths=0.8, zorder=2, label=f"{names[c]}: {votes[c]} vote{'s' if votes[c] != 1 else ''}")
    ax.scatter(*query, s=260, marker="*", color="white", edgecolors="black", linewidths=1.2, zorder=3,
               label=f"query → {names[prediction]}")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"k = {k}: the {k} nearest points vote")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.subplots_adjust(left=0.02, right=0.62, bottom=0.03, top=0.9)
    tally = ", ".join(f"{votes[c]} {names[c]}{'s' if votes[c] != 1 else ''}" for c in np.argsort(-votes, kind="stable")
                      if votes[c])
    alt = (f"{X.shape[0]} training points of {C} classes (shapes {', '.join(names)}) and a query star; lines join "
           f"the query to its {k} nearest points ({distance.upper()}): {tally}, so the query is predicted "
           f"'{names[prediction]}'.")
    return {"figure": fig, "alt": alt, "neighbors": neighbors, "votes": votes, "prediction": prediction}


def unit_balls_figure() -> dict:
    """All points at distance 1 from the origin in the plane: a diamond for L1, a circle for L2.

    Returns dict(figure, alt, l1 (P, 2), l2 (P, 2)): the points drawn, each at distance 1 in its own
    distance. Notebook 02.
    """
    t = np.linspace(0.0, 2.0 * np.pi, 401)
    circle = np.column_stack([np.cos(t), np.sin(t)])
    diamond = circle / np.abs(circle).sum(axis=1, keepdims=True)
    fig = new_figure((5.6, 3.8))
    ax = fig.subplots()
    ax.axhline(0, color="0.75", lw=0.8)
    ax.axvline(0, color="0.75", lw=0.8)
    ax.plot(diamond[:, 0], diamond[:, 1], color=CLASS_COLORS[0], lw=2.5, label="L1 distance 1")
    ax.plot(circle[:, 0], circle[:, 1], color=CLASS_COLORS[1], lw=2.5, ls="--", label="L2 distance 1")
    ax.set_aspect("equal")
    ax.set_xlim(-1.25, 1.25)
    ax.set_ylim(-1.25, 1.25)
    ax.set_xlabel("difference in pixel 1")
    ax.set_ylabel("difference in pixel 2")
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    fig.subplots_adjust(left=0.14, right=0.6, bottom=0.16, top=0.97)
    alt = ("In the plane of two pixel values, the points at distance 1 from the origin: a diamond with corners "
           "on the axes for L1 (solid) and a circle for L2 (dashed); they touch only on the axes.")
    return {"figure": fig, "alt": alt, "l1": diamond, "l2": circle}


# --------------------------------------------------------------------------- real images


def _sorted_by_label(y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(stable order, labels present, start of each label's block in that order)."""
    order = np.argsort(y, kind="stable")
    present = np.unique(y)
    return order, present, np.searchsorted(y[order], present)


def distance_matrix_figure(dists, y_test, y_train, class_names, test_images, train_images,
                           distance="l2") -> dict:
    """The distance matrix as a picture, rows (test) and columns (training) sorted by class, with the
    brightest row's test image and the darkest column's training image beside it.

    dists (M, N); y_test (M,), y_train (N,) labels in [0, C); class_names C names; test_images (M, …)
    and train_images (N, …) the images of the rows and columns; distance "l1"/"l2" (for the labels).
    Returns dict(figure, alt, brightest_row, darkest_column (indices into the unsorted rows and
    columns), row_means (M,), column_means (N,)). Raises TypeError / ValueError. Notebook 02.
    """
    dists = check_array(dists, "dists", ndim=2)
    M, N = dists.shape
    y_test = check_labels(y_test, "y_test", num_samples=M, samples_name="dists")
    y_train = check_labels(y_train, "y_train", num_samples=N, samples_name="dists (columns)")
    names = _class_names(class_names, max(check_num_classes(y_test), check_num_classes(y_train)))
    distance = check_choice(distance, "distance", DISTANCES)
    if len(test_images) != M or len(train_images) != N:
        raise ValueError(f"test_images and train_images must hold the {M} and {N} images of dists' rows and "
                         f"columns, got {len(test_images)} and {len(train_images)}")
    row_means, column_means = dists.mean(axis=1), dists.mean(axis=0)
    bright, dark = int(np.argmax(row_means)), int(np.argmin(column_means))
    rows, row_classes, row_starts = _sorted_by_label(y_test)
    cols, col_classes, col_starts = _sorted_by_label(y_train)
    fig = new_figure((11.0, 5.2))
    grid = fig.add_gridspec(2, 2, width_ratios=(4.2, 1.0), left=0.13, right=0.98, bottom=0.2, top=0.9,
                            wspace=0.3, hspace=0.45)
    ax = fig.add_subplot(grid[:, 0])
    # 24 grey levels: the rows and columns stay as visible, and the stored PNG stays small
    shown = ax.imshow(dists[rows][:, cols], cmap=mpl.colormaps["gray"].resampled(24), aspect="auto",
                      interpolation="nearest")
    for start in row_starts[1:]:
        ax.axhline(start - 0.5, color=CLASS_COLORS[4], lw=0.6)
    for start in col_starts[1:]:
        ax.axvline(start - 0.5, color=CLASS_COLORS[4], lw=0.6)
    ends = lambda starts, n: np.append(starts[1:], n)  # noqa: E731
    ax.set_yticks((row_starts + ends(row_starts, M) - 1) / 2, [names[c] for c in row_classes], fontsize=10)
    ax.set_xticks((col_starts + ends(col_starts, N) - 1) / 2, [names[c] for c in col_classes], fontsize=10,
                  rotation=90)
    r, c = int(np.flatnonzero(rows == bright)[0]), int(np.flatnonzero(cols == dark)[0])
    marker = dict(color=CLASS_COLORS[1], markeredgecolor="black", markersize=14, clip_on=False, zorder=5, ls="")
    ax.plot([N - 0.5 + 0.02 * N], [r], marker="<", **marker)  # beside the brightest row, on the right
    ax.plot([c], [-0.5 - 0.03 * M], marker="v", **marker)      # above the darkest column
    ax.set_xlim(-0.5, N - 0.5)
    ax.set_ylim(M - 0.5, -0.5)
    ax.set_title(f"{distance.upper()} distances: {M} test × {N} training images", fontsize=14, pad=26)
    fig.colorbar(shown, ax=ax, fraction=0.04, pad=0.05, label=f"{distance.upper()} distance")
    for slot, image, title in ((grid[0, 1], test_images[bright], f"brightest row (◀):\ntest image {bright}"),
                               (grid[1, 1], train_images[dark], f"darkest column (▼):\ntraining image {dark}")):
        thumb = fig.add_subplot(slot)
        show_image(image, ax=thumb, title=title)
        thumb.title.set_fontsize(11)
    row_ratio = row_means[bright] / np.median(row_means)
    column_ratio = column_means[dark] / np.median(column_means)
    alt = (f"The {distance.upper()} distance matrix of {M} test images (rows) and {N} training images (columns), "
           f"both sorted by class (thin blue lines between classes), black for near and white for far. Whole "
           f"rows are brighter and whole columns darker than the rest; orange triangles mark the brightest row "
           f"(test image {bright}, {names[y_test[bright]]}: on average {row_ratio:.2f} times as far from the "
           f"training images as the median row) and the darkest column (training image {dark}, "
           f"{names[y_train[dark]]}: {column_ratio:.2f} times the median column). Both images are shown on the right.")
    return {"figure": fig, "alt": alt, "brightest_row": bright, "darkest_column": dark,
            "row_means": row_means, "column_means": column_means}


def _frame(ax, color, style, width):
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(color)
        spine.set_linestyle(style)
        spine.set_linewidth(width)


def neighbors_figure(test_images, y_test, train_images, y_train, neighbor_idx, class_names,
                     predictions=None, size=1.45) -> dict:
    """A gallery: each row a test image, then its nearest training images, nearest first. A frame
    marks each neighbour: dashed green for the test image's own class, solid vermillion for another.

    test_images (R, …), y_test (R,); train_images (N, …), y_train (N,); neighbor_idx (R, k) training
    indices; class_names C names; predictions (R,) or None (then not shown); size: inches per image.
    Returns dict(figure, alt, other_class (R, k) bool). Raises TypeError / ValueError. Notebook 02.
    """
    idx = np.asarray(neighbor_idx)
    R = len(test_images)
    if idx.ndim != 2 or idx.shape[0] != R or idx.shape[1] == 0 or idx.dtype.kind not in "iu":
        raise ValueError(f"neighbor_idx must be ({R}, k) integer training indices, got {idx.dtype} {idx.shape}")
    if idx.min() < 0 or idx.max() >= len(train_images):
        raise ValueError(f"neighbor_idx must hold training indices in [0, {len(train_images)})")
    y_test = check_labels(y_test, "y_test", num_samples=R, samples_name="test_images")
    y_train = check_labels(y_train, "y_train", num_samples=len(train_images), samples_name="train_images")
    names = _class_names(class_names, max(check_num_classes(y_test), check_num_classes(y_train)))
    if predictions is not None:
        predictions = check_labels(predictions, "predictions", num_samples=R, samples_name="test_images")
    k = idx.shape[1]
    other = y_train[idx] != y_test[:, None]
    fig = new_figure((size * (k + 1) + 0.5, (size + 0.55) * R + 0.55))
    axes = fig.subplots(R, k + 1, squeeze=False)
    for r in range(R):
        title = f"test: {names[y_test[r]]}"
        if predictions is not None:
            title += f"\n→ {names[predictions[r]]} " + ("(right)" if predictions[r] == y_test[r] else "(WRONG)")
        show_image(test_images[r], ax=axes[r, 0], title=title)
        axes[r, 0].title.set_fontsize(11)
        axes[r, 0].title.set_fontweight("bold")
        _frame(axes[r, 0], "white", "-", 0.0)
        for j in range(k):
            ax = axes[r, j + 1]
            show_image(train_images[idx[r, j]], ax=ax, title=names[y_train[idx[r, j]]])
            ax.title.set_fontsize(11)
            if other[r, j]:
                _frame(ax, OTHER_CLASS_COLOR, "-", 5.0)
            else:
                _frame(ax, SAME_CLASS_COLOR, (0, (2.5, 1.5)), 3.5)
    handles = [Line2D([], [], color=SAME_CLASS_COLOR, lw=3.5, ls=(0, (2.5, 1.5)), label="same class as the test image"),
               Line2D([], [], color=OTHER_CLASS_COLOR, lw=5.0, label="another class")]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=12)
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / fig.get_figheight(),
                        bottom=0.55 / fig.get_figheight(), wspace=0.12, hspace=0.75)
    rows = "A test image" if R == 1 else f"{R} rows, each a test image"
    alt = (f"{rows} followed by its {k} nearest training images, nearest first, titled with their classes; a solid "
           f"vermillion frame marks a neighbour of another class than the test image ({int(other.sum())} of the "
           f"{other.size}), a dashed green frame one of the same class")
    if predictions is not None:
        wrong = int(np.sum(predictions != y_test))
        alt += (f"; {wrong} of the {R} test images are predicted wrongly" if R > 1 else
                f"; it is predicted {names[predictions[0]]}, {'rightly' if wrong == 0 else 'wrongly'}")
    alt += "."
    return {"figure": fig, "alt": alt, "other_class": other}


def images_row_figure(images, titles, size=2.6) -> Figure:
    """Images side by side with a title each (two-line titles fit); returns the figure.

    images: a sequence of (H, W) or (H, W, 3) images; titles: one string per image. Notebook 02.
    """
    if len(images) == 0 or len(titles) != len(images):
        raise ValueError(f"images and titles must be non-empty and of the same length, got {len(images)} and "
                         f"{len(titles)}")
    fig = new_figure((size * len(images) + 0.2 * (len(images) - 1), size + 0.75))
    for ax, image, title in zip(fig.subplots(1, len(images), squeeze=False)[0], images, titles):
        show_image(image, ax=ax, title=title)
        ax.title.set_fontsize(12)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=size / (size + 0.75), wspace=0.08)
    return fig


def accuracy_vs_k_figure(k_choices, curves, chance) -> dict:
    """Test accuracy against k, one line per curve, each with a band of ± one standard error.

    k_choices: increasing ints ≥ 1; curves: {label: (accuracies (len(k_choices),) in [0, 1], number of
    test images)}; chance: the chance level in [0, 1] (drawn as a line if inside the y-range, else
    named in the legend). The y-axis spans the data, not 0–1. Returns dict(figure, alt, ylim).
    Raises TypeError / ValueError. Notebook 02.
    """
    ks = np.array([check_int(k, "k_choices", low=1) for k in k_choices])
    if len(ks) == 0 or np.any(np.diff(ks) <= 0):
        raise ValueError("k_choices must be a non-empty increasing sequence of integers")
    if not curves:
        raise ValueError("curves must hold at least one curve")
    fig = new_figure((7.6, 4.9))
    ax = fig.subplots()
    low, high, lines = 1.0, 0.0, []
    for (label, (acc, num_test)), marker, color in zip(curves.items(), MARKERS, CLASS_COLORS):
        acc = check_array(acc, f"accuracies of {label}", ndim=1)
        if acc.shape != ks.shape or acc.min() < 0 or acc.max() > 1:
            raise ValueError(f"accuracies of {label} must be {len(ks)} numbers in [0, 1]")
        se = np.sqrt(acc * (1 - acc) / check_int(num_test, f"number of test images of {label}", low=1))
        ax.fill_between(ks, acc - se, acc + se, color=color, alpha=0.15, lw=0)
        ax.plot(ks, acc, marker=marker, color=color, label=f"{label} ({num_test} test images)")
        low, high = min(low, float((acc - se).min())), max(high, float((acc + se).max()))
        best = int(np.argmax(acc))
        lines.append(f"{label}: from {acc.min():.1%} to {acc.max():.1%}, highest at k = {ks[best]}")
    pad = 0.15 * (high - low) + 0.005
    ylim = (max(0.0, low - pad), min(1.0, high + pad))
    ax.set_ylim(*ylim)
    if ylim[0] <= chance <= ylim[1]:
        ax.axhline(chance, color="0.4", ls=":", label=f"chance ({chance:.0%})")
    else:  # a legend entry without a line: the chance level lies outside the y-range
        where = "below" if chance < ylim[0] else "above"
        ax.plot([], [], color="0.4", ls=":", label=f"chance ({chance:.0%}): {where} this axis")
    ax.set_xscale("log")
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("k (log scale)")
    ax.set_ylabel("test accuracy")
    ax.grid(axis="y", color="0.9")
    handles, _ = ax.get_legend_handles_labels()
    handles.append(Patch(color="0.5", alpha=0.3, label="± one standard error"))
    # below the axes, so that no curve hides behind it whatever the accuracies are
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.45, -0.19), ncol=2, frameon=False,
              fontsize=11)
    fig.subplots_adjust(left=0.13, right=0.97, bottom=0.33, top=0.97)
    alt = (f"Test accuracy against k = {', '.join(map(str, ks))} with a shaded band of ± one standard error: "
           + "; ".join(lines) + f". The y-axis runs from {ylim[0]:.0%} to {ylim[1]:.0%}; chance is {chance:.0%}.")
    return {"figure": fig, "alt": alt, "ylim": ylim}


# --------------------------------------------------------------------------- k-NN in the plane


def toy_points(data="moons", num_per_class=None) -> tuple[np.ndarray, np.ndarray, tuple]:
    """The widget's training points: (X (N, 2), y (N,), class names) of a TOY_DATASETS entry, seed 0.

    num_per_class: int in [2, 100], or None for the data set's default. Notebook 02.
    """
    data = check_choice(data, "data", tuple(TOY_DATASETS))
    maker, default, names = TOY_DATASETS[data]
    n = default if num_per_class is None else check_int(num_per_class, "num_per_class", low=2, high=_MAX_PER_CLASS)
    X, y = maker(n, seed=0)
    return X, y, names


def _votes_to_regions(neighbor_labels, num_classes: int) -> np.ndarray:
    """(G,) int64: the label with the most votes in each row of (G, k) labels, TIE where shared."""
    G, k = neighbor_labels.shape
    rows = np.repeat(np.arange(G), k)
    votes = np.bincount(rows * num_classes + neighbor_labels.ravel(), minlength=G * num_classes)
    votes = votes.reshape(G, num_classes)
    tied = np.count_nonzero(votes == votes.max(axis=1, keepdims=True), axis=1) > 1
    return np.where(tied, TIE, votes.argmax(axis=1)).astype(np.int64)


def _nearest_first(dists, k) -> np.ndarray:
    """knn.nearest_neighbors(dists, k), found by a partial sort (the widget redraws in time): the k
    smallest per row, ordered by (distance, index); a row with a tie at the k-th place is sorted fully."""
    if k == dists.shape[1]:
        return nearest_neighbors(dists, k)
    part = np.argpartition(dists, k - 1, axis=1)[:, :k]
    chosen = np.take_along_axis(dists, part, axis=1)
    order = np.take_along_axis(part, np.lexsort((part, chosen), axis=1), axis=1)
    tied = np.count_nonzero(dists <= chosen.max(axis=1, keepdims=True), axis=1) > k
    if tied.any():
        order[tied] = nearest_neighbors(dists[tied], k)
    return order


def _plane_distances(grid, X, distance) -> np.ndarray:
    """compute_distances(grid, X, distance), with L1 written out for two coordinates (the same
    numbers as the broadcast sum over D = 2, without its (G, N, 2) array)."""
    if distance == "l2":
        return compute_distances(grid, X, distance="l2")
    return np.abs(grid[:, :1] - X[:, 0]) + np.abs(grid[:, 1:] - X[:, 1])


def knn_regions(X, y, grid, k, distance="l2") -> np.ndarray:
    """The k-NN prediction at each location of ``grid``, TIE (−1) where the top vote is shared.

    X (N, 2) training points, y (N,) labels in [0, C); grid (G, 2) locations; k in [1, N];
    distance "l1" or "l2". The neighbours are exactly knn.nearest_neighbors' (found faster, by a
    partial sort); where the vote is not tied the result equals knn.predict_labels, which would pick
    the smallest tied label where the demo shows the tie. Returns (G,) int64.
    Raises TypeError / ValueError. Notebook 02.
    """
    X = check_X(X)
    y = check_labels(y, "y", num_samples=X.shape[0])
    grid = check_X(grid, "grid")
    if X.shape[1] != 2 or grid.shape[1] != 2:
        raise ValueError(f"X and grid must be (N, 2) and (G, 2): points in the plane, got {X.shape} and {grid.shape}")
    k = check_int(k, "k", low=1, high=X.shape[0])
    distance = check_choice(distance, "distance", DISTANCES)
    neighbors = _nearest_first(_plane_distances(grid, X, distance), k)
    return _votes_to_regions(y[neighbors], check_num_classes(y))


def _limits(X) -> tuple[tuple, tuple]:
    lo, hi = np.floor(X.min(axis=0) * 2 - 0.5) / 2, np.ceil(X.max(axis=0) * 2 + 0.5) / 2
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


@functools.lru_cache(maxsize=2)
def _plane_orders(data: str, num_per_class, distance: str) -> tuple:
    """Points, extent and, per grid location and per training point, the MAX_K nearest training points
    in order (as knn.nearest_neighbors): a change of k needs only the vote. Cached for two settings."""
    X, y, names = toy_points(data, num_per_class)
    (x0, x1), (y0, y1) = _limits(X)
    grid = toy_data.plane_grid((x0, x1), (y0, y1), resolution=_PLANE_RESOLUTION)
    K = min(MAX_K, len(y))
    grid_order = _nearest_first(_plane_distances(grid, X, distance), K).astype(np.int16)
    train_order = _nearest_first(_plane_distances(X, X, distance), K)
    for array in (X, y, grid_order, train_order):
        array.setflags(write=False)
    return X, y, names, (x0, x1, y0, y1), grid_order, train_order


def knn_plane(data="moons", k=1, distance="l2", num_per_class=None) -> dict:
    """The 2-D demo for one setting: the points of TOY_DATASETS[data] and k-NN's prediction on a grid.

    Returns dict(X, y, class_names, regions (R, R) int64 with TIE, row 0 at the bottom, extent
    (x0, x1, y0, y1), tie_fraction (share of the shown area that is tied), train_accuracy (k-NN of
    each training point among all of them, itself included), k, distance, data). The neighbour
    order of the last two settings is cached. Raises TypeError / ValueError. Notebook 02.
    """
    data = check_choice(data, "data", tuple(TOY_DATASETS))
    distance = check_choice(distance, "distance", DISTANCES)
    if num_per_class is not None:
        num_per_class = check_int(num_per_class, "num_per_class", low=2, high=_MAX_PER_CLASS)
    X, y, names, extent, grid_order, train_order = _plane_orders(data, num_per_class, distance)
    k = check_int(k, "k", low=1, high=min(MAX_K, len(y)))
    regions = _votes_to_regions(y[grid_order[:, :k]], len(names))
    train_pred = majority_vote(y[train_order[:, :k]])
    return {"X": X, "y": y, "class_names": names, "extent": extent,
            "regions": regions.reshape(_PLANE_RESOLUTION, _PLANE_RESOLUTION),
            "tie_fraction": float(np.mean(regions == TIE)), "train_accuracy": float(np.mean(train_pred == y)),
            "k": k, "distance": distance, "data": data}


def _region_colors(num_classes: int) -> np.ndarray:
    """RGB rows: each class colour mixed with white (points stay visible on it), then the tie grey."""
    rgb = np.array([mpl.colors.to_rgb(c) for c in CLASS_COLORS[:num_classes]])
    return np.vstack([0.4 * rgb + 0.6, mpl.colors.to_rgb(TIE_COLOR)])


def _plane_legend(names) -> list:
    handles = [Line2D([], [], ls="", marker=MARKERS[c], markersize=9, color=CLASS_COLORS[c], markeredgecolor="black",
                      label=name) for c, name in enumerate(names)]
    return handles + [Patch(color=TIE_COLOR, label="tied vote")]


def _draw_plane(ax, result, title_size=13):
    names, regions = result["class_names"], result["regions"]
    colors = _region_colors(len(names))
    ax.imshow(colors[regions], origin="lower", extent=result["extent"], interpolation="nearest", aspect="equal")
    X, y = result["X"], result["y"]
    for c in range(len(names)):
        ax.scatter(X[y == c, 0], X[y == c, 1], s=22, marker=MARKERS[c], color=CLASS_COLORS[c],
                   edgecolors="black", linewidths=0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"k = {result['k']}, {result['distance'].upper()}: {result['tie_fraction']:.0%} tied, "
                 f"training acc. {result['train_accuracy']:.0%}", fontsize=title_size)


def _plane_alt(result) -> str:
    names = result["class_names"]
    return (f"k-NN in the plane on the {result['data']} data ({len(result['y'])} points, {len(names)} classes: "
            f"{', '.join(names)}), k = {result['k']}, {result['distance'].upper()} distance: every location is "
            f"coloured by the class k-NN predicts there, grey where the vote is tied ({result['tie_fraction']:.0%} "
            f"of the area); {result['train_accuracy']:.0%} of the training points are classified correctly.")


def draw_knn_plane(data="moons", k=1, distance="l2", num_per_class=None) -> dict:
    """One redraw of the widget: the plane coloured by k-NN's prediction, ties grey, points on top.

    Arguments as ``knn_plane``. Returns its dict plus ``figure`` and ``alt``. Notebook 02.
    """
    result = knn_plane(data, k, distance, num_per_class)
    fig = new_figure((7.2, 4.2))
    ax = fig.subplots()
    _draw_plane(ax, result)
    ax.legend(handles=_plane_legend(result["class_names"]), loc="center left", bbox_to_anchor=(1.02, 0.5),
              frameon=False, fontsize=12)
    fig.subplots_adjust(left=0.02, right=0.72, bottom=0.03, top=0.92)
    return {**result, "figure": fig, "alt": _plane_alt(result)}


def knn_plane_panels(settings, data="moons") -> dict:
    """Several settings of the 2-D demo side by side (two per row), one legend.

    settings: list of (k, distance). Returns dict(figure, alt, results (one knn_plane dict each)).
    """
    results = [knn_plane(data, k, distance) for k, distance in settings]
    if not results:
        raise ValueError("settings must hold at least one (k, distance)")
    rows = -(-len(results) // 2)
    fig = new_figure((9.4, 3.6 * rows + 0.5))
    axes = fig.subplots(rows, 2, squeeze=False)
    for ax, result in zip(axes.flat, results):
        _draw_plane(ax, result, title_size=13)
    for ax in list(axes.flat)[len(results):]:
        ax.axis("off")
    fig.legend(handles=_plane_legend(results[0]["class_names"]), loc="lower center", ncol=3, frameon=False)
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / fig.get_figheight(),
                        bottom=0.5 / fig.get_figheight(), wspace=0.05, hspace=0.2)
    alt = (f"{len(results)} pictures of k-NN on the {data} data, each location coloured by the predicted class, "
           "grey where the vote is tied: " + "; ".join(
               f"k = {r['k']} {r['distance'].upper()}: {r['tie_fraction']:.0%} tied, training accuracy "
               f"{r['train_accuracy']:.0%}" for r in results) + ".")
    return {"figure": fig, "alt": alt, "results": results}


def knn_plane_widget(data="moons", k=1, distance="l2") -> widgets.VBox:
    """The 2-D demo: choose the training points (data set, points per class), k and the distance;
    each change redraws ``draw_knn_plane`` below the controls. Returns the ipywidgets VBox; its
    attribute ``result`` holds the last redraw's dict (without the figure). Raises TypeError /
    ValueError at once for bad arguments. Notebook 02.
    """
    toy_points(data)
    check_int(k, "k", low=1, high=MAX_K)
    check_choice(distance, "distance", DISTANCES)
    controls = {
        "data": widgets.Dropdown(options=[(f"{name} ({len(TOY_DATASETS[name][2])} classes)", name)
                                          for name in TOY_DATASETS], value=data, description="data"),
        "num_per_class": widgets.IntSlider(value=TOY_DATASETS[data][1], min=20, max=_MAX_PER_CLASS, step=10,
                                           description="points/class", continuous_update=False,
                                           style={"description_width": "initial"}),
        "k": widgets.IntSlider(value=k, min=1, max=MAX_K, description="k", continuous_update=False),
        "distance": widgets.ToggleButtons(options=[("L1", "l1"), ("L2", "l2")], value=distance,
                                          description="distance"),
    }
    output = widgets.Output()
    box = widgets.VBox([widgets.HBox([controls["data"], controls["num_per_class"]]),
                        widgets.HBox([controls["k"], controls["distance"]]), output])

    def redraw(change=None):
        if change is not None and change["owner"] is controls["data"]:
            default = TOY_DATASETS[change["new"]][1]  # a new data set starts at its own size
            if controls["num_per_class"].value != default:
                controls["num_per_class"].value = default  # this change redraws
                return
        result = draw_knn_plane(**{name: control.value for name, control in controls.items()})
        box.result = {key: value for key, value in result.items() if key != "figure"}
        output.clear_output(wait=True)
        with output:
            show_figure(result["figure"], alt=result["alt"])

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    return box

"""Notebook 03's three reasons k-NN on raw pixels is not used for images, each measured: prediction
time grows with the training set; changed copies of an image tuned to the same L2 distance, and
an image of another class that is nearer; distances between points in D dimensions lose their
contrast as D grows (the curse of dimensionality).

Drawing functions return ``(fig, alt)`` for ``plots.show_figure(fig, alt)``.
"""

from __future__ import annotations

import time

import numpy as np
from matplotlib.ticker import FuncFormatter

from ..checks import check_array, check_image, check_int, check_labels, check_seed, check_X, check_X_y
from ..knn import KNearestNeighbor
from ..large_scale import pairwise_distances
from ..linear_classifier import linear_scores
from ..plots import CLASS_COLORS, new_figure

__all__ = ["prediction_times", "draw_prediction_times", "equal_distance_copies", "pick_equal_distance_example",
           "draw_equal_distance_copies", "distance_contrast", "random_distance_contrast",
           "draw_distance_concentration"]


# ------------------------------------------------------------------------------------ test time

def prediction_times(X_train, y_train, X_test, sizes, *, k=1, repeats=3, num_classes=10, seed=0) -> dict:
    """Wall-clock seconds of k-NN's fit and predict on the first N training rows, for each N in sizes,
    and of a linear classifier's prediction (scores X_test·W + b with a random (D, num_classes) W:
    the cost does not depend on what W holds, nor on N). Each time is the fastest of repeats runs.

    X_train (N_max, D), X_test (M, D) real; y_train (N_max,) int; sizes ints in [k, N_max].
    Returns dict(sizes (S,) int64, fit_seconds, predict_seconds (S,), linear_seconds float).
    Times vary with the machine and its load. Raises TypeError / ValueError. Notebook 03.
    """
    X_train, y_train = check_X_y(X_train, y_train, X_name="X_train", y_name="y_train")
    X_test = check_X(X_test, "X_test")
    k, repeats = check_int(k, "k", low=1), check_int(repeats, "repeats", low=1)
    sizes = np.array([check_int(n, "sizes[i]", low=k, high=len(y_train)) for n in sizes], dtype=np.int64)
    W = np.random.default_rng(check_seed(seed)).standard_normal((X_train.shape[1], num_classes))

    def fastest(fn):
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - start)
        return min(runs)

    fit = [fastest(lambda n=n: KNearestNeighbor().fit(X_train[:n], y_train[:n])) for n in sizes]
    models = [KNearestNeighbor().fit(X_train[:n], y_train[:n]) for n in sizes]
    predict = [fastest(lambda m=m: m.predict(X_test, k=k)) for m in models]
    linear = fastest(lambda: linear_scores(X_test, W, np.zeros(num_classes)).argmax(axis=1))
    return {"sizes": sizes, "fit_seconds": np.array(fit), "predict_seconds": np.array(predict),
            "linear_seconds": float(linear)}


def draw_prediction_times(timings, num_test):
    """Milliseconds against the training-set size N: k-NN's prediction of num_test images, a line
    through the origin fitted to it, k-NN's fit, and a linear classifier's prediction (flat).
    timings: the dict of prediction_times. Returns (fig, alt). Notebook 03."""
    sizes = timings["sizes"].astype(float)
    pred, fit = 1e3 * np.asarray(timings["predict_seconds"]), 1e3 * np.asarray(timings["fit_seconds"])
    linear = 1e3 * timings["linear_seconds"]
    slope = float(sizes @ pred / (sizes @ sizes))
    fig = new_figure((8.5, 4.4))
    ax = fig.add_subplot()
    ax.plot(sizes, pred, "o-", color=CLASS_COLORS[0], label=f"k-NN: predict {num_test} images")
    ax.plot([0, sizes.max()], [0, slope * sizes.max()], ":", color="grey", label="proportional to N")
    ax.plot(sizes, fit, "s-", color=CLASS_COLORS[1], label="k-NN: fit (store the images)")
    ax.plot(sizes, np.full(len(sizes), linear), "^--", color=CLASS_COLORS[2],
            label=f"linear classifier: predict {num_test} images")
    ax.set_xlim(0, sizes.max() * 1.05)
    ax.set_ylim(0, max(pred.max(), slope * sizes.max()) * 1.1)
    ax.set_xlabel("training-set size N")
    ax.set_ylabel("time (ms)")
    ax.legend(loc="upper left", fontsize=11, frameon=False)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.14, top=0.95)
    alt = (f"Time against training-set size N from {int(sizes.min()):,} to {int(sizes.max()):,}: k-NN's "
           f"prediction of {num_test} images takes from {pred[0]:.1f} to {pred[-1]:.1f} ms, drawn with the line "
           f"through the origin that fits it best; its fit takes at most {fit.max():.2f} ms and a linear "
           f"classifier's prediction {linear:.2f} ms whatever N.")
    return fig, alt


# ------------------------------------------------------------------------------------ pixel distances

def _shift(image, shift):
    """Moved shift pixels right and down; the uncovered border repeats the nearest edge pixel."""
    H, W = image.shape[:2]
    return image[np.clip(np.arange(H) - shift, 0, H - 1)][:, np.clip(np.arange(W) - shift, 0, W - 1)]


def _occlude(image, size, fill, alpha):
    """A centred size × size square of value fill blended in with opacity alpha."""
    top, left = (image.shape[0] - size) // 2, (image.shape[1] - size) // 2
    out = image.copy()
    patch = out[top:top + size, left:left + size]
    out[top:top + size, left:left + size] = (1 - alpha) * patch + alpha * fill
    return out


def _l2(a, b) -> float:
    return float(np.sqrt(np.sum((a - b) ** 2)))


def equal_distance_copies(image, shift=1) -> dict:
    """Three changed copies of an image at the same L2 distance from it.

    image (H, W) or (H, W, 3), pixel values 0–255; shift int ≥ 1. The copy shifted by shift pixels
    right and down (edges repeated) sets the target distance; the darkened copy (× (1 − amount))
    and the occluded copy (the smallest centred square of black, grey or white — whichever
    differs most from the image's border — that can reach it, blended in with opacity alpha) are
    tuned to it exactly: both distances are linear in amount and alpha.
    Returns dict(original, shifted, occluded, darkened: float64 images; target, distances (dict),
    shift, occlusion_size, occlusion_fill, occlusion_alpha, darken_amount).
    Raises TypeError / ValueError for a bad image or shift, or when no darkening or square can
    reach the target. Notebook 03.
    """
    original = check_image(image).astype(np.float64)
    shift = check_int(shift, "shift", low=1, high=min(original.shape[:2]) - 1)
    shifted = _shift(original, shift)
    target, norm = _l2(shifted, original), float(np.sqrt(np.sum(original ** 2)))
    if not 0 < target <= norm:
        raise ValueError(f"image: the shifted copy's distance {target:.1f} is 0 or above the image's norm "
                         f"{norm:.1f}, so no darkening reaches it; try another image or shift")
    border = np.concatenate([original[[0, -1]].ravel(), original[:, [0, -1]].ravel()])
    for fill in sorted((0.0, 128.0, 255.0), key=lambda v: -abs(v - np.median(border))):
        sizes = [s for s in range(1, min(original.shape[:2]) + 1)
                 if _l2(_occlude(original, s, fill, 1.0), original) >= target]
        if sizes:
            break
    else:
        raise ValueError(f"image: even a fully covered square stays nearer than {target:.1f}; try another image")
    size = sizes[0]
    alpha = target / _l2(_occlude(original, size, fill, 1.0), original)
    copies = {"shifted": shifted, "occluded": _occlude(original, size, fill, alpha),
              "darkened": original * (1 - target / norm)}
    return {"original": original, **copies, "target": target, "shift": shift,
            "distances": {name: _l2(img, original) for name, img in copies.items()},
            "occlusion_size": size, "occlusion_fill": fill, "occlusion_alpha": alpha,
            "darken_amount": target / norm}


def pick_equal_distance_example(images, labels, *, shifts=(1, 2), num_candidates=60) -> dict:
    """An image whose nearest image of another class is nearer (L2) than its equal-distance copies.

    images (N, H, W) or (N, H, W, 3) 0–255; labels (N,) int. Tries the smallest shift first and, among
    the first num_candidates images where it works, takes the one with the least darkening (the most
    legible copies). Returns equal_distance_copies' dict plus index, other_index (the nearest image
    with another label) and other_distance. Raises ValueError when no candidate works. Notebook 03.
    """
    images = check_array(images, "images", ndim=(3, 4), keep_dtype=True)
    labels = check_labels(labels, "labels", num_samples=len(images), samples_name="images")
    candidates = np.arange(min(check_int(num_candidates, "num_candidates", low=1), len(images)))
    flat = images.reshape(len(images), -1)
    dists = pairwise_distances(flat[candidates], flat)
    dists[labels[candidates][:, None] == labels[None, :]] = np.inf  # only images of another class
    for shift in shifts:
        found = []
        for i in candidates:
            try:
                copies = equal_distance_copies(images[i], shift)
            except ValueError:
                continue
            if dists[i].min() < copies["target"]:
                found.append((copies["darken_amount"], int(i), copies))
        if found:
            _, i, copies = min(found, key=lambda item: item[:2])
            return {**copies, "index": i, "other_index": int(np.argmin(dists[i])),
                    "other_distance": float(dists[i].min())}
    raise ValueError(f"none of the first {len(candidates)} images has an image of another class nearer than "
                     f"its copies shifted by {tuple(shifts)} pixels; try more candidates")


def _show(ax, image, title):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 2:
        ax.imshow(image, cmap="gray", vmin=0, vmax=255)
    else:
        ax.imshow(np.clip(image / 255.0, 0, 1))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=13)


def draw_equal_distance_copies(example, images, labels, class_names):
    """Five panels: the original, its shifted, occluded and darkened copies, and the nearest image of
    another class, each titled with its L2 distance to the original (fixed 0–255 display range, so
    the darkening shows). example: pick_equal_distance_example's dict. Returns (fig, alt). Notebook 03."""
    labels = np.asarray(labels)
    name, other = class_names[labels[example["index"]]], class_names[labels[example["other_index"]]]
    panels = [(example["original"], f"original\n({name})")]
    panels += [(example[key], f"{key}\nL2 = {example['distances'][key]:,.0f}")
               for key in ("shifted", "occluded", "darkened")]
    panels.append((images[example["other_index"]], f"another class\n({other}), L2 = {example['other_distance']:,.0f}"))
    fig = new_figure((12.5, 3.4))
    for i, (image, title) in enumerate(panels):
        _show(fig.add_subplot(1, 5, i + 1), image, title)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.8, wspace=0.12)
    alt = (f"A training image (class {name}) and three copies: shifted by {example['shift']} pixel(s), with a "
           f"square covering its centre, and darkened by {example['darken_amount']:.0%}; all three are at L2 "
           f"distance {example['target']:,.0f} from the original. The nearest training image of another class "
           f"(class {other}) is at distance {example['other_distance']:,.0f}.")
    return fig, alt


# ------------------------------------------------------------------------------------ dimensionality

def distance_contrast(X) -> float:
    """Mean over the rows of X (n, D), n ≥ 3, of (L2 distance to the nearest other row) / (to the
    farthest). Near 0: neighbours are much nearer than the rest; near 1: all rows about equally
    far apart. Raises TypeError / ValueError. Notebook 03."""
    X = check_X(X)
    if len(X) < 3:
        raise ValueError(f"X must hold at least 3 rows, got {len(X)}")
    dists = pairwise_distances(X, X)
    np.fill_diagonal(dists, np.inf)
    nearest = dists.min(axis=1)
    np.fill_diagonal(dists, -np.inf)
    return float(np.mean(nearest / dists.max(axis=1)))


def random_distance_contrast(dims, *, num_points=300, seed=0) -> np.ndarray:
    """distance_contrast of num_points points drawn uniformly in the unit cube [0, 1]^D, for each D
    in dims (ints ≥ 1). Returns (len(dims),) float64. Raises TypeError / ValueError. Notebook 03."""
    rng = np.random.default_rng(check_seed(seed))
    num_points = check_int(num_points, "num_points", low=3)
    return np.array([distance_contrast(rng.random((num_points, check_int(D, "D", low=1)))) for D in dims])


def draw_distance_concentration(dims, ratios, *, marks=None, data_point=None):
    """Nearest / farthest distance ratio of random points against D (log axis), vertical lines at the
    dimensions in marks ({label: D}), and optionally data_point = (label, D, ratio) for real images.
    Returns (fig, alt). Notebook 03."""
    dims, ratios = np.asarray(dims, dtype=float), np.asarray(ratios, dtype=float)
    marks = dict(marks or {})
    fig = new_figure((8.5, 4.4))
    ax = fig.add_subplot()
    ax.plot(dims, ratios, "o-", color=CLASS_COLORS[0], label="random points in a cube")
    styles = [(CLASS_COLORS[5], "--"), (CLASS_COLORS[3], "-."), (CLASS_COLORS[2], ":")]
    for (label, D), (color, ls) in zip(marks.items(), styles):
        ax.axvline(D, color=color, ls=ls, lw=1.8, label=f"{label}: D = {D:,}")
    if data_point is not None:
        ax.plot([data_point[1]], [data_point[2]], "*", ms=18, color=CLASS_COLORS[7], label=data_point[0])
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylim(0, 1)
    ax.set_xlabel("dimension D (numbers per point)")
    ax.set_ylabel("nearest / farthest distance")
    ax.legend(loc="upper left", fontsize=11, frameon=False)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.14, top=0.95)
    alt = (f"Mean ratio of nearest to farthest distance among random points against the dimension D (log "
           f"axis): {ratios[0]:.3f} at D = {dims[0]:,.0f}, rising to {ratios[-1]:.3f} at D = {dims[-1]:,.0f}.")
    if data_point is not None:
        alt += f" A star marks {data_point[0]}: {data_point[2]:.2f} at D = {data_point[1]:,}."
    return fig, alt

"""Notebook 03's overfitting pictures on the shared moons (demos.toy_data.make_moons): k-NN's
decision regions from overfitting (k = 1) to underfitting (k = N), and a measurement of what goes
wrong when the test set chooses k.

Drawing functions return ``(fig, alt)`` for ``plots.show_figure(fig, alt)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MultipleLocator, PercentFormatter

from ..checks import check_int, check_labels, check_seed, check_X
from ..distances import compute_distances
from ..plots import CLASS_COLORS, class_cmap, new_figure
from .cross_validation import knn_accuracies, knn_predictions
from .toy_data import make_moons, plane_grid

__all__ = ["fit_regimes", "draw_fit_regimes", "tuning_on_test_set", "draw_tuning_on_test_set"]

_MOON_NAMES = ("class 0 (upper moon)", "class 1 (lower moon)")


def _check_plane_data(X, y, X_name, y_name):
    X = check_X(X, X_name)
    if X.shape[1] != 2:
        raise ValueError(f"{X_name} must hold points in the plane, shape (N, 2), got {X.shape}")
    return X, check_labels(y, y_name, num_samples=len(X), samples_name=X_name)


def fit_regimes(X_train, y_train, X_new, y_new, ks) -> dict:
    """{k: (accuracy on the training points, accuracy on the new points)} for each k in ks.

    X_train (N, 2), X_new (M, 2) real; y_train (N,), y_new (M,) int labels; ks ints in [1, N].
    The training points are their own neighbours, so k = 1 scores 1.0 on them when no two
    coincide. Raises TypeError / ValueError for bad arguments. Notebook 03.
    """
    X_train, y_train = _check_plane_data(X_train, y_train, "X_train", "y_train")
    X_new, y_new = _check_plane_data(X_new, y_new, "X_new", "y_new")
    train_acc = knn_accuracies(compute_distances(X_train, X_train), y_train, y_train, ks)
    new_acc = knn_accuracies(compute_distances(X_new, X_train), y_train, y_new, ks)
    return {int(k): (float(a), float(b)) for k, a, b in zip(ks, train_acc, new_acc)}


def draw_fit_regimes(X_train, y_train, X_new, y_new, ks, *, resolution=120):
    """One panel per k: k-NN's predicted class at every place of the plane (shaded) and the
    training points, titled with both accuracies; a class legend below. Arguments as fit_regimes;
    resolution int ≥ 2 grid points per axis. Returns (fig, alt). Notebook 03."""
    scores = fit_regimes(X_train, y_train, X_new, y_new, ks)
    X_train, y_train = _check_plane_data(X_train, y_train, "X_train", "y_train")
    both = np.vstack([X_train, check_X(X_new, "X_new")])
    xlim = (both[:, 0].min() - 0.3, both[:, 0].max() + 0.3)
    ylim = (both[:, 1].min() - 0.3, both[:, 1].max() + 0.3)
    grid = plane_grid(xlim, ylim, resolution)
    regions = knn_predictions(compute_distances(grid, X_train), y_train, list(scores))  # (resolution², K)
    cmap = class_cmap(2)
    fig = new_figure((4.0 * len(scores) + 0.4, 4.6))
    for i, (k, (train_acc, new_acc)) in enumerate(scores.items()):
        ax = fig.add_subplot(1, len(scores), i + 1)
        ax.imshow(regions[:, i].reshape(resolution, resolution), origin="lower", extent=(*xlim, *ylim), cmap=cmap, vmin=-0.5, vmax=1.5,
                  alpha=0.3, aspect="auto", interpolation="nearest")
        ax.scatter(X_train[:, 0], X_train[:, 1], c=y_train, cmap=cmap, vmin=-0.5, vmax=1.5, s=16,
                   edgecolors="white", linewidths=0.5)
        ax.set_title(f"k = {k}\ntraining {train_acc:.0%}, new points {new_acc:.0%}", fontsize=13)
        ax.set_xticks([])
        ax.set_yticks([])
    handles = [Line2D([], [], ls="", marker="o", color=CLASS_COLORS[c], label=f"{_MOON_NAMES[c]}: training point")
               for c in (0, 1)] + [Patch(color=CLASS_COLORS[c], alpha=0.3, label=f"predicted {_MOON_NAMES[c][:7]}")
                                   for c in (0, 1)]
    fig.legend(handles=handles, loc="lower center", ncol=2, frameon=False, fontsize=12)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.86, bottom=0.2, wspace=0.06)
    parts = "; ".join(f"k = {k}: {a:.0%} on the training points, {b:.0%} on new points"
                      for k, (a, b) in scores.items())
    alt = (f"k-NN's decision regions on the two moons ({len(y_train)} training points) for k = "
           f"{', '.join(map(str, scores))}, one panel each: {parts}.")
    return fig, alt


def _choose(accuracies, ks):
    """The k with the highest accuracy (ties: the smallest k), as an index into ks."""
    best = accuracies.max()
    return min((k, i) for i, (k, a) in enumerate(zip(ks, accuracies)) if a == best)[1]


def tuning_on_test_set(ks, *, num_train=200, num_test=40, num_fresh=5000, num_repeats=200, noise=0.2, seed=0):
    """Measure the optimism of choosing k on the test set, on the moons (new data is free there).

    One training set (num_train points), one fresh set (num_fresh, the "truth") and num_repeats
    pairs of small sets (num_test each): a test set and a validation set. Per repeat, k is chosen
    (highest accuracy, ties → smallest k) on the test set itself ("cheat") or on the validation
    set and then measured on the test set ("honest"); both report the test-set accuracy of their k.
    ks ints in [1, num_train]; even sizes ≥ 2 (half per class). Returns dict(ks, fresh (K,),
    example_test (K,), cheat_k, cheat_reported, cheat_true, honest_k, honest_reported,
    honest_true (num_repeats,) each). Raises TypeError / ValueError. Notebook 03.
    """
    sizes = [check_int(n, name, low=2) // 2 for n, name in
             ((num_train, "num_train"), (num_test, "num_test"), (num_fresh, "num_fresh"))]
    num_repeats = check_int(num_repeats, "num_repeats", low=1)
    seeds = np.random.default_rng(check_seed(seed)).integers(0, 2**31, size=2 + 2 * num_repeats)
    X_tr, y_tr = make_moons(sizes[0], noise, seed=int(seeds[0]))
    ks = [check_int(k, "k", low=1, high=len(y_tr)) for k in ks]
    X_fr, y_fr = make_moons(sizes[2], noise, seed=int(seeds[1]))
    fresh = knn_accuracies(compute_distances(X_fr, X_tr), y_tr, y_fr, ks)
    small = [make_moons(sizes[1], noise, seed=int(s)) for s in seeds[2:]]  # test, validation, test, …
    predictions = knn_predictions(compute_distances(np.vstack([X for X, _ in small]), X_tr), y_tr, ks)
    correct = predictions == np.concatenate([y for _, y in small])[:, None]
    test_acc, val_acc = correct.reshape(num_repeats, 2, 2 * sizes[1], len(ks)).mean(axis=2).transpose(1, 0, 2)
    result = {"example_test": test_acc[0]}
    for name, chooser in (("cheat", test_acc), ("honest", val_acc)):
        chosen = np.array([_choose(row, ks) for row in chooser])  # index of the chosen k per repeat
        result[f"{name}_k"] = np.array(ks)[chosen]
        result[f"{name}_reported"] = test_acc[np.arange(num_repeats), chosen]
        result[f"{name}_true"] = fresh[chosen]
    result.update(ks=ks, fresh=fresh, num_test=2 * sizes[1], num_fresh=2 * sizes[2])
    return result


def draw_tuning_on_test_set(result):
    """Left: accuracy against k on one small test set (jagged) and on the fresh set, the k the test
    set picks marked; right: histograms of reported − true accuracy over all repeats, k chosen on
    the test set vs on a validation set. result: the dict of tuning_on_test_set. Returns (fig, alt).
    Notebook 03."""
    ks, fresh, example = np.array(result["ks"]), result["fresh"], result["example_test"]
    k0 = int(result["cheat_k"][0])
    fig = new_figure((12.0, 4.4))
    ax = fig.add_subplot(1, 2, 1)
    ax.plot(ks, example, ".-", color=CLASS_COLORS[4], label=f"one test set ({result['num_test']} points)")
    ax.plot(ks, fresh, "-", lw=2.5, color=CLASS_COLORS[0], label=f"fresh data ({result['num_fresh']:,} points)")
    ax.plot([k0], [example[list(ks).index(k0)]], "o", ms=14, mfc="none", mec=CLASS_COLORS[5], mew=2.5,
            label=f"k picked by the test set: {k0}")
    ax.set_xlabel("k")
    ax.set_ylabel("accuracy")
    ax.yaxis.set_major_locator(MultipleLocator(0.05))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(loc="lower left", fontsize=11, frameon=False)
    ax.set_title("one try", fontsize=14)
    ax = fig.add_subplot(1, 2, 2)
    gaps = {name: 100 * (result[f"{name}_reported"] - result[f"{name}_true"]) for name in ("cheat", "honest")}
    bins = np.arange(np.floor(min(g.min() for g in gaps.values())) - 1.25,
                     np.ceil(max(g.max() for g in gaps.values())) + 1.25, 2.5)
    styles = {"cheat": dict(histtype="stepfilled", color=CLASS_COLORS[5], alpha=0.45, hatch="//"),
              "honest": dict(histtype="step", color=CLASS_COLORS[0], lw=2.5)}
    for name, label in (("cheat", "k chosen on the test set"), ("honest", "k chosen on a validation set")):
        color = styles[name]["color"]
        ax.hist(gaps[name], bins=bins, **styles[name], label=f"{label}: mean {gaps[name].mean():+.1f} (dashed)")
        ax.axvline(gaps[name].mean(), color=color, lw=2, ls="--")
    ax.axvline(0, color="grey", lw=1)
    ax.set_xlabel("reported − true accuracy (percentage points)")
    ax.set_ylabel("number of tries")
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)  # room for the legend above the bars
    ax.legend(loc="upper left", fontsize=11, framealpha=1.0, edgecolor="none").set_zorder(5)
    ax.set_title(f"{len(gaps['cheat'])} tries", fontsize=14)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.9, wspace=0.25)
    alt = (f"Left: accuracy against k for one {result['num_test']}-point test set, jagged, and for "
           f"{result['num_fresh']:,} fresh points, smooth; the test set picks k = {k0}. Right: over "
           f"{len(gaps['cheat'])} tries, the reported minus the true accuracy averages "
           f"{gaps['cheat'].mean():+.1f} percentage points when the test set chooses k and "
           f"{gaps['honest'].mean():+.1f} when a separate validation set does.")
    return fig, alt

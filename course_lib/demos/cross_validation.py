"""Notebook 03's demos: choosing k, and why k-NN on raw pixels is a dead end.

Each demo is a plain compute/draw function (unit-tested with concrete values) plus, for the
cross-validation plot, a thin ipywidgets wrapper:

* :func:`make_toy_data`, :func:`knn_decision_grid`, :func:`draw_fit_regimes` — overfitting,
  a good fit and underfitting, drawn as k-NN decision regions on 2-D points;
* :func:`draw_cv_accuracy` — accuracy versus k, one dot per fold, mean ± standard deviation;
  :class:`CrossValidationExplorer` and :func:`cross_validation_widget` redraw it for another
  number of folds or k range in milliseconds (one cached distance matrix);
* :func:`prediction_times`, :func:`draw_prediction_times` — test time grows with N;
* :func:`shift_image`, :func:`occlude_image`, :func:`darken_image`,
  :func:`equal_distance_copies`, :func:`draw_equal_distance_copies` — different changes,
  the same L2 distance, and an unrelated image that is nearer;
* :func:`nearest_farthest_ratio`, :func:`draw_distance_concentration` — the curse of
  dimensionality.

Introduced in ``notebooks/03_cross_validation.ipynb``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from .._validation import (
    as_float_array,
    as_image,
    check_choice,
    check_int,
    check_labels,
    check_nonnegative_float,
    check_positive_float,
    check_seed,
)
from ..model_selection import _check_k_choices, _check_num_folds, k_fold_indices
from ..plots import CLASS_COLORS, class_cmap, figure_to_png, new_figure, show_figure

__all__ = [
    "K_GRID",
    "make_toy_data",
    "knn_decision_grid",
    "draw_fit_regimes",
    "tuning_on_test_set",
    "draw_fold_diagram",
    "cv_summary",
    "draw_cv_accuracy",
    "CrossValidationExplorer",
    "cross_validation_widget",
    "prediction_times",
    "draw_prediction_times",
    "shift_image",
    "occlude_image",
    "darken_image",
    "equal_distance_copies",
    "pick_equal_distance_example",
    "draw_equal_distance_copies",
    "nearest_farthest_ratio",
    "draw_distance_concentration",
]

#: The k values the widget offers inside the chosen range (roughly even on a log scale).
K_GRID = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)


# ----------------------------------------------------------------------------- fit regimes


def make_toy_data(num_per_class: int = 100, noise: float = 0.35, seed: int = 0):
    """Two interleaved half-moons in the plane: a small 2-D problem where k-NN can be seen.

    Parameters
    ----------
    num_per_class : int >= 1
        Points per class (N = 2 · num_per_class).
    noise : float >= 0
        Standard deviation of the Gaussian noise added to each coordinate (the moons have
        radius 1), so the classes overlap and a perfect training fit means memorising noise.
    seed : int >= 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    X : float64 array, shape (N, 2)
    y : int64 array, shape (N,), labels 0 and 1, shuffled.

    Raises
    ------
    TypeError, ValueError
        Bad ``num_per_class``, ``noise`` or ``seed``.

    Source: the "two moons" toy problem (as scikit-learn's ``make_moons``), written in numpy.
    Introduced in notebook 03_cross_validation.
    """
    num_per_class = check_int(num_per_class, "num_per_class", low=1)
    noise = check_nonnegative_float(noise, "noise")
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, np.pi, size=(2, num_per_class))
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1.0 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(2 * num_per_class, 2))
    y = np.repeat(np.arange(2, dtype=np.int64), num_per_class)
    order = rng.permutation(len(y))
    return X[order], y[order]


def knn_decision_grid(X_train, y_train, k, *, xlim, ylim, resolution: int = 120):
    """k-NN's prediction at every point of a regular grid over the plane.

    Parameters
    ----------
    X_train : array_like of float, shape (N, 2)
    y_train : array_like of int, shape (N,)
    k : int in [1, N]
    xlim, ylim : (float, float)
        The grid's extent.
    resolution : int >= 2
        Grid points per axis.

    Returns
    -------
    xx, yy : float64 arrays, shape (resolution, resolution), the grid coordinates
    labels : int64 array, shape (resolution, resolution), the predicted class at each point

    Raises
    ------
    TypeError, ValueError
        ``X_train`` not (N, 2), mismatched ``y_train``, ``k`` outside [1, N], bad limits.

    Source: lecture part 1 (k-NN); decision regions as in CS231n's notes.
    Introduced in notebook 03_cross_validation.
    """
    from ..distances import pairwise_distances
    from ..knn import predict_from_distances

    X_train = as_float_array(X_train, "X_train", ndim=2)
    if X_train.shape[1] != 2:
        raise ValueError(f"X_train must have shape (N, 2) (points in the plane), got {X_train.shape}")
    y_train = check_labels(y_train, "y_train", n=X_train.shape[0])
    k = check_int(k, "k", low=1, high=X_train.shape[0])
    resolution = check_int(resolution, "resolution", low=2)
    lims = []
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        lim = as_float_array(lim, name, ndim=1)
        if lim.shape != (2,) or not lim[0] < lim[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {tuple(lim)}")
        lims.append(lim)
    xs = np.linspace(lims[0][0], lims[0][1], resolution)
    ys = np.linspace(lims[1][0], lims[1][1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    labels = predict_from_distances(pairwise_distances(grid, X_train), y_train, k)
    return xx, yy, labels.reshape(xx.shape)


def draw_fit_regimes(axes, X_train, y_train, X_test, y_test, ks, *, resolution: int = 120) -> dict:
    """Draw k-NN's decision regions for several k, one panel per k, with both accuracies.

    Small k follows every training point (overfitting: perfect on the training set, worse
    on new points); very large k predicts nearly the same class everywhere (underfitting:
    poor on both); a moderate k sits in between.

    Parameters
    ----------
    axes : sequence of matplotlib Axes, one per k
    X_train, X_test : float arrays, shapes (N, 2) and (M, 2)
    y_train, y_test : int arrays, shapes (N,) and (M,), labels in [0, C) with C <= 10
    ks : sequence of int in [1, N]

    Returns
    -------
    dict mapping each k to ``(train_accuracy, test_accuracy)`` (floats in [0, 1]); the
    training accuracy uses the training set itself as the neighbours (so k = 1 scores 1.0
    when no two training points coincide).

    Raises
    ------
    ValueError
        ``len(axes) != len(ks)`` or the errors of :func:`knn_decision_grid`.

    Source: lecture part 1, "On hyperparameters and overfitting" (the overfitting / right
    fit / underfitting picture, here drawn with k-NN instead of curve fits).
    Introduced in notebook 03_cross_validation.
    """
    from ..distances import pairwise_distances
    from ..knn import predict_from_distances
    from ..metrics import accuracy

    ks = _check_k_choices(ks, "ks")
    axes = list(np.ravel(axes))
    if len(axes) != len(ks):
        raise ValueError(f"axes must hold one Axes per k: {len(ks)} needed, got {len(axes)}")
    X_train = as_float_array(X_train, "X_train", ndim=2)
    X_test = as_float_array(X_test, "X_test", ndim=2)
    y_train = check_labels(y_train, "y_train", n=X_train.shape[0])
    y_test = check_labels(y_test, "y_test", n=X_test.shape[0])
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    both = np.vstack([X_train, X_test])
    pad = 0.3
    xlim = (both[:, 0].min() - pad, both[:, 0].max() + pad)
    ylim = (both[:, 1].min() - pad, both[:, 1].max() + pad)
    d_train = pairwise_distances(X_train, X_train)
    d_test = pairwise_distances(X_test, X_train)
    cmap = class_cmap(num_classes)
    result = {}
    for ax, k in zip(axes, ks):
        xx, yy, labels = knn_decision_grid(X_train, y_train, k, xlim=xlim, ylim=ylim, resolution=resolution)
        ax.pcolormesh(xx, yy, labels, cmap=cmap, vmin=-0.5, vmax=num_classes - 0.5, alpha=0.25,
                      shading="auto", rasterized=True)
        ax.scatter(X_train[:, 0], X_train[:, 1], c=y_train, cmap=cmap, vmin=-0.5,
                   vmax=num_classes - 0.5, s=14, edgecolors="white", linewidths=0.4)
        train_acc = accuracy(y_train, predict_from_distances(d_train, y_train, k))
        test_acc = accuracy(y_test, predict_from_distances(d_test, y_train, k))
        result[k] = (train_acc, test_acc)
        ax.set_title(f"k = {k}\ntrain {train_acc:.0%}, test {test_acc:.0%}", fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
    return result


def tuning_on_test_set(k_values, *, num_train: int = 200, num_test: int = 40,
                      num_fresh: int = 5000, noise: float = 0.35, seed: int = 0) -> dict:
    """Why choosing k on the test set is cheating, measured on the toy problem.

    Draws a training set, a small test set and a large *fresh* set from the same
    distribution (:func:`make_toy_data`, independent seeds derived from ``seed``); picks
    the k with the best accuracy on the small test set (first of ties); reports that
    accuracy and the same k's accuracy on the fresh set, which estimates how the chosen
    model really does on new data. The first is optimistic: it was the maximum of many
    noisy measurements.

    Parameters
    ----------
    k_values : sequence of int in [1, num_train]
    num_train, num_test, num_fresh : int >= 2 (even numbers: half per class)
    noise : float >= 0 ; seed : int >= 0

    Returns
    -------
    dict with ``"k_values"`` (list), ``"test_accuracy"`` and ``"fresh_accuracy"`` (float64
    arrays, one entry per k), ``"chosen_k"``, ``"chosen_test_accuracy"``,
    ``"chosen_fresh_accuracy"``.

    Raises
    ------
    TypeError, ValueError
        A k outside [1, num_train]; bad sizes, ``noise`` or ``seed``.

    Source: lecture part 1, "On hyperparameters and overfitting" (keep the test set for
    the very end). Introduced in notebook 03_cross_validation.
    """
    from ..distances import pairwise_distances
    from ..model_selection import accuracies_from_distances

    k_values = _check_k_choices(k_values, "k_values")
    num_train = check_int(num_train, "num_train", low=2)
    num_test = check_int(num_test, "num_test", low=2)
    num_fresh = check_int(num_fresh, "num_fresh", low=2)
    seed = check_seed(seed)
    for i, k in enumerate(k_values):
        check_int(k, f"k_values[{i}]", low=1, high=num_train - num_train % 2)
    seeds = np.random.default_rng(seed).integers(0, 2**31, size=3)
    X_tr, y_tr = make_toy_data(num_train // 2, noise, int(seeds[0]))
    X_te, y_te = make_toy_data(num_test // 2, noise, int(seeds[1]))
    X_fr, y_fr = make_toy_data(num_fresh // 2, noise, int(seeds[2]))
    d_te = pairwise_distances(X_te, X_tr)
    d_fr = pairwise_distances(X_fr, X_tr)
    test_acc = accuracies_from_distances(d_te, y_tr, y_te, k_values)
    fresh_acc = accuracies_from_distances(d_fr, y_tr, y_fr, k_values)
    i = int(np.argmax(test_acc))
    return {
        "k_values": k_values,
        "test_accuracy": test_acc,
        "fresh_accuracy": fresh_acc,
        "chosen_k": k_values[i],
        "chosen_test_accuracy": float(test_acc[i]),
        "chosen_fresh_accuracy": float(fresh_acc[i]),
    }


def draw_fold_diagram(ax, n: int, num_folds: int) -> list:
    """Draw k-fold cross-validation as ``num_folds`` rows of ``n`` cells: row f marks fold f's
    samples as validation, the rest as training (contiguous folds, ``seed=None``).

    Returns the list of ``(train_idx, val_idx)`` pairs it drew. Raises the errors of
    :func:`course_lib.model_selection.k_fold_indices`.

    Source: lecture part 1 ("split the data into folds, and then try each fold as
    validation"); the fold figure of CS231n's notes. Introduced in notebook 03_cross_validation.
    """
    folds = list(k_fold_indices(n, num_folds))
    grid = np.zeros((num_folds, n))
    for f, (_, val_idx) in enumerate(folds):
        grid[f, val_idx] = 1
    cmap = plt.matplotlib.colors.ListedColormap([CLASS_COLORS[4], CLASS_COLORS[1]])
    ax.imshow(grid, cmap=cmap, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xticks(np.arange(-0.5, n, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, num_folds, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_yticks(range(num_folds))
    ax.set_yticklabels([f"round {f + 1}" for f in range(num_folds)])
    ax.set_xticks([])
    ax.set_xlabel(f"the {n} training samples (orange: validation fold, blue: trained on)")
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    return folds


# ----------------------------------------------------------------------------- CV plot


def cv_summary(k_choices, accuracies) -> dict:
    """Mean and standard deviation over folds for each k, and the best k.

    Parameters
    ----------
    k_choices : sequence of int >= 1, length K
    accuracies : float array, shape (K, num_folds), NaN where a k was skipped

    Returns
    -------
    dict with ``"means"`` and ``"stds"`` (float64 arrays (K,), NaN for a k skipped on
    every fold; the std is the population std over the evaluated folds, ``ddof=0``) and
    ``"best_k"``, ``"best_mean"`` (see :func:`course_lib.model_selection.best_k`).

    Raises
    ------
    TypeError, ValueError
        As :func:`course_lib.model_selection.best_k`.

    Source: lecture part 1 ("identify which is the k-value that works best").
    Introduced in notebook 03_cross_validation.
    """
    from ..model_selection import best_k

    k_choices = _check_k_choices(k_choices)
    acc = as_float_array(accuracies, "accuracies", ndim=2, finite=False)
    k, mean = best_k(k_choices, acc)
    evaluated = ~np.all(np.isnan(acc), axis=1)
    means = np.full(len(k_choices), np.nan)
    stds = np.full(len(k_choices), np.nan)
    means[evaluated] = np.nanmean(acc[evaluated], axis=1)
    stds[evaluated] = np.nanstd(acc[evaluated], axis=1)
    return {"means": means, "stds": stds, "best_k": k, "best_mean": mean}


def draw_cv_accuracy(ax, k_choices, accuracies, *, title: str | None = None) -> dict:
    """The cross-validation plot: accuracy versus k on a log axis, one dot per (k, fold),
    the mean over folds with ± one standard deviation as error bars, the best k marked.

    Parameters
    ----------
    ax : matplotlib Axes
    k_choices : sequence of int >= 1, length K
    accuracies : float array, shape (K, num_folds), as from ``cross_validate_knn``

    Returns
    -------
    The dict of :func:`cv_summary` (means, stds, best_k, best_mean).

    Raises
    ------
    TypeError, ValueError
        As :func:`cv_summary`.

    Source: lecture part 1 ("plot the accuracy for each of the k values tested"); the
    cross-validation plot of CS231n assignment 1. Introduced in notebook 03_cross_validation.
    """
    summary = cv_summary(k_choices, accuracies)
    ks = np.asarray(_check_k_choices(k_choices), dtype=float)
    acc = np.asarray(accuracies, dtype=float)
    num_folds = acc.shape[1]
    ax.scatter(np.repeat(ks, num_folds), acc.ravel(), s=14, color=CLASS_COLORS[4], alpha=0.8,
               label=f"one fold ({num_folds} per k)", zorder=2)
    ok = ~np.isnan(summary["means"])
    ax.errorbar(ks[ok], summary["means"][ok], yerr=summary["stds"][ok], color=CLASS_COLORS[0],
                marker="o", capsize=4, lw=1.8, label="mean ± std over folds", zorder=3)
    ax.axvline(summary["best_k"], color=CLASS_COLORS[5], ls="--", lw=1.2,
               label=f"best k = {summary['best_k']} (mean {summary['best_mean']:.3f})")
    ax.set_xscale("log")
    ax.set_xticks(ks)
    # on a log axis neighbouring k such as 10, 12, 15 crowd together: label a readable subset
    readable = {1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000}
    ax.set_xticklabels([f"{int(k)}" if int(k) in readable or len(ks) <= 5 else "" for k in ks])
    ax.minorticks_off()
    ax.set_xlabel("k (number of neighbours)")
    ax.set_ylabel("validation accuracy")
    ax.legend(loc="best", fontsize=10)
    if title is not None:
        ax.set_title(title)
    return summary


class CrossValidationExplorer:
    """Cross-validation of k-NN for any number of folds and k range, fast enough to redraw
    on every widget change.

    The full (N, N) distance matrix between all samples is computed once, lazily; every
    fold's (M, N - M) validation-by-training matrix is then a slice of it, so changing
    ``num_folds`` or the k values costs only the k-NN votes. For integer-valued data such
    as pixel values the slices are bit-identical to what ``cross_validate_knn`` computes,
    so both give the same accuracies.

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like of int, shape (N,)
    distance : {"l2", "l1"}

    Memory: N² float64 values (32 MB for N = 2,000).

    Raises
    ------
    TypeError, ValueError
        Bad ``X``, ``y`` or ``distance`` (here); bad ``k_choices``, ``num_folds`` or
        ``k_range`` (in the methods), e.g. a k range with no k that fits a fold.

    Source: lecture part 1 (cross-validation). Introduced in notebook 03_cross_validation.
    """

    def __init__(self, X, y, distance: str = "l2"):
        self.X = as_float_array(X, "X", ndim=2)
        self.y = check_labels(y, "y", n=self.X.shape[0])
        self.distance = check_choice(distance, "distance", ("l1", "l2"))
        self._dists = None
        self._grid_cache = {}  # num_folds -> accuracies of every k in K_GRID

    @property
    def dists(self) -> np.ndarray:
        """The cached (N, N) distance matrix (computed on first use)."""
        if self._dists is None:
            from ..distances import pairwise_distances

            self._dists = pairwise_distances(self.X, self.X, metric=self.distance)
        return self._dists

    def accuracies(self, k_choices, num_folds) -> np.ndarray:
        """Like ``cross_validate_knn(X, y, k_choices, num_folds, distance)`` (contiguous
        folds, ``seed=None``): float64 array of shape (len(k_choices), num_folds), NaN
        where k exceeds a fold's training part (silently here; the plot leaves it out)."""
        from ..model_selection import _accuracies

        k_choices = _check_k_choices(k_choices)
        num_folds = _check_num_folds(num_folds, self.X.shape[0])
        result = np.empty((len(k_choices), num_folds))
        for f, (train_idx, val_idx) in enumerate(k_fold_indices(self.X.shape[0], num_folds)):
            block = self.dists[np.ix_(val_idx, train_idx)]
            result[:, f], _ = _accuracies(block, self.y[train_idx], self.y[val_idx], k_choices)
        return result

    def draw(self, ax, num_folds, k_range) -> dict:
        """Draw the CV plot for ``num_folds`` and the :data:`K_GRID` values inside
        ``k_range = (k_min, k_max)`` (inclusive); return :func:`draw_cv_accuracy`'s dict
        with ``"k_choices"`` and ``"accuracies"`` added.

        Raises ``TypeError`` / ``ValueError`` for a ``k_range`` that is not a pair of
        integers ``1 <= k_min <= k_max``, a bad ``num_folds``, or no k that fits a fold."""
        if isinstance(k_range, (str, bytes)) or not hasattr(k_range, "__len__") or len(k_range) != 2:
            raise TypeError(
                f"k_range must be a pair (k_min, k_max) of integers, got {type(k_range).__name__} {k_range!r}"[:160]
            )
        k_min = check_int(k_range[0], "k_range[0]", low=1)
        k_max = check_int(k_range[1], "k_range[1]", low=k_min)
        ks = [k for k in K_GRID if k_min <= k <= k_max]
        if ks:
            # each k's accuracy is independent of the others: compute all of K_GRID once per
            # num_folds, so moving the k range only selects rows (a fast redraw)
            num_folds = _check_num_folds(num_folds, self.X.shape[0])
            if num_folds not in self._grid_cache:
                self._grid_cache[num_folds] = self.accuracies(list(K_GRID), num_folds)
            acc = self._grid_cache[num_folds][[K_GRID.index(k) for k in ks]]
        else:
            ks = [k_min]
            acc = self.accuracies(ks, num_folds)
        keep = ~np.all(np.isnan(acc), axis=1)
        if not keep.any():
            raise ValueError(
                f"k_range={tuple(k_range)}: every k is larger than a fold's training part "
                f"({self.X.shape[0] - -(-self.X.shape[0] // num_folds)} samples)"
            )
        ks = [k for k, kept in zip(ks, keep) if kept]
        summary = draw_cv_accuracy(
            ax, ks, acc[keep], title=f"{num_folds}-fold cross-validation, N = {self.X.shape[0]}"
        )
        summary.update(k_choices=ks, accuracies=acc[keep])
        return summary


_WIDGET_MARGINS = dict(left=0.1, right=0.97, bottom=0.14, top=0.9)


def cross_validation_widget(X, y, distance: str = "l2", max_samples: int | None = 2000):
    """Sliders for ``num_folds`` (2–10) and the k range, redrawing the CV plot.

    Parameters
    ----------
    X, y : the (training) data, shapes (N, D) and (N,)
    distance : {"l2", "l1"}
    max_samples : int or None
        Use only the first ``max_samples`` samples (keeps the cached N × N matrix small and
        every redraw interactive); None uses all.

    Returns
    -------
    ipywidgets.interactive (its ``.result`` is the last :meth:`CrossValidationExplorer.draw`
    dict). The distance matrix is computed once, before the first drawing.

    Raises
    ------
    TypeError, ValueError
        Bad ``X``, ``y``, ``distance`` or ``max_samples`` (< 4); fewer than 2 samples.

    Source: lecture part 1 (cross-validation). Introduced in notebook 03_cross_validation.
    """
    import ipywidgets as widgets

    X = as_float_array(X, "X", ndim=2)
    y = check_labels(y, "y", n=X.shape[0])
    if max_samples is not None:
        max_samples = check_int(max_samples, "max_samples", low=4)
        X, y = X[:max_samples], y[:max_samples]
    if X.shape[0] < 2:  # the num_folds slider starts at 2
        raise ValueError(f"X must hold at least 2 samples for cross-validation (num_folds >= 2), got {X.shape[0]}")
    explorer = CrossValidationExplorer(X, y, distance)
    _ = explorer.dists

    def show(num_folds, k_range):
        fig = new_figure((7.5, 4.0))
        result = explorer.draw(fig.add_subplot(), num_folds, k_range)
        fig.subplots_adjust(**_WIDGET_MARGINS)  # fixed margins: no extra layout pass
        show_figure(fig)
        return result

    high = max(k for k in K_GRID if k <= max(1, X.shape[0] // 2))
    return widgets.interactive(
        show,
        num_folds=widgets.IntSlider(value=5, min=2, max=min(10, X.shape[0]), description="num_folds",
                                    continuous_update=False),
        k_range=widgets.IntRangeSlider(value=(1, min(100, high)), min=1, max=high, description="k range",
                                       continuous_update=False),
    )


# ----------------------------------------------------------------------------- test time


def prediction_times(X_train, y_train, X_test, sizes, *, k: int = 1, repeats: int = 3):
    """Measure k-NN's training and prediction time for growing training sets.

    For each N in ``sizes`` the classifier is fitted on the first N training samples and
    asked to predict all of ``X_test``; each is timed ``repeats`` times with
    ``time.perf_counter`` and the fastest run is kept (the least disturbed by other work).

    Parameters
    ----------
    X_train : array, shape (N_max, D) ; y_train : int array, shape (N_max,)
    X_test : array, shape (M, D)
    sizes : sequence of int in [k, N_max]
    k : int >= 1 ; repeats : int >= 1

    Returns
    -------
    dict with ``"sizes"`` (int64 (S,)), ``"fit_seconds"`` and ``"predict_seconds"``
    (float64 (S,), wall-clock seconds — they vary from run to run and machine to machine).

    Raises
    ------
    TypeError, ValueError
        Bad arrays, ``k``, ``repeats``, or a size outside ``[k, N_max]``.

    Source: lecture part 1, "Why k-NN is never used with images: slow at test time".
    Introduced in notebook 03_cross_validation.
    """
    from ..knn import KNearestNeighbor

    X_train = as_float_array(X_train, "X_train", ndim=2)
    y_train = check_labels(y_train, "y_train", n=X_train.shape[0])
    X_test = as_float_array(X_test, "X_test", ndim=2)
    k = check_int(k, "k", low=1)
    repeats = check_int(repeats, "repeats", low=1)
    sizes = np.asarray(
        [check_int(n, f"sizes[{i}]", low=k, high=X_train.shape[0]) for i, n in enumerate(_check_k_choices(sizes, "sizes"))],
        dtype=np.int64,
    )
    fit_s, pred_s = [], []
    for n in sizes:
        best_fit = best_pred = np.inf
        for _ in range(repeats):
            model = KNearestNeighbor()
            t0 = time.perf_counter()
            model.fit(X_train[:n], y_train[:n])
            t1 = time.perf_counter()
            model.predict(X_test, k=k)
            t2 = time.perf_counter()
            best_fit, best_pred = min(best_fit, t1 - t0), min(best_pred, t2 - t1)
        fit_s.append(best_fit)
        pred_s.append(best_pred)
    return {"sizes": sizes, "fit_seconds": np.array(fit_s), "predict_seconds": np.array(pred_s)}


def _check_timings(timings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three arrays of a :func:`prediction_times` dict, checked: sizes (float64, > 0),
    fit and predict seconds (float64, >= 0), all 1-D of the same non-zero length."""
    keys = ("sizes", "fit_seconds", "predict_seconds")
    if not isinstance(timings, Mapping):
        raise TypeError(
            "timings must be the dict returned by prediction_times (entries 'sizes', "
            f"'fit_seconds', 'predict_seconds'), got {type(timings).__name__}"
        )
    missing = [key for key in keys if key not in timings]
    if missing:
        raise ValueError(
            "timings must have the entries 'sizes', 'fit_seconds' and 'predict_seconds' (the "
            f"dict returned by prediction_times); missing {', '.join(map(repr, missing))}"
        )
    sizes, fit, pred = (as_float_array(timings[key], f"timings[{key!r}]", ndim=1) for key in keys)
    if not len(sizes) == len(fit) == len(pred):
        raise ValueError(
            "timings must hold one entry per training-set size: 'sizes', 'fit_seconds' and "
            f"'predict_seconds' must have the same length, got {len(sizes)}, {len(fit)} and "
            f"{len(pred)}"
        )
    if np.any(sizes <= 0):
        raise ValueError(f"timings['sizes'] must hold training-set sizes >= 1, found {sizes.min():g}")
    for key, values in (("fit_seconds", fit), ("predict_seconds", pred)):
        if np.any(values < 0):
            raise ValueError(f"timings[{key!r}] must hold durations >= 0, found {values.min():g}")
    return sizes, fit, pred


def draw_prediction_times(ax, timings: dict, num_test: int) -> None:
    """Plot prediction and training time (milliseconds) against the training-set size N,
    with the straight line through the origin that best fits the prediction times.

    Parameters
    ----------
    ax : matplotlib Axes
    timings : dict
        As returned by :func:`prediction_times`: ``"sizes"`` (S,) training-set sizes ≥ 1,
        ``"fit_seconds"`` and ``"predict_seconds"`` (S,) durations in seconds ≥ 0.
    num_test : int >= 1
        M, the number of test samples that were predicted (for the label).

    Draws only; prints and returns nothing (so the cell's text output is stable).

    Raises
    ------
    TypeError
        ``timings`` is not a dict (mapping) or holds non-numbers; ``num_test`` not an integer.
    ValueError
        ``timings`` lacks one of its three entries, they are not 1-D of the same non-zero
        length, a size is < 1, a duration negative or not finite; ``num_test`` < 1.

    Source: lecture part 1 ("slow at test time"). Introduced in notebook 03_cross_validation.
    """
    sizes, fit, pred = _check_timings(timings)
    num_test = check_int(num_test, "num_test", low=1)
    pred = 1e3 * pred
    fit = 1e3 * fit
    slope = float(sizes @ pred / (sizes @ sizes))
    ax.plot(sizes, pred, "o-", color=CLASS_COLORS[0], label=f"predict {num_test} test images")
    ax.plot(sizes, slope * sizes, ":", color="grey", label="proportional to N")
    ax.plot(sizes, fit, "s-", color=CLASS_COLORS[1], label="train (fit)")
    ax.set_xlabel("training-set size N")
    ax.set_ylabel("time (ms)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=10)


# ----------------------------------------------------------------------------- pixel distances


def _as_float_image(image, name="image") -> np.ndarray:
    return np.asarray(as_image(image, name), dtype=np.float64)


def shift_image(image, dx: int, dy: int = 0) -> np.ndarray:
    """Move an image ``dx`` pixels right and ``dy`` pixels down; the uncovered border
    repeats the nearest edge pixel (so no artificial black band appears).

    Parameters
    ----------
    image : array (H, W) or (H, W, 3), any real dtype (converted to float64)
    dx, dy : int, |dx| < W and |dy| < H

    Returns
    -------
    float64 array of the same shape, values in the input's range.

    Raises
    ------
    TypeError, ValueError
        Not an image, or a non-integer / too large shift.

    Source: lecture part 1, "distance metrics on pixels are not informative" (the shifted
    copy). Introduced in notebook 03_cross_validation.
    """
    img = _as_float_image(image)
    H, W = img.shape[:2]
    dx = check_int(dx, "dx", low=-(W - 1), high=W - 1)
    dy = check_int(dy, "dy", low=-(H - 1), high=H - 1)
    rows = np.clip(np.arange(H) - dy, 0, H - 1)
    cols = np.clip(np.arange(W) - dx, 0, W - 1)
    return img[rows][:, cols]


def occlude_image(image, alpha: float, size: int, fill: float = 128.0) -> np.ndarray:
    """Cover a centred ``size`` × ``size`` square with a flat ``fill`` colour, blended in with
    opacity ``alpha`` (0 = untouched, 1 = fully covered).

    The L2 distance to the original is ``alpha`` times that of the fully covered image,
    which is what lets :func:`equal_distance_copies` hit a target distance exactly.

    Parameters
    ----------
    image : array (H, W) or (H, W, 3) ; alpha : float in [0, 1]
    size : int in [1, min(H, W)] ; fill : float, pixel value 0–255 of the patch

    Returns
    -------
    float64 array of the same shape.

    Raises
    ------
    TypeError, ValueError
        Not an image; ``alpha`` outside [0, 1]; ``size`` outside [1, min(H, W)];
        negative ``fill``.

    Source: lecture part 1, "distance metrics on pixels are not informative" (the occluded
    copy). Introduced in notebook 03_cross_validation.
    """
    img = _as_float_image(image)
    alpha = check_nonnegative_float(alpha, "alpha")
    if alpha > 1:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    H, W = img.shape[:2]
    size = check_int(size, "size", low=1, high=min(H, W))
    fill = check_nonnegative_float(fill, "fill")
    top, left = (H - size) // 2, (W - size) // 2
    out = img.copy()
    patch = out[top:top + size, left:left + size]
    out[top:top + size, left:left + size] = (1 - alpha) * patch + alpha * fill
    return out


def darken_image(image, amount: float) -> np.ndarray:
    """Scale every pixel value by ``1 - amount`` (0 = unchanged, 1 = black).

    The L2 distance to the original is ``amount`` times the image's L2 norm.

    Returns a float64 array of the same shape. Raises ``ValueError`` unless
    ``0 <= amount <= 1``, and the errors of :func:`shift_image` for a non-image.

    Source: lecture part 1, "distance metrics on pixels are not informative" (the darkened
    copy). Introduced in notebook 03_cross_validation.
    """
    img = _as_float_image(image)
    amount = check_nonnegative_float(amount, "amount")
    if amount > 1:
        raise ValueError(f"amount must be in [0, 1], got {amount}")
    return img * (1.0 - amount)


def _l2(a, b) -> float:
    return float(np.sqrt(np.sum((np.asarray(a, float) - np.asarray(b, float)) ** 2)))


#: Fill values tried for the occluding square: black, mid-grey, white.
OCCLUSION_FILLS = (0.0, 128.0, 255.0)


def _tuned_copies(original: np.ndarray, shift: int, index: int) -> dict:
    """Shifted copy, and occluded / darkened copies tuned to the shift's L2 distance."""
    H, W = original.shape[:2]
    shifted = shift_image(original, shift, shift)
    target = _l2(shifted, original)
    norm = float(np.sqrt(np.sum(original ** 2)))
    if not 0 < target <= norm:
        raise ValueError(
            f"image {index}: the shift's distance {target:.1f} is zero or exceeds the image's "
            f"norm {norm:.1f}, so no darkening reaches it; try a smaller shift or another image"
        )
    amount = target / norm
    # The square should stand out from the image's surroundings: try the fills farthest
    # from the median border value first; keep the smallest square that reaches the target.
    border = np.concatenate([original[0].ravel(), original[-1].ravel(),
                             original[:, 0].ravel(), original[:, -1].ravel()])
    fills = sorted(OCCLUSION_FILLS, key=lambda v: -abs(v - float(np.median(border))))
    choice = None
    for fill in fills:
        for size in range(1, min(H, W) + 1):
            full = _l2(occlude_image(original, 1.0, size, fill), original)
            if full >= target:
                choice = (size, fill, full)
                break
        if choice is not None:
            break
    if choice is None:
        raise ValueError(
            f"image {index}: even a fully covered {min(H, W)}-pixel square stays nearer than "
            f"{target:.1f}; try a smaller shift or another image"
        )
    size, fill, full = choice
    alpha = target / full
    occluded = occlude_image(original, alpha, size, fill)
    darkened = darken_image(original, amount)
    return {
        "original": original,
        "shifted": shifted,
        "occluded": occluded,
        "darkened": darkened,
        "shift": shift,
        "target": target,
        "distances": {name: _l2(img, original) for name, img in
                      (("shifted", shifted), ("occluded", occluded), ("darkened", darkened))},
        "occlusion_size": size,
        "occlusion_fill": fill,
        "occlusion_alpha": alpha,
        "darken_amount": amount,
    }


def _check_stack(images, labels):
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[3] != 3):
        raise ValueError(f"images must be a stack (N, H, W) or (N, H, W, 3), got shape {images.shape}")
    as_float_array(images[:1], "images")
    labels = check_labels(labels, "labels", n=images.shape[0])
    return images, labels


def equal_distance_copies(images, labels, index: int, *, shift: int = 1) -> dict:
    """Three changed copies of ``images[index]`` at the *same* L2 distance from it, and the
    nearest image of another class.

    The shifted copy (``shift`` pixels right and down, edges repeated) sets the target
    distance; the occluded copy (the smallest centred square that can reach the target,
    black, grey or white, whichever stands out most from the image's border, blended in) and the darkened copy are tuned to it exactly (both
    distances are linear in their parameter, so no search is needed).

    Parameters
    ----------
    images : array (N, H, W) or (N, H, W, 3), pixel values 0–255
    labels : int array (N,)
    index : int in [0, N), the image to change
    shift : int >= 1

    Returns
    -------
    dict with ``"original"``, ``"shifted"``, ``"occluded"``, ``"darkened"`` (float64 images),
    ``"target"`` (the common distance), ``"distances"`` (dict name -> L2 distance of each
    copy, all equal to ``target`` up to rounding), ``"shift"``, ``"occlusion_size"``,
    ``"occlusion_fill"``, ``"occlusion_alpha"``, ``"darken_amount"``, ``"index"``,
    ``"unrelated_index"`` (the nearest image with another label) and
    ``"unrelated_distance"`` (its L2 distance to the original; it may or may not be below
    ``target`` — :func:`pick_equal_distance_example` finds an image where it is).

    Raises
    ------
    ValueError
        The target cannot be reached by darkening (the image's norm is smaller than the
        shift's distance) or by any fully covered square; no image of another class.

    Source: lecture part 1, "distance metrics on pixels are not informative" (after
    CS231n's notes, which show such copies). Introduced in notebook 03_cross_validation.
    """
    images, labels = _check_stack(images, labels)
    index = check_int(index, "index", low=0, high=images.shape[0] - 1)
    original = _as_float_image(images[index], "images[index]")
    shift = check_int(shift, "shift", low=1, high=min(original.shape[:2]) - 1)
    result = _tuned_copies(original, shift, index)
    other = np.flatnonzero(labels != labels[index])
    if other.size == 0:
        raise ValueError("labels: every image has the same label, so there is no unrelated image")
    flat = images[other].reshape(other.size, -1).astype(np.float64)
    d = np.sqrt(np.sum((flat - original.ravel()) ** 2, axis=1))
    j = int(np.argmin(d))
    result.update(index=index, unrelated_index=int(other[j]), unrelated_distance=float(d[j]))
    return result


def pick_equal_distance_example(images, labels, *, shifts=(1, 2, 3), num_candidates: int = 60) -> dict:
    """Find an image for :func:`equal_distance_copies` whose nearest image of *another*
    class is nearer (L2) than its own slightly shifted copy.

    Tries the smallest shift first; among the first ``num_candidates`` images that work
    with it, returns the one with the smallest darkening (the most legible copies).

    Returns
    -------
    The dict of :func:`equal_distance_copies` for the chosen image and shift.

    Raises
    ------
    ValueError
        No candidate works for any of ``shifts`` (and the errors of
        :func:`equal_distance_copies` for bad arguments).

    Source: lecture part 1, "distance metrics on pixels are not informative".
    Introduced in notebook 03_cross_validation.
    """
    from ..distances import pairwise_distances

    images, labels = _check_stack(images, labels)
    shifts = _check_k_choices(shifts, "shifts")
    num_candidates = check_int(num_candidates, "num_candidates", low=1)
    cands = np.arange(min(num_candidates, images.shape[0]))
    flat = images.reshape(images.shape[0], -1)
    d = pairwise_distances(flat[cands], flat)
    d[labels[cands][:, None] == labels[None, :]] = np.inf
    nearest_other = d.min(axis=1)
    for shift in shifts:
        best = None
        for i in cands:
            try:
                r = _tuned_copies(_as_float_image(images[i]), shift, int(i))
            except ValueError:
                continue
            if nearest_other[i] < r["target"] and (best is None or r["darken_amount"] < best["darken_amount"]):
                best = r
                best.update(index=int(i), unrelated_index=int(np.argmin(d[i])),
                            unrelated_distance=float(nearest_other[i]))
        if best is not None:
            return best
    raise ValueError(
        f"none of the first {len(cands)} images has an image of another class nearer than its "
        f"shifted copy for shifts {shifts}; try more candidates or larger shifts"
    )


def _show_fixed_range(ax, image, title):
    img = np.asarray(image, dtype=np.float64)
    if img.ndim == 2:
        ax.imshow(img, cmap="gray", vmin=0, vmax=255)
    else:
        ax.imshow(np.clip(img / 255.0, 0, 1))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=11)


def draw_equal_distance_copies(axes, result: dict, images, class_names, labels) -> None:
    """Draw original, shifted, occluded, darkened and the unrelated neighbour in five axes,
    each titled with its L2 distance to the original (fixed 0–255 display range, so the
    darkening is visible). ``result`` is :func:`equal_distance_copies`' dict. Draws only.

    Raises ``ValueError`` unless ``axes`` holds 5 Axes.

    Source: lecture part 1, "distance metrics on pixels are not informative".
    Introduced in notebook 03_cross_validation.
    """
    axes = list(np.ravel(axes))
    if len(axes) != 5:
        raise ValueError(f"axes must hold 5 Axes, got {len(axes)}")
    labels = np.asarray(labels)
    j = result["unrelated_index"]
    panels = [
        (result["original"], "original"),
        (result["shifted"], f"shifted\nL2 = {result['distances']['shifted']:.0f}"),
        (result["occluded"], f"occluded\nL2 = {result['distances']['occluded']:.0f}"),
        (result["darkened"], f"darkened\nL2 = {result['distances']['darkened']:.0f}"),
        (images[j], f"another class: {class_names[labels[j]]}\nL2 = {result['unrelated_distance']:.0f}"),
    ]
    for ax, (img, title) in zip(axes, panels):
        _show_fixed_range(ax, img, title)


# ----------------------------------------------------------------------------- dimensionality


def nearest_farthest_ratio(dims, *, num_points: int = 300, seed: int = 0) -> np.ndarray:
    """How distinguishable are "near" and "far" among random points as the dimension grows?

    For each D in ``dims``: draw ``num_points`` points uniformly in the unit cube [0, 1]^D;
    for every point, divide the distance (L2) to its nearest other point by the distance to
    its farthest; average over the points. Near 0: the nearest neighbour is much nearer than
    the rest. Near 1: every point is about equally far from every other, and "nearest
    neighbour" stops meaning much.

    Parameters
    ----------
    dims : sequence of int >= 1
    num_points : int >= 3
    seed : int >= 0

    Returns
    -------
    float64 array, shape (len(dims),), each in (0, 1].

    Raises
    ------
    TypeError, ValueError
        A dimension < 1, ``num_points < 3``, a bad ``seed``.

    Source: the curse of dimensionality (Beyer et al., "When is nearest neighbor
    meaningful?", ICDT 1999); lecture part 1, "Why k-NN is never used with images".
    Introduced in notebook 03_cross_validation.
    """
    from ..distances import pairwise_distances

    dims = _check_k_choices(dims, "dims")
    num_points = check_int(num_points, "num_points", low=3)
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    ratios = []
    for D in dims:
        P = rng.random((num_points, D))
        d = pairwise_distances(P, P)
        np.fill_diagonal(d, np.inf)
        nearest = d.min(axis=1)
        np.fill_diagonal(d, -np.inf)
        farthest = d.max(axis=1)
        ratios.append(float(np.mean(nearest / farthest)))
    return np.array(ratios)


def draw_distance_concentration(ax, dims, ratios, *, mark: dict | None = None) -> None:
    """Plot the nearest/farthest ratio against the dimension D (log axis); ``mark`` maps a
    label to a dimension to highlight with a vertical line (e.g. ``{"MNIST": 784}``).

    Parameters
    ----------
    ax : matplotlib Axes
    dims : sequence of numbers > 0, shape (S,)
        The dimensions D (as given to :func:`nearest_farthest_ratio`).
    ratios : sequence of float, shape (S,)
        The ratios it returned, one per dimension.
    mark : dict mapping str to a number > 0, optional

    Draws only; returns nothing.

    Raises
    ------
    TypeError
        Non-numeric ``dims``/``ratios``; ``mark`` not a dict.
    ValueError
        ``dims`` or ``ratios`` not 1-D, empty or not finite; different lengths; a dimension
        (in ``dims`` or ``mark``) ≤ 0 (it could not be drawn on the log axis).

    Source: the curse of dimensionality (lecture part 1). Introduced in notebook
    03_cross_validation.
    """
    dims = as_float_array(dims, "dims", ndim=1)
    ratios = as_float_array(ratios, "ratios", ndim=1)
    if dims.shape != ratios.shape:
        raise ValueError(
            f"dims and ratios must have the same length (one ratio per dimension), got "
            f"{dims.size} and {ratios.size}"
        )
    if np.any(dims <= 0):
        raise ValueError(f"dims must hold dimensions > 0 (log axis), found {dims.min():g}")
    if mark is None:
        mark = {}
    if not isinstance(mark, Mapping):
        raise TypeError(f"mark must be a dict mapping labels to dimensions, got {type(mark).__name__}")
    for label, D in mark.items():
        check_positive_float(D, f"mark[{label!r}]")
    ax.plot(dims, ratios, "o-", color=CLASS_COLORS[0])
    for i, (label, D) in enumerate(mark.items()):
        color = (CLASS_COLORS[5], CLASS_COLORS[3], CLASS_COLORS[2], CLASS_COLORS[7])[i % 4]
        ax.axvline(D, color=color, ls="--", lw=1.2, label=f"{label}: D = {D:,}")
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    ax.set_xlabel("dimension D (numbers per point)")
    ax.set_ylabel("nearest / farthest distance")
    if mark:
        ax.legend(loc="lower right", fontsize=10)


@functools.lru_cache(maxsize=1)
def _benchmark_explorer():
    from ..datasets import load_dataset
    from ..images import flatten

    data = load_dataset("mnist", num_train=2000, num_test=10)
    explorer = CrossValidationExplorer(flatten(data.X_train), data.y_train)
    _ = explorer.dists  # the widget computes the distance matrix once, before its first drawing
    return explorer


def _benchmark_redraw(num_folds, k_range):
    fig = new_figure((7.5, 4.0))
    _benchmark_explorer().draw(fig.add_subplot(), num_folds, k_range)
    fig.subplots_adjust(**_WIDGET_MARGINS)
    return figure_to_png(fig)


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: one redraw of the demo
#: on 2,000 MNIST images (the distance matrix and, per num_folds, the accuracies of every k
#: are cached by the warm-up call, as after the first visit of a setting in the widget).
BENCHMARK_CASES = [
    (
        "03 cross-validation plot redraw (one-pass PNG)",
        lambda **kw: _benchmark_redraw(**kw),
        [dict(num_folds=5, k_range=(1, 100)), dict(num_folds=10, k_range=(1, 100))],
    ),
]

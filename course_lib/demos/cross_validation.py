"""Notebook 03's cross-validation pictures: the fold diagram, validation accuracy against k (one dot
per fold, mean ± std, the best k ringed), and a widget that redraws that plot for another number of
folds or k range in milliseconds.

Drawing functions return ``(fig, alt)``: the figure and its computed alt text, for
``plots.show_figure(fig, alt)``; they never display anything themselves.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedFormatter, FixedLocator, MaxNLocator, NullLocator, PercentFormatter

from ..checks import check_array, check_int, check_labels, check_num_classes, check_X_y
from ..cross_validation import best_k, fold_sizes, k_fold_indices
from ..plots import CLASS_COLORS, new_figure, show_figure

__all__ = ["K_CHOICES", "K_GRID", "draw_fold_diagram", "knn_predictions", "knn_accuracies", "cv_summary", "describe_cv",
           "draw_cv_accuracy", "CrossValidationExplorer", "draw_cv_explorer", "cross_validation_widget"]

#: The k values the notebook cross-validates (CS231n assignment 1's list).
K_CHOICES = (1, 3, 5, 8, 10, 12, 15, 20, 50, 100)

#: The k values the widget offers inside its k range (roughly even on a log axis).
K_GRID = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)

_TRAIN_COLOR, _VAL_COLOR, _BEST_COLOR = CLASS_COLORS[4], CLASS_COLORS[1], CLASS_COLORS[5]


def _check_ks(k_choices, name="k_choices") -> list[int]:
    if isinstance(k_choices, (str, bytes, dict)) or not hasattr(k_choices, "__len__") or len(k_choices) == 0:
        raise TypeError(f"{name} must be a non-empty sequence of integers ≥ 1, got {k_choices!r}"[:120])
    return [check_int(k, f"{name}[{i}]", low=1) for i, k in enumerate(k_choices)]


def draw_fold_diagram(num_samples=22, num_folds=5):
    """k-fold cross-validation as a grid: one row per round, one cell per sample; the round's
    validation fold hatched orange, its training part blue (contiguous folds, k_fold_indices).

    num_samples int in [2, 60], num_folds int in [2, num_samples]. Returns (fig, alt).
    Raises TypeError / ValueError for other values. Notebook 03.
    """
    num_samples = check_int(num_samples, "num_samples", low=2, high=60)
    folds = k_fold_indices(num_samples, num_folds)
    fig = new_figure((9.0, 0.55 * len(folds) + 1.6))
    ax = fig.add_subplot()
    for row, (_, val_idx) in enumerate(folds):
        for i in range(num_samples):
            is_val = i in val_idx
            ax.add_patch(Rectangle((i, row), 1, 1, facecolor=_VAL_COLOR if is_val else _TRAIN_COLOR,
                                   hatch="//" if is_val else None, edgecolor="white", lw=1.5))
        ax.text(num_samples + 0.4, row + 0.5, f"validate on {len(val_idx)}", va="center", fontsize=12)
    ax.set_xlim(0, num_samples)
    ax.set_ylim(len(folds), 0)
    ax.set_yticks(np.arange(len(folds)) + 0.5, [f"round {r + 1}" for r in range(len(folds))])
    ax.set_xticks([0.5, num_samples - 0.5], ["sample 0", f"sample {num_samples - 1}"])
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.legend(handles=[Patch(facecolor=_VAL_COLOR, hatch="//", edgecolor="white", label="validation fold"),
                       Patch(facecolor=_TRAIN_COLOR, label="training part")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.subplots_adjust(left=0.11, right=0.82, top=1 - 0.75 / fig.get_figheight(), bottom=0.5 / fig.get_figheight())
    sizes = ", ".join(str(s) for s in fold_sizes(num_samples, num_folds))
    alt = (f"{num_folds}-fold cross-validation of {num_samples} samples drawn as {num_folds} rows of "
           f"{num_samples} cells: in round r the r-th contiguous block of samples is the validation fold "
           f"(sizes {sizes}) and all other samples form the training part; every sample is validated "
           "exactly once.")
    return fig, alt


def knn_predictions(dists, y_train, k_choices) -> np.ndarray:
    """k-NN's predictions for every k in k_choices from one distance matrix, all k at once.

    dists (M, N) real; y_train (N,) int labels; k_choices ints in [1, N]. The neighbours come
    from one stable argsort and the votes from cumulative class counts, so column i equals
    predict_labels(dists, y_train, k_choices[i]) (same ties: lower training index, then the
    smaller label). Returns (M, len(k_choices)) int64. Raises TypeError / ValueError for bad
    arguments. Notebook 03 (the fast path of the demos).
    """
    dists = check_array(dists, "dists", ndim=2)
    y_train = check_labels(y_train, "y_train", num_samples=dists.shape[1], samples_name="dists' columns")
    ks = np.array([check_int(k, "k", low=1, high=dists.shape[1]) for k in _check_ks(k_choices)])
    order = np.argsort(dists, axis=1, kind="stable")[:, :ks.max()]
    votes = np.cumsum(y_train[order][:, :, None] == np.arange(check_num_classes(y_train, "y_train")), axis=1)
    return votes[:, ks - 1].argmax(axis=2)  # (M, K); argmax picks the smallest label on ties


def knn_accuracies(dists, y_train, y_true, k_choices) -> np.ndarray:
    """Accuracy of k-NN for every k in k_choices: entry i equals
    accuracy(y_true, predict_labels(dists, y_train, k_choices[i])). y_true (M,) int labels; the
    rest as knn_predictions. Returns (len(k_choices),) float64. Notebook 03."""
    predictions = knn_predictions(dists, y_train, k_choices)
    y_true = check_labels(y_true, "y_true", num_samples=len(predictions), samples_name="dists' rows")
    return np.mean(predictions == y_true[:, None], axis=0)


def cv_summary(k_choices, accuracies) -> dict:
    """Per k the mean and standard deviation (ddof=0) over the folds, and the best k (core best_k).

    k_choices: K ints ≥ 1; accuracies (K, num_folds). Returns dict(means (K,), stds (K,),
    best_k int, best_mean float). Raises as cross_validation.best_k. Notebook 03.
    """
    k, mean = best_k(k_choices, accuracies)
    acc = check_array(accuracies, "accuracies", ndim=2)
    return {"means": acc.mean(axis=1), "stds": acc.std(axis=1), "best_k": k, "best_mean": mean}


def describe_cv(k_choices, accuracies) -> str:
    """Three computed sentences about a cross-validation result: the best k with mean ± std; k = 1
    and the largest k for comparison; which k lie within one standard deviation of the best mean.
    Arguments as cv_summary. Notebook 03."""
    ks = _check_ks(k_choices)
    s = cv_summary(ks, accuracies)
    i_best = ks.index(s["best_k"])
    close = [k for k, m in zip(ks, s["means"]) if m >= s["best_mean"] - s["stds"][i_best]]
    lines = [f"best k = {s['best_k']}: mean validation accuracy {s['best_mean']:.1%} ± {s['stds'][i_best]:.1%} "
             f"(std over {np.shape(accuracies)[1]} folds)"]
    others = [(k, s["means"][ks.index(k)]) for k in sorted({min(ks), max(ks)}) if k != s["best_k"]]
    if others:
        lines.append("for comparison: " + ", ".join(f"k = {k}: {m:.1%}" for k, m in others))
    lines.append(f"{len(close)} of the {len(ks)} values of k have a mean within one std of the best: "
                 + ", ".join(map(str, close)))
    return "\n".join(lines)


def _readable_ticks(ks, best) -> set[int]:
    """The k to label on a log axis: the best k, then round values, then the rest, each only if no
    labelled k is too near (10, 12 and 15 would overlap): 0.05 decades per digit + 0.02."""
    round_values = {1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000}
    labelled = set()
    for k in sorted(set(ks), key=lambda k: (k != best, k not in round_values, k)):
        if all(abs(np.log10(k / other)) >= 0.05 * len(str(max(k, other))) + 0.02 for other in labelled):
            labelled.add(k)
    return labelled


def draw_cv_accuracy(k_choices, accuracies, *, title=None, figsize=(9.5, 4.2)):
    """Validation accuracy against k (log axis): one dot per fold, mean ± std per k, the best k
    ringed (a hollow ring, so no fold's dot is hidden; the legend sits outside the axes).

    k_choices: K distinct ints ≥ 1; accuracies (K, num_folds) in [0, 1]; title: str or None.
    Returns (fig, alt). Raises as cv_summary. Notebook 03.
    """
    ks = _check_ks(k_choices)
    s = cv_summary(ks, accuracies)
    acc = np.asarray(accuracies, dtype=float)
    num_folds = acc.shape[1]
    fig = new_figure(figsize)
    ax = fig.add_subplot()
    x = np.array(ks, dtype=float)
    ax.scatter(np.repeat(x, num_folds), acc.ravel(), s=22, color=_TRAIN_COLOR, alpha=0.75, zorder=3.5,
               label=f"one fold ({num_folds} per k)")
    ax.errorbar(x, s["means"], yerr=s["stds"], color=CLASS_COLORS[0], marker="o", markersize=5,
                capsize=4, lw=1.8, zorder=3, label="mean ± std\nover the folds")
    ax.plot([s["best_k"]], [s["best_mean"]], "o", markersize=19, markerfacecolor="none",
            markeredgecolor=_BEST_COLOR, markeredgewidth=2.5, zorder=4,
            label=f"best k = {s['best_k']}\n(mean {s['best_mean']:.1%})")
    ax.set_xscale("log")
    ax.set_xlim(x.min() / 1.35, x.max() * 1.35)  # room left of k = 1 and right of the largest k
    labelled = sorted(_readable_ticks(ks, s["best_k"]))
    ax.xaxis.set_major_locator(FixedLocator(labelled))
    ax.xaxis.set_major_formatter(FixedFormatter([str(k) for k in labelled]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 5, 10]))  # whole per cents
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("k (number of neighbours that vote)")
    ax.set_ylabel("validation accuracy")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False, labelspacing=1.0)
    if title:
        ax.set_title(title)
    fig.subplots_adjust(left=0.1, right=0.74, bottom=0.14, top=0.9 if title else 0.95)
    i_best = ks.index(s["best_k"])
    alt = (f"Validation accuracy against k on a log axis, {num_folds}-fold cross-validation, k from {min(ks)} "
           f"to {max(ks)}: one dot per fold and the mean ± one standard deviation per k. The best mean, "
           f"ringed, is k = {s['best_k']} at {s['best_mean']:.1%} (± {s['stds'][i_best]:.1%}); the means "
           f"range from {s['means'].min():.1%} to {s['means'].max():.1%}.")
    return fig, alt


class CrossValidationExplorer:
    """Cross-validation of k-NN (L2) for any number of folds, fast enough for a slider.

    X (N, D) real, y (N,) int labels; only the first max_samples rows are used (int ≥ 4). Once,
    at the start: the squared L2 distances between all used rows (one Gram matrix X·Xᵀ) and every
    row's stable argsort. A fold's neighbours are then a row's order with the validation fold
    left out (same order and ties as sorting the fold's block), and all k in K_GRID vote at once
    (cumulative class counts); the accuracies are cached per num_folds. For integer-valued X
    (pixels) they equal cross_validate_knn's exactly. Memory: N² int64 kept (32 MB for N = 2,000),
    twice that while it is built.
    Raises TypeError / ValueError. Notebook 03.
    """

    def __init__(self, X, y, max_samples=2000):
        max_samples = check_int(max_samples, "max_samples", low=4)
        X, y = check_X_y(X, y)
        self.X, self.y = X[:max_samples], y[:max_samples]
        if len(self.y) < 4:
            raise ValueError(f"X must hold at least 4 samples to cross-validate, got {len(self.y)}")
        self.num_classes = check_num_classes(self.y)
        squared_dists = self.X @ self.X.T  # one symmetric product (numpy computes only half of it) …
        sq = np.diag(squared_dists).copy()
        squared_dists *= -2.0  # … turned in place into ‖a‖² + ‖b‖² − 2 a·b (no N × N temporaries)
        squared_dists += sq[:, None]
        squared_dists += sq[None, :]
        np.maximum(squared_dists, 0.0, out=squared_dists)
        self.order = np.argsort(squared_dists, axis=1, kind="stable")  # nearest first, ties: lower index
        self._cache = {}

    @property
    def num_samples(self) -> int:
        return len(self.y)

    def _fold_accuracies(self, train_idx, val_idx, ks) -> np.ndarray:
        in_train = np.ones(self.num_samples, dtype=bool)
        in_train[val_idx] = False
        # a row loses at most len(val_idx) entries (its own fold), so these columns hold max(ks) of the rest
        candidates = self.order[val_idx, :max(ks) + len(val_idx)]
        first = np.argsort(~in_train[candidates], axis=1, kind="stable")[:, :max(ks)]
        neighbor_labels = self.y[np.take_along_axis(candidates, first, axis=1)]  # (M, k_max)
        votes = np.cumsum(neighbor_labels[:, :, None] == np.arange(self.num_classes), axis=1)
        predictions = votes[:, np.array(ks) - 1].argmax(axis=2)  # argmax: smallest label on ties
        return np.mean(predictions == self.y[val_idx][:, None], axis=0)

    def accuracies(self, num_folds) -> tuple[list[int], np.ndarray]:
        """(the K_GRID values that fit every fold's training part, (K, num_folds) accuracies)."""
        num_folds = check_int(num_folds, "num_folds", low=2, high=self.num_samples)
        if num_folds not in self._cache:
            folds = k_fold_indices(self.num_samples, num_folds)
            ks = [k for k in K_GRID if k <= min(len(train) for train, _ in folds)]
            acc = np.column_stack([self._fold_accuracies(train, val, ks) for train, val in folds])
            self._cache[num_folds] = (ks, acc)
        return self._cache[num_folds]

    def draw(self, num_folds, k_range):
        """(fig, alt) of draw_cv_accuracy for num_folds and the K_GRID values in k_range = (k_min,
        k_max), inclusive. Raises ValueError when no such k fits a fold's training part."""
        if isinstance(k_range, (str, bytes)) or not hasattr(k_range, "__len__") or len(k_range) != 2:
            raise TypeError(f"k_range must be a pair (k_min, k_max), got {k_range!r}"[:100])
        k_min = check_int(k_range[0], "k_range[0]", low=1)
        k_max = check_int(k_range[1], "k_range[1]", low=k_min)
        ks, acc = self.accuracies(num_folds)
        rows = [i for i, k in enumerate(ks) if k_min <= k <= k_max]
        if not rows:
            raise ValueError(f"k_range=({k_min}, {k_max}) holds none of the k values {ks} that fit "
                             f"{num_folds} folds of {self.num_samples} samples")
        title = f"{num_folds}-fold cross-validation, first {self.num_samples:,} training images"
        return draw_cv_accuracy([ks[i] for i in rows], acc[rows], title=title)


def draw_cv_explorer(explorer, num_folds, k_range):
    """One redraw of the widget: explorer.draw(num_folds, k_range) → (fig, alt). Notebook 03."""
    if not isinstance(explorer, CrossValidationExplorer):
        raise TypeError(f"explorer must be a CrossValidationExplorer, got {type(explorer).__name__}")
    return explorer.draw(num_folds, k_range)


def cross_validation_widget(explorer, num_folds=10, k_range=(1, 100)):
    """Sliders for num_folds (2–10) and the k range (a range slider over the K_GRID values that fit
    every fold count), redrawing draw_cv_explorer into an Output widget (continuous_update=False).
    Starts at num_folds and k_range (rounded down to K_GRID values). Returns an ipywidgets.VBox.
    Raises as draw_cv_explorer. Notebook 03."""
    if not isinstance(explorer, CrossValidationExplorer):
        raise TypeError(f"explorer must be a CrossValidationExplorer, got {type(explorer).__name__}")
    options = [k for k in K_GRID if k <= explorer.num_samples // 2]  # these fit even 2 folds
    low, high = (max([k for k in options if k <= bound], default=options[0]) for bound in k_range)
    fig, alt = draw_cv_explorer(explorer, num_folds, (low, max(low, high)))  # checks num_folds first
    folds = widgets.IntSlider(value=num_folds, min=2, max=min(10, explorer.num_samples),
                              description="num_folds", continuous_update=False)
    ks = widgets.SelectionRangeSlider(options=options, value=(low, max(low, high)), description="k range",
                                      continuous_update=False)
    out = widgets.Output()

    def redraw(_change=None):
        with out:
            out.clear_output(wait=True)
            try:
                show_figure(*draw_cv_explorer(explorer, folds.value, ks.value))
            except ValueError as error:  # should not happen with these sliders; say so rather than crash
                print(error)

    with out:
        show_figure(fig, alt)
    folds.observe(redraw, names="value")
    ks.observe(redraw, names="value")
    return widgets.VBox([widgets.HBox([folds, ks]), out])

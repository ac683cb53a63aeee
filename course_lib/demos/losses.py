"""Figures and the slider demo of notebook 05 (loss functions).

``loss_comparison`` is the plain computation behind the demo; every ``draw_*`` function returns
a dict holding the ``"figure"`` and its ``"alt"`` text (computed from what it draws), which the
notebook passes to ``plots.show_figure``. ``loss_comparison_widget`` wires two sliders to one
``LossComparisonFigure``, which it updates in place: a slider move costs little more than the PNG.
"""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from ..checks import check_array, check_float, check_labels
from ..losses import SVM_DELTA, cross_entropy, hinge_loss, softmax, softmax_loss_vectorized, svm_loss_vectorized
from ..plots import new_figure, show_figure

__all__ = ["SCORE_RANGE", "loss_comparison", "LossComparisonFigure", "draw_loss_comparison",
           "redraw_loss_comparison", "loss_comparison_widget",
           "draw_probabilities", "draw_scaling_optimum", "draw_l1_paths", "draw_loss_recap"]

#: The range of both sliders (score units); the loss curves are drawn over it.
SCORE_RANGE = (-4.0, 6.0)

_COMPARISON_SIZE = (9.6, 4.1)
_CORRECT, _WRONG, _OTHER = "#009E73", "#E69F00", "#BBBBBB"  # bar colours by role
_HINGE, _CROSS_ENTROPY = "#0072B2", "#D55E00"                # loss colours, the same in every figure
_LABEL = "#9A5B00"                                            # the band's label: dark orange, readable on white


def _num(value: float, digits: int = 2) -> str:
    """A number for a figure or an alt text, with a real minus sign (read as "minus")."""
    return f"{value:.{digits}f}".replace("-", "−")


def _check_names(class_names, count: int, name: str = "class_names", per: str = "score") -> list[str]:
    if isinstance(class_names, str) or not hasattr(class_names, "__len__"):
        raise TypeError(f"{name} must be a sequence of {count} names, got {class_names!r:.60}")
    if len(class_names) != count:
        raise ValueError(f"{name} must hold one name per {per} ({count}), got {len(class_names)}")
    return [str(n) for n in class_names]


def loss_comparison(correct_score, wrong_score, other_scores=(-3.1,)) -> dict:
    """Both losses of one image whose scores are [correct_score, wrong_score, *other_scores], label 0.

    Scores are finite real numbers (score units). Returns a dict: "scores" (C,) float64,
    "margin" = correct − wrong score, "hinge_terms" (C − 1,) = max(0, s_j − s_correct + Δ) for the
    wrong classes in order, "hinge" (their sum, L_i), "probabilities" (C,) softmax,
    "cross_entropy" (−log p_correct, nats), "target" = highest wrong score + Δ (the correct score
    from which the hinge loss is 0). Raises TypeError / ValueError naming a bad score. Notebook 05.
    """
    correct = check_float(correct_score, "correct_score")
    wrong = check_float(wrong_score, "wrong_score")
    others = [check_float(s, "other_scores") for s in other_scores]
    scores = np.array([correct, wrong, *others])
    label = np.zeros(1, dtype=np.int64)
    return {
        "scores": scores,
        "margin": correct - wrong,
        "hinge_terms": np.maximum(0.0, scores[1:] - correct + SVM_DELTA),
        "hinge": float(hinge_loss(scores[None], label)[0]),
        "probabilities": softmax(scores),
        "cross_entropy": float(cross_entropy(scores[None], label)[0]),
        "target": float(scores[1:].max() + SVM_DELTA),
    }


class LossComparisonFigure:
    """The demo's figure, built once; ``update`` moves its artists to new scores (a slider's redraw).

    Left panel: the image's scores as bars, the band from the wrong score up to wrong score + Δ (its
    top, the dashed line, is labelled), and the shortfall (the wrong class's hinge term) as a hatched
    box on the correct bar, from its top up to that line: the piece the bar lacks. Right panel: hinge and cross-entropy of the image as its correct score
    moves over SCORE_RANGE, the others fixed, with dots at the current value. Labels are drawn
    directly (one small legend), which keeps a redraw fast. other_scores, class_names: as
    draw_loss_comparison. Raises TypeError / ValueError for bad scores or the wrong number of names.
    Notebook 05.
    """

    def __init__(self, other_scores=(-3.1,), class_names=("train", "dog", "cat")):
        self.other_scores = tuple(check_float(s, "other_scores") for s in other_scores)
        self.names = _check_names(class_names, 2 + len(self.other_scores))
        self.grid = np.linspace(*SCORE_RANGE, 201)
        self.figure = new_figure(_COMPARISON_SIZE)
        self.ax_scores, self.ax_loss = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.0, 1.25]})
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.24, top=0.9, wspace=0.24)
        self._build_scores(self.ax_scores)
        self._build_losses(self.ax_loss)

    def _build_scores(self, ax):
        num, names = len(self.names), self.names
        self.bars = ax.bar(np.arange(num), np.zeros(num), width=0.6, zorder=2,
                           color=[_CORRECT, _WRONG] + [_OTHER] * (num - 2))
        ax.axhline(0.0, color="black", linewidth=0.8)
        self.band = ax.add_patch(Rectangle((-0.6, 0.0), num + 0.2, SVM_DELTA, color=_WRONG, alpha=0.2, zorder=1))
        self.level = ax.axhline(0.0, color=_WRONG, linestyle="--", linewidth=1.5, zorder=1)
        self.level_label = ax.text(num - 0.45, 0.0, f"{names[1]} + Δ", ha="right", va="bottom", fontsize=12,
                                   color=_LABEL)
        self.shortfall = ax.add_patch(Rectangle((-0.3, 0.0), 0.6, 0.0, fill=False, hatch="///", edgecolor="black",
                                                linewidth=1.5, zorder=3, gid="shortfall"))
        ax.set_xlim(-0.6, num - 0.4)
        ax.set_ylim(SCORE_RANGE[0] - 0.5, SCORE_RANGE[1] + 1.5)
        ax.set_yticks([-4.0, 0.0, 4.0])  # few ticks: every tick label costs time at each redraw
        ax.set_ylabel("score")

    def _build_losses(self, ax):
        self.hinge_curve, = ax.plot(self.grid, self.grid, color=_HINGE, label="hinge (SVM)")
        self.ce_curve, = ax.plot(self.grid, self.grid, color=_CROSS_ENTROPY, linestyle="-.", label="cross-entropy")
        self.dots = [ax.plot([0.0], [0.0], "o", color=c, markeredgecolor="black", markersize=10, zorder=3)[0]
                     for c in (_HINGE, _CROSS_ENTROPY)]
        self.zero_from = ax.axvline(0.0, color="grey", linestyle=":", linewidth=2, label="from here the hinge is 0")
        ax.set_xlim(*SCORE_RANGE)
        ax.set_xlabel(f"score of {self.names[0]} (the correct class)")
        ax.set_ylabel("loss of the image")
        ax.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
        ax.legend(loc="upper right", fontsize=11, framealpha=1.0)

    def update(self, correct_score, wrong_score) -> dict:
        """Move every artist to these two scores; returns loss_comparison's dict plus "figure" and "alt"."""
        result = loss_comparison(correct_score, wrong_score, self.other_scores)
        scores, names, terms = result["scores"], self.names, result["hinge_terms"]
        for bar, s in zip(self.bars, scores):
            bar.set_height(s)
        level = scores[1] + SVM_DELTA
        self.band.set_y(scores[1])
        self.level.set_ydata([level, level])
        self.level_label.set_y(level)
        self.shortfall.set_y(scores[0])
        self.shortfall.set_height(max(level - scores[0], 0.0))
        self.shortfall.set_visible(bool(terms[0] > 0))
        self.ax_scores.set_xticks(np.arange(len(scores)), [f"{names[0]}\n(correct)\n{_num(scores[0])}"] +
                                  [f"{n}\n{_num(s)}\nterm {t:.2f}" for n, s, t in zip(names[1:], scores[1:], terms)])
        gap = scores[0] - level
        state = (f"is {-gap:.2f} short of {names[1]} + Δ" if gap < 0 else
                 f"clears {names[1]} + Δ by {gap:.2f}" if gap > 0 else f"just reaches {names[1]} + Δ")
        self.ax_scores.set_title(f"{names[0]} {state}", fontsize=13, y=1.0)  # a fixed y skips title placement
        self._update_losses(result)
        result["figure"], result["alt"] = self.figure, self._alt(result)
        return result

    def _update_losses(self, result):
        table = np.repeat(result["scores"][None], len(self.grid), axis=0)
        table[:, 0] = self.grid
        labels = np.zeros(len(self.grid), dtype=np.int64)
        hinge = hinge_loss(table, labels)
        self.hinge_curve.set_ydata(hinge)
        self.ce_curve.set_ydata(cross_entropy(table, labels))
        for dot, value in zip(self.dots, (result["hinge"], result["cross_entropy"])):
            dot.set_data([result["scores"][0]], [value])
        self.zero_from.set_xdata([result["target"]] * 2)
        self.ax_loss.set_ylim(0.0, 1.05 * float(hinge.max()))
        self.ax_loss.set_title(f"now (dots): hinge {result['hinge']:.3f}, cross-entropy {result['cross_entropy']:.3f}",
                               fontsize=13, y=1.0)

    def _alt(self, result) -> str:
        names, scores, term = self.names, result["scores"], result["hinge_terms"][0]
        others = ", ".join(f"{n} {_num(s)}" for n, s in zip(names[1:], scores[1:]))
        state = "reaches" if term == 0 else f"falls {term:.2f} short of"
        return (f"Left: bar chart of one image's scores, {names[0]} (correct) {_num(scores[0])}, {others}; "
                f"the {names[0]} bar {state} the level {names[1]} + Δ = {_num(scores[1] + SVM_DELTA)}. Right: "
                f"the hinge loss (zero once the {names[0]} score reaches {_num(result['target'])}) and the "
                f"cross-entropy (a smooth curve that keeps falling) as the {names[0]} score varies; now hinge "
                f"{result['hinge']:.3f}, cross-entropy {result['cross_entropy']:.3f}.")


def draw_loss_comparison(correct_score=2.0, wrong_score=1.23, other_scores=(-3.1,),
                         class_names=("train", "dog", "cat")) -> dict:
    """The demo's figure for one setting of the scores (a new LossComparisonFigure, updated once).

    correct_score, wrong_score, other_scores: the image's scores as loss_comparison takes them;
    class_names: one name per score, the correct class first. Returns loss_comparison's dict plus
    "figure" (not managed by pyplot) and "alt". Raises TypeError / ValueError for bad scores or the
    wrong number of names. Notebook 05.
    """
    return LossComparisonFigure(other_scores, class_names).update(correct_score, wrong_score)


def redraw_loss_comparison(figure, correct_score, wrong_score) -> dict:
    """What a slider move does: ``figure.update(correct_score, wrong_score)`` on a LossComparisonFigure.

    Returns its dict (with "figure" and "alt"). Raises TypeError for another kind of figure, and as
    loss_comparison for bad scores. Notebook 05 (and benchmarks/bench_widgets.py).
    """
    if not isinstance(figure, LossComparisonFigure):
        raise TypeError(f"figure must be a LossComparisonFigure, got {type(figure).__name__}")
    return figure.update(correct_score, wrong_score)


def loss_comparison_widget(correct_score=2.0, wrong_score=1.23, other_scores=(-3.1,),
                           class_names=("train", "dog", "cat")):
    """Two sliders (the correct score and one wrong score) redrawing one LossComparisonFigure.

    Returns the ipywidgets.interactive widget; its .result holds the latest loss_comparison dict.
    Bad arguments raise at once (TypeError / ValueError as draw_loss_comparison). Notebook 05.
    """
    figure = LossComparisonFigure(other_scores, class_names)
    loss_comparison(correct_score, wrong_score, figure.other_scores)   # bad start values raise here

    def redraw(correct, wrong):
        result = redraw_loss_comparison(figure, correct, wrong)
        show_figure(result.pop("figure"), alt=result.pop("alt"))
        return result

    slider = dict(min=SCORE_RANGE[0], max=SCORE_RANGE[1], step=0.01, readout_format=".2f",
                  continuous_update=False, style={"description_width": "initial"},
                  layout=widgets.Layout(width="480px"))
    return widgets.interactive(
        redraw,
        correct=widgets.FloatSlider(value=correct_score, description=f"{figure.names[0]} score (correct)", **slider),
        wrong=widgets.FloatSlider(value=wrong_score, description=f"{figure.names[1]} score", **slider),
    )


def draw_probabilities(scores, y, class_names) -> dict:
    """One panel per image: its softmax probabilities as bars, the correct class coloured.

    scores (N, C) real, N ≤ 6; y (N,) int labels in [0, C); class_names: C names. Each panel's
    title gives −log p of the correct class. Returns {"figure", "alt", "probabilities" (N, C)}.
    Raises TypeError / ValueError for bad scores, labels or names. Notebook 05.
    """
    scores = check_array(scores, "scores", ndim=2)
    y = check_labels(y, "y", num_samples=scores.shape[0], num_classes=scores.shape[1], samples_name="scores")
    names = _check_names(class_names, scores.shape[1])
    if scores.shape[0] > 6:
        raise ValueError(f"scores must have at most 6 rows (one panel each), got {scores.shape[0]}")
    P = softmax(scores)
    fig, axes = plt.subplots(1, len(y), figsize=(3.6 * len(y), 4.0), sharey=True, squeeze=False)
    for i, ax in enumerate(axes[0]):
        colors = [_CORRECT if c == y[i] else _OTHER for c in range(len(names))]
        ax.bar(names, P[i], color=colors)
        for c, p in enumerate(P[i]):
            ax.text(c, p + 0.02, f"{p:.3f}", ha="center", va="bottom", fontsize=11)
        ax.set_title(f"image {i + 1} ({names[y[i]]}): −log p = {-np.log(P[i, y[i]]):.3f}", fontsize=12)
        ax.set_ylim(0.0, 1.15)
    axes[0, 0].set_ylabel("softmax probability")
    fig.legend(handles=[Rectangle((0, 0), 1, 1, color=_CORRECT), Rectangle((0, 0), 1, 1, color=_OTHER)],
               labels=["correct class", "other classes"], loc="lower center", ncol=2, fontsize=12, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    parts = [f"image {i + 1} ({names[y[i]]}) gives its correct class {P[i, y[i]]:.2f}" for i in range(len(y))]
    alt = "Bar charts of the softmax probabilities of each image, one panel per image: " + "; ".join(parts) + "."
    return {"figure": fig, "alt": alt, "probabilities": P}


def _scaling_curves(scores, y, scalings, regs, loss_fn):
    data = np.array([loss_fn(c * np.eye(scores.shape[1]), scores, y, 0.0)[0] for c in scalings])
    penalty = scores.shape[1] * scalings ** 2            # R(c·I) = Σ (c·I)² = C·c²
    return data, [data + reg * penalty for reg in regs]


def draw_scaling_optimum(scores, y, regs=(0.01, 0.05), scalings=None, loss="svm") -> dict:
    """Full loss of W = c·I on the scores (data loss + reg · R(c·I)) against c, one curve per reg.

    scores (N, C), y (N,) as the losses take them (W = c·I makes the scores c · scores); regs: a
    few reg ≥ 0; scalings: increasing c values (default 0 … 2.5 in steps of 0.01); loss "svm" or
    "softmax". Marks each curve's minimum. Returns {"figure", "alt", "best": list of the best c
    per reg}. Raises TypeError / ValueError for bad arguments. Notebook 05.
    """
    scores = check_array(scores, "scores", ndim=2)
    y = check_labels(y, "y", num_samples=scores.shape[0], num_classes=scores.shape[1], samples_name="scores")
    regs = [check_float(r, "regs", low=0.0) for r in regs]
    scalings = np.linspace(0.0, 2.5, 251) if scalings is None else check_array(scalings, "scalings", ndim=1)
    if loss not in ("svm", "softmax"):
        raise ValueError(f"loss must be 'svm' or 'softmax', got {loss!r:.40}")
    loss_fn = svm_loss_vectorized if loss == "svm" else softmax_loss_vectorized
    data, fulls = _scaling_curves(scores, y, scalings, regs, loss_fn)
    fig, ax = plt.subplots(figsize=(10.0, 5.0))
    ax.plot(scalings, data, color="black", linewidth=1.5, label="data loss alone (λ = 0)")
    best, styles = [], ["-", "--", "-.", ":"]
    for k, (reg, full) in enumerate(zip(regs, fulls)):
        i = int(np.argmin(full))
        best.append(float(scalings[i]))
        line, = ax.plot(scalings, full, linestyle=styles[k % 4], color=("#0072B2", "#D55E00", "#009E73", "#CC79A7")[k % 4],
                        label=f"data loss + λR, λ = {reg:g}: best c = {scalings[i]:.2f}")
        ax.plot(scalings[i], full[i], "o", color=line.get_color(), markersize=10, markeredgecolor="black")
    ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=10, label="minimum of each curve")
    met = np.flatnonzero(data <= 1e-12)
    if met.size:  # hinge: the smallest scaling at which every margin is met
        ax.axvline(scalings[met[0]], color="grey", linestyle=":", linewidth=2,
                   label=f"every margin met from c = {scalings[met[0]]:.2f}")
    ax.set_xlabel("scaling c of the weights (W = c·I)")
    ax.set_ylabel("loss")
    ax.set_ylim(0.0, 2.5 * max(float(np.min(f)) for f in fulls) + 0.1)
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", fontsize=11, ncol=2, frameon=False)
    fig.tight_layout(rect=(0.0, 0.17, 1.0, 1.0))
    where = "; ".join(f"with λ = {reg:g} it is lowest at c = {b:.2f}" for reg, b in zip(regs, best))
    alt = (f"Line chart of the {'hinge' if loss == 'svm' else 'cross-entropy'} loss of W = c·I against c from "
           f"{scalings[0]:g} to {scalings[-1]:g}: the data loss alone keeps falling or stays at its lowest "
           f"value as c grows; {where}.")
    return {"figure": fig, "alt": alt, "best": best}


def draw_l1_paths(subgradient_path, proximal_path, reg, learning_rate, names=None) -> dict:
    """Weights during descent with an L1 penalty: plain subgradient steps (left) vs soft-thresholding (right).

    subgradient_path, proximal_path: (num_iters + 1, K) weights after each step (row 0: the
    start), the same K weights; reg, learning_rate > 0 (the band ±learning_rate·reg is shaded);
    names: K labels for the legend. The y-axis is zoomed on the band, where the interesting
    weights end up. Returns {"figure", "alt"}. Raises TypeError / ValueError for bad arguments.
    Notebook 05.
    """
    sub = check_array(subgradient_path, "subgradient_path", ndim=2)
    prox = check_array(proximal_path, "proximal_path", ndim=2)
    if sub.shape != prox.shape:
        raise ValueError(f"proximal_path must have the shape of subgradient_path {sub.shape}, got {prox.shape}")
    band = check_float(reg, "reg", low=0.0, low_open=True) * check_float(learning_rate, "learning_rate",
                                                                         low=0.0, low_open=True)
    names = [f"w{k + 1}" for k in range(sub.shape[1])] if names is None else _check_names(names, sub.shape[1], "names", "weight")
    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.2), sharey=True)
    steps = np.arange(sub.shape[0])
    for ax, path, title in [(axes[0], sub, "plain subgradient steps"), (axes[1], prox, "soft-thresholding steps")]:
        ax.axhspan(-band, band, color="#BBBBBB", alpha=0.4, label="±learning_rate·λ")
        for k in range(path.shape[1]):
            ax.plot(steps, path[:, k], linewidth=1.6, marker=".", markersize=4, label=names[k])
        zeros = int(np.sum(path[-1] == 0.0))
        ax.set_title(f"{title}: {zeros} of {path.shape[1]} exactly 0 at the end", fontsize=12)
        ax.set_xlabel("step")
    axes[0].set_ylabel("weight (zoomed in on 0)")
    axes[0].set_ylim(-4 * band, 4 * band)
    axes[1].legend(loc="upper right", fontsize=10, ncol=2)
    fig.tight_layout()
    flipping = int(np.sum(sub[-1] * sub[-2] < 0))        # weights that crossed zero in the last step
    alt = (f"Two line charts of {sub.shape[1]} weights over {sub.shape[0] - 1} descent steps with an L1 penalty, "
           f"zoomed on the band ±{band:g} around zero. Left, plain subgradient steps: "
           f"{int(np.sum(sub[-1] == 0.0))} weights end exactly at 0 and {flipping} crossed 0 in the last step. "
           f"Right, soft-thresholding steps: {int(np.sum(prox[-1] == 0.0))} weights end exactly at 0.")
    return {"figure": fig, "alt": alt}


def draw_loss_recap() -> dict:
    """The recap diagram: data and weights → scores → data loss, weights → regularisation → full loss.

    Returns {"figure", "alt", "boxes": the box texts}. Notebook 05 (the lecture's recap slide).
    """
    fig, ax = plt.subplots(figsize=(11.0, 3.4))
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 3.4)
    ax.axis("off")
    boxes = {}
    for key, x, y, text, face in [
        ("data", 0.9, 2.5, "data\n$X$ (N, D), labels $y$", "#FFFFFF"),
        ("weights", 0.9, 0.8, "weights\n$W$ (D, C), $b$", "#FFFFFF"),
        ("scores", 3.4, 2.5, "score function\n$s = XW + b$", "#DCEAF7"),
        ("data_loss", 6.2, 2.5, "data loss\n$(1/N)\\,\\sum_i L_i$\nhinge or cross-entropy", "#FBE8CC"),
        ("reg", 6.2, 0.8, "regularisation\n$\\lambda R(W)$, $R(W) = \\sum W^2$", "#F3DCEA"),
        ("full", 9.5, 1.65, "full loss\n$L$ = data loss\n+ $\\lambda R(W)$", "#D9F0E5"),
    ]:
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=12,
                             bbox=dict(boxstyle="round,pad=0.45", linewidth=1.5, facecolor=face))
    for start, end in [("data", "scores"), ("weights", "scores"), ("scores", "data_loss"),
                       ("weights", "reg"), ("data_loss", "full"), ("reg", "full")]:
        ax.annotate("", xy=(0.5, 0.5), xycoords=boxes[end], xytext=(0.5, 0.5), textcoords=boxes[start],
                    arrowprops=dict(arrowstyle="-|>", color="black", linewidth=1.5, mutation_scale=16,
                                    patchA=boxes[start].get_bbox_patch(), patchB=boxes[end].get_bbox_patch()))
    ax.text(9.5, 0.3, "λ = reg: the regularisation strength\n(not the learning rate)", ha="center",
            va="center", fontsize=11, style="italic")
    alt = ("Diagram: the data X, y and the weights W, b feed the score function s = XW + b; the scores go "
           "into the data loss (the mean of the per-image hinge or cross-entropy losses); the weights also go "
           "into the regularisation term λR(W); data loss and regularisation add up to the full loss L.")
    return {"figure": fig, "alt": alt, "boxes": [t.get_text() for t in boxes.values()]}

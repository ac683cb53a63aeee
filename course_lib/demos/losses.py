"""Notebook 05's demo: move the correct-class score and one wrong-class score, and watch the
hinge and the cross-entropy loss (and the margin) change side by side.

``compute_loss_comparison`` is the plain, tested computation; ``draw_loss_comparison`` draws
it; ``loss_comparison_widget`` wires both to ipywidgets.

Default scores are the lecture's third image (a train): train 2.0, dog 1.23, cat -3.1.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .._validation import _check_real, as_float_array, check_nonnegative_float
from ..losses import cross_entropy, hinge_loss, softmax
from ..plots import figure_to_png, new_figure, show_figure

__all__ = [
    "compute_loss_comparison",
    "draw_loss_comparison",
    "loss_comparison_widget",
    "draw_loss_recap",
    "SCORE_RANGE",
    "BENCHMARK_CASES",
]

_FIGSIZE = (10, 3.6)

#: Slider range of both scores (score units); the loss curves are drawn over it.
SCORE_RANGE = (-4.0, 6.0)

_DEFAULT_NAMES = ("train", "dog", "cat")


def compute_loss_comparison(correct_score, wrong_score, other_scores=(-3.1,), delta: float = 1.0) -> dict:
    """Both losses of one example whose class 0 is correct.

    The example's scores are ``[correct_score, wrong_score, *other_scores]`` and its label is 0.

    Parameters
    ----------
    correct_score, wrong_score : float
        Score of the correct class and of the wrong class the learner moves (score units).
    other_scores : sequence of float, default (-3.1,)
        Scores of the remaining (fixed) wrong classes; may be empty.
    delta : float ≥ 0, default 1.0
        The hinge margin Δ.

    Returns
    -------
    dict with
        ``"scores"``: float64 (C,); ``"margin"``: correct − wrong score (float);
        ``"hinge_terms"``: (C − 1,) the terms ``max(0, s_j − s_correct + Δ)`` for j = 1, …;
        ``"hinge"``: their sum, the hinge loss L_i; ``"probabilities"``: softmax, (C,);
        ``"cross_entropy"``: −log of the correct class's probability (nats).

    Raises
    ------
    TypeError, ValueError
        A score that is not a finite real number, ``delta`` < 0.

    Source: lecture part 2 (hinge and cross-entropy losses). Used in ``notebooks/05_losses.ipynb``.
    """
    correct_score = _check_real(correct_score, "correct_score")
    wrong_score = _check_real(wrong_score, "wrong_score")
    others = as_float_array(other_scores, "other_scores", ndim=1, allow_empty=True)
    delta = check_nonnegative_float(delta, "delta")
    scores = np.concatenate([[correct_score, wrong_score], others])
    terms = np.maximum(0.0, scores[1:] - correct_score + delta)
    label = np.array([0])
    return {
        "scores": scores,
        "margin": correct_score - wrong_score,
        "hinge_terms": terms,
        "hinge": float(hinge_loss(scores[None], label, delta=delta)[0]),
        "probabilities": softmax(scores),
        "cross_entropy": float(cross_entropy(scores[None], label)[0]),
    }


def _check_class_names(class_names, num_scores: int) -> list[str]:
    """``class_names`` as a list of str with one name per score; TypeError/ValueError naming it."""
    if isinstance(class_names, str):
        raise TypeError(f"class_names must be a sequence of {num_scores} names, got the str {class_names!r}")
    names = [str(n) for n in class_names]
    if len(names) != num_scores:
        raise ValueError(
            f"class_names must have one name per score ({num_scores}), got {len(names)}"
        )
    return names


def draw_loss_comparison(
    correct_score,
    wrong_score,
    other_scores=(-3.1,),
    class_names=_DEFAULT_NAMES,
    delta: float = 1.0,
    fig=None,
) -> dict:
    """Draw the scores (with the margin) next to both losses as functions of the correct score.

    Left panel: one bar per class, the level "wrong score + Δ" the correct score must reach,
    and the margin as an arrow. Right panel: hinge and cross-entropy of this example as the
    correct-class score varies over :data:`SCORE_RANGE` (everything else fixed), with dots at
    the current value.

    Parameters
    ----------
    correct_score, wrong_score, other_scores, delta
        As :func:`compute_loss_comparison`.
    class_names : sequence of str, length C = 2 + len(other_scores)
        Names of the correct class, the moved wrong class, then the others.
    fig : matplotlib Figure, optional
        Redrawn in place when given (the widget passes none: each call makes a new figure).

    Returns
    -------
    The dict of :func:`compute_loss_comparison` with ``"figure"`` added.

    Raises
    ------
    ValueError
        ``class_names`` does not have one name per score (plus the errors of
        :func:`compute_loss_comparison`).
    """
    result = compute_loss_comparison(correct_score, wrong_score, other_scores, delta)
    scores = result["scores"]
    names = _check_class_names(class_names, len(scores))
    if fig is None:
        fig = plt.figure(figsize=_FIGSIZE)
    fig.clear()
    ax_scores, ax_loss = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.3]})

    # Left: the scores and the margin.
    colors = ["#009E73", "#D55E00"] + ["#999999"] * (len(scores) - 2)
    x = np.arange(len(scores))
    ax_scores.bar(x, scores, color=colors)
    ax_scores.axhline(0.0, color="black", linewidth=0.8)
    target = scores[1] + delta
    ax_scores.hlines(target, -0.4, 1.4, colors="black", linestyles="--", linewidth=1.2)
    ax_scores.text(1.45, target, f"{names[1]} + Δ", va="center", fontsize=10)
    # The margin: from the wrong score up (or down) to the correct score, between the two bars.
    ax_scores.hlines(scores[1], 0.5, 1.0, colors="#D55E00", linestyles=":", linewidth=1.5)
    ax_scores.hlines(scores[0], 0.0, 0.5, colors="#009E73", linestyles=":", linewidth=1.5)
    ax_scores.annotate(
        "", xy=(0.5, scores[0]), xytext=(0.5, scores[1]),
        arrowprops=dict(arrowstyle="<|-|>", color="black", linewidth=1.2, shrinkA=0, shrinkB=0),
    )
    ax_scores.set_xticks(x, [f"{n}\n(correct)" if i == 0 else n for i, n in enumerate(names)])
    ax_scores.set_ylim(SCORE_RANGE[0] - 0.5, SCORE_RANGE[1] + 1.5)
    ax_scores.set_ylabel("score")
    ax_scores.set_title(f"margin {names[0]} − {names[1]} = {result['margin']:+.2f}", fontsize=12)

    # Right: both losses as the correct score moves.
    grid = np.linspace(*SCORE_RANGE, 201)
    all_scores = np.repeat(scores[None], len(grid), axis=0)
    all_scores[:, 0] = grid
    labels = np.zeros(len(grid), dtype=np.int64)
    ax_loss.plot(grid, hinge_loss(all_scores, labels, delta=delta), color="#0072B2", label="hinge (SVM)")
    ax_loss.plot(grid, cross_entropy(all_scores, labels), color="#E69F00", label="cross-entropy")
    ax_loss.plot([scores[0]], [result["hinge"]], "o", color="#0072B2")
    ax_loss.plot([scores[0]], [result["cross_entropy"]], "o", color="#E69F00")
    ax_loss.axvline(target, color="black", linestyle="--", linewidth=1)
    ax_loss.text(target, ax_loss.get_ylim()[1], " margin met", va="top", fontsize=10)
    ax_loss.set_xlabel(f"score of {names[0]} (correct class)")
    ax_loss.set_ylabel("loss $L_i$")
    ax_loss.set_title(f"hinge {result['hinge']:.3f}   cross-entropy {result['cross_entropy']:.3f}")
    ax_loss.legend(loc="lower left")
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.2, top=0.9, wspace=0.3)
    result["figure"] = fig
    return result


def loss_comparison_widget(other_scores=(-3.1,), class_names=_DEFAULT_NAMES, delta: float = 1.0,
                           correct_score: float = 2.0, wrong_score: float = 1.23):
    """Two sliders (correct-class score, one wrong-class score) redrawing :func:`draw_loss_comparison`.

    Returns the ``ipywidgets.interactive`` widget; ``widget.state["latest"]`` holds the latest
    result dict without the figure (the callback returns None so nothing extra is displayed).

    Raises the errors of :func:`draw_loss_comparison` at once (not inside the widget's output).
    """
    import ipywidgets as widgets

    # Checked here: ipywidgets would only print an error raised inside the callback.
    first = compute_loss_comparison(correct_score, wrong_score, other_scores, delta)
    names = _check_class_names(class_names, len(first["scores"]))
    state = {}

    def update(correct, wrong):
        result = draw_loss_comparison(correct, wrong, other_scores, names, delta,
                                      fig=new_figure(_FIGSIZE))
        show_figure(result["figure"])
        state["latest"] = {k: v for k, v in result.items() if k != "figure"}

    slider = dict(min=SCORE_RANGE[0], max=SCORE_RANGE[1], step=0.05, readout_format=".2f",
                  continuous_update=False, style={"description_width": "initial"})
    widget = widgets.interactive(
        update,
        correct=widgets.FloatSlider(value=correct_score, description=f"score of {names[0]} (correct)", **slider),
        wrong=widgets.FloatSlider(value=wrong_score, description=f"score of {names[1]} (wrong)", **slider),
    )
    widget.state = state
    return widget


def draw_loss_recap(ax=None):
    """The recap diagram of notebook 05: score function → data loss → (+ regularisation) → full loss.

    Boxes and arrows drawn with matplotlib on ``ax`` (a new 11 x 3.2 inch figure when None).

    Returns
    -------
    dict with ``"figure"``, ``"axes"`` and ``"boxes"``: the box texts in the order
    data, weights, score function, data loss, regularisation, full loss.

    Source: lecture part 2 ("Recap on linear classifier and loss + score functions").
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 3.2))
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 3.2)
    ax.axis("off")
    style = dict(boxstyle="round,pad=0.45", linewidth=1.5)
    boxes = {}
    for key, x, y, text, face in [
        ("data", 0.8, 2.3, "data\n$X$, labels $y$", "#FFFFFF"),
        ("weights", 0.8, 0.7, "weights\n$W$, $b$", "#FFFFFF"),
        ("scores", 3.1, 2.3, "score function\n$s = XW + b$", "#DCEAF7"),
        ("data_loss", 5.9, 2.3, "data loss\n$(1/N)\\sum_i L_i$\nhinge or cross-entropy", "#FBE8CC"),
        ("reg", 5.9, 0.7, "regularisation\n$\\lambda R(W)$, $R(W)=\\sum W^2$", "#F3DCEA"),
        ("full", 9.3, 1.5, "full loss\n$L$ = data loss\n+ $\\lambda R(W)$", "#D9F0E5"),
    ]:
        boxes[key] = ax.text(x, y, text, ha="center", va="center", fontsize=11,
                             bbox={**style, "facecolor": face})
    arrow = dict(arrowstyle="-|>", color="black", linewidth=1.5, mutation_scale=16,
                 shrinkA=4, shrinkB=4)
    for start, end in [("data", "scores"), ("weights", "scores"), ("scores", "data_loss"),
                       ("weights", "reg"), ("data_loss", "full"), ("reg", "full")]:
        ax.annotate("", xy=(0.5, 0.5), xycoords=boxes[end], xytext=(0.5, 0.5),
                    textcoords=boxes[start], arrowprops={**arrow, "patchA": boxes[start].get_bbox_patch(),
                                                         "patchB": boxes[end].get_bbox_patch()})
    ax.text(9.3, 0.35, "$\\lambda$ = reg: regularisation strength\n(not the learning rate)",
            ha="center", va="center", fontsize=10, style="italic")
    return {"figure": ax.figure, "axes": ax, "boxes": [t.get_text() for t in boxes.values()]}


#: (name, callable, list of kwargs) for benchmarks/bench_widgets.py: the redraw of the demo.
BENCHMARK_CASES = [
    (
        "05 loss comparison redraw (one-pass PNG, as the widget shows it)",
        lambda **kw: figure_to_png(draw_loss_comparison(**kw, fig=new_figure(_FIGSIZE))["figure"]),
        [dict(correct_score=c, wrong_score=w) for c, w in [(2.0, 1.23), (-1.0, 3.0), (5.0, 0.0)]],
    ),
]

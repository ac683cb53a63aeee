"""Tests of course_lib.demos.losses (notebook 05): the computation behind the slider demo, every figure
(what it draws, its alt text), the widget driven without a browser, and the statements about
regularisation that notebook 05 makes from these figures."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

from course_lib import losses  # noqa: E402
from course_lib.demos.losses import (  # noqa: E402
    SCORE_RANGE,
    LossComparisonFigure,
    draw_l1_paths,
    draw_loss_comparison,
    draw_loss_recap,
    draw_probabilities,
    draw_scaling_optimum,
    loss_comparison,
    loss_comparison_widget,
    redraw_loss_comparison,
)

# The lecture's example, one row per image (the transpose of the slide's table): cat, dog, train.
LECTURE_SCORES = np.array([[3.54, 1.23, -2.1], [-2.4, 5.3, 0.5], [-3.1, 1.23, 2.0]])
LECTURE_Y = np.array([0, 1, 2])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- loss_comparison


def test_lecture_train_image():
    r = loss_comparison(2.0, 1.23, (-3.1,))
    np.testing.assert_allclose(r["scores"], [2.0, 1.23, -3.1])
    assert r["margin"] == pytest.approx(0.77)
    np.testing.assert_allclose(r["hinge_terms"], [0.23, 0.0], atol=1e-12)
    assert r["hinge"] == pytest.approx(0.23, abs=1e-12)
    assert r["target"] == pytest.approx(2.23)
    e = np.exp([2.0, 1.23, -3.1])
    np.testing.assert_allclose(r["probabilities"], e / e.sum(), rtol=1e-12)
    assert r["cross_entropy"] == pytest.approx(-math.log(e[0] / e.sum()), rel=1e-12)


def test_hinge_satisfied_once_margin_met_cross_entropy_keeps_falling():
    met, more = loss_comparison(3.0, 1.0, ()), loss_comparison(6.0, 1.0, ())
    assert met["hinge"] == more["hinge"] == 0.0
    assert 0.0 < more["cross_entropy"] < met["cross_entropy"] < math.log(2)
    assert met["cross_entropy"] == pytest.approx(math.log1p(math.exp(-2.0)), rel=1e-12)


def test_equal_scores_give_c_minus_one_and_log_c():
    r = loss_comparison(0.5, 0.5, (0.5, 0.5))
    assert r["hinge"] == pytest.approx(3.0)          # (C − 1) · Δ
    assert r["cross_entropy"] == pytest.approx(math.log(4))


def test_target_is_the_highest_wrong_score_plus_delta():
    r = loss_comparison(0.0, -1.0, (2.5, -3.0))
    assert r["target"] == pytest.approx(3.5)
    assert loss_comparison(3.5, -1.0, (2.5, -3.0))["hinge"] == 0.0
    assert loss_comparison(3.49, -1.0, (2.5, -3.0))["hinge"] > 0.0


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, exception, fragment", [
    (lambda: loss_comparison("2", 1.0), TypeError, "correct_score must be a number"),
    (lambda: loss_comparison(2.0, float("nan")), ValueError, "wrong_score must be a finite number"),
    (lambda: loss_comparison(2.0, 1.0, (float("inf"),)), ValueError, "other_scores must be a finite number"),
    (lambda: draw_loss_comparison(1.0, 0.0, (-3.1,), ("a", "b")), ValueError,
     "class_names must hold one name per score (3), got 2"),
    (lambda: draw_loss_comparison(1.0, 0.0, (-3.1,), "abc"), TypeError, "class_names must be a sequence"),
    (lambda: loss_comparison_widget(class_names=("a",)), ValueError, "class_names must hold one name per score"),
    (lambda: draw_probabilities(np.zeros((7, 3)), np.zeros(7, dtype=int), "abc"), TypeError, "class_names"),
    (lambda: draw_probabilities(np.zeros((7, 3)), np.zeros(7, dtype=int), list("abc")), ValueError,
     "at most 6 rows"),
    (lambda: draw_probabilities(LECTURE_SCORES, [0, 1, 3], list("abc")), ValueError, "y must hold labels in [0, 3)"),
    (lambda: draw_scaling_optimum(LECTURE_SCORES, LECTURE_Y, regs=(-0.1,)), ValueError, "regs must be"),
    (lambda: draw_scaling_optimum(LECTURE_SCORES, LECTURE_Y, loss="l1"), ValueError, "loss must be 'svm' or 'softmax'"),
    (lambda: draw_l1_paths(np.zeros((5, 3)), np.zeros((5, 2)), 0.5, 0.1), ValueError,
     "proximal_path must have the shape"),
    (lambda: draw_l1_paths(np.zeros((5, 3)), np.zeros((5, 3)), 0.0, 0.1), ValueError, "reg must be"),
    (lambda: draw_l1_paths(np.zeros((5, 3)), np.zeros((5, 3)), 0.5, 0.1, names=["a"]), ValueError,
     "names must hold one name per weight (3)"),
])
def test_bad_input_is_refused_with_a_clear_message(call, exception, fragment):
    with pytest.raises(exception) as info:
        call()
    assert fragment in str(info.value)


# ----------------------------------------------------------------------------- the demo's figure


def _shortfall_boxes(ax):
    """The hatched box on the correct bar (the piece it lacks), where it is shown."""
    return [p for p in ax.patches if p.get_gid() == "shortfall" and p.get_visible()]


def _bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == pytest.approx(0.6)
            and p.get_gid() != "shortfall"]


def test_comparison_figure_draws_the_scores_band_and_shortfall():
    r = draw_loss_comparison(2.0, 1.23, (-3.1,), ("train", "dog", "cat"))
    ax_scores, ax_loss = r["figure"].axes
    np.testing.assert_allclose([b.get_height() for b in _bars(ax_scores)], [2.0, 1.23, -3.1])
    (shortfall,) = _shortfall_boxes(ax_scores)
    assert shortfall.get_hatch() and not shortfall.get_fill()
    assert shortfall.get_x() == pytest.approx(-0.3) and shortfall.get_width() == pytest.approx(0.6)  # on the bar
    assert shortfall.get_y() == pytest.approx(2.0)                             # from the bar's top ...
    assert shortfall.get_height() == pytest.approx(0.23)                       # ... up to dog + Δ
    labels = [t.get_text() for t in ax_scores.get_xticklabels()]
    assert labels == ["train\n(correct)\n2.00", "dog\n1.23\nterm 0.23", "cat\n−3.10\nterm 0.00"]
    assert ax_scores.get_title() == "train is 0.23 short of dog + Δ"
    assert [t.get_text() for t in ax_scores.texts] == ["dog + Δ"]
    assert ax_scores.texts[0].get_position()[1] == pytest.approx(2.23)          # the label sits on the level
    assert ax_loss.get_title() == "now (dots): hinge 0.230, cross-entropy 0.385"
    # Issue 17: the margin is a band and a hatched box, never double arrow heads (read as a diamond) or markers.
    assert not [p for ax in r["figure"].axes for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert [line.get_marker() for line in ax_scores.lines] == ["None"] * len(ax_scores.lines)
    assert "falls 0.23 short of the level dog + Δ = 2.23" in r["alt"]
    assert "hinge 0.230, cross-entropy 0.385" in r["alt"]


def test_comparison_figure_has_no_shortfall_once_the_margin_is_met():
    r = draw_loss_comparison(5.0, 0.0)
    assert _shortfall_boxes(r["figure"].axes[0]) == []
    assert "reaches the level dog + Δ = 1.00" in r["alt"]
    assert r["figure"].axes[0].get_title() == "train clears dog + Δ by 4.00"
    assert draw_loss_comparison(1.0, 0.0)["figure"].axes[0].get_title() == "train just reaches dog + Δ"
    assert r["hinge"] == 0.0


def test_comparison_curves_are_the_losses_of_the_image_as_its_correct_score_moves():
    r = draw_loss_comparison(-1.0, 3.0)
    ax_loss = r["figure"].axes[1]
    hinge_line, ce_line = ax_loss.lines[0], ax_loss.lines[1]
    grid = hinge_line.get_xdata()
    assert (grid[0], grid[-1]) == SCORE_RANGE
    table = np.column_stack([grid, np.full_like(grid, 3.0), np.full_like(grid, -3.1)])
    labels = np.zeros(len(grid), dtype=int)
    np.testing.assert_allclose(hinge_line.get_ydata(), losses.hinge_loss(table, labels))
    np.testing.assert_allclose(ce_line.get_ydata(), losses.cross_entropy(table, labels))
    expected_ce = math.log(math.exp(-1.0) + math.exp(3.0) + math.exp(-3.1)) + 1.0
    assert r["hinge"] == pytest.approx(5.0) and r["cross_entropy"] == pytest.approx(expected_ce, rel=1e-12)
    assert r["figure"].axes[0].get_title() == "train is 5.00 short of dog + Δ"
    (shortfall,) = _shortfall_boxes(r["figure"].axes[0])
    assert (shortfall.get_y(), shortfall.get_height()) == pytest.approx((-1.0, 5.0))   # the hinge term
    assert ax_loss.get_ylim() == pytest.approx((0.0, 1.05 * hinge_line.get_ydata().max()))


def _drawn(fig):
    """What a figure shows, as comparable data: bars, lines, texts, limits and tick labels."""
    out = []
    for ax in fig.axes:
        out.append([(p.get_y(), p.get_height(), p.get_visible()) for p in ax.patches if isinstance(p, Rectangle)])
        out.append([(tuple(np.asarray(line.get_xdata(), float)), tuple(np.asarray(line.get_ydata(), float)))
                    for line in ax.lines if line.get_visible()])
        out.append([ax.get_title(), ax.get_ylim(), [t.get_text() for t in ax.get_xticklabels()]])
        out.append([(t.get_text(), t.get_position()) for t in ax.texts])
        out.append([t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else None)
    return out


def test_updating_one_figure_draws_what_a_fresh_figure_draws():
    figure = LossComparisonFigure()
    for correct, wrong in [(2.0, 1.23), (5.0, 0.0), (-1.0, 3.0), (2.0, 1.23)]:
        updated = redraw_loss_comparison(figure, correct, wrong)
        fresh = draw_loss_comparison(correct, wrong)
        assert updated["figure"] is figure.figure and len(figure.figure.axes) == 2
        assert _drawn(updated["figure"]) == _drawn(fresh["figure"])
        assert updated["alt"] == fresh["alt"]
    with pytest.raises(TypeError, match="figure must be a LossComparisonFigure"):
        redraw_loss_comparison(plt.figure(), 1.0, 0.0)


def test_widget_sliders_drive_the_result():
    w = loss_comparison_widget()
    assert w.result["hinge"] == pytest.approx(0.23)
    assert "figure" not in w.result and "alt" not in w.result
    correct, wrong = w.children[0], w.children[1]
    assert correct.continuous_update is False and (correct.min, correct.max) == SCORE_RANGE
    correct.value = 5.0
    assert w.result["hinge"] == 0.0
    wrong.value = 5.5
    assert w.result["margin"] == pytest.approx(-0.5)
    assert w.result["hinge"] == pytest.approx(1.5)
    assert len(plt.get_fignums()) == 0          # the widget's figures are not left to pyplot


# ----------------------------------------------------------------------------- other figures


def test_probabilities_figure_shows_the_softmax_of_each_image():
    r = draw_probabilities(LECTURE_SCORES, LECTURE_Y, ["cat", "dog", "train"])
    np.testing.assert_allclose(r["probabilities"].sum(axis=1), 1.0)
    for i, ax in enumerate(r["figure"].axes):
        np.testing.assert_allclose([p.get_height() for p in ax.patches], r["probabilities"][i])
    assert r["figure"].axes[2].get_title() == "image 3 (train): −log p = 0.385"
    assert "image 3 (train) gives its correct class 0.68" in r["alt"]


def test_scaling_optimum_moves_below_the_last_margin_for_larger_reg():
    # W = c·I on the lecture's scores: every margin is met from c = 1/0.77. Just below it the data loss
    # falls with slope 0.77/3, the penalty 3·λ·c² rises with slope 6·λ·c, so the best c is
    # min(1/0.77, 0.77 / (18·λ)) while that stays above the next kink 1/2.31.
    r = draw_scaling_optimum(LECTURE_SCORES, LECTURE_Y, regs=(0.01, 0.02, 0.05), scalings=np.linspace(0, 2.5, 2501))
    expected = [min(1 / 0.77, 0.77 / (18 * reg)) for reg in (0.01, 0.02, 0.05)]
    np.testing.assert_allclose(r["best"], expected, atol=1e-3)        # the grid step
    assert r["best"][2] < 1 / 0.77 - 0.4
    assert "with λ = 0.01 it is lowest at c = 1.30; with λ = 0.02 it is lowest at c = 1.30; " \
           "with λ = 0.05 it is lowest at c = 0.86" in r["alt"]


def test_scaling_optimum_of_the_cross_entropy_shrinks_with_reg():
    r = draw_scaling_optimum(LECTURE_SCORES, LECTURE_Y, regs=(0.01, 0.05, 0.2), loss="softmax")
    assert r["best"][0] > r["best"][1] > r["best"][2] > 0.0
    # the best c on the default grid (steps of 0.01) beats its neighbours at ± one step
    c, reg, h = r["best"][1], 0.05, 0.01
    def full(c):
        return losses.softmax_loss_vectorized(c * np.eye(3), LECTURE_SCORES, LECTURE_Y, reg)[0]
    assert full(c) <= min(full(c - h), full(c + h))


def _l1_paths(targets, reg, learning_rate, num_iters):
    """The two descents of notebook 05 on ½‖w − t‖² + λ Σ|w|, from w = 1."""
    paths = []
    for proximal in (False, True):
        w, path = np.ones_like(targets), [np.ones_like(targets)]
        for _ in range(num_iters):
            if proximal:
                w = w - learning_rate * (w - targets)
                w = np.where(np.abs(w) > learning_rate * reg, w - learning_rate * reg * np.sign(w), 0.0)
            else:
                w = w - learning_rate * ((w - targets) + reg * np.sign(w))
            path.append(w)
        paths.append(np.array(path))
    return paths


@pytest.mark.parametrize("learning_rate", [0.1, 0.05, 0.02])
def test_l1_plain_steps_hover_around_zero_thresholding_lands_on_it(learning_rate):
    targets, reg = np.array([1.5, -0.8, 0.1, -0.05, 0.0]), 0.5
    plain, proximal = _l1_paths(targets, reg, learning_rate, num_iters=int(12 / learning_rate))
    best = np.where(np.abs(targets) > reg, targets - reg * np.sign(targets), 0.0)     # soft-threshold
    to_zero = best == 0
    np.testing.assert_allclose(proximal[-1], best, atol=1e-3)
    assert np.all(proximal[-1][to_zero] == 0.0)                 # exact zeros, and they stay
    tail = plain[-int(3 / learning_rate):, to_zero]
    assert np.all(tail != 0.0)                                  # never exactly zero ...
    assert np.abs(tail).max() <= 1.5 * learning_rate * reg      # ... but within about learning_rate·λ
    assert np.all(np.diff(np.sign(tail), axis=0) != 0, axis=0).sum() >= 1   # one of them flips every step


def test_l1_figure_counts_exact_zeros():
    targets, reg, learning_rate = np.array([1.5, -0.8, 0.1, -0.05, 0.0]), 0.5, 0.1
    plain, proximal = _l1_paths(targets, reg, learning_rate, num_iters=60)
    r = draw_l1_paths(plain, proximal, reg, learning_rate, names=[f"w{k}" for k in range(5)])
    left, right = r["figure"].axes
    assert left.get_title() == "plain subgradient steps: 0 of 5 exactly 0 at the end"
    assert right.get_title() == "soft-thresholding steps: 3 of 5 exactly 0 at the end"
    assert left.get_ylim() == pytest.approx((-0.2, 0.2))
    assert "±0.05" in r["alt"] and "0 weights end exactly at 0 and 3 crossed 0 in the last step" in r["alt"]
    assert r["alt"].endswith("soft-thresholding steps: 3 weights end exactly at 0.")


def test_recap_diagram_names_every_part_of_the_loss():
    r = draw_loss_recap()
    assert len(r["boxes"]) == 6
    joined = " ".join(r["boxes"])
    for part in ("score function", "data loss", "regularisation", "full loss", "hinge or cross-entropy"):
        assert part in joined
    assert "not the learning rate" in " ".join(t.get_text() for t in r["figure"].axes[0].texts)
    assert "full loss" in r["alt"]

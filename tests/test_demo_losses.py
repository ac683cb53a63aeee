"""Tests of course_lib.demos.losses: the computation behind notebook 05's slider demo, its
figure, and the widget driven without a browser."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.demos.losses import (  # noqa: E402
    BENCHMARK_CASES,
    compute_loss_comparison,
    draw_loss_comparison,
    loss_comparison_widget,
)


def test_lecture_train_image():
    # The lecture's third image: train 2.0 (correct), dog 1.23, cat -3.1.
    r = compute_loss_comparison(2.0, 1.23, (-3.1,))
    np.testing.assert_allclose(r["scores"], [2.0, 1.23, -3.1])
    assert r["margin"] == pytest.approx(0.77)
    np.testing.assert_allclose(r["hinge_terms"], [0.23, 0.0], atol=1e-12)
    assert r["hinge"] == pytest.approx(0.23, abs=1e-12)
    e = np.exp([2.0, 1.23, -3.1])
    np.testing.assert_allclose(r["probabilities"], e / e.sum(), rtol=1e-12)
    assert r["cross_entropy"] == pytest.approx(-math.log(e[0] / e.sum()), rel=1e-12)


def test_hinge_satisfied_once_margin_met_cross_entropy_keeps_falling():
    met = compute_loss_comparison(3.0, 1.0, ())       # margin 2 > delta
    more = compute_loss_comparison(6.0, 1.0, ())
    assert met["hinge"] == more["hinge"] == 0.0
    assert more["cross_entropy"] < met["cross_entropy"] < math.log(2)
    assert met["cross_entropy"] == pytest.approx(math.log1p(math.exp(-2.0)), rel=1e-12)


def test_equal_scores_give_delta_and_log_c():
    r = compute_loss_comparison(0.5, 0.5, (0.5, 0.5))
    assert r["hinge"] == pytest.approx(3.0)          # (C - 1) * delta
    assert r["cross_entropy"] == pytest.approx(math.log(4))


def test_bad_scores_and_delta():
    with pytest.raises(TypeError, match=r"^correct_score must be a real number"):
        compute_loss_comparison("2", 1.0)
    with pytest.raises(ValueError, match=r"^wrong_score must be finite"):
        compute_loss_comparison(2.0, float("nan"))
    with pytest.raises(ValueError, match=r"^delta must be >= 0"):
        compute_loss_comparison(2.0, 1.0, delta=-1.0)


def test_draw_returns_figure_with_two_panels_and_titles():
    r = draw_loss_comparison(-1.0, 3.0, (-3.1,), ("train", "dog", "cat"))
    fig = r["figure"]
    ax_scores, ax_loss = fig.axes
    assert ax_scores.get_title() == "margin train − dog = -4.00"
    assert ax_loss.get_title() == "hinge 5.000   cross-entropy 4.020"
    heights = [p.get_height() for p in ax_scores.patches if hasattr(p, "get_height")][:3]
    np.testing.assert_allclose(heights, [-1.0, 3.0, -3.1])
    plt.close(fig)


def test_draw_rejects_wrong_number_of_class_names():
    with pytest.raises(ValueError, match=r"^class_names must have one name per score \(3\), got 2"):
        draw_loss_comparison(1.0, 0.0, (-3.1,), ("a", "b"))


def test_draw_reuses_given_figure():
    fig = plt.figure()
    r = draw_loss_comparison(1.0, 0.0, fig=fig)
    assert r["figure"] is fig and len(fig.axes) == 2
    r = draw_loss_comparison(2.0, 0.0, fig=fig)
    assert len(fig.axes) == 2
    plt.close(fig)


def test_widget_sliders_drive_the_result():
    w = loss_comparison_widget()
    assert w.state["latest"]["hinge"] == pytest.approx(0.23)
    correct, wrong = w.children[0], w.children[1]
    correct.value = 5.0
    assert w.state["latest"]["hinge"] == 0.0
    wrong.value = 5.5
    assert w.state["latest"]["margin"] == pytest.approx(-0.5)
    assert w.state["latest"]["hinge"] == pytest.approx(1.5)
    plt.close("all")


def test_benchmark_cases_run():
    for _, fn, kwargs_list in BENCHMARK_CASES:
        for kwargs in kwargs_list:
            fn(**kwargs)


def test_recap_figure_has_the_chain_of_boxes_and_arrows():
    from course_lib.demos.losses import draw_loss_recap

    r = draw_loss_recap()
    boxes = r["boxes"]
    assert len(boxes) == 6
    assert boxes[2].startswith("score function") and boxes[3].startswith("data loss")
    assert boxes[4].startswith("regularisation") and boxes[5].startswith("full loss")
    arrows = [c for c in r["axes"].texts if getattr(c, "arrow_patch", None) is not None]
    assert len(arrows) == 6
    plt.close(r["figure"])

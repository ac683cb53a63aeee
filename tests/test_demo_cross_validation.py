"""Tests of notebook 03's cross-validation pictures and widget (course_lib.demos.cross_validation).

The fast paths are held equal to the readable core (predict_labels, accuracy, cross_validate_knn);
the figures are rendered and their artists inspected (no fold dot hidden behind the best-k mark,
legend outside the axes, tick labels that do not overlap); the widget is driven without a browser.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from course_lib.cross_validation import best_k, cross_validate_knn, k_fold_indices  # noqa: E402
from course_lib.demos import cross_validation as demo  # noqa: E402
from course_lib.knn import predict_labels  # noqa: E402
from course_lib.metrics import accuracy  # noqa: E402


pytestmark = pytest.mark.usefixtures("course_style")  # tests/conftest.py


def pixel_blobs(n=60, d=12, num_classes=3, seed=0, spread=30):
    """Integer-valued features (like pixels) in overlapping classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, num_classes, size=n)
    X = np.rint(40 * y[:, None] + rng.normal(0, spread, size=(n, d))).clip(0, 255)
    return X.astype(np.uint8), y.astype(np.int64)


def rendered(fig):
    """Draw a figure made by plots.new_figure (no pyplot canvas) with Agg; return the renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


# ----------------------------------------------------------------------------- fold diagram

@pytest.mark.parametrize("num_samples, num_folds", [(22, 5), (20, 5), (7, 3), (10, 10)])
def test_fold_diagram_marks_each_rounds_validation_fold(num_samples, num_folds):
    fig, alt = demo.draw_fold_diagram(num_samples, num_folds)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == num_samples * num_folds
    for row, (_, val_idx) in enumerate(k_fold_indices(num_samples, num_folds)):
        hatched = sorted(int(p.get_x()) for p in cells if int(p.get_y()) == row and p.get_hatch())
        assert hatched == val_idx.tolist()
    assert f"{num_folds}-fold" in alt and f"{num_samples} samples" in alt


def test_fold_diagram_alt_states_uneven_sizes():
    assert "sizes 5, 5, 4, 4, 4" in demo.draw_fold_diagram(22, 5)[1]


@pytest.mark.parametrize("args, error", [((61, 5), ValueError), ((5, 6), ValueError), ((10, 1), ValueError),
                                         ((10.0, 5), TypeError)])
def test_fold_diagram_bad_input(args, error):
    with pytest.raises(error):
        demo.draw_fold_diagram(*args)


# ----------------------------------------------------------------------------- all k at once

@settings(max_examples=40, deadline=None)
@given(st.integers(1, 12), st.integers(1, 15), st.integers(1, 4), st.booleans(), st.integers(0, 10**6))
def test_knn_predictions_equal_predict_labels_for_every_k(M, N, C, ties, seed):
    rng = np.random.default_rng(seed)
    dists = rng.integers(0, 3, size=(M, N)).astype(float) if ties else rng.uniform(0, 5, size=(M, N))
    y_train = rng.integers(0, C, size=N)
    y_true = rng.integers(0, C, size=M)
    ks = sorted(set(rng.integers(1, N + 1, size=3).tolist()))
    predictions = demo.knn_predictions(dists, y_train, ks)
    assert predictions.shape == (M, len(ks))
    for i, k in enumerate(ks):
        np.testing.assert_array_equal(predictions[:, i], predict_labels(dists, y_train, k))
    expected = [accuracy(y_true, predict_labels(dists, y_train, k)) for k in ks]
    np.testing.assert_array_equal(demo.knn_accuracies(dists, y_train, y_true, ks), expected)


@pytest.mark.parametrize("args, error, fragment", [
    ((np.zeros((2, 3)), [0, 1, 0], [4]), ValueError, "k must be"),
    ((np.zeros((2, 3)), [0, 1], [1]), ValueError, "y_train"),
    ((np.zeros((2, 3)), [0, 1, 0], []), TypeError, "k_choices"),
    ((np.zeros((2, 3)), [0, 1, 0], [1.5]), TypeError, "k_choices[0]"),
    ((np.zeros(3), [0, 1, 0], [1]), ValueError, "dists"),
])
def test_knn_predictions_bad_input(args, error, fragment):
    with pytest.raises(error, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        demo.knn_predictions(*args)


# ----------------------------------------------------------------------------- summary and plot

def test_cv_summary_and_description_on_a_known_table():
    ks = [1, 3, 5]
    acc = np.array([[0.5, 0.7], [0.6, 0.8], [0.6, 0.4]])
    s = demo.cv_summary(ks, acc)
    np.testing.assert_allclose(s["means"], [0.6, 0.7, 0.5])
    np.testing.assert_allclose(s["stds"], [0.1, 0.1, 0.1])
    assert (s["best_k"], s["best_mean"]) == best_k(ks, acc) == (3, pytest.approx(0.7))
    text = demo.describe_cv(ks, acc)
    assert "best k = 3: mean validation accuracy 70.0% ± 10.0% (std over 2 folds)" in text
    assert "k = 1: 60.0%, k = 5: 50.0%" in text
    assert "2 of the 3 values of k have a mean within one std of the best: 1, 3" in text


def test_cv_plot_hides_no_fold_dot_and_rings_the_best_k():
    """Issue 17: the old best-k line hid the k = 1 dots. Here the best k is k = 1."""
    ks = [1, 3, 5, 8, 10]
    rng = np.random.default_rng(1)
    acc = np.clip(0.9 - 0.02 * np.arange(5)[:, None] + 0.01 * rng.standard_normal((5, 4)), 0, 1)
    fig, alt = demo.draw_cv_accuracy(ks, acc)
    ax = fig.axes[0]
    dots = ax.collections[0].get_offsets()
    assert sorted(map(tuple, np.asarray(dots))) == sorted((k, a) for k, row in zip(ks, acc) for a in row)
    ring = [line for line in ax.lines if line.get_markersize() > 15]
    assert len(ring) == 1 and ring[0].get_markerfacecolor() == "none"
    assert (ring[0].get_xdata()[0], ring[0].get_ydata()[0]) == (1, pytest.approx(acc[0].mean()))
    # nothing spans the axes at the best k (no axvline / axvspan) and k = 1 is not on the edge
    assert not [line for line in ax.lines if np.ptp(line.get_xdata()) == 0 and len(line.get_xdata()) == 2]
    assert ax.get_xlim()[0] < 1 and ax.get_xlim()[1] > 10
    assert "best mean, ringed, is k = 1" in alt


def test_cv_plot_legend_outside_and_tick_labels_apart():
    ks = list(demo.K_GRID)
    acc = 0.25 + 0.03 * np.random.default_rng(2).standard_normal((len(ks), 5))
    fig, _ = demo.draw_cv_accuracy(ks, acc, title="t")
    renderer = rendered(fig)
    ax = fig.axes[0]
    legend_box = ax.get_legend().get_window_extent(renderer)
    assert legend_box.x0 > ax.get_window_extent(renderer).x1
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
    assert len(boxes) >= 8
    assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:]))
    best = str(best_k(ks, acc)[0])
    assert best in [t.get_text() for t in labels]


# ----------------------------------------------------------------------------- explorer and widget

@pytest.mark.parametrize("n, num_folds", [(60, 5), (47, 4), (33, 2), (20, 10)])
def test_explorer_equals_cross_validate_knn_on_pixel_data(n, num_folds):
    X, y = pixel_blobs(n=n, seed=n)
    explorer = demo.CrossValidationExplorer(X, y)
    ks, acc = explorer.accuracies(num_folds)
    smallest_train = min(len(train) for train, _ in k_fold_indices(n, num_folds))
    assert ks == [k for k in demo.K_GRID if k <= smallest_train]
    np.testing.assert_array_equal(acc, cross_validate_knn(X, y, ks, num_folds))


def test_explorer_equals_cross_validate_knn_with_many_ties():
    rng = np.random.default_rng(5)
    X = rng.integers(0, 2, size=(30, 3)).astype(np.uint8)  # only 8 distinct rows: many equal distances
    y = rng.integers(0, 3, size=30)
    ks, acc = demo.CrossValidationExplorer(X, y).accuracies(3)
    np.testing.assert_array_equal(acc, cross_validate_knn(X, y, ks, 3))


def test_explorer_uses_only_max_samples_and_draws():
    X, y = pixel_blobs(n=80)
    explorer = demo.CrossValidationExplorer(X, y, max_samples=50)
    assert explorer.num_samples == 50
    fig, alt = demo.draw_cv_explorer(explorer, 5, (2, 20))
    ks = [k for k in demo.K_GRID if 2 <= k <= 20]
    assert len(fig.axes[0].collections[0].get_offsets()) == 5 * len(ks)
    assert "5-fold" in alt and "k from 2 to 20" in alt


@pytest.mark.parametrize("call, error", [
    (lambda e: e.draw(5, (300, 400)), ValueError),
    (lambda e: e.draw(5, (5, 2)), ValueError),
    (lambda e: e.draw(5, 7), TypeError),
    (lambda e: e.accuracies(1), ValueError),
    (lambda e: demo.draw_cv_explorer("not an explorer", 5, (1, 5)), TypeError),
    (lambda e: demo.CrossValidationExplorer(np.zeros((3, 2)), [0, 1, 0]), ValueError),
    (lambda e: demo.CrossValidationExplorer(np.zeros((5, 2)), [0, 1, 0, 1, 0], max_samples=2), ValueError),
])
def test_explorer_bad_input(call, error):
    explorer = demo.CrossValidationExplorer(*pixel_blobs(n=30))
    with pytest.raises(error):
        call(explorer)


def test_widget_redraws_when_a_slider_moves(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append(alt))
    explorer = demo.CrossValidationExplorer(*pixel_blobs(n=40))
    box = demo.cross_validation_widget(explorer, num_folds=10, k_range=(1, 8))
    assert isinstance(box, widgets.VBox)
    folds, ks = box.children[0].children
    assert (folds.value, ks.value) == (10, (1, 8)) and not folds.continuous_update
    assert len(shown) == 1 and "10-fold" in shown[0]
    folds.value = 4
    assert "4-fold" in shown[-1]
    assert list(ks.options) == [k for k in demo.K_GRID if k <= 20]  # every k fits 2 folds of 40
    ks.value = (2, 5)
    assert "k from 2 to 5" in shown[-1] and len(shown) == 3


def test_widget_rounds_its_start_to_grid_values(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append(alt))
    box = demo.cross_validation_widget(demo.CrossValidationExplorer(*pixel_blobs(n=40)), num_folds=5, k_range=(7, 9))
    assert box.children[0].children[1].value == (6, 8) and "k from 6 to 8" in shown[0]
    with pytest.raises(TypeError):
        demo.cross_validation_widget("not an explorer")

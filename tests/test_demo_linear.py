"""Tests of course_lib.demos.linear: toy data, the 2-D picture of a linear classifier, the widget."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from course_lib.demos.linear import (  # noqa: E402
    DEMO_B,
    DEMO_W,
    draw_linear_2d,
    draw_score_plane,
    linear_2d_widget,
    per_class_accuracy,
    plane_grid,
    random_linear_recalls,
    toy_data_2d,
    winning_class,
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


# ----------------------------------------------------------------------------- toy data


@pytest.mark.parametrize("kind, C", [("blobs", 3), ("two_clusters", 3), ("xor", 2)])
def test_toy_data_shapes_and_reproducibility(kind, C):
    X, y = toy_data_2d(kind, num_per_class=24, seed=4)
    counts = np.bincount(y)
    assert X.dtype == np.float64 and y.dtype == np.int64 and X.shape == (len(y), 2)
    assert len(counts) == C
    expected = [48, 24, 24] if kind == "two_clusters" else [24] * C
    np.testing.assert_array_equal(counts, expected)
    X2, y2 = toy_data_2d(kind, num_per_class=24, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, toy_data_2d(kind, num_per_class=24, seed=5)[0])


def test_toy_xor_labels_follow_quadrants_and_mirror():
    X, y = toy_data_2d("xor", num_per_class=100, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.all(np.abs(X) >= 0.2) and np.all(np.abs(X) <= 3)
    for c in (0, 1):  # each class is symmetric through the origin
        P = X[y == c]
        assert {tuple(p) for p in P} == {tuple(-p) for p in P}
    assert len(toy_data_2d("xor", num_per_class=7)[1]) == 16  # rounded up to even


def test_toy_two_clusters_class0_on_both_sides():
    X, y = toy_data_2d("two_clusters", num_per_class=50, seed=0)
    left, right = X[(y == 0) & (X[:, 0] < 0)], X[(y == 0) & (X[:, 0] > 0)]
    assert abs(len(left) - len(right)) <= 4
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0, 0], atol=0.2)


def test_toy_data_bad_kind():
    with pytest.raises(ValueError, match=r"^kind must be one of"):
        toy_data_2d("moons")


def test_toy_data_bad_count():
    with pytest.raises(ValueError, match=r"^num_per_class must be"):
        toy_data_2d("blobs", num_per_class=0)


# ----------------------------------------------------------------------------- grid and winners


def test_plane_grid_layout():
    grid = plane_grid(lim=2.0, resolution=4)
    assert grid.shape == (16, 2)
    np.testing.assert_allclose(grid[0], [-1.5, -1.5])
    np.testing.assert_allclose(grid[1], [-0.5, -1.5])  # along a row x grows
    np.testing.assert_allclose(grid[4], [-1.5, -0.5])  # the next row is higher
    np.testing.assert_allclose(grid[-1], [1.5, 1.5])


def test_plane_grid_bad_resolution():
    with pytest.raises(ValueError, match=r"^resolution must be"):
        plane_grid(1.0, 1)


def test_winning_class_matches_loop():
    rng = np.random.default_rng(0)
    W, b, P = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(50, 2))
    expected = [max(range(3), key=lambda c: P[i] @ W[:, c] + b[c]) for i in range(50)]
    np.testing.assert_array_equal(winning_class(W, b, P), expected)


finite = st.floats(-3, 3, allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, (2, 3), elements=finite), arrays(np.float64, (3,), elements=finite),
       st.floats(0.1, 10), st.floats(-5, 5))
def test_winner_invariant_to_positive_scaling_and_common_shift(W, b, factor, shift):
    grid = plane_grid(3.0, 25)
    base = winning_class(W, b, grid)
    scores = grid @ W + b
    top2 = np.sort(scores, axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > 1e-6  # ignore near-ties, where rounding decides
    np.testing.assert_array_equal(winning_class(factor * W, factor * b, grid)[clear], base[clear])
    np.testing.assert_array_equal(winning_class(W, b + shift, grid)[clear], base[clear])


# ----------------------------------------------------------------------------- drawing


def test_draw_linear_2d_values(ax):
    X, y = toy_data_2d("blobs", num_per_class=20, seed=0)
    out = draw_linear_2d(ax, DEMO_W, DEMO_B, X, y, lim=4.0, resolution=40)
    grid = plane_grid(4.0, 40)
    np.testing.assert_array_equal(out["winner"], np.argmax(grid @ DEMO_W + DEMO_B, axis=1).reshape(40, 40))
    assert out["lines"].shape == (3, 2, 2) and out["arrows"].shape == (3, 2, 2)
    for c in range(3):
        np.testing.assert_allclose(out["lines"][c] @ DEMO_W[:, c] + DEMO_B[c], 0.0, atol=1e-9)
        start, end = out["arrows"][c]
        np.testing.assert_allclose(start @ DEMO_W[:, c] + DEMO_B[c], 0.0, atol=1e-9)  # starts on its line
        np.testing.assert_allclose(end - start, DEMO_W[:, c])  # the arrow is the weight vector
    assert out["accuracy"] == np.mean(np.argmax(X @ DEMO_W + DEMO_B, axis=1) == y)
    assert ax.get_title() == f"accuracy on these points: {out['accuracy']:.2f}"
    np.testing.assert_array_equal(out["state"]["image"].get_array(), out["winner"])


def test_draw_linear_2d_reuses_artists(ax):
    b = np.array([0.0, 0.5, -0.5])
    first = draw_linear_2d(ax, DEMO_W, b, resolution=30)
    n_lines, n_patches, n_images = len(ax.lines), len(ax.patches), len(ax.images)
    W = DEMO_W.copy()
    W[:, 0] = [0.0, 2.0]
    second = draw_linear_2d(None, W, b, state=first["state"])
    assert (len(ax.lines), len(ax.patches), len(ax.images)) == (n_lines, n_patches, n_images)
    np.testing.assert_allclose(second["lines"][0], [[-4, 0], [4, 0]])  # 2*y + 0 = 0
    np.testing.assert_allclose(ax.lines[0].get_xydata(), [[-4, 0], [4, 0]])
    np.testing.assert_array_equal(ax.images[0].get_array(), second["winner"])
    assert second["accuracy"] is None


def test_draw_linear_2d_missing_line_hides_arrow(ax):
    W = np.array([[0.0, 1.0], [0.0, 0.0]])
    out = draw_linear_2d(ax, W, np.array([1.0, 0.0]), resolution=10)
    assert np.isnan(out["lines"][0]).all() and np.isnan(out["arrows"][0]).all()
    assert not out["state"]["arrows"][0].get_visible()
    assert out["state"]["arrows"][1].get_visible()


def test_draw_linear_2d_class_count_must_match_state(ax):
    first = draw_linear_2d(ax, DEMO_W, DEMO_B, resolution=10)
    with pytest.raises(ValueError, match=r"^state was made for 3 classes but W has 2"):
        draw_linear_2d(None, DEMO_W[:, :2], DEMO_B[:2], state=first["state"])


def test_draw_linear_2d_needs_y_with_X(ax):
    with pytest.raises(ValueError, match=r"^y must be given together with X"):
        draw_linear_2d(ax, DEMO_W, DEMO_B, X=np.zeros((2, 2)))


def test_draw_linear_2d_bad_W(ax):
    with pytest.raises(ValueError, match=r"^W must have shape \(2, C\)"):
        draw_linear_2d(ax, np.zeros((3, 3)), DEMO_B)


def test_draw_linear_2d_bad_b(ax):
    with pytest.raises(ValueError, match=r"^b has shape \(2,\) but W has shape \(2, 3\)"):
        draw_linear_2d(ax, DEMO_W, DEMO_B[:2])


def test_draw_score_plane(ax):
    out = draw_score_plane(ax, [1.0, 0.5], -1.0, lim=2.0, resolution=8)
    grid = plane_grid(2.0, 8)
    np.testing.assert_allclose(out["scores"], (grid @ [1.0, 0.5] - 1.0).reshape(8, 8))
    np.testing.assert_allclose(out["line"] @ [1.0, 0.5] - 1.0, 0.0, atol=1e-12)


def test_draw_score_plane_bad_w(ax):
    with pytest.raises(ValueError, match=r"^w must have shape \(2,\)"):
        draw_score_plane(ax, [1.0], 0.0)


# ----------------------------------------------------------------------------- measuring


def test_per_class_accuracy_matches_sklearn_recall():
    from sklearn.metrics import recall_score

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    np.testing.assert_allclose(per_class_accuracy(y_true, y_pred, 4), recall_score(y_true, y_pred, average=None))


def test_per_class_accuracy_missing_class_is_nan():
    out = per_class_accuracy(np.array([0, 0, 2]), np.array([0, 1, 2]), 3)
    np.testing.assert_allclose(out, [0.5, np.nan, 1.0])


def test_per_class_accuracy_length_mismatch():
    with pytest.raises(ValueError, match=r"^y_pred has 2 labels"):
        per_class_accuracy(np.array([0, 1, 1]), np.array([0, 1]), 2)


def test_random_linear_recalls_matches_direct_computation():
    X, y = toy_data_2d("blobs", num_per_class=10, seed=1)
    rec = random_linear_recalls(X, y, 3, num_tries=5, scale=2.0, seed=7, chunk=5)
    rng = np.random.default_rng(7)
    W, b = 2.0 * rng.standard_normal((5, 2, 3)), 2.0 * rng.standard_normal((5, 1, 3))
    for t in range(5):
        pred = np.argmax(X @ W[t] + b[t], axis=1)
        np.testing.assert_allclose(rec[t], per_class_accuracy(y, pred, 3))
    # the chunk size does not change the result
    np.testing.assert_allclose(random_linear_recalls(X, y, 3, num_tries=5, scale=2.0, seed=7, chunk=2), rec)


def test_no_line_recognises_both_xor_classes():
    # each class is symmetric through the origin, so for every linear classifier one class
    # has accuracy <= 0.5 exactly (the notebook proves it)
    X, y = toy_data_2d("xor", num_per_class=40, seed=0)
    worst_class = random_linear_recalls(X, y, 2, num_tries=5_000, seed=0).min(axis=1)
    assert worst_class.max() <= 0.5
    X, y = toy_data_2d("blobs", num_per_class=50, seed=0)
    assert random_linear_recalls(X, y, 3, num_tries=2_000, seed=0).min(axis=1).max() > 0.9


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (2, 2), elements=st.floats(-5, 5)), arrays(np.float64, (2,), elements=st.floats(-5, 5)))
def test_xor_theorem_any_linear_classifier_fails_one_class(W, b):
    X, y = toy_data_2d("xor", num_per_class=30, seed=1)
    assert per_class_accuracy(y, winning_class(W, b, X), 2).min() <= 0.5


def test_random_linear_recalls_bad_tries():
    with pytest.raises(ValueError, match=r"^num_tries must be"):
        random_linear_recalls(np.zeros((2, 2)), np.array([0, 1]), 2, num_tries=0)


# ----------------------------------------------------------------------------- widget


def test_widget_sliders_drive_the_picture():
    X, y = toy_data_2d("blobs", num_per_class=10, seed=0)
    w = linear_2d_widget(X, y, resolution=20)
    names = [s.description for s in w.kwargs_widgets]
    assert names == ["W[0,0]", "W[1,0]", "b[0]", "W[0,1]", "W[1,1]", "b[1]", "W[0,2]", "W[1,2]", "b[2]"]
    first = w.result
    np.testing.assert_allclose(first["arrows"][:, 1] - first["arrows"][:, 0], DEMO_W.T)
    sliders = {s.description: s for s in w.kwargs_widgets}
    sliders["W[0,0]"].value = 0.0
    sliders["W[1,0]"].value = 1.0
    sliders["b[0]"].value = -1.0  # class 0 is now zero on y = 1
    np.testing.assert_allclose(w.result["lines"][0], [[-4, 1], [4, 1]])
    W = DEMO_W.copy()
    W[:, 0] = [0.0, 1.0]
    b = DEMO_B.copy()
    b[0] = -1.0
    np.testing.assert_array_equal(w.result["winner"], winning_class(W, b, plane_grid(4.0, 20)).reshape(20, 20))
    assert w.result["accuracy"] == np.mean(np.argmax(X @ W + b, axis=1) == y)


def test_widget_needs_three_classes():
    with pytest.raises(ValueError, match=r"W must have shape \(2, 3\)"):
        linear_2d_widget(W=np.zeros((2, 2)), b=np.zeros(2))

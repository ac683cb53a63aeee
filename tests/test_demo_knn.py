"""Tests of course_lib.demos.knn: the 2-D k-NN demo's computations, its widget, and the
notebook's figure helpers (driven with concrete values, no browser)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.demos import knn as demo  # noqa: E402
from course_lib.distances import pairwise_distances  # noqa: E402
from course_lib.knn import predict_from_distances  # noqa: E402
from course_lib.plots import CLASS_COLORS  # noqa: E402

TEST_IMAGE = np.array([[56, 32, 10, 18], [90, 23, 128, 133], [24, 26, 178, 200], [2, 0, 255, 220]])
TRAIN_IMAGE = np.array([[10, 20, 24, 17], [8, 10, 89, 100], [12, 16, 178, 170], [4, 32, 233, 112]])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- clouds


def test_make_clouds_shapes_labels_and_nesting():
    X, y = demo.make_clouds(3, 10, seed=1)
    assert X.shape == (30, 2) and X.dtype == np.float64
    np.testing.assert_array_equal(y, np.repeat([0, 1, 2], 10))
    assert np.abs(X).max() < demo.PLANE_LIMITS
    X2, y2 = demo.make_clouds(4, 15, seed=1)
    # the first 10 points of each of the first 3 classes stay where they were
    np.testing.assert_array_equal(X2.reshape(4, 15, 2)[:3, :10], X.reshape(3, 10, 2))
    X3, _ = demo.make_clouds(3, 10, seed=1)
    np.testing.assert_array_equal(X3, X)  # deterministic
    assert not np.array_equal(demo.make_clouds(3, 10, seed=2)[0], X)
    X[0, 0] = 99.0  # the caller's copy: the cache is untouched
    assert demo.make_clouds(3, 10, seed=1)[0][0, 0] != 99.0


def test_make_clouds_bad_input():
    with pytest.raises(ValueError, match="^num_classes must be an integer in \\[2, 5\\]"):
        demo.make_clouds(6, 10)
    with pytest.raises(ValueError, match="^points_per_class must be an integer in \\[1, 50\\]"):
        demo.make_clouds(3, 0)
    with pytest.raises(TypeError, match="^num_classes must be an integer"):
        demo.make_clouds(2.0, 10)
    with pytest.raises(ValueError, match="^seed must be an integer in \\[0, inf\\]"):
        demo.make_clouds(3, 10, seed=-1)


# ----------------------------------------------------------------------------- the plane


def test_knn_plane_two_points():
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    y = np.array([0, 1])
    grid = np.array([[-2.0, 0.0], [-0.1, 3.0], [0.0, 0.0], [0.1, -3.0], [2.0, 1.0]])
    # k = 1: a vote of one cannot tie; on the middle line the lower index (class 0) is nearer
    np.testing.assert_array_equal(demo.knn_plane(X, y, 1, "l2", grid=grid), [0, 0, 0, 1, 1])
    # k = 2: both points vote everywhere, one vote each: a tie everywhere
    np.testing.assert_array_equal(demo.knn_plane(X, y, 2, "l1", grid=grid), [demo.TIE] * 5)


def test_knn_plane_agrees_with_the_classifier_where_not_tied():
    X, y = demo.make_clouds(4, 12, seed=3)
    for metric in ("l1", "l2"):
        for k in (1, 2, 4, 7):
            regions = demo.knn_plane(X, y, k, metric)
            assert regions.shape == (demo.GRID_SIZE**2,)
            pred = predict_from_distances(pairwise_distances(demo.GRID, X, metric), y, k)
            clear = regions != demo.TIE
            np.testing.assert_array_equal(regions[clear], pred[clear])
            if k == 1:
                assert clear.all()
            # where tied, the classifier's answer is the smallest of the tied labels
            assert set(np.unique(regions)) <= set(range(4)) | {demo.TIE}
    # with k = 2 and four classes, some of the plane is tied
    assert (demo.knn_plane(X, y, 2, "l2") == demo.TIE).any()


def test_knn_plane_with_huge_label_values():
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    grid = np.array([[-2.0, 0.0], [2.0, 1.0]])
    np.testing.assert_array_equal(demo.knn_plane(X, [2**40, 3], 1, grid=grid), [2**40, 3])
    np.testing.assert_array_equal(demo.knn_plane(X, [2**40, 3], 2, grid=grid), [demo.TIE] * 2)
    with pytest.raises(ValueError, match=r"^y must hold labels in \[0, 4\)"):
        demo.knn_plane(X, [5, 3], 1, num_classes=4, grid=grid)


def test_knn_plane_bad_input():
    with pytest.raises(ValueError, match="^X must have shape \\(N, 2\\)"):
        demo.knn_plane(np.zeros((3, 3)), np.array([0, 1, 2]), 1)
    with pytest.raises(ValueError, match="^y has 2 labels but X has 3 rows"):
        demo.knn_plane(np.zeros((3, 2)), np.array([0, 1]), 1)
    with pytest.raises(ValueError, match="^k must be an integer in \\[1, 3\\]"):
        demo.knn_plane(np.zeros((3, 2)), np.array([0, 1, 2]), 4)
    with pytest.raises(ValueError, match="^metric must be one of"):
        demo.knn_plane(np.zeros((3, 2)), np.array([0, 1, 2]), 1, metric="linf")


def test_draw_knn_plane_colours_ties_grey():
    fig, ax = plt.subplots()
    result = demo.draw_knn_plane(ax, num_classes=3, points_per_class=10, k=2, metric="l2")
    regions = result["regions"]
    assert regions.shape == (demo.GRID_SIZE, demo.GRID_SIZE)
    assert result["tie_fraction"] == pytest.approx(np.mean(regions == demo.TIE))
    assert 0 < result["tie_fraction"] < 1
    rgb = result["image"].get_array()
    tie_rgb = matplotlib.colors.to_rgb(demo.TIE_COLOR)
    tied_pixels = rgb[regions == demo.TIE]
    np.testing.assert_allclose(tied_pixels, np.broadcast_to(tie_rgb, tied_pixels.shape))
    # class regions are lightened class colours, one colour per class
    for c in range(3):
        expected = 0.45 * np.array(matplotlib.colors.to_rgb(CLASS_COLORS[c])) + 0.55
        np.testing.assert_allclose(rgb[regions == c][0], expected)
    assert ax.get_title() == f"k = 2, L2: {result['tie_fraction']:.0%} tied"


def test_widget_redraws_on_every_change():
    w = demo.knn_plane_widget()
    controls = {c.description: c for c in w.children[:-1]}
    assert set(controls) == {"k", "distance", "classes", "points per class"}
    assert (controls["k"].min, controls["k"].max) == (1, 7)
    first = w.result["regions"].copy()
    assert w.result["tie_fraction"] == 0.0  # k = 1 never ties
    controls["k"].value = 4
    assert w.result["tie_fraction"] > 0
    controls["distance"].value = "l1"
    controls["classes"].value = 5
    controls["points per class"].value = 5
    assert set(np.unique(w.result["regions"])) <= set(range(5)) | {demo.TIE}
    assert w.result["X"].shape == (25, 2)
    assert not np.array_equal(w.result["regions"], first)


# ----------------------------------------------------------------------------- other figures


def test_worked_example_figure():
    result = demo.draw_worked_example(TEST_IMAGE.astype(np.uint8), TRAIN_IMAGE.astype(np.uint8))
    assert result["distance"] == 456.0
    np.testing.assert_array_equal(
        result["difference"],
        [[46, 12, 14, 1], [82, 13, 39, 33], [12, 10, 0, 30], [2, 32, 22, 108]],
    )
    assert len(result["figure"].axes) == 3
    with pytest.raises(ValueError, match="same shape"):
        demo.draw_worked_example(TEST_IMAGE, TRAIN_IMAGE[:3])
    with pytest.raises(ValueError, match="^test_image must hold pixel values in 0–255"):
        demo.draw_worked_example(TEST_IMAGE + 300, TRAIN_IMAGE)


def test_unit_circles_are_at_distance_one():
    fig, ax = plt.subplots()
    pts = demo.draw_unit_circles(ax)
    np.testing.assert_allclose(np.abs(pts["l1"]).sum(axis=1), 1.0)
    np.testing.assert_allclose(np.hypot(pts["l2"][:, 0], pts["l2"][:, 1]), 1.0)


def test_distance_matrix_figure_sorts_by_label():
    dists = np.arange(12.0).reshape(3, 4)
    fig, ax = plt.subplots()
    result = demo.draw_distance_matrix(ax, dists, np.array([1, 0, 1]), np.array([2, 0, 1, 0]),
                                       class_names=["a", "b", "c"])
    np.testing.assert_array_equal(result["row_order"], [1, 0, 2])
    np.testing.assert_array_equal(result["col_order"], [1, 3, 2, 0])
    np.testing.assert_array_equal(result["sorted"], dists[[1, 0, 2]][:, [1, 3, 2, 0]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="^y_train has 3 labels"):
        demo.draw_distance_matrix(ax, dists, np.array([1, 0, 1]), np.array([0, 1, 0]))


def test_show_neighbors_gallery():
    rng = np.random.default_rng(0)
    train = rng.integers(0, 256, (6, 5, 5), dtype=np.uint8)
    test = rng.integers(0, 256, (2, 5, 5), dtype=np.uint8)
    fig = demo.show_neighbors(test, train, np.array([[0, 1, 2], [5, 4, 3]]),
                              np.array([0, 1, 0, 1, 0, 1]), ["zero", "one"], y_test=np.array([1, 0]))
    assert len(fig.axes) == 8
    assert fig.axes[0].get_title() == "test: one" and fig.axes[1].get_title() == "zero"
    with pytest.raises(ValueError, match="^neighbor_idx must hold training indices"):
        demo.show_neighbors(test, train, np.array([[0], [6]]), np.zeros(6, dtype=int), ["a"])
    with pytest.raises(ValueError, match="^neighbor_idx must have shape \\(2, k\\)"):
        demo.show_neighbors(test, train, np.array([0, 1]), np.zeros(6, dtype=int), ["a"])

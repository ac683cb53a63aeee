"""Tests of course_lib.demos.knn: notebook 02's figures (the values they compute and what they mark)
and the 2-D k-NN demo (its predictions against course_lib.knn, its ties, its widget driven without a
browser)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from course_lib import distances, knn  # noqa: E402
from course_lib.demos import knn as demo  # noqa: E402
from course_lib.demos import toy_data  # noqa: E402
from course_lib.plots import CLASS_COLORS  # noqa: E402

TEST_IMAGE = np.array([[56, 32, 10, 18], [90, 23, 128, 133], [24, 26, 178, 200], [2, 0, 255, 220]], dtype=np.uint8)
TRAIN_IMAGE = np.array([[10, 20, 24, 17], [8, 10, 89, 100], [12, 16, 178, 170], [4, 32, 233, 112]], dtype=np.uint8)


def _rgb(color) -> tuple:
    return tuple(np.round(mcolors.to_rgb(color), 4))


# --------------------------------------------------------------------------- the lecture's examples


def test_worked_example_is_the_lectures_456():
    result = demo.worked_example_figure(TEST_IMAGE, TRAIN_IMAGE)
    np.testing.assert_array_equal(result["difference"],
                                  [[46, 12, 14, 1], [82, 13, 39, 33], [12, 10, 0, 30], [2, 32, 22, 108]])
    assert result["distance"] == 456.0 == distances.l1_distance(TEST_IMAGE, TRAIN_IMAGE)
    fig = result["figure"]
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    assert "456" in fig._suptitle.get_text() and "456" in result["alt"]
    # the right-hand table shows the differences, not a uint8 wrap-around (10 - 24 is 14, not 242)
    texts = [t.get_text() for t in fig.axes[2].texts]
    assert texts[:4] == ["46", "12", "14", "1"]


@pytest.mark.parametrize("args, error, fragment", [
    ((TEST_IMAGE, TRAIN_IMAGE[:3]), ValueError, "same shape"),
    ((np.stack([TEST_IMAGE] * 3, axis=2), np.stack([TRAIN_IMAGE] * 3, axis=2)), ValueError, "small grey image"),
    ((np.zeros((9, 9)), np.zeros((9, 9))), ValueError, "at most 8 × 8"),
    ((TEST_IMAGE.astype(int) + 300, TRAIN_IMAGE), ValueError, "test_image must hold pixel values in 0–255"),
    (("abc", TRAIN_IMAGE), TypeError, "test_image"),
])
def test_worked_example_bad_input(args, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.worked_example_figure(*args)


def test_vote_example_is_the_lectures_three_against_one_and_one():
    toy = demo.vote_example()
    result = demo.vote_example_figure(toy["X"], toy["y"], toy["query"], k=5, class_names=toy["class_names"])
    np.testing.assert_array_equal(result["votes"], [1, 1, 3])
    assert result["prediction"] == 2 == toy["class_names"].index("triangle")
    dists = distances.compute_distances(toy["query"][None, :], toy["X"])
    np.testing.assert_array_equal(result["neighbors"], knn.nearest_neighbors(dists, 5)[0])
    assert knn.predict_labels(dists, toy["y"], 5)[0] == result["prediction"]
    # the 5th and 6th nearest are clearly apart: the picture does not hinge on a near-tie
    ordered = np.sort(dists[0])
    assert ordered[5] - ordered[4] > 0.3
    labels = [t.get_text() for t in result["figure"].axes[0].get_legend().get_texts()]
    assert labels == ["circle: 1 vote", "square: 1 vote", "triangle: 3 votes", "query → triangle"]
    assert "3 triangles, 1 circle, 1 square" in result["alt"]


def test_vote_example_with_other_k_and_distance():
    toy = demo.vote_example()
    for k in (1, 3, 15):
        for distance in ("l1", "l2"):
            result = demo.vote_example_figure(toy["X"], toy["y"], toy["query"], k=k, distance=distance)
            dists = distances.compute_distances(toy["query"][None, :], toy["X"], distance=distance)
            assert result["prediction"] == knn.predict_labels(dists, toy["y"], k)[0]
            assert result["votes"].sum() == k


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(X=np.zeros((4, 3)), y=[0, 1, 0, 1], query=[0.0, 0.0]), ValueError, "points in the plane"),
    (dict(X=np.zeros((4, 2)), y=[0, 1, 0], query=[0.0, 0.0]), ValueError, "y has 3 labels"),
    (dict(X=np.zeros((4, 2)), y=[0, 1, 0, 1], query=[0.0, 0.0], k=5), ValueError, r"k must be an integer in \[1, 4\]"),
    (dict(X=np.zeros((4, 2)), y=[0, 1, 0, 1], query=[0.0, 0.0], k=1, distance="cosine"), ValueError,
     "distance must be one of"),
    (dict(X=np.zeros((4, 2)), y=[0, 1, 0, 2], query=[0.0, 0.0], k=1, class_names=("a", "b")), ValueError,
     "class_names has 2 names"),
])
def test_vote_example_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.vote_example_figure(**kwargs)


def test_unit_balls_are_at_distance_one():
    result = demo.unit_balls_figure()
    np.testing.assert_allclose(np.abs(result["l1"]).sum(axis=1), 1.0)
    np.testing.assert_allclose(np.hypot(*result["l2"].T), 1.0)
    assert len(result["figure"].axes[0].get_legend().get_texts()) == 2


# --------------------------------------------------------------------------- real-image figures


def _images(n, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 4, 4, 3), dtype=np.uint8)


def test_distance_matrix_figure_finds_the_brightest_row_and_darkest_column():
    rng = np.random.default_rng(1)
    dists = rng.uniform(10, 20, (6, 9))
    dists[4] += 30  # a test image far from everything
    dists[:, 2] -= 9  # a training image near everything
    y_test, y_train = np.array([1, 0, 2, 1, 0, 2]), np.array([2, 0, 1, 1, 0, 2, 0, 1, 2])
    result = demo.distance_matrix_figure(dists, y_test, y_train, ["a", "b", "c"], _images(6), _images(9, 1))
    assert (result["brightest_row"], result["darkest_column"]) == (4, 2)
    np.testing.assert_allclose(result["row_means"], dists.mean(axis=1))
    np.testing.assert_allclose(result["column_means"], dists.mean(axis=0))
    ax = result["figure"].axes[0]
    shown = ax.images[0].get_array()
    order_rows, order_cols = np.argsort(y_test, kind="stable"), np.argsort(y_train, kind="stable")
    np.testing.assert_array_equal(shown, dists[order_rows][:, order_cols])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert "test image 4, a" in result["alt"] and "training image 2, b" in result["alt"]
    # the thumbnails on the right are the images of that row and that column
    np.testing.assert_array_equal(result["figure"].axes[-2].images[0].get_array() * 255,
                                  _images(6)[4].astype(float))


@pytest.mark.parametrize("change, error, fragment", [
    (dict(y_test=np.array([0, 1])), ValueError, "y_test has 2 labels"),
    (dict(y_train=np.array([0.0, 1.0, 0.0])), TypeError, "y_train must hold integer class labels"),
    (dict(test_images=_images(1)), ValueError, "test_images and train_images must hold"),
    (dict(class_names=["a"]), ValueError, "class_names has 1 names"),
    (dict(distance="L2"), ValueError, "distance must be one of"),
])
def test_distance_matrix_figure_bad_input(change, error, fragment):
    kwargs = dict(dists=np.ones((3, 3)), y_test=np.array([0, 1, 0]), y_train=np.array([1, 0, 1]),
                  class_names=["a", "b"], test_images=_images(3), train_images=_images(3))
    with pytest.raises(error, match=fragment):
        demo.distance_matrix_figure(**{**kwargs, **change})


def test_neighbors_figure_frames_neighbours_of_another_class():
    train = _images(6)
    idx = np.array([[0, 1, 2], [5, 4, 3]])
    y_train = np.array([0, 1, 0, 1, 0, 1])
    y_test = np.array([1, 0])
    result = demo.neighbors_figure(_images(2, 2), y_test, train, y_train, idx, ["zero", "one"],
                                   predictions=np.array([0, 0]))
    expected = y_train[idx] != y_test[:, None]
    np.testing.assert_array_equal(result["other_class"], expected)
    axes = np.array(result["figure"].axes).reshape(2, 4)
    assert axes[0, 0].get_title() == "test: one\n→ zero (WRONG)"
    assert axes[1, 0].get_title() == "test: zero\n→ zero (right)"
    for r in range(2):
        for j in range(3):
            spine = axes[r, j + 1].spines["top"]
            want = demo.OTHER_CLASS_COLOR if expected[r, j] else demo.SAME_CLASS_COLOR
            assert spine.get_visible() and _rgb(spine.get_edgecolor()) == _rgb(want)
            assert axes[r, j + 1].get_title() == ["zero", "one"][y_train[idx[r, j]]]
    legend = [t.get_text() for t in result["figure"].legends[0].get_texts()]
    assert legend == ["same class as the test image", "another class"]
    assert f"({int(expected.sum())} of the 6)" in result["alt"] and "1 of the 2 test images" in result["alt"]


def test_neighbors_figure_of_one_image_says_what_it_was_predicted():
    result = demo.neighbors_figure(_images(1), [1], _images(3), [0, 1, 1], [[2, 0]], ["cat", "dog"], predictions=[0])
    assert result["alt"].startswith("A test image followed by its 2 nearest")
    assert "it is predicted cat, wrongly" in result["alt"]


@pytest.mark.parametrize("change, error, fragment", [
    (dict(neighbor_idx=np.array([0, 1])), ValueError, r"neighbor_idx must be \(2, k\)"),
    (dict(neighbor_idx=np.array([[0], [6]])), ValueError, r"neighbor_idx must hold training indices in \[0, 6\)"),
    (dict(neighbor_idx=np.array([[0.0], [1.0]])), ValueError, "integer training indices"),
    (dict(y_test=np.array([0, 5])), ValueError, "class_names has 2 names"),
    (dict(predictions=np.array([0])), ValueError, "predictions has 1 labels"),
])
def test_neighbors_figure_bad_input(change, error, fragment):
    kwargs = dict(test_images=_images(2), y_test=np.array([0, 1]), train_images=_images(6),
                  y_train=np.array([0, 1, 0, 1, 0, 1]), neighbor_idx=np.array([[0], [1]]), class_names=["a", "b"])
    with pytest.raises(error, match=fragment):
        demo.neighbors_figure(**{**kwargs, **change})


def test_images_row_figure_fits_two_line_titles():
    fig = demo.images_row_figure(list(_images(3)), ["a\nb", "c", "d\ne"])
    assert [ax.get_title() for ax in fig.axes] == ["a\nb", "c", "d\ne"]
    fig.canvas.draw()
    top = max(ax.title.get_window_extent().y1 for ax in fig.axes)
    assert top <= fig.bbox.y1  # no title cut off at the top
    with pytest.raises(ValueError, match="same length"):
        demo.images_row_figure(list(_images(2)), ["only one"])


def test_accuracy_plot_zooms_on_the_data_and_states_chance():
    ks = [1, 3, 5, 10]
    result = demo.accuracy_vs_k_figure(ks, {"L2": ([0.25, 0.27, 0.26, 0.28], 500)}, chance=0.1)
    low, high = result["ylim"]
    se = np.sqrt(0.25 * 0.75 / 500)
    assert 0.1 < low < 0.25 - se and 0.28 + np.sqrt(0.28 * 0.72 / 500) < high < 0.5
    ax = result["figure"].axes[0]
    assert ax.get_ylim() == pytest.approx((low, high))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "chance (10%): below this axis" in legend and not ax.lines[-1].get_xydata().size
    assert "chance is 10%" in result["alt"] and "highest at k = 10" in result["alt"]
    # chance inside the range: a line with a legend entry instead of the note
    inside = demo.accuracy_vs_k_figure(ks, {"L2": ([0.9, 0.92, 0.95, 0.93], 20)}, chance=0.85)
    legend = [t.get_text() for t in inside["figure"].axes[0].get_legend().get_texts()]
    assert "chance (85%)" in legend
    assert inside["figure"].axes[0].lines[-1].get_ydata()[0] == pytest.approx(0.85)
    # the legend sits below the axes, where it cannot hide a curve
    fig = inside["figure"]
    fig.canvas.draw()
    box, frame = fig.axes[0].get_legend().get_window_extent(), fig.axes[0].get_window_extent()
    assert box.y1 < frame.y0 and box.y0 >= 0


@pytest.mark.parametrize("args, error, fragment", [
    (([3, 1], {"a": ([0.1, 0.2], 10)}, 0.1), ValueError, "increasing"),
    (([1, 3], {"a": ([0.1, 1.2], 10)}, 0.1), ValueError, r"accuracies of a must be 2 numbers in \[0, 1\]"),
    (([1, 3], {}, 0.1), ValueError, "at least one curve"),
    (([1.5, 3], {"a": ([0.1, 0.2], 10)}, 0.1), TypeError, "k_choices must be an integer"),
])
def test_accuracy_plot_bad_input(args, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.accuracy_vs_k_figure(*args)


# --------------------------------------------------------------------------- k-NN in the plane


def _expected_regions(X, y, grid, k, distance):
    """The vote of knn.nearest_neighbors' k nearest, with TIE where the top count is shared."""
    labels = y[knn.nearest_neighbors(distances.compute_distances(grid, X, distance=distance), k)]
    votes = np.stack([np.bincount(row, minlength=y.max() + 1) for row in labels])
    tied = (votes == votes.max(axis=1, keepdims=True)).sum(axis=1) > 1
    return np.where(tied, demo.TIE, votes.argmax(axis=1))


@pytest.mark.parametrize("distance", ["l1", "l2"])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 9, 11, 12])
def test_knn_regions_equal_the_classifier_even_with_equal_distances(distance, k):
    rng = np.random.default_rng(k)
    X = rng.integers(-3, 4, (12, 2)).astype(float)  # whole numbers: many equal distances
    y = rng.integers(0, 3, 12)
    grid = toy_data.plane_grid((-4.0, 4.0), (-4.0, 4.0), resolution=9)  # whole-number locations too
    regions = demo.knn_regions(X, y, grid, k, distance)
    np.testing.assert_array_equal(regions, _expected_regions(X, y, grid, k, distance))
    clear = regions != demo.TIE
    predicted = knn.predict_labels(distances.compute_distances(grid, X, distance=distance), y, k)
    np.testing.assert_array_equal(regions[clear], predicted[clear])
    if k == 1:
        assert clear.all()  # one vote cannot tie


def test_knn_regions_two_points():
    X, y = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1])
    grid = np.array([[-2.0, 0.0], [0.0, 3.0], [2.0, 1.0]])
    np.testing.assert_array_equal(demo.knn_regions(X, y, grid, 1), [0, 0, 1])  # equal distance: lower index
    np.testing.assert_array_equal(demo.knn_regions(X, y, grid, 2, "l1"), [demo.TIE] * 3)


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(X=np.zeros((3, 3)), y=[0, 1, 2], grid=np.zeros((2, 2)), k=1), ValueError, "points in the plane"),
    (dict(X=np.zeros((3, 2)), y=[0, 1], grid=np.zeros((2, 2)), k=1), ValueError, "y has 2 labels"),
    (dict(X=np.zeros((3, 2)), y=[0, 1, 2], grid=np.zeros((2, 2)), k=4), ValueError,
     r"k must be an integer in \[1, 3\]"),
    (dict(X=np.zeros((3, 2)), y=[0, 1, 2], grid=None, k=1), TypeError, "grid must be a numeric array"),
    (dict(X=np.zeros((3, 2)), y=[0, 1, 2], grid=np.zeros((2, 2)), k=1, distance="linf"), ValueError,
     "distance must be one of"),
])
def test_knn_regions_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.knn_regions(**kwargs)


@pytest.mark.parametrize("data", list(demo.TOY_DATASETS))
def test_toy_points_come_from_toy_data(data):
    maker, default, names = demo.TOY_DATASETS[data]
    X, y, got_names = demo.toy_points(data)
    X0, y0 = maker(default, seed=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    assert got_names == names and len(names) == y.max() + 1


@pytest.mark.parametrize("data, k, distance, num_per_class", [
    ("moons", 1, "l2", None), ("moons", 4, "l1", 30), ("blobs", 3, "l2", None), ("xor", 2, "l1", 20),
    ("two clusters", 25, "l2", 40),
])
def test_knn_plane_matches_the_classifier(data, k, distance, num_per_class):
    result = demo.knn_plane(data, k, distance, num_per_class)
    X, y, regions = result["X"], result["y"], result["regions"]
    x0, x1, y0, y1 = result["extent"]
    assert x0 < X[:, 0].min() and X[:, 0].max() < x1 and y0 < X[:, 1].min() and X[:, 1].max() < y1
    grid = toy_data.plane_grid((x0, x1), (y0, y1), resolution=regions.shape[0])
    np.testing.assert_array_equal(regions.ravel(), _expected_regions(X, y, grid, k, distance))
    assert result["tie_fraction"] == pytest.approx(np.mean(regions == demo.TIE))
    train_pred = knn.predict_labels(distances.compute_distances(X, X, distance=distance), y, k)
    assert result["train_accuracy"] == pytest.approx(np.mean(train_pred == y))
    if k == 1:
        assert result["train_accuracy"] == 1.0 and result["tie_fraction"] == 0.0
    with pytest.raises(ValueError):
        X[0, 0] = 99.0  # the cached training points are read-only


def test_knn_plane_shows_ties_with_an_even_k_and_none_with_an_odd_k():
    assert demo.knn_plane("moons", 2)["tie_fraction"] > 0
    assert demo.knn_plane("moons", 3)["tie_fraction"] == 0.0  # two classes, odd k: no tie possible
    assert demo.knn_plane("blobs", 3)["tie_fraction"] > 0  # three classes: 1-1-1 ties


def test_draw_knn_plane_colours_ties_grey_and_has_a_legend():
    result = demo.draw_knn_plane("moons", k=2, distance="l2")
    ax = result["figure"].axes[0]
    rgb = ax.images[0].get_array()
    regions = result["regions"]
    np.testing.assert_allclose(rgb[regions == demo.TIE], np.broadcast_to(mcolors.to_rgb(demo.TIE_COLOR),
                                                                         rgb[regions == demo.TIE].shape))
    for c in range(2):
        np.testing.assert_allclose(rgb[regions == c][0], 0.4 * np.array(mcolors.to_rgb(CLASS_COLORS[c])) + 0.6)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["upper moon", "lower moon", "tied vote"]
    assert f"{result['tie_fraction']:.0%} tied" in ax.get_title()
    assert "moons" in result["alt"] and "k = 2" in result["alt"]


def test_knn_plane_panels():
    result = demo.knn_plane_panels([(1, "l2"), (15, "l1"), (2, "l2")])
    assert [(r["k"], r["distance"]) for r in result["results"]] == [(1, "l2"), (15, "l1"), (2, "l2")]
    assert len(result["figure"].axes) == 4 and not result["figure"].axes[3].axison
    assert "k = 15 L1" in result["alt"]
    with pytest.raises(ValueError, match="at least one"):
        demo.knn_plane_panels([])


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(data="spirals"), ValueError, "data must be one of"),
    (dict(k=26), ValueError, r"k must be an integer in \[1, 25\]"),
    (dict(k=0), ValueError, r"k must be an integer in \[1, 25\]"),
    (dict(distance="l3"), ValueError, "distance must be one of"),
    (dict(num_per_class=500), ValueError, r"num_per_class must be an integer in \[2, 100\]"),
    (dict(num_per_class=2.5), TypeError, "num_per_class must be an integer"),
])
def test_knn_plane_bad_input(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        demo.knn_plane(**kwargs)


def test_widget_redraws_on_every_change():
    box = demo.knn_plane_widget()
    controls = {c.description: c for row in box.children[:2] for c in row.children}
    assert set(controls) == {"data", "points/class", "k", "distance"}
    assert all(not c.continuous_update for c in (controls["k"], controls["points/class"]))
    assert (box.result["data"], box.result["k"], box.result["distance"]) == ("moons", 1, "l2")
    assert "figure" not in box.result
    controls["k"].value = 2
    assert box.result["k"] == 2 and box.result["tie_fraction"] > 0
    controls["distance"].value = "l1"
    assert box.result["distance"] == "l1"
    controls["points/class"].value = 30
    assert len(box.result["y"]) == 60
    controls["data"].value = "blobs"  # a new data set starts at its own default size
    assert controls["points/class"].value == demo.TOY_DATASETS["blobs"][1]
    assert box.result["data"] == "blobs" and len(box.result["y"]) == 3 * demo.TOY_DATASETS["blobs"][1]
    assert set(np.unique(box.result["regions"])) <= {demo.TIE, 0, 1, 2}


def test_widget_bad_arguments_fail_at_once():
    with pytest.raises(ValueError, match="data must be one of"):
        demo.knn_plane_widget("spirals")
    with pytest.raises(ValueError, match=r"k must be an integer in \[1, 25\]"):
        demo.knn_plane_widget(k=40)


def test_benchmark_cases_of_notebook_02_run(monkeypatch):
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_widgets.py"
    spec = importlib.util.spec_from_file_location("bench_widgets", path)
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_widgets", bench)  # dataclasses look their module up
    spec.loader.exec_module(bench)
    cases = [c for c in bench.CASES if c.name.startswith("02 ")]
    assert cases
    for case in cases:
        fn, why = bench.resolve(case)
        assert fn is not None, why
        for kwargs in case.kwargs_list:
            assert isinstance(fn(**kwargs)["figure"], Figure)

"""Tests of notebook 03's demos (course_lib.demos.cross_validation).

The compute functions are checked against scikit-learn or closed forms; the drawing
functions are called with concrete values and their return values checked; the widget is
driven without a browser (ipywidgets.interactive children, .result).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402

import course_lib.distances  # noqa: E402
from course_lib.demos import cross_validation as demo  # noqa: E402
from course_lib.model_selection import cross_validate_knn  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def integer_blobs(n=60, d=12, seed=0):
    """Integer-valued features (like pixels) in three overlapping classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    X = np.rint(40 * y[:, None] + rng.normal(0, 30, size=(n, d))).clip(0, 255)
    return X, y.astype(np.int64)


# ----------------------------------------------------------------------------- toy data and fits


def test_make_toy_data_shapes_balance_and_reproducibility():
    X, y = demo.make_toy_data(30, seed=4)
    assert X.shape == (60, 2) and y.shape == (60,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [30, 30]
    X2, y2 = demo.make_toy_data(30, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_make_toy_data_without_noise_lies_on_the_moons():
    X, y = demo.make_toy_data(50, noise=0.0, seed=1)
    upper = X[y == 0]
    lower = X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= 0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5)


@pytest.mark.parametrize("kwargs, error", [
    (dict(num_per_class=0), ValueError),
    (dict(num_per_class=2.5), TypeError),
    (dict(noise=-1.0), ValueError),
    (dict(seed=-1), ValueError),
])
def test_make_toy_data_bad_input(kwargs, error):
    with pytest.raises(error, match="^" + next(iter(kwargs))):
        demo.make_toy_data(**kwargs)


@pytest.mark.parametrize("k", [1, 7])
def test_decision_grid_matches_sklearn(k):
    X, y = demo.make_toy_data(40, seed=2)
    xx, yy, labels = demo.knn_decision_grid(X, y, k, xlim=(-1.5, 2.5), ylim=(-1, 1.5), resolution=25)
    assert xx.shape == yy.shape == labels.shape == (25, 25)
    ref = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X, y)
    np.testing.assert_array_equal(labels.ravel(), ref.predict(np.column_stack([xx.ravel(), yy.ravel()])))
    assert xx[0, 0] == -1.5 and xx[0, -1] == 2.5 and yy[-1, 0] == 1.5


def test_decision_grid_bad_input():
    X, y = demo.make_toy_data(5)
    with pytest.raises(ValueError, match=r"^X_train must have shape \(N, 2\)"):
        demo.knn_decision_grid(np.zeros((10, 3)), y, 1, xlim=(0, 1), ylim=(0, 1))
    with pytest.raises(ValueError, match=r"^k must be an integer in \[1, 10\]"):
        demo.knn_decision_grid(X, y, 11, xlim=(0, 1), ylim=(0, 1))
    with pytest.raises(ValueError, match="^xlim must be"):
        demo.knn_decision_grid(X, y, 1, xlim=(1, 0), ylim=(0, 1))
    with pytest.raises(ValueError, match="^resolution"):
        demo.knn_decision_grid(X, y, 1, xlim=(0, 1), ylim=(0, 1), resolution=1)


def test_fit_regimes_over_and_underfitting():
    X_tr, y_tr = demo.make_toy_data(50, seed=0)
    X_te, y_te = demo.make_toy_data(50, seed=1)
    fig, axes = plt.subplots(1, 3)
    res = demo.draw_fit_regimes(axes, X_tr, y_tr, X_te, y_te, [1, 9, 100], resolution=20)
    assert res[1][0] == 1.0  # k = 1 memorises the training set
    assert res[100] == (0.5, 0.5)  # k = N: one class everywhere (a 50:50 tie -> label 0)
    for k, (train_acc, test_acc) in res.items():
        ref = KNeighborsClassifier(n_neighbors=k, algorithm="brute").fit(X_tr, y_tr)
        assert train_acc == pytest.approx(ref.score(X_tr, y_tr))
        assert test_acc == pytest.approx(ref.score(X_te, y_te))
    assert axes[0].get_title().startswith("k = 1\ntrain 100%")
    with pytest.raises(ValueError, match="^axes must hold one Axes per k"):
        demo.draw_fit_regimes(axes[:2], X_tr, y_tr, X_te, y_te, [1, 9, 100])


def test_tuning_on_test_set_is_optimistic():
    res = demo.tuning_on_test_set(list(range(1, 40, 2)), num_fresh=1000, seed=0)
    i = res["k_values"].index(res["chosen_k"])
    assert res["chosen_test_accuracy"] == res["test_accuracy"].max() == res["test_accuracy"][i]
    assert res["chosen_fresh_accuracy"] == res["fresh_accuracy"][i]
    # the selected test score overstates what the chosen k does on fresh data
    assert res["chosen_test_accuracy"] > res["chosen_fresh_accuracy"]
    with pytest.raises(ValueError, match=r"^k_values\[0\]"):
        demo.tuning_on_test_set([500], num_train=200)


def test_fold_diagram_marks_each_fold():
    fig, ax = plt.subplots()
    folds = demo.draw_fold_diagram(ax, 29, 5)
    assert [len(v) for _, v in folds] == [6, 6, 6, 6, 5]
    grid = ax.images[0].get_array()
    assert grid.shape == (5, 29)
    np.testing.assert_array_equal(np.asarray(grid).sum(axis=0), np.ones(29))
    with pytest.raises(ValueError, match="^num_folds"):
        demo.draw_fold_diagram(ax, 3, 4)


# ----------------------------------------------------------------------------- CV plot and widget


def test_cv_summary_with_skipped_k():
    acc = np.array([[0.8, 0.9, 1.0], [0.5, np.nan, 0.7], [np.nan, np.nan, np.nan]])
    s = demo.cv_summary([1, 5, 50], acc)
    np.testing.assert_allclose(s["means"][:2], [0.9, 0.6])
    np.testing.assert_allclose(s["stds"][:2], [np.std([0.8, 0.9, 1.0]), 0.1])
    assert np.isnan(s["means"][2]) and np.isnan(s["stds"][2])
    assert s["best_k"] == 1 and s["best_mean"] == pytest.approx(0.9)


def test_draw_cv_accuracy_draws_dots_and_error_bars():
    ks = [1, 3, 10]
    acc = np.array([[0.9, 0.8], [0.95, 0.85], [0.7, 0.6]])
    fig, ax = plt.subplots()
    s = demo.draw_cv_accuracy(ax, ks, acc, title="t")
    assert s["best_k"] == 3
    dots = ax.collections[0].get_offsets()
    assert len(dots) == 6
    np.testing.assert_allclose(np.asarray(dots)[:, 1], acc.ravel())
    assert ax.get_xscale() == "log" and ax.get_title() == "t"
    assert any("best k = 3" in t.get_text() for t in ax.get_legend().get_texts())


def test_explorer_equals_cross_validate_knn_and_caches(monkeypatch):
    X, y = integer_blobs()
    calls = []
    original = course_lib.distances.pairwise_distances

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(course_lib.distances, "pairwise_distances", counting)
    explorer = demo.CrossValidationExplorer(X, y)
    ks = [1, 3, 5, 10]
    for num_folds in (2, 3, 5, 7):
        got = explorer.accuracies(ks, num_folds)
        monkeypatch.setattr(course_lib.distances, "pairwise_distances", original)
        expected = cross_validate_knn(X, y, ks, num_folds)
        monkeypatch.setattr(course_lib.distances, "pairwise_distances", counting)
        np.testing.assert_array_equal(got, expected)
    assert len(calls) == 1  # one N x N matrix served every num_folds


def test_explorer_draw_filters_k_range_and_skips_big_k():
    X, y = integer_blobs(n=40)
    fig, ax = plt.subplots()
    res = demo.CrossValidationExplorer(X, y, "l1").draw(ax, 4, (3, 40))
    # K_GRID values in [3, 40] that fit in a training part of 30 samples
    assert res["k_choices"] == [3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30]
    assert res["accuracies"].shape == (11, 4)
    with pytest.raises(ValueError, match=r"^k_range=\(50, 60\)"):
        demo.CrossValidationExplorer(X, y).draw(ax, 4, (50, 60))


def test_widget_redraws_on_change():
    X, y = integer_blobs(n=50)
    w = demo.cross_validation_widget(X, y)
    num_folds, k_range = w.children[0], w.children[1]
    assert w.result["accuracies"].shape[1] == 5
    num_folds.value = 3
    assert w.result["accuracies"].shape[1] == 3
    k_range.value = (2, 6)
    assert w.result["k_choices"] == [2, 3, 4, 5, 6]
    np.testing.assert_array_equal(w.result["accuracies"], cross_validate_knn(X, y, [2, 3, 4, 5, 6], 3))


def test_widget_max_samples():
    X, y = integer_blobs(n=50)
    w = demo.cross_validation_widget(X, y, max_samples=20)
    np.testing.assert_array_equal(w.result["accuracies"], cross_validate_knn(X[:20], y[:20], w.result["k_choices"], 5))


# ----------------------------------------------------------------------------- test time


def test_prediction_times_shapes_and_errors():
    X, y = integer_blobs(n=40)
    t = demo.prediction_times(X, y, X[:5], [10, 20, 40], repeats=1)
    assert t["sizes"].tolist() == [10, 20, 40]
    assert t["predict_seconds"].shape == t["fit_seconds"].shape == (3,)
    assert np.all(t["predict_seconds"] > 0) and np.all(t["fit_seconds"] >= 0)
    fig, ax = plt.subplots()
    demo.draw_prediction_times(ax, t, num_test=5)
    assert len(ax.lines) == 3
    good = {"sizes": [1, 2], "fit_seconds": [0.1, 0.1], "predict_seconds": [0.1, 0.2]}
    for timings, error, pattern in [
        ([1, 2], TypeError, "^timings must be the dict returned by prediction_times"),
        ({"sizes": [1, 2]}, ValueError, "^timings must have the entries .* missing 'fit_seconds', 'predict_seconds'"),
        ({**good, "fit_seconds": [0.1]}, ValueError, "^timings must hold one entry per training-set size"),
        ({**good, "sizes": [0, 2]}, ValueError, r"^timings\['sizes'\] must hold training-set sizes >= 1"),
        ({**good, "predict_seconds": [0.1, -1.0]}, ValueError, r"^timings\['predict_seconds'\] must hold durations >= 0"),
        ({**good, "fit_seconds": [0.1, np.nan]}, ValueError, r"^timings\['fit_seconds'\] must contain only finite"),
    ]:
        with pytest.raises(error, match=pattern):
            demo.draw_prediction_times(ax, timings, num_test=5)
    with pytest.raises(ValueError, match=r"^num_test must be an integer in \[1, inf\]"):
        demo.draw_prediction_times(ax, good, num_test=0)
    with pytest.raises(ValueError, match=r"^sizes\[0\] must be an integer in \[3, 40\]"):
        demo.prediction_times(X, y, X[:5], [2], k=3)
    with pytest.raises(ValueError, match=r"^sizes\[0\]"):
        demo.prediction_times(X, y, X[:5], [41])


# ----------------------------------------------------------------------------- pixel distances


def test_shift_image_by_hand():
    img = np.arange(12, dtype=np.uint8).reshape(3, 4)
    np.testing.assert_array_equal(
        demo.shift_image(img, 1, 0), [[0, 0, 1, 2], [4, 4, 5, 6], [8, 8, 9, 10]]
    )
    np.testing.assert_array_equal(
        demo.shift_image(img, -1, 1), [[1, 2, 3, 3], [1, 2, 3, 3], [5, 6, 7, 7]]
    )
    rgb = np.zeros((4, 4, 3))
    assert demo.shift_image(rgb, 2, 2).shape == (4, 4, 3)
    with pytest.raises(ValueError, match="^dx"):
        demo.shift_image(img, 4)
    with pytest.raises(TypeError, match="^dy"):
        demo.shift_image(img, 1, 0.5)


def test_occlude_and_darken_distances_are_linear():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(8, 8, 3)).astype(np.uint8)
    x = img.astype(float)
    full = np.linalg.norm(demo.occlude_image(img, 1.0, 4, 255.0) - x)
    assert np.linalg.norm(demo.occlude_image(img, 0.3, 4, 255.0) - x) == pytest.approx(0.3 * full)
    np.testing.assert_array_equal(demo.occlude_image(img, 0.0, 4), x)
    covered = demo.occlude_image(img, 1.0, 4, 7.0)
    assert np.all(covered[2:6, 2:6] == 7.0) and np.array_equal(covered[:2], x[:2])
    assert np.linalg.norm(demo.darken_image(img, 0.25) - x) == pytest.approx(0.25 * np.linalg.norm(x))
    np.testing.assert_array_equal(demo.darken_image(img, 1.0), np.zeros_like(x))
    with pytest.raises(ValueError, match="^alpha"):
        demo.occlude_image(img, 1.5, 4)
    with pytest.raises(ValueError, match="^size"):
        demo.occlude_image(img, 0.5, 9)
    with pytest.raises(ValueError, match="^amount"):
        demo.darken_image(img, -0.1)
    with pytest.raises(ValueError, match="^image"):
        demo.darken_image(np.zeros((2, 2, 2)), 0.1)


def synthetic_stack():
    """Smooth blobs (class 0) and a near copy of one of them labelled class 1."""
    rng = np.random.default_rng(1)
    yy, xx = np.mgrid[0:16, 0:16]
    images, labels = [], []
    for i in range(12):
        cx, cy = rng.uniform(5, 11, size=2)
        images.append(200 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 18))
        labels.append(i % 2)
    images = np.rint(np.array(images) + 20).astype(np.uint8)
    return images, np.array(labels)


def test_equal_distance_copies_hit_the_target():
    images, labels = synthetic_stack()
    r = demo.equal_distance_copies(images, labels, 3, shift=2)
    x = images[3].astype(float)
    target = np.linalg.norm(demo.shift_image(images[3], 2, 2) - x)
    assert r["target"] == pytest.approx(target)
    for name in ("shifted", "occluded", "darkened"):
        assert np.linalg.norm(r[name] - x) == pytest.approx(target, rel=1e-12)
        assert r["distances"][name] == pytest.approx(target, rel=1e-12)
    # the unrelated image: the nearest one with another label
    other = np.flatnonzero(labels != labels[3])
    d = np.linalg.norm(images[other].reshape(len(other), -1).astype(float) - x.ravel(), axis=1)
    assert r["unrelated_index"] == other[np.argmin(d)]
    assert r["unrelated_distance"] == pytest.approx(d.min())
    assert 0 < r["occlusion_alpha"] <= 1 and 0 < r["darken_amount"] <= 1


def test_equal_distance_copies_errors():
    images, labels = synthetic_stack()
    with pytest.raises(ValueError, match="^labels: every image has the same label"):
        demo.equal_distance_copies(images, np.zeros(12, dtype=int), 0)
    dark = np.zeros((3, 8, 8), dtype=np.uint8)
    dark[:, 0, 0] = 255  # a single bright pixel: its shift is farther than darkening can go
    with pytest.raises(ValueError, match="norm"):
        demo.equal_distance_copies(dark, np.array([0, 1, 0]), 0, shift=1)
    with pytest.raises(ValueError, match="^images must be a stack"):
        demo.equal_distance_copies(images[0], labels, 0)
    with pytest.raises(ValueError, match="^index"):
        demo.equal_distance_copies(images, labels, 12)


def test_pick_equal_distance_example_finds_a_nearer_unrelated_image():
    images, labels = synthetic_stack()
    r = demo.pick_equal_distance_example(images, labels, shifts=(2, 3))
    assert r["unrelated_distance"] < r["target"]
    assert labels[r["unrelated_index"]] != labels[r["index"]]
    again = demo.equal_distance_copies(images, labels, r["index"], shift=r["shift"])
    assert again["unrelated_index"] == r["unrelated_index"]
    assert again["target"] == pytest.approx(r["target"])
    fig, axes = plt.subplots(1, 5)
    demo.draw_equal_distance_copies(axes, r, images, ["a", "b"], labels)
    assert axes[1].get_title().startswith("shifted\nL2 = ")


# ----------------------------------------------------------------------------- dimensionality


def test_nearest_farthest_ratio_matches_brute_force_and_grows():
    dims = [1, 10, 100, 1000]
    ratios = demo.nearest_farthest_ratio(dims, num_points=60, seed=0)
    # same draws, brute force with sklearn's distances
    from sklearn.metrics import pairwise_distances

    rng = np.random.default_rng(0)
    for D, got in zip(dims, ratios):
        P = rng.random((60, D))
        d = pairwise_distances(P)
        np.fill_diagonal(d, np.inf)
        near = d.min(axis=1)
        np.fill_diagonal(d, -np.inf)
        assert got == pytest.approx(np.mean(near / d.max(axis=1)), rel=1e-9)
    assert np.all(np.diff(ratios) > 0) and ratios[0] < 0.05 and ratios[-1] > 0.8
    fig, ax = plt.subplots()
    demo.draw_distance_concentration(ax, dims, ratios, mark={"MNIST": 784})
    assert ax.get_xscale() == "log"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), dims)
    with pytest.raises(ValueError, match="^dims and ratios must have the same length .* got 4 and 3"):
        demo.draw_distance_concentration(ax, dims, ratios[:3])
    with pytest.raises(ValueError, match="^dims must hold dimensions > 0"):
        demo.draw_distance_concentration(ax, [0, 10], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"^mark\['CIFAR'\] must be > 0"):
        demo.draw_distance_concentration(ax, dims, ratios, mark={"CIFAR": -1})
    with pytest.raises(ValueError, match=r"^dims\[0\] must be an integer in \[1, inf\]"):
        demo.nearest_farthest_ratio([0])
    with pytest.raises(ValueError, match="^num_points"):
        demo.nearest_farthest_ratio([2], num_points=2)


def test_explorer_cached_grid_gives_the_same_accuracies_as_direct_computation():
    import matplotlib.pyplot as plt

    from course_lib.demos.cross_validation import CrossValidationExplorer

    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0)
    explorer = CrossValidationExplorer(X, y)
    fig, ax = plt.subplots()
    result = explorer.draw(ax, 4, (2, 20))
    plt.close(fig)
    assert result["k_choices"] == [2, 3, 4, 5, 6, 8, 10, 12, 15, 20]
    np.testing.assert_array_equal(result["accuracies"], explorer.accuracies(result["k_choices"], 4))
    assert 4 in explorer._grid_cache

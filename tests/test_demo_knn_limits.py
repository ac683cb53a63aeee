"""Tests of notebook 03's "why k-NN is not used on images" demos (course_lib.demos.knn_limits):
equal-distance copies (exact distances, what each change does), the nearest image of another class
(against scikit-learn), distance contrast (closed form, scikit-learn), timings (structure only)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.metrics import pairwise_distances  # noqa: E402

from course_lib.datasets import load_dataset  # noqa: E402
from course_lib.demos import knn_limits as demo  # noqa: E402


pytestmark = pytest.mark.usefixtures("course_style")  # tests/conftest.py


def random_images(n=30, shape=(12, 12, 3), seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(40, 220, size=(n, *shape), dtype=np.uint8), rng.integers(0, 3, size=n)


# ----------------------------------------------------------------------------- equal distances

@pytest.mark.parametrize("shape, shift", [((12, 12, 3), 1), ((12, 12, 3), 2), ((9, 11), 1)])
def test_copies_are_at_exactly_the_same_distance(shape, shift):
    image = random_images(1, shape, seed=shift)[0][0]
    r = demo.equal_distance_copies(image, shift)
    original = image.astype(float)
    for name in ("shifted", "occluded", "darkened"):
        assert np.sqrt(np.sum((r[name] - original) ** 2)) == pytest.approx(r["target"], rel=1e-12)
        assert r["distances"][name] == pytest.approx(r["target"], rel=1e-12)
    # each change is what its name says
    np.testing.assert_array_equal(r["shifted"][shift:, shift:], original[:-shift, :-shift])
    np.testing.assert_array_equal(r["shifted"][:shift, shift:], np.repeat(original[:1, :-shift], shift, axis=0))
    np.testing.assert_allclose(r["darkened"], original * (1 - r["darken_amount"]))
    size, changed = r["occlusion_size"], np.any(r["occluded"] != original, axis=-1) if image.ndim == 3 else r["occluded"] != original
    top, left = (shape[0] - size) // 2, (shape[1] - size) // 2
    outside = np.ones(shape[:2], bool)
    outside[top:top + size, left:left + size] = False
    assert not changed[outside].any() and changed[~outside].any()
    assert 0 < r["occlusion_alpha"] <= 1 and 0 < r["darken_amount"] <= 1
    assert r["occlusion_fill"] in (0.0, 128.0, 255.0)


def test_copies_refuse_what_cannot_be_tuned():
    with pytest.raises(ValueError, match="shift"):
        demo.equal_distance_copies(np.full((5, 5), 100, np.uint8), 5)
    with pytest.raises(ValueError, match="norm"):  # a flat image does not change when shifted
        demo.equal_distance_copies(np.full((6, 6, 3), 90, np.uint8), 1)
    with pytest.raises(ValueError):
        demo.equal_distance_copies(np.zeros((4, 4, 2)), 1)


def test_pick_finds_a_nearer_image_of_another_class():
    images, labels = random_images(40)
    r = demo.pick_equal_distance_example(images, labels, num_candidates=40)
    i, j = r["index"], r["other_index"]
    assert labels[i] != labels[j] and r["other_distance"] < r["target"]
    flat = images.reshape(len(images), -1).astype(float)
    d = pairwise_distances(flat[i:i + 1], flat)[0]
    d[labels == labels[i]] = np.inf
    assert j == int(np.argmin(d)) and r["other_distance"] == pytest.approx(d.min())


def test_pick_on_the_course_subset():
    data = load_dataset("cifar10-course", num_train=300, num_test=10)
    r = demo.pick_equal_distance_example(data.X_train, data.y_train)
    assert r["other_distance"] < r["target"] and data.y_train[r["index"]] != data.y_train[r["other_index"]]
    fig, alt = demo.draw_equal_distance_copies(r, data.X_train, data.y_train, data.class_names)
    assert len(fig.axes) == 5 and f"L2 distance {r['target']:,.0f}" in alt


def test_pick_says_when_nothing_works():
    images = np.stack([np.full((6, 6), v, np.uint8) for v in (10, 200, 30)])  # flat images: no shift distance
    with pytest.raises(ValueError, match="none of the first 3 images"):
        demo.pick_equal_distance_example(images, [0, 1, 0])


# ----------------------------------------------------------------------------- dimensionality

def test_distance_contrast_closed_form_and_scikit_learn():
    # points 0, 1, 3 on a line: nearest / farthest = 1/3, 1/2, 2/3 → mean 1/2
    assert demo.distance_contrast([[0.0], [1.0], [3.0]]) == pytest.approx(0.5)
    X = np.random.default_rng(0).random((25, 7))
    d = pairwise_distances(X)
    np.fill_diagonal(d, np.inf)
    nearest = d.min(axis=1)
    np.fill_diagonal(d, -np.inf)
    assert demo.distance_contrast(X) == pytest.approx(np.mean(nearest / d.max(axis=1)))


def test_random_contrast_rises_towards_one_with_the_dimension():
    ratios = demo.random_distance_contrast([1, 10, 100, 1000], num_points=100, seed=0)
    assert np.all(np.diff(ratios) > 0) and ratios[0] < 0.05 and ratios[-1] > 0.85
    np.testing.assert_array_equal(ratios, demo.random_distance_contrast([1, 10, 100, 1000], num_points=100, seed=0))


def test_draw_distance_concentration():
    fig, alt = demo.draw_distance_concentration([1, 10, 100], [0.01, 0.3, 0.7], marks={"one RGB pixel": 3},
                                                data_point=("our images", 100, 0.4))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "one RGB pixel: D = 3" in labels and "our images" in labels
    assert "0.010 at D = 1" in alt and "0.40 at D = 100" in alt


@pytest.mark.parametrize("call, error", [
    (lambda: demo.distance_contrast(np.zeros((2, 3))), ValueError),
    (lambda: demo.distance_contrast([[1.0, np.nan]] * 4), ValueError),
    (lambda: demo.random_distance_contrast([0]), ValueError),
    (lambda: demo.random_distance_contrast([3], num_points=2), ValueError),
])
def test_dimensionality_bad_input(call, error):
    with pytest.raises(error):
        call()


# ----------------------------------------------------------------------------- timings

def test_prediction_times_structure_and_figure():
    rng = np.random.default_rng(0)
    X, y, X_test = rng.random((40, 5)), rng.integers(0, 3, 40), rng.random((6, 5))
    t = demo.prediction_times(X, y, X_test, [10, 20, 40], k=3, repeats=1)
    assert t["sizes"].tolist() == [10, 20, 40]
    assert t["fit_seconds"].shape == t["predict_seconds"].shape == (3,)
    assert np.all(t["predict_seconds"] > 0) and t["linear_seconds"] > 0
    fig, alt = demo.draw_prediction_times(t, num_test=6)
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert "k-NN: predict 6 images" in labels and "linear classifier: predict 6 images" in labels
    assert "from 10 to 40" in alt


@pytest.mark.parametrize("kwargs, error", [
    (dict(sizes=[2], k=3), ValueError),
    (dict(sizes=[50]), ValueError),
    (dict(sizes=[10], repeats=0), ValueError),
    (dict(sizes=[10.5]), TypeError),
])
def test_prediction_times_bad_input(kwargs, error):
    rng = np.random.default_rng(0)
    with pytest.raises(error):
        demo.prediction_times(rng.random((40, 5)), rng.integers(0, 3, 40), rng.random((6, 5)), **kwargs)

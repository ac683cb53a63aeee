"""Tests of notebook 03's overfitting demos (course_lib.demos.overfitting): fit regimes on the moons
against scikit-learn's k-NN, and the measured optimism of choosing k on the test set."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402

from course_lib.demos import overfitting as demo  # noqa: E402
from course_lib.demos.toy_data import make_moons  # noqa: E402


pytestmark = pytest.mark.usefixtures("course_style")  # tests/conftest.py


@pytest.fixture(scope="module")
def moons():
    return (*make_moons(100, noise=0.2, seed=0), *make_moons(100, noise=0.2, seed=1))


def test_fit_regimes_match_scikit_learn(moons):
    X, y, X_new, y_new = moons
    scores = demo.fit_regimes(X, y, X_new, y_new, [1, 15, 51])
    for k in (1, 15, 51):  # odd k, two classes, continuous points: no ties for either library
        model = KNeighborsClassifier(n_neighbors=k).fit(X, y)
        assert scores[k] == (pytest.approx(model.score(X, y)), pytest.approx(model.score(X_new, y_new)))


def test_fit_regimes_tell_the_lecture_story(moons):
    X, y, X_new, y_new = moons
    scores = demo.fit_regimes(X, y, X_new, y_new, [1, 15, len(y)])
    assert scores[1][0] == 1.0                      # k = 1: perfect on the training points ...
    assert scores[1][1] < scores[15][1]             # ... but worse than k = 15 on new points
    assert scores[len(y)] == (0.5, 0.5)             # k = N: one class everywhere (tie → label 0)


def test_draw_fit_regimes_shades_the_predictions(moons):
    X, y, X_new, y_new = moons
    fig, alt = demo.draw_fit_regimes(X, y, X_new, y_new, [1, 200], resolution=30)
    assert len(fig.axes) == 2
    regions_all = fig.axes[1].images[0].get_array()
    assert regions_all.shape == (30, 30) and np.all(regions_all == 0)  # k = N predicts class 0 everywhere
    assert set(np.unique(fig.axes[0].images[0].get_array())) == {0, 1}
    assert "k = 1: 100% on the training points" in alt
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("class 0" in t for t in labels) and any("class 1" in t for t in labels)


def test_tuning_on_the_test_set_is_optimistic_and_a_validation_set_is_not():
    ks = list(range(1, 60, 2))
    r = demo.tuning_on_test_set(ks, num_train=200, num_test=40, num_fresh=2000, num_repeats=60, seed=3)
    for key in ("cheat_k", "cheat_reported", "cheat_true", "honest_k", "honest_reported", "honest_true"):
        assert r[key].shape == (60,)
    # the test set picks its own best k (the smallest among equals) ...
    example = r["example_test"]
    assert r["cheat_reported"][0] == example.max()
    assert r["cheat_k"][0] == min(k for k, a in zip(ks, example) if a == example.max())
    assert np.all(r["cheat_reported"] >= r["honest_reported"])
    # ... and reports more than the fresh points confirm; the validation set's choice does not
    cheat_gap = np.mean(r["cheat_reported"] - r["cheat_true"])
    honest_gap = np.mean(r["honest_reported"] - r["honest_true"])
    assert cheat_gap > 0.01 and abs(honest_gap) < cheat_gap / 2
    np.testing.assert_array_equal(r["cheat_true"], r["fresh"][[ks.index(k) for k in r["cheat_k"]]])


def test_tuning_is_seeded():
    a = demo.tuning_on_test_set([1, 3, 5], num_repeats=5, num_fresh=200, seed=1)
    b = demo.tuning_on_test_set([1, 3, 5], num_repeats=5, num_fresh=200, seed=1)
    np.testing.assert_array_equal(a["cheat_reported"], b["cheat_reported"])
    c = demo.tuning_on_test_set([1, 3, 5], num_repeats=5, num_fresh=200, seed=2)
    assert not np.array_equal(a["example_test"], c["example_test"])


def test_draw_tuning_on_test_set():
    r = demo.tuning_on_test_set(list(range(1, 30, 2)), num_repeats=20, num_fresh=500, seed=0)
    fig, alt = demo.draw_tuning_on_test_set(r)
    assert len(fig.axes) == 2
    assert f"picks k = {int(r['cheat_k'][0])}" in alt and "20 tries" in alt


@pytest.mark.parametrize("call, error", [
    (lambda: demo.tuning_on_test_set([1, 300], num_train=200), ValueError),
    (lambda: demo.tuning_on_test_set([1], num_repeats=0), ValueError),
    (lambda: demo.tuning_on_test_set([1], seed=-1), ValueError),
    (lambda: demo.fit_regimes(np.zeros((4, 3)), [0, 1, 0, 1], np.zeros((2, 3)), [0, 1], [1]), ValueError),
    (lambda: demo.fit_regimes(np.zeros((4, 2)), [0, 1, 0], np.zeros((2, 2)), [0, 1], [1]), ValueError),
    (lambda: demo.fit_regimes(np.zeros((4, 2)), [0, 1, 0, 1], np.zeros((2, 2)), [0, 1], [5]), ValueError),
])
def test_bad_input(call, error):
    with pytest.raises(error):
        call()

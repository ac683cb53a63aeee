"""Tests of course_lib.demos.linear_classifier: notebook 04's measurements, its 2-D pictures of a
linear classifier (regions, zero lines, non-overlapping arrows, class legend), its widget, and the
references of its exercises (including that the check cells catch the usual mistakes)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import course_lib.demos.linear_classifier as demo  # noqa: E402
from course_lib.demos.toy_data import make_blobs, make_two_clusters, make_xor, plane_grid  # noqa: E402
from course_lib.exercises import check_function, make_cases  # noqa: E402
from course_lib.linear_classifier import LinearClassifier, linear_scores  # noqa: E402

finite = st.floats(-3, 3, allow_nan=False)
# weights either 0 or not vanishingly small (1e-300 would only test floating-point underflow)
weights = st.floats(-3, 3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-6)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----------------------------------------------------------------------------- measuring


def test_winning_class_matches_a_loop_and_breaks_ties_low():
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(50, 2)), rng.normal(size=(2, 3)), rng.normal(size=3)
    expected = [max(range(3), key=lambda c: X[i] @ W[:, c] + b[c]) for i in range(50)]
    got = demo.winning_class(X, W, b)
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(demo.winning_class(np.ones((2, 2)), np.zeros((2, 3)), [1.0, 2.0, 2.0]), [1, 1])


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, (2, 3), elements=finite), arrays(np.float64, (3,), elements=finite),
       st.floats(0.1, 10), st.floats(-5, 5))
def test_predictions_survive_positive_scaling_and_a_common_bias_shift(W, b, factor, shift):
    # written question 2 of the notebook, as a law
    grid = plane_grid((-3, 3), (-3, 3), 25)
    top2 = np.sort(grid @ W + b, axis=1)[:, -2:]
    clear = (top2[:, 1] - top2[:, 0]) > 1e-6  # near-ties are decided by rounding
    base = demo.winning_class(grid, W, b)
    np.testing.assert_array_equal(demo.winning_class(grid, factor * W, factor * b)[clear], base[clear])
    np.testing.assert_array_equal(demo.winning_class(grid, W, b + shift)[clear], base[clear])


def test_per_class_accuracy_matches_sklearn_recall():
    from sklearn.metrics import recall_score

    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    np.testing.assert_allclose(demo.per_class_accuracy(y_true, y_pred, 4),
                               recall_score(y_true, y_pred, average=None))


def test_per_class_accuracy_missing_class_is_nan():
    np.testing.assert_allclose(demo.per_class_accuracy([0, 0, 2], [0, 1, 2], 3), [0.5, np.nan, 1.0])


def test_random_linear_recalls_matches_direct_computation_across_blocks():
    X, y = make_blobs(num_per_class=10, seed=1)
    recalls = demo.random_linear_recalls(X, y, 3, num_tries=2_003, scale=2.0, seed=7)
    rng = np.random.default_rng(7)
    W, b = 2.0 * rng.standard_normal((2_003, 2, 3)), 2.0 * rng.standard_normal((2_003, 1, 3))
    for t in (0, 1_999, 2_000, 2_002):  # both sides of the 2,000-classifier block border
        pred = np.argmax(X @ W[t] + b[t], axis=1)
        np.testing.assert_allclose(recalls[t], demo.per_class_accuracy(y, pred, 3))


def test_no_linear_classifier_recognises_both_xor_classes():
    X, y = make_xor(num_per_class=60, seed=0)  # the notebook's data
    worst_class = demo.random_linear_recalls(X, y, 2, num_tries=20_000, seed=0).min(axis=1)
    assert worst_class.max() == 0.5  # the bound of the notebook's proof, reached
    X, y = make_blobs(num_per_class=50, seed=0)  # separable data: random lines do well on every class
    assert demo.random_linear_recalls(X, y, 3, num_tries=2_000, seed=0).min(axis=1).max() > 0.9


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (2, 2), elements=st.floats(-5, 5)), arrays(np.float64, (2,), elements=st.floats(-5, 5)))
def test_xor_theorem_any_linear_classifier_fails_one_class(W, b):
    X, y = make_xor(num_per_class=30, seed=1)
    assert demo.per_class_accuracy(y, demo.winning_class(X, W, b), 2).min() <= 0.5


def test_the_product_feature_separates_xor():
    X, y = make_xor(num_per_class=60, seed=0)
    features = demo.add_product_feature(X)
    np.testing.assert_array_equal(features[:, :2], X)
    np.testing.assert_allclose(features[:, 2], X[:, 0] * X[:, 1])
    assert np.all((features[:, 2] > 0) == (y == 0))
    np.testing.assert_array_equal(demo.add_product_feature(np.array([[2, -3]], dtype=np.int8)), [[2.0, -3.0, -6.0]])


def test_mirror_symmetry_values():
    rng = np.random.default_rng(0)
    half = rng.normal(size=(4, 6, 3))
    symmetric = np.concatenate([half, half[:, ::-1]], axis=1)[None]          # (1, 6, 6, 3)
    antisymmetric = np.concatenate([half, -half[:, ::-1]], axis=1)[None]
    images = rng.normal(size=(3, 5, 7))
    expected = [np.corrcoef(im.ravel(), im[:, ::-1].ravel())[0, 1] for im in images]
    np.testing.assert_allclose(demo.mirror_symmetry(symmetric), [1.0])
    np.testing.assert_allclose(demo.mirror_symmetry(antisymmetric), [-1.0])
    np.testing.assert_allclose(demo.mirror_symmetry(images), expected)
    np.testing.assert_array_equal(demo.mirror_symmetry(np.ones((2, 3, 3))), [0.0, 0.0])


def test_random_X_W_b_makes_score_cases():
    rng = np.random.default_rng(0)
    X, W, b = demo.random_X_W_b(rng, 5, 3072, 10)
    assert (X.shape, W.shape, b.shape) == ((5, 3072), (3072, 10), (10,))
    assert 0.3 < np.std(X @ W) < 3  # scores of order 1
    X8, _, _ = demo.random_X_W_b(rng, 2, 7, 3, dtype=np.uint8)
    assert X8.dtype == np.uint8


# ----------------------------------------------------------------------------- the exercises' checks


def _cases():
    return make_cases(demo.random_X_W_b, [(1, 4, 3), (5, 7, 2), (20, 3072, 10)], seed=4)


@pytest.mark.parametrize("wrong, what", [
    (lambda X, W, b: X @ W, "the bias is missing"),
    (lambda X, W, b: np.hstack([X, np.zeros((len(X), 1))]) @ np.vstack([W, b]), "a column of zeros"),
    (lambda X, W, b: np.hstack([X, np.ones((len(X), 1))]) @ np.vstack([W, np.ones(len(b))]), "ones for b"),
])
def test_scores_check_catches_mistakes(wrong, what):
    with pytest.raises(AssertionError):
        check_function(wrong, linear_scores, _cases(), name="scores_with_bias_trick")


def test_scores_check_passes_the_bias_trick():
    def right(X, W, b):
        return np.hstack([X, np.ones((X.shape[0], 1))]) @ np.vstack([W, b])

    check_function(right, linear_scores, _cases(), name="scores_with_bias_trick")
    check_function(right, linear_scores, make_cases(demo.random_X_W_b, [(3, 3072, 10)], seed=1, dtype=np.uint8),
                   name="uint8")


@pytest.mark.parametrize("wrong", [
    lambda X, W, b: np.argmax(X @ W + b, axis=0),
    lambda X, W, b: np.argmax(X @ W + b),
    lambda X, W, b: np.argmin(X @ W + b, axis=1),
    lambda X, W, b: np.max(X @ W + b, axis=1),
])
def test_predict_check_catches_mistakes(wrong):
    cases = make_cases(demo.random_X_W_b, [(1, 4, 3), (6, 5, 4), (30, 3072, 10)], seed=5)
    with pytest.raises(AssertionError):
        check_function(wrong, demo.winning_class, cases, name="predict")


def test_product_feature_check_catches_a_missing_product():
    rng = np.random.default_rng(6)
    cases = [rng.normal(size=(n, 2)) for n in (1, 5, 40)]
    with pytest.raises(AssertionError):
        check_function(lambda X: np.column_stack([X, X[:, 0] + X[:, 1]]), demo.add_product_feature, cases,
                       name="add_product_feature")


# ----------------------------------------------------------------------------- geometry


def test_zero_line_known_segments():
    np.testing.assert_allclose(demo.zero_line([0.0, 2.0], 0.0, 4.0), [[4, 0], [-4, 0]], atol=1e-12)
    seg = demo.zero_line([1.0, 0.5], -1.0, 3.0)  # the notebook's one-class example
    np.testing.assert_allclose(seg @ [1.0, 0.5] - 1.0, [0, 0], atol=1e-12)
    assert {tuple(np.round(p, 9)) for p in seg} == {(2.5, -3.0), (-0.5, 3.0)}
    assert np.isnan(demo.zero_line([0.0, 0.0], 1.0, 4.0)).all()      # no line at all
    assert np.isnan(demo.zero_line([1.0, 0.0], -5.0, 4.0)).all()     # x = 5 misses the square


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (2,), elements=weights), st.floats(-4, 4), st.floats(0.5, 5))
def test_zero_line_end_points_lie_on_the_line_and_the_border(w, b, lim):
    seg = demo.zero_line(w, b, lim)
    if np.isnan(seg).any():
        # missing: the line's closest point to 0 lies outside the square's circumscribed circle or w = 0
        assert not np.any(w) or abs(b) / np.linalg.norm(w) >= lim - 1e-9
        return
    np.testing.assert_allclose(seg @ w + b, 0.0, atol=1e-9 * (1 + abs(b)))
    assert np.all(np.abs(seg) <= lim + 1e-9)
    assert np.allclose(np.abs(seg).max(axis=1), lim)


def _min_gap(arrows):
    """The smallest distance between two arrows, measured on 2,001 points along each (to ~0.01)."""
    t = np.linspace(0.0, 1.0, 2_001)[:, None]
    points = [start + t * (end - start) for start, end in arrows]
    return min(np.sqrt(((points[i][:, None] - points[j][None]) ** 2).sum(-1)).min()
               for i in range(len(points)) for j in range(i + 1, len(points)))


def test_arrows_start_on_their_lines_and_are_the_weight_vectors():
    arrows = demo.arrow_positions(demo.DEMO_W, demo.DEMO_B, 4.0)
    for c in range(3):
        start, end = arrows[c]
        np.testing.assert_allclose(start @ demo.DEMO_W[:, c] + demo.DEMO_B[c], 0.0, atol=1e-9)
        np.testing.assert_allclose(end - start, demo.DEMO_W[:, c])


@pytest.mark.parametrize("W, b", [
    (demo.DEMO_W, demo.DEMO_B),
    (demo.DEMO_W, np.zeros(3)),                              # three lines through 0: same midpoints
    (np.array([[1.0, 1.2, 0.9], [0.0, 0.1, -0.1]]), np.zeros(3)),   # nearly parallel arrows
])
def test_arrows_do_not_overlap(W, b):
    arrows = demo.arrow_positions(W, b, 4.0)
    assert _min_gap(arrows) >= 4.0 / 8 - 0.01
    assert np.all(np.abs(arrows[:, 1]) <= 0.95 * 4.0)


def test_arrow_of_a_missing_line_is_nan():
    arrows = demo.arrow_positions(np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([1.0, 0.0]), 4.0)
    assert np.isnan(arrows[0]).all() and not np.isnan(arrows[1]).any()


# ----------------------------------------------------------------------------- figures


def _legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_draw_linear_plane_regions_legend_and_title():
    X, y = make_blobs(num_per_class=20, seed=0)
    fig = demo.draw_linear_plane(demo.DEMO_W, demo.DEMO_B, X, y, resolution=40)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    grid = plane_grid((-4, 4), (-4, 4), 40)
    np.testing.assert_array_equal(ax.images[0].get_array(),
                                  np.argmax(grid @ demo.DEMO_W + demo.DEMO_B, axis=1).reshape(40, 40))
    assert _legend_texts(ax) == ["class 0", "class 1", "class 2", "score = 0 (class colour)",
                                 "W[:, c] (class colour)"]
    accuracy = np.mean(np.argmax(X @ demo.DEMO_W + demo.DEMO_B, axis=1) == y)
    assert ax.get_title() == f"accuracy on these points: {accuracy:.2f}"
    assert len(ax.lines) == 3 and len(ax.patches) == 3   # zero lines and arrows


def test_draw_linear_plane_with_features_and_names():
    X, y = make_xor(num_per_class=20, seed=0)
    W, b = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, -1.0]]), np.zeros(2)
    fig = demo.draw_linear_plane(W, b, X, y, features=demo.add_product_feature, class_names=["same", "opposite"],
                                 lim=3.0, resolution=30, title="product")
    ax = fig.axes[0]
    assert ax.get_title() == "product" and _legend_texts(ax) == ["same", "opposite"]
    assert len(ax.lines) == 0 and len(ax.patches) == 0
    grid = plane_grid((-3, 3), (-3, 3), 30)
    np.testing.assert_array_equal(ax.images[0].get_array().ravel(), (grid[:, 0] * grid[:, 1] < 0).astype(int))


def test_linear_plane_alt_counts():
    X, y = make_xor(num_per_class=60, seed=0)
    W, b = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, -1.0]]), np.zeros(2)
    alt = demo.linear_plane_alt(W, b, X, y, lim=3.5, features=demo.add_product_feature)
    assert "class 0 50 %, class 1 50 %" in alt and "120 of the 120 points" in alt
    alt = demo.linear_plane_alt(demo.DEMO_W, demo.DEMO_B)
    assert "zero-score line" in alt and "points" not in alt


def test_draw_linear_planes_side_by_side():
    X, y = make_two_clusters(num_per_class=10, seed=0)
    clf = LinearClassifier(2, 3, seed=0)
    fig = demo.draw_linear_planes([dict(W=clf.W, b=clf.b, X=X, y=y, title="a"),
                                   dict(W=demo.DEMO_W, b=demo.DEMO_B, X=X, y=y, show_arrows=False, title="b")])
    assert [ax.get_title() for ax in fig.axes] == ["a", "b"]
    assert len(fig.axes[1].patches) == 0


def test_draw_score_plane_values():
    fig = demo.draw_score_plane([1.0, 0.5], -1.0, lim=2.0, resolution=9)
    grid = plane_grid((-2, 2), (-2, 2), 9)
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), (grid @ [1.0, 0.5] - 1.0).reshape(9, 9))
    assert len(fig.axes) == 2  # the plane and its colour bar


def test_draw_class_scores_marks_prediction_and_truth():
    image = np.random.default_rng(0).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    fig = demo.draw_class_scores(image, np.array([0.5, 2.0, -1.0]), ["a", "b", "c"], true_label=2)
    ax_bar = fig.axes[1]
    assert ax_bar.get_title().endswith("predicted b")
    assert [t.get_fontweight() for t in ax_bar.get_xticklabels()] == ["normal", "normal", "bold"]


# ----------------------------------------------------------------------------- widget


def test_widget_sliders_redraw_the_picture(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append((fig, alt)))
    X, y = make_blobs(num_per_class=10, seed=0)
    widget = demo.linear_plane_widget(X, y)
    sliders = {s.description: s for row in widget.children[:3] for s in row.children}
    assert list(sliders) == ["W[0,0]", "W[1,0]", "b[0]", "W[0,1]", "W[1,1]", "b[1]", "W[0,2]", "W[1,2]", "b[2]"]
    assert not any(s.continuous_update for s in sliders.values())
    assert shown[-1][1] == demo.linear_plane_alt(demo.DEMO_W, demo.DEMO_B, X, y)  # the starting picture
    sliders["W[0,0]"].value, sliders["W[1,0]"].value, sliders["b[0]"].value = 0.0, 1.0, -1.0
    W, b = demo.DEMO_W.copy(), demo.DEMO_B.copy()
    W[:, 0], b[0] = [0.0, 1.0], -1.0
    fig, alt = shown[-1]
    assert alt == demo.linear_plane_alt(W, b, X, y)
    np.testing.assert_allclose(fig.axes[0].lines[0].get_xydata() @ W[:, 0] + b[0], 0.0, atol=1e-12)


# ----------------------------------------------------------------------------- bad input

BAD_INPUT = [
    (demo.winning_class, (np.zeros((2, 3)), np.zeros((2, 3)), np.zeros(3)), ValueError, "X has 3 columns"),
    (demo.winning_class, (np.zeros((2, 2)), np.zeros((2, 3)), np.zeros(2)), ValueError, "b has 2 entries"),
    (demo.per_class_accuracy, ([0, 1, 1], [0, 1], 2), ValueError, "y_pred has 2 labels"),
    (demo.per_class_accuracy, ([0, 3], [0, 1], 2), ValueError, "y_true must hold labels in [0, 2)"),
    (demo.add_product_feature, (np.zeros((4, 3)),), ValueError, "X must have 2 columns"),
    (demo.add_product_feature, ([["a", "b"]],), TypeError, "X must hold real numbers"),
    (demo.mirror_symmetry, (np.zeros((4, 4)),), ValueError, "images must be 3-D or 4-D"),
    (demo.zero_line, ([1.0, 2.0, 3.0], 0.0, 4.0), ValueError, "w must have shape (2,)"),
    (demo.zero_line, ([1.0, 2.0], 0.0, 0.0), ValueError, "lim must be"),
    (demo.draw_linear_plane, (np.zeros((3, 3)), np.zeros(3)), ValueError, "W must have 2 rows"),
    (demo.draw_linear_plane, (demo.DEMO_W, np.zeros(2)), ValueError, "W (D, C) and b (C,)"),
    (demo.draw_linear_plane, (demo.DEMO_W, demo.DEMO_B, np.zeros((2, 2))), ValueError, "y must be given"),
    (demo.draw_linear_plane, (demo.DEMO_W, demo.DEMO_B, np.zeros((2, 3)), [0, 1]), ValueError, "X must be points"),
    (demo.draw_linear_plane, (demo.DEMO_W, demo.DEMO_B, np.zeros((2, 2)), [0, 5]), ValueError, "y must hold labels"),
    (demo.draw_class_scores, (np.zeros((4, 4)), [1.0, 2.0], ["a"], 0), ValueError, "class_names has 1 entries"),
    (demo.linear_plane_widget, (np.zeros((2, 2)), [0, 1], np.zeros((2, 2)), np.zeros(2)), ValueError,
     "W must have shape (2, 3)"),
]


@pytest.mark.parametrize("fn, args, exc, fragment", BAD_INPUT)
def test_bad_input_is_refused_clearly(fn, args, exc, fragment):
    with pytest.raises(exc) as info:
        fn(*args)
    assert fragment in str(info.value)


def test_bad_keyword_values():
    X, y = make_blobs(num_per_class=3, seed=0)
    with pytest.raises(ValueError, match="^num_tries must be"):
        demo.random_linear_recalls(X, y, 3, num_tries=0)
    with pytest.raises(ValueError, match="^legend must be one of"):
        demo.draw_linear_plane(demo.DEMO_W, demo.DEMO_B, legend="left")
    with pytest.raises(ValueError, match="^panels must be"):
        demo.draw_linear_planes([])

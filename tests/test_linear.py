"""Tests of course_lib.linear: scores, the bias trick, the classifier, template images, 2-D lines."""

from __future__ import annotations

import sys
import types

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from course_lib.linear import (  # noqa: E402
    LinearClassifier,
    append_bias_column,
    draw_decision_lines,
    fold_bias,
    linear_scores,
    show_templates,
    unfold_bias,
    weights_as_images,
    zero_line,
)

# CS231n notes, "Linear classification": a 4-pixel image and 3 classes; the lecture's W is (C, D).
X_4PX = np.array([[56.0, 231.0, 24.0, 2.0]])
W_LECTURE = np.array([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0.0, 0.25, 0.2, -0.3]])
B_4PX = np.array([1.1, 3.2, -1.2])
# Hand-computed: 0.2*56 - 0.5*231 + 0.1*24 + 2*2 + 1.1 = -96.8, etc.
SCORES_4PX = np.array([[-96.8, 437.9, 60.75]])


# ----------------------------------------------------------------------------- linear_scores


def test_scores_worked_example_lecture_layout():
    scores = linear_scores(X_4PX, W_LECTURE.T, B_4PX)
    assert scores.shape == (1, 3)
    np.testing.assert_allclose(scores, SCORES_4PX, rtol=0, atol=1e-10)
    # the lecture's column-vector form gives the same numbers
    np.testing.assert_allclose(W_LECTURE @ X_4PX[0] + B_4PX, scores[0], atol=1e-10)


def test_scores_match_explicit_loops():
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(5, 7)), rng.normal(size=(7, 4)), rng.normal(size=4)
    expected = np.array([[sum(X[i, d] * W[d, c] for d in range(7)) + b[c] for c in range(4)] for i in range(5)])
    np.testing.assert_allclose(linear_scores(X, W, b), expected, rtol=1e-12, atol=1e-12)


def test_scores_uint8_converted_before_arithmetic():
    X = np.array([[255, 255]], dtype=np.uint8)
    W = np.array([[2], [1]], dtype=np.uint8)
    scores = linear_scores(X, W, np.array([1], dtype=np.uint8))
    assert scores.dtype == np.float64
    assert scores[0, 0] == 766.0  # uint8 arithmetic would wrap around


def test_scores_shape_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"X has shape \(1, 4\).*W has shape \(3, 4\)"):
        linear_scores(X_4PX, W_LECTURE, B_4PX)  # the lecture's (C, D) instead of (D, C)


def test_scores_bias_length_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"b has shape \(2,\).*W has shape \(4, 3\)"):
        linear_scores(X_4PX, W_LECTURE.T, B_4PX[:2])


def test_scores_single_vector_rejected():
    with pytest.raises(ValueError, match=r"^X must be 2-D .*x\[None, :\]"):
        linear_scores(X_4PX[0], W_LECTURE.T, B_4PX)


def test_scores_W_not_2d():
    with pytest.raises(ValueError, match=r"^W must be 2-D"):
        linear_scores(X_4PX, W_LECTURE.T.ravel(), B_4PX)


def test_scores_b_not_1d():
    with pytest.raises(ValueError, match=r"^b must be 1-D"):
        linear_scores(X_4PX, W_LECTURE.T, B_4PX[None, :])


def test_scores_non_numeric():
    with pytest.raises(TypeError, match=r"^X must be"):
        linear_scores("image", W_LECTURE.T, B_4PX)


def test_scores_nan_rejected():
    W = W_LECTURE.T.copy()
    W[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^W must contain only finite"):
        linear_scores(X_4PX, W, B_4PX)


# ----------------------------------------------------------------------------- bias trick


def test_append_bias_column_values():
    X = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    out = append_bias_column(X)
    assert out.dtype == np.float64 and out.shape == (2, 3)
    np.testing.assert_array_equal(out, [[1, 2, 1], [3, 4, 1]])


def test_append_bias_column_does_not_modify_input():
    X = np.zeros((2, 2))
    append_bias_column(X)[0, 0] = 5.0
    assert X[0, 0] == 0.0


def test_fold_and_unfold_values():
    W = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = np.array([7.0, 8.0])
    folded = fold_bias(W, b)
    np.testing.assert_array_equal(folded, [[1, 2], [3, 4], [5, 6], [7, 8]])
    W2, b2 = unfold_bias(folded)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)
    W2[0, 0] = 99.0  # copies: the folded matrix is not changed
    assert folded[0, 0] == 1.0


def test_bias_trick_worked_example():
    scores = append_bias_column(X_4PX) @ fold_bias(W_LECTURE.T, B_4PX)
    np.testing.assert_allclose(scores, SCORES_4PX, atol=1e-10)


small_ints = st.integers(min_value=-50, max_value=50).map(float)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8), st.integers(1, 5), st.data())
def test_bias_trick_exact_with_integer_valued_floats(N, D, C, data):
    X = data.draw(arrays(np.float64, (N, D), elements=small_ints))
    W = data.draw(arrays(np.float64, (D, C), elements=small_ints))
    b = data.draw(arrays(np.float64, (C,), elements=small_ints))
    # every product and partial sum is an integer far below 2**53: both sides are exact
    np.testing.assert_array_equal(append_bias_column(X) @ fold_bias(W, b), X @ W + b)
    np.testing.assert_array_equal(append_bias_column(X) @ fold_bias(W, b), linear_scores(X, W, b))


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(1, 5), st.data())
def test_unfold_inverts_fold(D, C, data):
    finite = st.floats(-1e6, 1e6, allow_nan=False)
    W = data.draw(arrays(np.float64, (D, C), elements=finite))
    b = data.draw(arrays(np.float64, (C,), elements=finite))
    W2, b2 = unfold_bias(fold_bias(W, b))
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)


def test_fold_bias_length_mismatch():
    with pytest.raises(ValueError, match=r"^b has shape \(3,\) but W has shape \(2, 2\)"):
        fold_bias(np.zeros((2, 2)), np.zeros(3))


def test_fold_bias_b_not_1d():
    with pytest.raises(ValueError, match=r"^b must be 1-D"):
        fold_bias(np.zeros((2, 2)), np.zeros((1, 2)))


def test_unfold_bias_too_few_rows():
    with pytest.raises(ValueError, match=r"^W_folded must have at least 2 rows"):
        unfold_bias(np.zeros((1, 3)))


def test_append_bias_column_not_2d():
    with pytest.raises(ValueError, match=r"^X must be 2-D"):
        append_bias_column(np.zeros(3))


def test_append_bias_column_non_numeric():
    with pytest.raises(TypeError, match=r"^X must be"):
        append_bias_column([["a", "b"]])


# ----------------------------------------------------------------------------- classifier


def test_classifier_init_seeded_small_random():
    clf = LinearClassifier(3072, 10, weight_scale=1e-3, seed=0)
    assert clf.W.shape == (3072, 10) and clf.b.shape == (10,)
    np.testing.assert_array_equal(clf.b, 0.0)
    expected = 1e-3 * np.random.default_rng(0).standard_normal((3072, 10))
    np.testing.assert_array_equal(clf.W, expected)
    assert 0.9e-3 < clf.W.std() < 1.1e-3
    assert clf.num_parameters == 30_730
    again = LinearClassifier(3072, 10, seed=0)
    np.testing.assert_array_equal(again.W, clf.W)
    assert not np.array_equal(LinearClassifier(3072, 10, seed=1).W, clf.W)


def test_classifier_scores_predict_accuracy():
    clf = LinearClassifier(4, 3)
    clf.W, clf.b = W_LECTURE.T.copy(), B_4PX.copy()
    np.testing.assert_allclose(clf.scores(X_4PX), SCORES_4PX, atol=1e-10)
    X = np.vstack([X_4PX, [[0.0, 0.0, 0.0, 10.0]]])  # second image: scores 21.1, 3.2, -4.2
    pred = clf.predict(X)
    assert pred.dtype == np.int64
    np.testing.assert_array_equal(pred, [1, 0])
    assert clf.accuracy(X, np.array([1, 2])) == 0.5


def test_predict_ties_go_to_smallest_class():
    clf = LinearClassifier(2, 3)
    clf.W = np.zeros((2, 3))
    clf.b = np.array([1.0, 1.0, 0.0])
    np.testing.assert_array_equal(clf.predict(np.ones((2, 2))), [0, 0])


def test_repr_has_no_address():
    assert repr(LinearClassifier(5, 2)) == "LinearClassifier(num_features=5, num_classes=2)"


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(num_features=0, num_classes=3), ValueError, r"^num_features must be"),
        (dict(num_features=2.0, num_classes=3), TypeError, r"^num_features must be an integer"),
        (dict(num_features=2, num_classes=1), ValueError, r"^num_classes must be"),
        (dict(num_features=2, num_classes=3, weight_scale=0.0), ValueError, r"^weight_scale must be > 0"),
        (dict(num_features=2, num_classes=3, seed=-1), ValueError, r"^seed must be"),
    ],
)
def test_classifier_bad_arguments(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        LinearClassifier(**kwargs)


def test_classifier_wrong_feature_count():
    with pytest.raises(ValueError, match=r"X has shape \(1, 5\).*W has shape \(4, 3\)"):
        LinearClassifier(4, 3).predict(np.zeros((1, 5)))


def test_accuracy_bad_labels():
    with pytest.raises(ValueError, match=r"^y must hold labels in \[0, 3\)"):
        LinearClassifier(4, 3).accuracy(X_4PX, np.array([3]))


class _FakeOptim(types.ModuleType):
    """Records what LinearClassifier.fit passes to optim.sgd and returns a known W."""

    def __init__(self):
        super().__init__("course_lib.optim")
        self.calls = []

    def sgd(self, loss_fn, W, X, y, **kwargs):
        self.calls.append((loss_fn, W.copy(), X.copy(), y.copy(), kwargs))
        return W + 1.0, [3.0, 2.0]


def test_fit_folds_calls_sgd_and_unfolds(monkeypatch):
    import course_lib

    fake_optim = _FakeOptim()
    fake_losses = types.ModuleType("course_lib.losses")
    fake_losses.softmax_loss_vectorized = lambda W, X, y, reg: (0.0, W * 0)
    fake_losses.svm_loss_vectorized = lambda W, X, y, reg: (0.0, W * 0)
    monkeypatch.setitem(sys.modules, "course_lib.optim", fake_optim)
    monkeypatch.setitem(sys.modules, "course_lib.losses", fake_losses)
    monkeypatch.setattr(course_lib, "optim", fake_optim, raising=False)
    monkeypatch.setattr(course_lib, "losses", fake_losses, raising=False)

    clf = LinearClassifier(2, 3, seed=0)
    W0 = clf.W.copy()
    X = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    history = clf.fit(X, np.array([0, 2]), loss="svm", learning_rate=0.5, reg=0.1, num_iters=7,
                      batch_size=9, seed=3)
    loss_fn, W_in, X_in, y_in, kwargs = fake_optim.calls[0]
    assert loss_fn is fake_losses.svm_loss_vectorized
    np.testing.assert_array_equal(W_in, np.vstack([W0, np.zeros((1, 3))]))
    np.testing.assert_array_equal(X_in, [[1, 2, 1], [3, 4, 1]])
    np.testing.assert_array_equal(y_in, [0, 2])
    assert kwargs == dict(learning_rate=0.5, reg=0.1, batch_size=9, num_iters=7, seed=3, callback=None)
    np.testing.assert_array_equal(clf.W, W0 + 1.0)
    np.testing.assert_array_equal(clf.b, np.ones(3))
    assert history == [3.0, 2.0]
    clf.fit(X, np.array([0, 2]))
    assert fake_optim.calls[1][0] is fake_losses.softmax_loss_vectorized


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(loss="hinge"), ValueError, r"^loss must be one of"),
        (dict(learning_rate=0.0), ValueError, r"^learning_rate must be > 0"),
        (dict(reg=-1.0), ValueError, r"^reg must be >= 0"),
        (dict(num_iters=0), ValueError, r"^num_iters must be"),
        (dict(batch_size=1.5), TypeError, r"^batch_size must be an integer"),
        (dict(callback=3), TypeError, r"^callback must be callable"),
    ],
)
def test_fit_bad_arguments(kwargs, exc, pattern):
    pytest.importorskip("course_lib.optim")
    pytest.importorskip("course_lib.losses")
    with pytest.raises(exc, match=pattern):
        LinearClassifier(2, 3).fit(np.zeros((4, 2)), np.array([0, 1, 2, 0]), **kwargs)


def test_fit_wrong_feature_count():
    pytest.importorskip("course_lib.optim")
    pytest.importorskip("course_lib.losses")
    with pytest.raises(ValueError, match=r"^X has shape \(4, 5\).*W of shape \(2, 3\)"):
        LinearClassifier(2, 3).fit(np.zeros((4, 5)), np.array([0, 1, 2, 0]))


def _blobs(seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[3.0, 0.0], [-3.0, 2.0], [0.0, -3.0]])
    X = np.concatenate([c + 0.5 * rng.standard_normal((30, 2)) for c in centres])
    return X, np.repeat(np.arange(3), 30)


@pytest.mark.parametrize("loss", ["softmax", "svm"])
def test_fit_learns_separable_blobs(loss):
    pytest.importorskip("course_lib.optim")
    pytest.importorskip("course_lib.losses")
    X, y = _blobs()
    clf = LinearClassifier(2, 3, seed=0)
    assert clf.accuracy(X, y) < 0.9
    history = clf.fit(X, y, loss=loss, learning_rate=0.1, reg=1e-3, num_iters=200, batch_size=30, seed=0)
    assert len(history) == 200 and all(isinstance(h, float) for h in history)
    assert np.mean(history[-10:]) < 0.5 * history[0]
    assert clf.accuracy(X, y) == 1.0
    assert clf.W.shape == (2, 3) and clf.b.shape == (3,)


def test_fit_agrees_with_sklearn_on_blobs():
    """Softmax regression trained long enough predicts like scikit-learn's LogisticRegression."""
    pytest.importorskip("course_lib.optim")
    pytest.importorskip("course_lib.losses")
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    X = np.concatenate([c + 1.5 * rng.standard_normal((40, 2)) for c in ([2, 0], [-1, 2], [-1, -2])])
    y = np.repeat(np.arange(3), 40)
    clf = LinearClassifier(2, 3, seed=0)
    clf.fit(X, y, learning_rate=1.0, reg=1e-3, num_iters=300, batch_size=len(X))
    # sklearn's C multiplies the summed data loss; ours averages it and penalises reg*sum(W^2)
    # (the bias too, a small difference here): C = 1 / (2 * N * reg) matches the W penalty.
    ref = LogisticRegression(C=1 / (2 * len(X) * 1e-3), max_iter=5000).fit(X, y)
    np.testing.assert_allclose(clf.W, ref.coef_.T, atol=0.01)
    grid = np.random.default_rng(0).uniform(-5, 5, (2000, 2))
    assert np.mean(clf.predict(grid) == ref.predict(grid)) > 0.99


# ----------------------------------------------------------------------------- templates


def test_weights_as_images_minmax_grey():
    W = np.arange(8, dtype=float).reshape(4, 2)  # class 0: 0,2,4,6 ; class 1: 1,3,5,7
    imgs = weights_as_images(W, (2, 2))
    assert imgs.shape == (2, 2, 2)
    np.testing.assert_allclose(imgs[0], [[0, 1 / 3], [2 / 3, 1]])
    np.testing.assert_allclose(imgs[1], [[0, 1 / 3], [2 / 3, 1]])


def test_weights_as_images_rgb_layout_matches_flatten():
    from course_lib.images import flatten

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 4, 5, 3)).astype(np.uint8)
    W = flatten(images).T  # (D, C): each class's "template" is one of the images
    out = weights_as_images(W, (4, 5, 3))
    assert out.shape == (3, 4, 5, 3)
    for c in range(3):
        img = images[c].astype(float)
        np.testing.assert_allclose(out[c], (img - img.min()) / (img.max() - img.min()))
        assert out[c].min() == 0.0 and out[c].max() == 1.0


def test_weights_as_images_constant_template_no_nan():
    W = np.zeros((6, 3))
    W[:, 1] = np.arange(6)
    W[:, 2] = 7.0
    with np.errstate(all="raise"):
        out = weights_as_images(W, (2, 3))
        sym = weights_as_images(W, (2, 3), mode="symmetric")
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(sym))
    np.testing.assert_array_equal(out[0], 0.5)
    np.testing.assert_array_equal(out[2], 0.5)
    np.testing.assert_array_equal(sym[0], 0.5)
    np.testing.assert_array_equal(sym[2], 1.0)  # a positive constant is all "for this class"


def test_weights_as_images_symmetric_zero_is_grey():
    W = np.array([[-2.0], [0.0], [1.0], [2.0]])
    np.testing.assert_allclose(weights_as_images(W, (2, 2), mode="symmetric")[0], [[0, 0.5], [0.75, 1]])


def test_weights_as_images_wrong_rows_names_shapes():
    with pytest.raises(ValueError, match=r"W has shape \(785, 10\).*\(28, 28\).*unfold the bias"):
        weights_as_images(np.zeros((785, 10)), (28, 28))


def test_weights_as_images_transposed_hint():
    with pytest.raises(ValueError, match=r"W has shape \(10, 784\).*looks transposed"):
        weights_as_images(np.zeros((10, 784)), (28, 28))


def test_weights_as_images_bad_image_shape():
    with pytest.raises(ValueError, match=r"^image_shape must be"):
        weights_as_images(np.zeros((8, 2)), (2, 2, 2))


def test_weights_as_images_bad_mode():
    with pytest.raises(ValueError, match=r"^mode must be one of"):
        weights_as_images(np.zeros((4, 2)), (2, 2), mode="zscore")


def test_show_templates_grey_and_rgb():
    fig = show_templates(np.random.default_rng(0).normal(size=(12, 3)), (3, 4), ["a", "b", "c"], ncols=2)
    axes_with_images = [ax for ax in fig.axes if ax.images]
    assert len(axes_with_images) == 3
    assert [ax.get_title() for ax in axes_with_images] == ["a", "b", "c"]
    assert axes_with_images[0].images[0].get_cmap().name == "gray"
    plt.close(fig)
    fig = show_templates(np.zeros((2 * 2 * 3, 10)), (2, 2, 3))
    assert sum(bool(ax.images) for ax in fig.axes) == 10
    assert np.all(np.isfinite(fig.axes[0].images[0].get_array()))
    plt.close(fig)


def test_show_templates_class_names_length():
    with pytest.raises(ValueError, match=r"^class_names has 2 entries but W has 3"):
        show_templates(np.zeros((4, 3)), (2, 2), ["a", "b"])


# ----------------------------------------------------------------------------- 2-D lines


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3),
    st.floats(-5, 5).filter(lambda v: abs(v) > 1e-3),
    st.floats(-3, 3),
)
def test_zero_line_points_have_zero_score_and_lie_on_border(w0, w1, b):
    seg = zero_line([w0, w1], b, (-4, 4), (-4, 4))
    if np.isnan(seg).any():
        # the line misses the square: all four corners have scores of one sign
        corners = np.array([[-4, -4], [-4, 4], [4, -4], [4, 4]]) @ np.array([w0, w1]) + b
        assert np.all(corners > 0) or np.all(corners < 0)
        return
    np.testing.assert_allclose(seg @ np.array([w0, w1]) + b, 0.0, atol=1e-9)
    assert np.all(np.abs(seg) <= 4 + 1e-9)
    assert np.all(np.isclose(np.abs(seg), 4).any(axis=1))  # each end point is on the border


def test_zero_line_examples():
    np.testing.assert_allclose(zero_line([1.0, 0.0], -1.0, (-4, 4), (-2, 2)), [[1, -2], [1, 2]])
    np.testing.assert_allclose(zero_line([1.0, 1.0], 0.0, (-4, 4), (-4, 4)), [[-4, 4], [4, -4]])
    assert np.isnan(zero_line([0.0, 0.0], 1.0, (-4, 4), (-4, 4))).all()
    assert np.isnan(zero_line([1.0, 0.0], 10.0, (-4, 4), (-4, 4))).all()


def test_zero_line_bad_w():
    with pytest.raises(ValueError, match=r"^w must have shape \(2,\)"):
        zero_line([1.0, 2.0, 3.0], 0.0, (-1, 1), (-1, 1))


def test_zero_line_bad_limits():
    with pytest.raises(ValueError, match=r"^xlim must be a pair"):
        zero_line([1.0, 2.0], 0.0, (1, -1), (-1, 1))


def test_draw_decision_lines():
    fig, ax = plt.subplots()
    lines = draw_decision_lines(ax, np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, -1.0]), (-2, 2), (-2, 2))
    assert len(lines) == 2
    np.testing.assert_allclose(np.column_stack(lines[0].get_data()), [[0, -2], [0, 2]])
    np.testing.assert_allclose(np.column_stack(lines[1].get_data()), [[-2, 1], [2, 1]])
    assert ax.get_xlim() == (-2, 2)
    plt.close(fig)


def test_draw_decision_lines_needs_2d_weights():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"^W must have shape \(2, C\)"):
        draw_decision_lines(ax, np.zeros((3, 2)), np.zeros(2), (-1, 1), (-1, 1))
    plt.close(fig)

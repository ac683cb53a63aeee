"""course_lib.linear_classifier (notebook 04): scores = X @ W + b, the lecture's dimension counts,
the bias trick, LinearClassifier (seeded start, predict, accuracy, fit through sgd), agreement with
scikit-learn's LogisticRegression, and a bad-input table."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import LogisticRegression

from course_lib import linear_classifier
from course_lib.linear_classifier import LinearClassifier, append_bias_column, fold_bias, linear_scores, unfold_bias
from course_lib.losses import softmax_loss_vectorized, svm_loss_vectorized
from course_lib.optimization import TrainingDiverged, sgd
from course_lib.pixels import flatten


def blobs(spread=0.5, n_per_class=30, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[3.0, 0.0], [-3.0, 2.0], [0.0, -3.0]])
    X = np.concatenate([c + spread * rng.standard_normal((n_per_class, 2)) for c in centres])
    return X, np.repeat(np.arange(3), n_per_class)


# ----------------------------------------------------------------------------- scores


def test_scores_of_cs231n_cat_example():
    # CS231n's "Linear classification" figure: 4 pixels, 3 classes (cat, dog, ship), W as (C, D).
    W_lecture = np.array([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0.0, 0.25, 0.2, -0.3]])
    x, b = np.array([56, 231, 24, 2], dtype=np.uint8), np.array([1.1, 3.2, -1.2])
    scores = linear_scores(x[None, :], W_lecture.T, b)          # the course's W is (D, C)
    # the figure prints 61.95 for the ship; the arithmetic gives 0 + 57.75 + 4.8 − 0.6 − 1.2 = 60.75
    np.testing.assert_allclose(scores, [[-96.8, 437.9, 60.75]], rtol=1e-12)
    np.testing.assert_allclose(scores[0], W_lecture @ x + b)    # the lecture's f(x, W, b) = W x + b


def test_scores_equal_the_sum_written_out():
    rng = np.random.default_rng(1)
    X, W, b = rng.normal(size=(4, 5)), rng.normal(size=(5, 3)), rng.normal(size=3)
    loops = [[sum(X[i, d] * W[d, c] for d in range(5)) + b[c] for c in range(3)] for i in range(4)]
    np.testing.assert_allclose(linear_scores(X, W, b), loops, rtol=1e-12)
    X8 = np.array([[255, 255]], np.uint8)
    assert linear_scores(X8, np.ones((2, 1)), np.zeros(1)).tolist() == [[510.0]]   # no uint8 wrap-around


def test_the_lecture_dimension_counts():
    D = flatten(np.zeros((1, 32, 32, 3), np.uint8)).shape[1]
    assert D == 3_072                                            # 32 × 32 × 3 values per image
    model = LinearClassifier(D, 10)
    assert model.W.shape == (3_072, 10) and model.b.shape == (10,)
    assert model.num_parameters == 30_730                        # all a linear classifier keeps
    assert 50_000 * D == 153_600_000                             # what k-NN keeps: every training image
    assert round(50_000 * D / model.num_parameters) == 4_998


# ----------------------------------------------------------------------------- the bias trick


@settings(max_examples=40, deadline=None)
@given(shape=st.tuples(st.integers(1, 6), st.integers(1, 6), st.integers(1, 5)), data=st.data())
def test_bias_trick_gives_the_same_scores(shape, data):
    N, D, C = shape
    ints = st.integers(-50, 50)  # integer-valued floats: the two groupings of the sums agree exactly
    X = data.draw(arrays(np.float64, (N, D), elements=ints))
    W = data.draw(arrays(np.float64, (D, C), elements=ints))
    b = data.draw(arrays(np.float64, (C,), elements=ints))
    X_bias, W_folded = append_bias_column(X), fold_bias(W, b)
    assert X_bias.shape == (N, D + 1) and W_folded.shape == (D + 1, C)
    np.testing.assert_array_equal(X_bias[:, -1], 1.0)
    np.testing.assert_array_equal(X_bias @ W_folded, linear_scores(X, W, b))
    W_back, b_back = unfold_bias(W_folded)
    np.testing.assert_array_equal(W_back, W)
    np.testing.assert_array_equal(b_back, b)


def test_bias_trick_returns_new_arrays():
    X, W, b = np.ones((2, 3)), np.zeros((3, 2)), np.ones(2)
    append_bias_column(X)[0, 0] = 5.0
    W_folded = fold_bias(W, b)
    W_folded[0, 0] = 5.0
    W_back, _ = unfold_bias(W_folded)
    W_back[0, 0] = 7.0
    assert X[0, 0] == 1.0 and W[0, 0] == 0.0 and W_folded[0, 0] == 5.0


# ----------------------------------------------------------------------------- LinearClassifier


def test_initial_weights_are_small_seeded_and_the_bias_zero():
    model = LinearClassifier(4, 3, weight_scale=0.01, seed=7)
    np.testing.assert_array_equal(model.W, 0.01 * np.random.default_rng(7).standard_normal((4, 3)))
    np.testing.assert_array_equal(model.b, 0.0)
    np.testing.assert_array_equal(LinearClassifier(4, 3, weight_scale=0.01, seed=7).W, model.W)
    assert not np.array_equal(LinearClassifier(4, 3, seed=8).W, LinearClassifier(4, 3, seed=7).W)
    np.testing.assert_array_equal(LinearClassifier(4, 3, weight_scale=0).W, 0.0)


def test_predict_takes_the_highest_score_and_accuracy_counts_matches():
    model = LinearClassifier(2, 3)
    model.W, model.b = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.0]]), np.array([0.0, 0.0, 0.5])
    X = np.array([[2.0, 0.0], [0.0, 2.0], [-1.0, 0.0], [0.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(model.scores(X), X @ model.W + model.b)
    np.testing.assert_array_equal(model.predict(X), [0, 1, 2, 2, 0])   # (1, 1): 1 = 1 ≥ 0.5, lowest class
    assert model.accuracy(X, [0, 1, 2, 0, 1]) == 0.6


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_fit_reaches_full_accuracy_on_separable_blobs(loss):
    X, y = blobs()
    model = LinearClassifier(2, 3, seed=0)
    assert model.accuracy(X, y) < 0.9
    history = model.fit(X, y, loss=loss, learning_rate=0.1, reg=1e-3, num_iters=200, batch_size=30)
    assert len(history) == 200 and np.mean(history[-10:]) < 0.5 * history[0]
    assert model.accuracy(X, y) == 1.0
    assert model.W.shape == (2, 3) and model.b.shape == (3,)


@pytest.mark.parametrize("loss, loss_fn", [("svm", svm_loss_vectorized), ("softmax", softmax_loss_vectorized)])
def test_fit_is_sgd_on_the_bias_trick_arrays(loss, loss_fn):
    X, y = blobs(spread=2.0)
    model = LinearClassifier(2, 3, seed=1)
    W_folded, history = sgd(loss_fn, fold_bias(model.W, model.b), append_bias_column(X), y, learning_rate=0.05,
                            reg=0.01, batch_size=16, num_iters=40, seed=2)
    seen = []
    assert model.fit(X, y, loss=loss, learning_rate=0.05, reg=0.01, batch_size=16, num_iters=40, seed=2,
                     callback=lambda iteration, W, loss: seen.append(W.shape)) == history
    W, b = unfold_bias(W_folded)
    np.testing.assert_array_equal(model.W, W)
    np.testing.assert_array_equal(model.b, b)
    assert seen == [(3, 3)] * 40  # the callback sees W_folded (D + 1, C)


def test_fit_with_softmax_predicts_like_scikit_learns_logistic_regression():
    rng = np.random.default_rng(3)
    centres = np.array([[2.0, 0.0], [-1.0, 2.0], [-1.0, -2.0]])
    X = np.concatenate([c + 1.5 * rng.standard_normal((40, 2)) for c in centres])   # overlapping: finite optimum
    y = np.repeat(np.arange(3), 40)
    model = LinearClassifier(2, 3)
    model.fit(X, y, loss="softmax", learning_rate=0.5, reg=1e-8, num_iters=2000, batch_size=len(y))
    reference = LogisticRegression(C=1e8, tol=1e-10, max_iter=10_000).fit(X, y)
    grid = np.random.default_rng(0).uniform(-5, 5, size=(2000, 2))
    assert np.mean(model.predict(grid) == reference.predict(grid)) > 0.99
    assert model.accuracy(X, y) == pytest.approx(reference.score(X, y), abs=0.01)
    # the optimum itself: softmax is unchanged by adding a constant to every class, so compare centred weights
    np.testing.assert_allclose(model.W - model.W.mean(axis=1, keepdims=True),
                               reference.coef_.T - reference.coef_.T.mean(axis=1, keepdims=True), atol=0.02)


@pytest.mark.parametrize("loss", ["svm", "softmax"])
def test_a_diverging_fit_raises_and_leaves_the_model_as_it_was(loss):
    X, y = blobs()
    model = LinearClassifier(2, 3, seed=0)
    W, b = model.W.copy(), model.b.copy()
    with pytest.raises(TrainingDiverged, match="lower the learning rate"):
        model.fit(X, y, loss=loss, learning_rate=1e6, reg=10.0, num_iters=500, batch_size=10)
    np.testing.assert_array_equal(model.W, W)
    np.testing.assert_array_equal(model.b, b)


def test_uint8_data_train_like_their_float64_copy():
    X8 = np.random.default_rng(0).integers(0, 256, size=(20, 3)).astype(np.uint8)
    y = np.arange(20) % 2
    a, b = LinearClassifier(3, 2), LinearClassifier(3, 2)
    assert a.fit(X8, y, learning_rate=1e-6, num_iters=5, batch_size=4) == \
        b.fit(X8.astype(np.float64), y, learning_rate=1e-6, num_iters=5, batch_size=4)
    np.testing.assert_array_equal(a.W, b.W)


# ----------------------------------------------------------------------------- bad input

X23, W32, B2, Y2 = np.arange(6.0).reshape(2, 3), np.ones((3, 2)), np.zeros(2), np.array([0, 1])
MODEL = LinearClassifier(3, 2)

BAD_INPUT = [
    (linear_scores, (X23, np.ones((4, 2)), B2), ValueError, "X has 3 columns but W has 4 rows; X @ W needs them equal"),
    (linear_scores, (X23, W32, np.zeros(3)), ValueError, "b has 3 entries but W has 2 columns"),
    (linear_scores, (np.zeros(3), W32, B2), ValueError, "X must be 2-D, got 1-D"),
    (linear_scores, (np.zeros((2, 4, 4)), W32, B2), ValueError, "X must be 2-D (N, D), got images of shape (2, 4, 4)"),
    (linear_scores, (X23, np.ones((3, 2, 1)), B2), ValueError, "W must be 2-D, got 3-D"),
    (linear_scores, (X23, W32, np.zeros((1, 2))), ValueError, "b must be 1-D, got 2-D"),
    (linear_scores, ([[0.0, np.nan, 1.0]], W32, B2), ValueError, "X must hold only finite numbers"),
    (linear_scores, ("X", W32, B2), TypeError, "X must be a numeric array"),
    (append_bias_column, (np.zeros(3),), ValueError, "X must be 2-D, got 1-D"),
    (append_bias_column, (np.zeros((0, 3)),), ValueError, "X must not be empty"),
    (append_bias_column, ([[True, False]],), TypeError, "X must hold real numbers"),
    (fold_bias, (W32, np.zeros(3)), ValueError, "b has 3 entries but W has 2 columns; b needs one per class"),
    (fold_bias, (W32, np.array([0.0, np.inf])), ValueError, "b must hold only finite numbers"),
    (fold_bias, (np.ones(3), B2), ValueError, "W must be 2-D, got 1-D"),
    (unfold_bias, (np.zeros((1, 3)),), ValueError, "W_folded must have at least 2 rows"),
    (unfold_bias, (np.zeros(3),), ValueError, "W_folded must be 2-D, got 1-D"),
    (unfold_bias, (None,), TypeError, "W_folded must be a numeric array"),
    (LinearClassifier, (0, 3), ValueError, "num_features must be an integer in [1, inf], got 0"),
    (LinearClassifier, (5, 1), ValueError, "num_classes must be an integer in [2, inf], got 1"),
    (LinearClassifier, (5, 3.0), TypeError, "num_classes must be an integer, got float 3.0"),
    (LinearClassifier, (3072.0, 10), TypeError, "num_features must be an integer"),
    (lambda: LinearClassifier(5, 3, weight_scale=-1.0), (), ValueError,
     "weight_scale must be a finite number in [0, inf], got -1.0"),
    (lambda: LinearClassifier(5, 3, seed=-1), (), ValueError, "seed must be an integer in [0, inf], got -1"),
    (MODEL.scores, (np.ones((2, 4)),), ValueError, "X has 4 columns but W has 3 rows"),
    (MODEL.predict, (np.zeros(3),), ValueError, "X must be 2-D, got 1-D"),
    (MODEL.predict, ([[np.nan, 0.0, 0.0]],), ValueError, "X must hold only finite numbers"),
    (MODEL.accuracy, (X23, [0, 1, 1]), ValueError, "y has 3 labels but X has 2 rows"),
    (MODEL.accuracy, (X23, [0, 2]), ValueError, "y must hold labels in [0, 2) (C = 2), found 2"),
    (MODEL.accuracy, (X23, [0.0, 1.0]), TypeError, "y must hold integer class labels"),
    (MODEL.fit, (np.zeros((2, 5)), Y2), ValueError, "X has 5 columns but W has 3 rows"),
    (MODEL.fit, (np.zeros((2, 8, 8)), Y2), ValueError, "X must be 2-D (N, D), got images"),
    (lambda: MODEL.fit(X23, Y2, loss="hinge"), (), ValueError, "loss must be one of ('svm', 'softmax'), got 'hinge'"),
    (lambda: MODEL.fit(X23, Y2, learning_rate=0.0), (), ValueError, "learning_rate must be a finite number in (0, inf]"),
    (lambda: MODEL.fit(X23, Y2, reg=-1.0), (), ValueError, "reg must be a finite number in [0, inf], got -1.0"),
    (lambda: MODEL.fit(X23, Y2, num_iters=0), (), ValueError, "num_iters must be an integer in [1, inf], got 0"),
    (lambda: MODEL.fit(X23, Y2, batch_size=1.5), (), TypeError, "batch_size must be an integer, got float 1.5"),
    (lambda: MODEL.fit(X23, Y2, seed=-1), (), ValueError, "seed must be an integer in [0, inf], got -1"),
    (lambda: MODEL.fit(X23, Y2, callback=3), (), TypeError, "callback must be a function, got int 3"),
    (MODEL.fit, (X23, [0, 2]), ValueError, "y must hold labels in [0, 2) (C = 2), found 2"),
    (MODEL.fit, (X23, [0, 1, 1]), ValueError, "y has 3 labels but X has 2 rows"),
    (MODEL.fit, (X23, [0.0, 1.0]), TypeError, "y must hold integer class labels"),
]


@pytest.mark.parametrize("fn, args, error, message", BAD_INPUT, ids=[f"row{i}" for i in range(len(BAD_INPUT))])
def test_bad_input_gives_a_clear_error(fn, args, error, message):
    W_before = MODEL.W.copy()
    with pytest.raises(error) as info:
        fn(*args)
    assert str(info.value).startswith(message.split(" ")[0])  # the argument's name first
    assert message in str(info.value)
    np.testing.assert_array_equal(MODEL.W, W_before)           # a refused call changes nothing


def test_every_public_function_and_method_has_a_bad_input_row():
    covered = {row[0].__name__ for row in BAD_INPUT}
    covered |= {name for row in BAD_INPUT if row[0].__name__ == "<lambda>" for name in row[0].__code__.co_names}
    expected = set(linear_classifier.__all__) | {"scores", "predict", "accuracy", "fit"}
    assert expected <= covered, expected - covered

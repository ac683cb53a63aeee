"""Tests of course_lib.demos.optimization: notebook 06's loss slices, search and learning-rate
figures (the issue-17 fixes: local search drawn from where it starts, one scale per panel, no thick
bar for a diverging path, a legend for every marker), the bowl and its widget, the computed
sentences, the hyperparameter search, template roughness, and the warm-up's reference."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import course_lib.demos.optimization as demo  # noqa: E402
from course_lib import plots  # noqa: E402
from course_lib.exercises import check_function  # noqa: E402
from course_lib.linear_classifier import LinearClassifier, fold_bias  # noqa: E402
from course_lib.losses import softmax_loss_vectorized, svm_loss_vectorized  # noqa: E402
from course_lib.optimization import numerical_gradient  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def blobs(n=30, D=4, C=3, seed=0):
    """C well-separated Gaussian clouds in D dimensions, n points each, centred."""
    rng = np.random.default_rng(seed)
    centres = 3.0 * rng.standard_normal((C, D))
    X = np.concatenate([c + 0.5 * rng.standard_normal((n, D)) for c in centres])
    return X - X.mean(axis=0), np.repeat(np.arange(C), n)


def hinge_reference(W, X, y):
    """The mean multiclass SVM loss written out with loops."""
    total = 0.0
    for i in range(len(y)):
        s = X[i] @ W
        total += sum(max(0.0, s[j] - s[y[i]] + 1.0) for j in range(W.shape[1]) if j != y[i])
    return total / len(y)


def legend_labels(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


# ----------------------------------------------------------------------------- landscape


def test_loss_slice_is_the_loss_at_every_point_and_blocks_do_not_change_it(monkeypatch):
    X, y = blobs()
    rng = np.random.default_rng(1)
    W, d1, d2 = rng.standard_normal((3, 4, 3))
    steps = np.linspace(-1, 1, 5)
    line = demo.loss_slice(W, X, y, [d1], steps)
    plane = demo.loss_slice(W, X, y, [d1, d2], steps)
    assert line.shape == (5,) and plane.shape == (5, 5)
    for j, a in enumerate(steps):
        assert line[j] == pytest.approx(hinge_reference(W + a * d1, X, y))
        for i, b in enumerate(steps):
            assert plane[i, j] == pytest.approx(hinge_reference(W + a * d1 + b * d2, X, y))
    np.testing.assert_allclose(plane[2], line)       # the row b = 0 is the line
    monkeypatch.setattr(demo, "SLICE_BLOCK", 1)       # one grid point per block
    np.testing.assert_allclose(demo.loss_slice(W, X, y, [d1, d2], steps), plane, rtol=1e-12)


def test_one_image_slice_is_convex_piecewise_linear_with_a_kink_per_margin_crossing():
    X, y = blobs(n=1)
    rng = np.random.default_rng(2)
    W, d = rng.standard_normal((2, 4, 3))
    steps = np.linspace(-3, 3, 6001)
    L = demo.loss_slice(W, X[:1], y[:1], [d], steps)
    second = np.diff(L, 2)
    assert np.all(second >= -1e-9)                    # convex
    assert np.mean(np.abs(second) < 1e-9) > 0.99      # and straight almost everywhere
    # each wrong class's margin m_j(a) = m_j(0) + a * slope_j crosses 0 at most once: one kink each
    s0, s1 = X[0] @ W, X[0] @ d
    crossings = [-(s0[j] - s0[y[0]] + 1) / (s1[j] - s1[y[0]]) for j in range(3) if j != y[0]]
    expected = sum(steps[0] < a < steps[-1] for a in crossings)
    fig = demo.draw_loss_landscape(steps, L, L, steps[::600], np.outer(L[::600], L[::600]), 1)
    (kink_line,) = [line for line in fig.axes[0].get_lines() if line.get_label() == "kinks"]
    assert len(kink_line.get_xdata()) == expected
    np.testing.assert_allclose(np.sort(kink_line.get_xdata()), np.sort([a for a in crossings
                               if steps[0] < a < steps[-1]]), atol=2e-3)
    assert f"joined at {expected} kinks" in demo.loss_landscape_alt(steps, L, L, steps[::600],
                                                                     np.outer(L[::600], L[::600]), 1)


def test_loss_slice_bad_directions():
    X, y = blobs()
    W = np.zeros((4, 3))
    with pytest.raises(ValueError, match="directions must be 1 or 2 arrays"):
        demo.loss_slice(W, X, y, [W, W, W], [0.0, 1.0])
    with pytest.raises(ValueError, match="directions must be 1 or 2 arrays"):
        demo.loss_slice(W, X, y, [np.zeros((3, 3))], [0.0, 1.0])


# ----------------------------------------------------------------------------- searching


def test_local_search_is_drawn_from_where_random_search_stopped():
    random_history = [9.0, 8.8, 8.8, 8.7]
    local_history = [8.5, 8.5, 8.1]
    fig = demo.draw_search_history(random_history, local_history)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    random_line = lines["random search (best so far)"]
    local_line = lines["random local search (current W)"]
    np.testing.assert_array_equal(random_line.get_xdata(), [1, 2, 3, 4])
    # issue 17: not from 0, but from evaluation 4 at the best random loss
    np.testing.assert_array_equal(local_line.get_xdata(), [4, 5, 6, 7])
    np.testing.assert_array_equal(local_line.get_ydata(), [8.7, 8.5, 8.5, 8.1])
    assert set(legend_labels(ax)) == set(lines)
    alt = demo.search_history_alt(random_history, local_history)
    assert "from 9 to 8.7" in alt and "reaches 8.1" in alt


# ----------------------------------------------------------------------------- finite differences


def test_finite_difference_errors_have_the_textbook_slopes():
    hs = np.array([1e-1, 1e-2, 1e-3])
    forward = demo.finite_difference_errors(np.sin, np.cos, 1.0, hs, method="forward")
    centred = demo.finite_difference_errors(np.sin, np.cos, 1.0, hs, method="centred")
    assert np.polyfit(np.log10(hs), np.log10(forward), 1)[0] == pytest.approx(1.0, abs=0.05)
    assert np.polyfit(np.log10(hs), np.log10(centred), 1)[0] == pytest.approx(2.0, abs=0.05)
    assert forward[-1] == pytest.approx(1e-3 / 2 * np.sin(1.0), rel=0.01)   # h/2 |f''|
    assert centred[-1] == pytest.approx(1e-6 / 6 * np.cos(1.0), rel=0.01)   # h²/6 |f'''|
    tiny = demo.finite_difference_errors(np.sin, np.cos, 1.0, [1e-13])
    assert tiny[0] > centred[-1]                                            # round-off wins
    fig = demo.draw_finite_difference_errors(hs, forward, centred)
    assert len(legend_labels(fig.axes[0])) == 3
    assert "centred difference at h = 1e-03" in demo.finite_difference_alt(hs, forward, centred)


@pytest.mark.parametrize("args, exc", [
    ((np.sin, np.cos, 1.0, [0.0]), ValueError),
    ((np.sin, np.cos, 1.0, [0.1], "backward"), ValueError),
    ((np.sin, None, 1.0, [0.1]), TypeError),
])
def test_finite_difference_errors_bad_input(args, exc):
    with pytest.raises(exc):
        demo.finite_difference_errors(*args)


# ----------------------------------------------------------------------------- learning rates


def test_learning_rate_figure_gives_each_behaviour_its_own_scale_and_legend():
    histories = {"too small": list(np.linspace(9, 8, 40)), "about right": list(9 * 0.9 ** np.arange(40)),
                 "too large": [9, 400] + [200 + 10 * (-1) ** i for i in range(38)],
                 "far too large": list(9 * 4.0 ** np.arange(40))}
    fig = demo.draw_learning_rates(histories)
    axes = fig.axes
    assert len(axes) == 3
    assert [ax.get_yscale() for ax in axes] == ["linear", "linear", "log"]
    # issue 17: "too small" and "about right" share a panel whose scale is not stretched by divergence
    assert axes[0].get_ylim()[1] < 20
    labels = [legend_labels(ax) for ax in axes]
    assert labels[0] == ["too small", "about right", "starting loss"]
    assert labels[1][0] == "too large" and labels[2][0] == "far too large"
    markers = [line.get_marker() for ax in axes for line in ax.get_lines() if line.get_label() in histories]
    assert len(set(markers)) == 4 and "None" not in markers
    alt = demo.learning_rates_alt(histories)
    assert alt.startswith("3 line charts") and "chart 1 (2 runs): too small from" in alt
    assert "chart 2 (1 run): too large from 9 to 190, highest 400" in alt


def test_describe_loss_history_says_what_the_numbers_do():
    band = [9.0, 117.6] + [195 + 4 * (-1) ** i for i in range(38)]          # CIFAR-10-like "too large"
    text = demo.describe_loss_history(band)
    assert text.startswith("it rises in the first steps and then stays in a band")
    assert "between 191 and 199" in text and "at least 21 times its starting value" in text
    swing = [9, 61, 2.7, 183, 5.7, 88.9, 13.3, 79.1, 25.7, 12.9, 47.4, 24.4, 53.7, 32.1, 43.9, 33.4,
             37.4, 43.5, 30.7, 40.1, 17.5]                                  # MNIST-like
    text = demo.describe_loss_history(swing)
    assert text.startswith("it swings up and down") and "between 2.7 and 183" in text
    assert demo.describe_loss_history(list(np.linspace(9, 5, 41))).startswith("it falls from 9 to 5, at every step")
    grows = demo.describe_loss_history(list(9 * 4.0 ** np.arange(40)))
    assert grows.startswith("it grows without bound") and "multiplied by about 4 at every step" in grows


# ----------------------------------------------------------------------------- the bowl


def test_bowl_loss_and_its_gradient():
    loss, grad = demo.bowl_loss([2.0, 1.0], (1.0, 10.0))
    assert loss == pytest.approx(0.5 * (4 + 10))
    np.testing.assert_allclose(grad, [2.0, 10.0])
    w = np.array([0.3, -0.7, 1.1])
    np.testing.assert_allclose(numerical_gradient(lambda v: demo.bowl_loss(v, (1.0, 2.0, 3.0))[0], w),
                               demo.bowl_loss(w, (1.0, 2.0, 3.0))[1], rtol=1e-8)
    assert demo.bowl_loss(np.zeros((3, 4, 2)))[0].shape == (3, 4)
    with pytest.raises(ValueError, match="curvatures"):
        demo.bowl_loss([1.0, 2.0, 3.0])


def test_bowl_path_one_step_by_hand_and_the_threshold():
    path = demo.bowl_path(0.15, 1)
    np.testing.assert_allclose(path, [[-4.0, 2.5], [-4.0 + 0.15 * 4.0, 2.5 - 0.15 * 25.0]])
    assert demo.threshold_learning_rate([1.0, 10.0]) == pytest.approx(0.2)
    assert np.linalg.norm(demo.bowl_path(0.199, 2000)[-1]) < 1e-6
    diverged = demo.bowl_path(0.201, 5000)
    assert len(diverged) < 5001 and np.linalg.norm(diverged[-1]) > 1e6     # stopped early


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.1, 100.0), min_size=1, max_size=4))
def test_threshold_separates_converging_from_diverging_rates(curvatures):
    threshold = demo.threshold_learning_rate(np.array(curvatures))
    steepest = int(np.argmax(curvatures))
    start = np.ones(len(curvatures))
    below = demo.bowl_path(0.9 * threshold, 200, start=start, curvatures=curvatures)
    above = demo.bowl_path(1.1 * threshold, 200, start=start, curvatures=curvatures)
    # below: every factor |1 - rate * c_k| < 1 (the steepest one is 0.8); above: the steepest is 1.2
    assert abs(below[-1][steepest]) < 1e-12 and np.all(np.abs(below[-1]) < 1.0)
    assert np.linalg.norm(above[-1]) > 1e6


def test_threshold_reference_passes_the_warm_up_check_and_the_old_wrong_answer_fails():
    cases = [np.array([1.0, 10.0]), np.array([2.0, 50.0, 3.0]), np.array([7.5])]
    check_function(lambda c: float(2 / np.max(c)), demo.threshold_learning_rate, cases, name="threshold")
    with pytest.raises(AssertionError, match="wrong"):
        check_function(lambda c: float(1 / np.max(c)), demo.threshold_learning_rate, cases, name="threshold")
    with pytest.raises(AssertionError, match="wrong"):   # the flattest direction does not decide
        check_function(lambda c: float(2 / np.min(c)), demo.threshold_learning_rate, cases[:2], name="threshold")


def _path_line(ax):
    (line,) = [line for line in ax.get_lines() if line.get_label() == "steps"]
    return np.column_stack([line.get_xdata(), line.get_ydata()])


def test_gradient_descent_figure_converging():
    fig = demo.draw_gradient_descent(0.05, 20)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    np.testing.assert_allclose(_path_line(ax), demo.bowl_path(0.05, 20))
    assert legend_labels(ax) == ["steps", "start", "minimum"]
    alt = demo.gradient_descent_alt(0.05, 20)
    assert "20 gradient-descent steps" in alt and "moving towards the minimum" in alt


def test_a_diverging_path_is_not_drawn_as_a_bar_of_clipped_points():
    fig = demo.draw_gradient_descent(0.24, 60)
    ax = fig.axes[0]
    drawn = _path_line(ax)
    outside = np.abs(drawn).max(axis=1) > 5.0
    assert outside.sum() == 1 and outside[-1]      # only the step that leaves the view (clipped at the frame)
    assert len(drawn) < 20                          # the later points are not piled up at the edge
    labels = legend_labels(ax)
    assert labels[:3] == ["steps", "start", "minimum"] and labels[3].startswith("last point in view (step ")
    assert "at or above the threshold 0.2" in demo.gradient_descent_alt(0.24, 60)
    fig = demo.draw_gradient_descent_runs([0.02, 0.15, 0.205], 25)
    assert len(fig.axes) == 3


def test_widget_redraws_with_alt_text_when_a_slider_moves(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append((fig, alt)))
    box = demo.gradient_descent_widget()
    rate, steps = box.children[0].children
    assert not rate.continuous_update and not steps.continuous_update
    assert shown[-1][1] == demo.gradient_descent_alt(0.05, 20)          # the starting picture
    steps.value = 7
    fig, alt = shown[-1]
    assert alt == demo.gradient_descent_alt(0.05, 7)
    np.testing.assert_allclose(_path_line(fig.axes[0]), demo.bowl_path(0.05, 7))
    rate.value = 0.24
    assert "moving away from the minimum" in shown[-1][1]
    assert len(shown) == 3


# ----------------------------------------------------------------------------- minibatches


def test_minibatch_figure_and_alt():
    rng = np.random.default_rng(0)
    histories = {b: list(3 + rng.standard_normal(100) / np.sqrt(b)) for b in (32, 64, 128)}
    fig = demo.draw_minibatch_losses(histories)
    assert legend_labels(fig.axes[0]) == ["batch size 32", "batch size 64", "batch size 128"]
    alt = demo.minibatch_losses_alt(histories)
    assert f"standard deviation {np.std(histories[128][-50:]):.3g}" in alt


# ----------------------------------------------------------------------------- hyperparameters


def test_search_runs_equal_linear_classifier_fit_and_diverged_runs_are_recorded():
    X, y = blobs(n=40, seed=3)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    rates, regs = [1e-3, 1e-1, 1e7], [1e-4, 1e-1]
    results = demo.search_hyperparameters(softmax_loss_vectorized, Xb[:90], y[:90], Xb[90:], y[90:], rates, regs,
                                          num_iters=30, batch_size=16, seed=4)
    assert list(results) == [(a, b) for a in rates for b in regs]
    assert np.isnan(results[(1e7, 1e-1)][1]) and results[(1e7, 1e-1)][2] is None
    model = LinearClassifier(4, 3, seed=4)
    model.fit(X[:90], y[:90], loss="softmax", learning_rate=1e-1, reg=1e-4, num_iters=30, batch_size=16, seed=4)
    np.testing.assert_allclose(results[(1e-1, 1e-4)][2], fold_bias(model.W, model.b), rtol=1e-12)
    assert results[(1e-1, 1e-4)][1] == pytest.approx(model.accuracy(X[90:], y[90:]))
    best = demo.best_pair(results)
    assert results[best][1] == max(r[1] for r in results.values() if np.isfinite(r[1])) > 0.9
    table = demo.search_table(results, "softmax")
    assert table.count("<- best") == 1 and "diverged" in table
    assert f"{best[0]:<13.3g}" in next(line for line in table.splitlines() if "<- best" in line)
    fig = demo.draw_search({"softmax": results, "svm": results})
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "diverged" in texts and f"{results[best][1]:.1%}" in texts
    assert [t.get_text() for t in fig.legends[0].get_texts()][0].startswith("framed: the best pair")
    assert f"best at learning rate {best[0]:.3g} and reg {best[1]:g}" in demo.search_alt({"softmax": results})
    assert results[best][0] == pytest.approx(demo.weights_accuracy(results[best][2], Xb[:90], y[:90]))


def test_search_rejects_bad_data_naming_the_argument():
    X, y = blobs(n=10, seed=1)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    kwargs = dict(num_iters=2, batch_size=5)
    with pytest.raises(ValueError, match="y_val"):
        demo.search_hyperparameters(softmax_loss_vectorized, Xb, y, Xb[:5], y[:4], [0.1], [0.0], **kwargs)
    bad = Xb.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="X_train"):
        demo.search_hyperparameters(softmax_loss_vectorized, bad, y, Xb, y, [0.1], [0.0], **kwargs)


def test_best_pair_ties_and_all_diverged():
    results = {(2, 1): (0.5, 0.7, None), (1, 3): (0.5, 0.7, None), (1, 2): (0.4, 0.7, None),
               (3, 1): (np.nan, np.nan, None), (3, 0): (0.9, 0.6, None)}
    assert demo.best_pair(results) == (1, 2)  # a tie: the smaller learning rate, then the smaller reg
    with pytest.raises(ValueError, match="every run diverged"):
        demo.best_pair({(1, 1): (np.nan, np.nan, None)})


def test_weights_accuracy():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[1.0, 0.0], [0.0, 2.0]])
    assert demo.weights_accuracy(W, X, [0, 1, 1]) == 1.0
    assert demo.weights_accuracy(W, X, [1, 1, 0]) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="columns"):
        demo.weights_accuracy(np.zeros((3, 2)), X, [0, 1, 1])


# ----------------------------------------------------------------------------- templates


def test_template_roughness_of_noise_smooth_and_colour_images():
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((32 * 32 * 3, 2))
    assert demo.template_roughness(noise, (32, 32, 3)) == pytest.approx([1.0, 1.0], abs=0.05)
    ramp = np.add.outer(np.arange(16.0), np.arange(16.0)).ravel()[:, None]     # a smooth grey image
    assert demo.template_roughness(ramp, (16, 16))[0] < 0.02
    both = np.column_stack([ramp[:, 0], 5 * ramp[:, 0] + 3])                     # scale and shift do not matter
    np.testing.assert_allclose(*demo.template_roughness(both, (16, 16)))
    rows = {"noise (random)": noise, "noise again": noise}
    fig = demo.draw_templates(rows, (32, 32, 3), ["a", "b"])
    assert len(fig.axes) == 4
    assert fig.axes[0].get_ylabel() == "noise\n(random)"
    mean = demo.template_roughness(noise, (32, 32, 3)).mean()
    assert f"noise (random): mean roughness {mean:.2f}" in demo.templates_alt(rows, (32, 32, 3))


# ----------------------------------------------------------------------------- the comparison


def test_format_table_aligns_columns():
    table = demo.format_table(["model", "accuracy"], [["k-NN", "28.1%"], ["softmax", "36.2%"]])
    lines = table.splitlines()
    assert len({len(line) for line in lines}) == 1
    assert lines[2].startswith("k-NN ") and lines[2].endswith("28.1%")


def test_comparison_table_has_every_column_of_issue_14():
    infos = [dict(name="k-NN (k = 10)", accuracy=0.268, train_s=2e-5, predict_s=6.2e-4, bytes=36_890_000,
                  ops=9_216_000),
             dict(name="softmax", accuracy=0.358, train_s=0.48, predict_s=1.3e-5, bytes=245_840, ops=30_720)]
    lines = demo.comparison_table(infos).splitlines()
    for column in ["test accuracy", "training time", "prediction time per image", "memory held",
                   "multiply-adds per image"]:
        assert column in lines[0]
    assert len({len(line) for line in lines}) == 1 and len(lines) == 4
    assert lines[2].split() == ["k-NN", "(k", "=", "10)", "26.8%", "0.02", "ms", "0.6200", "ms", "36.89", "MB",
                                "9,216,000"]
    assert lines[3].split() == ["softmax", "35.8%", "0.48", "s", "0.0130", "ms", "0.25", "MB", "30,720"]
    with pytest.raises(KeyError, match="predict_s"):
        demo.comparison_table([dict(name="x", accuracy=0.1, train_s=1.0, bytes=1, ops=1)])


def test_describe_comparison_names_the_winner_of_each_column():
    knn = dict(name="k-NN (k = 1)", accuracy=0.939, bytes=9_430_000)
    softmax = dict(name="softmax", accuracy=0.902, bytes=62_880)
    assert demo.describe_comparison(knn, softmax) == ("k-NN is more accurate on the test set (93.9% against "
                                                      "softmax's 90.2%), but softmax keeps 150 times fewer bytes")
    softmax["accuracy"] = 0.362
    knn["accuracy"] = 0.281
    assert demo.describe_comparison(knn, softmax).startswith("softmax is more accurate on the test set (36.2% "
                                                             "against 28.1%); it keeps 150 times fewer bytes")


def test_every_figure_can_be_shown_with_its_alt(monkeypatch):
    shown = []
    monkeypatch.setattr(plots, "display", lambda bundle, raw: shown.append(bundle))
    plots.show_figure(demo.draw_gradient_descent(0.1, 5), alt=demo.gradient_descent_alt(0.1, 5))
    assert shown and 'alt="Contour lines of the bowl' in shown[0]["text/html"]


# ----------------------------------------------------------------------------- the notebook's exercises


def _gradient_cases():
    from course_lib.exercises import case

    rng = np.random.default_rng(61)
    A = rng.standard_normal((4, 3))
    return [case(lambda v: np.sum(v ** 3), rng.standard_normal(5)),
            case(lambda M: np.sum(np.tanh(M) * A), rng.standard_normal((4, 3)), h=1e-4)]


def centred(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.flat[i] = h
        grad.flat[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def forward(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(x.size):
        step = np.zeros_like(x)
        step.flat[i] = h
        grad.flat[i] = (f(x + step) - f(x)) / h
    return grad


def in_place(f, x, h=1e-5):
    grad = np.zeros_like(x)
    for i in range(x.size):
        x.flat[i] += h
        plus = f(x)
        x.flat[i] -= 2 * h
        grad.flat[i] = (plus - f(x)) / (2 * h)     # forgets to put x back
    return grad


def test_numerical_gradient_check_passes_the_solution_and_catches_the_usual_mistakes():
    from course_lib.optimization import numerical_gradient as reference

    check_function(centred, reference, _gradient_cases(), name="numerical_gradient", rtol=1e-5, atol=1e-7)
    with pytest.raises(AssertionError, match="entries are wrong"):
        check_function(forward, reference, _gradient_cases(), name="numerical_gradient", rtol=1e-5, atol=1e-7)
    with pytest.raises(AssertionError, match="changed its input x in place"):
        check_function(in_place, reference, _gradient_cases(), name="numerical_gradient", rtol=1e-5, atol=1e-7)


def _sgd_cases():
    rng = np.random.default_rng(63)
    return [demo.sgd_case(rng, 12, 5, 3, svm_loss_vectorized, batch_size=4, num_iters=9, seed=0),
            demo.sgd_case(rng, 30, 8, 4, softmax_loss_vectorized, batch_size=7, num_iters=10, seed=1)]


def test_sgd_case_draws_the_arguments_of_one_sgd_call():
    rng = np.random.default_rng(5)
    one = demo.sgd_case(rng, 12, 5, 3, svm_loss_vectorized, batch_size=4, num_iters=9, seed=2)
    loss_fn, W0, X, y = one.args
    assert loss_fn is svm_loss_vectorized and W0.shape == (5, 3) and X.shape == (12, 5) and y.shape == (12,)
    assert set(np.unique(y)) <= {0, 1, 2}
    assert one.kwargs == dict(learning_rate=0.5, reg=0.01, batch_size=4, num_iters=9, seed=2)
    again = demo.sgd_case(np.random.default_rng(5), 12, 5, 3, svm_loss_vectorized, batch_size=4,
                          num_iters=9, seed=2)
    np.testing.assert_array_equal(again.args[2], X)                      # seeded: the same draw
    with pytest.raises(TypeError, match="loss_fn"):
        demo.sgd_case(rng, 12, 5, 3, "svm", batch_size=4, num_iters=9, seed=2)


def make_sgd(*, after_step=False, in_place=False, reshuffle=False):
    from course_lib.optimization import minibatch_indices

    def student_sgd(loss_fn, W0, X, y, learning_rate, reg, batch_size, num_iters, seed=0):
        W, history = (W0 if in_place else W0.copy()), []
        rng = np.random.default_rng(seed)
        batches = ([rng.choice(len(y), batch_size, replace=False) for _ in range(num_iters)] if reshuffle
                   else minibatch_indices(len(y), batch_size, num_iters, seed))
        for batch in batches:
            loss, dW = loss_fn(W, X[batch], y[batch], reg)
            W -= learning_rate * dW
            history.append(loss_fn(W, X[batch], y[batch], reg)[0] if after_step else loss)
        return W, history
    return student_sgd


def test_sgd_check_passes_the_solution_and_catches_the_usual_mistakes():
    from course_lib.optimization import sgd as reference

    check_function(make_sgd(), reference, _sgd_cases(), name="sgd")
    with pytest.raises(AssertionError, match=r"result\[1\]"):              # the loss after the step
        check_function(make_sgd(after_step=True), reference, _sgd_cases(), name="sgd")
    with pytest.raises(AssertionError, match="changed its input W0 in place"):
        check_function(make_sgd(in_place=True), reference, _sgd_cases(), name="sgd")
    with pytest.raises(AssertionError, match="wrong"):                      # not the course's minibatch rule
        check_function(make_sgd(reshuffle=True), reference, _sgd_cases(), name="sgd")

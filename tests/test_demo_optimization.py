"""Tests of notebook 06's demos (course_lib.demos.optimization) and the live training plot
(course_lib.training_plot)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_lib.demos.optimization import (  # noqa: E402
    bowl_loss,
    draw_gd_on_bowl,
    draw_loss_slice,
    draw_search_scatter,
    finite_difference_errors,
    gd_bowl_widget,
    gradient_descent_path,
    loss_slice,
    search_hyperparameters,
    weights_accuracy,
)
from course_lib.gradients import numerical_gradient  # noqa: E402
from course_lib.training_plot import TrainingPlot  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def toy_classes(n=30, D=4, C=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = 2.5 * rng.standard_normal((C, D))
    X = np.concatenate([c + 0.5 * rng.standard_normal((n, D)) for c in centres])
    y = np.repeat(np.arange(C), n)
    return X, y


def hinge_reference(W, X, y, reg):
    """The multiclass SVM loss written out with loops (reference for loss_slice)."""
    total = 0.0
    for i in range(len(y)):
        s = X[i] @ W
        total += sum(max(0.0, s[j] - s[y[i]] + 1.0) for j in range(W.shape[1]) if j != y[i])
    return total / len(y) + reg * np.sum(W**2)


# ----------------------------------------------------------------------------- bowl


def test_bowl_loss_values_and_gradient():
    loss, grad = bowl_loss([2.0, 1.0], curvatures=(1.0, 10.0))
    assert loss == pytest.approx(0.5 * (4 + 10))
    np.testing.assert_allclose(grad, [2.0, 10.0])
    num = numerical_gradient(lambda w: bowl_loss(w)[0], np.array([0.3, -0.7]))
    np.testing.assert_allclose(num, bowl_loss([0.3, -0.7])[1], rtol=1e-8)
    many, _ = bowl_loss(np.zeros((3, 4, 2)))
    assert many.shape == (3, 4)


def test_gradient_descent_path_converges_or_diverges_at_2_over_curvature():
    grad = lambda w: bowl_loss(w)[1]  # noqa: E731
    ok = gradient_descent_path(grad, [-4.0, 2.5], 0.15, 200)
    assert ok.shape == (201, 2) and np.linalg.norm(ok[-1]) < 1e-6
    # one step by hand: w - lr * (w0, 10 w1)
    np.testing.assert_allclose(ok[1], [-4.0 + 0.15 * 4.0, 2.5 - 0.15 * 25.0])
    bad = gradient_descent_path(grad, [-4.0, 2.5], 0.21, 1000)
    assert len(bad) < 1001  # stopped early, |w| > 1e6
    assert np.linalg.norm(bad[-1]) > 1e6
    zero = gradient_descent_path(grad, [1.0, 1.0], 0.1, 0)
    assert zero.shape == (1, 2)


def test_draw_gd_on_bowl_reports_the_run():
    fig, ax = plt.subplots()
    out = draw_gd_on_bowl(ax, 0.05, 30)
    assert out["critical_learning_rate"] == pytest.approx(0.2)
    assert out["path"].shape == (31, 2) and not out["diverged"]
    assert out["final_loss"] == pytest.approx(bowl_loss(out["path"][-1])[0])
    fig, ax = plt.subplots()
    assert draw_gd_on_bowl(ax, 0.22, 30)["diverged"]


@pytest.mark.parametrize("kwargs", [dict(lim=0.05), dict(curvatures=(1e-3, 1e-3)), dict(lim=1e-150)])
def test_draw_gd_on_bowl_draws_increasing_levels_for_any_loss_range(kwargs):
    fig, ax = plt.subplots()
    out = draw_gd_on_bowl(ax, 0.1, 5, **kwargs)  # was "Contour levels must be increasing"
    assert np.isfinite(out["final_loss"])
    (contours,) = [c for c in ax.get_children() if hasattr(c, "levels")]
    assert len(contours.levels) == 12 and np.all(np.diff(contours.levels) > 0)


def test_draw_gd_on_bowl_default_levels_unchanged():
    fig, ax = plt.subplots()
    draw_gd_on_bowl(ax, 0.05, 5)
    (contours,) = [c for c in ax.get_children() if hasattr(c, "levels")]
    np.testing.assert_array_equal(contours.levels, np.geomspace(0.05, 0.5 * (25 + 250), 12))


def test_gd_bowl_widget_with_a_shallow_bowl():
    w = gd_bowl_widget(curvatures=(0.001, 0.001))
    w.children[1].value = 3
    assert w.result["path"].shape == (4, 2)


def test_gd_bowl_widget_drives_the_draw_function():
    w = gd_bowl_widget()
    lr_slider, steps_slider = w.children[:2]
    steps_slider.value = 10
    lr_slider.value = 0.1
    assert w.result["path"].shape == (11, 2)
    lr_slider.value = 0.24
    assert w.result["diverged"]


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: bowl_loss([1.0, 2.0, 3.0]), ValueError, "last axis of length 2"),
        (lambda: bowl_loss([1.0, 2.0], curvatures=(1.0, -1.0)), ValueError, "curvatures"),
        (lambda: gradient_descent_path(None, [0.0], 0.1, 3), TypeError, "grad_fn"),
        (lambda: gradient_descent_path(lambda w: w, [0.0], 0.0, 3), ValueError, "learning_rate"),
        (lambda: gradient_descent_path(lambda w: w, [0.0], 0.1, -1), ValueError, "num_steps"),
        (lambda: gradient_descent_path(lambda w: np.zeros(3), [0.0], 0.1, 2), ValueError, "shape"),
    ],
)
def test_bowl_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# ----------------------------------------------------------------------------- loss slices


def test_loss_slice_matches_the_loss_at_each_point():
    X, y = toy_classes()
    rng = np.random.default_rng(1)
    W = rng.standard_normal((4, 3))
    d1, d2 = rng.standard_normal((2, 4, 3))
    steps = np.linspace(-1, 1, 5)
    one = loss_slice(W, X, y, [d1], steps, reg=0.1)
    assert one.shape == (5,)
    for a, v in zip(steps, one):
        assert v == pytest.approx(hinge_reference(W + a * d1, X, y, 0.1))
    two = loss_slice(W, X, y, [d1, d2], steps, reg=0.1)
    assert two.shape == (5, 5)
    for i, b in enumerate(steps):
        for j, a in enumerate(steps):
            assert two[i, j] == pytest.approx(hinge_reference(W + a * d1 + b * d2, X, y, 0.1))
    np.testing.assert_allclose(two[2], one)  # b = 0 row is the 1-D slice


def test_loss_slice_of_one_example_is_piecewise_linear_and_convex():
    X, y = toy_classes(n=1)
    W = np.random.default_rng(2).standard_normal((4, 3))
    d = np.random.default_rng(3).standard_normal((4, 3))
    steps = np.linspace(-3, 3, 601)
    L = loss_slice(W, X[:1], y[:1], [d], steps)
    second = np.diff(L, 2)
    assert np.all(second >= -1e-9)  # convex: a sum of hinges of linear functions
    assert np.mean(np.abs(second) < 1e-9) > 0.9  # and linear almost everywhere


def test_loss_slice_works_in_chunks_of_bounded_memory(monkeypatch):
    import tracemalloc

    from course_lib import distances

    rng = np.random.default_rng(4)
    N, D, C, S = 200, 6, 10, 40  # all S² grid points at once: 25.6 MB of scores
    X, y = rng.standard_normal((N, D)), rng.integers(0, C, N)
    W, d1, d2 = 0.1 * rng.standard_normal((3, D, C))
    steps = np.linspace(-1, 1, S)
    whole = loss_slice(W, X, y, [d1, d2], steps, reg=0.1)  # the default budget: one chunk here
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", 2**20)  # 1 MiB: chunks of 65 points
    tracemalloc.start()
    try:
        chunked = loss_slice(W, X, y, [d1, d2], steps, reg=0.1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(chunked, whole)  # the same numbers, bit for bit
    assert peak < 8 * 2**20, peak  # a few budgets (scores + hinge temporaries), not 25.6 MB × k
    monkeypatch.setattr(distances, "WORKING_MEMORY_BYTES", 1)  # one grid point per chunk
    np.testing.assert_array_equal(loss_slice(W, X, y, [d1], steps), loss_slice(W, X, y, d1, steps))
    i, j = 7, 31
    assert chunked[i, j] == pytest.approx(hinge_reference(W + steps[j] * d1 + steps[i] * d2, X, y, 0.1))


def test_loss_slice_bad_input():
    X, y = toy_classes()
    W = np.zeros((4, 3))
    with pytest.raises(ValueError, match="directions"):
        loss_slice(W, X, y, [W, W, W], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"directions\[0\] must have W's shape"):
        loss_slice(W, X, y, [np.zeros((3, 3))], [0.0, 1.0])
    with pytest.raises(ValueError, match="columns"):
        loss_slice(np.zeros((5, 3)), X, y, [np.zeros((5, 3))], [0.0])
    with pytest.raises(ValueError, match=r"^per_sample_loss must return one loss per row .* got shape \(\)"):
        loss_slice(W, X, y, [W], [0.0, 1.0], per_sample_loss=lambda s, yy: s.sum())


def test_draw_loss_slice_shapes():
    fig, (a1, a2) = plt.subplots(1, 2)
    steps = np.linspace(-1, 1, 4)
    line = draw_loss_slice(a1, steps, steps**2)
    np.testing.assert_allclose(line.get_ydata(), steps**2)
    img = draw_loss_slice(a2, steps, np.outer(steps, steps) ** 2, title="2-D")
    assert img.get_array().shape == (4, 4)
    with pytest.raises(ValueError, match="losses must have shape"):
        draw_loss_slice(a1, steps, np.zeros(3))


# ----------------------------------------------------------------------------- finite differences


def test_finite_difference_errors_have_the_textbook_slopes():
    hs = np.array([1e-1, 1e-2, 1e-3])
    ef = finite_difference_errors(np.sin, np.cos, 1.0, hs, method="forward")
    ec = finite_difference_errors(np.sin, np.cos, 1.0, hs, method="centred")
    slope_f = np.polyfit(np.log10(hs), np.log10(ef), 1)[0]
    slope_c = np.polyfit(np.log10(hs), np.log10(ec), 1)[0]
    assert slope_f == pytest.approx(1.0, abs=0.05)
    assert slope_c == pytest.approx(2.0, abs=0.05)
    # forward error ≈ h/2 |f''(x)| = h/2 sin(1) for small h
    assert ef[-1] == pytest.approx(1e-3 / 2 * np.sin(1.0), rel=0.01)
    # tiny steps: rounding error takes over
    tiny = finite_difference_errors(np.sin, np.cos, 1.0, [1e-13], method="centred")
    assert tiny[0] > ec[-1]


def test_finite_difference_errors_bad_input():
    with pytest.raises(ValueError, match="hs must hold step sizes > 0"):
        finite_difference_errors(np.sin, np.cos, 1.0, [0.0])
    with pytest.raises(TypeError, match="callables"):
        finite_difference_errors(np.sin, None, 1.0, [0.1])
    with pytest.raises(ValueError, match="method"):
        finite_difference_errors(np.sin, np.cos, 1.0, [0.1], method="backward")


# ----------------------------------------------------------------------------- training helpers


def test_weights_accuracy():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    W = np.array([[1.0, 0.0], [0.0, 2.0]])
    assert weights_accuracy(W, X, np.array([0, 1, 1])) == 1.0
    assert weights_accuracy(W, X, np.array([1, 1, 0])) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="columns"):
        weights_accuracy(np.zeros((3, 2)), X, np.array([0, 1, 1]))


def test_search_hyperparameters_finds_a_good_pair_and_flags_divergence():
    X, y = toy_classes(n=40, seed=3)
    X = X - X.mean(axis=0)
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(y))
    tr, va = perm[:90], perm[90:]
    out = search_hyperparameters(X[tr], y[tr], X[va], y[va], [1e-3, 1e-1, 1e4], [1e-4, 1e-1],
                                 loss="softmax", num_iters=100, batch_size=30, seed=0)
    res = out["results"]
    assert set(res) == {(a, b) for a in (1e-3, 1e-1, 1e4) for b in (1e-4, 1e-1)}
    assert np.isnan(res[(1e4, 1e-1)][1])  # diverged: recorded, not raised
    best = out["best"]
    assert res[best][1] == max(v[1] for v in res.values() if np.isfinite(v[1]))
    assert res[best][1] > 0.9
    assert out["best_model"].accuracy(X[va], y[va]) == res[best][1]
    fig, ax = plt.subplots()
    sc = draw_search_scatter(ax, res, title="softmax")
    assert len(sc.get_offsets()) == sum(np.isfinite(v[1]) for v in res.values())
    assert ax.get_xscale() == "log"
    labels = sorted(t.get_text() for t in ax.texts)
    assert len(labels) == len(res) and labels.count("diverged") >= 1
    assert f"{res[best][1]:.0%}" in labels


def test_search_and_scatter_bad_input():
    X, y = toy_classes()
    with pytest.raises(ValueError, match="learning_rates"):
        search_hyperparameters(X, y, X, y, [], [1e-3])
    with pytest.raises(ValueError, match=r"learning_rates\[0\] must be > 0"):
        search_hyperparameters(X, y, X, y, [0.0], [1e-3])
    with pytest.raises(ValueError, match="loss must be one of"):
        search_hyperparameters(X, y, X, y, [1e-3], [1e-3], loss="hinge")
    with pytest.raises(ValueError, match="X_val has"):
        search_hyperparameters(X, y, X[:, :2], y, [1e-3], [1e-3])
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="at least one"):
        draw_search_scatter(ax, {})
    with pytest.raises(ValueError, match="log axis"):
        draw_search_scatter(ax, {(0.1, 0.0): (0.5, 0.5)})


# ----------------------------------------------------------------------------- TrainingPlot


def test_training_plot_records_without_drawing_until_show(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    plot = TrainingPlot()
    for it in range(5):
        plot.add(it, loss=1.0 / (it + 1))
    plot.add(4, train=0.5, val=0.4)
    assert plot.num_draws == 0 and plot.fig is None and not shown
    assert plot.show() is None
    fig = plot.fig
    assert plot.num_draws == 1 and shown == [1]
    assert len(fig.axes) == 2
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), [1.0, 0.5, 1 / 3, 0.25, 0.2])
    assert fig.axes[0].get_yscale() == "log"
    assert plot.history["val"] == ([4.0], [0.4])
    assert plot.last("loss") == 0.2 and np.isnan(TrainingPlot().last("train"))


def test_training_plot_callback_with_sgd(monkeypatch):
    from course_lib.optim import sgd

    monkeypatch.setattr(plt, "show", lambda *a, **k: None)
    X, y = toy_classes()

    def loss_fn(W, X, y, reg):
        s = X @ W
        s = s - s.max(axis=1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=1, keepdims=True)
        n = len(y)
        loss = -np.mean(np.log(p[np.arange(n), y])) + reg * np.sum(W**2)
        p[np.arange(n), y] -= 1
        return loss, X.T @ p / n + 2 * reg * W

    plot = TrainingPlot(ylim={"accuracy": (0, 1)})
    cb = plot.callback(every=5, metrics={"train": lambda W: weights_accuracy(W, X, y)})
    _, hist = sgd(loss_fn, np.zeros((4, 3)), X, y, learning_rate=0.1, reg=0.0, batch_size=10,
                  num_iters=12, callback=cb)
    assert plot.history["loss"][1] == hist
    assert plot.history["train"][0] == [0.0, 5.0, 10.0]
    assert plot.num_draws == 0
    plot.show()
    assert plot.fig.axes[1].get_ylim() == (0.0, 1.0)


def test_training_plot_interactive_mode_updates_one_display(monkeypatch):
    import IPython.display

    calls = []

    class Handle:
        def update(self, obj):
            calls.append("update")

    def fake_display(obj, display_id=False):
        calls.append("display")
        return Handle()

    monkeypatch.setattr(IPython.display, "display", fake_display)
    plot = TrainingPlot({"loss": ["loss"]}, interactive=True, min_interval=0.0)
    for it in range(3):
        plot.add(it, loss=1.0)
    plot.show()
    assert calls == ["display", "update", "update", "update"]
    assert plot.num_draws == 4
    slow = TrainingPlot({"loss": ["loss"]}, interactive=True, min_interval=1e6)
    calls.clear()
    for it in range(50):
        slow.add(it, loss=1.0)
    assert calls == ["display"]  # throttled: drawn once, then only at show()


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(panels={}), ValueError, "at least one panel"),
        (dict(panels={"a": ["x"], "b": ["x"]}), ValueError, "more than once"),
        (dict(panels={"a": []}), ValueError, "non-empty sequence"),
        (dict(logy=["nope"]), ValueError, "not a panel"),
        (dict(interactive="yes"), TypeError, "interactive must be True or False"),
        (dict(min_interval=-1.0), ValueError, "min_interval"),
    ],
)
def test_training_plot_bad_construction(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        TrainingPlot(**kwargs)


def test_training_plot_bad_add():
    plot = TrainingPlot()
    with pytest.raises(ValueError, match="not a series"):
        plot.add(0, accuracy=0.5)
    with pytest.raises(TypeError, match="loss must be a real number"):
        plot.add(0, loss="high")
    with pytest.raises(ValueError, match="at least one value"):
        plot.add(0)
    with pytest.raises(ValueError, match="not a series"):
        plot.callback(metrics={"test": lambda W: 0.0})

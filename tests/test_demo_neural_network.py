"""Tests of course_lib.demos.neural_network: notebook 08's bridge between the Value network and the matrix
network, the references of its exercises (and that the check cells catch the usual mistakes), its figures,
its widget, and the claims the notebook asserts about XOR and the moons."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import course_lib.demos.neural_network as demo  # noqa: E402
from course_lib.demos.toy_data import make_moons, make_xor  # noqa: E402
from course_lib.exercises import check_function, make_cases  # noqa: E402
from course_lib.linear_classifier import LinearClassifier  # noqa: E402
from course_lib.neural_network import (MLP, mlp_loss, mlp_predict, train_mlp, train_two_layer_net,  # noqa: E402
                                       two_layer_net_loss, two_layer_net_predict)
from course_lib.optimization import minibatch_indices, numerical_gradient  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def train_value_mlp(net, X, y, *, learning_rate, reg, batch_size, num_iters, seed=0):
    """The notebook's train_on_minibatches: one train_mlp step per minibatch of minibatch_indices."""
    history = []
    for batch in minibatch_indices(len(y), batch_size, num_iters, seed=seed):
        history += train_mlp(net, X[batch], y[batch], learning_rate=learning_rate, reg=reg, num_iters=1)
    return history


# ----------------------------------------------------------------------------- the same network twice


def test_mlp_to_params_and_mlp_grads_give_the_matrix_network_the_same_loss_and_gradients():
    net = MLP(4, [6, 3], seed=3)
    rng = np.random.default_rng(3)
    for p in net.parameters():
        p.data += rng.normal(scale=0.2)             # non-zero biases too
    X, y = rng.normal(size=(7, 4)), rng.integers(0, 3, size=7)
    loss = mlp_loss(net, X, y, reg=0.05)
    loss.backward()
    params = demo.mlp_to_params(net)
    assert {k: v.shape for k, v in params.items()} == {"W1": (4, 6), "b1": (6,), "W2": (6, 3), "b2": (3,)}
    expected_loss, expected_grads = two_layer_net_loss(params, X, y, reg=0.05)
    assert loss.data == pytest.approx(expected_loss, rel=1e-12)
    grads = demo.mlp_grads(net)
    for name, grad in expected_grads.items():
        np.testing.assert_allclose(grads[name], grad, rtol=1e-9, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(two_layer_net_predict(params, X), mlp_predict(net, X))
    params["W1"][0, 0] = 99.0                        # a copy: the network is untouched
    assert net.layers[0].neurons[0].w[0].data != 99.0


def test_matrix_training_from_the_same_start_takes_the_same_steps_as_the_value_network():
    X, y = make_moons(num_per_class=15, seed=1)
    net = MLP(2, [5, 2], seed=2)
    start = demo.mlp_to_params(net)
    settings = dict(learning_rate=0.5, reg=1e-3, batch_size=6, num_iters=7, seed=4)
    history = train_value_mlp(net, X, y, **settings)
    params, history_matrix = train_two_layer_net(start, X, y, **settings)
    np.testing.assert_allclose(history_matrix, history, rtol=1e-10)
    for name, value in demo.mlp_to_params(net).items():
        np.testing.assert_allclose(params[name], value, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("model, error, fragment", [
    ("net", TypeError, "model must be an MLP, got str"),
    (MLP(2, [3]), ValueError, "one hidden layer .* got 1 layers"),
    (MLP(2, [3, 3, 2]), ValueError, "one hidden layer .* got 3 layers"),
])
def test_mlp_to_params_refuses_other_models(model, error, fragment):
    for fn in (demo.mlp_to_params, demo.mlp_grads):
        with pytest.raises(error, match=fragment):
            fn(model)


# ----------------------------------------------------------------------------- exercise references


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**31 - 1), st.booleans())
def test_engine_relu_backward_is_upstream_where_the_input_is_positive(N, H, seed, zeros):
    upstream, pre_activation = demo.random_relu_case(np.random.default_rng(seed), N, H, zeros=zeros)
    result = demo.engine_relu_backward(upstream, pre_activation)
    assert result.shape == (N, H) and result.dtype == np.float64
    np.testing.assert_allclose(result, upstream * (pre_activation > 0), rtol=1e-12, atol=0)


def test_engine_relu_backward_matches_the_numerical_gradient_away_from_the_kink():
    upstream, pre_activation = demo.random_relu_case(np.random.default_rng(0), 5, 4)
    assert np.abs(pre_activation).min() > 1e-3
    numerical = numerical_gradient(lambda a: np.sum(upstream * np.maximum(0, a)), pre_activation)
    np.testing.assert_allclose(demo.engine_relu_backward(upstream, pre_activation), numerical, rtol=1e-7, atol=1e-9)


def test_random_relu_case_puts_exact_zeros_only_when_asked():
    rng = np.random.default_rng(0)
    assert not np.any(demo.random_relu_case(rng, 30, 30)[1] == 0)
    zeros = demo.random_relu_case(rng, 30, 30, zeros=True)[1] == 0
    assert 0.2 < zeros.mean() < 0.45


@pytest.mark.parametrize("N, D, H, dtype", [(1, 1, 1, np.float64), (4, 3, 5, np.float64), (3, 12, 4, np.uint8)])
def test_engine_matmul_backward_is_the_transposed_products_and_the_numerical_gradient(N, D, H, dtype):
    upstream, X, W = demo.random_matmul_case(np.random.default_rng(N + D + H), N, D, H, dtype=dtype)
    assert X.dtype == dtype and X.shape == (N, D) and W.shape == (D, H) and upstream.shape == (N, H)
    dX, dW = demo.engine_matmul_backward(upstream, X, W)
    X64 = X.astype(np.float64)
    np.testing.assert_allclose(dX, upstream @ W.T, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(dW, X64.T @ upstream, rtol=1e-10, atol=1e-8)
    numerical = numerical_gradient(lambda W_: np.sum(upstream * (X64 @ W_)), W)
    np.testing.assert_allclose(dW, numerical, rtol=1e-6, atol=1e-6)



@pytest.mark.parametrize("N, D, H, dtype", [(1, 1, 1, np.float64), (8, 5, 6, np.float64), (3, 12, 4, np.uint8)])
def test_numerical_matmul_backward_agrees_with_the_engine(N, D, H, dtype):
    upstream, X, W = demo.random_matmul_case(np.random.default_rng(10 * N + D), N, D, H, dtype=dtype)
    for numerical, engine in zip(demo.numerical_matmul_backward(upstream, X, W),
                                 demo.engine_matmul_backward(upstream, X, W)):
        np.testing.assert_allclose(numerical, engine, rtol=1e-6, atol=1e-6)

def relu_right(upstream, pre_activation):
    return upstream * (pre_activation > 0)


def matmul_right(upstream, X, W1):
    return upstream @ W1.T, X.T @ upstream


@pytest.mark.parametrize("student", [
    lambda upstream, a: (a > 0).astype(float),                 # forgets the upstream gradient
    lambda upstream, a: upstream * np.maximum(0, a),           # multiplies by the forward value
    lambda upstream, a: np.where(a > 0, upstream, 0.0).T,      # wrong shape
    lambda upstream, a: upstream * (a >= 0),                   # gradient 1 at the kink (hidden cases only)
])
def test_relu_check_catches_the_usual_mistakes(student):
    cases = make_cases(demo.random_relu_case, [(1, 1), (4, 3), (20, 16)], seed=1)
    cases += make_cases(demo.random_relu_case, [(6, 6), (30, 4)], seed=3, zeros=True)
    check_function(relu_right, demo.engine_relu_backward, cases, name="right")
    with pytest.raises(AssertionError):
        check_function(student, demo.engine_relu_backward, cases, name="relu_backward")


@pytest.mark.parametrize("student", [
    lambda upstream, X, W1: (X.T @ upstream, upstream @ W1.T),           # the two results swapped
    lambda upstream, X, W1: (upstream @ W1.T, (X.T @ upstream).T),       # dW1 transposed
    lambda upstream, X, W1: (upstream @ W1.T, X.T @ upstream / len(X)),  # averaged over the rows
    lambda upstream, X, W1: (-(upstream @ W1.T), -(X.T @ upstream)),     # wrong sign
])
def test_matmul_check_catches_the_usual_mistakes(student):
    cases = make_cases(demo.random_matmul_case, [(1, 1, 1), (4, 3, 5), (6, 10, 2)], seed=1)
    check_function(matmul_right, demo.engine_matmul_backward, cases, name="right")
    with pytest.raises(AssertionError):
        check_function(student, demo.engine_matmul_backward, cases, name="matmul_backward")


# ----------------------------------------------------------------------------- small helpers


def test_standardize_gives_mean_0_and_std_1_and_reuses_given_statistics():
    X = np.random.default_rng(0).normal(loc=[3.0, -1.0], scale=[2.0, 0.5], size=(50, 2))
    Xs, mean, std = demo.standardize(X)
    np.testing.assert_allclose(Xs.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Xs.std(axis=0), 1.0, rtol=1e-12)
    again, mean2, std2 = demo.standardize(X[:5], mean, std)
    np.testing.assert_allclose(again, Xs[:5])
    assert mean2 is not None and np.array_equal(mean2, mean) and np.array_equal(std2, std)


def test_print_source_leaves_out_docstrings_and_names_methods(capsys):
    demo.print_source(MLP.__call__, mlp_loss)
    text = capsys.readouterr().out
    assert text.startswith("# MLP.__call__\ndef __call__(self, x):")
    assert "def mlp_loss(model, X, y, reg):\n    X, y = _check_mlp_data" in text
    assert "Softmax loss of an MLP" not in text
    demo.print_source(mlp_loss, docstrings=True)
    assert "Softmax loss of an MLP" in capsys.readouterr().out


def test_accuracy_recorder_measures_every_epoch_and_at_the_end():
    X, y = make_moons(num_per_class=20, seed=0)
    params = demo.mlp_to_params(MLP(2, [4, 2], seed=0))
    recorder = demo.AccuracyRecorder(X[:10], y[:10], X[10:], y[10:], every=4, num_iters=10)
    trained, _ = train_two_layer_net(params, X, y, learning_rate=0.5, reg=0.0, num_iters=10, batch_size=8,
                                     callback=recorder)
    assert recorder.steps == [4, 8, 10]
    assert recorder.val[-1] == np.mean(two_layer_net_predict(trained, X[10:]) == y[10:])
    assert recorder.train[-1] == np.mean(two_layer_net_predict(trained, X[:10]) == y[:10])
    assert recorder.seconds > 0


# ----------------------------------------------------------------------------- the notebook's claims


def test_xor_and_moons_results_the_notebook_asserts():
    """Section 2 (the matrix twin takes the same steps, checked above): XOR separated, moons ≥ 95 %, and
    the linear classifier trained the same way leaves one XOR class at most half right (04's proof)."""
    settings = dict(learning_rate=1.0, reg=1e-4, batch_size=20, seed=0)
    X, y = make_xor()
    Xs, _, _ = demo.standardize(X)
    params, _ = train_two_layer_net(demo.mlp_to_params(MLP(2, [16, 2], seed=0)), Xs, y, num_iters=24, **settings)
    assert np.all(two_layer_net_predict(params, Xs) == y)
    linear = LinearClassifier(2, 2, seed=0)
    linear.fit(Xs, y, loss="softmax", num_iters=24, **settings)
    predicted = linear.predict(Xs)
    assert min(np.mean(predicted[y == c] == c) for c in (0, 1)) <= 0.5
    moons_params, _, _ = demo.moons_network(16, 1e-4)
    Xm, ym = make_moons()
    Xms, _, _ = demo.standardize(Xm)
    assert np.mean(two_layer_net_predict(moons_params, Xms) == ym) >= 0.95


def test_moons_network_trains_like_the_notebook_and_is_cached():
    X, y = make_moons()
    Xs, mean, std = demo.standardize(X)
    net = MLP(2, [3, 2], seed=0)
    train_value_mlp(net, Xs, y, learning_rate=1.0, reg=0.01, batch_size=20, num_iters=4, seed=0)
    params, mean2, std2 = demo.moons_network(3, 0.01, num_iters=4)
    for name, value in demo.mlp_to_params(net).items():
        np.testing.assert_allclose(params[name], value, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(mean2, mean)
    np.testing.assert_array_equal(std2, std)
    params["W1"][:] = 0.0                            # the cache hands out copies
    assert np.any(demo.moons_network(3, 0.01, num_iters=4)[0]["W1"] != 0)


# ----------------------------------------------------------------------------- figures


def _trained_pair(X, y, hidden_size=6):
    Xs, mean, std = demo.standardize(X)
    params, _ = train_two_layer_net(demo.mlp_to_params(MLP(2, [hidden_size, 2], seed=0)), Xs, y,
                                    learning_rate=1.0, reg=1e-4, num_iters=30, batch_size=20)
    linear = LinearClassifier(2, 2, seed=0)
    linear.fit(Xs, y, loss="softmax", learning_rate=1.0, reg=1e-4, num_iters=30, batch_size=20)
    return dict(X=X, y=y, linear=linear, params=params, mean=mean, std=std, name="XOR")


def unit_segments(ax):
    """The dashed switch-on lines of an axes: the segments of its LineCollections."""
    return [segment for collection in ax.collections if isinstance(collection, LineCollection)
            for segment in collection.get_segments()]


def test_linear_vs_network_figure_and_alt_report_the_accuracies_and_draw_one_line_per_unit():
    X, y = make_xor()
    picture = _trained_pair(X, y, hidden_size=6)
    Xs = (X - picture["mean"]) / picture["std"]
    acc_linear = np.mean(picture["linear"].predict(Xs) == y)
    acc_net = np.mean(two_layer_net_predict(picture["params"], Xs) == y)
    fig = demo.draw_linear_vs_network(**picture)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[0].get_title() == f"linear classifier: {acc_linear:.1%} right"
    assert fig.axes[1].get_title() == f"network, 6 hidden units: {acc_net:.1%} right"
    assert len(unit_segments(fig.axes[1])) == 6 and len(unit_segments(fig.axes[0])) == 0   # switch-on lines
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["class 0", "class 1", "a hidden unit switches on"]
    alt = demo.linear_vs_network_alt(**picture)
    assert f"{acc_linear:.1%}" in alt and f"{acc_net:.1%}" in alt and "6 hidden units" in alt


def test_unit_lines_are_where_each_hidden_unit_switches_on_in_the_original_coordinates():
    X, y = make_moons(num_per_class=30, seed=2)
    picture = _trained_pair(X, y, hidden_size=4)
    fig = demo.draw_linear_vs_network(**picture)
    params, mean, std = picture["params"], picture["mean"], picture["std"]
    segments = unit_segments(fig.axes[1])
    assert len(segments) == 4
    for segment in segments:     # both ends on the same unit's line w·x + b = 0, each unit drawn once
        pre_activation = ((np.array(segment) - mean) / std) @ params["W1"] + params["b1"]     # (2, H)
        assert np.sum(np.all(np.abs(pre_activation) < 1e-9, axis=0)) == 1
    units = [int(np.argmin(np.abs(((np.array(seg) - mean) / std) @ params["W1"] + params["b1"]).sum(axis=0)))
             for seg in segments]
    assert sorted(units) == [0, 1, 2, 3]


def test_loss_curves_show_each_step_and_the_epoch_means():
    histories = {"XOR": list(np.linspace(1.0, 0.1, 24)), "moons": list(np.linspace(2.0, 0.2, 100))}
    fig = demo.draw_loss_curves(histories, {"XOR": 6, "moons": 10})
    assert [ax.get_title() for ax in fig.axes] == ["XOR", "moons"]
    steps, means = fig.axes[1].lines[1].get_data()
    np.testing.assert_array_equal(steps, 10 * np.arange(1, 11))
    np.testing.assert_allclose(means, np.array(histories["moons"]).reshape(10, 10).mean(axis=1))
    with pytest.raises(ValueError, match="steps_per_epoch has no entry for 'moons'"):
        demo.draw_loss_curves(histories, {"XOR": 6})


def test_search_results_mark_the_chosen_row_and_the_linear_line():
    results = [dict(hidden_size=h, learning_rate=0.1, reg=r, train=t, val=v)
               for h, r, t, v in ((25, 1e-3, 0.6, 0.38), (50, 1e-2, 0.5, 0.41), (50, 1e-3, 0.7, 0.37))]
    fig = demo.draw_search_results(results, 1, linear_val=0.36)
    ax = fig.axes[0]
    labels = ax.get_yticklabels()
    assert [label.get_fontweight() for label in labels] == ["normal", "bold", "normal"]
    assert labels[1].get_text() == "H = 50, lr = 0.1, λ = 0.01"
    assert ax.lines[-1].get_xdata()[0] == 0.36                    # the dashed line of the linear classifier
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "training accuracy", "validation accuracy", "best linear classifier, validation"]
    with pytest.raises(ValueError, match="chosen must be an integer in \\[0, 2\\]"):
        demo.draw_search_results(results, 3, linear_val=0.36)


def test_learning_curves_plot_the_recorder():
    X, y = make_moons(num_per_class=20, seed=0)
    recorder = demo.AccuracyRecorder(X, y, X, y, every=2, num_iters=6)
    _, history = train_two_layer_net(demo.mlp_to_params(MLP(2, [4, 2], seed=0)), X, y, learning_rate=0.5,
                                     reg=0.0, num_iters=6, batch_size=20, callback=recorder)
    fig = demo.draw_learning_curves(history, recorder, steps_per_epoch=2, linear_val=0.5)
    assert len(fig.axes) == 2
    epochs, accuracy = fig.axes[1].lines[1].get_data()
    np.testing.assert_array_equal(epochs, [1, 2, 3])
    assert list(accuracy) == recorder.val
    with pytest.raises(ValueError, match="recorder must be an AccuracyRecorder"):
        demo.draw_learning_curves(history, "recorder", steps_per_epoch=2, linear_val=0.5)


# ----------------------------------------------------------------------------- widget


def test_moons_picture_title_alt_and_unit_lines():
    fig = demo.draw_moons_network(4, 1e-3)
    params, mean, std = demo.moons_network(4, 1e-3)
    X, y = make_moons()
    accuracy = np.mean(two_layer_net_predict(params, (X - mean) / std) == y)
    assert fig.axes[0].get_title() == f"4 hidden units, λ = 0.001: {accuracy:.1%} right"
    assert len(unit_segments(fig.axes[0])) == 4
    alt = demo.moons_network_alt(4, 1e-3)
    assert f"{accuracy:.1%} of the 200 training points" in alt and "4 hidden units and λ = 0.001" in alt
    assert demo.draw_moons_network(1, 0.0).axes[0].get_title().startswith("1 hidden unit, λ = 0:")


def test_widget_sliders_redraw_the_picture(monkeypatch):
    shown = []
    monkeypatch.setattr(demo, "show_figure", lambda fig, alt: shown.append((fig, alt)))
    widget = demo.moons_network_widget(16, 1e-4)
    units, lam = widget.children[:2]
    assert units.options == demo.MOONS_HIDDEN_SIZES and not units.continuous_update and not lam.continuous_update
    assert [value for _, value in lam.options] == list(demo.MOONS_REGS)
    assert shown[-1][1] == demo.moons_network_alt(16, 1e-4)          # the starting picture
    units.value = 2
    assert shown[-1][1] == demo.moons_network_alt(2, 1e-4)
    lam.value = 0.1
    assert shown[-1][1] == demo.moons_network_alt(2, 0.1)
    assert shown[-1][0].axes[0].get_title().startswith("2 hidden units, λ = 0.1:")


# ----------------------------------------------------------------------------- bad input

X2, Y2 = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]]), np.array([0, 1, 0])
PARAMS2 = demo.mlp_to_params(MLP(2, [3, 2], seed=0))
LINEAR2 = LinearClassifier(2, 2)
PICTURE = dict(X=X2, y=Y2, linear=LINEAR2, params=PARAMS2, mean=np.zeros(2), std=np.ones(2), name="t")

BAD_INPUT = [
    (demo.engine_relu_backward, (np.ones((2, 3)), np.ones((3, 2))), ValueError, "must have the same shape"),
    (demo.engine_relu_backward, (np.ones(3), np.ones(3)), ValueError, "upstream must be 2-D"),
    (demo.engine_relu_backward, ([["a"]], [[1.0]]), TypeError, "upstream must hold real numbers"),
    (demo.engine_matmul_backward, (np.ones((2, 3)), np.ones((2, 4)), np.ones((5, 3))), ValueError,
     "shapes must be upstream \\(N, H\\), X \\(N, D\\), W \\(D, H\\)"),
    (demo.engine_matmul_backward, (np.ones((2, 3)), np.ones((2, 4)), np.full((4, 3), np.nan)), ValueError,
     "W must hold only finite"),
    (demo.numerical_matmul_backward, (np.ones((2, 3)), np.ones((2, 4)), np.ones((5, 3))), ValueError,
     "shapes must be upstream \\(N, H\\), X \\(N, D\\), W \\(D, H\\)"),
    (demo.standardize, (np.ones((4, 2)),), ValueError, "X must vary in every column"),
    (demo.standardize, (X2, np.zeros(3), np.ones(3)), ValueError, "mean and std must have shape \\(2,\\)"),
    (demo.standardize, (X2, np.zeros(2), np.array([1.0, 0.0])), ValueError, "std must be positive"),
    (lambda: demo.print_source(3), TypeError, "functions must be functions or methods, got int"),
    (lambda: demo.AccuracyRecorder(X2, Y2, X2, Y2, every=0, num_iters=3), ValueError, "every must be an integer"),
    (lambda: demo.draw_linear_vs_network(**{**PICTURE, "linear": "svm"}), TypeError,
     "linear must be a LinearClassifier"),
    (lambda: demo.draw_linear_vs_network(**{**PICTURE, "X": np.ones((3, 3))}), ValueError, "X must have 2 columns"),
    (lambda: demo.draw_linear_vs_network(**{**PICTURE, "std": np.zeros(2)}), ValueError, "std must be positive"),
    (lambda: demo.draw_loss_curves({}, {}), ValueError, "histories must be a non-empty dict"),
    (lambda: demo.draw_search_results([], 0, linear_val=0.3), ValueError, "results must be a non-empty list"),
    (lambda: demo.moons_network(0), ValueError, "hidden_size must be an integer in \\[1, 256\\]"),
    (lambda: demo.moons_network(4, -1.0), ValueError, "reg must be"),
    (lambda: demo.moons_network(4, 0.0, momentum=0.9), TypeError, "unknown training arguments \\['momentum'\\]"),
    (lambda: demo.moons_network_widget(5, 1e-4), ValueError, "hidden_size must be one of"),
    (lambda: demo.moons_network_widget(16, 0.5), ValueError, "reg one of"),
]


def as_case(call, *rest):
    """(callable, args, error, fragment); a lambda entry has no args."""
    return (call, (), *rest) if len(rest) == 2 else (call, *rest)


@pytest.mark.parametrize("call, args, error, fragment", [as_case(*entry) for entry in BAD_INPUT])
def test_bad_input_gives_a_clear_error(call, args, error, fragment):
    with pytest.raises(error, match=fragment):
        call(*args)


@pytest.mark.parametrize("hidden_size", [1, 16, 64])
def test_draw_moons_network_renders_when_a_large_reg_shrinks_the_weights(hidden_size):
    # at λ = 0.1 some units' weights shrink to almost 0, and their switch-on line lies far outside the
    # picture: it must be left out, not passed to matplotlib (which failed on it at PNG time)
    fig = demo.draw_moons_network(hidden_size, 0.1)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"

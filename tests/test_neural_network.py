"""Tests of course_lib.neural_network: the MLP on Values and the two-layer net with matrices (notebook 08)."""

from __future__ import annotations

import gc
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_moons

from course_lib.backpropagation import Value
from course_lib.losses import softmax_loss_vectorized
from course_lib.neural_network import (MLP, Layer, Neuron, init_two_layer_net, mlp_loss, mlp_predict, train_mlp,
                                       train_two_layer_net, two_layer_net_loss, two_layer_net_predict)
from course_lib.optimization import TrainingDiverged, numerical_gradient, relative_error

#: The shared CIFAR-10 sample (a folder holding cifar-10-batches-bin/); COURSE_CIFAR10_SAMPLE overrides.
SAMPLE = Path(os.environ.get("COURSE_CIFAR10_SAMPLE")
              or Path(__file__).resolve().parents[2] / "shared" / "data" / "cifar-10-sample")
CIFAR_DIR = SAMPLE / "cifar-10-batches-bin"


def mlp_to_params(model):
    """The weights of a one-hidden-layer MLP as the matrices of the two-layer net."""
    hidden, output = model.layers
    return {"W1": np.array([[w.data for w in n.w] for n in hidden.neurons]).T,
            "b1": np.array([n.b.data for n in hidden.neurons]),
            "W2": np.array([[w.data for w in n.w] for n in output.neurons]).T,
            "b2": np.array([n.b.data for n in output.neurons])}


def mlp_grads(model):
    """The gradients of a one-hidden-layer MLP's parameters, arranged as mlp_to_params."""
    hidden, output = model.layers
    return {"W1": np.array([[w.grad for w in n.w] for n in hidden.neurons]).T,
            "b1": np.array([n.b.grad for n in hidden.neurons]),
            "W2": np.array([[w.grad for w in n.w] for n in output.neurons]).T,
            "b2": np.array([n.b.grad for n in output.neurons])}


def standardized_moons(num_samples=100, seed=0):
    X, y = make_moons(num_samples, noise=0.1, random_state=seed)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def xor_points(num_samples=100, seed=0):
    """Points in the four quadrants, at least 0.1 from the axes; class 1 where x · y < 0."""
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, (num_samples, 2))
    X += 0.1 * np.sign(X)
    return X, (X[:, 0] * X[:, 1] < 0).astype(np.int64)


def small_problem(N=6, D=4, H=5, C=3, seed=0):
    rng = np.random.default_rng(seed)
    params = init_two_layer_net(D, H, C, weight_scale=0.5, seed=seed)
    params["b1"] = rng.normal(scale=0.3, size=H)
    params["b2"] = rng.normal(scale=0.3, size=C)
    return params, rng.normal(size=(N, D)), rng.integers(0, C, size=N)


# ----------------------------------------------------------------------------- Neuron, Layer, MLP


def test_neuron_is_relu_of_w_dot_x_plus_b():
    neuron = Neuron(3, seed=1)
    neuron.b.data = 0.25
    w = np.array([p.data for p in neuron.w])
    for x in ([1.0, -2.0, 0.5], [-1.0, 2.0, -0.5]):
        assert neuron(x).data == pytest.approx(max(0.0, w @ x + 0.25))
    linear = Neuron(3, nonlinear=False, seed=1)
    assert linear([-1.0, 2.0, -0.5]).data == pytest.approx(w @ [-1.0, 2.0, -0.5])
    assert len(neuron.parameters()) == 4


def test_weights_are_he_initialised_and_seeded():
    w = np.array([p.data for p in Neuron(20_000, seed=0).w])
    assert w.std() == pytest.approx(math.sqrt(2 / 20_000), rel=0.02)
    assert all(p.data == 0.0 for p in [Neuron(3).b])
    def weights(seed):
        return [p.data for p in MLP(2, [4, 2], seed=seed).parameters()]

    assert weights(3) == weights(3) and weights(3) != weights(4)
    first, second = Layer(2, 2, seed=0).neurons
    assert [p.data for p in first.w] != [p.data for p in second.w]  # each neuron its own seed


def test_mlp_shapes_parameter_count_and_linear_output():
    model = MLP(2, [16, 2])
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 2 + 2)
    assert [len(layer.neurons) for layer in model.layers] == [16, 2]
    assert [layer.neurons[0].nonlinear for layer in model.layers] == [True, False]
    scores = model([0.3, -0.7])
    assert len(scores) == 2 and all(isinstance(s, Value) for s in scores)
    params = mlp_to_params(model)
    expected = np.maximum(0, np.array([0.3, -0.7]) @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    np.testing.assert_allclose([s.data for s in scores], expected, rtol=1e-12)


def test_model_zero_grad_clears_every_parameter():
    model = MLP(2, [3, 2])
    mlp_loss(model, [[1.0, 2.0]], [1], reg=0.1).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    neuron = model.layers[0].neurons[0]
    neuron.w[0].grad = 5.0
    neuron.zero_grad()
    model.layers[1].zero_grad()
    assert neuron.w[0].grad == 0.0


# ----------------------------------------------------------------------------- the loss on Values


@pytest.mark.parametrize("reg", [0.0, 0.05])
def test_mlp_loss_of_a_linear_model_equals_the_vectorized_softmax_loss(reg):
    rng = np.random.default_rng(1)
    N, D, C = 6, 4, 3
    W, X, y = rng.normal(size=(D, C)), rng.normal(size=(N, D)), rng.integers(0, C, size=N)
    model = MLP(D, [C])  # one linear layer: scores = X @ W (biases stay 0)
    for c, neuron in enumerate(model.layers[0].neurons):
        for d, w in enumerate(neuron.w):
            w.data = W[d, c]
    loss = mlp_loss(model, X, y, reg)
    loss.backward()
    expected_loss, expected_dW = softmax_loss_vectorized(W, X, y, reg)
    assert loss.data == pytest.approx(expected_loss, rel=1e-12)
    dW = np.array([[w.grad for w in neuron.w] for neuron in model.layers[0].neurons]).T
    np.testing.assert_allclose(dW, expected_dW, rtol=1e-9, atol=1e-12)


def test_mlp_loss_at_the_start_is_about_log_C_and_is_stable_for_large_scores():
    model = MLP(3, [5, 4], seed=0)
    for p in model.layers[-1].parameters():
        p.data *= 1e-3  # near-zero scores: every class equally likely
    X = np.random.default_rng(0).normal(size=(20, 3))
    y = np.arange(20) % 4
    assert mlp_loss(model, X, y, 0.0).data == pytest.approx(math.log(4), abs=1e-3)
    for p in model.layers[-1].parameters():
        p.data *= 1e6  # scores in the thousands: exp would overflow without the shift
    assert math.isfinite(mlp_loss(model, X, y, 0.0).data)


def test_value_mlp_and_matrix_net_agree_on_loss_and_every_gradient():
    model = MLP(4, [5, 3], seed=2)
    rng = np.random.default_rng(2)
    for p in model.parameters():
        p.data += rng.normal(scale=0.1)  # non-zero biases too
    X, y = rng.normal(size=(6, 4)), np.array([0, 1, 2, 2, 1, 0])
    loss = mlp_loss(model, X, y, reg=0.1)
    loss.backward()
    expected_loss, grads = two_layer_net_loss(mlp_to_params(model), X, y, reg=0.1)
    assert loss.data == pytest.approx(expected_loss, rel=1e-12)
    for name, grad in mlp_grads(model).items():
        np.testing.assert_allclose(grad, grads[name], rtol=1e-9, atol=1e-12, err_msg=name)
    np.testing.assert_array_equal(mlp_predict(model, X), two_layer_net_predict(mlp_to_params(model), X))


# ----------------------------------------------------------------------------- training on Values


def test_train_mlp_fits_the_moons_to_at_least_95_percent():
    X, y = standardized_moons()
    model = MLP(2, [16, 2], seed=0)
    history = train_mlp(model, X, y, learning_rate=2.0, reg=1e-4, num_iters=30)
    assert len(history) == 30 and history[-1] < history[0] / 3
    accuracy = np.mean(mlp_predict(model, X) == y)
    assert accuracy >= 0.95
    linear = MLP(2, [2], seed=0)  # a linear classifier on the same data, trained the same way
    train_mlp(linear, X, y, learning_rate=2.0, reg=1e-4, num_iters=30)
    assert np.mean(mlp_predict(linear, X) == y) < accuracy - 0.05


def test_train_mlp_separates_xor_and_calls_back_every_step():
    X, y = xor_points()
    model = MLP(2, [8, 2], seed=0)
    calls = []
    history = train_mlp(model, X, y, learning_rate=1.0, reg=1e-4, num_iters=30,
                        callback=lambda i, m, loss: calls.append((i, m is model, loss)))
    assert np.array_equal(mlp_predict(model, X), y)  # every training point right
    assert calls == [(i, True, loss) for i, loss in enumerate(history)]


def test_train_mlp_is_deterministic_and_restores_the_cycle_collector():
    X, y = xor_points(20)
    first, second = (train_mlp(MLP(2, [4, 2], seed=5), X, y, learning_rate=0.5, reg=0.0, num_iters=3)
                     for _ in range(2))
    assert first == second
    assert gc.isenabled()

    def stop(i, model, loss):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train_mlp(MLP(2, [4, 2]), X, y, learning_rate=0.5, reg=0.0, num_iters=3, callback=stop)
    assert gc.isenabled()


# ----------------------------------------------------------------------------- the matrix version


def test_init_two_layer_net_shapes_scales_and_seeds():
    params = init_two_layer_net(3072, 100, 10, seed=0)
    shapes = {"W1": (3072, 100), "b1": (100,), "W2": (100, 10), "b2": (10,)}
    assert {name: value.shape for name, value in params.items()} == shapes
    assert all(v.dtype == np.float64 for v in params.values())
    assert params["W1"].std() == pytest.approx(1e-2, rel=0.02)
    assert not params["b1"].any() and not params["b2"].any()
    he = init_two_layer_net(3072, 100, 10, weight_scale="he", seed=0)
    assert he["W1"].std() == pytest.approx(math.sqrt(2 / 3072), rel=0.02)
    assert he["W2"].std() == pytest.approx(math.sqrt(2 / 100), rel=0.1)
    again = init_two_layer_net(3072, 100, 10, seed=0)
    assert all(np.array_equal(params[k], again[k]) for k in params)
    assert not np.array_equal(params["W1"], init_two_layer_net(3072, 100, 10, seed=1)["W1"])


def test_initial_loss_is_log_of_the_number_of_classes():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3072)), rng.integers(0, 10, size=50)
    params = init_two_layer_net(3072, 100, 10, weight_scale=1e-4)
    loss, _ = two_layer_net_loss(params, X, y, reg=0.0)
    assert loss == pytest.approx(math.log(10), abs=1e-3)  # 2.303: CS231n's sanity check


@pytest.mark.parametrize("reg", [0.0, 0.1])
def test_matrix_gradients_match_the_numerical_gradient(reg):
    params, X, y = small_problem()
    loss, grads = two_layer_net_loss(params, X, y, reg)
    for name in params:
        def f(value, name=name):
            return two_layer_net_loss({**params, name: value}, X, y, reg)[0]

        numerical = numerical_gradient(f, params[name], h=1e-6)
        assert grads[name].shape == params[name].shape
        assert np.max(relative_error(grads[name], numerical)) < 1e-6, name


def test_regularisation_adds_reg_times_sum_of_squared_weights_not_biases():
    params, X, y = small_problem()
    loss0, grads0 = two_layer_net_loss(params, X, y, reg=0.0)
    loss1, grads1 = two_layer_net_loss(params, X, y, reg=0.3)
    assert loss1 - loss0 == pytest.approx(0.3 * (np.sum(params["W1"] ** 2) + np.sum(params["W2"] ** 2)))
    np.testing.assert_allclose(grads1["W1"] - grads0["W1"], 0.6 * params["W1"], atol=1e-12)
    np.testing.assert_array_equal(grads1["b2"], grads0["b2"])


@settings(max_examples=25, deadline=None)
@given(st.floats(-50.0, 50.0))
def test_adding_a_constant_to_every_score_changes_nothing(shift):
    params, X, y = small_problem()
    loss, grads = two_layer_net_loss(params, X, y, reg=0.1)
    shifted_loss, shifted_grads = two_layer_net_loss({**params, "b2": params["b2"] + shift}, X, y, reg=0.1)
    assert shifted_loss == pytest.approx(loss, rel=1e-9)
    np.testing.assert_allclose(shifted_grads["W1"], grads["W1"], rtol=1e-6, atol=1e-10)


def test_predict_is_the_argmax_of_the_scores():
    params, X, _ = small_problem(N=30)
    scores = np.maximum(0, X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    np.testing.assert_array_equal(two_layer_net_predict(params, X), scores.argmax(axis=1))


def test_train_two_layer_net_learns_copies_and_is_deterministic():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 20))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64) + 2 * (X[:, 2] > 0)  # 4 classes, not linearly separable
    params = init_two_layer_net(20, 32, 4, weight_scale="he", seed=0)
    before = {k: v.copy() for k, v in params.items()}
    calls = []
    trained, history = train_two_layer_net(params, X, y, learning_rate=0.5, reg=1e-4, num_iters=200,
                                           batch_size=50, seed=0, callback=lambda i, p, loss: calls.append(i))
    assert all(np.array_equal(params[k], before[k]) for k in params)  # the caller's params untouched
    assert calls == list(range(200)) and len(history) == 200
    assert np.mean(history[-20:]) < 0.5 * history[0]
    assert np.mean(two_layer_net_predict(trained, X) == y) > 0.9
    again, history_again = train_two_layer_net(params, X, y, learning_rate=0.5, reg=1e-4, num_iters=200,
                                               batch_size=50, seed=0)
    assert history_again == history and np.array_equal(again["W1"], trained["W1"])
    _, other = train_two_layer_net(params, X, y, learning_rate=0.5, reg=1e-4, num_iters=200, batch_size=50, seed=1)
    assert other != history


def test_train_two_layer_net_reports_divergence():
    params, X, y = small_problem(N=40)
    with pytest.raises(TrainingDiverged, match="lower the learning rate") as info:
        train_two_layer_net(params, X * 1e3, y, learning_rate=1e6, reg=0.0, num_iters=50, batch_size=10)
    assert info.value.iteration < 50 and all(map(math.isfinite, info.value.loss_history))


def test_matrix_net_on_cifar_shaped_data():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(400, 3072)), rng.integers(0, 10, size=400)
    params = init_two_layer_net(3072, 100, 10, weight_scale="he", seed=0)
    trained, history = train_two_layer_net(params, X, y, learning_rate=0.05, reg=1e-3, num_iters=30,
                                           batch_size=100)
    assert np.mean(history[-5:]) < history[0]
    assert np.mean(two_layer_net_predict(trained, X) == y) > 0.5  # it memorises 400 random images


@pytest.mark.skipif(not (CIFAR_DIR / "data_batch_1.bin").exists(),
                    reason=f"CIFAR-10 sample not found at {CIFAR_DIR}")
def test_matrix_net_beats_chance_on_real_cifar10():
    records = np.fromfile(CIFAR_DIR / "data_batch_1.bin", dtype=np.uint8, count=1500 * 3073).reshape(-1, 3073)
    X, y = records[:, 1:].astype(np.float64) / 255.0, records[:, 0].astype(np.int64)
    X -= X[:1000].mean(axis=0)
    params = init_two_layer_net(3072, 50, 10, weight_scale="he", seed=0)
    trained, _ = train_two_layer_net(params, X[:1000], y[:1000], learning_rate=0.05, reg=1e-3, num_iters=100,
                                     batch_size=100)
    assert np.mean(two_layer_net_predict(trained, X[1000:]) == y[1000:]) > 0.2  # chance is 0.1


# ----------------------------------------------------------------------------- bad input

GOOD_PARAMS = init_two_layer_net(3, 4, 2)
X3, Y3 = np.ones((5, 3)), np.array([0, 1, 0, 1, 1])
MODEL = MLP(3, [4, 2])
TRAIN = dict(learning_rate=0.1, reg=0.0, num_iters=2)
NET_TRAIN = dict(learning_rate=0.1, reg=0.0, num_iters=2, batch_size=2)

BAD_INPUT = [
    (Neuron, (0,), ValueError, "num_inputs must be an integer in \\[1, inf\\]"),
    (Neuron, (2.0,), TypeError, "num_inputs must be an integer"),
    (Neuron, (2, "yes"), TypeError, "nonlinear must be True or False"),
    (Neuron, (2, True, -1), ValueError, "seed must be an integer in \\[0"),
    (lambda: Neuron(3)([1.0, 2.0]), ValueError, "x must hold 3 inputs"),
    (lambda: Neuron(3)(5.0), ValueError, "x must hold 3 inputs .*got float"),
    (lambda: Neuron(2)(["a", 1.0]), TypeError, "other must be a number"),
    (Layer, (2, 0), ValueError, "num_outputs must be an integer in \\[1"),
    (Layer, (0, 2), ValueError, "num_inputs must be an integer in \\[1"),
    (MLP, (2, 16), TypeError, "layer_sizes must be a list of ints, got int"),
    (MLP, (2, []), ValueError, "layer_sizes must not be empty"),
    (MLP, (2, [16, 0]), ValueError, "layer_sizes entries must be an integer in \\[1"),
    (MLP, (2, [16, 2.5]), TypeError, "layer_sizes entries must be an integer"),
    (MLP, (2, [2], "0"), TypeError, "seed must be an integer"),
    (lambda: MODEL([1.0, 2.0]), ValueError, "x must hold 3 inputs"),
    (lambda: MODEL([1.0, math.nan, 2.0]), ValueError, "data must be a finite number"),
    (mlp_loss, ("model", X3, Y3, 0.0), TypeError, "model must be an MLP, got str"),
    (mlp_loss, (MODEL, np.ones((5, 2)), Y3, 0.0), ValueError, "X has 2 columns but the model takes 3 inputs"),
    (mlp_loss, (MODEL, X3, np.array([0, 1, 2, 0, 1]), 0.0), ValueError, "y must hold labels in \\[0, 2\\)"),
    (mlp_loss, (MODEL, X3, Y3[:4], 0.0), ValueError, "y has 4 labels but X has 5 rows"),
    (mlp_loss, (MODEL, X3, Y3.astype(float), 0.0), TypeError, "y must hold integer class labels"),
    (mlp_loss, (MODEL, X3, Y3, -1.0), ValueError, "reg must be a finite number in \\[0"),
    (mlp_loss, (MODEL, np.ones(3), Y3, 0.0), ValueError, "X must be 2-D"),
    (mlp_predict, (MODEL, [[1.0, 2.0, math.inf]]), ValueError, "X must hold only finite numbers"),
    (mlp_predict, (None, X3), TypeError, "model must be an MLP"),
    (lambda: train_mlp(MODEL, X3, Y3, **{**TRAIN, "learning_rate": 0.0}), ValueError, "learning_rate must be"),
    (lambda: train_mlp(MODEL, X3, Y3, **{**TRAIN, "num_iters": 0}), ValueError, "num_iters must be an integer"),
    (lambda: train_mlp(MODEL, X3, Y3, **{**TRAIN, "reg": "0"}), TypeError, "reg must be a number"),
    (lambda: train_mlp(MODEL, X3, Y3, **TRAIN, callback=3), TypeError, "callback must be a function"),
    (lambda: train_mlp(MODEL, X3, Y3, 0.1, 0.0, 2), TypeError, "positional"),
    (init_two_layer_net, (0, 4, 2), ValueError, "num_features must be an integer in \\[1"),
    (init_two_layer_net, (3, 4.0, 2), TypeError, "hidden_size must be an integer"),
    (init_two_layer_net, (3, 4, 0), ValueError, "num_classes must be an integer in \\[1"),
    (init_two_layer_net, (3, 4, 2, "xavier"), ValueError, "weight_scale must be one of \\('he',\\)"),
    (init_two_layer_net, (3, 4, 2, [0.1]), TypeError, "weight_scale must be a number"),
    (init_two_layer_net, (3, 4, 2, -0.1), ValueError, "weight_scale must be a finite number in \\(0"),
    (init_two_layer_net, (3, 4, 2, 0.1, 1.5), TypeError, "seed must be an integer"),
    (two_layer_net_loss, ([1, 2], X3, Y3, 0.0), TypeError, "params must be a dict"),
    (two_layer_net_loss, ({"W1": np.ones((3, 4))}, X3, Y3, 0.0), ValueError,
     "params must hold W1, b1, W2, b2.*'b1'"),
    (two_layer_net_loss, ({**GOOD_PARAMS, "b1": np.ones(5)}, X3, Y3, 0.0), ValueError, "params must fit together"),
    (two_layer_net_loss, ({**GOOD_PARAMS, "W2": np.ones(4)}, X3, Y3, 0.0), ValueError,
     "params\\['W2'\\] must be 2-D"),
    (two_layer_net_loss, ({**GOOD_PARAMS, "b2": np.array([0.0, np.nan])}, X3, Y3, 0.0), ValueError,
     "params\\['b2'\\] must hold only finite"),
    (two_layer_net_loss, (GOOD_PARAMS, np.ones((5, 4)), Y3, 0.0), ValueError,
     "X has 4 columns but params\\['W1'\\] has 3 rows"),
    (two_layer_net_loss, (GOOD_PARAMS, X3, Y3 + 1, 0.0), ValueError, "y must hold labels in \\[0, 2\\)"),
    (two_layer_net_loss, (GOOD_PARAMS, X3, Y3, -0.5), ValueError, "reg must be a finite number in \\[0"),
    (two_layer_net_loss, (GOOD_PARAMS, np.ones((5, 2, 2, 3)), Y3, 0.0), ValueError, "X must be 2-D"),
    (two_layer_net_loss, (GOOD_PARAMS, X3.astype(str), Y3, 0.0), TypeError, "X must hold real numbers"),
    (two_layer_net_predict, (GOOD_PARAMS, np.ones((5, 2))), ValueError, "X has 2 columns"),
    (two_layer_net_predict, ("params", X3), TypeError, "params must be a dict"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3, **{**NET_TRAIN, "batch_size": 0}), ValueError,
     "batch_size must be an integer in \\[1"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3, **{**NET_TRAIN, "learning_rate": -1.0}), ValueError,
     "learning_rate must be"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3, **{**NET_TRAIN, "num_iters": 2.0}), TypeError,
     "num_iters must be an integer"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3, **NET_TRAIN, seed=-1), ValueError, "seed must be"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3, **NET_TRAIN, callback="print"), TypeError,
     "callback must be a function"),
    (lambda: train_two_layer_net(GOOD_PARAMS, X3, Y3[:3], **NET_TRAIN), ValueError, "y has 3 labels"),
]


def as_case(call, *rest):
    """(callable, args, error, fragment); a lambda entry has no args."""
    return (call, (), *rest) if len(rest) == 2 else (call, *rest)


@pytest.mark.parametrize("call, args, error, fragment", [as_case(*entry) for entry in BAD_INPUT])
def test_bad_input_gives_a_clear_error(call, args, error, fragment):
    with pytest.raises(error, match=fragment):
        call(*args)

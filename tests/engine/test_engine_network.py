"""Network and Dense: the public contract, validation, determinism, float32."""

import ast
import copy
import pathlib
import sys

import numpy as np
import pytest

import nn_tui.engine as engine
from nn_tui.engine import (ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS, Dense, Network,
                           make_optimizer)


def data(seed=0, n=20, n_in=2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_in))
    return X, (X[:, :1] * X[:, 1:2] > 0).astype(float)


def test_registries():
    assert list(ACTIVATIONS) == ["step", "linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]
    assert set(LOSSES) == {"mse", "bce", "ce"}
    assert set(INITIALIZERS) == {"xavier", "he", "uniform", "auto"}
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam", "rmsprop"}


def test_engine_imports_only_numpy_and_the_standard_library():
    package = pathlib.Path(engine.__file__).parent
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "numpy" or name.startswith("nn_tui.engine"), \
                    f"{source.name} imports {name}"


def test_mlp_attributes():
    net = Network.mlp(2, hidden=[8, 8], n_out=1)
    assert net.sizes == (2, 8, 8, 1)
    assert (net.activation, net.output_activation, net.loss_name) == ("tanh", "sigmoid", "bce")
    assert net.n_params == 2 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert net.dtype == np.float64
    assert all(isinstance(layer, Dense) for layer in net.layers) and len(net.layers) == 3
    assert [layer.activation for layer in net.layers] == ["tanh", "tanh", "sigmoid"]
    for layer in net.layers:
        assert layer.params["W"].shape == (layer.n_in, layer.n_out)
        assert np.all(layer.params["b"] == 0)


def test_layer_outputs_are_each_layers_output():
    net = Network.mlp(2, [4, 3], 1)
    X, _ = data()
    outputs = net.layer_outputs(X)
    assert [o.shape for o in outputs] == [(20, 4), (20, 3), (20, 1)]
    assert all(o is layer.output for o, layer in zip(outputs, net.layers))
    np.testing.assert_array_equal(outputs[-1], net.forward(X))
    np.testing.assert_array_equal(outputs[0], np.tanh(X @ net.layers[0].params["W"]))


def test_layer_outputs_survive_the_next_forward():
    net = Network.mlp(2, [4], 1)
    X, Y = data()
    outputs = net.layer_outputs(X)
    kept = [o.copy() for o in outputs]
    net.loss_and_grads(X[:5] * 3, Y[:5])
    for o, k in zip(outputs, kept):
        np.testing.assert_array_equal(o, k)


def test_loss_matches_loss_and_grads():
    for output, loss, n_out in [("sigmoid", "bce", 1), ("softmax", "ce", 3), ("tanh", "mse", 2)]:
        net = Network.mlp(2, [4], n_out, output=output, loss=loss)
        rng = np.random.default_rng(1)
        X = rng.standard_normal((6, 2))
        Y = np.eye(n_out)[rng.integers(0, n_out, 6)] if loss == "ce" else rng.random((6, n_out))
        assert net.loss(X, Y) == net.loss_and_grads(X, Y)[0]
        assert isinstance(net.loss(X, Y), float)


@pytest.mark.parametrize("output, loss", [("sigmoid", "bce"), ("linear", "mse")])
def test_loss_leaves_every_layer_output_for_its_own_inputs(output, loss):
    net = Network.mlp(2, [4], 1, output=output, loss=loss)
    X, Y = data()
    expected = [o.copy() for o in net.layer_outputs(X[:5])]
    net.forward(X)
    net.loss(X[:5], Y[:5])
    for layer, out in zip(net.layers, expected):
        np.testing.assert_array_equal(layer.output, out)


def test_grads_are_the_layers_own_dicts():
    net = Network.mlp(2, [3], 1)
    X, Y = data()
    _, grads = net.loss_and_grads(X, Y)
    assert all(g is layer.grads for g, layer in zip(grads, net.layers))
    assert all(g.keys() == layer.params.keys() for g, layer in zip(grads, net.layers))


def test_in_place_parameter_edits_take_effect():
    net = Network.mlp(2, [3], 1)
    X, _ = data()
    before = net.forward(X).copy()
    net.layers[1].params["b"] += 1.0
    assert np.all(net.forward(X) > before)
    net.layers[0].params["W"][0, 0] = 5.0
    assert net.flat_params[0] == 5.0


def test_assigning_a_parameter_copies_into_the_same_array():
    net = Network.mlp(2, [3], 1)
    W = net.layers[0].params["W"]
    net.layers[0].params["W"] = np.ones((2, 3))
    assert net.layers[0].params["W"] is W and np.all(W == 1)
    X, Y = data()
    net.loss_and_grads(X, Y)
    make_optimizer("sgd", lr=0.1).step(net)
    assert not np.all(W == 1)  # still trained
    with pytest.raises(ValueError, match="shape"):
        net.layers[0].params["W"] = np.ones((3, 2))
    with pytest.raises(TypeError):
        del net.layers[0].params["W"]
    snapshot = copy.deepcopy(net.layers[0].params)
    assert snapshot["W"] is not W and np.array_equal(snapshot["W"], W)


def test_no_hidden_layer():
    net = Network.mlp(3, [], 2, output="softmax", loss="ce")
    assert net.sizes == (3, 2) and len(net.layers) == 1 and net.activation == "tanh"
    X = np.ones((4, 3))
    assert net.forward(X).shape == (4, 2)
    np.testing.assert_allclose(net.forward(X).sum(axis=1), 1.0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(loss="ce", output="sigmoid"), "needs a softmax"),
    (dict(loss="bce", output="linear"), "needs a sigmoid"),
    (dict(loss="ce", output="softmax", n_out=1), "at least 2"),
    (dict(output="relu", loss="mse"), "output activation"),
    (dict(activation="softmax"), "output"),
    (dict(activation="swish"), "activation"),
    (dict(loss="hinge"), "loss"),
    (dict(init="orthogonal"), "init"),
    (dict(hidden=[4, 0]), "hidden"),
    (dict(dtype=np.int32), "dtype"),
    (dict(dtype=np.float16), "dtype"),
])
def test_impossible_combinations_raise_one_line_value_errors(kwargs, message):
    arguments = dict(n_in=2, hidden=[3], n_out=1)
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message) as info:
        Network.mlp(**arguments)
    assert "\n" not in str(info.value)


def test_general_network_validation():
    with pytest.raises(ValueError, match="chain"):
        Network([Dense(2, 3), Dense(4, 1, "sigmoid")], "bce")
    with pytest.raises(ValueError, match="output layer"):
        Network([Dense(2, 3, "softmax"), Dense(3, 1, "sigmoid")], "bce")
    with pytest.raises(ValueError, match="dtype"):
        Network([Dense(2, 3), Dense(3, 1, "sigmoid", dtype=np.float32)], "bce")
    with pytest.raises(ValueError):
        Network([], "mse")
    net = Network([Dense(2, 3, "relu"), Dense(3, 1, "relu")], "mse")  # any output with mse
    assert net.output_activation == "relu" and net.activation == "relu"


@pytest.mark.parametrize("init", ["xavier", "he", "uniform", "auto"])
def test_initialisers(init):
    layer = Dense(200, 100, "relu", init=init, rng=0)
    W = layer.params["W"]
    if init == "xavier":
        assert np.abs(W).max() <= np.sqrt(6 / 300) and W.std() == pytest.approx(np.sqrt(2 / 300), rel=0.05)
    elif init in ("he", "auto"):  # auto: relu -> he (normal)
        assert W.std() == pytest.approx(np.sqrt(2 / 200), rel=0.05) and np.abs(W).max() > np.sqrt(6 / 200)
    else:
        assert np.abs(W).max() <= 0.5 and W.std() == pytest.approx(np.sqrt(1 / 12), rel=0.05)
    assert np.all(layer.params["b"] == 0)
    tanh_auto = Dense(200, 100, "tanh", init="auto", rng=0).params["W"]
    np.testing.assert_array_equal(tanh_auto, Dense(200, 100, "tanh", init="xavier", rng=0).params["W"])
    leaky_auto = Dense(200, 100, "leaky_relu", init="auto", rng=0).params["W"]
    np.testing.assert_array_equal(leaky_auto, Dense(200, 100, "leaky_relu", init="he", rng=0).params["W"])


def test_dense_mask():
    mask = np.array([[1, 0, 1], [0, 1, 1]])
    layer = Dense(2, 3, mask=mask, rng=0)
    W = layer.params["W"]
    assert np.all(W[mask == 0] == 0) and np.all(W[mask == 1] != 0)
    layer.set_mask(None)
    assert layer.mask is None
    with pytest.raises(ValueError):
        layer.set_mask(np.ones((3, 2)))
    with pytest.raises(ValueError):
        layer.set_mask(np.full((2, 3), 0.5))


def train(net, optimizer_name="adam", steps=20, seed=0, **options):
    X, Y = data(seed, n=40)
    opt = make_optimizer(optimizer_name, lr=0.05, **options)
    for i in range(steps):
        batch = slice((i * 10) % 40, (i * 10) % 40 + 10)
        net.loss_and_grads(X[batch], Y[batch])
        opt.step(net)
    return net


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
def test_same_seed_bit_identical_weights(name):
    a = train(Network.mlp(2, [8, 8], 1, seed=3), name, reg="l1", reg_rate=0.001)
    b = train(Network.mlp(2, [8, 8], 1, seed=3), name, reg="l1", reg_rate=0.001)
    assert a.flat_params.tobytes() == b.flat_params.tobytes()
    c = train(Network.mlp(2, [8, 8], 1, seed=4), name)
    assert a.flat_params.tobytes() != c.flat_params.tobytes()


def test_dense_default_rng_is_deterministic():
    np.testing.assert_array_equal(Dense(3, 4).params["W"], Dense(3, 4).params["W"])
    np.testing.assert_array_equal(Dense(3, 4, rng=7).params["W"],
                                  Dense(3, 4, rng=np.random.default_rng(7)).params["W"])


def test_seed_does_not_touch_global_random_state():
    np.random.seed(123)
    expected = np.random.random()
    np.random.seed(123)
    Network.mlp(2, [8], 1, seed=5)
    assert np.random.random() == expected


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
@pytest.mark.parametrize("output, loss, n_out", [("sigmoid", "bce", 1), ("softmax", "ce", 3),
                                                 ("linear", "mse", 2), ("tanh", "mse", 1)])
def test_float32_stays_float32(name, output, loss, n_out):
    net = Network.mlp(2, [5, 4], n_out, activation="relu", output=output, loss=loss, dtype=np.float32)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((7, 2))  # float64 inputs are converted
    Y = np.eye(n_out)[rng.integers(0, n_out, 7)] if loss == "ce" else rng.random((7, n_out))
    assert net.dtype == np.float32 and net.flat_params.dtype == np.float32
    assert net.forward(X).dtype == np.float32
    assert all(o.dtype == np.float32 for o in net.layer_outputs(X))
    loss_value, grads = net.loss_and_grads(X, Y)
    assert isinstance(loss_value, float) and np.isfinite(loss_value)
    assert all(g[k].dtype == np.float32 for g in grads for k in g)
    opt = make_optimizer(name, lr=np.float64(0.01), reg="l2", reg_rate=0.01)
    opt.step(net)
    assert all(layer.params[k].dtype == np.float32 for layer in net.layers for k in ("W", "b"))
    assert net.flat_params.dtype == np.float32


def test_float32_learns_like_float64():
    a = train(Network.mlp(2, [8], 1, seed=1), steps=50)
    b = train(Network.mlp(2, [8], 1, seed=1, dtype="float32"), steps=50)
    np.testing.assert_allclose(b.flat_params, a.flat_params, rtol=1e-3, atol=1e-4)


def test_network_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    Y = np.array([[0], [1], [1], [0]], dtype=float)
    net = Network.mlp(2, [4], 1, seed=0)
    opt = make_optimizer("adam", lr=0.05)
    for _ in range(500):
        net.loss_and_grads(X, Y)
        opt.step(net)
    assert np.all((net.forward(X) > 0.5) == Y.astype(bool))


def test_first_layer_returns_no_input_gradient():
    net = Network.mlp(2, [3], 1)
    X, Y = data()
    net.loss_and_grads(X, Y)
    assert net.layers[0].backward(np.ones((20, 3))) is None


@pytest.mark.parametrize("make_copy", [copy.deepcopy, copy.copy,
                                       lambda net: __import__("pickle").loads(__import__("pickle").dumps(net))])
def test_copies_are_independent_working_networks(make_copy):
    mask = np.array([[1, 0, 1], [1, 1, 0]])
    net = Network([Dense(2, 3, "relu", rng=1, mask=mask), Dense(3, 1, "sigmoid", rng=2)], "bce")
    net.metadata = {"epoch": 3}
    clone = make_copy(net)
    assert clone.flat_params.tobytes() == net.flat_params.tobytes() and clone.metadata == {"epoch": 3}
    np.testing.assert_array_equal(clone.layers[0].mask, net.layers[0].mask)
    X, Y = data()
    clone.loss_and_grads(X, Y)
    make_optimizer("sgd", lr=1.0).step(clone)
    W = clone.layers[0].params["W"]
    assert np.shares_memory(W, clone.flat_params)
    assert not np.array_equal(W, net.layers[0].params["W"])  # the clone trained...
    assert np.all(W[mask == 0] == 0)
    np.testing.assert_array_equal(net.flat_params, make_copy(net).flat_params)  # ...the original did not


def test_backward_returns_the_input_gradient_by_central_differences():
    rng = np.random.default_rng(3)
    net = Network.mlp(3, hidden=[5, 4], n_out=2, activation="tanh", output="sigmoid", loss="mse", seed=1)
    X = rng.normal(size=(6, 3))
    weights = rng.normal(size=(6, 2))  # L = sum(weights * outputs)
    net.forward(X)
    dX = net.backward(weights)
    numeric = np.zeros_like(X)
    eps = 1e-6
    for index in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[index] += eps
        down[index] -= eps
        numeric[index] = (np.sum(weights * net.forward(up)) - np.sum(weights * net.forward(down))) / (2 * eps)
    np.testing.assert_allclose(dX, numeric, rtol=1e-6, atol=1e-8)
    assert net.layers[0].propagate_input_grad is False

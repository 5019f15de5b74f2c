"""The layer protocol: a network takes any object that follows it (duck-typed),
builds its flat buffers from what each layer declares, and regularises only
the params a layer names."""

import numpy as np
import pytest

from nn_tui.engine import Dense, Layer, Network, make_optimizer
from nn_tui.engine.layers import Parameters


class Scale:
    """y = x·s + t per feature; written against the protocol only, not the Layer base."""

    regularized = ("s",)

    def __init__(self, n, dtype=np.float64):
        self.dtype = np.dtype(dtype)
        self.n_in = self.n_out = n
        self.params = Parameters(s=np.linspace(0.5, 1.5, n), t=np.full(n, 0.25))
        self.grads = {"s": np.zeros(n), "t": np.zeros(n)}

    def _use_storage(self, params, grads):
        for key in self.params:
            np.copyto(params[key], self.params[key])
            dict.__setitem__(self.params, key, params[key])
            self.grads[key] = grads[key]

    @property
    def n_params(self):
        return 2 * self.n_in

    def forward(self, x):
        self.input = x
        self.output = x * self.params["s"] + self.params["t"]
        return self.output

    def backward(self, dy):
        self.grads["s"][...] = (dy * self.input).sum(axis=0)
        self.grads["t"][...] = dy.sum(axis=0)
        return dy * self.params["s"]


def scaled_net():
    return Network([Dense(3, 4, "tanh", rng=1), Scale(4), Dense(4, 2, "softmax", rng=2)], "ce")


def data(n=6):
    rng = np.random.default_rng(3)
    return rng.standard_normal((n, 3)), np.eye(2)[rng.integers(0, 2, n)]


def test_a_duck_typed_layer_gets_views_into_the_flat_buffers_regularised_params_first():
    net = scaled_net()
    dense0, scale, dense2 = net.layers
    assert net.n_weights == 12 + 4 + 8  # W, s, W: the regularised ones
    assert net.n_params == net.n_weights + 4 + 4 + 2
    assert np.shares_memory(scale.params["s"], net.flat_params[12:16])
    assert np.shares_memory(scale.params["t"], net.flat_params[net.n_weights + 4:net.n_weights + 8])
    np.testing.assert_array_equal(scale.params["s"], np.linspace(0.5, 1.5, 4))
    assert net.sizes == (3, 4, 4, 2)
    X, Y = data()
    _, grads = net.loss_and_grads(X, Y)
    assert grads[1] is scale.grads
    assert np.shares_memory(scale.grads["s"], net.flat_grads)


def test_gradients_through_a_duck_typed_layer_match_central_differences():
    net = scaled_net()
    X, Y = data()
    _, _ = net.loss_and_grads(X, Y)
    analytic = net.flat_grads.copy()
    numeric = np.zeros_like(analytic)
    for i in range(net.flat_params.size):
        keep = net.flat_params[i]
        net.flat_params[i] = keep + 1e-6
        up = net.loss(X, Y)
        net.flat_params[i] = keep - 1e-6
        down = net.loss(X, Y)
        net.flat_params[i] = keep
        numeric[i] = (up - down) / 2e-6
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_l2_touches_the_declared_params_and_nothing_else():
    net = scaled_net()
    X, Y = data()
    net.loss_and_grads(X, Y)
    net.flat_grads[:] = 0.0  # only the penalty moves anything
    before = net.flat_params.copy()
    make_optimizer("sgd", lr=0.1, reg="l2", reg_rate=0.5).step(net)
    k = net.n_weights
    np.testing.assert_allclose(net.flat_params[:k], before[:k] * (1 - 0.05))
    np.testing.assert_array_equal(net.flat_params[k:], before[k:])
    np.testing.assert_allclose(net.layers[1].params["s"], np.linspace(0.5, 1.5, 4) * 0.95)


def test_backward_returns_the_input_gradient_through_a_duck_typed_layer():
    net = scaled_net()
    X, _ = data()
    out = net.forward(X)
    dY = np.random.default_rng(4).standard_normal(out.shape)
    dX = net.backward(dY)
    eps, numeric = 1e-6, np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += eps
        Xm[idx] -= eps
        numeric[idx] = (np.vdot(net.forward(Xp), dY) - np.vdot(net.forward(Xm), dY)) / (2 * eps)
    np.testing.assert_allclose(dX, numeric, rtol=1e-6, atol=1e-9)


def test_an_mlp_keeps_all_weights_then_all_biases():
    net = Network.mlp(2, [3, 4], 1)
    W0, W1, W2 = (layer.params["W"] for layer in net.layers)
    b0, b1, b2 = (layer.params["b"] for layer in net.layers)
    np.testing.assert_array_equal(net.flat_params, np.concatenate([W0.ravel(), W1.ravel(), W2.ravel(), b0, b1, b2]))
    assert net.n_weights == 6 + 12 + 4


def test_objects_without_the_protocol_are_refused():
    with pytest.raises(ValueError, match="layers"):
        Network([object(), Dense(2, 1, "sigmoid")], "bce")
    with pytest.raises(ValueError, match="output layer"):
        Network([Dense(2, 2), Scale(2)], "mse")


def test_the_layer_base_class_counts_params_and_copies_backward_input():
    class Double(Layer):
        def __init__(self):
            self.dtype = np.dtype(np.float64)
            self.params = Parameters(k=np.ones(3))
            self.grads = {"k": np.zeros(3)}

        def backward_(self, grad):
            grad *= 2.0
            return grad

    layer = Double()
    assert layer.n_params == 3 and layer.regularized == () and layer.mask is None
    grad = np.ones(3)
    np.testing.assert_array_equal(layer.backward(grad), 2.0)
    np.testing.assert_array_equal(grad, 1.0)

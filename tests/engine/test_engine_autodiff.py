"""The engine's gradients against an independent scalar reverse-mode autodiff.

``Value`` is a micrograd-style scalar: every operation records its inputs and
local derivatives, and ``backward`` walks the graph in reverse topological
order. It shares no code with the engine.
"""

import math

import numpy as np
import pytest

from nn_tui.engine import Dense, Network


class Value:
    __slots__ = ("data", "grad", "_parents")

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self._parents = parents  # pairs (parent, d self / d parent)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    __radd__ = __add__

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    __rmul__ = __mul__

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self * other.reciprocal()

    def __rtruediv__(self, other):
        return self.reciprocal() * other

    def reciprocal(self):
        return Value(1.0 / self.data, ((self, -1.0 / self.data**2),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, ((self, e),))

    def log(self):
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),))

    def sigmoid(self):
        return 1.0 / (1.0 + (-self).exp())

    def relu(self):
        return Value(max(self.data, 0.0), ((self, 1.0 if self.data > 0 else 0.0),))

    def leaky_relu(self):
        slope = 1.0 if self.data > 0 else 0.01
        return Value(self.data * slope, ((self, slope),))

    def backward(self):
        order, seen = [], set()

        def visit(node):  # iterative-enough for these small graphs
            if id(node) in seen:
                return
            seen.add(id(node))
            for parent, _ in node._parents:
                visit(parent)
            order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in node._parents:
                parent.grad += local * node.grad


def softmax_row(zs):
    exps = [z.exp() for z in zs]
    total = sum(exps, Value(0.0))
    return [e / total for e in exps]


def autodiff_loss_and_grads(net, X, Y):
    """Rebuild `net` from Values, scalar by scalar, and backpropagate."""
    weights = [[[Value(w) for w in row] for row in layer.params["W"]] for layer in net.layers]
    biases = [[Value(b) for b in layer.params["b"]] for layer in net.layers]
    total = Value(0.0)
    for x_row, y_row in zip(X, Y):
        a = [Value(x) for x in x_row]
        for layer, W, b in zip(net.layers, weights, biases):
            z = [sum((a[i] * W[i][j] for i in range(layer.n_in)), b[j]) for j in range(layer.n_out)]
            if layer.activation == "softmax":
                a = softmax_row(z)
            elif layer.activation == "linear":
                a = z
            else:
                a = [getattr(zj, layer.activation)() for zj in z]
        if net.loss_name == "mse":
            sample = sum((0.5 * (p - y) * (p - y) for p, y in zip(a, y_row)), Value(0.0))
        elif net.loss_name == "bce":
            sample = sum((-(y * p.log() + (1.0 - y) * (1.0 - p).log()) for p, y in zip(a, y_row)), Value(0.0))
        else:
            sample = sum((-(y * p.log()) for p, y in zip(a, y_row)), Value(0.0))
        total = total + sample
    loss = total / len(X)
    loss.backward()
    grads = [{"W": np.array([[w.grad for w in row] for row in W]), "b": np.array([v.grad for v in b])}
             for W, b in zip(weights, biases)]
    return loss.data, grads


CASES = [
    ("tanh", "sigmoid", "bce", 1),
    ("tanh", "sigmoid", "bce", 2),
    ("sigmoid", "softmax", "ce", 3),
    ("relu", "softmax", "ce", 3),
    ("leaky_relu", "linear", "mse", 2),
    ("linear", "tanh", "mse", 1),
    ("relu", "sigmoid", "mse", 2),
    ("tanh", "softmax", "mse", 3),
]


@pytest.mark.parametrize("activation, output, loss, n_out", CASES)
@pytest.mark.parametrize("hidden", [[], [4], [3, 4]])
def test_engine_gradients_match_scalar_autodiff(activation, output, loss, n_out, hidden):
    rng = np.random.default_rng(len(hidden) * 10 + n_out)
    net = Network.mlp(3, hidden, n_out, activation=activation, output=output, loss=loss, seed=11)
    X = rng.standard_normal((5, 3))
    if loss == "ce":
        Y = np.eye(n_out)[rng.integers(0, n_out, 5)]
    elif loss == "bce":
        Y = rng.random((5, n_out))
    else:
        Y = rng.standard_normal((5, n_out))
    engine_loss, engine_grads = net.loss_and_grads(X, Y)
    reference_loss, reference_grads = autodiff_loss_and_grads(net, X, Y)
    assert engine_loss == pytest.approx(reference_loss, rel=1e-12)
    for engine, reference in zip(engine_grads, reference_grads):
        for key in ("W", "b"):
            np.testing.assert_allclose(engine[key], reference[key], rtol=1e-10, atol=1e-14)


def test_autodiff_itself_on_a_known_derivative():
    # d/dx [x·tanh(x) + e^x / x] at x = 0.7, by hand
    x = Value(0.7)
    y = x * x.tanh() + x.exp() / x
    y.backward()
    t = math.tanh(0.7)
    expected = t + 0.7 * (1 - t * t) + math.exp(0.7) * (0.7 - 1) / 0.7**2
    assert x.grad == pytest.approx(expected, rel=1e-14)


def test_masked_network_matches_autodiff_with_zero_weights():
    mask = np.array([[1, 0, 1], [0, 1, 1]])
    layers = [Dense(2, 3, "tanh", rng=3, mask=mask), Dense(3, 1, "sigmoid", rng=4)]
    net = Network(layers, "bce")
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((4, 2)), rng.random((4, 1))
    _, grads = net.loss_and_grads(X, Y)
    _, reference = autodiff_loss_and_grads(net, X, Y)
    np.testing.assert_allclose(grads[0]["W"], reference[0]["W"] * mask, rtol=1e-10, atol=1e-14)
    assert np.all(grads[0]["W"][mask == 0] == 0)

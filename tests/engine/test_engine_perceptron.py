"""Rosenblatt's perceptron: learns what a line can separate, and nothing else."""

import numpy as np
import pytest

from nn_tui.engine import Perceptron

CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def train(perceptron, X, y, epochs, lr=0.1, seed=0):
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        history.append(perceptron.train_epoch(X, y, lr, rng))
        if history[-1] == 0:
            break
    return history


def test_shapes_and_attributes():
    p = Perceptron(3, seed=1)
    assert p.params["W"].shape == (3, 1) and p.params["b"].shape == (1,)
    assert p.params["b"][0] == 0 and np.all(np.abs(p.params["W"]) <= 0.5)
    assert p.layers == [p] and p.sizes == (3, 1) and p.activation == "step" and p.n_params == 4
    X = np.random.default_rng(0).standard_normal((5, 3))
    assert p.net_input(X).shape == (5, 1)
    out = p.forward(X)
    assert out.shape == (5, 1) and set(np.unique(out)) <= {0.0, 1.0}
    assert p.output is out


def test_learns_and():
    p = Perceptron(2, seed=0)
    y = np.array([0, 0, 0, 1.0])
    history = train(p, CORNERS, y, epochs=100)
    assert history[-1] == 0
    np.testing.assert_array_equal(p.forward(CORNERS).ravel(), y)
    assert p.loss(CORNERS, y) == 0.0


def test_learns_a_linearly_separable_cloud():
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (200, 2))
    y = (X @ np.array([1.5, -1.0]) + 0.2 > 0).astype(float)
    keep = np.abs(X @ np.array([1.5, -1.0]) + 0.2) > 0.05  # a margin, so it converges fast
    X, y = X[keep], y[keep]
    p = Perceptron(2, seed=1)
    history = train(p, X, y, epochs=200, lr=0.5)
    assert history[-1] == 0
    assert p.accuracy(X, y) == 1.0


def test_cannot_learn_xor():
    p = Perceptron(2, seed=0)
    y = np.array([0, 1, 1, 0.0])
    history = train(p, CORNERS, y, epochs=300)
    assert min(history) > 0  # never a clean epoch
    assert p.accuracy(CORNERS, y) <= 0.75


def test_update_rule_by_hand():
    p = Perceptron(2, seed=0)
    p.params["W"] = np.array([[0.0], [0.0]])
    p.params["b"] = np.array([-1.0])  # predicts 0 everywhere near the origin
    mistakes = p.train_epoch(np.array([[2.0, 3.0]]), np.array([1.0]), lr=0.5, rng=np.random.default_rng(0))
    assert mistakes == 1
    np.testing.assert_array_equal(p.params["W"], [[1.0], [1.5]])  # w += lr·(1 − 0)·x
    np.testing.assert_array_equal(p.params["b"], [-0.5])


def test_same_seed_same_training():
    X = np.random.default_rng(0).standard_normal((30, 2))
    y = (X[:, 0] > 0).astype(float)
    runs = []
    for _ in range(2):
        p = Perceptron(2, seed=4)
        train(p, X, y, epochs=5, seed=9)
        runs.append(p.params["W"].tobytes() + p.params["b"].tobytes())
    assert runs[0] == runs[1]


def test_default_rng_is_seeded():
    X = np.random.default_rng(0).standard_normal((30, 2))
    y = (X[:, 0] > 0).astype(float)
    a, b = Perceptron(2, seed=4), Perceptron(2, seed=4)
    assert a.train_epoch(X, y, 0.1) == b.train_epoch(X, y, 0.1)
    np.testing.assert_array_equal(a.params["W"], b.params["W"])


def test_rejects_non_binary_targets_and_bad_shapes():
    p = Perceptron(2)
    with pytest.raises(ValueError):
        p.train_epoch(CORNERS, np.array([0, 2, 1, 0]), 0.1)
    with pytest.raises(ValueError):
        p.train_epoch(CORNERS[:, :1], np.array([0, 1, 1, 0]), 0.1)


def test_float32():
    p = Perceptron(2, dtype=np.float32)
    train(p, CORNERS, np.array([0, 0, 0, 1.0]), epochs=50)
    assert p.params["W"].dtype == np.float32 and p.params["b"].dtype == np.float32
    assert p.forward(CORNERS).dtype == np.float32

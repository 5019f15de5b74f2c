"""RNN, LSTM and GRU: forward values by hand, gradients by central differences (float64)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nn_tui.engine import GRU, LSTM, RNN
from nn_tui.engine.layers import Parameters

from tests.engine.gradient_check import numeric_gradient


def sigmoid(a):
    return 1.0 / (1.0 + math.exp(-a))


def scalar_cell(cls, **params):
    """A 1-input, 1-unit cell with the given scalar-per-gate parameters."""
    cell = cls(1, 1, seed=0)
    for key, values in params.items():
        cell.params[key] = np.array(values, dtype=float).reshape(cell.params[key].shape)
    return cell


def test_rnn_forward_by_hand():
    cell = scalar_cell(RNN, W=[0.5], U=[-0.3], b=[0.1])
    out = cell.forward(np.array([[[1.0], [2.0]]]))
    h1 = math.tanh(0.5 * 1 + 0.1)
    h2 = math.tanh(0.5 * 2 - 0.3 * h1 + 0.1)
    assert out.shape == (1, 2, 1)
    assert out[0, :, 0] == pytest.approx([h1, h2], abs=1e-15)


def test_lstm_forward_by_hand_in_pytorch_gate_order():
    W, U, b = [0.2, -0.4, 0.6, 0.8], [0.3, 0.5, -0.7, 0.1], [0.05, 0.5, -0.1, 0.2]  # i, f, g, o
    cell = LSTM(1, 1, seed=0, forget_bias=0.0)
    cell.params.update(W=np.array([W]), U=np.array([U]), b=np.array(b))
    xs = [1.0, -2.0, 0.5]
    h = c = 0.0
    expected_h, expected_c = [], []
    for x in xs:
        a = [W[k] * x + U[k] * h + b[k] for k in range(4)]
        i, f, g, o = sigmoid(a[0]), sigmoid(a[1]), math.tanh(a[2]), sigmoid(a[3])
        c = f * c + i * g
        h = o * math.tanh(c)
        expected_h.append(h)
        expected_c.append(c)
    out = cell.forward(np.array(xs).reshape(1, 3, 1))
    assert out[0, :, 0] == pytest.approx(expected_h, abs=1e-15)
    assert cell.cell[0, :, 0] == pytest.approx(expected_c, abs=1e-15)
    assert cell.last_state[1][0, 0] == pytest.approx(expected_c[-1], abs=1e-15)


def test_gru_forward_by_hand_with_reset_inside_the_hidden_term():
    W, U = [0.2, -0.4, 0.6], [0.3, 0.5, -0.7]        # r, z, n
    b_i, b_h = [0.1, -0.2, 0.3], [0.05, 0.15, -0.25]
    cell = GRU(1, 1, seed=0)
    cell.params.update(W=np.array([W]), U=np.array([U]), b_i=np.array(b_i), b_h=np.array(b_h))
    xs = [1.0, -2.0, 0.5]
    h = 0.0
    expected = []
    for x in xs:
        r = sigmoid(W[0] * x + b_i[0] + U[0] * h + b_h[0])
        z = sigmoid(W[1] * x + b_i[1] + U[1] * h + b_h[1])
        n = math.tanh(W[2] * x + b_i[2] + r * (U[2] * h + b_h[2]))
        h = (1 - z) * n + z * h
        expected.append(h)
    out = cell.forward(np.array(xs).reshape(1, 3, 1))
    assert out[0, :, 0] == pytest.approx(expected, abs=1e-15)


def test_parameter_layouts():
    n_in, H = 3, 5
    assert {k: v.shape for k, v in RNN(n_in, H).params.items()} == {"W": (3, 5), "U": (5, 5), "b": (5,)}
    assert {k: v.shape for k, v in LSTM(n_in, H).params.items()} == {"W": (3, 20), "U": (5, 20), "b": (20,)}
    assert {k: v.shape for k, v in GRU(n_in, H).params.items()} == {
        "W": (3, 15), "U": (5, 15), "b_i": (15,), "b_h": (15,)}
    for cls in (RNN, LSTM, GRU):
        cell = cls(n_in, H)
        assert isinstance(cell.params, Parameters)
        assert cell.regularized == ("W", "U")
        assert {k: g.shape for k, g in cell.grads.items()} == {k: p.shape for k, p in cell.params.items()}
        assert cell.n_params == sum(p.size for p in cell.params.values())


def test_lstm_forget_bias_touches_only_the_forget_gate():
    H = 4
    b = LSTM(2, H, seed=0).params["b"]
    assert np.array_equal(b[H:2 * H], np.ones(H))
    assert not b[:H].any() and not b[2 * H:].any()


def test_gru_update_bias_touches_only_the_update_gate():
    H = 3
    cell = GRU(2, H, seed=0, update_bias=1.5)
    assert np.array_equal(cell.params["b_i"][H:2 * H], np.full(H, 1.5))
    assert not cell.params["b_i"][:H].any() and not cell.params["b_i"][2 * H:].any()
    assert not cell.params["b_h"].any()


def test_orthogonal_recurrent_init_per_gate():
    cell = GRU(3, 6, seed=1)
    for k in range(3):
        block = cell.params["U"][:, 6 * k:6 * (k + 1)]
        assert np.allclose(block.T @ block, np.eye(6), atol=1e-12)


def test_uniform_init_is_pytorchs_bound():
    cell = LSTM(3, 16, seed=0, init="uniform", forget_bias=0.0)
    for array in cell.params.values():
        assert np.abs(array).max() <= 0.25
        assert np.abs(array).max() > 0.2


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_same_seed_same_numbers(cls):
    x = np.random.default_rng(0).normal(size=(2, 4, 3))
    a, b = cls(3, 5, seed=7), cls(3, 5, seed=7)
    assert np.array_equal(a.forward(x), b.forward(x))
    assert not np.array_equal(cls(3, 5, seed=8).forward(x), a.forward(x))


def _random_state(cls, n, H, rng):
    if cls is LSTM:
        return (rng.normal(size=(n, H)), rng.normal(size=(n, H)))
    return rng.normal(size=(n, H))


@pytest.mark.parametrize("with_state", [False, True], ids=["zero-state", "given-state"])
@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_gradients_match_central_differences(cls, with_state):
    rng = np.random.default_rng(3)
    N, T, n_in, H = 2, 5, 3, 4
    cell = cls(n_in, H, seed=1)
    for key in cell.params:  # move off the init (zero biases would hide bias mistakes)
        cell.params[key] = rng.normal(scale=0.6, size=cell.params[key].shape)
    x = rng.normal(size=(N, T, n_in))
    weights = rng.normal(size=(N, T, H))
    state = _random_state(cls, N, H, rng) if with_state else None

    def loss():
        return float((cell.forward(x, state) * weights).sum())

    loss()
    dx = cell.backward(weights)
    analytic = {key: grad.copy() for key, grad in cell.grads.items()}
    for key in cell.params:
        numeric = numeric_gradient(loss, cell.params[key])
        assert np.allclose(analytic[key], numeric, rtol=1e-6, atol=1e-8), key
    numeric_dx = numeric_gradient(loss, x)
    assert np.allclose(dx, numeric_dx, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_backward_leaves_its_argument_alone(cls):
    rng = np.random.default_rng(0)
    cell = cls(2, 3)
    cell.forward(rng.normal(size=(1, 1, 2)))  # N = T = 1: the transpose is already contiguous
    dy = rng.normal(size=(1, 1, 3))
    keep = dy.copy()
    cell.backward(dy)
    assert np.array_equal(dy, keep)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_state_carries_across_windows(cls):
    """Two windows with the carried state give what one long window gives."""
    x = np.random.default_rng(2).normal(size=(2, 6, 3))
    cell = cls(3, 4, seed=0)
    whole = cell.forward(x)
    first = cell.forward(x[:, :2])
    second = cell.forward(x[:, 2:], cell.last_state)
    assert np.allclose(np.concatenate([first, second], axis=1), whole, atol=1e-14)


@pytest.mark.parametrize("cls", [RNN, LSTM, GRU])
def test_bad_input_shape_is_one_clear_error(cls):
    with pytest.raises(ValueError, match=r"expects \(N, T, 3\)"):
        cls(3, 4).forward(np.zeros((2, 3)))


def test_float32_runs_in_float32():
    cell = LSTM(3, 4, dtype=np.float32)
    out = cell.forward(np.zeros((2, 3, 3)))
    assert out.dtype == np.float32
    assert cell.backward(np.ones_like(out)).dtype == np.float32
    assert all(g.dtype == np.float32 for g in cell.grads.values())

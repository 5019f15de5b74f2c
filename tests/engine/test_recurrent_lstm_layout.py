"""The LSTM's fast path: backward's chunks of steps, the work arrays it keeps
between calls, and its agreement with a plain step-by-step LSTM."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.engine import LSTM

from tests.engine.gradient_check import numeric_gradient


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def plain_lstm(cell, x, h, c):
    """The textbook LSTM in PyTorch's gate order [i f g o], batch-first, one step at a time."""
    W, U, b = cell.params["W"], cell.params["U"], cell.params["b"]
    H = cell.hidden
    hs, cs = [], []
    for k in range(x.shape[1]):
        a = x[:, k] @ W + h @ U + b
        i, f, g, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), np.tanh(a[:, 2 * H:3 * H]), _sigmoid(a[:, 3 * H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def _moved_off_init(cell, rng):
    for key in cell.params:  # zero biases would hide bias mistakes
        cell.params[key] = rng.normal(scale=0.6, size=cell.params[key].shape)
    return cell


def test_forward_matches_a_plain_step_by_step_lstm():
    rng = np.random.default_rng(5)
    cell = _moved_off_init(LSTM(3, 4, seed=0), rng)
    x = rng.normal(size=(2, 9, 3))
    h0, c0 = rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    expected_h, expected_c = plain_lstm(cell, x, h0, c0)
    out = cell.forward(x, (h0, c0))
    np.testing.assert_allclose(out, expected_h, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cell.cell, expected_c, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cell.last_state[0], expected_h[:, -1], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(cell.last_state[1], expected_c[:, -1], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("chunk", [1, 3, 7, 8])
def test_gradients_over_chunks_of_steps(monkeypatch, chunk):
    """T = 7 in chunks of 1, 3 (a short chunk at the end), 7 and 8 (one chunk)."""
    monkeypatch.setattr(LSTM, "_CHUNK", chunk)
    rng = np.random.default_rng(11)
    N, T, n_in, H = 2, 7, 3, 2
    cell = _moved_off_init(LSTM(n_in, H, seed=1), rng)
    x = rng.normal(size=(N, T, n_in))
    weights = rng.normal(size=(N, T, H))
    state = (rng.normal(size=(N, H)), rng.normal(size=(N, H)))

    def loss():
        return float((cell.forward(x, state) * weights).sum())

    loss()
    dx = cell.backward(weights)
    analytic = {key: grad.copy() for key, grad in cell.grads.items()}
    for key in cell.params:
        np.testing.assert_allclose(analytic[key], numeric_gradient(loss, cell.params[key]),
                                   rtol=1e-6, atol=1e-8, err_msg=key)
    np.testing.assert_allclose(dx, numeric_gradient(loss, x), rtol=1e-6, atol=1e-8)


def test_without_input_gradient_the_weight_gradients_are_the_same():
    rng = np.random.default_rng(2)
    x, dy = rng.normal(size=(3, 10, 4)), rng.normal(size=(3, 10, 5))
    full, weights_only = LSTM(4, 5, seed=3), LSTM(4, 5, seed=3)
    weights_only.propagate_input_grad = False
    full.forward(x)
    weights_only.forward(x)
    assert full.backward(dy) is not None and weights_only.backward(dy) is None
    for key in full.grads:
        assert np.array_equal(full.grads[key], weights_only.grads[key]), key


def test_kept_work_arrays_do_not_leak_between_calls():
    """The second forward reuses the first one's work arrays: what the first
    returned stays as it was, and backward sees only the second."""
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6, 3))
    dy = rng.normal(size=(2, 6, 4))
    reused, fresh = LSTM(3, 4, seed=0), LSTM(3, 4, seed=0)
    first = reused.forward(a)
    first_state = reused.last_state
    first_copy, first_state_copy = first.copy(), tuple(s.copy() for s in first_state)
    first_cell = reused.cell.copy()
    reused_out = reused.forward(b)
    assert np.array_equal(first, first_copy)
    assert all(np.array_equal(s, keep) for s, keep in zip(first_state, first_state_copy))
    assert np.array_equal(reused_out, fresh.forward(b))
    assert not np.array_equal(reused.cell, first_cell) and np.array_equal(reused.cell, fresh.cell)
    assert np.array_equal(reused.backward(dy), fresh.backward(dy))
    for key in fresh.grads:
        assert np.array_equal(reused.grads[key], fresh.grads[key]), key


def test_a_different_shape_between_calls():
    rng = np.random.default_rng(6)
    cell, fresh = LSTM(3, 4, seed=0), LSTM(3, 4, seed=0)
    cell.forward(rng.normal(size=(5, 9, 3)))
    cell.backward(rng.normal(size=(5, 9, 4)))
    x, dy = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3, 4))
    assert np.array_equal(cell.forward(x), fresh.forward(x))
    assert np.array_equal(cell.backward(dy), fresh.backward(dy))


def test_a_copy_after_training_steps_computes_what_the_original_does():
    """The kept per-step views alias the kept work arrays; a deep copy must not
    carry them over (copied views would be cut loose from the copied arrays),
    also when the copy is made between forward and backward."""
    import copy
    import pickle

    rng = np.random.default_rng(8)
    x, dy = rng.normal(size=(2, 5, 3)), rng.normal(size=(2, 5, 4))
    cell = LSTM(3, 4, seed=0)
    cell.forward(x)
    cell.backward(dy)
    for make_twin in (copy.deepcopy, lambda c: pickle.loads(pickle.dumps(c))):
        twin = make_twin(cell)
        x2 = rng.normal(size=(2, 5, 3))
        assert np.array_equal(twin.forward(x2), cell.forward(x2))
        assert np.array_equal(twin.backward(dy), cell.backward(dy))
        cell.forward(x)
        twin = make_twin(cell)  # between forward and backward
        assert np.array_equal(twin.backward(dy), cell.backward(dy))
        for key in cell.grads:
            assert np.array_equal(twin.grads[key], cell.grads[key]), key


def test_alternating_shapes_keep_their_work_arrays_apart():
    """Training's and evaluation's shapes each keep their arrays; a third shape
    replaces the oldest; every call computes what a fresh cell does."""
    rng = np.random.default_rng(9)
    cell = LSTM(3, 4, seed=0)
    for n, t in [(2, 5), (3, 7), (2, 5), (4, 2), (3, 7), (2, 5)]:
        x, dy = rng.normal(size=(n, t, 3)), rng.normal(size=(n, t, 4))
        fresh = LSTM(3, 4, seed=0)
        assert np.array_equal(cell.forward(x), fresh.forward(x))
        assert np.array_equal(cell.backward(dy), fresh.backward(dy))
        assert len(cell._work_plans) <= LSTM._PLANS_KEPT


def test_same_seed_same_numbers_bit_for_bit_in_float32():
    """Two cells from one seed, fed the same batches (steps not a multiple of the
    chunk), give the same outputs and gradients to the last bit."""
    rng = np.random.default_rng(10)
    x, dy = rng.normal(size=(3, 11, 5)).astype(np.float32), rng.normal(size=(3, 11, 6)).astype(np.float32)
    runs = []
    for _ in range(2):
        cell = LSTM(5, 6, seed=7, dtype=np.float32)
        out = cell.forward(x).copy()
        dx = cell.backward(dy).copy()
        runs.append((out, dx, {key: grad.copy() for key, grad in cell.grads.items()}))
    (out_a, dx_a, grads_a), (out_b, dx_b, grads_b) = runs
    assert np.array_equal(out_a, out_b) and np.array_equal(dx_a, dx_b)
    for key in grads_a:
        assert np.array_equal(grads_a[key], grads_b[key]), key

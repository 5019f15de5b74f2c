"""Optimizers: one step against hand computation, state, regularisation, masks."""

import numpy as np
import pytest

from nn_tui.engine import OPTIMIZERS, Dense, Network, make_optimizer


def tiny_net(seed=0, dtype=np.float64):
    return Network.mlp(2, [3], 1, activation="tanh", output="sigmoid", loss="bce", seed=seed, dtype=dtype)


def batch(seed=0, n=6):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 2)), (rng.random((n, 1)) < 0.5).astype(float)


def snapshot(net):
    return [{k: v.copy() for k, v in layer.params.items()} for layer in net.layers]


def grads_snapshot(grads):
    return [{k: v.copy() for k, v in g.items()} for g in grads]


def test_registry_names():
    assert set(OPTIMIZERS) == {"sgd", "momentum", "adam", "rmsprop"}


def test_sgd_step_matches_hand_computation_per_array():
    net = tiny_net()
    X, Y = batch()
    before = snapshot(net)
    _, grads = net.loss_and_grads(X, Y)
    g = grads_snapshot(grads)
    make_optimizer("sgd", lr=0.3).step(net)
    for layer, p, gl in zip(net.layers, before, g):
        for key in ("W", "b"):
            np.testing.assert_array_equal(layer.params[key], p[key] - 0.3 * gl[key])


def test_sgd_updates_every_block_of_a_big_network_and_leaves_grads_alone():
    from nn_tui.engine.optimizers import SGD_BLOCK

    net = Network.mlp(300, [250], 3, activation="relu", output="softmax", loss="ce", seed=1)
    assert net.flat_params.size > 2 * SGD_BLOCK  # several blocks and a ragged last one
    rng = np.random.default_rng(0)
    X, Y = rng.random((5, 300)), np.eye(3)[rng.integers(0, 3, 5)]
    before = net.flat_params.copy()
    net.loss_and_grads(X, Y)
    grads = net.flat_grads.copy()
    make_optimizer("sgd", lr=0.3).step(net)
    np.testing.assert_array_equal(net.flat_params, before - 0.3 * grads)
    np.testing.assert_array_equal(net.flat_grads, grads)


def set_state(net, weights, grads):
    """Put chosen numbers into a 1-1 network: flat = [w, b]."""
    net.flat_params[:] = weights
    net.flat_grads[:] = grads


def one_by_one():
    return Network.mlp(1, [], 1, output="linear", loss="mse")


def test_momentum_two_steps_by_hand():
    net = one_by_one()
    opt = make_optimizer("momentum", lr=0.1, momentum=0.9)
    set_state(net, [1.0, 2.0], [0.5, -1.0])
    opt.step(net)  # v = g; w -= lr·v
    np.testing.assert_allclose(net.flat_params, [1.0 - 0.05, 2.0 + 0.1], rtol=1e-15)
    net.flat_grads[:] = [0.2, 0.0]
    opt.step(net)  # v = 0.9·v + g
    v = np.array([0.9 * 0.5 + 0.2, 0.9 * -1.0])
    np.testing.assert_allclose(net.flat_params, [0.95 - 0.1 * v[0], 2.1 - 0.1 * v[1]], rtol=1e-15)


def test_nesterov_step_by_hand():
    net = one_by_one()
    opt = make_optimizer("momentum", lr=0.1, momentum=0.9, nesterov=True)
    set_state(net, [1.0, 0.0], [0.5, 0.0])
    opt.step(net)  # v = g; w -= lr·(g + μ·v)
    assert net.flat_params[0] == pytest.approx(1.0 - 0.1 * (0.5 + 0.9 * 0.5), rel=1e-15)


def test_adam_two_steps_by_hand():
    net = one_by_one()
    opt = make_optimizer("adam", lr=0.01)
    set_state(net, [1.0, -1.0], [0.3, -2.0])
    opt.step(net)
    # step 1: m̂ = g, v̂ = g², so w -= lr·g/(|g| + ε)
    expected = np.array([1.0 - 0.01 * 0.3 / (0.3 + 1e-8), -1.0 + 0.01 * 2.0 / (2.0 + 1e-8)])
    np.testing.assert_allclose(net.flat_params, expected, rtol=1e-14)
    g2 = np.array([0.1, 0.5])
    net.flat_grads[:] = g2
    opt.step(net)
    g1 = np.array([0.3, -2.0])
    m = 0.9 * (0.1 * g1) + 0.1 * g2
    v = 0.999 * (0.001 * g1**2) + 0.001 * g2**2
    m_hat, v_hat = m / (1 - 0.9**2), v / (1 - 0.999**2)
    np.testing.assert_allclose(net.flat_params, expected - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-14)


def test_rmsprop_step_by_hand():
    net = one_by_one()
    opt = make_optimizer("rmsprop", lr=0.01, rho=0.9, eps=1e-8)
    set_state(net, [1.0, 1.0], [0.4, -0.2])
    opt.step(net)
    s = 0.1 * np.array([0.4, -0.2]) ** 2
    expected = 1.0 - 0.01 * np.array([0.4, -0.2]) / (np.sqrt(s) + 1e-8)
    np.testing.assert_allclose(net.flat_params, expected, rtol=1e-14)


@pytest.mark.parametrize("name", ["momentum", "adam", "rmsprop"])
def test_changing_lr_keeps_state(name):
    # Run A: lr 0.1 then 0.05. Run B: same but built as two optimizers would
    # reset state; A must differ from "reset" and equal the continued recurrence.
    grads = [np.array([0.5, -0.25]), np.array([0.3, 0.1])]
    net = one_by_one()
    opt = make_optimizer(name, lr=0.1)
    set_state(net, [1.0, 1.0], grads[0])
    opt.step(net)
    opt.lr = 0.05
    net.flat_grads[:] = grads[1]
    opt.step(net)
    assert opt.t == 2

    reference = one_by_one()
    ref_opt = make_optimizer(name, lr=0.1)
    set_state(reference, [1.0, 1.0], grads[0])
    ref_opt.step(reference)
    fresh = make_optimizer(name, lr=0.05)  # what a state reset would do
    reference.flat_grads[:] = grads[1]
    fresh.step(reference)
    assert not np.allclose(net.flat_params, reference.flat_params)

    if name == "momentum":
        v = 0.9 * grads[0] + grads[1]
        np.testing.assert_allclose(net.flat_params, 1.0 - 0.1 * grads[0] - 0.05 * v, rtol=1e-15)


def test_reset_clears_state():
    net = one_by_one()
    opt = make_optimizer("adam", lr=0.01)
    set_state(net, [1.0, 1.0], [0.3, 0.3])
    opt.step(net)
    opt.reset()
    assert opt.t == 0
    set_state(net, [1.0, 1.0], [0.3, 0.3])
    opt.step(net)
    assert net.flat_params[0] == pytest.approx(1.0 - 0.01 * 0.3 / (0.3 + 1e-8), rel=1e-14)


def test_l2_adds_rate_times_weight_to_weights_only():
    net = one_by_one()
    opt = make_optimizer("sgd", lr=0.1, reg="l2", reg_rate=0.5)
    set_state(net, [2.0, 3.0], [1.0, 1.0])
    opt.step(net)
    assert net.flat_params[0] == pytest.approx(2.0 - 0.1 * (1.0 + 0.5 * 2.0))  # weight
    assert net.flat_params[1] == pytest.approx(3.0 - 0.1 * 1.0)  # bias: no penalty
    assert net.flat_grads[0] == 1.0  # the network's gradient is left alone


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
@pytest.mark.parametrize("reg", ["l1", "l2"])
def test_biases_are_never_regularised(name, reg):
    net = tiny_net()
    opt = make_optimizer(name, lr=0.1, reg=reg, reg_rate=1.0)
    net.flat_params[net.n_weights:] = 0.7
    for _ in range(3):
        net.flat_grads[:] = 0.0
        opt.step(net)
    assert np.all(net.flat_params[net.n_weights:] == 0.7)
    assert np.all(np.abs(net.flat_params[:net.n_weights]) < np.abs(tiny_net().flat_params[:net.n_weights]) + 1e-12)


def test_l1_step_crossing_zero_stops_at_exactly_zero():
    net = Network.mlp(3, [], 1, output="linear", loss="mse")
    opt = make_optimizer("sgd", lr=0.1, reg="l1", reg_rate=0.05)  # penalty step 0.005
    net.flat_params[:] = [0.003, -0.002, 0.5, 0.1]  # w w w b
    net.flat_grads[:] = 0.0
    opt.step(net)
    assert net.flat_params[0] == 0.0 and net.flat_params[1] == 0.0
    assert net.flat_params[2] == pytest.approx(0.5 - 0.005)
    assert net.flat_params[3] == 0.1
    opt.step(net)  # sign(0) = 0: a zero weight stays put
    assert net.flat_params[0] == 0.0 and net.flat_params[1] == 0.0


@pytest.mark.parametrize("name", ["momentum", "adam", "rmsprop"])
def test_l1_zero_crossing_with_every_optimizer(name):
    net = Network.mlp(1, [], 1, output="linear", loss="mse")
    opt = make_optimizer(name, lr=0.1, reg="l1", reg_rate=1.0)
    net.flat_params[:] = [1e-4, 0.0]
    net.flat_grads[:] = 0.0
    opt.step(net)
    assert net.flat_params[0] == 0.0


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam", "rmsprop"])
@pytest.mark.parametrize("reg", ["none", "l1", "l2"])
def test_masked_weights_stay_zero(name, reg):
    mask = np.array([[1, 0, 1], [0, 1, 0]])
    net = Network([Dense(2, 3, "tanh", rng=1, mask=mask), Dense(3, 1, "sigmoid", rng=2)], "bce")
    opt = make_optimizer(name, lr=0.1, reg=reg, reg_rate=0.01)
    X, Y = batch(1)
    for _ in range(5):
        net.loss_and_grads(X, Y)
        opt.step(net)
    W = net.layers[0].params["W"]
    assert np.all(W[mask == 0] == 0)
    if reg != "l1":  # L1 may legitimately zero a free weight too
        assert np.all(W[mask == 1] != 0)


def test_mask_set_mid_training_beats_momentum_state():
    net = tiny_net()
    opt = make_optimizer("momentum", lr=0.1)
    X, Y = batch(2)
    for _ in range(3):
        net.loss_and_grads(X, Y)
        opt.step(net)
    mask = np.ones((2, 3))
    mask[0, 1] = 0
    net.layers[0].set_mask(mask)
    assert net.layers[0].params["W"][0, 1] == 0
    for _ in range(3):
        net.loss_and_grads(X, Y)
        opt.step(net)
    assert net.layers[0].params["W"][0, 1] == 0


def test_step_updates_the_layer_arrays_in_place():
    net = tiny_net()
    W = net.layers[0].params["W"]
    before = W.copy()
    X, Y = batch()
    net.loss_and_grads(X, Y)
    make_optimizer("adam", lr=0.1).step(net)
    assert net.layers[0].params["W"] is W and not np.array_equal(W, before)


@pytest.mark.parametrize("name", ["momentum", "adam", "rmsprop"])
def test_optimizer_moved_to_another_network_starts_fresh(name):
    opt = make_optimizer(name, lr=0.1)
    first, second = one_by_one(), one_by_one()
    set_state(first, [1.0, 1.0], [1.0, 1.0])
    opt.step(first)
    set_state(second, [1.0, 1.0], [1.0, 1.0])
    opt.step(second)
    np.testing.assert_array_equal(first.flat_params, second.flat_params)
    assert opt.t == 1


def test_training_reduces_loss_with_every_optimizer():
    X, _ = batch(3, n=40)
    Y = (X[:, :1] > X[:, 1:]).astype(float)  # learnable: a line through the origin
    for name, lr in [("sgd", 0.5), ("momentum", 0.1), ("adam", 0.05), ("rmsprop", 0.01)]:
        net = tiny_net()
        opt = make_optimizer(name, lr=lr)
        start = net.loss(X, Y)
        for _ in range(100):
            net.loss_and_grads(X, Y)
            opt.step(net)
        assert net.loss(X, Y) < 0.8 * start, name


@pytest.mark.parametrize("bad", [
    dict(name="newton", lr=0.1),
    dict(name="sgd", lr=-1.0),
    dict(name="sgd", lr=float("nan")),
    dict(name="sgd", lr=0.1, reg="l3"),
    dict(name="sgd", lr=0.1, reg="l2", reg_rate=-0.1),
    dict(name="sgd", lr=0.1, momentum=0.9),
    dict(name="adam", lr=0.1, rho=0.9),
])
def test_bad_arguments_raise_value_error(bad):
    name = bad.pop("name")
    with pytest.raises(ValueError):
        make_optimizer(name, **bad)


def test_options_are_kept():
    opt = make_optimizer("adam", lr=0.1, beta1=0.8, beta2=0.99, eps=1e-6)
    assert (opt.lr, opt.beta1, opt.beta2, opt.eps) == (0.1, 0.8, 0.99, 1e-6)
    opt = make_optimizer("momentum", lr=0.1, reg="l1", reg_rate=0.01)
    assert (opt.momentum, opt.nesterov, opt.reg, opt.reg_rate) == (0.9, False, "l1", 0.01)

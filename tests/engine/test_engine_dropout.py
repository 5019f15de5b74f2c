"""Dropout: inverted (the mean is kept), active only in training, its masks
from the network's generator: same seed, same masks; a restored generator
state continues bit for bit."""

import copy

import numpy as np
import pytest

from nn_tui.engine import Dense, Dropout, Network, load_model, make_optimizer

from tests.engine.gradient_check import check_layer_gradients


def test_training_drops_about_p_and_scales_the_rest_so_the_mean_is_kept():
    layer = Dropout(0.25, seed=3)
    x = np.random.default_rng(0).uniform(1.0, 2.0, (400, 250))
    y = layer.forward(x)
    kept = y != 0
    assert abs(1.0 - kept.mean() - 0.25) < 0.005
    np.testing.assert_allclose(y[kept], x[kept] / 0.75, rtol=1e-15)
    assert abs(y.mean() / x.mean() - 1.0) < 0.01
    np.testing.assert_array_equal(layer.keep_mask, kept / 0.75)


def test_evaluation_and_rate_zero_are_the_identity():
    x = np.random.default_rng(1).standard_normal((5, 4))
    layer = Dropout(0.5)
    layer.training = False
    np.testing.assert_array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), 1.0)
    assert layer.keep_mask is None
    np.testing.assert_array_equal(Dropout(0.0).forward(x), x)


def test_backward_passes_the_gradient_through_the_same_mask():
    layer = Dropout(0.4, seed=2)
    x = np.random.default_rng(2).standard_normal((6, 5))
    state = layer.rng.bit_generator.state

    def same_mask():  # every forward of the check draws the mask the analytic pass used
        layer.rng.bit_generator.state = state

    check_layer_gradients(layer, x, np.random.default_rng(3), before_forward=same_mask)
    assert 0 < np.count_nonzero(layer.keep_mask) < x.size


@pytest.mark.parametrize("bad", [-0.1, 1.0, "half", True])
def test_a_rate_outside_zero_to_one_is_refused(bad):
    with pytest.raises(ValueError, match="dropout rate"):
        Dropout(bad)


def dropout_network(seed):
    return Network([Dense(4, 16, "relu", seed=1), Dropout(0.5), Dense(16, 1, "sigmoid", seed=2)], "bce", seed=seed)


def data():
    rng = np.random.default_rng(4)
    return rng.standard_normal((32, 4)), rng.integers(0, 2, 32).astype(float)


def train(net, steps=5):
    X, Y = data()
    optimizer = make_optimizer("sgd", lr=0.1)
    losses = []
    for _ in range(steps):
        loss, _ = net.loss_and_grads(X, Y)
        optimizer.step(net)
        losses.append(loss)
    return losses, net.flat_params.copy()


def test_the_network_owns_the_generator_so_the_same_seed_gives_the_same_numbers():
    first, second, other = dropout_network(7), dropout_network(7), dropout_network(8)
    assert first.layers[1].rng is first.rng
    losses, params = train(first)
    again, params_again = train(second)
    assert losses == again and params.tobytes() == params_again.tobytes()
    assert train(other)[0] != losses


def test_a_restored_generator_state_continues_bit_for_bit():
    net = dropout_network(5)
    train(net, 3)
    saved_params, saved_rng = net.flat_params.copy(), net.rng.bit_generator.state
    rest, params = train(net, 3)

    resumed = dropout_network(99)
    resumed.flat_params[:] = saved_params
    resumed.rng.bit_generator.state = saved_rng
    rest_again, params_again = train(resumed, 3)
    assert rest == rest_again and params.tobytes() == params_again.tobytes()


def test_the_runs_generator_can_be_handed_in_and_a_copy_draws_the_same_next():
    net = dropout_network(0)
    run_rng = np.random.default_rng(11)
    net.use_rng(run_rng)
    assert net.layers[1].rng is run_rng
    twin = copy.deepcopy(net)
    X, _ = data()
    np.testing.assert_array_equal(net.forward(X), twin.forward(X))


def test_evaluation_is_deterministic_and_draws_nothing():
    net = dropout_network(3)
    X, _ = data()
    state = net.rng.bit_generator.state
    with net.evaluating():
        first = net.forward(X)
        np.testing.assert_array_equal(first, net.forward(X))
    assert net.rng.bit_generator.state == state
    assert not np.array_equal(net.forward(X), first)  # training again: units dropped


def test_model_files_keep_the_rate(tmp_path):
    net = dropout_network(0)
    net.save(tmp_path / "drop.npz")
    loaded = load_model(tmp_path / "drop.npz")
    assert type(loaded.layers[1]) is Dropout and loaded.layers[1].p == 0.5
    X, _ = data()
    net.eval(), loaded.eval()
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))

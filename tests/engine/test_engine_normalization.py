"""BatchNorm1d, BatchNorm2d and LayerNorm: central-difference gradients in both
modes, running statistics, the training flag, model files (PyTorch's layers
on the same numbers: test_engine_vs_torch_norm.py)."""

import copy

import numpy as np
import pytest

from nn_tui.engine import (BatchNorm1d, BatchNorm2d, Dense, LayerNorm, ModelFileError, Network, load_model,
                           make_optimizer)
from nn_tui.engine.layer_types import LAYER_TYPES

from tests.engine.gradient_check import check_layer_gradients


def randomized(layer, rng):
    """γ, β and the running statistics away from their 1/0 starts, so a wrong formula shows."""
    layer.params["gamma"] = rng.uniform(0.5, 1.5, layer.n)
    layer.params["beta"] = rng.standard_normal(layer.n)
    if hasattr(layer, "buffers"):
        layer.buffers["running_mean"] = rng.standard_normal(layer.n)
        layer.buffers["running_var"] = rng.uniform(0.5, 2.0, layer.n)
    return layer


CASES = {"1d": (BatchNorm1d, (5, 3)), "2d": (BatchNorm2d, (3, 2, 3, 4))}


# ----------------------------------------------------------------------------- gradients
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_gradients_match_central_differences(case, training):
    cls, shape = CASES[case]
    rng = np.random.default_rng(1)
    layer = randomized(cls(shape[1]), rng)
    layer.training = training
    x = rng.standard_normal(shape) * 2.0 + 0.5
    check_layer_gradients(layer, x, rng)


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
def test_layer_norm_gradients_match_central_differences(shape):
    rng = np.random.default_rng(2)
    layer = randomized(LayerNorm(5), rng)
    check_layer_gradients(layer, rng.standard_normal(shape) * 3.0 - 1.0, rng)


def test_a_first_layer_skips_the_input_gradient_but_fills_its_own():
    net = Network([BatchNorm1d(3), Dense(3, 1, "sigmoid")], "bce")
    X = np.random.default_rng(0).standard_normal((6, 3))
    net.loss_and_grads(X, np.ones(6))
    assert np.abs(net.layers[0].grads["gamma"]).sum() > 0
    dX = net.backward(np.ones((6, 1)))  # the public backward still returns dL/dX
    assert dX.shape == X.shape


# ----------------------------------------------------------------------------- statistics
@pytest.mark.parametrize("case", CASES)
def test_training_normalises_with_batch_statistics_and_updates_the_running_ones(case):
    cls, shape = CASES[case]
    rng = np.random.default_rng(3)
    layer = cls(shape[1])
    axes = (0,) if case == "1d" else (0, 2, 3)
    running_mean, running_var = np.zeros(shape[1]), np.ones(shape[1])
    for _ in range(3):
        x = rng.standard_normal(shape) * 3.0 + 2.0
        y = layer.forward(x)
        np.testing.assert_allclose(y.mean(axis=axes), 0.0, atol=1e-12)
        np.testing.assert_allclose(y.var(axis=axes), x.var(axis=axes) / (x.var(axis=axes) + 1e-5), rtol=1e-12)
        count = x.size // shape[1]
        running_mean = 0.9 * running_mean + 0.1 * x.mean(axis=axes)
        running_var = 0.9 * running_var + 0.1 * x.var(axis=axes) * count / (count - 1)
    np.testing.assert_allclose(layer.buffers["running_mean"], running_mean, rtol=1e-12)
    np.testing.assert_allclose(layer.buffers["running_var"], running_var, rtol=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_evaluation_uses_the_running_statistics_and_leaves_them_alone(case):
    cls, shape = CASES[case]
    rng = np.random.default_rng(4)
    layer = randomized(cls(shape[1]), rng)
    layer.training = False
    before = {k: v.copy() for k, v in layer.buffers.items()}
    x = rng.standard_normal(shape)
    bshape = (1, shape[1]) + (1,) * (len(shape) - 2)
    expected = ((x - before["running_mean"].reshape(bshape)) / np.sqrt(before["running_var"].reshape(bshape) + 1e-5)
                * layer.params["gamma"].reshape(bshape) + layer.params["beta"].reshape(bshape))
    np.testing.assert_allclose(layer.forward(x), expected, rtol=1e-12)
    for key, value in before.items():
        np.testing.assert_array_equal(layer.buffers[key], value)
    # One value per channel is fine in evaluation, refused (as PyTorch does) in training.
    single = x[:1] if case == "1d" else x[:1, :, :1, :1]
    layer.forward(single)
    layer.training = True
    with pytest.raises(ValueError, match="more than one value"):
        layer.forward(single)


def test_every_layer_starts_training_and_the_network_switches_them_all():
    net = Network([Dense(3, 4, "relu"), BatchNorm1d(4), Dense(4, 2, "softmax")], "ce")
    assert net.training and all(layer.training for layer in net.layers)
    assert net.eval() is net
    assert not net.training and not any(layer.training for layer in net.layers)
    net.train()
    assert all(layer.training for layer in net.layers)
    net.layers[1].training = False
    with net.evaluating():
        assert not any(layer.training for layer in net.layers)
    assert [layer.training for layer in net.layers] == [True, False, True]
    assert LayerNorm(3).training and BatchNorm2d(2).training


def test_regularisation_leaves_gamma_and_beta_alone():
    net = Network([Dense(3, 4, "relu", seed=1), BatchNorm1d(4), Dense(4, 1, "sigmoid", seed=2)], "bce")
    norm = net.layers[1]
    norm.params["gamma"] = [2.0, 2.0, 2.0, 2.0]
    assert net.n_weights == 12 + 4  # the two W only
    net.flat_grads[:] = 0.0
    make_optimizer("sgd", lr=0.1, reg="l2", reg_rate=0.5).step(net)
    np.testing.assert_array_equal(norm.params["gamma"], 2.0)
    np.testing.assert_array_equal(norm.params["beta"], 0.0)


# ----------------------------------------------------------------------------- files and copies
def bn_network(dtype=np.float64):
    return Network([Dense(3, 6, "relu", seed=1, dtype=dtype), BatchNorm1d(6, dtype=dtype),
                    Dense(6, 2, "softmax", seed=2, dtype=dtype)], "ce")


def trained_a_little(net):
    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((16, 3)), np.eye(2)[rng.integers(0, 2, 16)]
    optimizer = make_optimizer("adam", lr=0.01)
    for _ in range(5):
        net.loss_and_grads(X, Y)
        optimizer.step(net)
    return X


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_model_files_keep_batch_norm_with_its_running_statistics(tmp_path, dtype):
    net = bn_network(dtype)
    X = trained_a_little(net)
    net.save(tmp_path / "bn.npz", metadata={"note": "bn"})
    loaded = load_model(tmp_path / "bn.npz")
    assert type(loaded.layers[1]) is BatchNorm1d and loaded.dtype == dtype
    for key, value in net.buffers().items():
        assert loaded.buffers()[key].tobytes() == value.tobytes()
    net.eval(), loaded.eval()
    assert loaded.forward(X).tobytes() == net.forward(X).tobytes()
    twin = copy.deepcopy(net)
    assert not twin.training and twin.forward(X).tobytes() == net.forward(X).tobytes()


def test_buffers_can_be_saved_and_put_back_for_a_resume():
    net = bn_network()
    trained_a_little(net)
    saved = {k: v.copy() for k, v in net.buffers().items()}
    fresh = bn_network()
    fresh.load_buffers(saved)
    for key, value in saved.items():
        np.testing.assert_array_equal(fresh.buffers()[key], value)
    with pytest.raises(ValueError, match="shape"):
        fresh.load_buffers({k: v[:2] for k, v in saved.items()})
    with pytest.raises(ValueError, match="match"):
        fresh.load_buffers({})


def test_a_file_with_a_negative_running_variance_is_refused(tmp_path):
    net = bn_network()
    net.layers[1].buffers["running_var"] = -np.ones(6)
    net.save(tmp_path / "bad.npz")
    with pytest.raises(ModelFileError, match="negative"):
        load_model(tmp_path / "bad.npz")


@pytest.mark.parametrize("name, config", [("batchnorm1d", {"n": 3, "eps": 1e-5}),
                                          ("batchnorm2d", {"n": 0, "eps": 1e-5, "momentum": 0.1}),
                                          ("batchnorm1d", {"n": 3, "eps": 1e-5, "momentum": 2.0}),
                                          ("layernorm", {"n": 3, "eps": "small"})])
def test_bad_settings_in_a_file_are_refused(name, config):
    with pytest.raises(ValueError):
        LAYER_TYPES[name].array_shapes(config)


def test_layer_norm_round_trips_through_its_config():
    rng = np.random.default_rng(6)
    layer = randomized(LayerNorm(4, eps=1e-3), rng)
    cls = LAYER_TYPES[layer.type_name]
    assert cls.array_shapes(layer.config()) == {"gamma": (4,), "beta": (4,)}
    copy_ = cls.from_config(layer.config(), layer.arrays(), "float64")
    x = rng.standard_normal((2, 4))
    np.testing.assert_array_equal(copy_.forward(x), layer.forward(x))


def test_float32_stays_float32():
    x = np.random.default_rng(9).standard_normal((4, 3, 2, 2)).astype(np.float32)
    for layer in (BatchNorm2d(3, dtype=np.float32), LayerNorm(2, dtype=np.float32)):
        y = layer.forward(x)
        assert y.dtype == np.float32 and layer.backward(np.ones_like(y)).dtype == np.float32
        assert all(v.dtype == np.float32 for v in getattr(layer, "buffers", {}).values())


def test_a_network_with_batch_norm_after_convolution_has_central_difference_gradients():
    from nn_tui.engine import Conv2D, Flatten, MaxPool2D

    net = Network([Conv2D(1, 2, 3, "linear", seed=1), BatchNorm2d(2), MaxPool2D(), Flatten(),
                   BatchNorm1d(8), Dense(8, 3, "softmax", seed=2)], "ce", input_shape=(1, 4, 4))
    rng = np.random.default_rng(10)
    for layer in (net.layers[1], net.layers[4]):
        randomized(layer, rng)
    X, Y = rng.standard_normal((5, 1, 4, 4)), np.eye(3)[rng.integers(0, 3, 5)]
    net.loss_and_grads(X, Y)
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
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    with pytest.raises(ValueError, match="chain"):
        Network([Dense(3, 4), BatchNorm1d(5), Dense(5, 1, "sigmoid")], "bce")

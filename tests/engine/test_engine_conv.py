"""Conv2D, MaxPool2D, Flatten and Network.cnn: against naive loop references,
and every gradient against central differences in float64."""

import copy

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nn_tui.engine import Conv2D, Flatten, MaxPool2D, ModelFileError, Network, load_model, make_optimizer

from tests.engine.gradient_check import numeric_gradient


# ----------------------------------------------------------------------------- naive references
def naive_conv(x, W, b, activation="linear"):
    """Loops over every output pixel: correlation with zero padding k//2, stride 1."""
    n, channels, height, width = x.shape
    out_ch, _, k, _ = W.shape
    p = k // 2
    padded = np.zeros((n, channels, height + 2 * p, width + 2 * p))
    padded[:, :, p:p + height, p:p + width] = x
    out_h, out_w = height + 2 * p - k + 1, width + 2 * p - k + 1
    z = np.zeros((n, out_ch, out_h, out_w))
    for s in range(n):
        for o in range(out_ch):
            for h in range(out_h):
                for w in range(out_w):
                    z[s, o, h, w] = np.sum(padded[s, :, h:h + k, w:w + k] * W[o]) + b[o]
    return {"linear": z, "relu": np.maximum(z, 0), "tanh": np.tanh(z)}[activation]


def naive_pool(x):
    n, channels, height, width = x.shape
    out = np.zeros((n, channels, height // 2, width // 2))
    for idx in np.ndindex(out.shape):
        s, c, h, w = idx
        out[idx] = x[s, c, 2 * h:2 * h + 2, 2 * w:2 * w + 2].max()
    return out


def naive_pool_backward(x, dy):
    """The gradient goes to the first maximum of each window (row by row), as in PyTorch."""
    dx = np.zeros_like(x)
    for idx in np.ndindex(dy.shape):
        s, c, h, w = idx
        window = x[s, c, 2 * h:2 * h + 2, 2 * w:2 * w + 2]
        i, j = np.unravel_index(np.argmax(window), (2, 2))
        dx[s, c, 2 * h + i, 2 * w + j] += dy[idx]
    return dx


def check_layer_gradients(layer, x, rng):
    """dL/dparams and dL/dx of L = Σ forward(x)·R against central differences."""
    R = rng.standard_normal(layer.forward(x).shape)

    def loss():
        return float(np.vdot(layer.forward(x), R))

    layer.forward(x)
    dx = layer.backward(R)
    analytic = {key: value.copy() for key, value in layer.grads.items()}
    for key, value in layer.params.items():
        np.testing.assert_allclose(analytic[key], numeric_gradient(loss, value), rtol=1e-6, atol=1e-8,
                                   err_msg=key)
    np.testing.assert_allclose(dx, numeric_gradient(loss, x), rtol=1e-6, atol=1e-8, err_msg="dx")


# ----------------------------------------------------------------------------- Conv2D
@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), channels=st.integers(1, 3), out_ch=st.integers(1, 4), height=st.integers(1, 7),
       width=st.integers(1, 7), k=st.sampled_from([1, 2, 3, 5]), activation=st.sampled_from(["linear", "relu", "tanh"]),
       seed=st.integers(0, 2**16))
def test_conv_matches_the_naive_loops(n, channels, out_ch, height, width, k, activation, seed):
    rng = np.random.default_rng(seed)
    layer = Conv2D(channels, out_ch, k, activation, rng=seed)
    layer.params["b"] = rng.standard_normal(out_ch)
    x = rng.standard_normal((n, channels, height, width))
    out = layer.forward(x)
    assert out.shape == (n, out_ch) + layer.output_shape((channels, height, width))[1:]
    np.testing.assert_allclose(out, naive_conv(x, layer.params["W"], layer.params["b"], activation),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shape, k, activation", [
    ((2, 1, 5, 5), 3, "tanh"),
    ((2, 3, 4, 5), 3, "linear"),
    ((1, 2, 3, 3), 1, "tanh"),
    ((2, 2, 4, 3), 2, "tanh"),
    ((1, 2, 6, 6), 5, "relu"),
])
def test_conv_gradients_by_central_differences(shape, k, activation):
    rng = np.random.default_rng(7)
    layer = Conv2D(shape[1], 3, k, activation, rng=1)
    layer.params["b"] = rng.standard_normal(3) * 0.1
    check_layer_gradients(layer, rng.standard_normal(shape), rng)


def test_conv_params_are_pytorch_shaped_and_the_first_layer_skips_dx():
    layer = Conv2D(2, 5, 3)
    assert layer.params["W"].shape == (5, 2, 3, 3) and layer.params["b"].shape == (5,)
    assert layer.regularized == ("W",) and layer.n_params == 5 * 2 * 9 + 5
    layer.propagate_input_grad = False
    x = np.random.default_rng(0).standard_normal((2, 2, 4, 4))
    assert layer.backward(np.ones_like(layer.forward(x))) is None
    assert np.any(layer.grads["W"] != 0)


def test_conv_refuses_wrong_inputs_in_one_line():
    layer = Conv2D(2, 3, 3)
    for bad in (np.zeros((2, 3, 4, 4)), np.zeros((2, 4, 4))):
        with pytest.raises(ValueError) as info:
            layer.forward(bad)
        assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match="activation"):
        Conv2D(1, 2, 3, "softmax")


def test_conv_workspaces_follow_the_batch_shape():
    rng = np.random.default_rng(2)
    layer = Conv2D(1, 2, 3, "linear", rng=3)
    big, small = rng.standard_normal((5, 1, 4, 4)), rng.standard_normal((2, 1, 4, 4))
    first = layer.forward(big).copy()
    layer.forward(small)
    for shape in [(n, 1, 4, 4) for n in range(6, 12)]:
        layer.forward(np.zeros(shape))
    assert len(layer._workspaces) <= 4
    np.testing.assert_array_equal(layer.forward(big), first)


# ----------------------------------------------------------------------------- MaxPool2D and Flatten
@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), channels=st.integers(1, 3), height=st.integers(2, 7), width=st.integers(2, 7),
       seed=st.integers(0, 2**16), ties=st.booleans())
def test_pool_matches_the_naive_loops_forward_and_backward(n, channels, height, width, seed, ties):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, channels, height, width))
    if ties:  # few distinct values: windows with several maxima
        x = np.round(x)
    layer = MaxPool2D()
    out = layer.forward(x)
    np.testing.assert_array_equal(out, naive_pool(x))
    dy = rng.standard_normal(out.shape)
    np.testing.assert_array_equal(layer.backward(dy), naive_pool_backward(x, dy))


@pytest.mark.parametrize("shape", [(2, 3, 4, 4), (1, 2, 5, 3), (2, 1, 2, 7)])
def test_pool_gradient_by_central_differences(shape):
    rng = np.random.default_rng(5)
    check_layer_gradients(MaxPool2D(), rng.standard_normal(shape), rng)


def test_pool_refuses_images_smaller_than_its_window():
    with pytest.raises(ValueError, match="2×2"):
        MaxPool2D().forward(np.zeros((1, 1, 1, 4)))


def test_flatten_orders_channels_rows_columns_and_reverses_in_backward():
    x = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    layer = Flatten()
    out = layer.forward(x)
    np.testing.assert_array_equal(out, x.reshape(2, 12))  # C, H, W: row-major over (C, H, W)
    assert out[0, 4] == x[0, 1, 0, 0]
    np.testing.assert_array_equal(layer.backward(out), x)
    channels_last = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    np.testing.assert_array_equal(layer.forward(channels_last), x.reshape(2, 12))
    assert layer.params == {} and layer.n_params == 0


# ----------------------------------------------------------------------------- Network.cnn
def digits_like(n=6, seed=0, shape=(1, 8, 8), n_out=10):
    rng = np.random.default_rng(seed)
    return rng.random((n,) + shape), np.eye(n_out)[rng.integers(0, n_out, n)]


def test_cnn_layers_shapes_and_sizes():
    net = Network.cnn()
    assert [type(layer).__name__ for layer in net.layers] == [
        "Conv2D", "MaxPool2D", "Conv2D", "MaxPool2D", "Flatten", "Dense", "Dense"]
    assert net.layers[0].params["W"].shape == (16, 1, 3, 3)
    assert net.layers[2].params["W"].shape == (32, 16, 3, 3)
    assert net.layers[5].params["W"].shape == (32 * 2 * 2, 64)
    assert net.shapes[-3:] == ((128,), (64,), (10,))
    assert net.sizes[0] == 64 and net.sizes[-1] == 10
    assert (net.loss_name, net.output_activation, net.activation) == ("ce", "softmax", "relu")
    assert net.n_params == 16 * 9 + 16 + 32 * 16 * 9 + 32 + 128 * 64 + 64 + 64 * 10 + 10
    X, _ = digits_like()
    out = net.forward(X)
    assert out.shape == (6, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_cnn_is_the_same_for_the_same_seed_and_not_for_another():
    a, b, c = Network.cnn(seed=3), Network.cnn(seed=3), Network.cnn(seed=4)
    assert a.flat_params.tobytes() == b.flat_params.tobytes()
    assert a.flat_params.tobytes() != c.flat_params.tobytes()


@pytest.mark.parametrize("kwargs", [
    dict(input_shape=(1, 6, 6), conv=[2, 3], kernel=3, hidden=[5], n_out=3, activation="tanh"),
    dict(input_shape=(2, 5, 7), conv=[3], kernel=3, hidden=[], n_out=2, activation="tanh"),
    dict(input_shape=(1, 5, 5), conv=[2], kernel=1, hidden=[4, 3], n_out=2, activation="leaky_relu"),
])
def test_whole_cnn_gradients_by_central_differences(kwargs):
    net = Network.cnn(seed=1, **kwargs)
    X, Y = digits_like(n=3, seed=2, shape=kwargs["input_shape"], n_out=kwargs["n_out"])
    net.loss_and_grads(X, Y)
    analytic = net.flat_grads.copy()
    numeric = numeric_gradient(lambda: net.loss(X, Y), net.flat_params)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    # and the input gradient through every layer
    out = net.forward(X)
    dY = np.random.default_rng(3).standard_normal(out.shape)
    dX = net.backward(dY)
    assert dX.shape == X.shape
    np.testing.assert_allclose(dX, numeric_gradient(lambda: float(np.vdot(net.forward(X), dY)), X),
                               rtol=1e-5, atol=1e-8)


def test_cnn_refuses_impossible_settings():
    with pytest.raises(ValueError, match="chain|2×2"):
        Network.cnn(input_shape=(1, 3, 3), conv=[2, 2])  # 3×3 -> 1×1: nothing left to pool
    with pytest.raises(ValueError, match="input_shape"):
        Network.cnn(input_shape=(8, 8))
    with pytest.raises(ValueError, match="conv"):
        Network.cnn(conv=[0])
    with pytest.raises(ValueError, match="output"):
        Network.cnn(activation="softmax")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam", "rmsprop"])
def test_every_optimizer_trains_a_cnn_through_the_flat_buffers(optimizer):
    net = Network.cnn(input_shape=(1, 6, 6), conv=[4], hidden=[8], n_out=3, seed=0)
    X, Y = digits_like(n=12, seed=1, shape=(1, 6, 6), n_out=3)
    lr = {"sgd": 0.3, "momentum": 0.05}.get(optimizer, 0.01)
    opt = make_optimizer(optimizer, lr=lr, reg="l2", reg_rate=1e-4)
    first = net.loss(X, Y)
    conv_W = net.layers[0].params["W"]
    before = conv_W.copy()
    for _ in range(40):
        net.loss_and_grads(X, Y)
        opt.step(net)
    assert net.loss(X, Y) < 0.7 * first
    assert net.layers[0].params["W"] is conv_W and not np.array_equal(conv_W, before)


def test_cnn_save_load_and_copies_are_exact(tmp_path):
    net = Network.cnn(input_shape=(1, 6, 6), conv=[3, 4], hidden=[5], n_out=3, seed=2, dtype=np.float32)
    X, Y = digits_like(n=4, seed=3, shape=(1, 6, 6), n_out=3)
    opt = make_optimizer("adam", lr=0.01)
    for _ in range(3):
        net.loss_and_grads(X, Y)
        opt.step(net)
    net.save(tmp_path / "cnn.npz", metadata={"dataset": "digits"})
    for other in (load_model(tmp_path / "cnn.npz"), Network.load(tmp_path / "cnn.npz"), copy.deepcopy(net)):
        assert [repr(layer) for layer in other.layers] == [repr(layer) for layer in net.layers]
        assert other.dtype == np.float32 and other.input_shape == (1, 6, 6)
        assert other.flat_params.tobytes() == net.flat_params.tobytes()
        assert other.forward(X).tobytes() == net.forward(X).tobytes()
        assert other.activation == "relu"
    assert load_model(tmp_path / "cnn.npz").metadata == {"dataset": "digits"}
    with np.load(tmp_path / "cnn.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"meta", "L0.W", "L0.b", "L2.W", "L2.b", "L5.W", "L5.b", "L6.W", "L6.b"}


def _rewrite_meta(src, dst, change):
    import json

    with np.load(src, allow_pickle=False) as npz:
        arrays = {name: npz[name] for name in npz.files}
    meta = json.loads(arrays["meta"].tobytes())
    change(meta, arrays)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(dst, "wb") as file:
        np.savez(file, **arrays)


@pytest.mark.parametrize("change", [
    lambda meta, arrays: meta["layers"][0].update(type="transformer"),
    lambda meta, arrays: meta["layers"][0]["config"].update(out_ch=5),
    lambda meta, arrays: meta["layers"][0]["config"].update(kernel=0),
    lambda meta, arrays: meta["layers"][0]["config"].update(in_ch=10**7),
    lambda meta, arrays: meta["layers"][1]["config"].update(size=3),
    lambda meta, arrays: meta.update(layers=[]),
    lambda meta, arrays: meta.update(input_shape=[1, 0, 6]),
    lambda meta, arrays: meta.update(input_shape=[2, 6, 6]),
    lambda meta, arrays: meta.update(kind="perceptron"),
    lambda meta, arrays: arrays.pop("L3.b"),
    lambda meta, arrays: arrays.update({"L1.W": np.zeros(3)}),
])
def test_damaged_layer_lists_raise_one_line_model_file_errors(tmp_path, change):
    Network.cnn(input_shape=(1, 6, 6), conv=[2], hidden=[3], n_out=2).save(tmp_path / "cnn.npz")
    _rewrite_meta(tmp_path / "cnn.npz", tmp_path / "bad.npz", change)
    with pytest.raises(ModelFileError) as info:
        load_model(tmp_path / "bad.npz")
    assert "\n" not in str(info.value)

"""`nn-tui export` of networks trained with dropout and batch norm: batch norm goes out
with its running statistics (ONNX: its own scale-and-shift nodes; PyTorch: nn.BatchNorm1d/2d;
JSON: its numbers and formula), dropout as the identity (nn.Dropout in PyTorch), and the
exported model gives nn-tui's evaluation outputs to 1e-5."""

import importlib.util
import json

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.data import load_digits
from nn_tui.engine import load_model
from nn_tui.export import export, source_from_file

TOLERANCE = dict(rtol=1e-5, atol=1e-5)
CASES = {
    "mlp64": (["--dataset", "spiral", "--layers", "8,8", "--activation", "relu"], "float64"),
    "mlp32": (["--dataset", "spiral", "--layers", "8,8", "--activation", "tanh"], "float32"),
    "cnn64": (["--model", "cnn", "--conv", "4,8", "--layers", "16"], "float64"),
    "cnn32": (["--model", "cnn", "--conv", "4,8", "--layers", "16"], "float32"),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def trained(request, tmp_path_factory):
    """Trained 3 epochs with --dropout 0.3 --batchnorm, saved; inputs and nn-tui's outputs (eval mode)."""
    args, dtype = CASES[request.param]
    path = tmp_path_factory.mktemp("extras") / f"{request.param}.npz"
    assert main(["train", "--json", *args, "--dropout", "0.3", "--batchnorm", "--epochs", "3", "--dtype", dtype,
                 "--save", str(path)]) == 0
    model = load_model(path)
    if model.input_shape == (1, 8, 8):
        digits = load_digits(seed=0)
        X = digits.X_test.reshape(-1, 1, 8, 8).astype(dtype)
    else:
        X = np.random.default_rng(1).uniform(-6, 6, (200, 2)).astype(dtype)
    running = [layer.buffers["running_var"] for layer in model.layers if hasattr(layer, "buffers")]
    assert running and not all(np.allclose(var, 1.0) for var in running)  # the statistics moved: a real test
    with model.evaluating():
        want = model.forward(X)
    return path, X, want


def test_onnx(trained, tmp_path):
    onnxruntime = pytest.importorskip("onnxruntime", reason="the export extra (onnx, onnxruntime) is not installed")
    path, X, want = trained
    export(source_from_file(path), "onnx", tmp_path / "m.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": X})
    assert got.dtype == X.dtype
    np.testing.assert_allclose(got, want, **TOLERANCE)


def test_torch(trained, tmp_path):
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    path, X, want = trained
    export(source_from_file(path), "torch", tmp_path / "m.pt")
    spec = importlib.util.spec_from_file_location("exported_extras", tmp_path / "m.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load()
    assert any(isinstance(m, torch.nn.Dropout) for m in model.modules())
    assert any(isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)) for m in model.modules())
    with torch.no_grad():
        got = model(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(got, want, **TOLERANCE)


def json_forward(document, X):
    """A reader of the JSON alone (dense, conv, pool, flatten, batchnorm, dropout)."""
    from numpy.lib.stride_tricks import sliding_window_view

    dtype = np.dtype(document["dtype"])
    act = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "linear": lambda z: z,
           "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "softmax": lambda z: (e := np.exp(z - z.max(1, keepdims=True))) / e.sum(1, keepdims=True)}
    a = np.asarray(X, dtype=dtype)
    for layer in document["layers"]:
        kind = layer["type"]
        if kind == "batchnorm":
            shape = (1, -1) + (1,) * (a.ndim - 2)
            value = {k: np.array(layer[k], dtype=dtype).reshape(shape)
                     for k in ("gamma", "beta", "running_mean", "running_var")}
            a = value["gamma"] * (a - value["running_mean"]) / np.sqrt(value["running_var"] + layer["eps"]) \
                + value["beta"]
        elif kind == "dropout":
            assert 0 < layer["p"] < 1
        elif kind == "conv2d":
            p, k = layer["padding"], layer["kernel"]
            windows = sliding_window_view(np.pad(a, ((0, 0), (0, 0), (p, p), (p, p))), (k, k), axis=(2, 3))
            z = np.tensordot(windows, np.array(layer["weight"], dtype=dtype), axes=([1, 4, 5], [1, 2, 3]))
            a = act[layer["activation"]](z.transpose(0, 3, 1, 2) + np.array(layer["bias"], dtype=dtype)[:, None, None])
        elif kind == "maxpool2d":
            n, c, h, w = a.shape
            a = a[:, :, :h // 2 * 2, :w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
        elif kind == "flatten":
            a = a.reshape(len(a), -1)
        else:
            a = act[layer["activation"]](a @ np.array(layer["weight"], dtype=dtype) + np.array(layer["bias"], dtype=dtype))
    return a


def test_json(trained, tmp_path):
    path, X, want = trained
    export(source_from_file(path), "json", tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    types = [layer["type"] for layer in document["layers"]]
    assert "batchnorm" in types and "dropout" in types
    np.testing.assert_allclose(json_forward(document, X), want, **TOLERANCE)

"""`nn-tui export` of convolutional networks (Conv2D, MaxPool2D, Flatten): a CNN
trained a few epochs on the digits, saved, exported, and run in ONNX Runtime,
PyTorch and a JSON reader gives the engine's outputs on the test images."""

import importlib.util
import json

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from nn_tui.cli import main
from nn_tui.data import load_digits
from nn_tui.engine import load_model
from nn_tui.export import export, source_from_file

TOLERANCE = dict(rtol=1e-5, atol=1e-5)
IMAGE = (1, 8, 8)


@pytest.fixture(scope="module", params=[("float64", "3"), ("float32", "3"), ("float64", "2")],
                ids=["f64-k3", "f32-k3", "f64-k2"])
def cnn(request, tmp_path_factory):
    """`nn-tui train --model cnn` for 2 epochs on the digits, saved; its test images and outputs."""
    dtype, kernel = request.param
    path = tmp_path_factory.mktemp("cnn") / "cnn.npz"
    assert main(["train", "--json", "--model", "cnn", "--epochs", "2", "--dtype", dtype, "--kernel", kernel,
                 "--save", str(path)]) == 0
    digits = load_digits(seed=0)
    X_test = digits.X_test.reshape(len(digits.X_test), *IMAGE).astype(dtype)
    model = load_model(path)
    want = model.forward(X_test)
    assert (want.argmax(1) == digits.y_test.argmax(1)).mean() > 0.6  # it learned (0.77-0.87): a real comparison
    return path, X_test, want


def test_onnx(cnn, tmp_path):
    import onnxruntime

    path, X, want = cnn
    export(source_from_file(path), "onnx", tmp_path / "cnn.onnx")
    session = onnxruntime.InferenceSession(str(tmp_path / "cnn.onnx"), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": X})
    assert got.dtype == X.dtype
    np.testing.assert_allclose(got, want, **TOLERANCE)


def test_torch(cnn, tmp_path):
    torch = pytest.importorskip("torch")

    path, X, want = cnn
    export(source_from_file(path), "torch", tmp_path / "cnn.pt")
    spec = importlib.util.spec_from_file_location("exported_cnn", tmp_path / "cnn.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with torch.no_grad():
        got = module.load()(torch.from_numpy(X)).numpy()
    np.testing.assert_allclose(got, want, **TOLERANCE)


def json_forward(document, X):
    """A reader that knows only the JSON and the formulas it states."""
    dtype = np.dtype(document["dtype"])
    act = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "linear": lambda z: z,
           "softmax": lambda z: (e := np.exp(z - z.max(1, keepdims=True))) / e.sum(1, keepdims=True)}
    a = np.asarray(X, dtype=dtype)
    for layer in document["layers"]:
        if layer["type"] == "conv2d":
            p, k = layer["padding"], layer["kernel"]
            padded = np.pad(a, ((0, 0), (0, 0), (p, p), (p, p)))
            windows = sliding_window_view(padded, (k, k), axis=(2, 3))  # (N, C, H', W', k, k)
            weight = np.array(layer["weight"], dtype=dtype)  # (out, C, k, k)
            z = np.tensordot(windows, weight, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
            a = act[layer["activation"]](z + np.array(layer["bias"], dtype=dtype)[:, None, None])
        elif layer["type"] == "maxpool2d":
            n, c, h, w = a.shape
            a = a[:, :, :h // 2 * 2, :w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))
        elif layer["type"] == "flatten":
            a = a.reshape(len(a), -1)
        else:
            z = a @ np.array(layer["weight"], dtype=dtype) + np.array(layer["bias"], dtype=dtype)
            a = act[layer["activation"]](z)
    return a


def test_json(cnn, tmp_path):
    path, X, want = cnn
    export(source_from_file(path), "json", tmp_path / "cnn.json")
    document = json.loads((tmp_path / "cnn.json").read_text())
    assert [layer["type"] for layer in document["layers"]][:3] == ["conv2d", "maxpool2d", "conv2d"]
    assert document["input"]["shape"] == list(IMAGE)
    np.testing.assert_allclose(json_forward(document, X), want, **TOLERANCE)

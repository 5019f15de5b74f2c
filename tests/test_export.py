"""`nn-tui export`: models trained by nn-tui, written as ONNX, PyTorch and JSON,
give nn-tui's own outputs on the model's test data when run elsewhere."""

import importlib.util
import json
import os
import stat
import subprocess
import sys

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.data import expand_features, load_digits, make_toy
from nn_tui.engine import ACTIVATIONS, load_model
from nn_tui.export import ExportError, export, source_from_file, source_from_model

TOLERANCE = dict(rtol=1e-5, atol=1e-5)

# name -> (train options, the plane features it feeds or None). Between them they
# use every activation, both dtypes, masks, a perceptron and all three tasks.
PLANE = ("x1", "x2")
CASES = {
    "digits_relu": (("--dataset", "digits", "--layers", "16", "--activation", "relu", "--epochs", "3"), None),
    "digits_leaky_f32": (("--dataset", "digits", "--layers", "12,8", "--activation", "leaky_relu",
                          "--dtype", "float32", "--epochs", "3"), None),
    "circle_tanh": (("--dataset", "circle", "--epochs", "8"), PLANE),
    "circle_sigmoid_features": (("--dataset", "circle", "--features", "x1,x2,x1sq,x2sq", "--layers", "5",
                                 "--activation", "sigmoid", "--epochs", "8"), ("x1", "x2", "x1sq", "x2sq")),
    "circle_tanh_output_f32": (("--dataset", "circle", "--output", "tanh", "--loss", "mse", "--dtype", "float32",
                                "--epochs", "8"), PLANE),
    "sine_linear": (("--dataset", "sine", "--layers", "6", "--activation", "linear", "--epochs", "5"), None),
    "gauss_perceptron": (("--dataset", "gauss", "--model", "perceptron", "--epochs", "3"), PLANE),
    "digits_autoencoder": (("--dataset", "digits", "--model", "autoencoder", "--epochs", "2"), None),
}


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Each case trained a few epochs by `nn-tui train --save`, one masked too."""
    folder = tmp_path_factory.mktemp("models")
    paths = {}
    for name, (options, _) in CASES.items():
        paths[name] = folder / f"{name}.npz"
        assert main(["train", "--json", *options, "--save", str(paths[name])]) == 0
    # Cut links as the app's weight editor does, then save again.
    masked = load_model(paths["circle_tanh"])
    mask = np.ones(masked.layers[0].params["W"].shape)
    mask[0, 1] = mask[1, 2] = 0
    masked.layers[0].set_mask(mask)
    paths["circle_masked"] = folder / "circle_masked.npz"
    masked.save(paths["circle_masked"])
    return paths


def inputs_of(name):
    """The model's own test rows: the data set it was trained on, same seed."""
    options, features = CASES.get(name, CASES["circle_tanh"])
    data = options[options.index("--dataset") + 1]
    dataset = load_digits(seed=0) if data == "digits" else make_toy(data, seed=0)
    # Plane sets feed chosen features of (x1, x2); the others their columns as they are.
    return dataset.X_test if features is None else expand_features(dataset.X_test, features)


ALL = [*CASES, "circle_masked"]


def expected(path, X):
    model = load_model(path)
    return model.forward(np.asarray(X, dtype=model.dtype)), model.dtype


def test_the_cases_cover_every_activation(models):
    used = {activation for path in models.values() for activation in load_model(path).activations}
    assert used == set(ACTIVATIONS)
    assert any(layer.mask is not None for layer in load_model(models["circle_masked"]).layers)


# --- ONNX ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_onnx_runs_in_onnxruntime_with_nn_tuis_outputs(models, tmp_path, name):
    import onnx
    import onnxruntime

    path = tmp_path / f"{name}.onnx"
    export(source_from_file(models[name]), "onnx", path)
    onnx.checker.check_model(str(path), full_check=True)
    X = inputs_of(name)
    want, dtype = expected(models[name], X)
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (got,) = session.run(None, {"input": np.asarray(X, dtype=dtype)})
    assert got.dtype == dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, **TOLERANCE)
    assert np.ptp(want) > 0.1  # the model distinguishes its inputs: a real comparison


def test_onnx_keeps_nn_tui_metadata(models, tmp_path):
    import onnx

    path = tmp_path / "digits.onnx"
    export(source_from_file(models["digits_relu"]), "onnx", path)
    properties = {prop.key: prop.value for prop in onnx.load(str(path)).metadata_props}
    assert properties["kind"] == "mlp" and properties["loss"] == "ce"
    assert json.loads(properties["metadata"])["dataset"] == "digits"


# --- PyTorch --------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_torch_module_and_state_dict_give_nn_tuis_outputs(models, tmp_path, name):
    torch = pytest.importorskip("torch")  # .ci/run installs it; the issue asks for it where installed

    path = tmp_path / f"{name}.pt"
    export(source_from_file(models[name]), "torch", path)
    spec = importlib.util.spec_from_file_location(f"exported_{name}", tmp_path / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load()
    X = inputs_of(name)
    want, dtype = expected(models[name], X)
    with torch.no_grad():
        got = model(torch.from_numpy(np.asarray(X, dtype=dtype))).numpy()
    assert got.dtype == dtype and got.shape == want.shape
    np.testing.assert_allclose(got, want, **TOLERANCE)
    # The state_dict alone loads into a fresh module too (tensors only, no code).
    fresh = module.NNTuiModel()
    fresh.load_state_dict(torch.load(path, weights_only=True))


def test_torch_keeps_masked_links_cut_while_training(models, tmp_path):
    torch = pytest.importorskip("torch")

    path = tmp_path / "masked.pt"
    export(source_from_file(models["circle_masked"]), "torch", path)
    spec = importlib.util.spec_from_file_location("exported_masked", tmp_path / "masked.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.load().train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    X = torch.from_numpy(inputs_of("circle_tanh"))
    before = model(X).detach().clone()
    for _ in range(3):
        optimizer.zero_grad()
        model(X).sum().backward()
        optimizer.step()
    effective = model.fc0.weight * model.mask0
    assert effective[1, 0] == 0 and effective[2, 1] == 0  # (out, in): nn-tui's [0, 1] and [1, 2]
    assert not torch.equal(before, model(X))  # it did train


# --- JSON -----------------------------------------------------------------------
def json_forward(document, X):
    """A reader that knows only the JSON: y = act(x @ weight + bias), per layer."""
    dtype = np.dtype(document["dtype"])
    functions = {
        "linear": lambda z: z,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
        "leaky_relu": lambda z: np.maximum(z, 0.01 * z),
        "softmax": lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True),
        "step": lambda z: (z >= 0).astype(dtype),
    }
    a = np.asarray(X, dtype=dtype)
    for layer in document["layers"]:
        assert layer["type"] == "dense"
        a = functions[layer["activation"]](a @ np.array(layer["weight"], dtype=dtype) + np.array(layer["bias"], dtype=dtype))
    return a


@pytest.mark.parametrize("name", ALL)
def test_json_holds_the_exact_weights_and_architecture(models, tmp_path, name):
    path = tmp_path / f"{name}.json"
    export(source_from_file(models[name]), "json", path)
    document = json.loads(path.read_text())
    model = load_model(models[name])
    assert document["format"] == "nn-tui-export" and document["dtype"] == model.dtype.name
    assert [layer["activation"] for layer in document["layers"]] == list(model.activations)
    for layer, stored in zip(model.layers, document["layers"]):
        assert np.array_equal(np.array(stored["weight"], dtype=model.dtype), layer.params["W"])  # bit for bit
        assert np.array_equal(np.array(stored["bias"], dtype=model.dtype), layer.params["b"])
        assert (stored["mask"] is None) == (getattr(layer, "mask", None) is None)
    X = inputs_of(name)
    want, _ = expected(models[name], X)
    np.testing.assert_allclose(json_forward(document, X), want, **TOLERANCE)


def test_json_records_inputs_and_classes(models, tmp_path):
    path = tmp_path / "features.json"
    export(source_from_file(models["circle_sigmoid_features"]), "json", path)
    document = json.loads(path.read_text())
    assert document["input"] == {"shape": [4], "names": ["x1", "x2", "x1sq", "x2sq"]}
    assert document["activations"]["sigmoid"] == "1 / (1 + exp(-z))"


def test_json_refuses_nan_weights_in_one_line(models, tmp_path):
    model = load_model(models["circle_tanh"])
    model.layers[0].params["W"] = np.full_like(model.layers[0].params["W"], np.nan)
    with pytest.raises(ExportError, match="NaN"):
        export(source_from_model(model), "json", tmp_path / "nan.json")
    assert not (tmp_path / "nan.json").exists()


# --- What cannot be exported ------------------------------------------------------
class Unknown:
    params = {}


class ModelWithAnUnknownLayer:
    dtype = np.float64
    sizes = (2, 1)
    layers = [Unknown()]


@pytest.mark.parametrize("to", ["onnx", "torch", "json"])
def test_a_layer_no_exporter_knows_is_refused_before_writing(tmp_path, to):
    with pytest.raises(ExportError, match="cannot export Unknown layers yet"):
        source = source_from_model(ModelWithAnUnknownLayer())
        export(source, to, tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# --- The command ------------------------------------------------------------------
def run_export(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", "export", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("to, written", [("json", ["circle.json"]), ("onnx", ["circle.onnx"]),
                                         ("torch", ["circle.pt", "circle.py"])])
def test_command_writes_next_to_the_model_by_default(models, tmp_path, to, written):
    if to == "torch":
        pytest.importorskip("torch")  # an optional dependency: .ci/run installs it
    model = tmp_path / "circle.npz"
    model.write_bytes(models["circle_tanh"].read_bytes())
    result = run_export(str(model), "--to", to)
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / name).is_file() for name in written)
    assert result.stdout.startswith("wrote ")


def test_command_honours_output_path(models, tmp_path):
    result = run_export(str(models["digits_relu"]), "--to", "onnx", "-o", str(tmp_path / "d.onnx"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d.onnx").stat().st_size > 1000


@pytest.mark.parametrize("args, message", [
    (["missing.npz", "--to", "json"], "no model file at missing.npz"),
    (["{model}", "--to", "keras"], "invalid choice: 'keras'"),
    (["{model}"], "the following arguments are required: --to"),
    (["{model}", "--to", "json", "-o", "{model}"], "is the model itself"),
    (["{model}", "--to", "torch", "-o", "{dir}/not-a-module.pt"], "would not be importable"),
    (["{model}", "--to", "json", "-o", "{dir}/no/such/dir/m.json"], "no/such/dir/m.json: the directory"),
    (["{model}", "--to", "onnx", "-o", "{dir}"], "is a directory; give a file name such as"),
    (["{notmodel}", "--to", "onnx"], "is not an nn-tui model file"),
])
def test_command_errors_are_one_line_with_status_2(models, tmp_path, args, message):
    notmodel = tmp_path / "notes.npz"
    notmodel.write_text("hello")
    args = [a.format(model=models["circle_tanh"], dir=tmp_path, notmodel=notmodel) for a in args]
    result = run_export(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- Nothing the user made is replaced -----------------------------------------------
FOREIGN = {"json": ("victim.csv", ["victim.csv"]), "onnx": ("victim.onnx", ["victim.onnx"]),
           "torch": ("victim.pt", ["victim.pt", "victim.py"])}


@pytest.mark.parametrize("to", FOREIGN)
@pytest.mark.parametrize("which", [0, -1])  # torch writes two files: either one found taken is refused
def test_output_that_is_not_an_earlier_export_is_refused_without_force(models, tmp_path, to, which):
    output, written = FOREIGN[to]
    mine = tmp_path / written[which]
    mine.write_bytes(b"name,age\nada,36\n")
    result = run_export(str(models["circle_tanh"]), "--to", to, "-o", str(tmp_path / output))
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "the file exists and is not an nn-tui" in result.stderr and "--force" in result.stderr
    assert mine.read_bytes() == b"name,age\nada,36\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine.name]


def test_the_default_output_is_refused_too_when_it_is_the_users(models, tmp_path):
    model = tmp_path / "circle.npz"
    model.write_bytes(models["circle_tanh"].read_bytes())
    (tmp_path / "circle.json").write_text('{"mine": true}')
    result = run_export(str(model), "--to", "json")
    assert result.returncode == 2 and "circle.json: the file exists" in result.stderr, result.stderr
    assert (tmp_path / "circle.json").read_text() == '{"mine": true}'


@pytest.mark.parametrize("to", ["json", "onnx", "torch"])
def test_an_earlier_export_is_replaced_and_force_replaces_anything(models, tmp_path, to):
    if to == "torch":
        pytest.importorskip("torch")  # an optional dependency: .ci/run installs it
    output, written = FOREIGN[to]
    for _ in range(2):  # the second export replaces the first
        result = run_export(str(models["circle_tanh"]), "--to", to, "-o", str(tmp_path / output))
        assert result.returncode == 0, result.stderr
    for name in written:
        (tmp_path / name).write_text("mine\n")
    result = run_export(str(models["circle_tanh"]), "--to", to, "-o", str(tmp_path / output), "--force")
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / name).read_bytes() != b"mine\n" for name in written)


def test_force_never_replaces_a_device_or_a_pipe(models, tmp_path):
    # A FIFO stands in for /dev/null: renaming over it would replace the device for everyone.
    pipe = tmp_path / "out.json"
    os.mkfifo(pipe)
    result = run_export(str(models["circle_tanh"]), "--to", "json", "-o", str(pipe), "--force")
    assert result.returncode == 2 and "out.json: not a regular file" in result.stderr, result.stderr
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_earlier_exports_are_recognised_by_their_content(models, tmp_path):
    from nn_tui.export.earlier import is_earlier_export

    json_path, onnx_path = tmp_path / "m.json", tmp_path / "m.onnx"
    source = source_from_file(models["circle_tanh"])
    export(source, "json", json_path)
    export(source, "onnx", onnx_path)
    assert is_earlier_export(json_path, "json") and is_earlier_export(onnx_path, "onnx")
    assert not is_earlier_export(json_path, "onnx") and not is_earlier_export(onnx_path, "json")
    # Pretty-printed by the user: still the export.
    json_path.write_text(json.dumps(json.loads(json_path.read_text()), indent=2))
    assert is_earlier_export(json_path, "json")
    other = tmp_path / "other.onnx"  # an ONNX model another tool made
    other.write_bytes(onnx_path.read_bytes().replace(b"nn-tui", b"pytorc", 1))
    assert not is_earlier_export(other, "onnx")
    (tmp_path / "mine.json").write_text('{"format": "geojson"}')
    assert not is_earlier_export(tmp_path / "mine.json", "json")
    assert not is_earlier_export(tmp_path / "missing.json", "json")


@pytest.mark.parametrize("output", ["{dir}", "{dir}/missing/dir/x.onnx"])
def test_a_write_error_names_the_path_typed_not_a_temporary_file(models, tmp_path, output):
    output = output.format(dir=tmp_path)
    result = run_export(str(models["circle_tanh"]), "--to", "onnx", "-o", output)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert f"-o {output}:" in result.stderr and ".tmp" not in result.stderr, result.stderr


def test_the_atomic_writer_names_the_target_in_its_errors(tmp_path):
    from nn_tui.engine.atomic_file import replace_atomically

    target = tmp_path / "missing" / "x.onnx"
    with pytest.raises(FileNotFoundError) as caught:
        replace_atomically(target, lambda file: file.write(b"x"))
    assert caught.value.filename == str(target)
    (tmp_path / "taken").mkdir()  # a directory in the way of the final rename
    with pytest.raises(IsADirectoryError) as caught:
        replace_atomically(tmp_path / "taken", lambda file: file.write(b"x"))
    assert caught.value.filename == str(tmp_path / "taken")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_model_kind_the_exporter_does_not_know_says_so_in_one_line(models, tmp_path):
    # A file of a kind this nn-tui cannot read (a later version's, say).
    with np.load(models["circle_tanh"], allow_pickle=False) as npz:
        arrays = dict(npz)
    meta = json.loads(arrays["meta"].tobytes().decode())
    meta["kind"] = "gan"
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    path = tmp_path / "gan.npz"
    np.savez(path, **arrays)
    result = run_export(str(path), "--to", "onnx")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "gan" in result.stderr, result.stderr

"""Saving and loading: exact round trips, clean errors for bad files, atomic writes."""

import json
import os
import pathlib
import pickle

import numpy as np
import pytest

from nn_tui.engine import Dense, ModelFileError, Network, Perceptron, load_model, make_optimizer


def trained_net(dtype=np.float64, **kwargs):
    net = Network.mlp(3, [5, 4], 2, activation="relu", output="softmax", loss="ce", seed=4, dtype=dtype, **kwargs)
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((8, 3)), np.eye(2)[rng.integers(0, 2, 8)]
    opt = make_optimizer("adam", lr=0.05)
    for _ in range(5):
        net.loss_and_grads(X, Y)
        opt.step(net)
    return net


def assert_same_network(a, b):
    assert a.sizes == b.sizes and a.activations == b.activations
    assert (a.activation, a.output_activation, a.loss_name, a.dtype) == (b.activation, b.output_activation, b.loss_name, b.dtype)
    for la, lb in zip(a.layers, b.layers):
        for key in ("W", "b"):
            assert la.params[key].dtype == lb.params[key].dtype
            assert la.params[key].tobytes() == lb.params[key].tobytes()
        assert (la.mask is None) == (lb.mask is None)
        if la.mask is not None:
            np.testing.assert_array_equal(la.mask, lb.mask)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_network_round_trip_is_exact(tmp_path, dtype):
    net = trained_net(dtype)
    path = tmp_path / "model.npz"
    metadata = {"dataset": "spiral", "features": ["x1", "x2", "x1*x2"], "epoch": 12, "best": np.float64(0.25)}
    net.save(path, metadata=metadata)
    loaded = Network.load(path)
    assert_same_network(net, loaded)
    assert loaded.metadata == {"dataset": "spiral", "features": ["x1", "x2", "x1*x2"], "epoch": 12, "best": 0.25}
    X = np.random.default_rng(1).standard_normal((4, 3))
    assert net.forward(X).tobytes() == loaded.forward(X).tobytes()
    assert isinstance(load_model(str(path)), Network)


def test_round_trip_keeps_masks_and_hidden_activation(tmp_path):
    mask = np.array([[1, 0], [1, 1], [0, 1]])
    net = Network([Dense(3, 2, "leaky_relu", rng=2, mask=mask), Dense(2, 1, "linear", rng=3)], "mse")
    net.save(tmp_path / "m.npz")
    loaded = load_model(tmp_path / "m.npz")
    assert_same_network(net, loaded)
    assert loaded.activation == "leaky_relu"
    no_hidden = Network.mlp(2, [], 1, activation="relu")
    no_hidden.save(tmp_path / "n.npz")
    assert load_model(tmp_path / "n.npz").activation == "relu"


def test_saved_metadata_defaults_to_the_networks_own(tmp_path):
    net = Network.mlp(2, [3], 1)
    net.save(tmp_path / "a.npz", metadata={"epoch": 3})
    loaded = Network.load(tmp_path / "a.npz")
    assert loaded.metadata == {"epoch": 3}
    loaded.save(tmp_path / "b.npz")  # no metadata argument: keeps what it has
    assert Network.load(tmp_path / "b.npz").metadata == {"epoch": 3}


def test_perceptron_round_trip(tmp_path):
    perceptron = Perceptron(3, seed=5)
    perceptron.params["W"] = np.array([[0.5], [-1.25], [2.0]])
    perceptron.params["b"] = np.array([0.125])
    perceptron.save(tmp_path / "p.npz", metadata={"dataset": "and"})
    loaded = load_model(tmp_path / "p.npz")
    assert isinstance(loaded, Perceptron)
    assert loaded.params["W"].tobytes() == perceptron.params["W"].tobytes()
    assert loaded.params["b"].tobytes() == perceptron.params["b"].tobytes()
    assert loaded.metadata == {"dataset": "and"}
    assert Perceptron.load(tmp_path / "p.npz").sizes == (3, 1)
    with pytest.raises(ModelFileError, match="perceptron"):
        Network.load(tmp_path / "p.npz")


def test_file_layout(tmp_path):
    net = Network.mlp(2, [3], 1)
    net.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as npz:
        assert set(npz.files) == {"meta", "L0.W", "L0.b", "L0.mask", "L1.W", "L1.b", "L1.mask"}
        meta = json.loads(npz["meta"].tobytes().decode("utf-8"))
    assert meta["format"] == "nn-tui-model" and meta["version"] == 1 and meta["kind"] == "network"
    assert meta["sizes"] == [2, 3, 1] and meta["activations"] == ["tanh", "sigmoid"]
    assert meta["loss"] == "bce" and meta["dtype"] == "float64"


def write_npz(path, **arrays):
    with open(path, "wb") as file:
        np.savez(file, **arrays)


def arrays_of(path):
    with np.load(path, allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def test_meta_as_zero_d_unicode_array_is_accepted(tmp_path):
    net = Network.mlp(2, [3], 1)
    net.save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    arrays["meta"] = np.array(arrays["meta"].tobytes().decode("utf-8"))
    write_npz(tmp_path / "u.npz", **arrays)
    assert_same_network(net, Network.load(tmp_path / "u.npz"))


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no model file"):
        load_model(tmp_path / "nope.npz")


def test_directory(tmp_path):
    with pytest.raises(ModelFileError):
        load_model(tmp_path)


def test_junk_bytes(tmp_path):
    path = tmp_path / "junk.npz"
    path.write_bytes(b"this is not a model \x00\xff" * 50)
    with pytest.raises(ModelFileError):
        load_model(path)


def test_plain_npy_file(tmp_path):
    path = tmp_path / "array.npz"
    np.save(path.open("wb"), np.zeros(3))
    with pytest.raises(ModelFileError, match="not an .npz"):
        load_model(path)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_file(tmp_path, fraction):
    Network.mlp(2, [8], 1).save(tmp_path / "m.npz")
    data = (tmp_path / "m.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ModelFileError) as info:
        load_model(tmp_path / "cut.npz")
    assert "\n" not in str(info.value)


class Tripwire:
    """Unpickling this creates a file: proof that code ran."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (pathlib.Path.touch, (pathlib.Path(self.path),))


def test_pickled_object_array_is_refused_and_never_run(tmp_path):
    net = Network.mlp(2, [3], 1)
    net.save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    flag = tmp_path / "pwned"
    hostile = np.empty((2, 3), dtype=object)
    hostile[...] = Tripwire(str(flag))
    arrays["L0.W"] = hostile
    path = tmp_path / "evil.npz"
    with open(path, "wb") as file:
        np.savez(file, allow_pickle=True, **arrays)
    with pytest.raises(ModelFileError, match="pickled"):
        load_model(path)
    assert not flag.exists()


def test_pickled_file_is_refused(tmp_path):
    flag = tmp_path / "pwned"
    path = tmp_path / "evil.npz"
    path.write_bytes(pickle.dumps(Tripwire(str(flag))))
    with pytest.raises(ModelFileError):
        load_model(path)
    assert not flag.exists()


def test_wrong_shapes(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    arrays["L0.W"] = np.zeros((3, 2))
    write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match="shape"):
        load_model(tmp_path / "bad.npz")


@pytest.mark.parametrize("key", ["meta", "L1.b", "L0.mask"])
def test_missing_keys(tmp_path, key):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    del arrays[key]
    write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match="missing"):
        load_model(tmp_path / "bad.npz")


@pytest.mark.parametrize("change", [
    {"format": "something-else"},
    {"version": 99},
    {"kind": "transformer"},
    {"sizes": [2, 0, 1]},
    {"sizes": [2, 10**9, 1]},
    {"activations": ["tanh", "swish"]},
    {"activations": ["tanh"]},
    {"loss": "hinge"},
    {"dtype": "float16"},
    {"masked": [True]},
    {"metadata": [1, 2]},
    {"loss": "ce"},  # ce on a sigmoid output: the constructor refuses it
])
def test_bad_meta(tmp_path, change):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    meta = json.loads(arrays["meta"].tobytes())
    meta.update(change)
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError) as info:
        load_model(tmp_path / "bad.npz")
    assert "\n" not in str(info.value)


def test_meta_not_json(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    arrays["meta"] = np.frombuffer(b"{not json", dtype=np.uint8)
    write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ModelFileError, match="JSON"):
        load_model(tmp_path / "bad.npz")


def test_non_numeric_weights_and_bad_mask(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    write_npz(tmp_path / "s.npz", **{**arrays, "L0.W": np.full((2, 3), "x")})
    with pytest.raises(ModelFileError, match="dtype"):
        load_model(tmp_path / "s.npz")
    write_npz(tmp_path / "k.npz", **{**arrays, "L0.mask": np.full((2, 3), 2, dtype=np.uint8)})
    with pytest.raises(ModelFileError, match="mask"):
        load_model(tmp_path / "k.npz")


def test_extra_entries_are_refused(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    write_npz(tmp_path / "x.npz", **arrays, surprise=np.zeros(1))
    with pytest.raises(ModelFileError, match="unexpected"):
        load_model(tmp_path / "x.npz")


def test_model_file_error_is_a_value_error():
    assert issubclass(ModelFileError, ValueError)


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    original = Network.mlp(2, [3], 1, seed=1)
    original.save(path)
    before = path.read_bytes()

    def crash_midway(file, **arrays):
        file.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(np, "savez", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        Network.mlp(2, [3], 1, seed=2).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.npz"]  # no temporary left behind
    assert_same_network(original, Network.load(path))


def test_save_replaces_an_existing_file_and_keeps_the_exact_name(tmp_path):
    path = tmp_path / "model"  # no suffix added
    Network.mlp(2, [3], 1, seed=1).save(path)
    second = Network.mlp(2, [3], 1, seed=2)
    second.save(path)
    assert os.listdir(tmp_path) == ["model"]
    assert_same_network(second, load_model(path))


def test_unserialisable_metadata_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="JSON"):
        Network.mlp(2, [3], 1).save(tmp_path / "m.npz", metadata={"f": object()})
    assert not os.listdir(tmp_path)


def test_huge_declared_array_is_refused_before_reading(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "m.npz")
    arrays = arrays_of(tmp_path / "m.npz")
    arrays["L0.W"] = np.zeros((2, 3, 10000))  # stored size far beyond (2, 3)
    write_npz(tmp_path / "big.npz", **arrays)
    with pytest.raises(ModelFileError):
        load_model(tmp_path / "big.npz")


# --- file kinds registered by their owners (a GAN's, a character model's) -------------------
class _Pair:
    """A toy model that is not a Network: two named arrays."""

    def __init__(self, a, b):
        self.a, self.b = a, b


def _pair_shapes(meta):
    n = meta.get("n")
    if type(n) is not int:
        raise TypeError(f"n must be an integer, not {n!r}")
    return {"a": (n,), "b": (n, 2)}


@pytest.fixture
def pair_kind():
    from nn_tui.engine import model_file

    model_file.register_file_kind("toy-pair", _pair_shapes, lambda d, arrays, meta: _Pair(arrays["a"], arrays["b"]))
    yield model_file
    model_file.FILE_KINDS.pop("toy-pair")


def test_a_registered_file_kind_round_trips_through_the_same_checks(pair_kind, tmp_path):
    path = tmp_path / "pair.npz"
    a, b = np.arange(3.0), np.ones((3, 2))
    pair_kind.write_named_arrays(path, "toy-pair", {"n": 3, "dtype": "float64"}, {"a": a, "b": b}, {"epoch": 4})
    loaded = load_model(path)
    assert isinstance(loaded, _Pair) and np.array_equal(loaded.a, a) and np.array_equal(loaded.b, b)
    assert pair_kind.read_model_file(path)[2] == {"epoch": 4}
    pair_kind.write_named_arrays(path, "toy-pair", {"n": 2, "dtype": "float64"}, {"a": a, "b": b}, {})
    with pytest.raises(ModelFileError, match="a has shape"):  # the description decides the shapes
        load_model(path)
    pair_kind.write_named_arrays(path, "toy-pair", {"n": "3", "dtype": "float64"}, {"a": a, "b": b}, {})
    with pytest.raises(ModelFileError, match="toy-pair description is invalid: n must be an integer"):
        load_model(path)
    infinite = np.full((3, 2), np.inf)
    pair_kind.write_named_arrays(path, "toy-pair", {"n": 3, "dtype": "float64"}, {"a": a, "b": infinite}, {})
    with pytest.raises(ModelFileError, match="b holds NaN or infinite"):
        load_model(path)


def test_an_unregistered_file_kind_is_one_clear_error(pair_kind, tmp_path):
    path = tmp_path / "pair.npz"
    pair_kind.write_named_arrays(path, "toy-pair", {"n": 1, "dtype": "float64"},
                                 {"a": np.zeros(1), "b": np.zeros((1, 2))}, {})
    pair_kind.FILE_KINDS.pop("toy-pair")
    try:
        with pytest.raises(ModelFileError, match="unknown model kind 'toy-pair'"):
            load_model(path)
        with pytest.raises(ValueError, match="not registered"):
            pair_kind.write_named_arrays(path, "toy-pair", {}, {}, {})
        with pytest.raises(ValueError, match="built-in"):
            pair_kind.register_file_kind("network", _pair_shapes, None)
    finally:
        pair_kind.register_file_kind("toy-pair", _pair_shapes, None)

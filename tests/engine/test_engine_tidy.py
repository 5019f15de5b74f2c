"""Issue 18's engine tidy: no import cycles inside the engine (imports inside
functions included), one storage routine, one spelling for randomness."""

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.engine import Conv2D, Dense, Embedding, Network
from nn_tui.engine.recurrent import LSTM
from nn_tui.engine.sequence_layers import SoftmaxHead
from nn_tui.engine.storage import adopt_storage

ENGINE = Path(__file__).resolve().parents[2] / "nn_tui" / "engine"


def engine_imports():
    """module name -> the engine modules it imports, anywhere in the file."""
    graph = {}
    for path in ENGINE.glob("*.py"):
        if path.stem == "__init__":
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nn_tui.engine."):
                imported.add(node.module.rsplit(".", 1)[1])
            elif isinstance(node, ast.Import):
                imported |= {alias.name.rsplit(".", 1)[1] for alias in node.names
                             if alias.name.startswith("nn_tui.engine.")}
        graph[path.stem] = imported
    return graph


def find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path + [node, target]
            if target not in state:
                found = visit(target, path + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [])
            if found:
                return found
    return None


def test_engine_modules_import_each_other_without_a_cycle():
    graph = engine_imports()
    assert "network" in graph and "model_file" in graph
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph))


def test_engine_modules_import_only_numpy_the_standard_library_and_the_engine():
    allowed = set(sys.stdlib_module_names) | {"numpy", "nn_tui"}
    for path in ENGINE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else
                     [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                assert name.split(".")[0] in allowed, f"{path.name} imports {name}"
                if name.startswith("nn_tui"):
                    assert name.startswith("nn_tui.engine"), f"{path.name} imports {name}"


def test_load_model_reads_networks_and_perceptrons_through_the_registered_readers(tmp_path):
    # A fresh interpreter importing only the model file module still loads both kinds.
    Network.mlp(2, [3], 1).save(tmp_path / "net.npz")
    from nn_tui.engine import Perceptron
    Perceptron(2).save(tmp_path / "p.npz")
    code = ("from nn_tui.engine.model_file import load_model; "
            f"print(type(load_model({str(tmp_path / 'net.npz')!r})).__name__, "
            f"type(load_model({str(tmp_path / 'p.npz')!r})).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Network", "Perceptron"]


def test_a_network_and_a_layer_list_share_one_storage_routine():
    layers = [Embedding(5, 3, seed=1), LSTM(3, 4, seed=2), SoftmaxHead(4, 5, seed=3)]
    before = [{k: v.copy() for k, v in layer.params.items()} for layer in layers]
    storage = adopt_storage(layers, np.float64)
    # Regularised first (LSTM W, U; head W), then the rest (E, LSTM b, head b).
    assert storage.n_weights == 3 * 16 + 4 * 16 + 4 * 5
    assert storage.params.size == storage.n_weights + 5 * 3 + 16 + 5
    for layer, old in zip(layers, before):
        for key, value in old.items():
            np.testing.assert_array_equal(layer.params[key], value)
            assert np.shares_memory(layer.params[key], storage.params)
            assert np.shares_memory(layer.grads[key], storage.grads)
    np.testing.assert_array_equal(storage.params[:12 * 4], layers[1].params["W"].ravel())


def test_a_layer_with_the_old_private_storage_hook_still_fits():
    class Old:
        regularized = ()
        dtype = np.dtype(np.float64)

        def __init__(self):
            self.params, self.grads = {"k": np.ones(2)}, {"k": np.zeros(2)}

        def _use_storage(self, params, grads):
            self.params, self.grads = params, grads

    old = Old()
    storage = adopt_storage([old], np.float64)
    assert np.shares_memory(old.params["k"], storage.params)


@pytest.mark.parametrize("make", [lambda **kw: Dense(4, 3, "relu", **kw).params["W"],
                                  lambda **kw: Conv2D(2, 3, 3, "relu", **kw).params["W"]])
def test_seed_is_the_spelling_and_rng_the_old_one_still_accepted(make):
    by_seed = make(seed=7)
    np.testing.assert_array_equal(by_seed, make(rng=7))
    np.testing.assert_array_equal(by_seed, make(seed=np.random.default_rng(7)))
    np.testing.assert_array_equal(make(), make(seed=0))
    with pytest.raises(TypeError, match="not both"):
        make(seed=1, rng=1)


def test_every_engine_layer_starts_in_training_mode():
    from nn_tui.engine import (GRU, RNN, BatchNorm1d, BatchNorm2d, Dropout, Flatten, LayerNorm, MaxPool2D,
                               SelfAttention)

    layers = [Dense(2, 3), Conv2D(1, 2), MaxPool2D(), Flatten(), Dropout(0.1), BatchNorm1d(3), BatchNorm2d(2),
              LayerNorm(4), SelfAttention(4, 2), Embedding(5, 3), SoftmaxHead(3, 5), RNN(2, 3), LSTM(2, 3),
              GRU(2, 3)]
    assert all(layer.training is True for layer in layers)

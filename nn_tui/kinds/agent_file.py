"""An agent's model file (dqn, selfplay): its value network, an MLP anyone can read and
export, plus the whole run state (the other networks, optimizer moments, replay, RNG,
counters, the world), so `nn-tui train --load` continues bit for bit.

The engine's model file (`.npz` of plain arrays, JSON meta, never pickle;
nn_tui/engine/model_file.py), file kind "agent":
  meta: {"agent": "dqn", "network": the MLP's format-1 description, "dtype",
         "spec": the kind's settings, "state": {"info": RunState.info (JSON),
         "arrays": {name: {"shape", "dtype"}}}} plus the run's metadata;
  entries: net.{i}.W, net.{i}.b (the value network the run shows and measures) and
         state.{name} for every state array that is not empty.
The engine reads only floating-point entries, so integer and boolean state arrays
(replay cells, actions, ended flags) are stored as float64 — exact below 2**53 — and
cast back to the dtype the meta names. Loading gives the value network (a Network
whose metadata names its kind) with `run_state` and `file_spec` attached; a plain
network file an earlier nn-tui saved for these kinds loads too, without them.
"""

from __future__ import annotations

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.losses import LOSSES
from nn_tui.engine.model_file import MAX_LAYER_SIZE, ModelFileError, register_file_kind, write_named_arrays
from nn_tui.engine.network import Network
from nn_tui.kinds.base import RunState

FILE_KIND = "agent"
AGENTS = ("dqn", "selfplay")
STATE_DTYPES = ("float64", "float32", "int64", "bool")
MAX_STATE_DIMS = 4


def save_agent(path, agent: str, network: Network, spec: dict, state: RunState, metadata: dict) -> None:
    description = network._description()
    if "sizes" not in description:
        raise ValueError("an agent's value network is an MLP")
    arrays = {f"net.{i}.{key}": layer.params[key] for i, layer in enumerate(network.layers) for key in ("W", "b")}
    declared = {}
    for name, value in state.arrays.items():
        value = np.asarray(value)
        if value.dtype.name not in STATE_DTYPES:
            raise ValueError(f"state array {name} has dtype {value.dtype}, not one of {', '.join(STATE_DTYPES)}")
        declared[name] = {"shape": list(value.shape), "dtype": value.dtype.name}
        if value.size:
            arrays[f"state.{name}"] = value if value.dtype.kind == "f" else value.astype(np.float64)
    meta = {"agent": agent, "network": {k: v for k, v in description.items() if k != "dtype"},
            "dtype": description["dtype"], "spec": spec, "state": {"info": state.info, "arrays": declared}}
    write_named_arrays(path, FILE_KIND, meta, arrays, metadata)


def _network_shapes(network) -> dict:
    if not isinstance(network, dict):
        raise ModelFileError("network must be a JSON object (the value network's description)")
    sizes, activations = network.get("sizes"), network.get("activations")
    if (not isinstance(sizes, list) or len(sizes) < 2
            or not all(type(size) is int and 1 <= size <= MAX_LAYER_SIZE for size in sizes)):
        raise ModelFileError("network sizes must be a list of at least two positive integers")
    if (not isinstance(activations, list) or len(activations) != len(sizes) - 1
            or not all(isinstance(name, str) and name in ACTIVATIONS for name in activations)):
        raise ModelFileError("network activations must name one known activation per layer")
    if network.get("loss") not in LOSSES or network.get("activation") not in (None, *ACTIVATIONS):
        raise ModelFileError("network loss or activation is unknown")
    if network.get("masked") != [False] * (len(sizes) - 1):
        raise ModelFileError("an agent's value network has no masked links")
    return {f"net.{i}.{key}": shape for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))
            for key, shape in (("W", (n_in, n_out)), ("b", (n_out,)))}


def _state_shapes(state) -> dict:
    if not isinstance(state, dict) or not isinstance(state.get("info"), dict) or not isinstance(
            state.get("arrays"), dict):
        raise ModelFileError("state must be a JSON object with info and arrays")
    shapes = {}
    for name, entry in state["arrays"].items():
        shape = entry.get("shape") if isinstance(entry, dict) else None
        if (not isinstance(shape, list) or len(shape) > MAX_STATE_DIMS
                or not all(type(size) is int and 0 <= size <= MAX_LAYER_SIZE for size in shape)
                or entry.get("dtype") not in STATE_DTYPES):
            raise ModelFileError(f"state array {name!r} must have a shape and one of the dtypes "
                                 f"{', '.join(STATE_DTYPES)}")
        if all(shape):  # an empty array (a replay not filled yet) has no entry
            shapes[f"state.{name}"] = tuple(shape)
    return shapes


def array_shapes(meta) -> dict:
    if meta.get("agent") not in AGENTS:
        raise ModelFileError(f"agent must be one of {', '.join(AGENTS)}, not {meta.get('agent')!r}")
    if not isinstance(meta.get("spec"), dict):
        raise ModelFileError("spec must be a JSON object of the agent's settings")
    return {**_network_shapes(meta.get("network")), **_state_shapes(meta.get("state"))}


def build(description, arrays, metadata) -> Network:
    network = description["network"]
    layers = [{"W": arrays[f"net.{i}.W"], "b": arrays[f"net.{i}.b"], "mask": None}
              for i in range(len(network["sizes"]) - 1)]
    net = Network._from_sizes({**network, "dtype": description["dtype"]}, layers)
    net.activation = network.get("activation")
    net.metadata = {**metadata, "kind": description["agent"]}
    state = {}
    for name, entry in description["state"]["arrays"].items():
        dtype, shape = np.dtype(entry["dtype"]), tuple(entry["shape"])
        stored = arrays.get(f"state.{name}")
        if stored is None:
            state[name] = np.zeros(shape, dtype=dtype)
            continue
        if dtype.kind != "f" and not np.array_equal(stored, np.round(stored)):
            raise ModelFileError(f"state.{name} holds fractions where {dtype} numbers belong")
        state[name] = stored.astype(dtype)
    net.run_state = RunState(arrays=state, info=description["state"]["info"])
    net.file_spec = dict(description["spec"])
    return net


register_file_kind(FILE_KIND, array_shapes, build)

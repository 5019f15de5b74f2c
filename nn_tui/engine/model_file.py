"""The model file: one .npz written with ``np.savez``, never pickle.

Format 1 (MLPs and perceptrons): entries ``L{i}.W``, ``L{i}.b``, ``L{i}.mask``
(uint8, all ones when the layer has no mask) for every layer, and ``meta``:
UTF-8 JSON text stored as a uint8 array, holding the format name and version,
the model kind, sizes, activations, loss, dtype, and the caller's own metadata.

Format 2 (networks with other layers than Dense): ``meta`` holds ``layers``, a
list of {"type", "config"} (see layer_types.py), instead of sizes,
activations and masked, plus ``input_shape``; the entries are
``L{i}.{name}`` for each array the layer stores (Dense: W, b and, if masked,
mask; pooling, flatten and dropout: none; batch norm: gamma, beta and its
running_mean and running_var, which are state, not parameters; layer norm:
gamma, beta; self-attention: W_qkv, b_qkv, W_o, b_o). New layer types only add
names a file may hold, so every older file still reads.

Other file kinds (a character model, a GAN: models that are not one stack of
layers) are registered by the code that owns them (``register_file_kind``): their
``meta`` holds their own description, their entries are named arrays whose shapes
that description decides, and they go through the very same checks.

Network and Perceptron register how they are built from a checked file of
their built-in kind (``register_model_reader``), so this module imports
neither: ``load_model`` finds them in ``MODEL_READERS``.

Reading uses ``np.load(allow_pickle=False)`` and checks every name, shape and
type before anything is built, so a damaged or hostile file raises
``ModelFileError`` and never runs code.
"""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.atomic_file import replace_atomically
from nn_tui.engine.layer_types import LAYER_TYPES
from nn_tui.engine.losses import LOSSES

FORMAT_NAME = "nn-tui-model"
FORMAT_VERSION = 2  # the newest this nn-tui reads; MLPs are still written as 1
KINDS = ("network", "perceptron")
DTYPES = ("float64", "float32")

# Generous bounds that still refuse files asking for absurd allocations.
MAX_LAYER_SIZE = 1_000_000
# 20 M float64 parameters: 160 MB of weights, about 1 GB once grads, optimizer
# state and a loaded mask are counted. A file may compress 4 GB of zeros into
# 4 MB, so the declared sizes are refused before any entry is inflated.
MAX_PARAMS = 20_000_000
MAX_META_BYTES = 10_000_000
NPY_HEADER_SLACK = 4096


class ModelFileError(ValueError):
    """A model file that is missing, damaged, or not an nn-tui model. One-line message."""


class FileKind:
    """How files of a registered kind are read. ``array_shapes(meta)`` checks the
    description in ``meta`` (raising ModelFileError, or ValueError/TypeError with a
    one-line message) and returns {entry name: shape}, allocating nothing;
    ``build(description, arrays, metadata)`` makes the model from the checked arrays."""

    def __init__(self, name, array_shapes, build):
        self.name, self.array_shapes, self.build = name, array_shapes, build


FILE_KINDS: dict = {}
MODEL_READERS: dict = {}  # built-in kind -> from_file(contents, path), registered by its class


def register_model_reader(kind, from_file):
    """Let ``load_model`` build files of the built-in ``kind`` ("network",
    "perceptron") with ``from_file((description, arrays, metadata), path)``.
    The class of that kind calls this where it is defined."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a built-in model file kind (use register_file_kind)")
    MODEL_READERS[kind] = from_file


def register_file_kind(name, array_shapes, build):
    """Let model files of kind ``name`` be read (the owner of the kind calls this)."""
    if name in KINDS:
        raise ValueError(f"{name!r} is a built-in model file kind")
    FILE_KINDS[name] = FileKind(name, array_shapes, build)


_file_kind_finder = None


def set_file_kind_finder(find):
    """``find(name)`` imports the code that registers files of kind ``name`` (the
    kinds are imported on first use); it is called before a file of a kind not
    registered yet is refused as unknown."""
    global _file_kind_finder
    _file_kind_finder = find


def _meta_entry(kind, version, description, metadata):
    if metadata is not None and not isinstance(metadata, dict):
        raise ValueError("metadata must be a dict")
    meta = {"format": FORMAT_NAME, "version": version, "kind": kind, **description,
            "metadata": metadata or {}}
    try:
        meta_text = json.dumps(meta, default=_plain_json, allow_nan=True)
    except (TypeError, ValueError) as err:
        raise ValueError(f"metadata cannot be stored as JSON: {err}") from None
    return np.frombuffer(meta_text.encode("utf-8"), dtype=np.uint8)


def write_named_arrays(path, kind, description, arrays, metadata):
    """Atomically write a model of a registered file kind: ``arrays`` (entry name ->
    array, the names its ``array_shapes`` expects) and ``description`` + ``metadata``."""
    if kind not in FILE_KINDS:
        raise ValueError(f"model file kind {kind!r} is not registered")
    if "meta" in arrays:
        raise ValueError("an entry cannot be named meta")
    entries = {"meta": _meta_entry(kind, 2, description, metadata)}
    entries.update({name: np.asarray(array) for name, array in arrays.items()})
    _write_atomically(os.fspath(path), entries)


def write_model_file(path, kind, description, layers, metadata):
    """Atomically write ``layers`` (objects with ``params`` and ``mask``) and
    the JSON-able ``description`` + ``metadata`` to ``path``."""
    version = 2 if "layers" in description else 1
    arrays = {"meta": _meta_entry(kind, version, description, metadata)}
    for i, layer in enumerate(layers):
        if version == 2:
            arrays.update({f"L{i}.{name}": array for name, array in layer.arrays().items()})
            continue
        arrays[f"L{i}.W"] = layer.params["W"]
        arrays[f"L{i}.b"] = layer.params["b"]
        mask = layer.mask if layer.mask is not None else np.ones(layer.params["W"].shape)
        arrays[f"L{i}.mask"] = mask.astype(np.uint8)
    _write_atomically(os.fspath(path), arrays)


def _plain_json(value):
    # Let callers store numpy numbers and small arrays without converting them.
    if isinstance(value, (np.generic, np.ndarray)):
        return value.tolist()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _write_atomically(path, arrays):
    replace_atomically(path, lambda file: np.savez(file, **arrays))


def read_model_file(path, expected_kind=None):
    """Return ``(description, arrays, metadata)``: description is the checked
    meta dict, arrays a list of {"W", "b", "mask"} per layer."""
    path = os.fspath(path)
    try:
        contents = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ModelFileError(f"no model file at {path}") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path} is a directory, not a model file") from None
    except OSError as err:
        raise ModelFileError(f"cannot read {path}: {err.strerror or err}") from None
    except Exception:
        raise ModelFileError(f"{path} is not an nn-tui model file") from None
    if not isinstance(contents, np.lib.npyio.NpzFile):
        raise ModelFileError(f"{path} is not an nn-tui model file (not an .npz archive)")
    with contents:
        try:
            return _read_contents(contents, expected_kind)
        except ModelFileError as err:
            raise ModelFileError(f"{path}: {err}") from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, MemoryError):
            raise ModelFileError(f"{path} is damaged or truncated") from None


def _read_contents(npz, expected_kind):
    description = _read_meta(npz)
    kind = description["kind"]
    if expected_kind is not None and kind != expected_kind:
        raise ModelFileError(f"holds a {kind}, not a {expected_kind}")
    if kind in FILE_KINDS:
        return _read_named_contents(npz, description)
    if description["version"] >= 2:
        return _read_layer_list_contents(npz, description)
    description.pop("layers", None)  # format 1 has sizes; a stray layer list means nothing
    sizes = description["sizes"]
    expected_names = {"meta"}
    for i in range(len(sizes) - 1):
        expected_names |= {f"L{i}.W", f"L{i}.b", f"L{i}.mask"}
    _check_entries(npz, expected_names)
    arrays = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layer = {
            "W": _read_array(npz, f"L{i}.W", (n_in, n_out), "f"),
            "b": _read_array(npz, f"L{i}.b", (n_out,), "f"),
            "mask": _read_array(npz, f"L{i}.mask", (n_in, n_out), "biuf"),
        }
        if not np.isin(layer["mask"], (0, 1)).all():
            raise ModelFileError(f"L{i}.mask holds values other than 0 and 1")
        arrays.append(layer)
    metadata = description.pop("metadata")
    return description, arrays, metadata


def _read_layer_list_contents(npz, description):
    shapes = description.pop("_array_shapes")  # put there by _check_layer_list
    expected_names = {"meta"} | {f"L{i}.{name}" for i, layer in enumerate(shapes) for name in layer}
    _check_entries(npz, expected_names)
    arrays = [{name: _read_array(npz, f"L{i}.{name}", shape, "biuf" if name == "mask" else "f")
               for name, shape in layer.items()} for i, layer in enumerate(shapes)]
    metadata = description.pop("metadata")
    return description, arrays, metadata


def _read_named_contents(npz, description):
    shapes = description.pop("_named_shapes")  # put there by _check_named_arrays
    expected_names = {"meta"} | set(shapes)
    _check_entries(npz, expected_names)
    arrays = {name: _read_array(npz, name, shape, "f") for name, shape in shapes.items()}
    metadata = description.pop("metadata")
    return description, arrays, metadata


def _check_entries(npz, expected_names) -> None:
    """The archive holds exactly these entries: none missing, none unknown."""
    missing = sorted(expected_names - set(npz.files))
    if missing:
        raise ModelFileError(f"missing {', '.join(missing)}")
    unexpected = sorted(set(npz.files) - expected_names)
    if unexpected:
        raise ModelFileError(f"unexpected entries {', '.join(unexpected)}")


def _read_array(npz, name, shape, kinds):
    # Check the stored size before decompressing so a hostile header cannot
    # make us allocate gigabytes.
    stored_size = npz.zip.getinfo(name + ".npy").file_size
    if stored_size > int(np.prod(shape)) * 8 + NPY_HEADER_SLACK:
        raise ModelFileError(f"{name} is larger than shape {shape} allows")
    _check_npy_header(npz, name, shape)
    try:
        array = npz[name]
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise ModelFileError(f"{name} holds pickled Python objects, which are never loaded") from None
        raise
    if array.dtype.kind not in kinds:
        raise ModelFileError(f"{name} has dtype {array.dtype}, expected a number type")
    if array.shape != shape:
        raise ModelFileError(f"{name} has shape {array.shape}, expected {shape}")
    _check_finite(name, array)
    return array


def _npy_header(npz, name):
    """(shape, dtype) from an entry's .npy header, read without its data."""
    with npz.zip.open(name + ".npy") as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(member)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise ModelFileError(f"{name} has .npy format {version}, which is not read")
    return shape, dtype


def _check_npy_header(npz, name, shape):
    # The zip's size fields are the writer's word; numpy allocates what the
    # .npy header declares. Check that header against the meta's shapes first.
    stored_shape, dtype = _npy_header(npz, name)
    if dtype.hasobject:
        raise ModelFileError(f"{name} holds pickled Python objects, which are never loaded")
    if tuple(stored_shape) != tuple(shape):
        raise ModelFileError(f"{name} has shape {tuple(stored_shape)}, expected {tuple(shape)}")
    if dtype.itemsize > 8:
        raise ModelFileError(f"{name} has dtype {dtype}, expected a number type")


def _check_finite(name, array):
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ModelFileError(f"{name} holds NaN or infinite values (saved from a run that diverged?)")


def _read_meta(npz):
    if "meta" not in npz.files:
        raise ModelFileError("missing meta")
    if npz.zip.getinfo("meta.npy").file_size > MAX_META_BYTES:
        raise ModelFileError("meta is too large")
    _check_meta_header(npz)
    raw = npz["meta"]
    if raw.dtype == np.uint8 and raw.ndim == 1:
        text = raw.tobytes().decode("utf-8")
    elif raw.dtype.kind == "U" and raw.ndim == 0:
        text = str(raw[()])
    else:
        raise ModelFileError("meta is not JSON text")
    try:
        meta = json.loads(text)
    except json.JSONDecodeError:
        raise ModelFileError("meta is not valid JSON") from None
    except RecursionError:
        raise ModelFileError("meta nests its JSON too deeply") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelFileError("not an nn-tui model file")
    version = meta.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ModelFileError(f"format version {version!r} is not supported (this nn-tui reads {FORMAT_VERSION})")
    _check_meta(meta)
    return meta


def _check_meta_header(npz):
    shape, dtype = _npy_header(npz, "meta")
    if dtype.hasobject or int(np.prod(shape)) * dtype.itemsize > MAX_META_BYTES:
        raise ModelFileError("meta is too large or not text")


# JSON types of the fields every kind shares, checked before any value is
# looked up (a list as "loss" would make `in LOSSES` raise TypeError).
FIELD_TYPES = {"kind": str, "loss": str, "dtype": str, "activation": (str, type(None)),
               "sizes": list, "activations": list, "masked": list, "layers": list,
               "input_shape": (list, type(None)), "metadata": dict}


def _check_field_types(meta):
    if type(meta.get("version")) is not int:
        raise ModelFileError("version must be an integer")
    for field, types in FIELD_TYPES.items():
        if field in meta and not isinstance(meta[field], types):
            raise ModelFileError(f"{field} must be {_json_type_name(types)}, "
                                 f"not {_json_type_name(type(meta[field]))}")
    for field in ("sizes", "input_shape"):
        values = meta.get(field)
        if isinstance(values, list) and not all(type(value) is int and value >= 1 for value in values):
            raise ModelFileError(f"{field} must hold positive integers (not true/false, text or numbers below 1)")
    activations = meta.get("activations")
    if isinstance(activations, list) and not all(isinstance(name, str) for name in activations):
        raise ModelFileError("activations must hold names (text)")


def _json_type_name(types):
    names = {str: "text", list: "a list", dict: "an object", type(None): "null", bool: "true/false",
             int: "a number", float: "a number"}
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(names.get(kind, kind.__name__) for kind in types)


def _check_meta(meta):
    _check_field_types(meta)
    kind = meta.get("kind")
    if kind not in FILE_KINDS and kind not in KINDS and _file_kind_finder is not None:
        _file_kind_finder(kind)
    if kind in FILE_KINDS:
        _check_named_arrays(meta)
        return
    if kind not in KINDS:
        raise ModelFileError(f"unknown model kind {kind!r}")
    if meta["version"] >= 2:
        _check_layer_list(meta)
        return
    sizes = meta.get("sizes")
    if (not isinstance(sizes, list) or len(sizes) < 2
            or not all(type(size) is int and 1 <= size <= MAX_LAYER_SIZE for size in sizes)):
        raise ModelFileError("sizes must be a list of at least two positive integers")
    if sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:])) > MAX_PARAMS:
        raise ModelFileError("model is too large")
    if meta.get("dtype") not in DTYPES:
        raise ModelFileError(f"unsupported dtype {meta.get('dtype')!r}")
    if not isinstance(meta.get("metadata", {}), dict):
        raise ModelFileError("metadata must be a JSON object")
    meta.setdefault("metadata", {})
    n_layers = len(sizes) - 1
    if kind == "perceptron":
        if n_layers != 1 or sizes[1] != 1:
            raise ModelFileError("a perceptron has sizes [n_in, 1]")
        return
    activations = meta.get("activations")
    if (not isinstance(activations, list) or len(activations) != n_layers
            or not all(isinstance(name, str) and name in ACTIVATIONS for name in activations)):
        raise ModelFileError("activations must name one known activation per layer")
    if meta.get("loss") not in LOSSES:
        raise ModelFileError(f"unknown loss {meta.get('loss')!r}")
    masked = meta.get("masked")
    if not isinstance(masked, list) or len(masked) != n_layers or not all(isinstance(m, bool) for m in masked):
        raise ModelFileError("masked must be one true/false per layer")
    activation = meta.get("activation")
    if activation is not None and activation not in ACTIVATIONS:
        raise ModelFileError(f"unknown activation {activation!r}")


def _check_layer_list(meta):
    if meta["kind"] != "network":
        raise ModelFileError("only networks have a layer list")
    layers = meta.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ModelFileError("layers must be a non-empty list")
    shapes = []
    for i, entry in enumerate(layers):
        if (not isinstance(entry, dict) or set(entry) != {"type", "config"}
                or not isinstance(entry["config"], dict)):
            raise ModelFileError(f"layer {i} must be {{\"type\": ..., \"config\": {{...}}}}")
        layer_type = LAYER_TYPES.get(entry["type"]) if isinstance(entry["type"], str) else None
        if layer_type is None:
            raise ModelFileError(f"layer {i} has unknown type {entry['type']!r}")
        try:
            layer_shapes = layer_type.array_shapes(entry["config"])
        except (ValueError, TypeError) as err:
            raise ModelFileError(f"layer {i} ({entry['type']}): {err}") from None
        if any(size > MAX_LAYER_SIZE for shape in layer_shapes.values() for size in shape):
            raise ModelFileError(f"layer {i} is too large")
        shapes.append(layer_shapes)
    if sum(int(np.prod(shape)) for layer in shapes for shape in layer.values()) > MAX_PARAMS:
        raise ModelFileError("model is too large")
    input_shape = meta.get("input_shape")
    if input_shape is not None and (
            not isinstance(input_shape, list) or not input_shape
            or not all(type(size) is int and 1 <= size <= MAX_LAYER_SIZE for size in input_shape)):
        raise ModelFileError("input_shape must be a list of positive integers")
    if meta.get("dtype") not in DTYPES:
        raise ModelFileError(f"unsupported dtype {meta.get('dtype')!r}")
    if meta.get("loss") not in LOSSES:
        raise ModelFileError(f"unknown loss {meta.get('loss')!r}")
    activation = meta.get("activation")
    if activation is not None and activation not in ACTIVATIONS:
        raise ModelFileError(f"unknown activation {activation!r}")
    if not isinstance(meta.get("metadata", {}), dict):
        raise ModelFileError("metadata must be a JSON object")
    meta.setdefault("metadata", {})
    meta["_array_shapes"] = shapes


def _check_named_arrays(meta):
    if meta.get("dtype") not in DTYPES:
        raise ModelFileError(f"unsupported dtype {meta.get('dtype')!r}")
    if not isinstance(meta.get("metadata", {}), dict):
        raise ModelFileError("metadata must be a JSON object")
    meta.setdefault("metadata", {})
    kind = meta["kind"]
    try:
        shapes = FILE_KINDS[kind].array_shapes(meta)
    except ModelFileError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        raise ModelFileError(f"its {kind} description is invalid: {err}") from None
    total = 0
    for name, shape in shapes.items():
        if name == "meta" or not all(type(size) is int and 1 <= size <= MAX_LAYER_SIZE for size in shape):
            raise ModelFileError(f"its {kind} description asks for an entry {name} of shape {shape}")
        total += int(np.prod(shape))
    if total > MAX_PARAMS:
        raise ModelFileError("model is too large")
    meta["_named_shapes"] = {name: tuple(shape) for name, shape in shapes.items()}


def load_model(path):
    """A Network or a Perceptron, or a model of a registered file kind: whichever the file holds."""
    contents = read_model_file(path)
    file_kind = FILE_KINDS.get(contents[0]["kind"])
    if file_kind is not None:
        try:
            return file_kind.build(*contents)
        except ValueError as err:  # ModelFileError included: a combination the model refuses
            raise ModelFileError(f"{os.fspath(path)}: {err}") from None
    reader = MODEL_READERS.get(contents[0]["kind"])
    if reader is None:  # nn_tui.engine registers both; only a half-imported engine gets here
        raise ModelFileError(f"{os.fspath(path)}: no reader for {contents[0]['kind']} files is loaded")
    return reader(contents, path)

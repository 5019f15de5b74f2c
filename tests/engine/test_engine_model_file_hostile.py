"""Hostile model files (issue 12): deep JSON, wrong JSON types, decompression
bombs, lying .npy headers and NaN weights all end in one ModelFileError line.
Every hostile file is written here, byte by byte where numpy would not."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

from nn_tui.engine import ModelFileError, Network, load_model
from nn_tui.engine.model_file import MAX_PARAMS


def saved_arrays(tmp_path):
    Network.mlp(2, [3], 1).save(tmp_path / "good.npz")
    with np.load(tmp_path / "good.npz", allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def write_npz(path, arrays):
    with open(path, "wb") as file:
        np.savez(file, **arrays)
    return path


def meta_of(arrays):
    return json.loads(arrays["meta"].tobytes())


def with_meta_text(arrays, text):
    return {**arrays, "meta": np.frombuffer(text.encode(), dtype=np.uint8)}


def load_error(path) -> str:
    with pytest.raises(ModelFileError) as info:
        load_model(path)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300
    return message


# ------------------------------------------------------------ deep JSON --


def test_json_nested_two_hundred_thousand_brackets_is_one_line(tmp_path):
    arrays = with_meta_text(saved_arrays(tmp_path), "[" * 200_000 + "]" * 200_000)
    assert "meta nests its JSON too deeply" in load_error(write_npz(tmp_path / "deep.npz", arrays))


def test_deep_nesting_inside_the_callers_metadata_is_one_line(tmp_path):
    arrays = saved_arrays(tmp_path)
    text = json.dumps(meta_of(arrays)).replace('"metadata": {}', '"metadata": {"x": ' + "[" * 200_000 + "]" * 200_000 + "}")
    assert "too deeply" in load_error(write_npz(tmp_path / "deep.npz", with_meta_text(arrays, text)))


# --------------------------------------------------------- wrong types --


@pytest.mark.parametrize(
    ("change", "phrase"),
    [
        ({"loss": ["bce"]}, "loss must be text, not a list"),
        ({"activation": {}}, "activation must be text or null, not an object"),
        ({"kind": {"a": 1}}, "kind must be text, not an object"),
        ({"dtype": ["float64"]}, "dtype must be text, not a list"),
        ({"sizes": ["2", "3", "1"]}, "sizes must hold positive integers"),
        ({"sizes": [2, -3, 1]}, "sizes must hold positive integers"),
        ({"sizes": [2, True, 1]}, "sizes must hold positive integers"),
        ({"sizes": [2, 3.0, 1]}, "sizes must hold positive integers"),
        ({"sizes": "2,3,1"}, "sizes must be a list, not text"),
        ({"activations": [["tanh"], "sigmoid"]}, "activations must hold names"),
        ({"activations": {"0": "tanh"}}, "activations must be a list"),
        ({"masked": "no"}, "masked must be a list"),
        ({"version": True}, "version must be an integer"),
        ({"metadata": "hello"}, "metadata must be an object"),
    ],
)
def test_wrong_json_types_are_one_line(tmp_path, change, phrase):
    arrays = saved_arrays(tmp_path)
    meta = {**meta_of(arrays), **change}
    path = write_npz(tmp_path / "bad.npz", with_meta_text(arrays, json.dumps(meta)))
    assert phrase in load_error(path)


# ------------------------------------------------------------ bombs --


def deflated_zeros_member(zf, name, shape, dtype="<f8"):
    """Write ``name`` as an .npy entry of zeros declaring ``shape``, deflated
    as a stream (the test never holds the inflated bytes)."""
    header = io_header(shape, dtype)
    n_bytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as member:
        member.write(header)
        block = bytes(1 << 20)
        for _ in range(n_bytes // len(block)):
            member.write(block)
        member.write(bytes(n_bytes % len(block)))


def io_header(shape, dtype="<f8"):
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()  # magic string included


def test_a_small_file_declaring_gigabytes_of_zeros_is_refused_before_inflating(tmp_path):
    # sizes [5000, 4001]: 20 M weights, 160 MB of zeros (1000 times that is
    # how 4.7 GB fits in a few MB); the meta alone already refuses it.
    sizes = [5000, 4001, 1]
    arrays = saved_arrays(tmp_path)
    meta = {**meta_of(arrays), "sizes": sizes, "activations": ["tanh", "sigmoid"], "masked": [False, False]}
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("meta.npy", io_header((len(json.dumps(meta)),), "|u1") + json.dumps(meta).encode())
        for name, shape in (("L0.W", (5000, 4001)), ("L0.b", (4001,)), ("L1.W", (4001, 1)), ("L1.b", (1,))):
            deflated_zeros_member(zf, name + ".npy", shape)
        for name, shape in (("L0.mask", (5000, 4001)), ("L1.mask", (4001, 1))):
            deflated_zeros_member(zf, name + ".npy", shape, "|u1")
    assert path.stat().st_size < 5_000_000
    assert sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:])) > MAX_PARAMS
    assert load_error(path).endswith("model is too large")


def test_an_npy_header_declaring_more_than_the_meta_is_refused_before_its_data(tmp_path):
    # The zip entry is small and honest about it; its .npy header asks numpy
    # for 48 GB. Only reading that header first keeps numpy from allocating it.
    arrays = saved_arrays(tmp_path)
    path = write_npz(tmp_path / "lying.npz", arrays)
    rebuilt = tmp_path / "rebuilt.npz"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(rebuilt, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "L0.W.npy":
                data = io_header((2, 3, 10**9)) + bytes(48)
            target.writestr(item.filename, data)
    message = load_error(rebuilt)
    assert "L0.W has shape (2, 3, 1000000000), expected (2, 3)" in message


# ------------------------------------------------------------ NaN --


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("entry", ["L0.W", "L1.b"])
def test_nan_or_infinite_weights_are_refused_and_say_so(tmp_path, entry, value):
    arrays = saved_arrays(tmp_path)
    arrays[entry] = arrays[entry].copy()
    arrays[entry].flat[0] = value
    message = load_error(write_npz(tmp_path / "nan.npz", arrays))
    assert f"{entry} holds NaN or infinite values" in message

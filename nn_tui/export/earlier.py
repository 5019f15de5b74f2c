"""Is a file an earlier nn-tui export of a format? Only those are replaced unasked
(``nn-tui export -o PATH`` without --force), as ``--save`` replaces only model files:
a user's CSV named by mistake is refused, not lost.

Each check reads a few kilobytes at most and never runs or unpickles anything:

- json: a JSON object whose first key is ``"format": "nn-tui-export"`` (to_json writes it
  first; any spacing, so a pretty-printed export still counts);
- onnx: a ModelProto whose producer_name is "nn-tui". Protobuf writes fields in number
  order, so such a file starts with ir_version (field 1, a varint) and then
  producer_name (field 2, a string);
- torch: the .py carries the line to_torch's template writes; the .pt is a zip
  (torch.save's format) named by the .py beside it.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from nn_tui.export.to_torch import module_paths

HEAD_BYTES = 4096
JSON_MARK = re.compile(rb'\A\s*\{\s*"format"\s*:\s*"nn-tui-export"')
TORCH_MODULE_MARK = b"Written by `nn-tui export --to torch`"
ONNX_PRODUCER = b"nn-tui"

# What each format is called in a refusal ("... is not an nn-tui ONNX export").
FORMAT_NAMES = {"json": "JSON", "onnx": "ONNX", "torch": "PyTorch"}


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(HEAD_BYTES)
    except OSError:
        return b""


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """A protobuf varint at `at`: (value, the index after it); ValueError when cut short."""
    value = shift = 0
    while at < len(data) and shift < 64:
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7
    raise ValueError("not a varint")


def is_onnx_export(path: Path) -> bool:
    head = _head(path)
    try:
        if head[:1] != b"\x08":  # field 1 (ir_version), varint
            return False
        _, at = _varint(head, 1)
        if head[at:at + 1] != b"\x12":  # field 2 (producer_name), length-delimited
            return False
        length, at = _varint(head, at + 1)
    except ValueError:
        return False
    return head[at:at + length] == ONNX_PRODUCER


def is_json_export(path: Path) -> bool:
    return JSON_MARK.match(_head(path)) is not None


def is_torch_module_export(path: Path) -> bool:
    return TORCH_MODULE_MARK in _head(path)


def is_torch_weights_export(path: Path) -> bool:
    module = path.with_suffix(".py")
    return (zipfile.is_zipfile(path) and is_torch_module_export(module)
            and f"reads {path.name} beside this file".encode() in _head(module))


def is_earlier_export(path, to: str) -> bool:
    """Does `path` hold what `nn-tui export --to <to>` wrote (so replacing it loses nothing)?"""
    path = Path(path)
    if to == "torch":
        return is_torch_module_export(path) if path.suffix == ".py" else is_torch_weights_export(path)
    return {"json": is_json_export, "onnx": is_onnx_export}[to](path)


def export_targets(to: str, path) -> list[str]:
    """Every file `export --to <to>` writes for -o PATH (torch: the .pt and its .py).
    ExportError when PATH cannot be one (a torch module name Python cannot import)."""
    if to == "torch":
        return list(module_paths(path))
    return [os.fspath(path)]

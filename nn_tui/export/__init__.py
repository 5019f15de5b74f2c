"""Take an nn-tui model elsewhere: ``nn-tui export MODEL.npz --to onnx|torch|json``.

    source = source_from_file("circle.npz")
    export(source, "onnx", "circle.onnx")

Each format is one module (to_onnx, to_torch, to_json) with a table ``LAYERS``:
export type -> one small function. A new engine layer (Conv2D, MaxPool2D,
Flatten, LSTM, ...) is exported by adding its class to ``source.LAYER_TYPES``
and one function to each format's table; a layer a format does not know yet
is refused in one line before anything is written.
"""

from __future__ import annotations

import importlib
import os

from nn_tui.export.source import ExportError, ExportSource, source_from_file, source_from_model

# format -> (file suffix, module, function name); imported on use, so the json
# format works without onnx or torch installed.
FORMATS = {
    "onnx": (".onnx", "nn_tui.export.to_onnx", "export_onnx"),
    "torch": (".pt", "nn_tui.export.to_torch", "export_torch"),
    "json": (".json", "nn_tui.export.to_json", "export_json"),
}


def default_path(model_path, to: str) -> str:
    """circle.npz -> circle.onnx / circle.pt (+ circle.py) / circle.json."""
    stem = os.path.splitext(os.fspath(model_path))[0]
    return stem + FORMATS[to][0]


def export(source: ExportSource, to: str, path) -> str:
    """Write ``source`` in format ``to`` at ``path``; returns a line saying what was written."""
    if to not in FORMATS:
        raise ExportError(f"unknown export format {to!r}; choose one of: {', '.join(FORMATS)}")
    _, module_name, function = FORMATS[to]
    return getattr(importlib.import_module(module_name), function)(source, os.fspath(path))


__all__ = ["FORMATS", "ExportError", "ExportSource", "default_path", "export", "source_from_file",
           "source_from_model"]

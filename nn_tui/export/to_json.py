"""``--to json``: architecture and weights as plain JSON, for any other tool.

    {"format": "nn-tui-export", "version": 1, "kind": "mlp", "dtype": "float64",
     "input": {"shape": [2], "names": ["x1", "x2"]},
     "layers": [{"type": "dense", "in": 2, "out": 4, "activation": "tanh",
                 "weight": [[...], ...],   # n_in rows of n_out: y = act(x @ weight + bias)
                 "bias": [...], "mask": null}, ...],
     "activations": {...how each is computed...}, "metadata": {...}}

Image layers (channels first, (C, H, W) per sample): "conv2d" (weight
(out, in, k, k), stride 1, zero padding), "maxpool2d" (2×2, stride 2, floor),
"flatten" (C, H, W order).

Training-time layers, in evaluation form: "batchnorm" (axis 1: the features of a
dense layer's output, the channels of an image; y = gamma·(x − running_mean) /
sqrt(running_var + eps) + beta) and "dropout" (p, the rate it trained with: the
identity when predicting).

Numbers are written with Python's shortest round-trip repr, so reading them
back as the model's dtype gives the exact weights.
"""

from __future__ import annotations

import json

import numpy as np

from nn_tui.export.source import ExportError, layer_type, mask_of, weights_and_bias
from nn_tui.export.writing import write_text

FORMAT_NAME = "nn-tui-export"
FORMAT_VERSION = 1

# How each activation is computed, so a reader needs no nn-tui code.
ACTIVATION_FORMULAS = {
    "linear": "z",
    "sigmoid": "1 / (1 + exp(-z))",
    "tanh": "tanh(z)",
    "relu": "max(z, 0)",
    "leaky_relu": "max(z, 0.01 * z)",
    "softmax": "exp(z) / sum(exp(z)) over each row",
    "step": "1 if z >= 0 else 0",
}


def dense(layer) -> dict:
    weight, bias = weights_and_bias(layer)
    mask = mask_of(layer)
    return {
        "type": "dense",
        "in": int(weight.shape[0]),
        "out": int(weight.shape[1]),
        "activation": layer.activation,
        "weight": weight.tolist(),
        "bias": bias.tolist(),
        "mask": None if mask is None else mask.astype(int).tolist(),
    }


def conv2d(layer) -> dict:
    weight, bias = weights_and_bias(layer)
    return {
        "type": "conv2d",
        "in_channels": int(weight.shape[1]),
        "out_channels": int(weight.shape[0]),
        "kernel": int(weight.shape[2]),
        "stride": 1,
        "padding": int(layer.padding),  # zeros on every side
        "activation": layer.activation,
        "weight": weight.tolist(),  # (out, in, k, k): y[o] = act(b[o] + sum over c, i, j of w[o, c, i, j] x[c, y+i, x+j])
        "bias": bias.tolist(),
    }


def maxpool2d(layer) -> dict:
    return {"type": "maxpool2d", "size": 2, "stride": 2, "rounding": "floor"}


def flatten(layer) -> dict:
    return {"type": "flatten", "order": "C,H,W"}


def batchnorm(layer) -> dict:
    return {
        "type": "batchnorm",
        "over": "channels" if layer_type(layer) == "batchnorm2d" else "features",  # axis 1 either way
        "features": int(layer.n),
        "eps": float(layer.eps),
        "formula": "gamma * (x - running_mean) / sqrt(running_var + eps) + beta",
        **{name: np.asarray(layer.params[name]).tolist() for name in ("gamma", "beta")},
        **{name: np.asarray(layer.buffers[name]).tolist() for name in ("running_mean", "running_var")},
    }


def dropout(layer) -> dict:
    return {"type": "dropout", "p": float(layer.p), "formula": "x (dropout acts only while training)"}


# Export type -> function(layer) -> JSON object. One small function per type.
LAYERS = {"dense": dense, "conv2d": conv2d, "maxpool2d": maxpool2d, "flatten": flatten,
          "batchnorm1d": batchnorm, "batchnorm2d": batchnorm, "dropout": dropout}


def export_json(source, path) -> str:
    layers = []
    for layer in source.layers:
        kind = layer_type(layer)
        if kind not in LAYERS:
            raise ExportError(f"json export does not support {kind} layers yet")
        layers.append(LAYERS[kind](layer))
    used = sorted({layer["activation"] for layer in layers if "activation" in layer})
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "kind": source.kind,
        "dtype": source.dtype.name,
        "input": {"shape": list(source.input_shape), "names": source.input_names},
        "output": {"names": source.class_names},
        "loss": source.loss,
        "layers": layers,
        "activations": {name: ACTIVATION_FORMULAS[name] for name in used if name in ACTIVATION_FORMULAS},
        "metadata": source.metadata,
    }
    try:
        text = json.dumps(document, allow_nan=False)
    except ValueError:
        raise ExportError("the model holds NaN or infinite weights, which plain JSON cannot carry") from None
    write_text(path, text + "\n")
    return f"wrote {path} (JSON, {len(layers)} layers)"

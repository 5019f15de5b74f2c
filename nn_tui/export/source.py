"""What every exporter reads: a loaded nn-tui model, described once.

Exporters never look at model files or engine classes directly; they walk
``ExportSource.layers`` and look each layer's *type* up in their own table of
one small function per type (see ``layer_type``). Adding a layer type to the
engine means one entry in ``LAYER_TYPES`` here and one function per format.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field

import numpy as np

import nn_tui.kinds  # noqa: F401  (reads the kinds' own model files: a GAN's, a character model's; it loads the kind on reading one)
from nn_tui.engine import Network, Perceptron, load_model
from nn_tui.settings import ConfigError


class ExportError(ConfigError):
    """A model that cannot be exported, or a write that failed. One-line message; a
    ConfigError, so that it is among nn_tui.user_errors.USER_ERRORS."""


# Engine class name -> the export type its exporters are keyed by, for layers
# without a ``type_name`` of their own. The perceptron is one dense unit with a
# step activation: same arrays, same shape.
LAYER_TYPES = {
    "Dense": "dense",
    "Perceptron": "dense",
    "Conv2D": "conv2d",
    "MaxPool2D": "maxpool2d",
    "Flatten": "flatten",
}


@dataclass(frozen=True, eq=False)
class ExportSource:
    """A model ready to export. ``input_shape`` excludes the batch axis."""

    name: str  # the model file's stem, used in generated names and comments
    kind: str  # the model kind: "mlp", "perceptron", "cnn", "autoencoder", ...
    dtype: np.dtype
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    layers: tuple
    loss: str | None = None
    metadata: dict = field(default_factory=dict)

    @property
    def input_names(self):
        """Names of the input columns when the file recorded them (x1, x2, x1sq, ...)."""
        names = self.metadata.get("inputs")
        return list(names) if isinstance(names, list) else None

    @property
    def class_names(self):
        names = self.metadata.get("class_names")
        return list(names) if isinstance(names, list) else None


def layer_type(layer) -> str:
    kind = LAYER_TYPES.get(type(layer).__name__) or getattr(layer, "type_name", None)
    if kind is None:
        raise ExportError(f"cannot export {type(layer).__name__} layers yet")
    return kind


def source_from_model(model, name="model") -> ExportSource:
    """Describe a loaded Network or Perceptron (anything with ``layers``)."""
    layers = getattr(model, "layers", None)
    if not layers:
        raise ExportError(f"cannot export a {type(model).__name__}: it has no layers to export")
    for layer in layers:
        layer_type(layer)  # refuse up front, before any file is written
    metadata = dict(getattr(model, "metadata", {}) or {})
    # The model kind that trained it (mlp, cnn, autoencoder, ...) when the file says.
    kind = metadata.get("kind")
    if not isinstance(kind, str):
        kind = "perceptron" if type(model).__name__ == "Perceptron" else "network"
    input_shape = getattr(model, "input_shape", None) or (int(model.sizes[0]),)
    loss = getattr(model, "loss_name", None)
    dtype = np.dtype(model.dtype)
    # One forward on a zero row tells the output shape whatever the layers are.
    # (In evaluation mode: batch norm trains on no batch of one, and dropout draws nothing.)
    evaluating = getattr(model, "evaluating", contextlib.nullcontext)
    with np.errstate(all="ignore"), evaluating():  # a diverged model still has a shape
        output_shape = np.shape(model.forward(np.zeros((1, *input_shape), dtype=dtype)))[1:]
    return ExportSource(name=name, kind=kind, dtype=dtype, input_shape=tuple(input_shape),
                        output_shape=tuple(output_shape), layers=tuple(layers), loss=loss, metadata=metadata)


def source_from_file(path) -> ExportSource:
    """Load an nn-tui model file; ModelFileError for a bad file, ExportError for
    a model that has nothing exportable."""
    model = load_model(path)
    if not isinstance(model, (Network, Perceptron)):
        kind = (getattr(model, "metadata", None) or {}).get("kind") or type(model).__name__
        layers = ", ".join(sorted(set(LAYER_TYPES.values())))
        article = "an" if str(kind)[:1].lower() in "aeiou" else "a"
        raise ExportError(f"cannot export {article} {kind} model yet: nn-tui export writes networks of {layers} layers "
                          "(the file trains on with nn-tui train --load)")
    return source_from_model(model, name=os.path.splitext(os.path.basename(os.fspath(path)))[0])


def weights_and_bias(layer):
    """A layer's W and b: (n_in, n_out) and (n_out,) for a dense layer, as
    y = x @ W + b (masked weights are already zero: the engine keeps them so);
    (out, in, k, k) and (out,) for a convolution."""
    return np.asarray(layer.params["W"]), np.asarray(layer.params["b"])


def batchnorm_affine(layer):
    """Batch norm in evaluation as the affine map it is: (scale, shift), each (n,), with
    y = x·scale + shift per feature (channel), scale = γ/√(running var + eps) and
    shift = β − running mean·scale."""
    gamma, beta = np.asarray(layer.params["gamma"]), np.asarray(layer.params["beta"])
    mean, var = np.asarray(layer.buffers["running_mean"]), np.asarray(layer.buffers["running_var"])
    scale = gamma / np.sqrt(var + layer.dtype.type(layer.eps))
    return scale, beta - mean * scale


def mask_of(layer):
    """The 0/1 connectivity mask (n_in, n_out), or None when fully connected."""
    mask = getattr(layer, "mask", None)
    return None if mask is None else np.asarray(mask)

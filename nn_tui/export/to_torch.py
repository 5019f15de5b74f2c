"""``--to torch``: a ``state_dict`` file (``.pt``) and a short Python file
beside it (same name, ``.py``) with the matching ``nn.Module``:

    from circle import load      # circle.py, next to circle.pt
    model = load()               # NNTuiModel with the weights, in eval mode
    y = model(torch.tensor(x, dtype=torch.float64))

The module returns what nn-tui's ``forward`` returns (probabilities for
sigmoid/softmax outputs). A masked layer keeps its mask as a buffer and
applies it in ``forward``, so training on in PyTorch keeps the cut links cut.
The state_dict is read with ``torch.load(weights_only=True)``: tensors only.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

import numpy as np

from nn_tui.export.source import ExportError, layer_type, mask_of, weights_and_bias
from nn_tui.export.writing import write_bytes, write_text

# nn-tui activation -> a PyTorch expression around "{}".
ACTIVATIONS = {
    "linear": "{}",
    "sigmoid": "torch.sigmoid({})",
    "tanh": "torch.tanh({})",
    "relu": "torch.relu({})",
    "leaky_relu": "nn.functional.leaky_relu({}, 0.01)",
    "softmax": "torch.softmax({}, dim=-1)",
    "step": "({} >= 0).to(DTYPE)",  # Heaviside with step(0) = 1
}


@dataclass
class TorchLayer:
    """One layer's share of the generated module."""

    init: list[str]  # lines for __init__
    forward: list[str]  # lines for forward, reading and rebinding x
    state: dict  # state_dict entries: name -> numpy array (PyTorch's layout)


def apply_activation(name, expression):
    if name not in ACTIVATIONS:
        raise ExportError(f"torch export does not know the activation {name!r}")
    return ACTIVATIONS[name].format(expression)


def dense(layer, i) -> TorchLayer:
    weight, bias = weights_and_bias(layer)
    mask = mask_of(layer)
    n_in, n_out = weight.shape
    init = [f"self.fc{i} = nn.Linear({n_in}, {n_out}, dtype=DTYPE)"]
    state = {f"fc{i}.weight": weight.T, f"fc{i}.bias": bias}  # nn.Linear keeps W as (out, in)
    if mask is None:
        z = f"self.fc{i}(x)"
    else:
        init.append(f'self.register_buffer("mask{i}", torch.ones({n_out}, {n_in}, dtype=DTYPE))')
        state[f"mask{i}"] = mask.T
        z = f"nn.functional.linear(x, self.fc{i}.weight * self.mask{i}, self.fc{i}.bias)"
    return TorchLayer(init, [f"x = {apply_activation(layer.activation, z)}"], state)


def conv2d(layer, i) -> TorchLayer:
    weight, bias = weights_and_bias(layer)  # (out, in, k, k): PyTorch's layout already
    out_ch, in_ch, k, _ = weight.shape
    init = [f"self.conv{i} = nn.Conv2d({in_ch}, {out_ch}, {k}, padding={layer.padding}, dtype=DTYPE)"]
    return TorchLayer(init, [f"x = {apply_activation(layer.activation, f'self.conv{i}(x)')}"],
                      {f"conv{i}.weight": weight, f"conv{i}.bias": bias})


def maxpool2d(layer, i) -> TorchLayer:
    return TorchLayer([], ["x = nn.functional.max_pool2d(x, 2)"], {})  # 2×2, stride 2, floor


def flatten(layer, i) -> TorchLayer:
    return TorchLayer([], ["x = torch.flatten(x, 1)"], {})  # C, H, W order, as the engine


def batchnorm(layer, i) -> TorchLayer:
    """PyTorch's own BatchNorm1d/2d (the same statistics, eps and momentum): it trains on
    in PyTorch as it did here, and uses the running statistics in eval mode."""
    cls = "BatchNorm2d" if layer_type(layer) == "batchnorm2d" else "BatchNorm1d"
    init = [f"self.bn{i} = nn.{cls}({layer.n}, eps={layer.eps!r}, momentum={layer.momentum!r}, dtype=DTYPE)"]
    state = {f"bn{i}.weight": layer.params["gamma"], f"bn{i}.bias": layer.params["beta"],
             f"bn{i}.running_mean": layer.buffers["running_mean"], f"bn{i}.running_var": layer.buffers["running_var"],
             f"bn{i}.num_batches_tracked": np.zeros((), dtype=np.int64)}
    return TorchLayer(init, [f"x = self.bn{i}(x)"], state)


def dropout(layer, i) -> TorchLayer:
    """nn.Dropout: the identity in eval mode (what load() returns), dropout if trained on."""
    return TorchLayer([f"self.drop{i} = nn.Dropout({layer.p!r})"], [f"x = self.drop{i}(x)"], {})


# Export type -> function(layer, index) -> TorchLayer. One small function per type.
LAYERS = {"dense": dense, "conv2d": conv2d, "maxpool2d": maxpool2d, "flatten": flatten,
          "batchnorm1d": batchnorm, "batchnorm2d": batchnorm, "dropout": dropout}

MODULE_TEMPLATE = '''"""{title}

    from {module} import load
    model = load()   # reads {weights} beside this file
    y = model(torch.tensor(x, dtype=DTYPE))   # x: {input_doc}

Written by `nn-tui export --to torch`; y is what nn-tui's forward returns.
"""

from pathlib import Path

import torch
from torch import nn

DTYPE = torch.{dtype}
INPUT_NAMES = {input_names!r}
CLASS_NAMES = {class_names!r}


class NNTuiModel(nn.Module):
    def __init__(self):
        super().__init__()
{init}

    def forward(self, x):
{forward}
        return x


def load(path=None):
    """NNTuiModel with the exported weights, in eval mode."""
    path = Path(__file__).with_name({weights!r}) if path is None else path
    model = NNTuiModel()
    model.load_state_dict(torch.load(path, weights_only=True))
    return model.eval()
'''


def module_paths(path):
    """(state_dict path, module path) for ``-o PATH``: the module is PATH with .py."""
    path = os.fspath(path)
    stem, suffix = os.path.splitext(path)
    if suffix == ".py":
        raise ExportError(f"{path}: name the state_dict file (.pt); the module is written beside it as .py")
    module_path = stem + ".py"
    if not os.path.basename(stem).isidentifier():
        raise ExportError(f"{module_path} would not be importable; pick a name like my_model.pt")
    return path, module_path


def export_torch(source, path) -> str:
    try:
        import torch
    except ImportError:
        raise ExportError("export --to torch needs PyTorch: pip install torch") from None
    weights_path, module_path = module_paths(path)
    parts = []
    for i, layer in enumerate(source.layers):
        kind = layer_type(layer)
        if kind not in LAYERS:
            raise ExportError(f"torch export does not support {kind} layers yet")
        parts.append(LAYERS[kind](layer, i))
    state = {}
    for part in parts:
        state.update({name: torch.from_numpy(np.ascontiguousarray(
            array, dtype=array.dtype if np.asarray(array).dtype.kind in "iu" else source.dtype))  # counts stay ints
            for name, array in part.state.items()})
    buffer = io.BytesIO()
    torch.save(state, buffer)
    module = os.path.splitext(os.path.basename(module_path))[0]
    text = MODULE_TEMPLATE.format(
        title=_title(source), module=module, weights=os.path.basename(weights_path),
        input_doc=f"(N, {', '.join(map(str, source.input_shape))})",
        dtype=source.dtype.name, input_names=source.input_names, class_names=source.class_names,
        init=_indent(line for part in parts for line in part.init),
        forward=_indent(line for part in parts for line in part.forward),
    )
    compile(text, module_path, "exec")  # a bug here must not reach the user's disk
    write_bytes(weights_path, buffer.getvalue())
    write_text(module_path, text)
    return f"wrote {weights_path} (state_dict) and {module_path} (nn.Module NNTuiModel, load())"


def _title(source):
    shape = lambda dims: "x".join(map(str, dims))  # noqa: E731
    return (f"nn-tui {source.kind} exported from {source.name}.npz: {len(source.layers)} layers, "
            f"{shape(source.input_shape)} inputs -> {shape(source.output_shape)} outputs.")


def _indent(lines):
    return "\n".join(" " * 8 + line for line in lines)

"""The convolutional network's settings and their command-line options."""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.engine.model_file import MAX_PARAMS
from nn_tui.settings import ConfigError, Option, int_list
from nn_tui.engine import ACTIVATIONS, INITIALIZERS

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a convolutional network on images (conv 3×3 + max-pool stages, dense layers)"

HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a not in ("softmax", "step"))
MAX_PARAMETERS = MAX_PARAMS  # what a model file may hold; refused before anything is allocated
MAX_CONV_LAYERS = 8


@dataclass(frozen=True)
class CNNSpec:
    kind: str = "cnn"
    conv: tuple[int, ...] = (16, 32)  # channels of each conv (+ 2×2 pool) stage
    kernel: int = 3
    layers: tuple[int, ...] = (64,)  # the dense layers after flattening
    activation: str = "relu"
    init: str = "auto"


# --layers, --activation and --init are shared with the MLP (argparse keeps the
# first kind's default for a shared option, so give them on the command line).
OPTIONS = (
    Option("--conv", dict(type=int_list, default=CNNSpec.conv, metavar="C,C",
                          help="cnn: channels of each conv 3×3 + 2×2 max-pool stage (default: 16,32)")),
    Option("--kernel", dict(type=int, default=CNNSpec.kernel, metavar="K",
                            help="cnn: the conv kernel's side, 'same' padding K//2 (default: %(default)s)")),
    Option("--layers", dict(type=int_list, default=CNNSpec.layers, metavar="N,N",
                            help="neurons per hidden layer; empty for none")),
    Option("--activation", dict(choices=HIDDEN_ACTIVATIONS, default=CNNSpec.activation, help="hidden activation")),
    Option("--init", dict(choices=tuple(INITIALIZERS), default=CNNSpec.init, help="weight initialiser")),
)


def check(spec: CNNSpec) -> None:
    if not spec.conv or len(spec.conv) > MAX_CONV_LAYERS or any(c < 1 for c in spec.conv):
        raise ConfigError(f"--conv: 1 to {MAX_CONV_LAYERS} stages of at least one channel each")
    if not 1 <= spec.kernel <= 15:
        raise ConfigError(f"--kernel must be from 1 to 15, got {spec.kernel}")
    if any(n < 1 for n in spec.layers):
        raise ConfigError("--layers: every layer needs at least one neuron")
    channels = (1, *spec.conv)
    weights = sum(a * b * spec.kernel ** 2 for a, b in zip(channels, channels[1:]))
    weights += sum(a * b for a, b in zip(spec.layers, spec.layers[1:]))
    if weights > MAX_PARAMETERS:
        raise ConfigError(f"--conv/--layers: {weights:,} weights is more than {MAX_PARAMETERS:,}")

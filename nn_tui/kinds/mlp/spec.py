"""The multi-layer network's settings and their command-line options."""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.engine.model_file import MAX_PARAMS
from nn_tui.settings import ConfigError, Option, int_list
from nn_tui.engine import ACTIVATIONS, INITIALIZERS, LOSSES

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a multi-layer network trained by backpropagation"

OUTPUTS = ("sigmoid", "softmax", "linear", "tanh")
# In the order `a` cycles them (the README's): the default, its cousin, then the modern ones.
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "linear")
assert set(HIDDEN_ACTIVATIONS) == set(ACTIVATIONS) - {"softmax", "step"}
# The app draws every neuron, so it has a size limit that headless training has not.
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 128  # more than the rows of a pane: drawn as thin cells (see ui/widgets/topology.py)
# Networks are refused before anything is allocated (a 100000,100000 layer is 80 GB of
# float64) at the size a model file may hold, so every trained network can be saved.
MAX_PARAMETERS = MAX_PARAMS
MAX_DEPTH = 100


@dataclass(frozen=True)
class MLPSpec:
    kind: str = "mlp"
    layers: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    output: str | None = None  # None: chosen from the task
    loss: str | None = None  # None: chosen from the task
    init: str = "auto"


OPTIONS = (
    Option("--layers", dict(type=int_list, default=MLPSpec.layers, metavar="N,N",
                            help="neurons per hidden layer; empty for none (default: 4,2)")),
    Option("--activation", dict(choices=HIDDEN_ACTIVATIONS, default=MLPSpec.activation,
                                help="hidden activation (default: %(default)s)")),
    Option("--output", dict(choices=OUTPUTS, default=None, help="output activation (default: from the task)")),
    Option("--loss", dict(choices=tuple(LOSSES), default=None, help="loss (default: from the task)")),
    Option("--init", dict(choices=tuple(INITIALIZERS), default=MLPSpec.init,
                          help="weight initialiser (default: %(default)s)")),
)


def check(spec: MLPSpec) -> None:
    if any(n < 1 for n in spec.layers):
        raise ConfigError("--layers: every layer needs at least one neuron")
    if len(spec.layers) > MAX_DEPTH:
        raise ConfigError(f"--layers: at most {MAX_DEPTH} hidden layers, got {len(spec.layers)}")
    sizes = (1, *spec.layers, 1)
    weights = sum(a * b for a, b in zip(sizes, sizes[1:]))
    if weights > MAX_PARAMETERS:
        raise ConfigError(
            f"--layers {','.join(map(str, spec.layers))}: {weights:,} weights is more than "
            f"{MAX_PARAMETERS:,}; choose smaller layers"
        )


def check_fits_view(spec: MLPSpec) -> None:
    if len(spec.layers) > MAX_HIDDEN_LAYERS or any(n > MAX_NEURONS for n in spec.layers):
        raise ConfigError(
            f"--layers: the app shows at most {MAX_HIDDEN_LAYERS} hidden layers of {MAX_NEURONS} neurons "
            "(nn-tui train has no such limit)"
        )

"""The denoising autoencoder's settings and their command-line options."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nn_tui.settings import ConfigError, Option, int_list
from nn_tui.engine import ACTIVATIONS, INITIALIZERS
from nn_tui.kinds.autoencoder.marks import MARKS

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a denoising autoencoder on images (--layers is the encoder, --corrupt the noise)"

HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a not in ("softmax", "step"))
MAX_LAYER = 100_000


@dataclass(frozen=True)
class AutoencoderSpec:
    kind: str = "autoencoder"
    # The encoder's sizes; the decoder mirrors them. A denoiser needs no bottleneck (the
    # noise stops it copying): 128 wide gains +5.45 to +5.58 dB at σ 0.4 in 200 epochs
    # on seeds 0-4, where 32 gave +4.98 to +5.24 in 400 (bench/autoencoder_psnr.py).
    layers: tuple[int, ...] = (128,)
    activation: str = "relu"
    corrupt: float = 0.0  # σ of the Gaussian noise on the inputs (clipped to [0, 1])
    init: str = "auto"
    # Inpainting ("removing watermarks"): a mark of white ink drawn over every input at a
    # random place, the target the image under it (marks.py); "none": no mark.
    mark: str = "none"

    @property
    def hidden(self) -> tuple[int, ...]:
        """Encoder then mirrored decoder: 32,2 -> 32, 2, 32 (64-32-2-32-64)."""
        return (*self.layers, *reversed(self.layers[:-1]))


# --layers, --activation and --init are shared with the MLP (argparse keeps the
# first kind's default for a shared option, so give them on the command line).
OPTIONS = (
    Option("--layers", dict(type=int_list, default=AutoencoderSpec.layers, metavar="N,N",
                            help="neurons per hidden layer (autoencoder: the encoder's, mirrored by the decoder)")),
    Option("--activation", dict(choices=HIDDEN_ACTIVATIONS, default=AutoencoderSpec.activation,
                                help="hidden activation")),
    Option("--corrupt", dict(type=float, default=AutoencoderSpec.corrupt, metavar="SIGMA",
                             help="autoencoder: Gaussian noise of this standard deviation on the inputs, "
                                  "clipped to [0, 1]; the target stays clean (default: 0)")),
    Option("--init", dict(choices=tuple(INITIALIZERS), default=AutoencoderSpec.init, help="weight initialiser")),
    Option("--mark", dict(choices=MARKS, default=AutoencoderSpec.mark,
                          help="autoencoder: inpainting, a mark (box, line or scribble) drawn over each input "
                               "and the image under it the target; PSNR of the marked pixels (default: none)")),
)


def check(spec: AutoencoderSpec) -> None:
    if not spec.layers or any(not 1 <= n <= MAX_LAYER for n in spec.layers):
        raise ConfigError(f"--layers: the autoencoder needs an encoder of layers of 1 to {MAX_LAYER:,} neurons")
    if not (isinstance(spec.corrupt, (int, float)) and math.isfinite(spec.corrupt) and 0 <= spec.corrupt <= 1):
        raise ConfigError(f"--corrupt must be a standard deviation from 0 to 1, got {spec.corrupt}")
    if spec.mark not in MARKS:
        raise ConfigError(f"--mark must be one of {', '.join(MARKS)}, got {spec.mark!r}")

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
MAX_PIXELS = 100_000_000  # of one image: a hand-drawn mark's pixel numbers stay below it


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
    # A mark drawn by hand in the app (its draw mode, the e key): the pixels it covers
    # (row × width + column, in order) on test image `drawn_on`, which is shown and scored
    # with it instead of a random mark (its own PSNR before and after). () : none.
    drawn: tuple[int, ...] = ()
    drawn_on: int = 0

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
    # The app's draw mode (e) writes these; a setup file, a share string and --resume keep them.
    Option("--drawn", dict(type=int_list, default=AutoencoderSpec.drawn, metavar="P,P",
                           help="autoencoder: a mark drawn by hand (the app's e key): the pixels it inks, "
                                "row × width + column in order, on test image --drawn-on, scored alone "
                                "(PSNR before and after)")),
    Option("--drawn-on", dict(type=int, default=AutoencoderSpec.drawn_on, metavar="N",
                              help="autoencoder: the test image (counted from 0) --drawn is drawn on")),
)


def check(spec: AutoencoderSpec) -> None:
    if not spec.layers or any(not 1 <= n <= MAX_LAYER for n in spec.layers):
        raise ConfigError(f"--layers: the autoencoder needs an encoder of layers of 1 to {MAX_LAYER:,} neurons")
    if not (isinstance(spec.corrupt, (int, float)) and math.isfinite(spec.corrupt) and 0 <= spec.corrupt <= 1):
        raise ConfigError(f"--corrupt must be a standard deviation from 0 to 1, got {spec.corrupt}")
    if spec.mark not in MARKS:
        raise ConfigError(f"--mark must be one of {', '.join(MARKS)}, got {spec.mark!r}")
    check_drawn(spec.drawn, spec.drawn_on)


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_drawn(drawn, drawn_on) -> None:
    """A mark drawn by hand: distinct pixel numbers in order, on a test image (a number)."""
    if not isinstance(drawn, tuple) or not all(_whole(p) and 0 <= p < MAX_PIXELS for p in drawn):
        raise ConfigError("drawn: a mark drawn by hand is a list of pixel numbers (row × width + column)")
    if any(a >= b for a, b in zip(drawn, drawn[1:])):
        raise ConfigError("drawn: the pixels of a mark drawn by hand must be distinct and in order")
    if not _whole(drawn_on) or drawn_on < 0:
        raise ConfigError(f"drawn_on: the test image a mark is drawn on is a number from 0, got {drawn_on!r}")


def check_drawn_fits(spec: AutoencoderSpec, image_shape, test_images: int) -> None:
    """The mark drawn by hand lies on this data's images and on one of its test images."""
    if not spec.drawn:
        return
    pixels = image_shape[0] * image_shape[1]
    if spec.drawn[-1] >= pixels:
        raise ConfigError(f"drawn: the mark drawn by hand covers pixel {spec.drawn[-1]}, beyond this data's "
                          f"{image_shape[0]}×{image_shape[1]} images")
    if spec.drawn_on >= test_images:
        raise ConfigError(f"drawn_on: the mark drawn by hand is on test image {spec.drawn_on}, but the "
                          f"test split has {test_images}")

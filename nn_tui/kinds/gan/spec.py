"""A GAN's settings: one frozen dataclass, checked once when it is made.

The defaults are the ones measured in bench/gan_quality.py (see its table):
each is there because it bought something on two-gaussians or ring.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields

from nn_tui.data.distributions import MAX_NOISE_DIM, NOISE_KINDS
from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.engine.optimizers import OPTIMIZERS
from nn_tui.kinds.gan.losses import GAN_LOSSES

MAX_LAYERS = 6
MAX_NEURONS = 256
MAX_STEPS_PER_EPOCH = 10
MAX_BATCH = 10_000


@dataclass(frozen=True)
class GanSpec:
    kind: str = "gan"
    # generator: noise (N, noise_dim) -> points (N, 2), linear output
    noise_dim: int = 8  # two-gaussians JS after 10k epochs: 2-D noise 0.17-0.26, 8-D 0.024-0.044
    noise_type: str = "gaussian"
    noise_scale: float = 1.0  # uniform on [-s, s], or normal with σ = s
    g_layers: tuple[int, ...] = (32, 32)
    g_activation: str = "relu"
    g_optimizer: str = "adam"
    g_lr: float = 2e-4
    # discriminator: points (N, 2) -> one logit, linear output (the loss applies σ)
    d_layers: tuple[int, ...] = (32, 32)
    d_activation: str = "relu"
    d_optimizer: str = "adam"
    d_lr: float = 1e-4
    beta1: float = 0.5  # Adam's β1 for both (DCGAN's 0.5; the usual 0.9 oscillates)
    # an epoch = d_steps discriminator updates, then g_steps generator updates
    d_steps: int = 2  # GAN Lab's 2 : 1
    g_steps: int = 1
    gan_loss: str = "log"  # or "least-squares"
    gan_batch: int = 150  # real points and generated points per step
    label_smoothing: float = 0.0  # one-sided: real target 1 − s
    instance_noise: float = 0.0  # σ of Gaussian noise added to every point D sees
    # The generator shown and measured: 0 = G itself; β > 0 = an exponential
    # moving average of G's weights (β·avg + (1 − β)·G after every G step),
    # which smooths the orbit G keeps circling instead of settling.
    g_average: float = 0.999

    def __post_init__(self):
        check_spec(self)

    def replace(self, **changes) -> "GanSpec":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return GanSpec(**values)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def _count(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer in {low}..{high}, not {value!r}")


def _real(name, value, low, high, low_open=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value > high or value < low or (low_open and value == low):
        bound = f"> {low}" if low_open else f">= {low}"
        raise ValueError(f"{name} must be a finite number {bound} and <= {high}, not {value!r}")


def _choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def _hidden(name, value):
    if not isinstance(value, tuple) or len(value) > MAX_LAYERS:
        raise ValueError(f"{name} must be at most {MAX_LAYERS} layer sizes, not {value!r}")
    for size in value:
        _count(f"{name}: a layer size", size, 1, MAX_NEURONS)


def check_spec(spec: GanSpec) -> None:
    """Raise ValueError (one clear line, naming the command-line option) on the first bad setting."""
    _count("--noise-dim", spec.noise_dim, 1, MAX_NOISE_DIM)
    _choice("--noise-type", spec.noise_type, NOISE_KINDS)
    _real("--noise-scale", spec.noise_scale, 0.0, 100.0, low_open=True)
    for who in ("g", "d"):
        _hidden(f"--{who}-layers", getattr(spec, f"{who}_layers"))
        activation = getattr(spec, f"{who}_activation")
        _choice(f"--{who}-activation", activation, tuple(a for a in ACTIVATIONS if ACTIVATIONS[a].hidden_ok))
        _choice(f"--{who}-optimizer", getattr(spec, f"{who}_optimizer"), tuple(OPTIMIZERS))
        _real(f"--{who}-lr", getattr(spec, f"{who}_lr"), 0.0, 10.0)
    _real("--beta1", spec.beta1, 0.0, 0.999)
    _count("--d-steps", spec.d_steps, 0, MAX_STEPS_PER_EPOCH)
    _count("--g-steps", spec.g_steps, 0, MAX_STEPS_PER_EPOCH)
    if spec.d_steps + spec.g_steps == 0:
        raise ValueError("--d-steps and --g-steps: an epoch needs at least one step")
    _choice("--gan-loss", spec.gan_loss, GAN_LOSSES)
    _count("--gan-batch", spec.gan_batch, 1, MAX_BATCH)
    _real("--label-smoothing", spec.label_smoothing, 0.0, 0.5)
    _real("--instance-noise", spec.instance_noise, 0.0, 1.0)
    _real("--g-average", spec.g_average, 0.0, 0.9999)

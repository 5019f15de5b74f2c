"""A GAN's settings: one frozen dataclass; ``check_spec`` refuses bad ones (the kind
calls it on every config, ``Gan`` before it builds anything).

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
from nn_tui.settings import ConfigError, Option, int_list

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a generator against a discriminator, on 2-D distributions"

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

    def replace(self, **changes) -> "GanSpec":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return GanSpec(**values)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def _count(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ConfigError(f"{name} must be an integer in {low}..{high}, not {value!r}")


def _real(name, value, low, high, low_open=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value > high or value < low or (low_open and value == low):
        bound = f"> {low}" if low_open else f">= {low}"
        raise ConfigError(f"{name} must be a finite number {bound} and <= {high}, not {value!r}")


def _choice(name, value, choices):
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


def _hidden(name, value):
    if not isinstance(value, tuple) or len(value) > MAX_LAYERS:
        raise ConfigError(f"{name} must be at most {MAX_LAYERS} layer sizes, not {value!r}")
    for size in value:
        _count(f"{name}: a layer size", size, 1, MAX_NEURONS)


def check_spec(spec: GanSpec) -> None:
    """Raise ConfigError (a ValueError: one clear line, naming the command-line
    option) on the first bad setting."""
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
        raise ConfigError("--d-steps and --g-steps: an epoch needs at least one step")
    _choice("--gan-loss", spec.gan_loss, GAN_LOSSES)
    _count("--gan-batch", spec.gan_batch, 1, MAX_BATCH)
    _real("--label-smoothing", spec.label_smoothing, 0.0, 0.5)
    _real("--instance-noise", spec.instance_noise, 0.0, 1.0)
    _real("--g-average", spec.g_average, 0.0, 0.9999)


def _options():
    d = GanSpec()
    hidden = tuple(a for a in ACTIVATIONS if ACTIVATIONS[a].hidden_ok)

    def opt(flag, help_, **kwargs):
        return Option(flag, dict(kwargs, help=help_ + " (default: %(default)s)"))

    return (
        opt("--noise-dim", "generator input size", type=int, default=d.noise_dim, metavar="N"),
        opt("--noise-type", "generator input", choices=NOISE_KINDS, default=d.noise_type),
        opt("--noise-scale", "uniform on [-s, s] or normal with σ s", type=float, default=d.noise_scale, metavar="S"),
        opt("--g-layers", "generator's hidden layers", type=int_list, default=d.g_layers, metavar="N,N"),
        opt("--d-layers", "discriminator's hidden layers", type=int_list, default=d.d_layers, metavar="N,N"),
        opt("--g-activation", "generator's hidden activation", choices=hidden, default=d.g_activation),
        opt("--d-activation", "discriminator's hidden activation", choices=hidden, default=d.d_activation),
        opt("--g-optimizer", "generator's optimizer", choices=tuple(OPTIMIZERS), default=d.g_optimizer),
        opt("--d-optimizer", "discriminator's optimizer", choices=tuple(OPTIMIZERS), default=d.d_optimizer),
        opt("--g-lr", "generator's learning rate", type=float, default=d.g_lr),
        opt("--d-lr", "discriminator's learning rate", type=float, default=d.d_lr),
        opt("--beta1", "Adam's β1, both networks", type=float, default=d.beta1),
        opt("--d-steps", "discriminator updates per epoch", type=int, default=d.d_steps, metavar="N"),
        opt("--g-steps", "generator updates per epoch", type=int, default=d.g_steps, metavar="N"),
        opt("--gan-loss", "log (non-saturating) or least-squares", choices=GAN_LOSSES, default=d.gan_loss),
        opt("--gan-batch", "real and generated points per update", type=int, default=d.gan_batch, metavar="N"),
        opt("--label-smoothing", "real target 1 − s", type=float, default=d.label_smoothing, metavar="S"),
        opt("--instance-noise", "σ of noise on every point D sees", type=float, default=d.instance_noise,
            metavar="S"),
        opt("--g-average", "shown G = moving average of G's weights, 0 = off", type=float, default=d.g_average,
            metavar="B"),
    )


OPTIONS = _options()

"""Weight initialisers: ``init(n_in, n_out, rng, activation) -> (n_in, n_out) float64``.

Biases always start at 0. (TensorFlow Playground starts them at 0.1; zero is
the common default elsewhere and keeps a fresh network's decision boundary
centred on the weights alone.)
"""

from __future__ import annotations

import math
from types import MappingProxyType


def xavier(n_in, n_out, rng, activation=None):
    """Glorot uniform: U(−l, l) with l = √(6 / (n_in + n_out)); keeps the
    variance of tanh/sigmoid signals roughly constant from layer to layer."""
    limit = math.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out))


def he(n_in, n_out, rng, activation=None):
    """He normal: N(0, σ²) with σ = √(2 / n_in); relu zeroes half its inputs,
    so it needs twice Glorot's variance."""
    return rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out))


def uniform(n_in, n_out, rng, activation=None):
    """U(−0.5, 0.5), what TensorFlow Playground uses."""
    return rng.uniform(-0.5, 0.5, size=(n_in, n_out))


def auto(n_in, n_out, rng, activation=None):
    """He for relu / leaky_relu, Xavier for everything else."""
    if activation in ("relu", "leaky_relu"):
        return he(n_in, n_out, rng)
    return xavier(n_in, n_out, rng)


INITIALIZERS = MappingProxyType({"xavier": xavier, "he": he, "uniform": uniform, "auto": auto})

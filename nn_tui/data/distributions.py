"""Real 2-D distributions a GAN learns, and the noise its generator starts from.

Every distribution lives in the unit square, as GAN Lab's do, and says what
its metrics need: ``box`` (the area the divergence grid covers) and, for the
mixtures of equal round Gaussians (ring, grid), its mode centres and σ.
``line`` and ``two-gaussians`` follow GAN Lab's "Line" and "Two Gaussian
Hills"; ``ring`` (8 Gaussians), ``grid`` (5 × 5) and ``three-regions``
(uniform on three disjoint patches) are ours.

Sampling takes a ``np.random.Generator`` and draws in a fixed order, so the
same seed gives the same points bit for bit.

Imports numpy and the standard library only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from nn_tui.data.dataset import DataError

GENERATIVE = "generative"  # the task of a data set a generator learns (no targets to predict)
UNIT_BOX: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)  # x_min, x_max, y_min, y_max

NOISE_KINDS: tuple[str, ...] = ("uniform", "gaussian")
# GAN Lab offers 1-D and 2-D noise (a plane can show all of it); more
# dimensions give the generator more to shape from (see bench/gan_quality.py).
MAX_NOISE_DIM = 16
NOISE_DIMS: tuple[int, ...] = tuple(range(1, MAX_NOISE_DIM + 1))
MAX_SAMPLES = 1_000_000  # a typo must not allocate gigabytes


@dataclass(frozen=True)
class Distribution:
    """A named 2-D distribution. ``modes`` (k, 2) and ``sigma`` are set only for
    mixtures of equal round Gaussians, where "mode covered" has a meaning."""

    name: str
    box: tuple[float, float, float, float]
    _draw: Callable[[int, np.random.Generator], np.ndarray]
    modes: tuple[tuple[float, float], ...] | None = None
    sigma: float | None = None

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` points, shape (n, 2), float64."""
        return self._draw(_check_n(n), rng)

    @property
    def mode_centres(self) -> np.ndarray | None:
        return None if self.modes is None else np.array(self.modes, dtype=np.float64)


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SAMPLES:
        raise DataError(f"number of samples must be an integer in 1..{MAX_SAMPLES}, not {n!r}")
    return int(n)


# --- the samplers: each draws everything it needs in one fixed order -------------------
def _line(n, rng):
    # GAN Lab's "Line": a segment from (0.8, 0.6) to (0.05, 0.9), blurred by 0.01.
    t = rng.random(n)
    blur = rng.standard_normal((n, 2)) * 0.01
    return np.column_stack((0.8 - 0.75 * t, 0.6 + 0.3 * t)) + blur


# GAN Lab's "Two Gaussian Hills": half round (σ 0.1), half a tall thin ellipse.
_TWO_GAUSSIANS_MEANS = np.array([[0.3, 0.7], [0.7, 0.4]])
_TWO_GAUSSIANS_SCALES = np.array([[0.1, 0.1], [0.05, 0.2]])


def _two_gaussians(n, rng):
    which = (rng.random(n) >= 0.5).astype(np.intp)
    z = rng.standard_normal((n, 2))
    return _TWO_GAUSSIANS_MEANS[which] + z * _TWO_GAUSSIANS_SCALES[which]


def _mixture(centres: np.ndarray, sigma: float):
    def draw(n, rng):
        which = rng.integers(0, len(centres), size=n)
        return centres[which] + rng.standard_normal((n, 2)) * sigma
    return draw


# Ring: 8 Gaussians on a circle. Neighbours are 2·0.35·sin(π/8) ≈ 0.27 apart,
# three times the 3σ radius that counts a mode as covered.
RING_RADIUS, RING_SIGMA = 0.35, 0.03
_RING_CENTRES = np.array([[0.5 + RING_RADIUS * math.cos(2 * math.pi * k / 8),
                           0.5 + RING_RADIUS * math.sin(2 * math.pi * k / 8)] for k in range(8)])

# Grid: 5 × 5 Gaussians 0.2 apart; 3σ = 0.06 leaves clear space between them.
GRID_SIGMA = 0.02
_GRID_CENTRES = np.array([[0.1 + 0.2 * i, 0.1 + 0.2 * j] for j in range(5) for i in range(5)])

# Three regions: uniform on three disjoint rectangles (x0, x1, y0, y1), picked in
# proportion to their areas so the density is one constant on all three.
_REGIONS = np.array([[0.10, 0.35, 0.60, 0.90],
                     [0.55, 0.90, 0.65, 0.85],
                     [0.30, 0.80, 0.10, 0.35]])
_REGION_AREAS = (_REGIONS[:, 1] - _REGIONS[:, 0]) * (_REGIONS[:, 3] - _REGIONS[:, 2])


def _three_regions(n, rng):
    which = np.searchsorted(np.cumsum(_REGION_AREAS / _REGION_AREAS.sum()), rng.random(n), side="right")
    which = np.minimum(which, len(_REGIONS) - 1)  # guards the last edge against rounding
    u = rng.random((n, 2))
    r = _REGIONS[which]
    return np.column_stack((r[:, 0] + u[:, 0] * (r[:, 1] - r[:, 0]),
                            r[:, 2] + u[:, 1] * (r[:, 3] - r[:, 2])))


def _as_modes(centres):
    return tuple((float(x), float(y)) for x, y in centres)


_DISTRIBUTIONS = {
    "line": Distribution("line", UNIT_BOX, _line),
    "two-gaussians": Distribution("two-gaussians", UNIT_BOX, _two_gaussians),
    "ring": Distribution("ring", UNIT_BOX, _mixture(_RING_CENTRES, RING_SIGMA),
                         _as_modes(_RING_CENTRES), RING_SIGMA),
    "grid": Distribution("grid", UNIT_BOX, _mixture(_GRID_CENTRES, GRID_SIGMA),
                         _as_modes(_GRID_CENTRES), GRID_SIGMA),
    "three-regions": Distribution("three-regions", UNIT_BOX, _three_regions),
}
DISTRIBUTIONS: tuple[str, ...] = tuple(_DISTRIBUTIONS)


def make_distribution(name: str) -> Distribution:
    """The distribution called ``name`` (one of DISTRIBUTIONS)."""
    try:
        return _DISTRIBUTIONS[name]
    except (KeyError, TypeError):
        raise DataError(f"unknown distribution {name!r}; choose from {', '.join(DISTRIBUTIONS)}") from None


def sample_noise(n: int, dim: int, kind: str, rng: np.random.Generator, scale: float = 1.0) -> np.ndarray:
    """Generator input, shape (n, dim): uniform on [-scale, scale] or normal with
    standard deviation ``scale``, centred on 0 (centred inputs suit the engine's
    initialisers better than GAN Lab's [0, 1])."""
    n = _check_n(n)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 1 <= dim <= MAX_NOISE_DIM:
        raise DataError(f"noise dimension must be an integer in 1..{MAX_NOISE_DIM}, not {dim!r}")
    if kind not in NOISE_KINDS:
        raise DataError(f"noise must be one of {', '.join(NOISE_KINDS)}, not {kind!r}")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise DataError(f"noise scale must be a finite number > 0, not {scale!r}")
    if kind == "uniform":
        return rng.uniform(-scale, scale, size=(n, dim))
    return rng.standard_normal((n, dim)) * scale

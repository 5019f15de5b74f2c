"""The Playground's input features for the 2-D sets, and the grid for heatmaps.

Features are computed from the raw points, unscaled, exactly as the
TensorFlow Playground feeds them: x1 and x2 lie in [-6, 6], so x1² and
x1·x2 reach 36. Scaling them would change what the Playground lessons show
(e.g. how a lone x1² input dominates), so we keep them raw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nn_tui.data.dataset import DataError

# Each feature is a function of the two coordinate columns.
_FEATURE_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sinx1": lambda x1, x2: np.sin(x1),
    "sinx2": lambda x1, x2: np.sin(x2),
}

FEATURES: tuple[str, ...] = ("x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")

FEATURE_LABELS: dict[str, str] = {
    "x1": "X₁",
    "x2": "X₂",
    "x1sq": "X₁²",
    "x2sq": "X₂²",
    "x1x2": "X₁X₂",
    "sinx1": "sin(X₁)",
    "sinx2": "sin(X₂)",
}

DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")

MIN_GRID_RESOLUTION = 2


def _valid_ids() -> str:
    return ", ".join(FEATURES)


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """Return ``names`` as a tuple, or raise DataError for an empty list, an
    unknown id or a repeated id."""
    if isinstance(names, str):
        # A bare string would be iterated letter by letter; accept it as a comma list.
        return parse_features(names)
    names = tuple(names)
    if not names:
        raise DataError(f"choose at least one input feature from: {_valid_ids()}")
    for name in names:
        if name not in _FEATURE_FUNCTIONS:
            raise DataError(f"unknown input feature {name!r}; valid features: {_valid_ids()}")
    if len(set(names)) != len(names):
        raise DataError(f"input feature listed twice in {', '.join(names)}")
    return names


def parse_features(text: str) -> tuple[str, ...]:
    """Parse a comma list such as ``"x1,x2,x1sq"`` (spaces allowed) into ids."""
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    return check_features(names)


def expand_features(points: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Compute the chosen features of (x1, x2) points.

    ``points`` has shape (N, 2). Returns a float64 array of shape
    (N, len(names)), one column per id, in the order given.
    """
    names = check_features(names)
    points = np.asarray(points, dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise DataError(f"points must have shape (N, 2), got {points.shape}")
    x1, x2 = points[:, 0], points[:, 1]
    columns = [_FEATURE_FUNCTIONS[name](x1, x2) for name in names]
    return np.stack(columns, axis=1)


def plane_grid(
    domain: tuple[float, float], resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid over the square ``domain``², for drawing a network's output as a heatmap.

    Returns ``(points, xs, ys)``:

    * ``xs``: shape (R,), x1 values from ``domain[0]`` to ``domain[1]``
      (left to right), endpoints included, evenly spaced.
    * ``ys``: shape (R,), x2 values from ``domain[1]`` down to ``domain[0]``
      (top to bottom, as a screen draws rows), endpoints included.
    * ``points``: shape (R*R, 2), row-major: ``points[i * R + j] ==
      (xs[j], ys[i])``. So ``values.reshape(R, R)[i, j]`` is the value at
      screen row ``i`` (0 = top, largest x2) and column ``j`` (0 = left,
      smallest x1).
    """
    resolution = int(resolution)
    if resolution < MIN_GRID_RESOLUTION:
        raise DataError(f"grid resolution must be at least {MIN_GRID_RESOLUTION}, got {resolution}")
    low, high = float(domain[0]), float(domain[1])
    if not low < high:
        raise DataError(f"domain must be (low, high) with low < high, got {domain!r}")
    xs = np.linspace(low, high, resolution)
    ys = np.linspace(high, low, resolution)
    grid_x1, grid_x2 = np.meshgrid(xs, ys)  # 'xy' indexing: [row i, column j]
    points = np.stack([grid_x1.ravel(), grid_x2.ravel()], axis=1)
    return points, xs, ys

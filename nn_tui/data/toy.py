"""The built-in toy data sets: the TensorFlow Playground's six, plus moons,
blobs and a 1-D sine.

The Playground sets follow its ``src/dataset.ts`` (tensorflow/playground):
same shapes, radii, noise model and sample counts. Differences, on purpose:

* Labels: the Playground's -1 (orange) / +1 (blue) become 0.0 / 1.0, with
  ``class_names = ("negative", "positive")``, so index 0 is the Playground's
  orange class and index 1 its blue class.
* Classes generated in halves get exactly ``samples`` points in total (the
  first class gets the odd one); the Playground rounds each half up.
* ``reg-plane`` labels are clipped to [-1, 1]; the Playground's (x1+x2)/10
  reaches ±1.2 in the corners (more with noise).
* Randomness comes from ``np.random.default_rng(seed)``, so the same seed
  gives the same arrays bit for bit (not the Playground's own points).
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data.dataset import BINARY, MULTICLASS, REGRESSION, DataError, Dataset
from nn_tui.data.split import check_train_ratio, random_split, stratified_split

PLAYGROUND_DATASETS: tuple[str, ...] = ("circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss")
TOY_DATASETS: tuple[str, ...] = PLAYGROUND_DATASETS + ("moons", "blobs", "sine")

CLASSIFICATION_SETS: tuple[str, ...] = ("circle", "xor", "gauss", "spiral", "moons", "blobs")
REGRESSION_SETS: tuple[str, ...] = ("reg-plane", "reg-gauss", "sine")

# The Playground's NUM_SAMPLES_CLASSIFY and NUM_SAMPLES_REGRESS.
CLASSIFICATION_SAMPLES = 500
REGRESSION_SAMPLES = 1200
# Enough for a smooth curve; the half used for training fits a 16,16 tanh net.
SINE_SAMPLES = 400

DEFAULT_SAMPLES: dict[str, int] = {
    name: (REGRESSION_SAMPLES if name in ("reg-plane", "reg-gauss") else CLASSIFICATION_SAMPLES)
    for name in TOY_DATASETS
}
DEFAULT_SAMPLES["sine"] = SINE_SAMPLES

DEFAULT_NOISE = 0.0
DEFAULT_TRAIN_RATIO = 0.5  # the Playground's default "ratio of training to test data"
MIN_SAMPLES = 10
MAX_SAMPLES = 100_000  # keeps a typo from allocating gigabytes
MAX_NOISE = 0.5  # the Playground's noise slider goes to 50 %

PLANE_DOMAIN: tuple[float, float] = (-6.0, 6.0)
# One and a half periods (three extrema): wiggly enough to need hidden units,
# yet a 16,16 tanh net with plain SGD (lr 0.03, batch 10) gets its test loss
# ½·mean((ŷ−y)²) below 0.004 in 100 epochs. Over [-6, 6] the raw inputs
# saturate tanh and the same net was still above 0.01 after 500 epochs.
SINE_RANGE: tuple[float, float] = (-1.5 * math.pi, 1.5 * math.pi)

DEFAULT_BLOB_CLASSES = 3
MIN_BLOB_CLASSES = 3
MAX_BLOB_CLASSES = 6

BINARY_CLASS_NAMES = ("negative", "positive")
PLANE_INPUTS = ("x1", "x2")


# --- Playground generators: each returns (points (N, 2), targets (N,)) ---------
# Binary targets are 0/1 here; regression targets are floats in [-1, 1].


def _half_counts(samples: int) -> tuple[int, int]:
    """Split ``samples`` into two class sizes that add up exactly."""
    return samples - samples // 2, samples // 2


def _circle(samples: int, noise: float, rng: np.random.Generator):
    # Positives: radius < 2.5; negatives: radius in [3.5, 5]. The label is
    # decided on the noise-shifted point, so noise flips labels near the ring.
    radius = 5.0
    n_inside, n_outside = _half_counts(samples)
    r = np.concatenate(
        [rng.uniform(0.0, radius * 0.5, n_inside), rng.uniform(radius * 0.7, radius, n_outside)]
    )
    angle = rng.uniform(0.0, 2 * math.pi, samples)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shift = rng.uniform(-radius, radius, (samples, 2)) * noise
    labels = (np.hypot(*(points + shift).T) < radius * 0.5).astype(np.float64)
    return points, labels


def _xor(samples: int, noise: float, rng: np.random.Generator):
    # Uniform in [-5, 5]², pushed 0.3 away from both axes to leave a clear gap.
    padding = 0.3
    points = rng.uniform(-5.0, 5.0, (samples, 2))
    points += np.where(points > 0, padding, -padding)
    shift = rng.uniform(-5.0, 5.0, (samples, 2)) * noise
    shifted = points + shift
    labels = (shifted[:, 0] * shifted[:, 1] >= 0).astype(np.float64)
    return points, labels


def _gauss(samples: int, noise: float, rng: np.random.Generator):
    # Two Gaussians at (2, 2) (positive) and (-2, -2) (negative); noise widens
    # them: variance goes linearly from 0.5 at noise 0 to 4 at noise 0.5.
    variance = 0.5 + noise * (4.0 - 0.5) / 0.5
    n_positive, n_negative = _half_counts(samples)
    centers = np.concatenate([np.full((n_positive, 2), 2.0), np.full((n_negative, 2), -2.0)])
    points = centers + rng.normal(0.0, math.sqrt(variance), (samples, 2))
    labels = np.concatenate([np.ones(n_positive), np.zeros(n_negative)])
    return points, labels


def _spiral(samples: int, noise: float, rng: np.random.Generator):
    # Two arms, 1.75 turns each, radius 0 → 5, the second arm rotated by π.
    parts = []
    for count, phase, label in zip(_half_counts(samples), (0.0, math.pi), (1.0, 0.0)):
        step = np.arange(count) / count
        r = step * 5.0
        t = 1.75 * step * 2 * math.pi + phase
        arm = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        arm += rng.uniform(-1.0, 1.0, (count, 2)) * noise
        parts.append((arm, np.full(count, label)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _uniform_plane_with_shift(samples: int, noise: float, rng: np.random.Generator):
    radius = 6.0
    points = rng.uniform(-radius, radius, (samples, 2))
    shift = rng.uniform(-radius, radius, (samples, 2)) * noise
    return points, points + shift


def _reg_plane(samples: int, noise: float, rng: np.random.Generator):
    # Target (x1 + x2) / 10 of the noise-shifted point, clipped to [-1, 1].
    points, shifted = _uniform_plane_with_shift(samples, noise, rng)
    targets = np.clip(shifted.sum(axis=1) / 10.0, -1.0, 1.0)
    return points, targets


_REG_GAUSS_CENTERS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=np.float64,
)


def _reg_gauss(samples: int, noise: float, rng: np.random.Generator):
    # Six bumps of alternating sign; each falls linearly from ±1 at its centre
    # to 0 at distance 2. The target is the bump largest in absolute value.
    points, shifted = _uniform_plane_with_shift(samples, noise, rng)
    centers, signs = _REG_GAUSS_CENTERS[:, :2], _REG_GAUSS_CENTERS[:, 2]
    distance = np.linalg.norm(shifted[:, None, :] - centers[None, :, :], axis=2)
    bumps = signs * np.clip(1.0 - distance / 2.0, 0.0, 1.0)
    # argmax of |bump| picks the first on ties, as the Playground's strict ">" does.
    strongest = np.abs(bumps).argmax(axis=1)
    targets = bumps[np.arange(samples), strongest]
    return points, targets


# --- Extra sets ----------------------------------------------------------------


def _moons(samples: int, noise: float, rng: np.random.Generator):
    # scikit-learn's shape: upper arc (cos t, sin t) and lower arc
    # (1 - cos t, 0.5 - sin t), t in [0, π], with Gaussian noise of standard
    # deviation ``noise`` in those units; then centred and scaled ×3 so it
    # spans about [-4.5, 4.5] × [-2.25, 2.25] in the plane.
    scale = 3.0
    n_upper, n_lower = _half_counts(samples)
    t_upper = rng.uniform(0.0, math.pi, n_upper)
    t_lower = rng.uniform(0.0, math.pi, n_lower)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1)
    lower = np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)
    points = np.concatenate([upper, lower])
    points += rng.normal(0.0, 1.0, (samples, 2)) * noise
    points = (points - np.array([0.5, 0.25])) * scale
    labels = np.concatenate([np.ones(n_upper), np.zeros(n_lower)])
    return points, labels


def _blobs(samples: int, noise: float, rng: np.random.Generator, classes: int):
    # ``classes`` Gaussians evenly spaced on a circle of radius 3.5, class 0 at
    # the top; the spread follows the Playground's gauss set (variance 0.5 → 4).
    ring_radius = 3.5
    variance = 0.5 + noise * (4.0 - 0.5) / 0.5
    angles = math.pi / 2 + 2 * math.pi * np.arange(classes) / classes
    centers = ring_radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    counts = np.full(classes, samples // classes)
    counts[: samples % classes] += 1
    labels = np.repeat(np.arange(classes), counts)
    points = centers[labels] + rng.normal(0.0, math.sqrt(variance), (samples, 2))
    return points, labels


def _sine(samples: int, noise: float, rng: np.random.Generator):
    # y = sin(x) plus Gaussian noise with standard deviation ``noise``.
    x = rng.uniform(SINE_RANGE[0], SINE_RANGE[1], samples)
    y = np.sin(x) + rng.normal(0.0, 1.0, samples) * noise
    return x[:, None], y


_NOTES: dict[str, str] = {
    "circle": "Playground 'circle': positives inside radius 2.5, negatives in the ring 3.5–5.",
    "xor": "Playground 'exclusive or': positive where x1·x2 ≥ 0.",
    "gauss": "Playground 'gaussian': positives around (2, 2), negatives around (-2, -2).",
    "spiral": "Playground 'spiral': two interleaved arms of 1.75 turns.",
    "reg-plane": "Playground 'plane': target (x1 + x2) / 10, clipped to [-1, 1].",
    "reg-gauss": "Playground 'multi gaussian': six bumps of alternating sign.",
    "moons": "Two interleaving half-circles (scikit-learn's make_moons shape), scaled ×3.",
    "blobs": "Gaussian blobs evenly spaced on a circle of radius 3.5, one per class.",
    "sine": "y = sin(x) for x in [-1.5π, 1.5π]: the universal approximation example.",
}

_PLANE_GENERATORS = {
    "circle": _circle,
    "xor": _xor,
    "gauss": _gauss,
    "spiral": _spiral,
    "reg-plane": _reg_plane,
    "reg-gauss": _reg_gauss,
    "moons": _moons,
}


def _check_arguments(name: str, samples: int | None, noise: float, classes: int | None):
    if name not in TOY_DATASETS:
        raise DataError(f"unknown data set {name!r}; valid names: {', '.join(TOY_DATASETS)}")
    if samples is None:
        samples = DEFAULT_SAMPLES[name]
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)):
        raise DataError(f"number of samples must be a whole number, got {samples!r}")
    if not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise DataError(f"number of samples must be between {MIN_SAMPLES} and {MAX_SAMPLES}, got {samples}")
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        raise DataError(f"noise must be a number, got {noise!r}") from None
    if not 0.0 <= noise <= MAX_NOISE:  # also rejects NaN
        raise DataError(f"noise must be between 0 and {MAX_NOISE}, got {noise!r}")
    if name == "blobs":
        if classes is None:
            classes = DEFAULT_BLOB_CLASSES
        if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or not (
            MIN_BLOB_CLASSES <= classes <= MAX_BLOB_CLASSES
        ):
            raise DataError(
                f"blobs needs between {MIN_BLOB_CLASSES} and {MAX_BLOB_CLASSES} classes, got {classes!r}"
            )
        if samples < classes * 2:
            raise DataError(f"blobs with {classes} classes needs at least {classes * 2} samples")
    elif classes is not None:
        raise DataError(f"only the blobs data set takes a number of classes, not {name!r}")
    return int(samples), noise, classes


def make_toy(
    name: str,
    samples: int | None = None,
    noise: float = DEFAULT_NOISE,
    train_ratio: float | None = None,
    seed: int = 0,
    classes: int | None = None,
) -> Dataset:
    """Generate a toy data set and split it into training and test rows.

    ``name`` is one of ``TOY_DATASETS``. ``samples`` defaults to
    ``DEFAULT_SAMPLES[name]``; ``noise`` is 0–0.5 (the Playground's noise
    slider / 100); ``train_ratio`` (0.1–0.9) defaults to 0.5; ``classes``
    (3–6, default 3) applies to ``blobs`` only. Classification sets are split
    stratified by class; regression sets at random.
    """
    samples, noise, classes = _check_arguments(name, samples, noise, classes)
    ratio = DEFAULT_TRAIN_RATIO if train_ratio is None else check_train_ratio(train_ratio)
    rng = np.random.default_rng(seed)

    if name == "blobs":
        points, labels = _blobs(samples, noise, rng, classes)
        targets = np.eye(classes)[labels]
        task, class_names = MULTICLASS, tuple(str(k) for k in range(classes))
    elif name == "sine":
        points, values = _sine(samples, noise, rng)
        labels, targets = None, values[:, None]
        task, class_names = REGRESSION, None
    else:
        points, values = _PLANE_GENERATORS[name](samples, noise, rng)
        if name in CLASSIFICATION_SETS:
            labels, targets = values.astype(np.int64), values[:, None]
            task, class_names = BINARY, BINARY_CLASS_NAMES
        else:
            labels, targets = None, values[:, None]
            task, class_names = REGRESSION, None

    if labels is not None:
        train_idx, test_idx = stratified_split(labels, ratio, rng)
    else:
        train_idx, test_idx = random_split(samples, ratio, rng)

    points = np.ascontiguousarray(points, dtype=np.float64)
    targets = np.ascontiguousarray(targets, dtype=np.float64)
    is_plane = name != "sine"
    return Dataset(
        name=name,
        task=task,
        X_train=points[train_idx],
        y_train=targets[train_idx],
        X_test=points[test_idx],
        y_test=targets[test_idx],
        input_names=PLANE_INPUTS if is_plane else ("x",),
        class_names=class_names,
        is_plane=is_plane,
        domain=PLANE_DOMAIN if is_plane else SINE_RANGE,
        notes=(_NOTES[name],),
    )

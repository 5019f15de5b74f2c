"""Train/test splits: stratified for classification, plain random for regression.

Both functions return ``(train_idx, test_idx)``: int64 index arrays into the
data, disjoint, together covering every row exactly once. Each array is in
*shuffled* order (not sorted), so a data set generated class by class does
not reach the trainer grouped by class. The result depends only on the
inputs and the state of ``rng``: the same seed gives the same indices.
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data.dataset import DataError

MIN_TRAIN_RATIO = 0.1
MAX_TRAIN_RATIO = 0.9


def check_train_ratio(train_ratio: float) -> float:
    """Return ``train_ratio`` as a float, or raise DataError if outside 0.1–0.9."""
    try:
        ratio = float(train_ratio)
    except (TypeError, ValueError):
        raise DataError(f"train ratio must be a number, got {train_ratio!r}") from None
    if not (MIN_TRAIN_RATIO <= ratio <= MAX_TRAIN_RATIO):  # also rejects NaN
        raise DataError(
            f"train ratio must be between {MIN_TRAIN_RATIO} and {MAX_TRAIN_RATIO}, got {train_ratio!r}"
        )
    return ratio


def _train_count(n: int, ratio: float) -> int:
    """How many of ``n`` rows go to training: round half up, but keep at least
    one row on each side when there are two or more rows."""
    count = math.floor(ratio * n + 0.5)
    if n >= 2:
        count = min(max(count, 1), n - 1)
    else:
        count = n  # a lone row can only teach, it cannot be tested against its class
    return count


def stratified_split(
    labels: np.ndarray, train_ratio: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Split row indices so every class keeps (about) ``train_ratio`` in training.

    ``labels`` is a 1-D array of class labels (any hashable dtype numpy can
    sort). Per class with ``n_c`` rows, ``round(train_ratio * n_c)`` shuffled
    rows go to training, clamped so both sides get at least one row when
    ``n_c >= 2``; a class with a single row goes to training.
    """
    ratio = check_train_ratio(train_ratio)
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise DataError(f"labels must be one-dimensional, got shape {labels.shape}")
    train_parts: list[np.ndarray] = []
    test_parts: list[np.ndarray] = []
    # np.unique sorts the classes, so the order rng is consumed in is fixed.
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        members = members[rng.permutation(members.size)]
        count = _train_count(members.size, ratio)
        train_parts.append(members[:count])
        test_parts.append(members[count:])
    train_idx = np.concatenate(train_parts) if train_parts else np.empty(0, np.int64)
    test_idx = np.concatenate(test_parts) if test_parts else np.empty(0, np.int64)
    # Mix the classes so neither side is grouped class by class.
    train_idx = train_idx[rng.permutation(train_idx.size)].astype(np.int64)
    test_idx = test_idx[rng.permutation(test_idx.size)].astype(np.int64)
    return train_idx, test_idx


def random_split(
    n: int, train_ratio: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Split ``range(n)`` at random: ``round(train_ratio * n)`` rows for training
    (at least one on each side when ``n >= 2``), the rest for testing."""
    ratio = check_train_ratio(train_ratio)
    if n < 0:
        raise DataError(f"number of rows must be non-negative, got {n}")
    order = rng.permutation(int(n)).astype(np.int64)
    count = _train_count(int(n), ratio)
    return order[:count], order[count:]

"""1-D target curves on [-1.5π, 1.5π] as regression data sets ("approximation:<target>"),
for a network with one input to fit (the universal approximation lesson)."""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data.dataset import REGRESSION, Dataset

X_RANGE = (-1.5 * math.pi, 1.5 * math.pi)  # as the sine data set
TARGETS = {
    "wave": lambda x: np.sin(2.0 * x),  # three periods: needs many units
    "sine": np.sin,
    "abs": lambda x: np.abs(x) / X_RANGE[1] * 2.0 - 1.0,  # a kink, scaled to [-1, 1]
    "step": lambda x: np.where(x >= 0.0, 0.8, -0.8),  # a jump: only approached, never reached
    "bumps": lambda x: np.exp(-(x - 2.0) ** 2) - np.exp(-(x + 2.0) ** 2),
}
DEFAULT_TARGET = "wave"
SAMPLES = 200  # for training, and as many again for testing


def target_dataset(target=DEFAULT_TARGET, seed=0, samples=SAMPLES):
    """Points x drawn uniformly from X_RANGE with y = target(x), no noise."""
    function = TARGETS[target]
    rng = np.random.default_rng(seed)
    x_train = np.sort(rng.uniform(*X_RANGE, samples))[:, None]
    x_test = np.sort(rng.uniform(*X_RANGE, samples))[:, None]
    return Dataset(name=target, task=REGRESSION, X_train=x_train, y_train=function(x_train),
                   X_test=x_test, y_test=function(x_test), input_names=("x",), domain=X_RANGE,
                   notes=(f"1-D target {target} on [-1.5π, 1.5π], {samples} points to train and {samples} to test",))

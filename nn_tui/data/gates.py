"""The truth tables of AND, OR and XOR as data sets ("gates:<gate>"): four rows,
the same to train and to test, drawn on the plane around the unit square."""

from __future__ import annotations

import numpy as np

from nn_tui.data.dataset import BINARY, Dataset

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES = {
    "and": np.array([0.0, 0.0, 0.0, 1.0]),
    "or": np.array([0.0, 1.0, 1.0, 1.0]),
    "xor": np.array([0.0, 1.0, 1.0, 0.0]),
}


def gate_dataset(gate, seed=0):
    """The truth table as a data set (the same four rows to train and to test),
    drawn on the plane around the unit square."""
    targets = TRUTH_TABLES[gate][:, None]
    return Dataset(name=gate, task=BINARY, X_train=INPUTS.copy(), y_train=targets.copy(),
                   X_test=INPUTS.copy(), y_test=targets.copy(), input_names=("x1", "x2"),
                   class_names=("0", "1"), is_plane=True, domain=(-0.5, 1.5),
                   notes=(f"the truth table of {gate.upper()}: four rows, used to train and to test",))

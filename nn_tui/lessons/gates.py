"""The truth tables of AND, OR and XOR, and the perceptron trained on them."""

from __future__ import annotations

import numpy as np

from nn_tui.engine import Perceptron

INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES = {
    "and": np.array([0.0, 0.0, 0.0, 1.0]),
    "or": np.array([0.0, 1.0, 1.0, 1.0]),
    "xor": np.array([0.0, 1.0, 1.0, 0.0]),
}
PERCEPTRON_LR = 0.1


def rows_right(model, gate):
    """How many of the four rows of the gate's truth table the model gets right."""
    predicted = model.forward(INPUTS)[:, 0] >= 0.5
    return int(np.sum(predicted == (TRUTH_TABLES[gate] >= 0.5)))


def train_perceptron(gate, epochs, seed=0, lr=PERCEPTRON_LR):
    """Rosenblatt's rule on the truth table for up to ``epochs`` passes,
    stopping at the first pass without a mistake. Returns (perceptron,
    mistakes in each pass, rows right after each pass)."""
    perceptron = Perceptron(2, seed=seed)
    mistakes, right = [], []
    for _ in range(epochs):
        mistakes.append(perceptron.train_epoch(INPUTS, TRUTH_TABLES[gate], lr))
        right.append(rows_right(perceptron, gate))
        if mistakes[-1] == 0:
            break
    return perceptron, mistakes, right


def hand_set_perceptron(w1, w2, threshold):
    """A perceptron with the weights and threshold chosen by hand (bias = −threshold)."""
    perceptron = Perceptron(2)
    perceptron.params["W"] = np.array([[w1], [w2]])
    perceptron.params["b"] = np.array([-threshold])
    return perceptron


def gate_dataset(gate, seed=0):
    """The truth table as a data set (the same four rows to train and to test),
    drawn on the plane around the unit square."""
    from nn_tui.data import BINARY, Dataset

    targets = TRUTH_TABLES[gate][:, None]
    return Dataset(name=gate, task=BINARY, X_train=INPUTS.copy(), y_train=targets.copy(),
                   X_test=INPUTS.copy(), y_test=targets.copy(), input_names=("x1", "x2"),
                   class_names=("0", "1"), is_plane=True, domain=(-0.5, 1.5),
                   notes=(f"the truth table of {gate.upper()}: four rows, used to train and to test",))

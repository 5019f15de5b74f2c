"""The perceptron trained on the truth tables of AND, OR and XOR (nn_tui.data.gates)."""

from __future__ import annotations

import numpy as np

from nn_tui.data.gates import INPUTS, TRUTH_TABLES, gate_dataset  # noqa: F401 (the lessons read them here)
from nn_tui.engine import Perceptron

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

"""The perceptron's screen is the dense network's layout with the keys any dense
network has (no layers, neurons or activation: it has one threshold unit)."""

from nn_tui.kinds.mlp.panes import DENSE_ROWS, LAYOUT, make_ui

CONTROLS = DENSE_ROWS

__all__ = ["CONTROLS", "LAYOUT", "make_ui"]

"""The perceptron's screen is the dense network's, with the keys that apply to it
(the controls table filters rows by kind: no layers, neurons or activation)."""

from nn_tui.kinds.mlp.panes import CONTROLS, LAYOUT, make_ui

__all__ = ["CONTROLS", "LAYOUT", "make_ui"]

"""What the perceptron shows: the dense network's views of its one threshold unit
(its weights, its output over the plane or the test set), drawn with a step."""

from __future__ import annotations

from nn_tui.kinds.mlp.probes import probes as dense_probes


def probes(run) -> tuple:
    return dense_probes(run, "step", "step")

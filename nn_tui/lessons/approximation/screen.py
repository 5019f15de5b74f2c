"""The approximation lesson's screen: each hidden unit's contribution to the fit, and
t for the next target curve. Imported only by the UI."""

from __future__ import annotations

import numpy as np

from nn_tui.engine.activations import ACTIVATIONS
from nn_tui.lessons.approximation import TARGETS, X_RANGE
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import GREEN, SeriesPlot
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE
from nn_tui.views import NetworkView


def contributions(view: NetworkView, x: np.ndarray) -> np.ndarray:
    """Each hidden unit's share v_j·h_j(x) of a one-input, one-hidden-layer network's output."""
    hidden = ACTIVATIONS[view.activation].forward(x[:, None] @ view.weights[0] + view.biases[0])
    return hidden * view.weights[1][:, 0]


def draw_contributions(widget: SeriesPlot, snapshot, view: NetworkView, ui) -> None:
    if view.sizes[0] != 1 or len(view.sizes) != 3:
        widget.update_series("contributions: one input and one hidden layer only", ())
        return
    x = np.linspace(*X_RANGE, 121)
    parts = contributions(view, x)
    colors = (BLUE, ORANGE, GREY, GREEN)
    series = [(f"unit {j + 1}", x, parts[:, j], colors[j % len(colors)]) for j in range(parts.shape[1])]
    units = f"{parts.shape[1]} unit{'' if parts.shape[1] == 1 else 's'}"
    # At 80x24 "each unit's contribution v·ta…": the count first, the formula whole or on the bottom border.
    widget.update_series([(f"each unit's contribution: {units}", f"contributions: {units}"), "v·tanh(w·x + b)"],
                         series, "x")


PANES = {"contributions": Pane("contributions", NetworkView, widget=SeriesPlot, draw=draw_contributions,
                               group="output")}


def next_target(screen) -> None:
    names = list(TARGETS)
    current = screen.session.snapshot.dataset
    following = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
    screen.send("set_data", dataset=f"approximation:{following}")


ACTIONS = {"next_target": next_target}
CONTROLS = (Control("t", "Next target curve", action="next_target", show=True),)

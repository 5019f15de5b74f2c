"""The sparse lesson's screen: accuracy against connections (a point per network
size, kept UI-side), x to cut the selected neuron's weakest link, p to prune.
Imported only by the UI."""

from __future__ import annotations

import numpy as np

from nn_tui.lessons.screen_values import network
from nn_tui.lessons.sparse import live_links, near_zero_share
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import SeriesPlot
from nn_tui.ui.widgets.plotext_view import BLUE
from nn_tui.views import NetworkView


def follow(screen, snapshot) -> None:
    """Add the snapshot's (connections, test accuracy) to the chart."""
    view = network(snapshot)
    accuracy = snapshot.metrics.get("test_accuracy")
    if view is None or accuracy is None:
        return
    links = live_links(view)
    chart = screen.state.own.chart
    if chart and chart[-1][0] == links:
        chart[-1] = (links, accuracy)  # retraining at this size: the latest accuracy
    else:
        chart.append((links, accuracy))


def draw_connections_chart(widget: SeriesPlot, snapshot, view: NetworkView, ui) -> None:
    points = ui.state.own.chart
    xs = np.array([p[0] for p in points], float)
    ys = np.array([p[1] for p in points], float)
    # The numbers step 4 is about first: at 80 columns the title is cut after ~30 cells.
    # At 80x24 "now 2,368 links, 3% near 0 · …": what the chart is goes on the bottom border.
    widget.update_series([f"now {live_links(view):,} links, {near_zero_share(view):.0%} near 0",
                          ("test accuracy against connections", "accuracy against links")], [("accuracy", xs, ys, BLUE)],
                         "connections", scatter=True, ylim=(0.0, 1.0), whole_x=True)


PANES = {"connections_chart": Pane("connections_chart", NetworkView, widget=SeriesPlot,
                                   draw=draw_connections_chart, group="plot")}


def cut_link(screen) -> None:
    layer, neuron = screen.ui.selected
    screen.send("cut_weakest_link", layer - 1, neuron)


def prune(screen) -> None:
    view = network(screen.session.snapshot)
    if view is None:
        return
    total = sum(w.size for w in view.weights)
    screen.state.own.prune_rounds += 1
    screen.send("prune_smallest", live_links(view) / total / 2)


def run_line(screen) -> str:
    """The regularisation and its rate, which step 4 asks to raise (shown nowhere else)."""
    settings = screen.session.snapshot.settings
    reg = str(settings.get("reg", "none"))
    return f"regularisation: {reg.upper() if reg.startswith('l') else reg}, rate {settings.get('reg_rate', 0):g}"


ACTIONS = {"cut_link": cut_link, "prune": prune}
CONTROLS = (
    Control("x", "Cut the selected neuron's weakest link", action="cut_link", show=True),
    Control("p", "Prune: keep the larger half of each layer", action="prune", show=True),
)

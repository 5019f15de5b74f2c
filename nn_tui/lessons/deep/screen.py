"""The deep lesson's screen: the layer-health pane (always shown here), and a table of
the runs shown so far with the epoch each first reached the goal accuracy (kept UI-side
from snapshots). Imported only by the UI."""

from __future__ import annotations

from nn_tui.kinds.layer_health import LayerHealthView
from nn_tui.lessons.deep import GOAL
from nn_tui.lessons.runs import run_keys
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.layer_health import LayerHealthPane, draw_layer_health
from nn_tui.ui.widgets.runs_table import RunsTable


def label(lesson, run: str) -> str:
    return run_keys(lesson).get(run, (None, run))[1]


def follow(screen, snapshot) -> None:
    accuracy = snapshot.metrics.get("test_accuracy")
    own, run = screen.state.own, screen.state.run
    if accuracy is None or snapshot.epoch == 0:
        return
    if own.rows.get(run, (0, 0.0))[0] > snapshot.epoch:  # r: fresh weights, a fresh count
        own.reached.pop(run, None)
    own.rows[run] = (snapshot.epoch, accuracy)
    if accuracy >= GOAL and run not in own.reached:
        own.reached[run] = snapshot.epoch


def draw_runs_table(widget: RunsTable, snapshot, view, ui) -> None:
    lesson, state = ui.state.lesson, ui.state
    rows = [(label(lesson, run), (str(epoch), f"{accuracy:.0%}", str(state.own.reached.get(run, "–"))), "")
            for run, (epoch, accuracy) in state.own.rows.items()]
    # Two parts: at 80x24 the second goes on in the bottom border ("first ep…" was cut).
    widget.show_rows(("runs: test accuracy", f"first epoch at {GOAL:.0%}"), ("epoch", "acc", f"at {GOAL:.0%}"),
                     rows, label(lesson, state.run))


PANES = {
    "layers": Pane("layers", LayerHealthView, widget=LayerHealthPane, draw=draw_layer_health),
    "runs_table": Pane("runs_table", widget=RunsTable, draw=draw_runs_table, group="plot"),
}

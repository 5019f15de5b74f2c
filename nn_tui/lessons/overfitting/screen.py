"""The overfitting lesson's screen: a table of every run shown so far (its epoch and its
final training and test losses, kept UI-side from snapshots), beside the kind's panes.
Imported only by the UI."""

from __future__ import annotations

from nn_tui.lessons.runs import run_keys
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.runs_table import RunsTable


def label(lesson, run: str) -> str:
    return run_keys(lesson).get(run, (None, run.replace("_", " ")))[1]


def follow(screen, snapshot) -> None:
    """Keep the shown run's latest losses (a run switch starts at epoch 0: its row waits).
    Until the switched-to run's first snapshot arrives, the snapshots are the last run's:
    pressing 1 at step 8 wrote the 4-unit run's losses into the overfit run's row."""
    run = screen.state.run_shown(snapshot)
    train, test = snapshot.metrics.get("train_loss"), snapshot.metrics.get("test_loss")
    if run is None or train is None or test is None or snapshot.epoch == 0:
        return
    screen.state.own.rows[run] = (snapshot.epoch, train, test)


def draw_runs_table(widget: RunsTable, snapshot, view, ui) -> None:
    lesson, state = ui.state.lesson, ui.state
    overfit = state.own.rows.get("overfit")
    rows = []
    for run, (epoch, train, test) in state.own.rows.items():
        worse = overfit is not None and run != "overfit" and test > overfit[2]
        rows.append((label(lesson, run), (str(epoch), f"{train:.3f}", f"{test:.3f}", f"{test - train:+.2f}"),
                     "bold red" if worse else ""))
    # 29 cells: whole in the 36-cell pane at 80x24 ("runs: losses where each stopp…").
    widget.show_rows("losses where each run stopped", ("ep", "train", "test", "gap"), rows,
                     label(lesson, state.run))


PANES = {"runs_table": Pane("runs_table", widget=RunsTable, draw=draw_runs_table, group="plot")}

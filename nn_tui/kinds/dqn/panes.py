"""A DQN's screen: the grid (values, greedy arrows, the agent, a cursor), return and
steps per episode as curves, the Q-values of the cell under the cursor; and its keys,
which move the cursor and edit the world. Imported only by the UI; the cursor is the
screen's (`DqnUi`), never in a snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.gridworld import CellPane, GridPane
from nn_tui.kinds.dqn.views import GridView
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.plotext_view import BLUE, GREY
from nn_tui.ui.widgets.series_plot import Series, SeriesPlot

KINDS = ("dqn",)
SERIES = (Series("episode_return", "return per episode", BLUE),
          Series("episode_steps", "steps per episode", GREY, right=True))
REWARD_STEP = 0.1


@dataclass
class DqnUi:
    row: int = 0
    col: int = 0
    shape: tuple[int, int] = (10, 10)  # the last world drawn: the cursor stays on it

    @property
    def cursor(self) -> tuple[int, int]:
        return self.row, self.col

    def move_cursor(self, screen, drow: int, dcol: int) -> None:
        self.row = min(max(self.row + drow, 0), self.shape[0] - 1)
        self.col = min(max(self.col + dcol, 0), self.shape[1] - 1)
        screen.show_all()

    def make_cell(self, screen, kind: str) -> None:
        screen.send("set_cell", self.row, self.col, kind)

    def nudge_reward(self, screen, direction: int) -> None:
        screen.send("nudge_reward", self.row, self.col, direction * REWARD_STEP)


def make_ui() -> DqnUi:
    return DqnUi()


def draw_grid(widget: GridPane, snapshot, view: GridView, ui: DqnUi) -> None:
    ui.shape = view.shape
    ui.row, ui.col = min(ui.row, view.shape[0] - 1), min(ui.col, view.shape[1] - 1)
    # In parts (80x24 cut it at "(→ not…"); set only on a change (an assignment repaints the pane).
    lay_title(widget, ["max Q [#0877bd]█[/]+ [#f59322]█[/]−", "● agent", "→ greedy ([#ff5f5f]→[/] not optimal)"])
    widget.update_grid(view, ui.cursor)


def draw_history(widget: SeriesPlot, snapshot, view, ui) -> None:
    widget.set_series(SERIES)
    widget.update_history(snapshot.history)


def draw_cell(widget: CellPane, snapshot, view: GridView, ui: DqnUi) -> None:
    widget.update_cell(view, ui.cursor)


LAYOUT = Layout(columns=(
    Column("left", (
        Pane("output", GridView, widget=GridPane, draw=draw_grid, group="output"),
    )),
    Column("right", (
        Pane("loss", widget=SeriesPlot, draw=draw_history, group="plot"),
        Pane("dqn-cell", GridView, widget=CellPane, draw=draw_cell, group="network"),
    )),
))


def _cursor(key, label, drow, dcol):
    return Control(key, label, action="move_cursor", args=(drow, dcol), kinds=KINDS)


CONTROLS = (
    _cursor("up", "Cursor up", -1, 0),
    _cursor("down", "Cursor down", 1, 0),
    _cursor("left", "Cursor left", 0, -1),
    _cursor("right", "Cursor right", 0, 1),
    Control("W", "Cell: wall", action="make_cell", args=("wall",), show=True, kinds=KINDS),
    Control("P", "Cell: pit", action="make_cell", args=("pit",), show=True, kinds=KINDS),
    Control("G", "Cell: goal", action="make_cell", args=("goal",), show=True, kinds=KINDS),
    Control("F", "Cell: free", action="make_cell", args=("free",), show=True, kinds=KINDS),
    Control("right_square_bracket", "Cell's reward up", action="nudge_reward", args=(1,), key_display="]",
            kinds=KINDS),
    Control("left_square_bracket", "Cell's reward down", action="nudge_reward", args=(-1,), key_display="[",
            kinds=KINDS),
)

"""The alphago lesson's screen: one curves pane for both kinds (the gridworld's return
and steps, the self-play games), and the keys of both kinds' screens it names: the
grid's cursor and [ ] (a cell's reward), the board's 1-9, o (who starts), n and k. Imported only
by the UI."""

from __future__ import annotations

import importlib

from nn_tui.kinds import get_kind
from nn_tui.kinds.selfplay.panes import BoardPane, draw_board
from nn_tui.kinds.selfplay.views import BoardView
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.series_plot import SeriesPlot

BOARD = ("selfplay",)  # rows that send a self-play command (a notice while the gridworld is shown)


def draw_curves(widget: SeriesPlot, snapshot, view, ui) -> None:
    """The shown run's kind draws its own curves (its series, its history)."""
    importlib.import_module(get_kind(snapshot.kind).panes).draw_history(widget, snapshot, view, ui)


class LessonBoard(BoardPane):
    """The board in a column with other panes: as tall as its text, framed."""

    DEFAULT_CSS = "LessonBoard { height: auto; border: round $primary 40%; }"


PANES = {"loss": Pane("loss", widget=SeriesPlot, draw=draw_curves, group="plot"),
         "board": Pane("board", BoardView, widget=LessonBoard, draw=draw_board, group="output")}


def _grid_ui(screen):
    """The gridworld's cursor (its screen's UI object), or None while tic-tac-toe is shown."""
    inner = screen.ui.inner
    if not hasattr(inner, "move_cursor"):
        screen.app.notify("the cursor is the gridworld's: w shows it")
        return None
    return inner


def grid_cursor(screen, drow: int, dcol: int) -> None:
    grid = _grid_ui(screen)
    if grid is not None:
        grid.move_cursor(screen, drow, dcol)


def grid_reward(screen, direction: int) -> None:
    grid = _grid_ui(screen)
    if grid is not None:
        grid.nudge_reward(screen, direction)


ACTIONS = {"grid_cursor": grid_cursor, "grid_reward": grid_reward}


def _cursor(key: str, label: str, drow: int, dcol: int) -> Control:
    return Control(key, label, action="grid_cursor", args=(drow, dcol), show=True)


CONTROLS = (
    _cursor("up", "Cursor up", -1, 0),
    _cursor("down", "Cursor down", 1, 0),
    _cursor("left", "Cursor left", 0, -1),
    _cursor("right", "Cursor right", 0, 1),
    Control("left_square_bracket", "Cell's reward down", action="grid_reward", args=(-1,), show=True,
            key_display="["),
    Control("right_square_bracket", "Cell's reward up", action="grid_reward", args=(1,), show=True, key_display="]"),
    *(Control(str(cell), f"Play cell {cell}", command="human_move", args=(cell,), show=True, kinds=BOARD)
      for cell in range(1, 10)),
    Control("o", "Who starts: you or the network", command="switch_sides", show=True, kinds=BOARD),
    Control("n", "New game", command="new_game", show=True, kinds=BOARD),
    Control("k", "Search on/off", command="toggle_search", show=True, kinds=BOARD),
)

"""The self-play screen: the board with the network's value of every legal move as a
heatmap (the person plays it with keys 1-9), the wins/draws/losses against a random
player and perfect play over training, and the kind's keys. Imported only by the UI."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nn_tui.kinds.selfplay.views import BoardView
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE
from nn_tui.ui.widgets.series_plot import Series, SeriesPlot
from nn_tui.ui.widgets.text_pane import TextPane

KINDS = ("selfplay",)
MARK = {1: "X", -1: "O", 0: ""}
# Of 100 games each: the curves of the issue (wins against random, losses to perfect play)
# Worded as the status line ("won as X vs random", "lost as O to perfect"), and short: at 80x24
# the two pairs take a border each (see SeriesPlot).
SERIES = (Series("random_x_win", "won vs random as X", BLUE), Series("random_o_win", "as O", GREY),
          Series("perfect_x_loss", "lost to perfect as X", ORANGE),
          Series("perfect_o_loss", "as O", (200, 60, 60)))
CELL_WIDTH = 7
SHORT_SCREEN_ROWS = 30  # below it a cell is one row (two with the search's visits), not three


def _mix(value: float) -> str:
    """-1 orange (bad for the player to move) .. 0 dark .. +1 blue (good)."""
    far = ORANGE if value < 0 else BLUE
    share = min(abs(value), 1.0)
    base = (40, 40, 40)
    r, g, b = (round(base[i] + (far[i] - base[i]) * share) for i in range(3))
    return f"rgb({r},{g},{b})"


def _visit_labels(view: BoardView) -> dict[int, str]:
    """The search's visits by cell, the move it plays (the most visited) in brackets."""
    visits = view.visits
    if not view.simulations or visits is None or np.isnan(visits).all():
        return {}
    best = int(np.nanargmax(visits))
    return {cell: (f"[{int(count)}]" if cell == best else str(int(count)))
            for cell, count in enumerate(visits) if not math.isnan(count)}


def board_text(view: BoardView, short: bool = False) -> Text:
    """The board, three rows a cell; `short`: without the blank row over each mark or
    value, without the visits' row when the search is off, and a shorter note (an 80x24
    screen keeps rows for the curves under the board)."""
    text = Text()
    visits = _visit_labels(view)
    lines = ((1, 2) if visits else (1,)) if short else (0, 1, 2)
    for row in range(3):
        for line in lines:
            for col in range(3):
                cell = row * 3 + col
                value = view.move_values[cell]
                mark = MARK[int(view.board[cell])]
                if line == 2:
                    label = visits.get(cell, "")
                elif line != 1:
                    label = ""
                elif mark:
                    label = mark
                elif not math.isnan(value):
                    label = f"{value:+.2f}"
                else:
                    label = str(cell + 1)
                style = f"bold on {_mix(value)}" if not math.isnan(value) else "bold"
                text.append(label.center(CELL_WIDTH), style=style)
                if col < 2:
                    text.append("│")
            text.append("\n")
        if row < 2:
            text.append("┼".join(["─" * CELL_WIDTH] * 3) + "\n")
    text.append(("" if short else "\n") + f"{view.message}\n", style="bold")
    if view.simulations:
        search = (f"under them the tree search's visits ({view.simulations} simulations); it plays the [most "
                  f"visited]")
    elif view.search_depth:
        search = f"through {view.search_depth} plies of look-ahead"
    else:
        search = "search off (the network alone)"
    if short:  # "your move: keys 1-9" says the keys; the cells' order is the step's
        search = (f"under them the search's visits ({view.simulations}), it plays the [most]" if view.simulations
                  else search)
        text.append(f"values: the network's for the side to move · {search}", style="dim")
        return text
    text.append(f"cells 1-9 as on a phone pad, row by row · values: the network's for the side to move · {search}",
                style="dim")
    return text


class BoardPane(TextPane):
    def update_board(self, view: BoardView) -> None:
        short = self.app.size.height < SHORT_SCREEN_ROWS
        self.show(lambda width: board_text(view, short))


def draw_board(widget: BoardPane, snapshot, view: BoardView, ui) -> None:
    widget.border_title = "tic-tac-toe · you against the network"
    widget.update_board(view)


def draw_history(widget: SeriesPlot, snapshot, view, ui) -> None:
    widget.set_series(SERIES)
    widget.update_history(snapshot.history)


LAYOUT = Layout(columns=(
    Column("left", (Pane("board", BoardView, widget=BoardPane, draw=draw_board, group="output"),)),
    Column("right", (Pane("loss", widget=SeriesPlot, draw=draw_history, group="plot"),)),
))


def make_ui():
    return None


CONTROLS = (
    *(Control(str(cell), f"Play cell {cell}", command="human_move", args=(cell,), kinds=KINDS) for cell in range(1, 10)),
    Control("f", "Who starts: you or the network", command="switch_sides", show=True, kinds=KINDS),
    Control("n", "New game", command="new_game", kinds=KINDS),
    Control("k", "Search on/off", command="toggle_search", show=True, kinds=KINDS),
)

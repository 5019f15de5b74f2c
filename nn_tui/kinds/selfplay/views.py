"""What the self-play screen shows, frozen for the snapshot (see nn_tui/views.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class BoardView(View):
    """The game the person plays against the network.

    board (9,): 1 X, -1 O, 0 empty, row by row. move_values (9,): the network's value of
    each legal move for the player to move (+1 a win for it), NaN where a cell is taken or
    the game is over; through the minimax look-ahead when search_depth is set. visits (9,):
    the tree search's visits of each legal move when it is on (simulations > 0), else NaN.
    human: the person's side."""

    board: np.ndarray
    move_values: np.ndarray
    human: int
    to_move: int
    message: str
    search_depth: int
    simulations: int = 0
    visits: np.ndarray | None = None

"""The game a person plays against the network, kept in the run (the training side):
keys 1-9 send a move, the network answers at once, alone or through its search."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.kinds.selfplay.agent import afterstate_values
from nn_tui.kinds.selfplay.game import DRAW, EMPTY_BOARD, X, play, to_move, winner
from nn_tui.kinds.selfplay.search import ValueTable, choose_move, visit_counts

MARK = {1: "X", -1: "O"}


@dataclass
class Match:
    board: tuple = EMPTY_BOARD
    human: int = X  # the person's side; X starts
    message: str = "your move: keys 1-9 (you are X)"

    def over(self) -> bool:
        return winner(self.board) != 0

    def new_game(self, net, spec, rng) -> None:
        """`spec`: the run's settings (search_depth, mcts: how the network chooses)."""
        self.board = EMPTY_BOARD
        self.message = f"your move: keys 1-9 (you are {MARK[self.human]})"
        if self.human != X:
            self._network_moves(net, spec, rng)

    def human_move(self, cell: int, net, spec, rng) -> None:
        """`cell` is 1..9 (the keys); the network answers if the game goes on."""
        if self.over():
            self.new_game(net, spec, rng)
            if self.human != X:
                return  # the network opened the new game; the person moves next
        if not 1 <= cell <= 9 or self.board[cell - 1] != 0:
            raise ConfigError(f"cell {cell} is taken" if 1 <= cell <= 9 else f"no cell {cell}; keys 1-9")
        if to_move(self.board) != self.human:
            raise ConfigError("it is the network's move")
        self.board = play(self.board, cell - 1)
        if not self._finished():
            self._network_moves(net, spec, rng)

    def _network_moves(self, net, spec, rng) -> None:
        self.board = play(self.board, choose_move(net, self.board, rng, spec.search_depth, spec.mcts))
        if not self._finished():
            self.message = f"your move (you are {MARK[self.human]})"

    def _finished(self) -> bool:
        w = winner(self.board)
        if w == 0:
            return False
        self.message = ("a draw" if w == DRAW else "you win" if w == self.human else "the network wins") + \
            " · any of 1-9 starts a new game"
        return True

    def move_values(self, net, depth: int) -> np.ndarray:
        """Each legal move's value for the player to move: the network's, through `depth`
        plies of minimax if set; NaN where a cell is taken or the game is over."""
        values = np.full(9, np.nan)
        if not self.over():
            moves, v = afterstate_values(net, self.board, depth)
            values[moves] = v
        return values

    def visits(self, net, simulations: int) -> np.ndarray:
        """The tree search's visits of each legal move from this board (NaN elsewhere)."""
        visits = np.full(9, np.nan)
        if simulations and not self.over():
            moves, counts, _ = visit_counts(ValueTable(net), self.board, simulations)
            visits[moves] = counts
        return visits

"""Run -> the views of the self-play screen."""

from __future__ import annotations

import numpy as np

from nn_tui.kinds.selfplay.game import to_move
from nn_tui.kinds.selfplay.views import BoardView


def probes(run) -> tuple:
    match, spec = run.match, run.spec
    return (BoardView(board=np.array(match.board), move_values=match.move_values(run.model, spec.search_depth),
                      visits=_visits(run), human=match.human, to_move=to_move(match.board), message=match.message,
                      search_depth=spec.search_depth, simulations=spec.mcts),)


def _visits(run) -> np.ndarray:
    """The search's visits, computed again only when the network, the board or the
    number of simulations changed (a paused run is published after every key)."""
    key = (run.learner.games, run.match.board, run.spec.mcts)
    cached = run.shown_visits
    if cached is None or cached[0] != key:
        cached = (key, run.match.visits(run.model, run.spec.mcts))
        run.shown_visits = cached
    return cached[1]

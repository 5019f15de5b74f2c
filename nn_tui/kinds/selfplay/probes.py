"""Run -> the views of the self-play screen."""

from __future__ import annotations

import numpy as np

from nn_tui.kinds.selfplay.game import to_move
from nn_tui.kinds.selfplay.views import BoardView


def probes(run) -> tuple:
    match, depth = run.match, run.spec.search_depth
    return (BoardView(board=np.array(match.board), move_values=match.move_values(run.model, depth),
                      human=match.human, to_move=to_move(match.board), message=match.message, search_depth=depth),)

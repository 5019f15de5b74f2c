"""The self-play screen: the board with the network's move values, the person playing
against the network with keys 1-9, who starts, the search key; at 120×40 and 80×24."""

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.kinds.selfplay.search import SIMULATIONS
from nn_tui.kinds.selfplay.views import BoardView
from nn_tui.session import Session
from tests.app.pilot_helpers import wait_for


def _session():
    return Session(RunConfig.of(model="selfplay", games_per_epoch=50))


def _send(session, *command):
    session.send(*command)
    session.apply_commands()
    return session.snapshot.view(BoardView)


def test_the_person_plays_the_network_through_session_commands():
    session = _session()
    view = _send(session, "human_move", 5)
    assert view.board[4] == 1 and (view.board == -1).sum() == 1  # the network answered
    assert np.isnan(view.move_values[view.board != 0]).all() and np.isfinite(view.move_values[view.board == 0]).all()
    _send(session, "human_move", 5)  # taken: a notice, the game as it was
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait().text)
    assert any("cell 5 is taken" in text for text in notices), notices
    view = _send(session, "switch_sides")  # the network starts as X
    assert view.human == -1 and (view.board == 1).sum() == 1 and (view.board == -1).sum() == 0
    view = _send(session, "toggle_search")  # the tree search: its visits of every legal move
    assert view.simulations == SIMULATIONS and session.training_run.spec.mcts == SIMULATIONS
    legal = view.board == 0
    assert np.isfinite(view.visits[legal]).all() and np.isnan(view.visits[~legal]).all()
    assert view.visits[legal].sum() == SIMULATIONS  # each simulation goes through one of the moves
    assert session.snapshot.settings["mcts"] == SIMULATIONS
    view = _send(session, "toggle_search")
    assert view.simulations == 0 and np.isnan(view.visits).all()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_screen_shows_the_board_and_takes_moves(size):
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(_session(), fps=20)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        assert "your move" in str(app.query_one("#board").render())
        await pilot.press("5")
        await wait_for(pilot, lambda: " X " in (board := str(app.query_one("#board").render())) and " O " in board)
        shown = str(app.query_one("#board").render())
        assert " X " in shown and " O " in shown
        await pilot.press("k", "f", "s")  # search, who starts, one epoch: the app keeps running
        await pilot.pause(0.3)
        assert app.query_one("#board")

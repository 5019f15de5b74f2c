"""The DQN through the Session (its edit commands, the views) and on its screen
through Pilot at 120×40 and 80×24: the grid, the curves, the cursor cell's Q-values,
the keys that edit the world; random keys and resizes never crash it."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.kinds.dqn.gridworld import GOAL, PIT, WALL
from nn_tui.kinds.dqn.views import GridView
from nn_tui.session import Session
from tests.app.pilot_helpers import back_to_the_playground, press_at_random, status, wait_for


def _session(**settings) -> Session:
    return Session(RunConfig.of(model="dqn", **settings))


def _apply(session, *command):
    session.send(*command)
    session.apply_commands()


def test_the_session_publishes_the_grid_and_the_edit_commands_change_the_world():
    session = _session()
    view = session.snapshot.view(GridView)
    assert view.shape == (10, 10) and view.q.shape == (100, 4) and not view.q.flags.writeable
    assert session.snapshot.metrics["episode_return"] is None  # no episode yet: a gap in the curve
    for _ in range(3):
        _apply(session, "step")
    snap = session.snapshot
    assert snap.epoch == 3 and len(snap.history.get("episode_return")) == 4
    _apply(session, "set_cell", 0, 0, "wall")
    _apply(session, "set_cell", 9, 9, "goal")
    _apply(session, "nudge_reward", 9, 9, 0.5)
    view = session.snapshot.view(GridView)
    assert view.cells[0, 0] == WALL and view.cells[9, 9] == GOAL and view.rewards[9, 9] == pytest.approx(1.5)
    assert view.optimal[98, 1]  # value iteration now sends (9, 8) right, into the new goal
    _apply(session, "step")
    assert session.snapshot.epoch == 4 and session.training_run.world.cells[0, 0] == WALL


@pytest.mark.parametrize("command, words", [
    (("set_cell", 10, 0, "wall"), "no cell (10, 0)"),
    (("set_cell", 0, 0, "lava"), "a cell is one of"),
    (("nudge_reward", 1, 1, 0.1), "a wall is never entered"),
    (("nudge_reward", 0, 0, 9.0), "within ±5"),
])
def test_a_bad_edit_is_a_notice_and_the_world_stays(command, words):
    session = _session()
    before = session.training_run.world
    _apply(session, *command)
    notice = session.notices.get_nowait()
    assert notice.severity == "error" and words in notice.text
    assert session.training_run.world is before


def test_an_edit_that_leaves_no_free_cell_is_refused():
    from nn_tui.kinds.dqn.commands import set_cell
    from nn_tui.kinds.dqn.gridworld import World

    session = _session()
    session.training_run.set_world(World.from_layout(("P.G",)))
    with pytest.raises(ValueError, match="at least one free cell"):
        set_cell(session, 0, 1, "pit")


def _app():
    from nn_tui.ui.app import NNTuiApp

    return NNTuiApp(_session(), fps=20)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_screen_shows_the_grid_the_cursor_cell_and_edits_with_keys(size):
    app = _app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert "success" in status(app) and "optimal" in status(app) and "γ 0.95" in status(app)
        grid, cell = app.screen.pane("output"), app.screen.pane("dqn-cell")
        assert grid.size.width >= 30 and grid.size.height >= 10
        await wait_for(pilot, lambda: "cell (0, 0) free" in str(cell.render()))
        await pilot.press("down", "down", "right", "right", "right")  # (2, 3): inside the room
        await wait_for(pilot, lambda: "cell (2, 3) free" in str(cell.render()))
        assert "Q exact" in str(cell.render()) and "greedy" in str(cell.render())
        await pilot.press("P")
        await wait_for(pilot, lambda: app.session.snapshot.view(GridView).cells[2, 3] == PIT)
        await wait_for(pilot, lambda: "cell (2, 3) pit" in str(cell.render()))
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: app.session.snapshot.view(GridView).rewards[2, 3] == pytest.approx(-0.9))
        await pilot.press("W")
        await wait_for(pilot, lambda: app.session.snapshot.view(GridView).cells[2, 3] == WALL)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 20)
        await pilot.press("space")
        await wait_for(pilot, lambda: "paused" in status(app))
        assert app.session.snapshot.view(GridView).cells[2, 3] == WALL  # the edit stays while training
        assert "return per episode" in str(app.screen.pane("loss").border_title)


async def test_random_keys_and_resizes_never_crash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rng = random.Random(7)
    keys = ["space", "s", "r", "up", "down", "left", "right", "W", "P", "G", "F", "left_square_bracket",
            "right_square_bracket", "plus", "minus", "b", "B", "o", "g", "d", "z", "t", "question_mark", "escape",
            "enter", "tab", "w"]
    sizes = [(120, 40), (80, 24), (60, 15), (200, 60), (20, 3)]
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press_at_random(pilot, rng, keys, sizes, rounds=30)
        assert app.is_running
        await back_to_the_playground(pilot, app)
        await wait_for(pilot, lambda: f"epoch {app.session.snapshot.epoch:,}" in status(app))
    assert np.isfinite(app.session.training_run.model.flat_params).all()


def test_new_weights_keep_the_edited_world_and_new_data_brings_the_default_back():
    session = _session()
    _apply(session, "set_cell", 0, 0, "pit")
    _apply(session, "step")
    _apply(session, "reset")
    assert session.training_run.epoch == 0 and session.snapshot.view(GridView).cells[0, 0] == PIT
    _apply(session, "regenerate")
    assert session.snapshot.view(GridView).cells[0, 0] != PIT

"""The agents in the app: the save key writes the whole run (what --load continues), and
random keys and resizes never crash the self-play screen (the DQN's are in
test_dqn_screen.py)."""

import random

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.engine import load_model
from nn_tui.run_setup import prepare
from nn_tui.session import Session
from tests.app.pilot_helpers import back_to_the_playground, press_at_random, status, wait_for

SETTINGS = {"dqn": dict(model="dqn", replay=300, batch_size=16),
            "selfplay": dict(model="selfplay", games_per_epoch=30, replay_size=300)}


def _app(kind):
    from nn_tui.ui.app import NNTuiApp

    return NNTuiApp(Session(RunConfig.of(**SETTINGS[kind])), fps=20)


@pytest.mark.parametrize("kind", ["dqn", "selfplay"])
async def test_the_save_key_writes_the_run_that_load_continues(kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = _app(kind)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "s", "s")  # three epochs
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 3 and app.session.snapshot.status == "paused")
        await pilot.press("w")
        await pilot.pause(0.2)
        await pilot.press("enter")
        await wait_for(pilot, lambda: list(tmp_path.glob("nn-tui-*.npz")))
        run = app.session.training_run
        step, params = run.step, run.model.flat_params.copy()
    (path,) = tmp_path.glob("nn-tui-*.npz")
    assert load_model(path).run_state is not None
    prepared = prepare(RunConfig.of(**SETTINGS[kind], load=str(path)))
    loaded = prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)
    assert loaded.step == step and np.array_equal(loaded.model.flat_params, params)


async def test_random_keys_and_resizes_never_crash_the_self_play_screen(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "w" then "enter" saves a model into the working directory
    rng = random.Random(11)
    keys = ["space", "s", "r", "R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "f", "n", "k", "w", "enter",
            "plus", "minus", "o", "d", "z", "t", "question_mark", "escape", "tab", "up", "down", "left", "right"]
    sizes = [(120, 40), (80, 24), (60, 15), (200, 60), (20, 3)]
    app = _app("selfplay")
    async with app.run_test(size=(120, 40)) as pilot:
        await press_at_random(pilot, rng, keys, sizes, rounds=40)
        assert app.is_running
        await back_to_the_playground(pilot, app)
        await wait_for(pilot, lambda: f"epoch {app.session.snapshot.epoch:,}" in status(app))
    assert np.isfinite(app.session.training_run.model.flat_params).all()

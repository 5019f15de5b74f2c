"""A DQN session autosaved mid-episode (an edited world, the replay, the RNG, ε's
clock) resumes to the numbers of the run that went straight on; a damaged state is
one line."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui import autosave
from nn_tui.config import RunConfig
from nn_tui.kinds.base import NotResumable
from nn_tui.session import Session

CONFIG = dict(model="dqn", replay=500, batch_size=16, seed=3)


def _epochs(session, n):
    for _ in range(n):
        session.send("step")
        session.apply_commands()


def _edit(session):
    session.send("set_cell", 0, 4, "pit")
    session.send("nudge_reward", 9, 0, 0.3)
    session.apply_commands()


def test_an_autosaved_session_resumes_mid_episode_to_the_uninterrupted_numbers(tmp_path):
    config = RunConfig.of(**CONFIG)
    path = tmp_path / "autosave.npz"
    whole = Session(config)
    _epochs(whole, 3)
    _edit(whole)
    _epochs(whole, 3)

    first = Session(config, autosave_path=path)
    _epochs(first, 3)
    _edit(first)
    _epochs(first, 1)
    first.training_run.train_steps(3)  # in the middle of episode 5
    first._dirty = True
    first.autosave()
    del first
    with np.load(path, allow_pickle=False) as npz:  # no pickle anywhere
        assert all(npz[entry].dtype != object for entry in npz.files)

    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config == config and resumed.training_run.epoch == 4
    assert resumed.training_run.world.rewards[9, 0] == pytest.approx(0.3)
    _epochs(resumed, 2)
    a, b = whole.training_run, resumed.training_run
    for name in ("net", "target", "shown"):
        assert np.array_equal(getattr(a.agent, name).flat_params, getattr(b.agent, name).flat_params), name
    assert a.step == b.step and a.agent.epsilon == b.agent.epsilon and whole.scores == resumed.scores
    assert np.array_equal(a.world.cells, b.world.cells)


@pytest.mark.parametrize("part", ["rng", "replay", "world", "optimizer"])
def test_a_damaged_state_is_refused_in_one_line(part):
    session = Session(RunConfig.of(**CONFIG))
    _epochs(session, 1)
    state = session.training_run.state()
    state.info.pop(part)
    with pytest.raises(NotResumable, match="incomplete or damaged"):
        Session(RunConfig.of(**CONFIG)).training_run.restore(state)


def test_new_weights_after_a_resume_or_a_load_keep_the_saved_world(tmp_path):
    first = Session(RunConfig.of(**CONFIG))
    _epochs(first, 1)
    _edit(first)
    first.autosave_path = tmp_path / "autosave.npz"
    first._dirty = True
    first.autosave()
    first._apply("save", (str(tmp_path / "q.npz"),), {})
    resumed = Session(RunConfig(), resume=autosave.read(tmp_path / "autosave.npz"))
    loaded = Session(RunConfig.of(**CONFIG, load=str(tmp_path / "q.npz")))
    for session in (resumed, loaded):
        assert session.training_run.world.rewards[9, 0] == pytest.approx(0.3)
        _apply_reset(session)
        assert session.training_run.epoch == 0 and session.training_run.world.rewards[9, 0] == pytest.approx(0.3)


def _apply_reset(session):
    session.send("reset")
    session.apply_commands()

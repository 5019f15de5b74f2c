"""The DQN's training: it learns (a small grid, measured against value iteration), the
same seed gives the same numbers, and a run resumes bit for bit from its state."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.kinds.dqn.build import DqnRun, load_world
from nn_tui.kinds.dqn.gridworld import PIT, WALL, World

SMALL = (
    "....",
    ".#P.",
    "...G",
)


def _run(world=None, episodes=0, **settings):
    config = RunConfig.of(model="dqn", **settings)
    run = DqnRun(config, load_world(config, config.train.seed), world)
    for _ in range(episodes):
        run.run_epoch()
    return run


def _small_run():
    small = World.from_layout(SMALL, step_cap=30)
    return _run(small, layers=(16,), eps_decay=400, target_every=50, batch_size=32, lr=3e-3, replay=2000,
                q_average=0.99)


def test_training_takes_optimal_share_to_the_exact_answer_on_a_small_grid():
    run = _small_run()
    before = run.scores()
    for _ in range(150):
        run.run_epoch()
    after = run.scores()
    assert before["optimal_share"] < 0.7
    assert after["optimal_share"] == 1.0 and after["success_rate"] == 1.0
    assert after["mean_return"] > before["mean_return"]
    assert run.epoch == 150 and run.step > 150


def test_same_seed_same_numbers_and_another_seed_others():
    first, second, other = (_run(episodes=8, seed=seed) for seed in (4, 4, 5))
    assert np.array_equal(first.model.flat_params, second.model.flat_params)
    assert first.scores() == second.scores() and first.step == second.step
    assert not np.array_equal(first.model.flat_params, other.model.flat_params)


def test_epsilon_falls_linearly_then_stays():
    run = _run(eps_start=1.0, eps_end=0.1, eps_decay=100)
    agent = run.agent
    assert agent.epsilon == 1.0
    agent.steps = 50
    assert agent.epsilon == pytest.approx(0.55)
    agent.steps = 1000
    assert agent.epsilon == 0.1


def test_an_episode_ends_at_the_step_cap_where_no_goal_can_be_reached():
    world = World.from_layout((".#G",), step_cap=7)
    run = _run(world, batch_size=4)
    run.run_epoch()
    assert run.step == 7 and run.agent.last_steps == 7 and run.epoch == 1


def test_a_run_resumes_bit_for_bit_from_its_state_edited_world_included():
    run = _run(episodes=8, seed=2, replay=300, batch_size=16)
    run.set_world(run.world.with_cell(0, 0, PIT))
    run.train_steps(5)  # in the middle of an episode
    state = run.state()
    state.info = json.loads(json.dumps(state.info, allow_nan=False))  # what an autosave holds: JSON
    for _ in range(6):
        run.run_epoch()
    resumed = _run(seed=2, replay=300, batch_size=16)
    resumed.restore(state)
    assert resumed.world.cells[0, 0] == PIT
    for _ in range(6):
        resumed.run_epoch()
    assert np.array_equal(run.model.flat_params, resumed.model.flat_params)
    assert np.array_equal(run.agent.target.flat_params, resumed.agent.target.flat_params)
    assert np.array_equal(run.agent.shown.flat_params, resumed.agent.shown.flat_params)
    assert run.scores() == resumed.scores() and run.step == resumed.step and run.epoch == resumed.epoch
    assert np.array_equal(run.agent.replay.cell, resumed.agent.replay.cell)


def test_a_state_of_another_replay_size_is_refused_in_one_line():
    from nn_tui.kinds.base import NotResumable

    state = _run(episodes=1, replay=300, batch_size=16).state()
    with pytest.raises(NotResumable, match="replay"):
        _run(replay=400, batch_size=16).restore(state)


def test_scores_are_measured_against_value_iteration_of_the_world_as_edited():
    run = _small_run()
    for _ in range(150):
        run.run_epoch()
    q_star = run.exact()[0]
    assert run.scores()["success_rate"] == 1.0
    run.set_world(run.world.with_cell(2, 3, WALL))  # no goal left: nothing can succeed
    assert run.exact()[0] is not q_star
    assert run.scores()["success_rate"] == 0.0 and run.scores()["optimal_share"] == 1.0  # every move is as good


def test_the_shown_network_is_an_average_of_the_learning_one_unless_off():
    averaged = _run(episodes=3, q_average=0.9)
    agent = averaged.agent
    assert agent.shown is not agent.net and averaged.model is agent.shown
    assert not np.array_equal(agent.shown.flat_params, agent.net.flat_params)
    before = agent.shown.flat_params.copy()
    agent.act()
    np.testing.assert_allclose(agent.shown.flat_params, 0.9 * before + 0.1 * agent.net.flat_params)
    plain = _run(episodes=1, q_average=0.0).agent
    assert plain.shown is plain.net

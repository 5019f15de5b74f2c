"""The DQN's gridworld: its rules, value iteration against answers worked by hand, the
optimal actions (ties kept) and the greedy walks the metrics read."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui.kinds.dqn.gridworld import (DEFAULT_LAYOUT, GOAL, PIT, WALL, World, greedy_walks, optimal_actions,
                                        parse_layout, value_iteration)

UP, RIGHT, DOWN, LEFT = range(4)


def test_value_iteration_equals_the_hand_answer_on_a_corridor():
    # P . . G, γ 0.9, every move −0.01: cell 2 steps into the goal (+1), cell 1 walks
    # right (one step later), a bump into the edge stays and pays, left of cell 1 is the pit
    world = World.from_layout(("P..G",), step_reward=-0.01)
    q = value_iteration(world, 0.9)
    v2 = -0.01 + 1.0
    v1 = -0.01 + 0.9 * v2
    expected = np.zeros((4, 4))
    expected[1] = [-0.01 + 0.9 * v1, v1, -0.01 + 0.9 * v1, -0.01 - 1.0]
    expected[2] = [-0.01 + 0.9 * v2, v2, -0.01 + 0.9 * v2, -0.01 + 0.9 * v1]
    np.testing.assert_allclose(q, expected, atol=1e-12)
    assert optimal_actions(q, world)[1:3].tolist() == [[False, True, False, False]] * 2
    assert not optimal_actions(q, world)[[0, 3]].any()  # terminal cells have no actions


def test_equally_short_ways_are_all_optimal():
    world = World.from_layout(("G.G",))
    best = optimal_actions(value_iteration(world, 0.95), world)
    assert best[1].tolist() == [False, True, False, True]


def test_a_wall_blocks_and_the_edge_keeps_the_agent_in():
    world = World.from_layout((".#", "..", "G."), step_reward=-0.01)
    assert world.step(0, RIGHT) == (0, -0.01, False)  # into the wall: stays, pays
    assert world.step(0, UP) == (0, -0.01, False)  # off the grid: stays
    assert world.step(0, DOWN) == (2, -0.01, False)
    after, reward, ended = world.step(2, DOWN)
    assert (after, ended) == (4, True) and reward == pytest.approx(0.99)


def test_a_pit_ends_the_episode_with_its_penalty_and_an_edited_cell_its_reward():
    world = World.from_layout(("P.",), step_reward=-0.05)
    after, reward, ended = world.step(1, LEFT)
    assert (after, ended) == (0, True) and reward == pytest.approx(-1.05)
    edited = world.with_cell(0, 0, GOAL, reward=0.5)
    assert edited.step(1, LEFT)[1:] == (pytest.approx(0.45), True)
    assert world.cells[0, 0] == PIT  # the original is unchanged
    walled = world.with_cell(0, 0, WALL)
    assert walled.step(1, LEFT) == (1, -0.05, False)


def test_greedy_walks_score_reaching_the_goal_and_catch_loops():
    world = World.from_layout(("...G",), step_cap=10)
    policy = np.full(4, RIGHT)
    starts, returns, reached = greedy_walks(world, policy)
    assert starts.tolist() == [0, 1, 2] and reached.all()
    np.testing.assert_allclose(returns, [0.97, 0.98, 0.99])
    policy[1] = LEFT  # 0 -> 1 -> 0 -> ...: cells 0 and 1 loop until the cap
    _, returns, reached = greedy_walks(world, policy)
    assert reached.tolist() == [False, False, True]
    np.testing.assert_allclose(returns[:2], [-0.1, -0.1])


def test_the_default_world_is_ten_by_ten_with_a_goal_pits_and_walls():
    world = World.from_layout()
    assert world.shape == (10, 10) and world.layout() == DEFAULT_LAYOUT
    flat = world.cells.ravel()
    assert (flat == GOAL).sum() == 1 and (flat == PIT).sum() >= 3 and (flat == WALL).sum() >= 10
    q = value_iteration(world, 0.95)
    _, _, reached = greedy_walks(world, np.argmax(q, axis=1))
    assert reached.all()  # the exact answer reaches the goal from every free cell


@pytest.mark.parametrize("rows", [(), ("..", "."), (".x",)])
def test_a_bad_layout_is_one_clear_error(rows):
    with pytest.raises(ValueError):
        parse_layout(rows)


def _plain_value_iteration(rows, gamma, step_reward, sweeps=2000):
    """Value iteration written out cell by cell from the rules, to check the vectorised one."""
    height, width = len(rows), len(rows[0])
    enter = {".": 0.0, "G": 1.0, "P": -1.0}
    values = {(r, c): 0.0 for r in range(height) for c in range(width)}
    q = {}
    for _ in range(sweeps):
        new = dict(values)
        for r in range(height):
            for c in range(width):
                if rows[r][c] != ".":
                    continue
                for a, (dr, dc) in enumerate(((-1, 0), (0, 1), (1, 0), (0, -1))):
                    nr, nc = r + dr, c + dc
                    if not (0 <= nr < height and 0 <= nc < width) or rows[nr][nc] == "#":
                        nr, nc = r, c
                    ends = rows[nr][nc] in "GP"
                    q[(r, c), a] = step_reward + enter[rows[nr][nc]] + (0.0 if ends else gamma * values[nr, nc])
                new[r, c] = max(q[(r, c), a] for a in range(4))
        values = new
    return q


@pytest.mark.parametrize("gamma", [0.9, 0.95])
def test_value_iteration_of_the_default_world_equals_a_plain_one(gamma):
    world = World.from_layout()
    q = value_iteration(world, gamma)
    plain = _plain_value_iteration(DEFAULT_LAYOUT, gamma, -0.01, sweeps=200)
    width = world.shape[1]
    for ((r, c), a), value in plain.items():
        assert q[r * width + c, a] == pytest.approx(value, abs=1e-9)
    assert len(plain) == 4 * world.free.sum()

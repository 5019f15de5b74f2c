"""What a user can ask of a DQN on its screen: edit the world (a cell becomes free, a
wall, a pit or the goal; a cell's reward up or down) and watch the values flow back.
The agent keeps its network and replay (REINFORCEjs's gridworld does the same); the
episode under way ends, and the metrics are measured again on the edited world. The
session's data set becomes the edited world: new weights (r) keep it, new data (R)
brings the default world back."""

from __future__ import annotations

import math

from nn_tui.settings import ConfigError
from nn_tui.kinds.dqn.build import world_data
from nn_tui.kinds.dqn.gridworld import FREE, GOAL, PIT, WALL

CELL_KINDS = {"free": FREE, "wall": WALL, "pit": PIT, "goal": GOAL}
MAX_REWARD = 5.0


def _cell(run, row, col) -> tuple[int, int]:
    height, width = run.world.shape
    if not (isinstance(row, int) and isinstance(col, int) and 0 <= row < height and 0 <= col < width):
        raise ConfigError(f"no cell ({row}, {col}) in a {height}×{width} world")
    return row, col


def _apply(session, world) -> None:
    if not world.free.any():
        raise ConfigError("the world needs at least one free cell for an episode to start in")
    run = session.training_run
    run.set_world(world)
    session.dataset = world_data(world)  # a reset of the weights (r) keeps the edited world
    session.scores = run.scores()  # the header measures the world as it is now


def set_cell(session, row, col, kind: str) -> None:
    run = session.training_run
    row, col = _cell(run, row, col)
    if kind not in CELL_KINDS:
        raise ConfigError(f"a cell is one of {', '.join(CELL_KINDS)}, not {kind!r}")
    _apply(session, run.world.with_cell(row, col, CELL_KINDS[kind]))


def nudge_reward(session, row, col, delta) -> None:
    """The reward for entering the cell, by `delta` (walls have none)."""
    run = session.training_run
    row, col = _cell(run, row, col)
    world = run.world
    kind = int(world.cells[row, col])
    if kind == WALL:
        raise ConfigError("a wall is never entered: it has no reward")
    value = float(world.rewards[row, col]) + float(delta)
    if not math.isfinite(value) or abs(value) > MAX_REWARD:
        raise ConfigError(f"a cell's reward stays within ±{MAX_REWARD:g}")
    _apply(session, world.with_cell(row, col, kind, reward=round(value, 6)))


COMMANDS = {"set_cell": set_cell, "nudge_reward": nudge_reward}

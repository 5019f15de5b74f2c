"""What a DQN's screen is drawn from: the world, every cell's Q-values (of the shown
network and of value iteration) and where the agent is. Copied, frozen arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class GridView(View):
    cells: np.ndarray  # (H, W) FREE / WALL / GOAL / PIT
    rewards: np.ndarray  # (H, W) reward for entering each cell
    q: np.ndarray  # (H·W, 4) the shown network's Q-values, up/right/down/left
    q_star: np.ndarray  # (H·W, 4) value iteration's, on the same world and γ
    optimal: np.ndarray  # (H·W, 4) bool: value iteration's best moves (ties kept)
    agent: int  # the cell of the episode under way, -1 between episodes
    episode_steps: int
    episode_return: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.cells.shape

"""The gridworld a DQN agent learns (REINFORCEjs's, at 10×10): its data, NumPy only.

Cells are free, walls, the goal or pits. A move (up, right, down, left) is
deterministic: into a wall or off the grid the agent stays where it is. Every move
costs `step_reward` (−0.01 by default) and earns the reward of the cell it enters
(the goal +1, a pit −1, a free cell 0 unless edited); entering the goal or a pit ends
the episode, and so does the step cap (a truncation: the cell still has a future).

`value_iteration` gives the exact Q* on the same grid and γ; `optimal_actions` the
set of best moves per free cell (ties allowed), which `optimal_share` checks against.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

FREE, WALL, GOAL, PIT = 0, 1, 2, 3
CELL_CHARS = {".": FREE, "#": WALL, "G": GOAL, "P": PIT}
ACTIONS = ("up", "right", "down", "left")
ARROWS = "↑→↓←"
MOVES = np.array([(-1, 0), (0, 1), (1, 0), (0, -1)])
DEFAULT_REWARDS = {FREE: 0.0, WALL: 0.0, GOAL: 1.0, PIT: -1.0}
TIE_TOLERANCE = 1e-9  # Q* values this close are equally good (exact ties differ by rounding only)

# A walled room with the goal inside; its only door is a one-cell corridor (column 5)
# whose mouth has a pit beside it, and a pit waits inside the room next to the way in.
# From the top the short way runs around the room: the far side of it is a tie or a
# few steps longer, so the values must be learnt, not guessed from the distance.
DEFAULT_LAYOUT = (
    "..........",
    ".########.",
    ".#......#.",
    ".#.G..P.#.",
    ".#......#.",
    ".####.###.",
    "....#.#...",
    "..P.#.#.P.",
    "....P.....",
    "..........",
)


def parse_layout(rows) -> np.ndarray:
    """(H, W) cell kinds from rows of `.#GP` (ValueError, one line, if not a grid)."""
    rows = tuple(rows)
    if not rows or len({len(row) for row in rows}) != 1 or not rows[0]:
        raise ValueError("a layout is rows of equal length")
    try:
        return np.array([[CELL_CHARS[ch] for ch in row] for row in rows], dtype=np.int8)
    except KeyError as error:
        raise ValueError(f"a layout cell is one of . # G P, not {error.args[0]!r}") from None


@dataclass(frozen=True, eq=False)
class World:
    """A grid's cells and rewards; immutable (an edit makes a new World), with the
    transition tables every step and value iteration read."""

    cells: np.ndarray  # (H, W) FREE/WALL/GOAL/PIT
    rewards: np.ndarray  # (H, W) reward for entering each cell
    step_reward: float = -0.01
    step_cap: int = 100
    next_cell: np.ndarray = field(init=False, repr=False)  # (n, 4) cell after each action
    move_reward: np.ndarray = field(init=False, repr=False)  # (n, 4) reward of each action
    terminal: np.ndarray = field(init=False, repr=False)  # (n,) goal or pit
    free: np.ndarray = field(init=False, repr=False)  # (n,) cells an episode can be in

    def __post_init__(self):
        cells = np.array(self.cells, dtype=np.int8)
        rewards = np.array(self.rewards, dtype=np.float64)
        cells.flags.writeable = rewards.flags.writeable = False
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "rewards", rewards)
        height, width = cells.shape
        rows, cols = np.divmod(np.arange(height * width), width)
        target_r = np.clip(rows[:, None] + MOVES[:, 0], 0, height - 1)
        target_c = np.clip(cols[:, None] + MOVES[:, 1], 0, width - 1)
        target = target_r * width + target_c
        flat = cells.ravel()
        blocked = flat[target] == WALL
        next_cell = np.where(blocked, np.arange(height * width)[:, None], target)
        move_reward = self.step_reward + rewards.ravel()[next_cell]
        for name, value in (("next_cell", next_cell), ("move_reward", move_reward),
                            ("terminal", (flat == GOAL) | (flat == PIT)), ("free", flat == FREE)):
            value.flags.writeable = False
            object.__setattr__(self, name, value)

    @classmethod
    def from_layout(cls, rows=DEFAULT_LAYOUT, step_reward=-0.01, step_cap=100) -> "World":
        cells = parse_layout(rows)
        rewards = np.vectorize(DEFAULT_REWARDS.get, otypes=[float])(cells)
        return cls(cells, rewards, step_reward, step_cap)

    @property
    def shape(self) -> tuple[int, int]:
        return self.cells.shape

    @property
    def n_cells(self) -> int:
        return self.cells.size

    @property
    def free_cells(self) -> np.ndarray:
        return np.flatnonzero(self.free)

    def step(self, cell: int, action: int) -> tuple[int, float, bool]:
        """(next cell, reward, the episode ended at a goal or pit)."""
        after = int(self.next_cell[cell, action])
        return after, float(self.move_reward[cell, action]), bool(self.terminal[after])

    def with_cell(self, row: int, col: int, kind: int, reward: float | None = None) -> "World":
        """A copy with one cell made `kind` (its reward that kind's default unless given)."""
        cells, rewards = self.cells.copy(), self.rewards.copy()
        cells[row, col] = kind
        rewards[row, col] = DEFAULT_REWARDS[kind] if reward is None else reward
        return World(cells, rewards, self.step_reward, self.step_cap)

    def layout(self) -> tuple[str, ...]:
        chars = {v: k for k, v in CELL_CHARS.items()}
        return tuple("".join(chars[int(c)] for c in row) for row in self.cells)


def value_iteration(world: World, gamma: float, tolerance: float = 1e-12, max_sweeps: int = 100_000) -> np.ndarray:
    """Q* (n_cells, 4) by value iteration: Q(s,a) = r(s,a) + γ·V(s') unless s' ends the
    episode. Rows of walls and terminal cells are 0 (no episode acts there)."""
    goes_on = ~world.terminal[world.next_cell]
    acting = world.free
    values = np.zeros(world.n_cells)
    q = np.zeros((world.n_cells, len(ACTIONS)))
    for _ in range(max_sweeps):
        q = world.move_reward + gamma * np.where(goes_on, values[world.next_cell], 0.0)
        q[~acting] = 0.0
        updated = q.max(axis=1)
        if np.max(np.abs(updated - values)) <= tolerance:
            values = updated
            break
        values = updated
    return q


def optimal_actions(q_star: np.ndarray, world: World) -> np.ndarray:
    """(n_cells, 4) bool: the actions within TIE_TOLERANCE of the best, on free cells."""
    best = q_star >= q_star.max(axis=1, keepdims=True) - TIE_TOLERANCE
    best[~world.free] = False
    return best


def greedy_walks(world: World, policy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Follow `policy` (an action per cell) from every free cell at once, up to the step
    cap: (start cells, undiscounted returns, reached the goal)."""
    starts = world.free_cells
    at = starts.copy()
    returns = np.zeros(len(starts))
    running = np.ones(len(starts), dtype=bool)
    for _ in range(world.step_cap):
        if not running.any():
            break
        actions = policy[at]
        returns += np.where(running, world.move_reward[at, actions], 0.0)
        at = np.where(running, world.next_cell[at, actions], at)
        running &= ~world.terminal[at]
    reached = world.cells.ravel()[at] == GOAL
    return starts, returns, reached

"""Deep Q-learning on a World: an engine MLP from the cell to one Q-value per action,
experience replay, a target network and ε-greedy exploration (Mnih et al., 2015).

The state goes in one-hot (one input per cell of the grid), not as (row, col): a wall
makes the values on its two sides unrelated, which (row, col) features would have to
learn to cut apart; one-hot lets each cell's Q-values move on their own, so the
network can be exact on every cell (optimal_share) while it still is a network of the
engine, trained by backpropagation.

Randomness: one SeedSequence per seed, spawned into the network's weights and the
agent's stream (start cells, ε draws, random actions, replay samples), so the same
seed gives the same run bit for bit.
"""

from __future__ import annotations

import copy

import numpy as np

from nn_tui.engine.network import Network
from nn_tui.engine.optimizers import make_optimizer
from nn_tui.kinds.dqn.gridworld import ACTIONS, World

HUBER_DELTA = 1.0  # TD errors beyond it pass a constant gradient (DQN's error clipping)


class ReplayBuffer:
    """The last `capacity` transitions (cell, action, reward, next cell, ended), as arrays."""

    FIELDS = ("cell", "action", "reward", "next_cell", "ended")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.cell = np.zeros(capacity, dtype=np.int64)
        self.action = np.zeros(capacity, dtype=np.int64)
        self.reward = np.zeros(capacity, dtype=np.float64)
        self.next_cell = np.zeros(capacity, dtype=np.int64)
        self.ended = np.zeros(capacity, dtype=bool)
        self.size = 0
        self.at = 0  # where the next transition goes

    def add(self, cell, action, reward, next_cell, ended) -> None:
        i = self.at
        self.cell[i], self.action[i], self.reward[i] = cell, action, reward
        self.next_cell[i], self.ended[i] = next_cell, ended
        self.at = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, n: int, rng: np.random.Generator):
        i = rng.integers(0, self.size, size=n)
        return self.cell[i], self.action[i], self.reward[i], self.next_cell[i], self.ended[i]

    def clear(self) -> None:
        self.size = self.at = 0


class Agent:
    """The Q-network, its target copy, optimizer, replay and the episode under way."""

    def __init__(self, spec, world: World, *, seed: int, lr: float, optimizer: str = "adam",
                 batch_size: int = 32, dtype=np.float64, reg: str = "none", reg_rate: float = 0.0) -> None:
        self.spec = spec
        weights_seed, stream_seed = np.random.SeedSequence(seed).spawn(2)
        self.world = world
        self.net = Network.mlp(world.n_cells, spec.layers, len(ACTIONS), activation="relu", output="linear",
                               loss="mse", seed=np.random.default_rng(weights_seed), dtype=dtype)
        self.target = copy.deepcopy(self.net)
        # the network the greedy policy, the metrics and the screen read (see DqnSpec.q_average)
        self.shown = copy.deepcopy(self.net) if spec.q_average > 0 else self.net
        self.optimizer = make_optimizer(optimizer, lr, reg=reg, reg_rate=reg_rate)
        self.batch_size = batch_size
        self.replay = ReplayBuffer(spec.replay)
        self.rng = np.random.default_rng(stream_seed)
        self.one_hot = np.eye(world.n_cells, dtype=dtype)
        self.steps = 0  # environment steps (= updates once the replay holds a batch)
        self.episodes = 0
        self.td_loss = float("nan")
        self.cell = -1  # the episode under way: its cell, steps, return (-1: none yet)
        self.episode_steps = 0
        self.episode_return = 0.0
        self.last_return = float("nan")
        self.last_steps = 0

    # --- exploration ------------------------------------------------------------
    @property
    def epsilon(self) -> float:
        """Linear from eps_start to eps_end over eps_decay steps, then eps_end."""
        spec = self.spec
        if self.steps >= spec.eps_decay:
            return spec.eps_end
        done = self.steps / spec.eps_decay
        return spec.eps_start + (spec.eps_end - spec.eps_start) * done

    def q_table(self) -> np.ndarray:
        """The shown network's Q-values of every cell (n_cells, 4), in one pass."""
        return self.shown.forward(self.one_hot)

    def greedy_policy(self) -> np.ndarray:
        """The shown network's greedy action of every cell (n_cells,)."""
        return np.argmax(self.q_table(), axis=1)

    # --- one environment step -----------------------------------------------------
    def start_episode(self) -> None:
        """A random free cell: exploring starts, so every cell's values get learnt."""
        free = self.world.free_cells
        self.cell = int(free[self.rng.integers(len(free))])
        self.episode_steps = 0
        self.episode_return = 0.0

    def act(self) -> bool:
        """One ε-greedy move, stored and learnt from; True when the episode ended."""
        if self.cell < 0:
            self.start_episode()
        world, cell = self.world, self.cell
        if self.rng.random() < self.epsilon:
            action = int(self.rng.integers(len(ACTIONS)))
        else:
            action = int(np.argmax(self.net.forward(self.one_hot[cell:cell + 1])[0]))
        after, reward, ended = world.step(cell, action)
        self.replay.add(cell, action, reward, after, ended)
        self.steps += 1
        self.episode_steps += 1
        self.episode_return += reward
        self.cell = after
        if self.replay.size >= self.batch_size:
            self.learn()
        if self.shown is not self.net:
            beta = self.spec.q_average
            average = self.shown.flat_params
            average *= beta
            average += (1.0 - beta) * self.net.flat_params
        if self.steps % self.spec.target_every == 0:
            np.copyto(self.target.flat_params, self.net.flat_params)
        if ended or self.episode_steps >= world.step_cap:
            self.episodes += 1
            self.last_return, self.last_steps = self.episode_return, self.episode_steps
            self.cell = -1
            return True
        return False

    def learn(self) -> None:
        """One update on a replayed batch towards r + γ·Q_target(s', argmax_a' Q(s', a'))."""
        cells, actions, rewards, next_cells, ended = self.replay.sample(self.batch_size, self.rng)
        n = len(cells)
        # Double DQN: the network picks the next action, the target values it (a max
        # over the target's own noisy values overestimates). Measured (bench, seeds
        # 0-4): the goal held from episode 236-337 on with it, 287-402 without, for
        # about 20 % more CPU a step; both met it in 5 of 5.
        next_inputs = self.one_hot[next_cells]
        chosen = np.argmax(self.net.forward(next_inputs), axis=1)
        next_q = self.target.forward(next_inputs)[np.arange(len(cells)), chosen]
        targets = rewards + self.spec.gamma * np.where(ended, 0.0, next_q)
        q = self.net.forward(self.one_hot[cells])
        rows = np.arange(n)
        errors = q[rows, actions] - targets
        grad = np.zeros_like(q)
        grad[rows, actions] = np.clip(errors, -HUBER_DELTA, HUBER_DELTA) / n
        for layer in reversed(self.net.layers):  # the first layer returns no input gradient
            grad = layer.backward_(grad)
        self.optimizer.step(self.net)
        self.td_loss = float(np.mean(errors * errors))

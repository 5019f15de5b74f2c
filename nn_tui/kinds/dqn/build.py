"""A DQN run from a config: the gridworld as its data set, the agent, and the loop the
session and `nn-tui train` drive (an epoch is one episode)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nn_tui.data import Dataset
from nn_tui.engine.optimizers import make_optimizer
from nn_tui.kinds import agent_file, run_state
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.dqn.agent import Agent, ReplayBuffer
from nn_tui.kinds.dqn.gridworld import ACTIONS, World, greedy_walks, optimal_actions, value_iteration
from nn_tui.kinds.dqn.spec import DqnSpec, check_spec
from nn_tui.settings import ConfigError
from nn_tui.training import TrainingDiverged

DATASETS = ("gridworld",)
CONTROL = "control"  # the task of a world an agent acts in (no targets to predict)


def check_train_settings(config) -> None:
    if config.data.data is not None:
        raise ConfigError("--data: a DQN agent learns the built-in gridworld (--dataset gridworld)")
    if config.train.batch_size > config.model.replay:
        raise ConfigError(f"--batch-size ({config.train.batch_size}) must not exceed --replay ({config.model.replay})")


def make_world(spec: DqnSpec) -> World:
    return World.from_layout(step_reward=spec.step_reward, step_cap=spec.episode_cap)


@dataclass(frozen=True, eq=False)
class WorldData(Dataset):
    """The gridworld as a data set: the world itself, and one one-hot row per free cell
    (what the network sees), nothing to predict. The session keeps it, so an edited
    world stays when the weights are reset (r) and a new one comes with new data (R)."""

    world: World | None = None


def world_data(world: World) -> WorldData:
    free = world.free_cells
    inputs = np.eye(world.n_cells)[free]
    height, width = world.shape
    names = tuple(f"r{r}c{c}" for r in range(height) for c in range(width))
    return WorldData(name="gridworld", task=CONTROL, X_train=inputs, y_train=np.zeros((len(free), len(ACTIONS))),
                     X_test=inputs[:0], y_test=np.zeros((0, len(ACTIONS))), input_names=names, world=world)


def load_world(config, seed: int) -> WorldData:
    if config.data.dataset not in DATASETS:
        raise ConfigError(f"--model dqn acts in a world; --dataset must be one of: {', '.join(DATASETS)}")
    return world_data(make_world(config.model))


class DqnRun(Run):
    """The agent and what is measured of it: greedy walks from every free cell and the
    greedy action of each against value iteration's (computed again when the world or
    γ changes)."""

    def __init__(self, config, dataset: Dataset, world: World | None = None) -> None:
        super().__init__(config, dataset)
        spec, train = config.model, config.train
        check_spec(spec)
        if world is None:
            world = getattr(dataset, "world", None) or make_world(spec)
        self.agent = Agent(spec, world, seed=train.seed, lr=train.lr,
                           optimizer=train.optimizer, batch_size=train.batch_size, dtype=np.dtype(train.dtype),
                           reg=train.reg, reg_rate=train.reg_rate)
        self.model = self.agent.shown  # the network measured, shown and saved
        self._exact: tuple = (None, None, None)  # world, gamma, (Q*, optimal actions)
        self._scored: tuple = (None, {})  # (steps, world), scores

    @property
    def world(self) -> World:
        return self.agent.world

    @property
    def epoch(self) -> int:
        return self.agent.episodes

    @property
    def step(self) -> int:
        return self.agent.steps

    def train_steps(self, max_steps: int) -> bool:
        agent = self.agent
        for _ in range(max_steps):
            if agent.act():
                if not math.isfinite(agent.td_loss) and agent.replay.size >= agent.batch_size:
                    raise TrainingDiverged(f"td_loss {agent.td_loss}")
                return True
        return False

    def restart_epoch(self) -> None:
        self.agent.cell = -1  # the episode under way is dropped; the next starts afresh

    # --- what is measured ---------------------------------------------------------
    def exact(self):
        """(Q*, optimal actions) of value iteration on this world and γ (cached)."""
        world, gamma = self.world, self.agent.spec.gamma
        if self._exact[0] is not world or self._exact[1] != gamma:
            q_star = value_iteration(world, gamma)
            self._exact = (world, gamma, (q_star, optimal_actions(q_star, world)))
        return self._exact[2]

    def scores(self) -> dict:
        """The shown network's greedy policy, walked from every free cell (to a goal, a
        pit or the step cap): mean_return (undiscounted, the step costs included),
        success_rate (the share that reach a goal), optimal_share (the share of free
        cells whose greedy move is one of value iteration's best). And the training's
        own: epsilon, the last episode's return and steps, the last batch's td_loss
        (mean squared TD error)."""
        agent, world = self.agent, self.world
        if self._scored[0] == (agent.steps, world):
            return dict(self._scored[1])
        policy = agent.greedy_policy()
        _, returns, reached = greedy_walks(world, policy)
        free = world.free_cells
        best = self.exact()[1]
        scores = {
            "mean_return": float(returns.mean()) if len(free) else 0.0,
            "success_rate": float(reached.mean()) if len(free) else 0.0,
            "optimal_share": float(best[free, policy[free]].mean()) if len(free) else 0.0,
            "epsilon": agent.epsilon,
        }
        # None until there is one (not left out: the history keeps the series it is
        # built with, from the first scores of a run)
        scores["episode_return"] = agent.last_return if agent.episodes else None
        scores["episode_steps"] = float(agent.last_steps) if agent.episodes else None
        scores["td_loss"] = agent.td_loss if math.isfinite(agent.td_loss) else None
        self._scored = ((agent.steps, world), scores)
        return dict(scores)

    def train_share(self) -> float:
        return 1.0

    # --- training settings --------------------------------------------------------
    def set_lr(self, lr: float) -> None:
        self.agent.optimizer.lr = lr

    def set_optimizer(self, train_config) -> None:
        self.agent.optimizer = make_optimizer(train_config.optimizer, train_config.lr, reg=train_config.reg,
                                              reg_rate=train_config.reg_rate)

    def set_batch_size(self, size: int) -> None:
        if not 1 <= size <= self.agent.replay.capacity:
            raise ConfigError(f"the batch size must be from 1 to the replay size {self.agent.replay.capacity}")
        self.agent.batch_size = size

    def set_world(self, world: World) -> None:
        """An edited world: the agent acts in it from its next step (the episode under
        way is dropped, the replay keeps what the old world taught, as REINFORCEjs does)."""
        self.agent.world = world
        self.agent.cell = -1
        self.dataset = world_data(world)

    def input_names(self) -> tuple[str, ...]:
        return tuple(self.dataset.input_names)

    # --- resuming: networks, optimizer, replay, stream, ε's clock, the world ------
    resumable = True

    def state(self) -> RunState:
        agent, arrays = self.agent, {}
        run_state.save_params(arrays, "net", agent.net)
        run_state.save_params(arrays, "target", agent.target)
        if agent.shown is not agent.net:
            run_state.save_params(arrays, "shown", agent.shown)
        optimizer = run_state.save_optimizer(arrays, "optimizer", agent.optimizer)
        replay = agent.replay
        for name in ReplayBuffer.FIELDS:
            arrays[f"replay.{name}"] = getattr(replay, name)[:replay.size].copy()
        world = agent.world
        arrays["world.rewards"] = world.rewards.copy()
        info = {
            "epoch": agent.episodes,  # where every kind's autosave keeps it (the --resume notice reads it)
            "steps": agent.steps, "episodes": agent.episodes, "td_loss": _json_number(agent.td_loss),
            "cell": agent.cell, "episode_steps": agent.episode_steps, "episode_return": agent.episode_return,
            "last_return": _json_number(agent.last_return), "last_steps": agent.last_steps, "batch_size": agent.batch_size,
            "replay": {"size": replay.size, "at": replay.at, "capacity": replay.capacity},
            "world": {"layout": list(world.layout()), "step_reward": world.step_reward, "step_cap": world.step_cap},
            "rng": run_state.save_rng(agent.rng), "optimizer": optimizer,
        }
        return RunState(arrays=arrays, info=info)

    def restore(self, state: RunState) -> None:
        with run_state.complete_state():
            agent, info, arrays = self.agent, state.info, state.arrays
            replay_info = info["replay"]
            if int(replay_info["capacity"]) != agent.replay.capacity:
                raise NotResumable(f"the saved run's replay keeps {replay_info['capacity']} transitions, "
                                   f"its settings say {agent.replay.capacity}")
            world_info = info["world"]
            try:
                world = World.from_layout(world_info["layout"], float(world_info["step_reward"]),
                                          int(world_info["step_cap"]))
            except ValueError as error:
                raise NotResumable(f"the saved run's world: {error}") from None
            rewards = np.asarray(arrays["world.rewards"], dtype=np.float64)
            if rewards.shape != world.shape or world.shape != agent.world.shape:
                raise NotResumable("the saved run's world is not the size of this one")
            world = World(world.cells, rewards, world.step_reward, world.step_cap)
            run_state.restore_params(arrays, "net", agent.net)
            run_state.restore_params(arrays, "target", agent.target)
            if agent.shown is not agent.net:
                run_state.restore_params(arrays, "shown", agent.shown)
            run_state.restore_optimizer(arrays, "optimizer", agent.optimizer, agent.net, info["optimizer"])
            size = int(replay_info["size"])
            replay = agent.replay
            replay.clear()
            for name in ReplayBuffer.FIELDS:
                saved = np.asarray(arrays[f"replay.{name}"])
                if saved.shape != (size,):
                    raise NotResumable(f"the saved run's replay {name} holds {saved.shape}, not {size} entries")
                getattr(replay, name)[:size] = saved
            replay.size, replay.at = size, int(replay_info["at"])
            run_state.restore_rng(agent.rng, info["rng"])
            agent.world = world
            self.dataset = world_data(world)  # what the session rebuilds from (new weights keep the world)
            agent.steps, agent.episodes = int(info["steps"]), int(info["episodes"])
            agent.td_loss = _number(info["td_loss"])
            agent.cell, agent.episode_steps = int(info["cell"]), int(info["episode_steps"])
            agent.episode_return, agent.last_return = float(info["episode_return"]), _number(info["last_return"])
            agent.last_steps, agent.batch_size = int(info["last_steps"]), int(info["batch_size"])


    # --- files: the Q-network an exporter reads, and the whole run to continue from ----
    def save(self, path) -> None:
        agent_file.save_agent(path, "dqn", self.model, self.agent.spec.as_dict(), self.state(), self.metadata())

    def continue_from(self, state: RunState, train) -> None:
        """A loaded file's run, put back exactly; then the command line's training
        settings (the learning rate, optimizer and batch size are the run's, as for
        every kind's --load): the same settings continue bit for bit."""
        saved = state.info.get("optimizer", {}).get("name") if isinstance(state.info.get("optimizer"), dict) else None
        if isinstance(saved, str) and saved != self.agent.optimizer.name:
            self.agent.optimizer = make_optimizer(saved, train.lr)  # to read its moments; replaced below
        self.restore(state)
        if self.agent.optimizer.name != train.optimizer:
            self.set_optimizer(train)
        self.set_lr(train.lr)
        self.set_batch_size(train.batch_size)


def _json_number(value: float):
    return value if math.isfinite(value) else None  # NaN (none yet) is not JSON


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def build(config, dataset: Dataset, model=None) -> DqnRun:
    run = DqnRun(config, dataset)
    if model is not None:  # a saved Q-network: its weights (the same architecture, or refuse)
        if getattr(model, "sizes", None) != run.model.sizes:
            raise ConfigError(f"--load: the file's network is {getattr(model, 'sizes', '?')}, "
                              f"this DQN's is {run.model.sizes}")
        state = getattr(model, "run_state", None)
        if state is not None:  # a file with its run: continue it exactly
            run.continue_from(state, config.train)
            return run
        # an earlier nn-tui's file: the shown network's weights only
        np.copyto(run.model.flat_params, model.flat_params, casting="same_kind")
        np.copyto(run.agent.target.flat_params, model.flat_params, casting="same_kind")
        np.copyto(run.agent.shown.flat_params, model.flat_params, casting="same_kind")
    return run


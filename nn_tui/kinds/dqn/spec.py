"""A DQN agent's settings: one frozen dataclass; `check_spec` refuses bad ones with one
line naming the option. The learning rate, optimizer and batch size are the training
settings (--lr, --optimizer, --batch-size); an epoch is one episode.

The defaults are the ones bench/dqn_gridworld.py measures (see its table)."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields

from nn_tui.settings import ConfigError, Option, int_list

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "deep Q-learning: an agent learns a gridworld from rewards"

MAX_LAYERS = 4
MAX_NEURONS = 256
MAX_REPLAY = 1_000_000
MAX_STEPS = 10_000_000


@dataclass(frozen=True)
class DqnSpec:
    kind: str = "dqn"
    layers: tuple[int, ...] = (64,)  # hidden ReLU layers of the Q-network
    gamma: float = 0.95  # discount
    eps_start: float = 1.0  # ε of ε-greedy at the first step ...
    eps_end: float = 0.05  # ... falling linearly to this ...
    eps_decay: int = 5_000  # ... over this many steps (0: eps_end from the start)
    replay: int = 10_000  # transitions the replay buffer keeps
    target_every: int = 250  # steps between copies of the network into the target
    step_reward: float = -0.01  # every move's cost (the goal and pits add theirs)
    episode_cap: int = 100  # an episode ends after this many steps
    # The network shown and measured: 0 = the Q-network itself; β > 0 = an average of
    # its weights (β·avg + (1 − β)·net after every step). The online network's
    # greedy policy wobbles with each update (one cell in a loop fails every walk
    # through it); the average holds still. bench/dqn_gridworld.py, seeds 0-4: with
    # 0.999 the goal holds from episode 236-337 on; without, from 716-994 (and after
    # only 86-100 % of the last 200 episodes). Acting and learning are the same.
    q_average: float = 0.999

    def replace(self, **changes) -> "DqnSpec":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return DqnSpec(**values)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def _count(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def _real(name, value, low, high, *, below_high=False, above_low=False):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < low or value > high or (below_high and value == high) or (above_low and value == low):
        lower = f"> {low:g}" if above_low else f">= {low:g}"
        upper = f"< {high:g}" if below_high else f"<= {high:g}"
        raise ConfigError(f"{name} must be a number {lower} and {upper}, not {value!r}")


def check_spec(spec: DqnSpec) -> None:
    """ConfigError (one line, naming the option) on the first bad setting."""
    if not isinstance(spec.layers, tuple) or len(spec.layers) > MAX_LAYERS:
        raise ConfigError(f"--layers must be at most {MAX_LAYERS} layer sizes, not {spec.layers!r}")
    for size in spec.layers:
        _count("--layers: a layer size", size, 1, MAX_NEURONS)
    _real("--gamma", spec.gamma, 0.0, 1.0, below_high=True, above_low=True)
    _real("--eps-start", spec.eps_start, 0.0, 1.0)
    _real("--eps-end", spec.eps_end, 0.0, 1.0)
    if spec.eps_end > spec.eps_start:
        raise ConfigError(f"--eps-end ({spec.eps_end}) must not be above --eps-start ({spec.eps_start})")
    _count("--eps-decay", spec.eps_decay, 0, MAX_STEPS)
    _count("--replay", spec.replay, 1, MAX_REPLAY)
    _count("--target-every", spec.target_every, 1, MAX_STEPS)
    _real("--step-reward", spec.step_reward, -1.0, 1.0)
    _count("--episode-cap", spec.episode_cap, 1, 10_000)
    _real("--q-average", spec.q_average, 0.0, 0.9999)


def _options():
    d = DqnSpec()

    def opt(flag, help_, **kwargs):
        return Option(flag, dict(kwargs, help=help_ + " (default: %(default)s)"))

    return (
        opt("--layers", "hidden layer sizes", type=int_list, default=d.layers, metavar="N,N"),
        opt("--gamma", "DQN: discount per step, 0 < γ < 1", type=float, default=d.gamma),
        opt("--eps-start", "DQN: ε-greedy's ε at the start", type=float, default=d.eps_start),
        opt("--eps-end", "DQN: ε after the decay", type=float, default=d.eps_end),
        opt("--eps-decay", "DQN: steps over which ε falls linearly", type=int, default=d.eps_decay, metavar="N"),
        opt("--replay", "DQN: transitions the replay buffer keeps", type=int, default=d.replay, metavar="N"),
        opt("--target-every", "DQN: steps between target network copies", type=int, default=d.target_every,
            metavar="N"),
        opt("--step-reward", "DQN: reward of every move", type=float, default=d.step_reward),
        opt("--episode-cap", "DQN: steps before an episode is cut", type=int, default=d.episode_cap, metavar="N"),
        opt("--q-average", "DQN: shown Q = moving average of the network's weights, 0 = off", type=float,
            default=d.q_average, metavar="B"),
    )


OPTIONS = _options()

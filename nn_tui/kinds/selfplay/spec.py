"""Self-play's settings: one frozen dataclass; `check_spec` refuses bad ones (one line
naming the option). The defaults are the ones bench/selfplay_tictactoe.py measures."""

from __future__ import annotations

import argparse
import math
import numbers
from dataclasses import dataclass, fields

from nn_tui.settings import ConfigError, Option, int_list

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a value network that learns tic-tac-toe by playing itself"

MAX_LAYERS = 3
MAX_NEURONS = 256
MAX_SEARCH_DEPTH = 8  # plies beyond the network's own; 8 reaches every game's end
MAX_MCTS = 20_000  # simulations per move (800 already plays perfectly after 10,000 games: bench --search)


@dataclass(frozen=True)
class SelfPlaySpec:
    kind: str = "selfplay"
    layers: tuple[int, ...] = (64,)  # the value network's hidden tanh layers
    games_per_epoch: int = 2000  # self-play games (one update each) per epoch
    epsilon: float = 0.3  # exploration at the start ...
    epsilon_end: float = 0.1  # ... decaying to this ...
    epsilon_decay_games: int = 40_000  # ... over this many games (0: epsilon_end throughout)
    opening_plies: int = 3  # each game opens with 0..this many random moves (exploring starts)
    td_lambda: float = 0.9  # 0: TD(0); 1: the game's result (Monte Carlo)
    symmetries: bool = True  # train on each position's 8 rotations and reflections
    replay_size: int = 20_000  # rows (positions × images) of recent games kept; 0 off
    replay_batch: int = 64  # of them trained on again with each game
    replay_priority: float = 1.0  # α: replayed in proportion to error**α (0 uniform; bench results)
    lr_decay_games: int = 0  # the learning rate falls to a tenth of --lr over this many games; 0 constant
    average: float = 0.9998  # the network shown and measured: a moving average of its weights (β; 0 off)
    search_depth: int = 0  # plies of minimax beyond the network's own when it plays; 0 off
    mcts: int = 0  # simulations of Monte Carlo tree search per move when it plays (search.py); 0 off

    def replace(self, **changes) -> "SelfPlaySpec":
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return SelfPlaySpec(**values)

    def as_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}


def _count(name, value, low, high):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


def _share(name, value):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be a number from 0 to 1, not {value!r}")


def _real_below_one(name, value):
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or not 0.0 <= value <= 0.9999:
        raise ConfigError(f"{name} must be a number from 0 to 0.9999, not {value!r}")


def check_spec(spec: SelfPlaySpec) -> None:
    if not isinstance(spec.layers, tuple) or not 1 <= len(spec.layers) <= MAX_LAYERS:
        raise ConfigError(f"--layers: the value network has 1 to {MAX_LAYERS} hidden layers, not {spec.layers!r}")
    for size in spec.layers:
        _count("--layers: a layer size", size, 1, MAX_NEURONS)
    _count("--games-per-epoch", spec.games_per_epoch, 1, 1_000_000)
    _share("--epsilon", spec.epsilon)
    _share("--epsilon-end", spec.epsilon_end)
    _count("--epsilon-decay-games", spec.epsilon_decay_games, 0, 100_000_000)
    _count("--opening-plies", spec.opening_plies, 0, 8)
    _share("--td-lambda", spec.td_lambda)
    if not isinstance(spec.symmetries, bool):
        raise ConfigError(f"--symmetries must be on or off, not {spec.symmetries!r}")
    _count("--replay-size", spec.replay_size, 0, 1_000_000)
    _count("--replay-batch", spec.replay_batch, 0, 4096)
    _share("--replay-priority", spec.replay_priority)
    _count("--lr-decay-games", spec.lr_decay_games, 0, 100_000_000)
    _real_below_one("--average", spec.average)
    _count("--search-depth", spec.search_depth, 0, MAX_SEARCH_DEPTH)
    _count("--mcts", spec.mcts, 0, MAX_MCTS)
    if spec.search_depth and spec.mcts:
        raise ConfigError("--search-depth and --mcts: one search at a time (set the other to 0)")


def on_off(text: str) -> bool:
    if text.lower() in ("on", "yes", "true", "1"):
        return True
    if text.lower() in ("off", "no", "false", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected on or off, got {text!r}")


def _options():
    d = SelfPlaySpec()

    def opt(flag, help_, **kwargs):
        return Option(flag, dict(kwargs, help=help_ + " (default: %(default)s)"))

    return (
        opt("--layers", "hidden layer sizes", type=int_list, default=d.layers, metavar="N,N"),
        opt("--games-per-epoch", "self-play games per epoch", type=int, default=d.games_per_epoch, metavar="N"),
        opt("--epsilon", "exploration ε at the start", type=float, default=d.epsilon, metavar="E"),
        opt("--epsilon-end", "ε it decays to", type=float, default=d.epsilon_end, metavar="E"),
        opt("--epsilon-decay-games", "games over which ε decays", type=int, default=d.epsilon_decay_games,
            metavar="N"),
        opt("--opening-plies", "games open with 0..N random moves", type=int, default=d.opening_plies,
            metavar="N"),
        opt("--td-lambda", "TD(λ): 0 one step, 1 the game's result", type=float, default=d.td_lambda, metavar="L"),
        opt("--symmetries", "train on the board's 8 symmetries (on/off)", type=on_off, default=d.symmetries,
            metavar="on|off"),
        opt("--replay-size", "rows of recent games kept for replay, 0 off", type=int, default=d.replay_size,
            metavar="N"),
        opt("--replay-batch", "replayed rows per update", type=int, default=d.replay_batch, metavar="N"),
        opt("--replay-priority", "replay rows in proportion to their error to this power (α), 0 uniform",
            type=float, default=d.replay_priority, metavar="A"),
        opt("--lr-decay-games", "lr falls to a tenth over N games, 0 constant", type=int,
            default=d.lr_decay_games, metavar="N"),
        opt("--average", "play with a moving average of the weights (β), 0 off", type=float, default=d.average,
            metavar="B"),
        opt("--search-depth", "plies of look-ahead when the network plays, 0 off", type=int,
            default=d.search_depth, metavar="K"),
        opt("--mcts", "Monte Carlo tree search: simulations per move when the network plays, 0 off", type=int,
            default=d.mcts, metavar="N"),
    )


OPTIONS = _options()

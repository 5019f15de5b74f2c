"""Self-play training and the games that measure it.

`Learner` holds what a run trains: the value network, its optimizer, the run's random
generator and the number of games played (the ε schedule follows it). `evaluate` plays
the measuring games with a generator of their own, so measuring never changes training.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from nn_tui.engine import make_optimizer
from nn_tui.kinds.selfplay.agent import make_value_net, self_play_game, symmetric_batch
from nn_tui.kinds.selfplay.game import DRAW, O, X, perfect_player, play_game, random_player
from nn_tui.kinds.selfplay.search import player

OPPONENTS = {"perfect": perfect_player, "random": random_player}
SIDES = {"as_x": X, "as_o": O}
PRIORITY_FLOOR = 0.01  # added to a replayed row's error: a row learnt well still comes back now and then


def epsilon_at(games: int, start: float, end: float, decay_games: int) -> float:
    """ε after `games` games: from `start` to `end`, exponentially, e-fold every
    decay_games/5 games (so it is within 1 % of the way at `decay_games`)."""
    if decay_games <= 0:
        return end
    return end + (start - end) * math.exp(-5.0 * games / decay_games)


class Learner:
    def __init__(self, spec, optimizer: str, lr: float, seed: int) -> None:
        self.spec = spec
        self.net = make_value_net(spec.layers, seed)
        # The network that plays when measured and shown: an exponential moving average
        # of the trained one's weights (spec.average > 0), which smooths the jitter of
        # constant-lr updates; the trained network itself when off.
        self.shown = copy.deepcopy(self.net) if spec.average > 0 else self.net
        self.optimizer = make_optimizer(optimizer, lr=lr)
        self.base_lr = lr  # the setting; the step size follows spec.lr_decay_games
        self.rng = np.random.default_rng([seed, 0x5E1F])
        self.games = 0
        self.last_loss = float("nan")
        self.results = {X: 0, O: 0, DRAW: 0}  # self-play outcomes so far
        # Replay: the rows (position, target) of recent games, a ring; each update adds
        # `replay_batch` of them drawn at random to the new game's, so a rare position
        # is learned from more than once.
        self.replay_x = np.zeros((spec.replay_size, 27))
        self.replay_y = np.zeros((spec.replay_size, 1))
        self.replay_p = np.ones(spec.replay_size)  # each row's priority (spec.replay_priority)
        self.replay_filled = 0
        self.replay_next = 0

    @property
    def epsilon(self) -> float:
        s = self.spec
        return epsilon_at(self.games, s.epsilon, s.epsilon_end, s.epsilon_decay_games)

    def _replay_picks(self) -> np.ndarray:
        """Rows of the replay to train on again: uniform, or (spec.replay_priority α > 0)
        in proportion to their last error to the power α, so a rare position the network
        still gets wrong comes back until it is learnt instead of being drowned out."""
        filled, batch = self.replay_filled, self.spec.replay_batch
        if self.spec.replay_priority <= 0:
            return self.rng.integers(filled, size=batch)
        weights = np.cumsum(self.replay_p[:filled])
        picks = np.searchsorted(weights, self.rng.random(batch) * weights[-1], side="right")
        return np.minimum(picks, filled - 1)  # a draw of exactly the total

    def _store(self, X_: np.ndarray, Y: np.ndarray, errors: np.ndarray) -> None:
        """Write a game's rows into the ring (the last `replay_size` if there are more)."""
        size = self.spec.replay_size
        if len(X_) > size:
            X_, Y, errors = X_[-size:], Y[-size:], errors[-size:]
        rows = (self.replay_next + np.arange(len(X_))) % size
        self.replay_x[rows], self.replay_y[rows] = X_, Y
        self.replay_p[rows] = self._priority(errors)
        self.replay_next = int((self.replay_next + len(X_)) % size)
        self.replay_filled = min(size, self.replay_filled + len(X_))

    def _priority(self, errors: np.ndarray) -> np.ndarray:
        return (np.abs(errors) + PRIORITY_FLOOR) ** self.spec.replay_priority

    def lr_now(self) -> float:
        """The learning rate falls linearly to a tenth of the setting over lr_decay_games
        (0: constant): late updates fine-tune instead of jittering."""
        decay = self.spec.lr_decay_games
        if decay <= 0:
            return self.base_lr
        return self.base_lr * max(0.1, 1.0 - 0.9 * self.games / decay)

    def play_one(self) -> None:
        """One game against itself, then one update on its positions."""
        s = self.spec
        opening = int(self.rng.integers(s.opening_plies + 1)) if s.opening_plies else 0
        after, targets, w = self_play_game(self.net, self.rng, self.epsilon, s.td_lambda, opening)
        self.results[w] += 1
        self.games += 1
        X_, Y = symmetric_batch(after, targets, s.symmetries)
        replay = bool(s.replay_size and s.replay_batch)
        picks = self._replay_picks() if replay and self.replay_filled else None
        batch_x, batch_y = (X_, Y) if picks is None else (
            np.concatenate([X_, self.replay_x[picks]]), np.concatenate([Y, self.replay_y[picks]]))
        loss, _ = self.net.loss_and_grads(batch_x, batch_y)
        if replay:  # each row's error before this step (the last layer keeps the batch's outputs)
            errors = (self.net.layers[-1].output - batch_y)[:, 0]
            if picks is not None and s.replay_priority > 0:
                self.replay_p[picks] = self._priority(errors[len(X_):])
            self._store(X_, Y, errors[:len(X_)])
        self.optimizer.lr = self.lr_now()
        self.optimizer.step(self.net)
        self.last_loss = loss
        if self.shown is not self.net:
            beta = s.average
            average = self.shown.flat_params
            average *= beta
            average += (1.0 - beta) * self.net.flat_params


def play_match(me, opponent: str, side: int, games: int, rng: np.random.Generator) -> dict:
    """{win, draw, loss} of the player `me` (the network, alone or through a search)
    playing `side` against `opponent` for `games` games."""
    them = OPPONENTS[opponent]
    counts = {"win": 0, "draw": 0, "loss": 0}
    for _ in range(games):
        w = play_game(me, them, rng) if side == X else play_game(them, me, rng)
        counts["draw" if w == DRAW else "win" if w == side else "loss"] += 1
    return counts


def evaluate(net, seed: int, games: int = 100, depth: int = 0, simulations: int = 0) -> dict:
    """{"vs_perfect": {"as_x": {...}, "as_o": {...}}, "vs_random": {...}}: `games` games
    per side and opponent, with a generator of their own (the same for a same seed); the
    network plays alone, through `depth` plies of minimax or `simulations` of MCTS."""
    me = player(net, depth, simulations)
    result = {}
    for k, opponent in enumerate(OPPONENTS):
        result[f"vs_{opponent}"] = {
            name: play_match(me, opponent, side, games, np.random.default_rng([seed, 0xE7A1, k, j]))
            for j, (name, side) in enumerate(SIDES.items())}
    return result

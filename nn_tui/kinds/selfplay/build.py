"""A self-play run: the game as its data set, the learner, and the calls the session and
`nn-tui train` drive (an epoch = `games_per_epoch` self-play games, one update each)."""

from __future__ import annotations

import math

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.engine import make_optimizer
from nn_tui.kinds import agent_file, run_state
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.selfplay.game import DRAW, O, X
from nn_tui.kinds.selfplay.match import Match
from nn_tui.kinds.selfplay.spec import check_spec
from nn_tui.kinds.selfplay.train import Learner, evaluate
from nn_tui.training import TrainingDiverged

DATASETS = ("tictactoe",)
TASK = "self-play"  # no samples to fit: the games it plays are its data
EVAL_GAMES = 100  # measuring games per opponent and side (the 100 as X, 100 as O)
CELLS = tuple(f"cell{i}" for i in range(1, 10))
# The value network's 27 inputs (game.encode): the marks of the player who just moved,
# the opponent's, the empty cells — what a saved or exported network is fed.
NETWORK_INPUTS = tuple(f"{part}_{cell}" for part in ("own", "opponent", "empty") for cell in CELLS)


def load_game(config) -> Dataset:
    """The game stands where other kinds have a data set (nothing to load)."""
    if config.data.data is not None:
        raise ConfigError("--data: self-play learns from its own games (--dataset tictactoe)")
    if config.data.dataset not in DATASETS:
        raise ConfigError(f"--model selfplay plays --dataset {' or '.join(DATASETS)}, not {config.data.dataset!r}")
    empty = np.zeros((0, 9))
    return Dataset(name="tictactoe", task=TASK, X_train=empty, y_train=np.zeros((0, 1)), X_test=empty,
                   y_test=np.zeros((0, 1)), input_names=CELLS,
                   notes=("learns by playing itself: no human games, only wins, draws and losses",))


def build(config, dataset: Dataset, model=None) -> "SelfPlayRun":
    check_spec(config.model)
    learner = Learner(config.model, config.train.optimizer, config.train.lr, config.train.seed)
    if model is not None:
        if model.flat_params.shape != learner.net.flat_params.shape:
            raise ConfigError("--load: the file's network does not fit these --layers")
        state = getattr(model, "run_state", None)
        if state is not None:  # a file with its run: continue it exactly
            run = SelfPlayRun(config, dataset, learner)
            run.continue_from(state, config.train)
            return run
        # an earlier nn-tui's file: the shown network's weights only
        np.copyto(learner.net.flat_params, model.flat_params, casting="same_kind")
        np.copyto(learner.shown.flat_params, model.flat_params, casting="same_kind")
    return SelfPlayRun(config, dataset, learner)


def flat_scores(measured: dict) -> dict[str, int]:
    """{"perfect_x_loss": 3, ...}: the measuring games as named numbers (the curves)."""
    return {f"{opponent[3:]}_{side[3:]}_{result}": count
            for opponent, sides in measured.items() for side, counts in sides.items()
            for result, count in counts.items()}


class SelfPlayRun(Run):
    def __init__(self, config, dataset: Dataset, learner: Learner) -> None:
        super().__init__(config, dataset)
        self.learner = learner
        self.model = learner.shown  # what plays, is measured, shown and saved
        self._epoch = 0
        self._in_epoch = 0  # games played in the epoch under way
        self._measured: tuple[tuple, dict] | None = None  # (what was measured, its results)
        self.match = Match()  # the person's game against the network
        self._match_rng = None
        self.shown_visits = None  # (what they were searched for, the search's visits) of the board shown

    @property
    def spec(self):
        return self.learner.spec

    @property
    def epoch(self) -> int:
        return self._epoch

    @property
    def step(self) -> int:
        return self.learner.games

    def train_steps(self, max_steps: int) -> bool:
        for _ in range(max_steps):
            self.learner.play_one()
            self._in_epoch += 1
            if self._in_epoch >= self.spec.games_per_epoch:
                self._in_epoch = 0
                self._epoch += 1
                if not math.isfinite(self.learner.last_loss):
                    raise TrainingDiverged(f"td_loss {self.learner.last_loss}")
                return True
        return False

    def restart_epoch(self) -> None:
        self._in_epoch = 0

    def measured(self) -> dict:
        """The measuring games of the network as it is now (kept until it changes)."""
        key = (self.learner.games, self.spec.search_depth, self.spec.mcts)
        if self._measured is None or self._measured[0] != key:
            results = evaluate(self.model, self.config.train.seed, EVAL_GAMES, self.spec.search_depth, self.spec.mcts)
            self._measured = (key, results)
        return self._measured[1]

    def scores(self) -> dict:
        learner = self.learner
        played = max(sum(learner.results.values()), 1)
        out = {"td_loss": learner.last_loss if math.isfinite(learner.last_loss) else None,
               "epsilon": learner.epsilon, "games": learner.games,
               "self_play_x_wins": learner.results[X] / played, "self_play_draws": learner.results[DRAW] / played,
               "self_play_o_wins": learner.results[O] / played,
               **flat_scores(self.measured())}
        return {k: v for k, v in out.items() if v is not None}

    def set_lr(self, lr: float) -> None:
        self.learner.base_lr = lr
        self.learner.optimizer.lr = self.learner.lr_now()

    def set_optimizer(self, train_config) -> None:
        self.learner.optimizer = make_optimizer(train_config.optimizer, lr=train_config.lr)
        self.learner.base_lr = train_config.lr

    def set_batch_size(self, size: int) -> None:
        raise ConfigError("self-play learns from one game at a time (--games-per-epoch sets an epoch)")

    def set_spec(self, **changes) -> None:
        """Settings that keep the network (search depth, ε, λ, ...); the layers do not."""
        spec = self.spec.replace(**changes)
        check_spec(spec)
        if spec.layers != self.spec.layers:
            raise ConfigError("--layers: a new network needs a new run")
        self.learner.spec = spec
        self.config = type(self.config)(data=self.config.data, model=spec, train=self.config.train)

    def input_names(self) -> tuple[str, ...]:
        return NETWORK_INPUTS

    # --- files: the value network an exporter reads, and the whole run to continue from --
    def save(self, path) -> None:
        agent_file.save_agent(path, "selfplay", self.model, self.spec.as_dict(), self.state(), self.metadata())

    def continue_from(self, state: RunState, train) -> None:
        """A loaded file's run, put back exactly; then the command line's learning rate
        and optimizer (as for every kind's --load): the same settings continue bit for bit."""
        learner = self.learner
        saved = state.info.get("optimizer", {}).get("name") if isinstance(state.info.get("optimizer"), dict) else None
        if isinstance(saved, str) and saved != learner.optimizer.name:
            learner.optimizer = make_optimizer(saved, lr=train.lr)  # to read its moments; replaced below
        self.restore(state)
        if learner.optimizer.name != train.optimizer:
            self.set_optimizer(train)
        self.set_lr(train.lr)

    # --- resuming: the network, its optimizer, the generator, the counts ----------------
    resumable = True

    def state(self) -> RunState:
        learner, arrays = self.learner, {}
        run_state.save_params(arrays, "net", learner.net)
        if learner.shown is not learner.net:
            run_state.save_params(arrays, "shown", learner.shown)
        optimizer = run_state.save_optimizer(arrays, "opt", learner.optimizer)
        arrays["replay.x"] = learner.replay_x[:learner.replay_filled].copy()
        arrays["replay.y"] = learner.replay_y[:learner.replay_filled].copy()
        arrays["replay.p"] = learner.replay_p[:learner.replay_filled].copy()
        info = {"replay": [learner.replay_filled, learner.replay_next], "base_lr": learner.base_lr,
                "epoch": self._epoch, "in_epoch": self._in_epoch, "games": learner.games,
                "last_loss": learner.last_loss if math.isfinite(learner.last_loss) else None,
                "results": [learner.results[X], learner.results[DRAW], learner.results[O]],
                "rng": run_state.save_rng(learner.rng), "optimizer": optimizer, "spec": self.spec.as_dict()}
        return RunState(arrays=arrays, info=info)

    def restore(self, state: RunState) -> None:
        with run_state.complete_state():
            learner, info, arrays = self.learner, state.info, state.arrays
            if list(info["spec"]["layers"]) != list(self.spec.layers):
                raise NotResumable("the saved run's network has other --layers than this one")
            run_state.restore_params(arrays, "net", learner.net)
            if learner.shown is not learner.net:
                run_state.restore_params(arrays, "shown", learner.shown)
            run_state.restore_optimizer(arrays, "opt", learner.optimizer, learner.net, info["optimizer"])
            run_state.restore_rng(learner.rng, info["rng"])
            self._epoch, self._in_epoch = int(info["epoch"]), int(info["in_epoch"])
            learner.games = int(info["games"])
            filled, position = (int(n) for n in info["replay"])
            if filled > len(learner.replay_x) or arrays["replay.x"].shape != (filled, 27):
                raise NotResumable("the saved run's replay does not fit this run's --replay-size")
            learner.replay_x[:filled], learner.replay_y[:filled] = arrays["replay.x"], arrays["replay.y"]
            # each row's replay priority (files from before it existed: all alike)
            learner.replay_p[:filled] = arrays["replay.p"] if "replay.p" in arrays else 1.0
            learner.replay_filled, learner.replay_next = filled, position
            learner.base_lr = float(info["base_lr"])
            learner.last_loss = float("nan") if info["last_loss"] is None else float(info["last_loss"])
            learner.results = dict(zip((X, DRAW, O), (int(n) for n in info["results"])))
            self._measured = None

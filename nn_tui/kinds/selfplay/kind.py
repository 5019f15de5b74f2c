"""The selfplay kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.settings import ConfigError, TrainConfig
from nn_tui.engine.network import Network
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.selfplay import build as selfplay_build
from nn_tui.kinds.selfplay import commands as selfplay_commands
from nn_tui.kinds.selfplay import probes as selfplay_probes
from nn_tui.kinds.selfplay import spec as selfplay_spec


FILE_DECIDES = ("replay_size", "average")  # besides the layers: the saved state's shape


class SelfPlayKind(ModelKind):
    name = "selfplay"
    summary = selfplay_spec.SUMMARY
    spec = selfplay_spec.SelfPlaySpec
    options = selfplay_spec.OPTIONS
    datasets = selfplay_build.DATASETS
    # measured in bench/selfplay_tictactoe.py (see selfplay_spec for the rest)
    defaults = {"dataset": "tictactoe", "optimizer": "adam", "lr": 0.0005, "epochs": 40}
    commands = selfplay_commands.COMMANDS
    panes = "nn_tui.kinds.selfplay.panes"

    def check(self, config) -> None:
        selfplay_spec.check_spec(config.model)
        if config.train.reg != "none":
            raise ConfigError("--reg: self-play has no regularisation")
        if config.train.batch_size != TrainConfig().batch_size:
            raise ConfigError("--batch-size: self-play learns from one game at a time (--games-per-epoch sets an epoch)")

    def load_data(self, config, seed):
        return selfplay_build.load_game(config)

    def check_data(self, config, dataset) -> None:
        if dataset.task != selfplay_build.TASK:
            raise ConfigError("--model selfplay plays --dataset tictactoe")

    def build(self, config, dataset, model=None):
        return selfplay_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        # its file's value network (an agent file, or an earlier nn-tui's plain network)
        return isinstance(model, Network) and model.metadata.get("kind") == self.name

    def spec_for(self, model, spec):
        """The file decides the network and what its saved state needs of the spec
        (the replay's size, whether an averaged network is shown); the rest is the run's."""
        current = spec if isinstance(spec, selfplay_spec.SelfPlaySpec) else selfplay_spec.SelfPlaySpec()
        changes = {"layers": tuple(int(size) for size in model.sizes[1:-1])}
        saved = getattr(model, "file_spec", None) or {}
        changes.update({name: saved[name] for name in FILE_DECIDES if name in saved})
        return current.replace(**changes)

    def probes(self, run) -> tuple:
        return selfplay_probes.probes(run)

    def settings(self, run) -> dict:
        return dict(run.spec.as_dict(), lr=run.learner.optimizer.lr)

    def status(self, settings) -> tuple:
        # The games' scores and the learner's settings, not the playground's losses.
        return ((("perfect_o_loss", "lost as O to perfect", "{:.0f}"), ("random_x_win", "won as X vs random", "{:.0f}"),
                 ("epsilon", "ε", "{:.3f}")),
                (f"lr {settings['lr']:g}", f"λ {settings['td_lambda']:g}", search_label(settings)))

    def report(self, run) -> dict:
        measured = run.measured()
        return {"layers": list(run.spec.layers), "search_depth": run.spec.search_depth, "mcts": run.spec.mcts,
                "vs_perfect": measured["vs_perfect"], "vs_random": measured["vs_random"]}


def search_label(settings) -> str:
    """The search the network plays through, in a few words (status line, board)."""
    if settings.get("mcts"):
        return f"search MCTS {settings['mcts']}"
    depth = settings.get("search_depth", 0)
    return f"search {depth} plies" if depth else "search off"


KIND = SelfPlayKind()

"""The dqn kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.settings import ConfigError
from nn_tui.engine.network import Network
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.dqn import build as dqn_build
from nn_tui.kinds.dqn import commands as dqn_commands
from nn_tui.kinds.dqn import probes as dqn_probes
from nn_tui.kinds.dqn import spec as dqn_spec


FILE_DECIDES = ("replay", "q_average")  # besides the layers: the saved state's shape


class DqnKind(ModelKind):
    name = "dqn"
    summary = dqn_spec.SUMMARY
    spec = dqn_spec.DqnSpec
    options = dqn_spec.OPTIONS
    datasets = dqn_build.DATASETS
    # bench/dqn_gridworld.py measures the goals with these (an epoch is one episode)
    defaults = {"dataset": "gridworld", "optimizer": "adam", "lr": 3e-4, "batch_size": 128, "epochs": 1000}
    commands = dqn_commands.COMMANDS
    panes = "nn_tui.kinds.dqn.panes"

    def check(self, config) -> None:
        dqn_spec.check_spec(config.model)
        dqn_build.check_train_settings(config)

    def load_data(self, config, seed):
        return dqn_build.load_world(config, seed)

    def check_data(self, config, dataset) -> None:
        if dataset.task != dqn_build.CONTROL:
            raise ConfigError("--model dqn acts in a world: --dataset gridworld")

    def build(self, config, dataset, model=None):
        return dqn_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        # its file's value network (an agent file, or an earlier nn-tui's plain network)
        return isinstance(model, Network) and model.metadata.get("kind") == self.name

    def spec_for(self, model, spec):
        """The file decides the network and what its saved state needs of the spec
        (the replay's size, whether an averaged network is shown); the rest is the run's."""
        current = spec if isinstance(spec, dqn_spec.DqnSpec) else dqn_spec.DqnSpec()
        changes = {"layers": tuple(int(size) for size in model.sizes[1:-1])}
        saved = getattr(model, "file_spec", None) or {}
        changes.update({name: saved[name] for name in FILE_DECIDES if name in saved})
        return current.replace(**changes)

    def probes(self, run) -> tuple:
        return dqn_probes.probes(run)

    def settings(self, run) -> dict:
        spec = run.agent.spec
        return dict(spec.as_dict(), hidden=tuple(spec.layers), activation="relu", output_activation="linear",
                    lr=run.agent.optimizer.lr, optimizer=run.agent.optimizer.name)

    def status(self, settings) -> tuple:
        # The agent's scores and its learning settings, not the playground's losses.
        return ((("mean_return", "return", "{:.3f}"), ("success_rate", "success", "{:.0%}"),
                 ("optimal_share", "optimal", "{:.0%}"), ("epsilon", "ε", "{:.2f}")),
                (f"lr {settings['lr']:g}", f"γ {settings['gamma']:g}", settings["optimizer"]))

    def report(self, run) -> dict:
        return {"sizes": list(run.model.sizes)}


KIND = DqnKind()

"""The perceptron kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.data import BINARY
from nn_tui.datasets import DATASETS
from nn_tui.engine import Perceptron
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.perceptron import build as perceptron_build
from nn_tui.kinds.perceptron import commands as perceptron_commands
from nn_tui.kinds.perceptron import probes as perceptron_probes
from nn_tui.kinds.perceptron import spec as perceptron_spec
from nn_tui.kinds.perceptron.spec import PerceptronSpec
from nn_tui.settings import ConfigError


class PerceptronKind(ModelKind):
    name = "perceptron"
    summary = perceptron_spec.SUMMARY
    spec = PerceptronSpec
    options = perceptron_spec.OPTIONS
    commands = perceptron_commands.COMMANDS
    panes = "nn_tui.kinds.perceptron.panes"
    datasets = DATASETS

    def check_data(self, config, dataset) -> None:
        if dataset.task != BINARY:
            raise ConfigError(f"the perceptron separates two classes; {dataset.name!r} is a {dataset.task} task")

    def build(self, config, dataset, model=None):
        return perceptron_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        return isinstance(model, Perceptron)

    def probes(self, run) -> tuple:
        return perceptron_probes.probes(run)

    def settings(self, run) -> dict:
        return {"activation": "step", "hidden": (), "output_activation": "step",
                "loss": run.model.loss_name, "features": tuple(run.inputs.names)}

    def report(self, run) -> dict:
        return {"sizes": list(run.model.sizes)}


KIND = PerceptronKind()

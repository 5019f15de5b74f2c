"""The mlp kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.datasets import DATASETS
from nn_tui.settings import TRAINING_EXTRAS
from nn_tui.engine import BatchNorm1d, Dense, Dropout, Network
from nn_tui.engine.network import dense_layers, dense_sizes
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.layer_health import layer_health_view
from nn_tui.kinds.mlp import build as mlp_build
from nn_tui.kinds.mlp import commands as mlp_commands
from nn_tui.kinds.mlp import probes as mlp_probes
from nn_tui.kinds.mlp import spec as mlp_spec


class MLPKind(ModelKind):
    name = "mlp"
    summary = mlp_spec.SUMMARY
    spec = mlp_spec.MLPSpec
    options = mlp_spec.OPTIONS
    commands = mlp_commands.COMMANDS
    keeps_scores = mlp_commands.KEEPS_SCORES
    panes = "nn_tui.kinds.mlp.panes"
    datasets = DATASETS
    training_extras = frozenset(TRAINING_EXTRAS)
    # Measured on Fashion-MNIST in bench/fashion_mnist.py (README, Real images).
    defaults_28x28 = {"layers": (128,), "activation": "relu", "optimizer": "adam", "lr": 0.001,
                      "batch_size": 32, "epochs": 20}

    def check(self, config) -> None:
        mlp_spec.check(config.model)

    def fits_view(self, config) -> None:
        mlp_spec.check_fits_view(config.model)

    def build(self, config, dataset, model=None):
        return mlp_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        # A Network of Dense layers whose file does not name another kind (a CNN or an
        # autoencoder is a Network too).
        # (Dropout and batch norm between the Dense layers: --dropout, --batchnorm.)
        return (isinstance(model, Network) and all(type(layer) in (Dense, Dropout, BatchNorm1d)
                                                   for layer in model.layers)
                and type(model.layers[-1]) is Dense and model.metadata.get("kind", "mlp") == "mlp")

    def spec_for(self, model, current):
        return mlp_spec.MLPSpec(layers=tuple(layer.n_out for layer in dense_layers(model)[:-1]), activation=model.activation or current.activation,
                            output=model.output_activation, loss=model.loss_name, init=current.init)

    def probes(self, run) -> tuple:
        views = mlp_probes.probes(run, self.settings(run)["activation"], run.model.output_activation)
        return (*views, layer_health_view(run))  # last: its forward pass leaves the layers' outputs

    def settings(self, run) -> dict:
        model, config = run.model, run.config
        return {
            "activation": config.model.activation,
            "hidden": tuple(layer.n_out for layer in dense_layers(model)[:-1]),
            "output_activation": model.output_activation,
            "loss": model.loss_name,
            "features": tuple(run.inputs.names),
            "stopped_early_at": run.stopped_early_at,  # --early-stop: the epoch it stopped at, or None
        }

    def report(self, run) -> dict:
        return {"sizes": dense_sizes(run.model)}


KIND = MLPKind()

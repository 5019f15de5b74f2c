"""The cnn kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.settings import TRAINING_EXTRAS, ConfigError
from nn_tui.engine import Conv2D, Dense, Network
from nn_tui.kinds.layer_health import layer_health_view
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.cnn import build as cnn_build
from nn_tui.kinds.cnn import commands as cnn_commands
from nn_tui.kinds.cnn import probes as cnn_probes
from nn_tui.kinds.cnn import spec as cnn_spec


class CNNKind(ModelKind):
    name = "cnn"
    summary = cnn_spec.SUMMARY
    spec = cnn_spec.CNNSpec
    options = cnn_spec.OPTIONS
    datasets = ("digits",)
    training_extras = frozenset(TRAINING_EXTRAS)
    commands = cnn_commands.COMMANDS
    keeps_scores = cnn_commands.KEEPS_SCORES
    panes = "nn_tui.kinds.cnn.panes"
    # Issue 8's settings, measured in bench/cnn_accuracy.py and bench/autoencoder_psnr.py.
    defaults = {"dataset": "digits", "optimizer": "adam", "lr": 0.001, "batch_size": 32, "epochs": 40}
    # 28×28 data (MNIST, Fashion-MNIST): float32 halves an epoch's time (17 s of CPU for
    # Fashion-MNIST's 60,000), and its test accuracy passes 0.90 by epoch 3-4 and is flat by 10.
    # Measured in bench/fashion_mnist.py (README, Real images).
    defaults_28x28 = {"dtype": "float32", "epochs": 10}

    def check(self, config) -> None:
        cnn_spec.check(config.model)

    def check_data(self, config, dataset) -> None:
        if dataset.image_shape is None or not dataset.is_classification:
            raise ConfigError(f"--model cnn classifies images (--dataset digits, or --data an IDX file, "
                              f"a folder of pictures, an .npz); {dataset.name!r} is not one")

    def build(self, config, dataset, model=None):
        return cnn_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        return isinstance(model, Network) and any(isinstance(layer, Conv2D) for layer in model.layers)

    def spec_for(self, model, current):
        convs = [layer for layer in model.layers if isinstance(layer, Conv2D)]
        dense = [layer for layer in model.layers if isinstance(layer, Dense)]
        return cnn_spec.CNNSpec(conv=tuple(layer.out_ch for layer in convs), kernel=convs[0].kernel,
                                layers=tuple(layer.n_out for layer in dense[:-1]),
                                activation=model.activation or current.activation, init=current.init)

    def probes(self, run) -> tuple:
        return (*cnn_probes.probes(run), layer_health_view(run))  # last: see the MLP's

    def settings(self, run) -> dict:
        spec = run.config.model
        return {"activation": spec.activation, "conv": tuple(spec.conv), "kernel": spec.kernel,
                "hidden": tuple(spec.layers), "output_activation": "softmax", "loss": "ce"}

    def report(self, run) -> dict:
        spec = run.config.model
        return {"sizes": list(run.model.sizes), "conv": list(spec.conv), "kernel": spec.kernel}


KIND = CNNKind()

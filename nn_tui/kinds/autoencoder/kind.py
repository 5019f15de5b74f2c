"""The autoencoder kind's registry entry: what the session, the screens and the CLI call."""

from __future__ import annotations

from nn_tui.settings import TRAINING_EXTRAS, ConfigError
from nn_tui.engine import BatchNorm1d, Dense, Dropout, Network
from nn_tui.engine.network import dense_sizes
from nn_tui.kinds.autoencoder import build as ae_build
from nn_tui.kinds.autoencoder import commands as ae_commands
from nn_tui.kinds.autoencoder import probes as ae_probes
from nn_tui.kinds.autoencoder import spec as ae_spec
from nn_tui.kinds.base import ModelKind


class AutoencoderKind(ModelKind):
    name = "autoencoder"
    summary = ae_spec.SUMMARY
    spec = ae_spec.AutoencoderSpec
    options = ae_spec.OPTIONS
    datasets = ("digits",)
    # Early stopping is the supervised kinds' (its validation split is of labelled rows).
    training_extras = frozenset(TRAINING_EXTRAS) - {"early_stop"}
    commands = ae_commands.COMMANDS
    keeps_scores = ae_commands.KEEPS_SCORES
    panes = "nn_tui.kinds.autoencoder.panes"
    # Issue 8's settings, with issue 17's width (the spec's layers) and length: measured
    # over seeds in bench/autoencoder_psnr.py, each goal met on every seed with room to spare.
    defaults = {"dataset": "digits", "optimizer": "adam", "lr": 0.003, "batch_size": 32, "epochs": 200}

    def check(self, config) -> None:
        ae_spec.check(config.model)

    def check_data(self, config, dataset) -> None:
        if dataset.image_shape is None:
            raise ConfigError(f"--model autoencoder rebuilds images (--dataset digits, or --data an IDX file, "
                              f"a folder of pictures, an .npz); {dataset.name!r} is not one")
        ae_spec.check_drawn_fits(config.model, dataset.image_shape, len(dataset.X_test))

    def build(self, config, dataset, model=None):
        return ae_build.build(config, dataset, model)

    def owns(self, model) -> bool:
        return (isinstance(model, Network) and all(type(layer) in (Dense, Dropout, BatchNorm1d)
                                                   for layer in model.layers)
                and model.metadata.get("kind") == "autoencoder")

    def spec_for(self, model, current):
        hidden = dense_sizes(model)[1:-1]
        meta = model.metadata
        # A mark drawn by hand travels with the model (files from before it have none).
        drawn = meta.get("drawn", list(current.drawn))
        drawn = tuple(drawn) if isinstance(drawn, list) else drawn
        drawn_on = meta.get("drawn_on", current.drawn_on)
        ae_spec.check_drawn(drawn, drawn_on)
        return ae_spec.AutoencoderSpec(layers=tuple(hidden[:(len(hidden) + 1) // 2]),
                                       activation=model.activation or current.activation,
                                       corrupt=float(meta.get("corrupt", current.corrupt)),
                                       init=current.init, mark=str(meta.get("mark", current.mark)),
                                       drawn=drawn, drawn_on=drawn_on)

    def probes(self, run) -> tuple:
        return ae_probes.probes(run)

    def settings(self, run) -> dict:
        spec = run.config.model
        return {"activation": spec.activation, "hidden": spec.hidden, "corrupt": spec.corrupt,
                "mark": spec.mark, "drawn": spec.drawn, "drawn_on": spec.drawn_on,
                "output_activation": "sigmoid", "loss": "mse"}

    def status(self, settings) -> tuple:
        return ((("train_loss", "train loss", None), ("test_loss", "test loss", None),
                 ("test_psnr", "PSNR", "{:.1f} dB"), ("test_psnr_noisy", "noisy", "{:.1f}"),
                 ("test_psnr_marked", "under the mark", "{:.1f} dB"),
                 ("test_psnr_marked_before", "before", "{:.1f}"),
                 # the mark drawn by hand (e): its pixels on its image, as the digits' rows label them
                 ("test_psnr_drawn", "yours", "{:.1f} dB"), ("test_psnr_drawn_before", "before", "{:.1f}")), None)

    def report(self, run) -> dict:
        spec = run.config.model
        drawn = {"drawn": list(spec.drawn), "drawn_on": spec.drawn_on} if spec.drawn else {}
        return {"sizes": dense_sizes(run.model), "corrupt": spec.corrupt, "mark": spec.mark, **drawn}


KIND = AutoencoderKind()

"""The registry entries of the three sequence kinds: rnn, lstm and gru share
everything but the cell (one `SequenceKind` each, in rnn.py, lstm.py, gru.py)."""

from __future__ import annotations

from nn_tui.settings import ConfigError
from nn_tui.kinds.base import ModelKind
from nn_tui.kinds.sequence import build as sequence_build
from nn_tui.kinds.sequence import commands as sequence_commands
from nn_tui.kinds.sequence import probes as sequence_probes
from nn_tui.kinds.sequence import spec as sequence_spec
from nn_tui.kinds.sequence.model import CharModel


class SequenceKind(ModelKind):
    options = sequence_spec.OPTIONS
    datasets = sequence_build.DATASETS
    defaults = sequence_spec.TRAIN_DEFAULTS  # measured in bench/fluent_contrast.py
    commands = sequence_commands.COMMANDS
    keeps_scores = sequence_commands.KEEPS_SCORES
    data_from_seed = False  # the fluent stories and a text file are the same for every seed
    reads_text = True
    panes = "nn_tui.kinds.sequence.panes"

    def __init__(self, cell: str) -> None:
        self.name = cell
        self.summary = sequence_spec.SUMMARIES[cell]
        self.spec = sequence_spec.SPECS[cell]

    def check(self, config) -> None:
        sequence_spec.check(config.model)

    def load_data(self, config, seed):
        return sequence_build.load_data(config)

    def build(self, config, dataset, model=None):
        return sequence_build.build(config, dataset, model)

    def check_data(self, config, dataset) -> None:
        if not isinstance(dataset, sequence_build.SequenceData):  # --load of this kind's file, data of another
            raise ConfigError(f"--load: the file holds a character model ({self.name}), which trains on text: "
                              f"add --model {self.name} (and --dataset fluent or --data FILE.txt)")

    def owns(self, model) -> bool:
        return isinstance(model, CharModel) and model.cell_name == self.name

    def spec_for(self, model, current):
        """The file decides the cell and its sizes; the rest (gap, window, ...) is the run's."""
        base = current if isinstance(current, sequence_spec.SequenceSpec) else self.spec()
        return self.spec(layers=(model.hidden,), embed=model.embed_dim, gap=base.gap, window=base.window,
                         answer_weight=base.answer_weight, clip=base.clip)

    def settings(self, run) -> dict:
        s = run.settings
        return {"cell": s.cell, "hidden": s.hidden, "embed": s.embed, "gap": s.gap, "window": s.window}

    def status(self, settings) -> tuple:
        """What the story is about first (at 80 columns the line ends after the losses: the rnn
        lesson's "80 % completed" goal was cut off), then the losses (None: a loss's format); the cell."""
        return ((("completion_accuracy", "completion", "{:.2f}"), ("train_loss", "train loss", None),
                 ("test_loss", "test loss", None), ("bits_per_char", "bits/char", "{:.3f}")),
                (f"lr {settings['lr']:g}", settings.get("cell"), settings.get("optimizer")))

    def report(self, run) -> dict:
        s = run.settings
        return {"cell": s.cell, "hidden": s.hidden, "gap": s.gap, "parameters": run.model.n_params}

    def probes(self, run) -> tuple:
        return sequence_probes.probes(run)

"""The sequence kinds' settings (rnn, lstm, gru share them) and their command-line options.

`nn-tui train --dataset fluent --gap 2 --model lstm --layers 64 --json`. The data and
training defaults (fluent stories, Adam, lr 0.005, batch 32, float32, 100 epochs of
16 steps) are the kinds' `defaults`: the settings bench/fluent_contrast.py measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.settings import ConfigError, Option, int_list
from nn_tui.data.text import MAX_GAP
from nn_tui.kinds.sequence.settings import SequenceSettings

# One line each for --help (every launch reads them; a kind itself loads on first use).
SUMMARIES = {
    "rnn": "a character model with a plain tanh recurrent layer",
    "lstm": "a character model with an LSTM layer (gates i, f, g, o)",
    "gru": "a character model with a GRU layer (gates r, z, n)",
}

DEFAULTS = SequenceSettings()
MAX_HIDDEN = 1024
# An epoch of a sequence kind is this many steps: the default 100 epochs are the
# 1600 steps the fluent contrast was measured with (bench/fluent_contrast.py).
STEPS_PER_EPOCH = DEFAULTS.steps // 100
TRAIN_DEFAULTS = {"dataset": "fluent", "optimizer": "adam", "lr": DEFAULTS.lr, "batch_size": DEFAULTS.batch,
                  "epochs": DEFAULTS.steps // STEPS_PER_EPOCH, "dtype": DEFAULTS.dtype}


@dataclass(frozen=True)
class SequenceSpec:
    kind: str = "lstm"
    layers: tuple[int, ...] = (DEFAULTS.hidden,)
    gap: int = DEFAULTS.gap
    embed: int = DEFAULTS.embed
    window: int = DEFAULTS.window
    answer_weight: float = DEFAULTS.answer_weight
    clip: float = DEFAULTS.clip


@dataclass(frozen=True)
class RNNSpec(SequenceSpec):
    kind: str = "rnn"


@dataclass(frozen=True)
class LSTMSpec(SequenceSpec):
    kind: str = "lstm"


@dataclass(frozen=True)
class GRUSpec(SequenceSpec):
    kind: str = "gru"


SPECS = {"rnn": RNNSpec, "lstm": LSTMSpec, "gru": GRUSpec}


OPTIONS = (
    Option("--layers", dict(type=int_list, default=SequenceSpec.layers, metavar="N",
                            help="units of the recurrent layer (sequence kinds: one layer, default 64)")),
    Option("--gap", dict(type=int, default=DEFAULTS.gap, metavar="K",
                         help=f"fluent stories: filler sentences between country and language, 0-{MAX_GAP} "
                              f"(default: {DEFAULTS.gap})")),
    Option("--embed", dict(type=int, default=DEFAULTS.embed, metavar="N",
                           help=f"character embedding size (default: {DEFAULTS.embed})")),
    Option("--window", dict(type=int, default=DEFAULTS.window, metavar="T",
                            help=f"characters per training window, the BPTT length (default: {DEFAULTS.window})")),
    Option("--answer-weight", dict(type=float, default=DEFAULTS.answer_weight, metavar="W",
                                   help=f"loss weight of the language word in fluent stories "
                                        f"(default: {DEFAULTS.answer_weight:g})")),
    Option("--clip", dict(type=float, default=DEFAULTS.clip, metavar="C",
                          help=f"clip the gradient's global norm to C (default: {DEFAULTS.clip:g})")),
)


def hidden_of(spec) -> int:
    layers = tuple(spec.layers)
    if len(layers) != 1:
        raise ConfigError(f"--layers: a {spec.kind} model has one recurrent layer; give one size, like --layers 64")
    if not 1 <= layers[0] <= MAX_HIDDEN:
        raise ConfigError(f"--layers: the recurrent layer needs 1 to {MAX_HIDDEN} units, got {layers[0]}")
    return layers[0]


def check(spec) -> None:
    hidden_of(spec)
    if not 0 <= spec.gap <= MAX_GAP:
        raise ConfigError(f"--gap must be from 0 to {MAX_GAP}, got {spec.gap}")
    if not 1 <= spec.embed <= 1024:
        raise ConfigError(f"--embed must be from 1 to 1024, got {spec.embed}")
    if not 2 <= spec.window <= 4096:
        raise ConfigError(f"--window must be from 2 to 4096, got {spec.window}")
    if not spec.answer_weight > 0:
        raise ConfigError(f"--answer-weight must be positive, got {spec.answer_weight}")
    if not spec.clip > 0:
        raise ConfigError(f"--clip must be positive, got {spec.clip}")


def resolve(config) -> SequenceSettings:
    """The SequenceSettings a config means."""
    spec, train = config.model, config.train
    return SequenceSettings(
        cell=spec.kind, gap=spec.gap, hidden=hidden_of(spec), embed=spec.embed, batch=train.batch_size,
        window=spec.window, steps=max(1, train.epochs) * STEPS_PER_EPOCH, lr=train.lr, clip=spec.clip,
        answer_weight=spec.answer_weight, seed=train.seed, dtype=train.dtype,
    )

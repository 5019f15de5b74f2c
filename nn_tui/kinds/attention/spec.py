"""The attention kind's settings and command-line options.

`nn-tui train --dataset fluent --model attention --gap 8 --json`. --gap, --clip and
--answer-weight are the sequence kinds' options, read the same way; --d, --heads,
--blocks, --context and --temperature are this kind's. The defaults (d 48, 2 heads,
1 block, context 256, Adam 1e-2, batch 6, clip 5, answer weight 20, 45 epochs of 16 steps, float32)
are the ones bench/attention_fluent.py and bench/attention_vs_lstm.py measure at gap 8.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nn_tui.settings import ConfigError, Option
from nn_tui.data.text import MAX_GAP
from nn_tui.kinds.attention.settings import AttentionSettings
from nn_tui.kinds.sequence import spec as sequence_spec

# One line for --help (every launch reads it; the kind itself loads on first use).
SUMMARY = "a character transformer: causal self-attention blocks that look back at any earlier character"

DEFAULTS = AttentionSettings()
STEPS_PER_EPOCH = sequence_spec.STEPS_PER_EPOCH
TRAIN_DEFAULTS = {"dataset": "fluent", "optimizer": "adam", "lr": DEFAULTS.lr, "batch_size": DEFAULTS.batch,
                  "epochs": DEFAULTS.steps // STEPS_PER_EPOCH, "dtype": DEFAULTS.dtype}
MAX_D, MAX_BLOCKS, MAX_CONTEXT = 1024, 16, 4096


@dataclass(frozen=True)
class AttentionSpec:
    kind: str = "attention"
    d: int = DEFAULTS.d
    heads: int = DEFAULTS.heads
    blocks: int = DEFAULTS.blocks
    context: int = DEFAULTS.context
    gap: int = DEFAULTS.gap
    answer_weight: float = DEFAULTS.answer_weight
    clip: float = DEFAULTS.clip
    temperature: float = DEFAULTS.temperature


_SHARED = {"--gap", "--answer-weight", "--clip"}
OPTIONS = tuple(option for option in sequence_spec.OPTIONS if option.flag in _SHARED) + (
    Option("--d", dict(type=int, default=DEFAULTS.d, metavar="N",
                       help=f"attention: the width of every position's vector (default: {DEFAULTS.d})")),
    Option("--heads", dict(type=int, default=DEFAULTS.heads, metavar="H",
                           help=f"attention heads per block; d must be a multiple (default: {DEFAULTS.heads})")),
    Option("--blocks", dict(type=int, default=DEFAULTS.blocks, metavar="B",
                            help=f"transformer blocks (default: {DEFAULTS.blocks})")),
    Option("--context", dict(type=int, default=DEFAULTS.context, metavar="T",
                             help=f"characters a position can see, the training window (default: {DEFAULTS.context})")),
    Option("--temperature", dict(type=float, default=DEFAULTS.temperature, metavar="τ",
                                 help=f"temperature of the free sample (default: {DEFAULTS.temperature:g})")),
)


def check(spec) -> None:
    if not 1 <= spec.d <= MAX_D:
        raise ConfigError(f"--d must be from 1 to {MAX_D}, got {spec.d}")
    if not 1 <= spec.heads <= spec.d or spec.d % spec.heads:
        raise ConfigError(f"--heads must divide --d ({spec.d}), got {spec.heads}")
    if not 1 <= spec.blocks <= MAX_BLOCKS:
        raise ConfigError(f"--blocks must be from 1 to {MAX_BLOCKS}, got {spec.blocks}")
    if not 2 <= spec.context <= MAX_CONTEXT:
        raise ConfigError(f"--context must be from 2 to {MAX_CONTEXT}, got {spec.context}")
    if not 0 <= spec.gap <= MAX_GAP:
        raise ConfigError(f"--gap must be from 0 to {MAX_GAP}, got {spec.gap}")
    if not (math.isfinite(spec.answer_weight) and spec.answer_weight > 0):
        raise ConfigError(f"--answer-weight must be positive, got {spec.answer_weight}")
    if not (math.isfinite(spec.clip) and spec.clip > 0):
        raise ConfigError(f"--clip must be positive, got {spec.clip}")
    if not (math.isfinite(spec.temperature) and 0 <= spec.temperature <= 10):
        raise ConfigError(f"--temperature must be from 0 to 10, got {spec.temperature}")


def resolve(config) -> AttentionSettings:
    """The AttentionSettings a config means."""
    spec, train = config.model, config.train
    return AttentionSettings(
        gap=spec.gap, d=spec.d, heads=spec.heads, blocks=spec.blocks, context=spec.context,
        batch=train.batch_size, steps=max(1, train.epochs) * STEPS_PER_EPOCH, lr=train.lr, clip=spec.clip,
        answer_weight=spec.answer_weight, seed=train.seed, dtype=train.dtype, temperature=spec.temperature,
    )

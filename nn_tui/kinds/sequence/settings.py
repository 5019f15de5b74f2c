"""The settings of a character model's training (SequenceSettings): plain values, in a
module of their own so that the command line reads the defaults without the trainer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SequenceSettings:
    cell: str = "lstm"
    gap: int = 2
    hidden: int = 64
    embed: int = 16
    batch: int = 32
    window: int = 128
    steps: int = 1600
    lr: float = 0.005
    clip: float = 5.0
    answer_weight: float = 10.0
    ramp: float = 0.4
    decay: float = 0.4  # the last share of steps over which lr falls linearly to 5 %
    seed: int = 0
    dtype: str = "float32"
    eval_every: int = 0  # 0: only at the end

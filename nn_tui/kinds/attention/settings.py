"""The settings of the character transformer's training (AttentionSettings): plain
values, in a module of their own so that the command line reads the defaults without
the trainer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttentionSettings:
    cell: str = "attention"
    gap: int = 8
    d: int = 48
    heads: int = 4  # with 2, seed 0 looked at the full stop after the country, not its letters (0.45)
    blocks: int = 2
    context: int = 256
    batch: int = 16
    steps: int = 1280
    lr: float = 0.003
    clip: float = 5.0
    answer_weight: float = 5.0  # the language's letters count 5× in the loss: the look-up is found sooner
    ramp: float = 0.0   # no curriculum: the look-up is found at the target gap itself
    decay: float = 0.2  # the last share of steps over which lr falls linearly to 5 %
    seed: int = 0
    dtype: str = "float32"
    eval_every: int = 0
    temperature: float = 0.6  # of the free sample on the screen

    @property
    def window(self) -> int:
        """Characters per training window: the whole context."""
        return self.context

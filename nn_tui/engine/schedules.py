"""Learning-rate schedules: the rate as a function of how far training has got.

    constant  lr
    step      lr · STEP_FACTOR^⌊t / every⌋          (halved every `every` epochs)
    cosine    lr · ½(1 + cos(π · t / length))       (t clamped to length: 0 at the end)

t counts epochs after the warm-up (length: the run's epochs less the warm-up), in fractions of an epoch (the trainer asks once
per mini-batch). A linear warm-up of `warmup` epochs goes before any of them: the rate
climbs from lr/(steps of warm-up) to lr, as PyTorch's LinearLR with a start factor
close to 0; a schedule is a pure function of the position, so a resumed run needs to
keep only where it is (its epoch and place in the epoch), and the same position
gives the same rate, bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SCHEDULES = ("constant", "step", "cosine")
STEP_FACTOR = 0.5
# Before the first update the warm-up's rate is not 0 (an update of 0 wastes a step):
# it starts at this share of its first epoch's climb.
WARMUP_FLOOR = 1e-3


@dataclass(frozen=True)
class Schedule:
    """``Schedule(kind, lr, warmup=0, length=100, every=0)``. ``lr`` is the peak
    (base) rate; ``length`` the run's epochs, warm-up included (a cosine reaches 0
    there and stays); ``every`` the epochs between a step schedule's halvings (0: a
    quarter of ``length``)."""

    kind: str = "constant"
    lr: float = 0.03
    warmup: float = 0
    length: float = 100
    every: float = 0

    def __post_init__(self):
        if self.kind not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, not {self.kind!r}")
        for name in ("lr", "warmup", "length", "every"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a number ≥ 0, not {value!r}")

    @property
    def changes(self) -> bool:
        """False for a constant rate without warm-up (the trainer then leaves the rate alone)."""
        return self.kind != "constant" or self.warmup > 0

    @property
    def step_every(self) -> float:
        return self.every if self.every > 0 else max(1.0, math.floor(self.length / 4))

    def lr_at(self, epochs: float) -> float:
        """The rate after ``epochs`` epochs of training (a float: 2.5 is half-way through the third)."""
        if epochs < self.warmup:
            return self.lr * max(epochs / self.warmup, WARMUP_FLOOR)
        t = epochs - self.warmup
        if self.kind == "step":
            return self.lr * STEP_FACTOR ** math.floor(t / self.step_every)
        if self.kind == "cosine":
            length = max(self.length - self.warmup, 1e-12)
            return self.lr * 0.5 * (1.0 + math.cos(math.pi * min(t, length) / length))
        return self.lr

"""The sudden jump: completion accuracy that sits near chance, then rises within a few
evaluations when the model finds the look-up (a head that reads the country).

``find_jump(epochs, accuracy)`` is the screen's mark and status line, and the lesson's
check: the first rise of at least ``RISE`` over at most ``WITHIN`` evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RISE = 0.5  # from near chance (1 in 16) to most of the stories
WITHIN = 6  # evaluations (epochs of 16 steps on the screen: 96 steps)


@dataclass(frozen=True)
class Jump:
    start: float  # the epoch (or step) it rose from
    end: float  # ... and the one it reached ``after``
    before: float
    after: float

    def line(self, unit: str = "epoch") -> str:
        return self.lines(unit)[0]

    def lines(self, unit: str = "epoch") -> tuple[str, ...]:
        """The line, then shorter forms of it for a narrow pane (each says "jump")."""
        rise, when = f"{self.before:.2f} → {self.after:.2f}", f"{unit}s {self.start:g}–{self.end:g}"
        return (f"the jump: completion {rise}, {when}", f"the jump: {rise}, {when}", f"jump: {rise}, {when}",
                f"jump: {rise}")


def find_jump(epochs, accuracy, rise: float = RISE, within: int = WITHIN) -> Jump | None:
    """The first rise of ≥ ``rise`` over ≤ ``within`` evaluations, or None."""
    xs = np.asarray(epochs, dtype=float)
    ys = np.asarray(accuracy, dtype=float)
    for end in range(1, len(ys)):
        if not np.isfinite(ys[end]):
            continue
        window = ys[max(0, end - within):end]
        if not np.isfinite(window).any():
            continue
        low = end - 1 - int(np.nanargmin(window[::-1]))  # the latest lowest point: where the rise began
        if ys[end] - ys[low] >= rise:
            return Jump(float(xs[low]), float(xs[end]), float(ys[low]), float(ys[end]))
    return None

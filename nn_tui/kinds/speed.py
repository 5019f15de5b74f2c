"""How fast the engine computes here: a measurement any dense kind can be asked for
(``measure_speed`` is a command of the dense network; the why-now lesson draws it).

It runs in the training process, between training slices, as every command does:
the app's screen only shows the numbers. Training waits while it runs (about a
second of CPU time; longer on a busy machine).
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.engine.speed import BATCH_SIZES, DTYPES, WIDTH, measure_rates
from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class SpeedView(View):
    """The engine's measured floating-point operations a second: ``rates`` holds
    (dtype, batch size, FLOP/s) rows for a ``width`` x ``width`` Dense layer."""

    rates: tuple
    width: int

    def rate(self, dtype: str, batch: int) -> float | None:
        return next((rate for d, b, rate in self.rates if d == dtype and b == batch), None)


def measure_speed(session) -> None:
    """Session command: time the engine's Dense forward + backward in float64 and
    float32 at several batch sizes, and show the rates until the next rebuild."""
    rates = measure_rates(BATCH_SIZES, DTYPES, WIDTH)
    session.training_run.extra_views = (
        SpeedView(rates=tuple((dtype, batch, float(rate)) for (dtype, batch), rate in rates.items()), width=WIDTH),)

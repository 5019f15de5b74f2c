"""How fast the engine computes: floating-point operations a second of a Dense layer.

One "step" is what training does with a layer: a forward pass of a batch and the
backward pass that fills its gradients and dL/dx. For a batch of B rows through
an n_in x n_out layer that is three matrix products of B·n_in·n_out multiply-adds
each (x @ W, xᵀ @ dz, dz @ Wᵀ), 6·B·n_in·n_out operations; the bias and the
activation add a few per output and are not counted (so the rate is a slight
under-estimate). The time is the engine's own ``Dense.forward`` and ``backward``,
Python calls included: at batch 1 they, not the arithmetic, take most of it.

The clock is the process's CPU time (``time.process_time``), not the wall clock: on a
shared machine another program's work takes turns on the core and would slow a
wall-clock rate down, while the CPU time counts only what this process computed.
nn-tui runs NumPy on one BLAS thread, so that is one core's rate. Each rate is the
best of several rounds (the least disturbed: caches shared with other programs
still slow a round), and ``measure_rates`` interleaves the settings round by round
so that a burst of load hits them all alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from nn_tui.engine.layers import Dense

WIDTH = 512  # the layer is WIDTH x WIDTH: big enough that a big batch keeps the BLAS busy
BATCH_SIZES = (1, 16, 256)
DTYPES = ("float64", "float32")
ROUND_SECONDS = 0.02  # each round repeats the step for about this long (CPU time)
ROUNDS = 4


def step_operations(batch: int, n_in: int = WIDTH, n_out: int = WIDTH) -> int:
    """Floating-point operations of one forward + backward pass (multiply and add counted apart)."""
    return 6 * batch * n_in * n_out


@dataclass
class _Bench:
    """One setting's layer, batch and gradient, made once and reused every round."""

    batch: int
    dtype: str
    width: int

    def __post_init__(self) -> None:
        rng = np.random.default_rng(0)
        self.layer = Dense(self.width, self.width, "relu", init="he", seed=0, dtype=self.dtype)
        self.x = rng.standard_normal((self.batch, self.width)).astype(self.dtype)
        self.dy = rng.standard_normal((self.batch, self.width)).astype(self.dtype)
        self.repeats = 1
        self.best = float("inf")  # seconds a step, the fastest round so far

    def step(self) -> None:
        self.layer.forward(self.x)
        self.layer.backward(self.dy)

    def round(self, seconds: float) -> None:
        """Repeat the step for about ``seconds``; keep the fastest time a step."""
        started = time.process_time()
        for _ in range(self.repeats):
            self.step()
        elapsed = max(time.process_time() - started, 1e-9)
        self.best = min(self.best, elapsed / self.repeats)
        # Size the next round to last about `seconds` (at least one step).
        self.repeats = max(1, int(self.repeats * seconds / elapsed))


def measure_rates(batch_sizes=BATCH_SIZES, dtypes=DTYPES, width: int = WIDTH, rounds: int = ROUNDS,
                  seconds: float = ROUND_SECONDS) -> dict[tuple[str, int], float]:
    """(dtype, batch size) -> floating-point operations a second of the engine's
    Dense forward + backward, the best of ``rounds`` interleaved rounds."""
    benches = [_Bench(batch, dtype, width) for dtype in dtypes for batch in batch_sizes]
    for bench in benches:  # warm up (first calls allocate) and size the rounds
        bench.step()
        bench.round(seconds / 4)
        bench.best = float("inf")
    for _ in range(rounds):
        for bench in benches:
            bench.round(seconds)
    return {(bench.dtype, bench.batch): step_operations(bench.batch, width, width) / bench.best
            for bench in benches}

"""Where a training step's time goes: the engine's against the floor's.

First plain wall-clock per step (no profiler): the floor's whole step, the
engine's whole step, and its two halves (``loss_and_grads`` and ``opt.step``)
timed alone. Then cProfile of the engine's step, per step: the Python
functions it passes through and the NumPy calls they make. (cProfile adds
roughly half a microsecond to every call it sees, so it inflates the engine's
many small calls; the wall-clock lines are the ones to compare.)
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time

from bench.engine_vs_floor import Arch, engine_step, floor_step, initial_params, make_batches, make_engine


def _per_step(fn, batches, steps: int, repeats: int = 5) -> float:
    n = len(batches)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for i in range(steps):
            fn(batches[i % n])
        best = min(best, time.perf_counter() - start)
    return best / steps * 1e6


def profile_arch(arch: Arch, dtype, steps: int = 20000) -> str:
    batches = make_batches(arch, dtype=dtype)
    net, opt = make_engine(arch, dtype=dtype)
    params = [p.copy() for p in initial_params(net)]
    floor = floor_step(arch, params)
    engine = engine_step(net, opt)
    lag = net.loss_and_grads
    engine_half = lambda b: lag(b[0], b[1])  # noqa: E731
    update = lambda b: opt.step(net)  # noqa: E731

    t_floor = _per_step(floor, batches, steps)
    t_engine = _per_step(engine, batches, steps)
    t_lag = _per_step(engine_half, batches, steps)
    t_update = _per_step(update, batches, steps)

    out = io.StringIO()
    w = out.write
    w(f"profile: {arch.label} ({dtype.name}), µs per step, best of 5 × {steps:,} steps\n")
    w(f"  floor step             {t_floor:8.2f}\n")
    w(f"  engine step            {t_engine:8.2f}   ({t_engine - t_floor:+.2f} µs, "
      f"{t_floor / t_engine:.2f}× the floor's rate)\n")
    w(f"    loss_and_grads alone {t_lag:8.2f}\n")
    w(f"    opt.step alone       {t_update:8.2f}\n")

    profiler = cProfile.Profile()
    n = len(batches)
    profiler.enable()
    for i in range(steps):
        engine(batches[i % n])
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (cc, nc, tt, ct, _) in stats.stats.items():
        where = filename.split("nn_tui/")[-1] if "nn_tui" in filename else ("bench" if "bench" in filename else "")
        label = f"{where}:{line}({name})" if where and where != "bench" else name
        if where == "bench":
            label = f"bench step wrapper ({name})"
        rows.append((tt, ct, nc, label))
    rows.sort(reverse=True)
    w("  cProfile of the engine step (per step: calls, own µs, cumulative µs):\n")
    for tt, ct, nc, label in rows[:16]:
        w(f"    {nc / steps:5.1f}  {tt / steps * 1e6:7.2f}  {ct / steps * 1e6:7.2f}  {label}\n")
    return out.getvalue().rstrip()

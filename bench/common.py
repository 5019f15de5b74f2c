"""Shared pieces of the benchmarks: thread limits, the machine report, the
side-by-side race, and the table of ratios.

Nothing here touches the environment on import; ``limit_threads`` must be
called before NumPy is first imported to take effect without threadpoolctl.
"""

from __future__ import annotations

import datetime
import gc
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

# The environment as the user gave it, before limit_threads: the app and the
# CLI are measured in subprocesses the way a user runs them.
ORIGINAL_ENV = dict(os.environ)


def limit_threads(threads: int) -> str:
    """Make NumPy's BLAS use `threads` threads. Sets the BLAS environment
    variables (effective when NumPy is not imported yet) and, when threadpoolctl
    is installed, also limits the already loaded libraries. Returns how."""
    for name in THREAD_VARIABLES:
        os.environ[name] = str(threads)
    how = f"{'/'.join(THREAD_VARIABLES)}={threads} set before importing NumPy"
    if "numpy" in sys.modules:
        how = "(NumPy was already imported: the environment variables came too late)"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return how
    import numpy  # noqa: F401  (load the BLAS so threadpoolctl sees it)

    global _LIMITER
    _LIMITER = threadpool_limits(limits=threads)
    return how + "; threadpoolctl.threadpool_limits(" + str(threads) + ")"


_LIMITER = None


def blas_report() -> list[str]:
    """One line per thread pool in use (BLAS and OpenMP), with its thread count."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        import numpy as np

        config = np.show_config(mode="dicts") if hasattr(np, "show_config") else {}
        blas = config.get("Build Dependencies", {}).get("blas", {}) if isinstance(config, dict) else {}
        threads = os.environ.get("OPENBLAS_NUM_THREADS", "?")
        return [f"{blas.get('name', 'BLAS')} {blas.get('version', '')}: {threads} thread(s) "
                "(from OPENBLAS_NUM_THREADS; threadpoolctl not installed)"]
    lines = []
    for pool in threadpool_info():
        name = Path(pool.get("filepath", "?")).name
        arch = f", kernel {pool['architecture']}" if pool.get("architecture") else ""
        lines.append(f"{pool.get('internal_api')} {pool.get('version') or ''} ({name}{arch}): "
                     f"{pool.get('num_threads')} thread(s)")
    return lines


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def version_of(module: str) -> str:
    try:
        from importlib.metadata import version

        return version({"sklearn": "scikit-learn"}.get(module, module))
    except Exception:
        return "not installed"


def machine_lines() -> list[str]:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    versions = ", ".join(f"{name} {version_of(name)}" for name in ("numpy", "torch", "scikit-learn", "textual"))
    lines = [
        f"date     {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"machine  {cpu_model()}, {os.cpu_count()} cores ({usable} usable), {platform.system()} {platform.release()}",
        f"python   {platform.python_version()} ({sys.executable})",
        f"versions {versions}",
    ]
    coretype = {k: ORIGINAL_ENV[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in ORIGINAL_ENV}
    if coretype:
        lines.append("note     " + " ".join(f"{k}={v}" for k, v in coretype.items())
                     + " is set (left as is; it may slow NumPy's OpenBLAS against PyTorch's MKL)")
    return lines


# ----------------------------------------------------------------------------- results
@dataclass
class Row:
    section: str
    what: str
    ratio: float | None  # None: skipped
    goal: float  # ratio >= goal passes, unless `at_most`
    at_most: bool = False
    unit: str = "×"
    context: str = ""
    # The standard error of a noisy mean (accuracy over seeds): the goal counts
    # as met unless the value misses it by more than two standard errors.
    standard_error: float = 0.0

    @property
    def status(self) -> str:
        if self.ratio is None:
            return "skip"
        margin = 2 * self.standard_error
        ok = self.ratio - margin <= self.goal if self.at_most else self.ratio + margin >= self.goal
        return "pass" if ok else "FAIL"

    def cells(self) -> list[str]:
        fmt = _fmt(self.ratio, self.unit)
        if self.standard_error and self.ratio is not None:
            fmt += f" ± {_fmt(self.standard_error, self.unit).lstrip('+')}"
        goal = ("≤ " if self.at_most else "≥ ") + _fmt(self.goal, self.unit)
        if self.standard_error:
            goal += " (within 2 SE)"
        return [self.section, self.what, fmt, goal, self.status, self.context]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "KB/s":
        return f"{value:.1f} KB/s"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MB":
        return f"{value:+.1f} MB"
    if unit == "pp":
        return f"{value:+.2f} pp"
    return f"{value:g} {unit}"


HEADERS = ["#", "what", "measured", "goal", "result", "context"]


def format_table(rows: list[Row], markdown: bool = False) -> str:
    cells = [row.cells() for row in rows]
    if markdown:
        out = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join(["---"] * len(HEADERS)) + "|"]
        for line in cells:
            line = [c.replace("|", "\\|") for c in line]
            line[4] = f"**{line[4]}**" if line[4] == "FAIL" else line[4]
            out.append("| " + " | ".join(line) + " |")
        return "\n".join(out)
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(HEADERS)]
    widths[-1] = len(HEADERS[-1])  # the context column is not padded
    out = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths[:-1]) + "  " + "-" * 7)
    for line in cells:
        out.append("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip())
    return "\n".join(out)


def say(text: str = "") -> None:
    print(text, flush=True)


# ----------------------------------------------------------------------------- timing
@dataclass
class Contender:
    """A training step to race: ``step(batch)`` does one update; every
    repetition runs it ``steps`` times over ``batches`` in turn."""

    name: str
    step: Callable
    batches: list
    samples_per_step: int
    steps: int = 0
    times: list = field(default_factory=list)

    def run(self, steps: int) -> float:
        step, batches, n = self.step, self.batches, len(self.batches)
        start = time.perf_counter()
        for i in range(steps):
            step(batches[i % n])
        return time.perf_counter() - start

    def calibrate(self, seconds: float) -> None:
        """Pick ``steps`` so one repetition takes about `seconds`."""
        steps = 4
        while True:
            took = self.run(steps)
            if took >= seconds / 4 or steps >= 1 << 22:
                break
            steps *= 2
        self.steps = max(4, int(steps * seconds / max(took, 1e-9)))

    @property
    def best_rate(self) -> float:
        """Samples per second of the fastest repetition."""
        return self.steps * self.samples_per_step / min(self.times)

    @property
    def median_rate(self) -> float:
        return self.steps * self.samples_per_step / statistics.median(self.times)


def race(contenders: list[Contender], rounds: int) -> None:
    """Interleaved repetitions: every round runs each contender once, in an
    order that rotates (and reverses) from round to round. The garbage
    collector runs in full once per round and is held off during each
    repetition (its youngest generation is collected just before)."""
    gc_was_enabled = gc.isenabled()
    try:
        for r in range(rounds):
            k = r % len(contenders)
            order = contenders[k:] + contenders[:k]
            if r % 2:
                order.reverse()
            gc.collect()
            for contender in order:
                gc.collect(0)
                gc.disable()
                contender.times.append(contender.run(contender.steps))
                if gc_was_enabled:
                    gc.enable()
    finally:
        if gc_was_enabled:
            gc.enable()

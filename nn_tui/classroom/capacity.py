"""How many tabs one machine serves at once (`--max-tabs`'s default).

A tab is two processes (the app and its training process), about MEMORY_PER_TAB_MB
between them (bench/classroom_load.py measures it); the training runs at a lower
priority, so the cores bound how many train at a useful pace, not whether keys answer.
"""

from __future__ import annotations

from nn_tui.cores import usable_cores

MEMORY_PER_TAB_MB = 120  # the app and its training process, with room (measured: see the README)
MEMORY_SHARE = 0.5  # of what is free: the rest is the machine's and its other users'
TABS_PER_CORE = 12


def available_memory_mb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def default_max_tabs() -> tuple[int, str]:
    """(the cap, the reason in words) from the cores and the free memory."""
    cores = usable_cores()
    by_cores = TABS_PER_CORE * cores
    memory = available_memory_mb()
    if memory is None:
        return by_cores, f"{cores} cores"
    by_memory = max(1, int(memory * MEMORY_SHARE / MEMORY_PER_TAB_MB))
    return min(by_cores, by_memory), f"{cores} cores and {memory / 1024:.1f} GB free"

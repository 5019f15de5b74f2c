"""The cores this process may run on: what a class's pace and its tab cap are shared over."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores the scheduler lets this process use (taskset, a container's cpuset), not the
    machine's count: a server pinned to 1 of 8 cores would pace its tabs for 8."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1

"""Ending what a tab started: its app's process group and the groups of the app's children.

A tab's app runs in a process group (and session) of its own; its training process leaves
that session for one of its own (nn_tui/session_process.py, `leave_the_tabs_session`), so
ending the app's group alone would miss it if it hung. The groups are read from /proc
while the app is alive (once it is gone its children are no longer its children).
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path


def groups_of_tab(app_pid: int) -> set[int]:
    """The process groups of the app and of every process below it (on Linux; elsewhere the
    app's group only)."""
    groups = {app_pid}
    parents: dict[int, list[tuple[int, int]]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return groups
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append((int(entry), int(fields[3])))
    below = [app_pid]
    while below:
        for pid, group in parents.get(below.pop(), ()):
            groups.add(group)
            below.append(pid)
    return groups


async def end_groups(groups: set[int], grace_seconds: float) -> None:
    """SIGTERM to each group still alive (they autosave), SIGKILL to what is left after
    `grace_seconds`."""
    alive = {group for group in groups if _signal_group(group, signal.SIGTERM)}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace_seconds
    while alive and loop.time() < deadline:
        await asyncio.sleep(0.1)
        alive = {group for group in alive if _signal_group(group, 0)}
    for group in alive:
        _signal_group(group, signal.SIGKILL)


def _signal_group(pgid: int, sig: int) -> bool:
    """Signal a process group; False when nothing of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # not ours (a group id reused by another user's process)
    return True

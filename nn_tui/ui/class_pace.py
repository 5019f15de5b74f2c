"""A served tab's frame rate, shared out over the class (issue 24).

Under `nn-tui serve` one machine draws every tab's screen: 20 apps at 10 frames a second
took a third of 2 cores. The server keeps a file saying how many tabs run (its path in
SERVE_CLASS_ENV); each app looks at it once a second and draws at most
FRAMES_PER_SECOND_PER_CORE x cores / tabs frames a second (never fewer than MIN_FPS, never
more than --fps: 20 tabs on 2 cores, 3), and asks its training process for snapshots no
faster. A key's answer is drawn at once whatever the pace (PlaygroundScreen.send ticks on
its own timers). Measured (headless, 100x30, circle training): an app's UI thread used
34-36 ms of CPU a second alone, 19 ms in a class of 20 on 2 cores.
"""

from __future__ import annotations

import os
import time

from nn_tui.cores import usable_cores
from nn_tui.state_dir import SERVE_CLASS_ENV

FRAMES_PER_SECOND_PER_CORE = 30  # the class's frames, all tabs together
MIN_FPS = 2.0
CHECK_SECONDS = 1.0


def class_fps(fps: float, tabs: int, cores: int) -> float:
    """The frame rate of each of `tabs` tabs on `cores` cores, at most `fps`."""
    return min(fps, max(MIN_FPS, FRAMES_PER_SECOND_PER_CORE * cores / max(1, tabs)))


class ClassPace:
    """How often a frame is due: 1 / fps alone, longer in a big class."""

    def __init__(self, fps: float, path: str | None = None, cores: int | None = None) -> None:
        self.fps = fps
        self.path = path if path is not None else os.environ.get(SERVE_CLASS_ENV) or None
        self.cores = cores or usable_cores()
        self.tabs = 1
        self._checked_at = float("-inf")
        self._seen = None  # the file's (mtime, size) when last read

    @property
    def current_fps(self) -> float:
        return class_fps(self.fps, self.tabs, self.cores)

    def update(self, now: float | None = None) -> bool:
        """Read the class's size if a second has passed and the file changed; True when
        the frame rate changed."""
        now = time.monotonic() if now is None else now
        if self.path is None or now - self._checked_at < CHECK_SECONDS:
            return False
        self._checked_at = now
        try:
            stat = os.stat(self.path)
            if (stat.st_mtime_ns, stat.st_size) == self._seen:
                return False
            self._seen = (stat.st_mtime_ns, stat.st_size)
            with open(self.path, encoding="ascii") as file:
                tabs = int(file.read().strip() or 1)
        except (OSError, ValueError):
            return False  # no class (yet): the app's own rate
        before = self.current_fps
        self.tabs = max(1, tabs)
        return self.current_fps != before


def write_class_size(path, tabs: int) -> None:
    """The server's side: say how many tabs run (replaced whole, never read half-written)."""
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="ascii") as file:
        file.write(f"{tabs}\n")
    os.replace(temporary, path)

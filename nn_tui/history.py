"""Metric history with a fixed memory bound.

Every epoch adds a point (named metrics); when the buffer is full, every other point
is dropped and from then on only every 2nd (4th, 8th, ...) epoch is kept. A run of a
million epochs therefore costs no more memory than one of a few thousand, and the
curve keeps its shape from the first epoch to the last.
"""

from __future__ import annotations

import numpy as np

from nn_tui.snapshot import History


class BoundedHistory:
    def __init__(self, names, capacity: int = 2048) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 4")
        self.names = tuple(names)
        self.capacity = capacity
        self._rows = np.full((capacity, 1 + len(self.names)), np.nan)
        self._count = 0
        self._stride = 1  # keep one epoch in `_stride`
        self._seen = 0  # points offered since the stride last changed

    def __len__(self) -> int:
        return self._count

    def add(self, epoch: int, metrics: dict) -> None:
        """One point: metrics by name (a name seen for the first time gets a column of its
        own, NaN before; missing ones are NaN)."""
        new = [name for name, value in metrics.items() if value is not None and name not in self.names]
        if new:  # a score that begins mid-run (a mark drawn by hand): its curve starts here
            self.names += tuple(new)
            self._rows = np.concatenate([self._rows, np.full((self.capacity, len(new)), np.nan)], axis=1)
        keep = self._seen % self._stride == 0
        self._seen += 1
        if not keep:
            return
        if self._count == self.capacity:
            # Halve the resolution of everything so far; the newest point still lands.
            half = self.capacity // 2
            self._rows[:half] = self._rows[0 : self.capacity : 2]
            self._rows[half:] = np.nan
            self._count = half
            self._stride *= 2
            self._seen = 1
        row = self._rows[self._count]
        row[0] = epoch
        for column, name in enumerate(self.names, start=1):
            value = metrics.get(name)
            row[column] = np.nan if value is None else value
        self._count += 1

    def clear(self) -> None:
        self._rows[:] = np.nan
        self._count = 0
        self._stride = 1
        self._seen = 0

    def view(self) -> History:
        """An immutable copy for a snapshot."""
        rows = self._rows[: self._count].copy()
        rows.setflags(write=False)
        return History(epochs=rows[:, 0], series={name: rows[:, i] for i, name in enumerate(self.names, start=1)})

    def state(self) -> dict:
        """Everything needed to continue this history (for autosave)."""
        return {"names": list(self.names), "rows": self._rows[: self._count].copy(),
                "stride": self._stride, "seen": self._seen, "capacity": self.capacity}

    @classmethod
    def from_state(cls, state: dict) -> "BoundedHistory":
        history = cls(state["names"], capacity=int(state["capacity"]))
        rows = np.asarray(state["rows"], dtype=np.float64)
        history._rows[: len(rows)] = rows
        history._count = len(rows)
        history._stride = int(state["stride"])
        history._seen = int(state["seen"])
        return history

"""Loss history with a fixed memory bound.

Every epoch adds a point; when the buffer is full, every other point is dropped
and from then on only every 2nd (4th, 8th, ...) epoch is kept. A run of a million
epochs therefore costs no more memory than one of a few thousand, and the curve
keeps its shape from the first epoch to the last.
"""

from __future__ import annotations

import numpy as np

from nn_tui.snapshot import History

COLUMNS = ("epoch", "train_loss", "test_loss", "train_accuracy", "test_accuracy")


class BoundedHistory:
    def __init__(self, capacity: int = 2048, with_accuracy: bool = True) -> None:
        if capacity < 4 or capacity % 2:
            raise ValueError("capacity must be an even number of at least 4")
        self.capacity = capacity
        self.with_accuracy = with_accuracy
        self._rows = np.full((capacity, len(COLUMNS)), np.nan)
        self._count = 0
        self._stride = 1  # keep one epoch in `_stride`
        self._seen = 0  # points offered since the stride last changed

    def __len__(self) -> int:
        return self._count

    def add(self, epoch: int, train_loss: float, test_loss: float,
            train_accuracy: float | None = None, test_accuracy: float | None = None) -> None:
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
        nan = float("nan")
        self._rows[self._count] = (
            epoch, train_loss, test_loss,
            nan if train_accuracy is None else train_accuracy,
            nan if test_accuracy is None else test_accuracy,
        )
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
        return History(
            epochs=rows[:, 0],
            train_loss=rows[:, 1],
            test_loss=rows[:, 2],
            train_accuracy=rows[:, 3] if self.with_accuracy else None,
            test_accuracy=rows[:, 4] if self.with_accuracy else None,
        )

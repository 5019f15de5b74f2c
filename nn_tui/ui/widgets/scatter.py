"""Points coloured by class on half-block pixels (ConvNetJS's embedding view).

Two pixels per cell (top and bottom half), each the class colour of a point that
falls on it (the later point wins). The axes' ranges snap to steps of a quarter of a
power of two and only grow or shrink by such steps, so points drifting a little do
not rescale the whole picture and resend every cell.
"""

from __future__ import annotations

import math

import numpy as np
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import FramedLines, LineCache, blank_frame, pixels_to_cells, write_text


def snapped_range(values: np.ndarray) -> tuple[float, float]:
    """[lo, hi] around `values`, on a grid of a quarter of the power of two above their spread."""
    values = values[np.isfinite(values)]
    if not len(values):
        return -1.0, 1.0
    lo, hi = float(values.min()), float(values.max())
    spread = max(hi - lo, 1e-6)
    step = 2.0 ** math.ceil(math.log2(spread)) / 4
    lo, hi = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if hi - lo < step:
        hi = lo + step
    return lo, hi


def scatter_pixels(rows: int, cols: int, points: np.ndarray, classes: np.ndarray,
                   x_range: tuple[float, float], y_range: tuple[float, float]) -> np.ndarray:
    """Palette pixels (2*rows, cols): DEFAULT, and each point's class colour; y up."""
    pixels = np.full((2 * rows, cols), palette.DEFAULT, dtype=np.uint8)
    if not len(points) or rows <= 0 or cols <= 0:
        return pixels
    pts = np.asarray(points, dtype=np.float64)
    good = np.all(np.isfinite(pts), axis=1)
    pts, classes = pts[good], np.asarray(classes)[good]
    (x0, x1), (y0, y1) = x_range, y_range
    px = np.clip(((pts[:, 0] - x0) / (x1 - x0) * cols).astype(int), 0, cols - 1)
    py = np.clip(((y1 - pts[:, 1]) / (y1 - y0) * 2 * rows).astype(int), 0, 2 * rows - 1)
    pixels[py, px] = palette.class_indices(classes % palette.N_CLASSES)
    return pixels


class ScatterPlot(FramedLines, Widget):
    """`show_points(points (N, 2), classes (N,), names)`; a legend on the last line."""

    DEFAULT_CSS = """
    ScatterPlot { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LineCache()
        self._points = np.zeros((0, 2))
        self._point_classes = np.zeros(0, int)
        self._names: tuple[str, ...] = ()
        self._ranges: tuple | None = None

    def show_points(self, points: np.ndarray, classes: np.ndarray, names: tuple[str, ...] | None = None) -> None:
        self._points, self._point_classes = np.asarray(points), np.asarray(classes)
        self._names = tuple(names or ())
        ranges = (snapped_range(self._points[:, 0]), snapped_range(self._points[:, 1])) if len(points) else None
        if self._ranges is None or ranges is None or not self._inside(ranges):
            self._ranges = ranges
        self._redraw()

    def _inside(self, ranges) -> bool:
        """Keep the old ranges while the new ones fit in them and fill at least half of each."""
        for (lo, hi), (old_lo, old_hi) in zip(ranges, self._ranges):
            if lo < old_lo or hi > old_hi or (hi - lo) < (old_hi - old_lo) / 2:
                return False
        return True

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        frame = blank_frame(rows, cols)
        legend = 1 if rows > 3 else 0
        if self._ranges is not None:
            pixels = scatter_pixels(rows - legend, cols, self._points, self._point_classes, *self._ranges)
            frame[:rows - legend] = pixels_to_cells(pixels)
        if legend:
            x = 0
            for k, name in enumerate(self._names):
                write_text(frame, rows - 1, x, name, int(palette.CLASS + k % palette.N_CLASSES))
                x += len(name) + 1
            if self._ranges is not None:
                (x0, x1), (y0, y1) = self._ranges
                write_text(frame, rows - 1, x + 1, f"x {x0:.3g}..{x1:.3g}  y {y0:.3g}..{y1:.3g}"[:max(cols - x - 1, 0)],
                           palette.TEXT_DIM)
        return frame

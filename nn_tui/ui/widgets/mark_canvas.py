"""One image drawn large, with a mark being drawn over it by hand: the pixels of the
mark in orange ink, a box being dragged out in a lighter orange, the cursor in the
highlight colour. Square pixels of half-block cells, as large as the widget allows."""

from __future__ import annotations

import math

import numpy as np
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import FramedLines, LineCache, blank_frame, pixels_to_cells

MARK_INK = palette.DIVERGING  # full orange: apart from the image's grey-to-blue pixels
BOX_PREVIEW = palette.DIVERGING + 9  # a lighter orange: the box the next b will fill
CURSOR = palette.HIGHLIGHT
MAX_SCALE = 6  # an 8×8 digit at most 48 cells wide


def fit_scale(image_shape: tuple[int, int], cols: int, rows: int) -> int:
    """The largest whole pixel size (cells wide; half as many tall) that fits cols × rows."""
    height, width = image_shape
    for scale in range(MAX_SCALE, 1, -1):
        if scale * width <= cols and math.ceil(scale * height / 2) <= rows:
            return scale
    return 1


def canvas_size(image_shape: tuple[int, int], scale: int) -> tuple[int, int]:
    """(cols, rows) of cells the image takes at `scale`."""
    return scale * image_shape[1], math.ceil(scale * image_shape[0] / 2)


class MarkCanvas(FramedLines, Widget):
    DEFAULT_CSS = """
    MarkCanvas { width: 16; height: 8; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LineCache()
        self._pixels = np.zeros((1, 1))
        self._mark = np.zeros((1, 1), dtype=bool)
        self._cursor = (0, 0)
        self._box: tuple[int, int, int, int] | None = None
        self.scale = 1

    def show_picture(self, pixels: np.ndarray, mark: np.ndarray, cursor: tuple[int, int],
                     box: tuple[int, int, int, int] | None, scale: int) -> None:
        """pixels (H, W) in [0, 1]; mark (H, W) booleans; box (top, left, bottom, right) inclusive."""
        self._pixels, self._mark, self._cursor, self._box, self.scale = pixels, mark, cursor, box, scale
        self._redraw()

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        frame = blank_frame(rows, cols)
        image = palette.DIVERGING + palette.value_bins(np.clip(np.nan_to_num(self._pixels), 0.0, 1.0))
        image = image.astype(np.uint8)
        if self._box is not None:
            top, left, bottom, right = self._box
            image[top:bottom + 1, left:right + 1] = BOX_PREVIEW
        image[self._mark] = MARK_INK
        image[self._cursor] = CURSOR
        big = np.repeat(np.repeat(image, self.scale, axis=0), self.scale, axis=1)
        cells = pixels_to_cells(big)
        shown_rows, shown_cols = min(rows, cells.shape[0]), min(cols, cells.shape[1])
        frame[:shown_rows, :shown_cols] = cells[:shown_rows, :shown_cols]
        return frame

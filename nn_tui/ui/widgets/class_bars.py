"""One image and the model's answer for it: a bar per class.

The image is drawn as large as the pane's height allows; each class gets a line
`name ████████ 0.93`, the predicted class in blue (orange when it is wrong), the
true class marked with `◂`. Bars are whole cells, so a probability that moves by
less than a cell's worth sends nothing.
"""

from __future__ import annotations

import numpy as np
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import FramedLines, LineCache, blank_frame, write_text
from nn_tui.ui.widgets.image_grid import StickyBins, shrink, tile_cells, tile_size

BLUE = palette.DIVERGING + palette.N_BINS - 1
ORANGE = palette.DIVERGING


EIGHTHS = " ▁▂▃▄▅▆▇█"


def bar_cells(probability: float, width: int) -> int:
    return int(round(float(np.clip(probability, 0.0, 1.0)) * width))


class ClassBars(FramedLines, Widget):
    DEFAULT_CSS = """
    ClassBars { width: 1fr; height: 12; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LineCache()
        self._image: np.ndarray | None = None
        self._probabilities = np.zeros(0)
        self._names: tuple[str, ...] = ()
        self._true: int | None = None
        self._caption = ""
        self._bins = StickyBins()

    def show_answer(self, image: np.ndarray, probabilities: np.ndarray, true: int | None,
                    names: tuple[str, ...] | None, caption: str = "") -> None:
        self._image = image
        self._probabilities = np.nan_to_num(np.asarray(probabilities, dtype=np.float64))
        self._names = tuple(names) if names else tuple(str(i) for i in range(len(probabilities)))
        self._true, self._caption = true, caption
        self._redraw()

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        frame = blank_frame(rows, cols)
        write_text(frame, 0, 0, self._caption[:cols], palette.TEXT)
        left = 0
        if self._image is not None:
            height = rows - 1
            scale = 1
            for candidate in (3, 2):
                tr, tc = tile_size(self._image.shape, candidate)
                if tr <= height and tc <= cols // 3:
                    scale = candidate
                    break
            image = self._image
            if tile_size(image.shape, 1)[0] > height and height > 0:  # a 28×28 picture in a few lines
                side = 2 * height
                image = shrink(image, side, max(1, round(image.shape[1] * side / image.shape[0])))
            cells = tile_cells(self._bins("image", image), scale)
            tr, tc = cells.shape
            if tr <= height and tc <= cols:
                frame[1:1 + tr, 0:tc] = cells
                left = tc + 2
        k = len(self._probabilities)
        if not k:
            return frame
        if rows - 1 < k:
            self._draw_columns(frame, left)
            return frame
        guess = int(np.argmax(self._probabilities))
        name_width = max(len(n) for n in self._names)
        bar_width = max(1, cols - left - name_width - 8)
        for i in range(min(k, rows - 1)):
            y = 1 + i
            p = float(self._probabilities[i])
            color = (BLUE if i == self._true or self._true is None else ORANGE) if i == guess else palette.TEXT_DIM
            write_text(frame, y, left, self._names[i].rjust(name_width), palette.TEXT if i == guess else palette.TEXT_DIM)
            filled = bar_cells(p, bar_width)
            write_text(frame, y, left + name_width + 1, "█" * filled + "·" * (bar_width - filled),
                       color if filled else palette.EMPTY)
            if filled < bar_width:  # the dots in the empty part stay dim
                write_text(frame, y, left + name_width + 1 + filled, "·" * (bar_width - filled), palette.EMPTY)
            write_text(frame, y, left + name_width + 2 + bar_width, f"{p:.2f}", palette.TEXT_DIM)
            if i == self._true:
                write_text(frame, y, left + name_width + 7 + bar_width, "◂", palette.HIGHLIGHT)
        return frame

    def _draw_columns(self, frame: np.ndarray, left: int) -> None:
        """Too few lines for a bar per line: a column per class, in eighths of a cell."""
        rows, cols = frame.shape
        height = rows - 2  # the caption above, the class names below
        if height < 1:
            return
        guess = int(np.argmax(self._probabilities))
        width = max(1, min(3, (cols - left) // len(self._probabilities) - 1))
        for i, p in enumerate(self._probabilities.tolist()):
            x = left + i * (width + 1)
            eighths = int(round(float(np.clip(p, 0, 1)) * height * 8))
            color = (BLUE if i == self._true or self._true is None else ORANGE) if i == guess else palette.TEXT_DIM
            for level in range(height):
                part = min(max(eighths - 8 * level, 0), 8)
                write_text(frame, rows - 2 - level, x, EIGHTHS[part] * width, color)
            mark = palette.HIGHLIGHT if i == self._true else palette.TEXT_DIM
            write_text(frame, rows - 1, x, self._names[i][:width].center(width), mark)

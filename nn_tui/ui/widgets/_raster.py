"""Raster helpers shared by the drawing widgets.

A *frame* is a ``uint64`` array of shape (rows, cols): one terminal cell each,
packed as ``codepoint << 16 | fg << 8 | bg`` with ``fg``/``bg`` palette indices
(see :mod:`nn_tui.ui.palette`). Comparing two frames tells which spans of which
lines must be sent again; a line is turned into a :class:`Strip` of merged
equal-style runs only when it changed, and kept until it changes again.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from nn_tui.ui.palette import DEFAULT, cell_style, shade_cells
from nn_tui.ui.widgets._span_updates import span_updates_enabled

UPPER_HALF = 0x2580  # "▀": fg is the top pixel, bg the bottom one
SPACE = 0x20
BRAILLE = 0x2800

_EMPTY_FRAME = np.zeros((0, 0), dtype=np.uint64)
# Blank lines carry a style, not None: Textual's NO_COLOR filter (Monochrome) fails on None.
PLAIN = Style()
# Changed cells of a row at most this many unchanged cells apart are refreshed as
# one span (a cursor move costs about as much as a few cells of colour codes).
# Without span updates (see _span_updates) Textual re-sends a line from its start
# to the end of each span, so then one span per row is best.
SPAN_GAP = 4


def pack(chars: np.ndarray | int, fg: np.ndarray | int, bg: np.ndarray | int) -> np.ndarray:
    """Pack codepoints and palette indices into frame cells (``uint64``)."""
    return (
        (np.asarray(chars, dtype=np.uint64) << np.uint64(16))
        | (np.asarray(fg, dtype=np.uint64) << np.uint64(8))
        | np.asarray(bg, dtype=np.uint64)
    )


def blank_frame(rows: int, cols: int) -> np.ndarray:
    """A frame of spaces in the widget's own colours."""
    return np.full((max(rows, 0), max(cols, 0)), int(pack(SPACE, DEFAULT, DEFAULT)), dtype=np.uint64)


@lru_cache(maxsize=256)
def _nearest_index(src: int, dst: int) -> np.ndarray:
    idx = ((np.arange(dst) + 0.5) * (src / dst)).astype(np.intp)
    np.clip(idx, 0, src - 1, out=idx)
    idx.setflags(write=False)
    return idx


def nearest_index(src: int, dst: int) -> np.ndarray:
    """Indices that resample ``src`` samples to ``dst`` (nearest, centre-aligned)."""
    if src <= 0 or dst <= 0:
        return np.zeros(0, dtype=np.intp)
    return _nearest_index(int(src), int(dst))


def resample(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Nearest-neighbour resample of the last two axes of ``values`` to (rows, cols)."""
    r, c = values.shape[-2:]
    ri = nearest_index(r, rows)
    ci = nearest_index(c, cols)
    return values[..., ri[:, None], ci[None, :]]


def pixels_to_cells(pixels: np.ndarray) -> np.ndarray:
    """Half-block cells from palette-index pixels of shape (..., 2*rows, cols).

    Each cell is ``▀`` with the top pixel as foreground and the bottom one as
    background; where both are equal it is a space with only a background, which
    is fewer bytes on the wire. An odd pixel row count is padded with ``DEFAULT``.
    """
    p = np.asarray(pixels, dtype=np.uint8)
    if p.shape[-2] % 2:
        pad = np.full(p.shape[:-2] + (1, p.shape[-1]), DEFAULT, dtype=np.uint8)
        p = np.concatenate([p, pad], axis=-2)
    top = p[..., 0::2, :]
    bottom = p[..., 1::2, :]
    same = top == bottom
    chars = np.where(same, SPACE, UPPER_HALF)
    fg = np.where(same, DEFAULT, top)
    return pack(chars, fg, bottom)


def shaded_cells(pixels: np.ndarray) -> np.ndarray:
    """Cells of palette-index pixels at cell resolution (one pixel a cell) drawn in shading
    characters on the default background: 16 colours and NO_COLOR (palette.shade_cells)."""
    chars, fg = shade_cells(pixels)
    return pack(chars, fg, DEFAULT)


def safe_text(text: str) -> str:
    """Replace characters that are not exactly one cell wide (so columns stay put)."""
    return "".join(ch if cell_len(ch) == 1 else "?" for ch in text)


def write_text(frame: np.ndarray, y: int, x: int, text: str, fg: int, bg: int = DEFAULT) -> None:
    """Write single-width text into a frame, clipped to its bounds."""
    rows, cols = frame.shape
    if not 0 <= y < rows:
        return
    text = safe_text(text)
    start = max(x, 0)
    end = min(x + len(text), cols)
    if start >= end:
        return
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")[start - x : end - x]
    frame[y, start:end] = pack(codes, fg, bg)


def row_strip(row: np.ndarray) -> Strip:
    """A Strip of one frame row, equal-style runs merged into one Segment each."""
    n = int(row.shape[0])
    if n == 0:
        return Strip([], 0)
    text = (row >> np.uint64(16)).astype("<u4").tobytes().decode("utf-32-le")
    styles = (row & np.uint64(0xFFFF)).astype(np.int64)
    cuts = (np.flatnonzero(styles[1:] != styles[:-1]) + 1).tolist()
    starts = [0, *cuts]
    ends = [*cuts, n]
    style_at = styles[starts].tolist()
    segments = [
        Segment(text[s:e], cell_style(k >> 8, k & 0xFF))
        for s, e, k in zip(starts, ends, style_at)
    ]
    return Strip(segments, n)


class LineCache:
    """The last frame of a widget and the Strips of its rows, built on demand.

    ``update(frame)`` returns the spans of cells that differ from the previous
    frame (``None`` when the shape changed) and forgets only their rows' Strips.
    """

    def __init__(self) -> None:
        self.frame: np.ndarray = _EMPTY_FRAME
        self._strips: dict[int, Strip] = {}

    @property
    def shape(self) -> tuple[int, int]:
        return self.frame.shape  # type: ignore[return-value]

    def update(
        self, frame: np.ndarray, span_gap: int | None = SPAN_GAP
    ) -> list[tuple[int, int, int]] | None:
        """Take a new frame; return the changed spans ``(y, x_start, x_end)``.

        ``None`` when the shape changed (everything must be drawn again). Changed
        cells of a row at most ``span_gap`` cells apart share one span (``None``:
        one span per row, from its first to its last changed cell).
        """
        if frame.shape != self.frame.shape:
            self.frame = frame
            self._strips.clear()
            return None
        diff = frame != self.frame
        rows = np.flatnonzero(diff.any(axis=1))
        if not len(rows):
            return []
        self.frame = frame
        spans: list[tuple[int, int, int]] = []
        for y in rows.tolist():
            self._strips.pop(y, None)
            xs = np.flatnonzero(diff[y])
            if span_gap is None:
                spans.append((y, int(xs[0]), int(xs[-1]) + 1))
                continue
            cuts = np.flatnonzero(np.diff(xs) > span_gap)
            starts = xs[np.concatenate([[0], cuts + 1])].tolist()
            ends = (xs[np.concatenate([cuts, [len(xs) - 1]])] + 1).tolist()
            spans.extend((y, a, b) for a, b in zip(starts, ends))
        return spans

    def clear(self) -> None:
        self.frame = _EMPTY_FRAME
        self._strips.clear()

    def strip(self, y: int, width: int) -> Strip:
        rows, cols = self.frame.shape
        if not 0 <= y < rows or cols != width:
            return Strip.blank(width, PLAIN)
        strip = self._strips.get(y)
        if strip is None:
            strip = self._strips[y] = row_strip(self.frame[y])
        return strip


class FramedLines:
    """Mixin for Line API widgets that draw a whole frame and send changed rows only.

    Subclasses implement ``_draw(rows, cols) -> frame`` and call ``_redraw()``
    whenever their inputs change. ``render_line`` serves the cached Strips.
    """

    _lines: LineCache

    def _draw(self, rows: int, cols: int) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _redraw(self) -> None:
        """Draw the frame for the current size and refresh only the cells that changed."""
        cols, rows = self.size  # type: ignore[attr-defined]
        if rows <= 0 or cols <= 0:
            self._lines.clear()
            return
        gap = SPAN_GAP if span_updates_enabled() else None
        spans = self._lines.update(self._draw(rows, cols), gap)
        if spans is None:
            self.refresh()  # type: ignore[attr-defined]
        elif spans:
            self.refresh(*[Region(x0, y, x1 - x0, 1) for y, x0, x1 in spans])  # type: ignore[attr-defined]

    def render_line(self, y: int) -> Strip:
        cols, rows = self.size  # type: ignore[attr-defined]
        if self._lines.shape != (rows, cols):
            # The size changed before our resize handler ran: draw now (no refresh
            # needed, Textual is repainting us anyway).
            self._lines.update(
                self._draw(rows, cols) if rows > 0 and cols > 0 else blank_frame(rows, cols)
            )
        return self._lines.strip(y, cols)

    def on_resize(self) -> None:
        self._redraw()

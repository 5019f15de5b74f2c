"""Small images as half-block tiles: digits, filters, feature maps.

Values go through the palette's diverging scale (orange -1, grey 0, blue +1) with
hysteresis, so a tile's cells change only when a value crosses a bin by a margin:
training moves weights a little every step, and unchanged cells cost no bytes.
Pixels in [0, 1] (digits, ReLU maps) use the grey-to-blue half: ink on paper.

`place_tiles` lays tiles out left to right, wrapping at the width, into a frame;
`ImageGrid` is a pane of labelled rows of tiles (the autoencoder's clean / noisy /
rebuilt rows, the CNN's misclassified digits).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from textual.widget import Widget

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import FramedLines, LineCache, blank_frame, pixels_to_cells, resample, write_text


def nice_scale(values: np.ndarray, floor: float = 1e-6) -> float:
    """The largest |value|, rounded up to a step of 2^(1/2): a scale that does not
    move with every small change of the values (which would shift every bin)."""
    top = float(np.max(np.abs(np.nan_to_num(values)))) if np.size(values) else 0.0
    if not math.isfinite(top) or top <= floor:
        return 1.0
    return 2.0 ** (math.ceil(math.log2(top) * 2) / 2)


class StickyBins:
    """Diverging bins per named image, with hysteresis against the last bins of the
    same name and shape (see palette.sticky_value_bins)."""

    def __init__(self, margin: float = palette.STICKY_MARGIN) -> None:
        self._last: dict[object, np.ndarray] = {}
        self.margin = margin

    def __call__(self, key: object, values: np.ndarray) -> np.ndarray:
        previous = self._last.get(key)
        values = np.nan_to_num(np.clip(np.asarray(values, dtype=np.float64), -1.0, 1.0))
        if previous is not None and previous.shape != values.shape:
            previous = None
        bins = palette.sticky_value_bins(values, previous, self.margin)
        self._last[key] = bins
        return bins

    def clear(self) -> None:
        self._last.clear()


def upscale(pixels: np.ndarray, scale: float) -> np.ndarray:
    """Pixels scaled by a whole factor, or shrunk (scale < 1) by nearest neighbours."""
    if scale == 1:
        return pixels
    if scale < 1:
        h, w = tile_pixels(pixels.shape, scale)
        return resample(pixels, h, w)
    return np.repeat(np.repeat(pixels, int(scale), axis=0), int(scale), axis=1)


# Below half size a tile is the mean of each block of pixels, not every n-th pixel:
# a 28×28 picture at a quarter keeps its shape instead of a scatter of its pixels.
AVERAGED_SCALES = (1 / 3, 0.25)


def shrink(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """(H, W) values averaged over blocks down to (rows, cols) (area resampling)."""
    values = np.nan_to_num(np.asarray(values, dtype=np.float64))
    h, w = values.shape
    row_edges = (np.arange(rows + 1) * h) // rows
    col_edges = (np.arange(cols + 1) * w) // cols
    sums = np.add.reduceat(np.add.reduceat(values, row_edges[:-1], axis=0), col_edges[:-1], axis=1)
    return sums / np.outer(np.diff(row_edges), np.diff(col_edges))


def tile_pixels(shape: tuple[int, int], scale: float) -> tuple[int, int]:
    return max(1, math.ceil(shape[0] * scale)), max(1, math.ceil(shape[1] * scale))


def tile_cells(bins: np.ndarray, scale: float = 1) -> np.ndarray:
    """Frame cells (ceil(h*scale/2), w*scale) of a tile's bins (h, w)."""
    return pixels_to_cells(upscale(bins.astype(np.uint8) + np.uint8(palette.DIVERGING), scale))


def tile_size(shape: tuple[int, int], scale: float = 1) -> tuple[int, int]:
    """(rows, cols) of cells a tile of `shape` pixels takes at `scale`."""
    h, w = tile_pixels(shape, scale)
    return (h + 1) // 2, w


@dataclass
class Tile:
    cells: np.ndarray  # frame cells
    caption: str = ""
    caption_color: int = palette.TEXT_DIM


def place_tiles(frame: np.ndarray, y: int, x: int, width: int, tiles: list[Tile], gap: int = 1,
                max_rows: int | None = None) -> tuple[int, int]:
    """Draw tiles from (y, x), wrapping within `width` cells, captions under them.
    Returns (rows used, tiles drawn): tiles that would pass the frame's bottom or
    `max_rows` are left out."""
    if not tiles:
        return 0, 0
    rows, _ = frame.shape
    limit = rows if max_rows is None else min(rows, y + max_rows)
    tile_rows, tile_cols = tiles[0].cells.shape
    captions = any(t.caption for t in tiles)
    step_y = tile_rows + (1 if captions else 0)
    per_row = max(1, (width + gap) // (tile_cols + gap))
    drawn = 0
    used = 0
    for index, tile in enumerate(tiles):
        row, col = divmod(index, per_row)
        top, left = y + row * step_y, x + col * (tile_cols + gap)
        if top + step_y > limit or left + tile_cols > x + width:
            break
        frame[top:top + tile_rows, left:left + tile_cols] = tile.cells
        if tile.caption:
            write_text(frame, top + tile_rows, left, tile.caption[:tile_cols + gap], tile.caption_color)
        drawn += 1
        used = top + step_y - y
    return used, drawn


def rows_needed(count: int, tile_shape: tuple[int, int], width: int, captions: bool, gap: int = 1) -> int:
    """Rows of cells `count` tiles of `tile_shape` (cells) take when wrapped in `width`."""
    per_row = max(1, (width + gap) // (tile_shape[1] + gap))
    return math.ceil(count / per_row) * (tile_shape[0] + (1 if captions else 0))


NOTE = palette.CLASS + 3  # a label's further lines: red, as the curve of the mark drawn by hand


@dataclass
class ImageRow:
    """A labelled row of images (M, H, W), values in [-1, 1] (pixels in [0, 1] use the
    grey-to-blue half); captions optional; the label may have further lines ("\\n")."""

    label: str
    images: np.ndarray
    captions: tuple[str, ...] = ()
    caption_colors: tuple[int, ...] = ()
    scale: float = 0  # 0: the pane's (the largest that fits); else this one


class ImageGrid(FramedLines, Widget):
    """Rows of small images, each row with a label on its left; the images are
    scaled up (×2, ×3) when the pane has room for it."""

    DEFAULT_CSS = """
    ImageGrid { width: 1fr; height: 1fr; }
    """

    LABEL_WIDTH = 8
    # False: each row is one line of tiles (as many as fit), so rows that belong
    # together (clean / noisy / rebuilt) stay aligned; True: rows wrap.
    WRAP = True
    MIN_TILES = 4  # without wrapping, a scale must leave room for this many tiles a row
    # Half a bin either side: weights drift every step, and a cell that flips between
    # neighbouring shades costs bytes without telling anything.
    STICKY_MARGIN = 0.5

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LineCache()
        self._rows: list[ImageRow] = []
        self._note = ""
        self._bins = StickyBins(margin=self.STICKY_MARGIN)

    def show_rows(self, rows: list[ImageRow], note: str = "") -> None:
        self._rows, self._note = rows, note
        self._redraw()

    def _label_width(self) -> int:
        return self.LABEL_WIDTH if any(r.label for r in self._rows) else 0

    def _scale_for(self, rows: int, cols: int) -> int:
        """The largest scale (3, 2, 1, 1/2) at which every row fits the pane."""
        width = cols - self._label_width()
        for scale in (3, 2, 1, 0.5, *AVERAGED_SCALES):
            needed = 1 if self._note else 0
            narrow = False
            for row in self._rows:
                tile = tile_size(row.images.shape[1:], row.scale or scale) if len(row.images) else (0, 0)
                if self.WRAP:
                    needed += max(1, rows_needed(len(row.images), tile, width, bool(row.captions)))
                else:
                    needed += max(1, tile[0] + bool(row.captions))
                    narrow |= (width + 1) // (tile[1] + 1) < min(len(row.images), self.MIN_TILES)
            if needed <= rows and not narrow:
                return scale
        return AVERAGED_SCALES[-1]

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        frame = blank_frame(rows, cols)
        scale = self._scale_for(rows, cols)
        label_width = self._label_width()
        y = 0
        for row_index, row in enumerate(self._rows):
            if y >= rows:
                break
            tiles = []
            tile_scale = row.scale or scale
            for i, image in enumerate(row.images):
                if tile_scale < 0.5:
                    image, tile_scale_i = shrink(image, *tile_pixels(image.shape, tile_scale)), 1
                else:
                    tile_scale_i = tile_scale
                # By the label's first line: its further lines (a live score) change every frame.
                bins = self._bins((row.label.partition("\n")[0], row_index, i), image)
                colors = row.caption_colors[i] if i < len(row.caption_colors) else palette.TEXT_DIM
                caption = row.captions[i] if i < len(row.captions) else ""
                tiles.append(Tile(tile_cells(bins, tile_scale_i), caption, colors))
            used, _ = place_tiles(frame, y, label_width, cols - label_width, tiles,
                                  max_rows=None if self.WRAP else tiles[0].cells.shape[0] + bool(row.captions)
                                  if tiles else None)
            # A label's further lines (a score beside its row) go as far down as its tiles.
            for offset, line in enumerate(row.label.split("\n")[:max(used, 1)]):
                write_text(frame, y + offset, 0, line[:label_width - 1], palette.TEXT if offset == 0 else NOTE)
            y += max(used, 1)
        if self._note and y < rows:
            write_text(frame, rows - 1 if y < rows - 1 else y, 0, self._note[:cols], palette.TEXT_DIM)
        return frame

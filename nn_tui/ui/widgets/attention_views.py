"""The attention kind's widgets: the story lit by where the chosen head looks from the
cursor, a row of small maps (every head of every block), the chosen head's full T × T
map folded to the pane, and the loss plot marked where completion jumps.

Maps shrink by block maximum, not by sampling: attention is sharp (one character can
take most of a row), and a sampled pixel would miss it. Frames (see _raster.py) so
only changed cells go out.
"""

from __future__ import annotations

import textwrap

import numpy as np
from rich.cells import cell_len

from nn_tui.ui import palette
from nn_tui.ui.widgets._raster import nearest_index, pixels_to_cells, shaded_cells, write_text
from nn_tui.ui.widgets.borders import whole_words
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.sequence_views import (CursorFrame, RenamedHistory, SequenceLossPlot, shown_char, top_line,
                                              wrap_positions)

FAINT = 0.02  # weights below this are drawn as nothing (the map's background)
LIT = 0.05  # characters of the story lit: those that get at least this share


def weight_pixels(weights: np.ndarray) -> np.ndarray:
    """Palette indices for weights in [0, 1]: the diverging palette's positive half on a
    square-root scale (a weight of 0.1 is visible), the background below FAINT."""
    bins = palette.value_bins(np.sqrt(np.clip(weights, 0.0, 1.0))) + np.uint8(palette.DIVERGING)
    return np.where(weights < FAINT, palette.DEFAULT, bins).astype(np.uint8)


def _pool_axis(values: np.ndarray, size: int, axis: int) -> np.ndarray:
    length = values.shape[axis]
    if size <= 0 or length == 0:
        return np.take(values, np.zeros(0, dtype=np.intp), axis=axis)
    if size >= length:
        return np.take(values, nearest_index(length, size), axis=axis)
    return np.maximum.reduceat(values, (np.arange(size) * length) // size, axis=axis)


def max_pool(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``values`` (R, C) to (rows, cols): the largest value of each block (or repeated
    when a side grows)."""
    return _pool_axis(_pool_axis(values, rows, 0), cols, 1)


def map_cells(weights: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Cells for a (T, T) map folded to rows × cols (half blocks: two pixel rows a cell)."""
    if palette.shading() is not None:
        return shaded_cells(weight_pixels(max_pool(weights, rows, cols)))
    return pixels_to_cells(weight_pixels(max_pool(weights, 2 * rows, cols)))


def head_name(view, flat_head: int) -> str:
    block, head = divmod(flat_head, view.heads)
    return f"block {block + 1} head {head + 1}"


def looked_at(view, row: np.ndarray) -> tuple[str, float]:
    """The word (letters around the most-weighted character) a row of weights looks at
    most, and the share of the row on it."""
    text = view.text
    best = int(np.argmax(row))
    start, end = best, best + 1
    while start > 0 and text[start - 1].isalpha() and text[best].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha() and text[best].isalpha():
        end += 1
    return text[start:end], float(row[start:end].sum())


def looks_line(view, row: np.ndarray, cursor: int, cols: int) -> str:
    """"char 104/111 ' ' looks at 'France': 94%", or the longest shorter form that fits
    ``cols`` (80x24 cut the share off: "... looks at 'France'")."""
    word, share = looked_at(view, row)
    char = repr(shown_char(view.text[cursor]))
    forms = (f"char {cursor + 1}/{len(view.text)} {char} looks at {word!r}: {share:.0%}",
             f"{cursor + 1}/{len(view.text)} {char} looks at {word!r}: {share:.0%}",
             f"{char} looks at {word!r}: {share:.0%}",
             f"{char} → {word!r}: {share:.0%}")
    return next((form for form in forms if len(form) <= cols), forms[-1][:cols])


class AttentionStory(CursorFrame):
    """The held-out story: the characters the chosen head looks at from the cursor's
    position are lit (the stronger, the bluer), later ones are dim; under it what it
    looks at most and the five likeliest next characters."""

    DEFAULT_CSS = """
    AttentionStory { height: 1fr; min-height: 5; max-height: 9; border: round $primary 40%;
                     border-title-color: $text-muted; }
    """

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:
        text, cursor = view.text, self.cursor
        row = view.head_map(self.chosen)[cursor]
        bins = weight_pixels(row)
        lines = wrap_positions(len(text), cols)
        room = max(1, rows - 2)
        cursor_line = min(cursor // max(1, cols), len(lines) - 1)
        first = max(0, cursor_line - room + 1)
        for y, (start, end) in enumerate(lines[first:first + room]):
            for x, t in enumerate(range(start, end)):
                if t == cursor:
                    fg, bg = palette.EMPTY, palette.HIGHLIGHT
                elif t > cursor:
                    fg, bg = palette.TEXT_DIM, palette.DEFAULT
                elif row[t] >= LIT:
                    fg, bg = palette.EMPTY, int(bins[t])
                else:
                    fg, bg = palette.TEXT, palette.DEFAULT
                write_text(frame, y, x, shown_char(text[t]), fg, bg)
        if rows >= 3:
            write_text(frame, rows - 2, 0, looks_line(view, row, cursor, cols), palette.TEXT_DIM)
        write_text(frame, rows - 1, 0, top_line(view, cursor, cols), palette.TEXT)


class HeadsRow(CursorFrame):
    """Every head of every block, a small map each (rows: reading position, columns:
    the character looked at), the chosen one's label highlighted; a line under them
    says whether completion has jumped yet."""

    DEFAULT_CSS = """
    HeadsRow { height: 1fr; min-height: 5; max-height: 9; border: round $primary 40%;
               border-title-color: $text-muted; }
    """
    SMALLEST = (3, 8)

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:
        count = view.blocks * view.heads
        width = max(4, (cols - (count - 1)) // count)
        shown = min(count, (cols + 1) // (width + 1))
        if shown < count:  # room for the "+N more" at the end
            shown = max(1, (cols - 7) // (width + 1))
        note = note_rows(self.note, cols, 2 if rows >= 5 else 1)
        map_rows = rows - 1 - len(note)
        for index in range(shown):
            x = index * (width + 1)
            block, head = divmod(index, view.heads)
            label = f"b{block + 1}h{head + 1}"
            chosen = index == self.chosen
            write_text(frame, 0, x, label[:width], palette.EMPTY if chosen else palette.TEXT_DIM,
                       palette.HIGHLIGHT if chosen else palette.DEFAULT)
            frame[1:1 + map_rows, x:x + width] = map_cells(view.head_map(index), map_rows, width)
        if shown < count:
            write_text(frame, 0, shown * (width + 1), f"+{count - shown} more", palette.TEXT_DIM)
        for y, line in enumerate(note, start=rows - len(note)):
            write_text(frame, y, 0, line[:cols], palette.HIGHLIGHT if "jump" in note[0] else palette.TEXT_DIM)


def note_rows(note, cols: int, rows: int) -> list[str]:
    """A note (a string, or its forms longest first) on at most `rows` rows of `cols` cells,
    whole words: the full form on one row, or wrapped on two where that fits (80x24: "the
    jump: …, epochs 3–9" lost its last epoch), else the first shorter form that fits one row,
    else the shortest one's first words (80x24's one row: "no jump yet: completion 0.12
    (chance i")."""
    forms = (note,) if isinstance(note, str) else tuple(note)
    if not forms:
        return [""]
    if cell_len(forms[0]) <= cols:
        return [forms[0]]
    wrapped = textwrap.wrap(forms[0], cols)
    if rows >= 2 and len(wrapped) <= rows:
        return wrapped
    return [next((form for form in forms if cell_len(form) <= cols), None) or whole_words(forms[-1], cols)]


class FullMap(CursorFrame):
    """The chosen head's whole T × T map folded to the pane: row = the position reading,
    column = the character it looks at (the future is masked: the upper right stays
    empty); the cursor's row marked ▶ and its character's column ▲."""

    DEFAULT_CSS = """
    FullMap { height: 2fr; min-height: 5; border: round $primary 40%; border-title-color: $text-muted; }
    """
    SMALLEST = (3, 4)

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:
        length = len(view.text)
        map_rows, map_cols = rows - 1, cols - 1
        shaded = palette.shading() is not None
        frame[:map_rows, 1:] = map_cells(view.head_map(self.chosen), map_rows, map_cols)
        mark_row = min(map_rows - 1, self.cursor * (map_rows if shaded else 2 * map_rows) // length
                       // (1 if shaded else 2))
        write_text(frame, mark_row, 0, "▶", palette.HIGHLIGHT)
        column = 1 + min(map_cols - 1, self.cursor * map_cols // length)
        write_text(frame, rows - 1, column, "▲", palette.HIGHLIGHT)
        span = f"1 … {length}: the character looked at"
        write_text(frame, rows - 1, 1 if column > len(span) + 2 else column + 2, span[:max(0, cols - 2)],
                   palette.TEXT_DIM)


class AttentionLossPlot(SequenceLossPlot):
    """The sequence kinds' loss plot, with a line at the epoch completion accuracy jumped
    (the kind's panes find it; the plot only draws it)."""

    def update_history(self, history, jump_epoch: int | None = None) -> None:
        # The loss plot's overfitting mark, drawn at the jump instead.
        LossPlot.update_history(self, RenamedHistory(history, self.ACCURACY), jump_epoch)

    def _legend(self) -> str:
        return super()._legend().replace("overfitting", "the jump")

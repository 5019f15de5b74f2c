"""The draw mode: a mark drawn by hand over one of the images on screen, from the keyboard.

A cursor moved with the arrows (or h j k l); Space puts the pen down (every cell the
cursor then moves to is inked) and lifts it; x paints or erases the cell under the
cursor; b marks a box's first corner, b again fills the box to the cursor; c clears;
n / N go to the next or previous image; Enter hands the mark back, Esc drops it. The
screen only draws: what it returns ((image number, pixels) or None) is sent to the
training process by the kind's screen, as any other setting. While it is drawn, the
kind's screen may score it: `preview(image, pixels)` is called on every change, and
`scored()` read a few times a second gives (pixels, image, PSNR before, PSNR rebuilt)
for the mark last scored, shown on a line of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen

from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint
from nn_tui.ui.screens import HelpScreen
from nn_tui.ui.widgets.mark_canvas import MarkCanvas, canvas_size, fit_scale
from nn_tui.ui.widgets.text_pane import TextPane

MOVES = (("Move left", "left", "h", (0, -1)), ("Move right", "right", "l", (0, 1)),
         ("Move up", "up", "k", (-1, 0)), ("Move down", "down", "j", (1, 0)))
DRAW_CONTROLS = (
    *(Control(key, label, action="move", args=step) for label, key, _, step in MOVES),
    *(Control(vi, f"{label} (vi)", action="move", args=step) for label, _, vi, step in MOVES),
    Control("space", "Pen down/up", action="toggle_pen"),
    Control("x", "Paint/erase the cell", action="toggle_cell"),
    Control("b", "Box corner", action="box_corner"),
    Control("c", "Clear the mark", action="clear"),
    Control("n", "Next image", action="pick_image", args=(1,)),
    Control("N", "Previous image", action="pick_image", args=(-1,)),
    Control("enter", "Apply the mark", action="apply"),
    Control("escape", "Cancel", action="cancel"),
    Control("question_mark", "Help", action="help", key_display="?"),
)
MOVE_LABELS = tuple(label for label, *_ in MOVES) + tuple(f"{label} (vi)" for label, *_ in MOVES)
ROOM_AROUND = (6, 7)  # cells (wide, tall) the box's border, padding and text lines take
MIN_TEXT_WIDTH = 64  # the box is at least this wide inside: the keys take two lines


@dataclass
class MarkDrawing:
    """The mark being drawn: its cells on an (H, W) image, the cursor, the pen, a box's corner."""

    shape: tuple[int, int]
    cells: set[int] = field(default_factory=set)  # row × W + column
    cursor: tuple[int, int] = (0, 0)
    pen_down: bool = False
    corner: tuple[int, int] | None = None  # a box's first corner, until b is pressed again

    def _cell(self, row: int, col: int) -> int:
        return row * self.shape[1] + col

    def move(self, d_row: int, d_col: int) -> None:
        row = min(max(self.cursor[0] + d_row, 0), self.shape[0] - 1)
        col = min(max(self.cursor[1] + d_col, 0), self.shape[1] - 1)
        self.cursor = (row, col)
        if self.pen_down:
            self.cells.add(self._cell(row, col))

    def toggle_pen(self) -> None:
        self.pen_down = not self.pen_down
        if self.pen_down:
            self.cells.add(self._cell(*self.cursor))

    def toggle_cell(self) -> None:
        self.cells ^= {self._cell(*self.cursor)}

    def box(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right), inclusive, from the first corner to the cursor."""
        if self.corner is None:
            return None
        (r0, c0), (r1, c1) = self.corner, self.cursor
        return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)

    def box_corner(self) -> None:
        box = self.box()
        if box is None:
            self.corner = self.cursor
            return
        top, left, bottom, right = box
        self.cells |= {self._cell(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        self.corner = None

    def clear(self) -> None:
        self.cells.clear()
        self.corner = None
        self.pen_down = False

    def mask(self) -> np.ndarray:
        mask = np.zeros(self.shape[0] * self.shape[1], dtype=bool)
        mask[list(self.cells)] = True
        return mask.reshape(self.shape)


class DrawKeysPanel(TextPane):
    """The draw mode's keys, made from its controls table (nn_tui.ui.key_hints)."""

    DEFAULT_CSS = "DrawKeysPanel { height: auto; }"


class DrawInfoPanel(TextPane):
    DEFAULT_CSS = "DrawInfoPanel { height: 1; }"


class DrawScorePanel(TextPane):
    """The PSNR under the mark being drawn, as the main screen's labels say it."""

    DEFAULT_CSS = "DrawScorePanel { height: 1; }"


SCORE_POLL_SECONDS = 0.1  # how often the draw mode looks for its mark's score


def score_text(score: tuple | None, fresh: bool, pixels: int) -> Text:
    """"PSNR under your mark vs clean: before 5.2 dB · rebuilt 14.3 dB"; dim while the
    mark has changed since that score (its own is on the way)."""
    if not pixels:
        return Text("PSNR under your mark: draw to see it", style="dim", no_wrap=True, overflow="ellipsis")
    if score is None:
        return Text("PSNR under your mark: …", style="dim", no_wrap=True, overflow="ellipsis")
    _, _, before, after = score
    text = Text(no_wrap=True, overflow="ellipsis", style="" if fresh else "dim")
    text.append("PSNR under your mark vs clean: ")
    text.append(f"before {before:.1f} dB", style="bold" if fresh else "")
    text.append(" · ")
    text.append(f"rebuilt {after:.1f} dB", style="bold" if fresh else "")
    return text


class DrawMarkScreen(ModalScreen[tuple[int, tuple[int, ...]] | None]):
    """Draw a mark over one of `images` ((M, H, W) pixels in [0, 1], test images `samples`);
    dismissed with (test image, its pixels in order) on Enter, None on Esc."""

    DEFAULT_CSS = """
    DrawMarkScreen { align: center middle; }
    #draw-box { width: 68; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
                background: $surface; padding: 0 1; }
    """

    def __init__(self, images: np.ndarray, samples: tuple[int, ...], noun: str = "image",
                 drawn: tuple[int, ...] = (), drawn_on: int | None = None,
                 preview: Callable[[int, tuple[int, ...]], None] | None = None,
                 scored: Callable[[], tuple | None] | None = None) -> None:
        super().__init__()
        self.controls = DRAW_CONTROLS
        self.images, self.samples, self.noun = images, tuple(samples), noun
        self.preview, self.scored = preview, scored
        self._previewed: tuple | None = None  # (image, pixels) last sent to be scored
        self._score: tuple | None = None  # the last score read: (pixels, image, before, rebuilt)
        self._score_shown: tuple | None = None
        shape = images.shape[1:]
        self.index = self.samples.index(drawn_on) if drawn and drawn_on in self.samples else 0
        self.drawing = MarkDrawing(shape, set(drawn) if drawn and drawn_on in self.samples else set(),
                                   cursor=(shape[0] // 2, shape[1] // 2))
        for index, control in enumerate(self.controls):
            self._bindings.bind(control.key, f"control({index})", control.label, show=False, priority=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="draw-box"):
            yield MarkCanvas(id="draw-canvas")
            yield DrawInfoPanel(id="draw-info")
            if self.scored is not None:
                yield DrawScorePanel(id="draw-score")
            yield DrawKeysPanel(id="draw-keys")

    def on_mount(self) -> None:
        self.query_one("#draw-box").border_title = f"draw a mark over a test {self.noun}"
        self._fit()
        self._show()
        if self.scored is not None:
            self.set_interval(SCORE_POLL_SECONDS, self._show_score)

    def on_resize(self) -> None:
        self._fit()
        self._show()

    def _fit(self) -> None:
        """The largest square pixels that leave room for the text under the image."""
        width, height = self.app.size
        canvas = self.query_one(MarkCanvas)
        shape = self.drawing.shape
        room_tall = ROOM_AROUND[1] + (self.scored is not None)  # the score's line
        canvas.scale = fit_scale(shape, max(width - ROOM_AROUND[0], 1), max(height - room_tall, 1))
        cols, rows = canvas_size(shape, canvas.scale)
        canvas.styles.width, canvas.styles.height = cols, rows
        self.query_one("#draw-box").styles.width = min(max(cols, MIN_TEXT_WIDTH) + 4, width)

    def _show(self) -> None:
        drawing = self.drawing
        canvas = self.query_one(MarkCanvas)
        canvas.show_picture(self.images[self.index], drawing.mask(), drawing.cursor, drawing.box(), canvas.scale)
        row, col = drawing.cursor
        box = f" · box from row {drawing.corner[0] + 1}, column {drawing.corner[1] + 1}" if drawing.corner else ""
        info = (f"test {self.noun} {self.samples[self.index] + 1} ({self.index + 1} of {len(self.samples)}) · "
                f"row {row + 1}, column {col + 1} · pen {'down' if drawing.pen_down else 'up'} · "
                f"{len(drawing.cells)} pixels{box}")
        self.query_one(DrawInfoPanel).show(lambda width: Text(info, no_wrap=True, overflow="ellipsis"))
        keys = self.query_one(DrawKeysPanel)
        hints = (key_hint(keys, "move", *MOVE_LABELS), key_hint(keys, "pen down/up", "Pen down/up"),
                 key_hint(keys, "paint/erase", "Paint/erase the cell"), key_hint(keys, "box corners", "Box corner"),
                 key_hint(keys, "clear", "Clear the mark"), key_hint(keys, "image", "Next image", "Previous image"),
                 key_hint(keys, "apply", "Apply the mark"), key_hint(keys, "cancel", "Cancel"))
        line = " · ".join(hint for hint in hints if hint)
        keys.show(lambda width: Text(line, style="dim"))
        if self.preview is not None:
            wanted = (self.samples[self.index], tuple(sorted(drawing.cells)))
            if wanted != self._previewed:  # only a change is scored (a move of the pen up is not)
                self._previewed = wanted
                self.preview(*wanted)
        self._show_score()

    def _show_score(self) -> None:
        """The mark's PSNR: the last score read, bold when it is of the mark as drawn now."""
        if self.scored is None:
            return
        score = self.scored()
        image, pixels = self.samples[self.index], tuple(sorted(self.drawing.cells))
        if score is not None and score[1] == image:
            self._score = score
        elif score is not None or self._score is not None and self._score[1] != image:
            self._score = None  # another image's score says nothing of this one
        fresh = self._score is not None and tuple(self._score[0]) == pixels
        shown = (self._score, fresh, len(pixels))
        if shown != self._score_shown:  # a line only when it changes (a served tab's bytes)
            self._score_shown = shown
            self.query_one(DrawScorePanel).show(lambda width: score_text(*shown))

    # ------------------------------------------------------------------ keys
    def action_control(self, index: int) -> None:
        control = self.controls[index]
        getattr(self, f"do_{control.action}")(*control.args)

    def do_move(self, d_row: int, d_col: int) -> None:
        self.drawing.move(d_row, d_col)
        self._show()

    def do_toggle_pen(self) -> None:
        self.drawing.toggle_pen()
        self._show()

    def do_toggle_cell(self) -> None:
        self.drawing.toggle_cell()
        self._show()

    def do_box_corner(self) -> None:
        self.drawing.box_corner()
        self._show()

    def do_clear(self) -> None:
        self.drawing.clear()
        self._show()

    def do_pick_image(self, step: int) -> None:
        self.index = (self.index + step) % len(self.samples)
        self._show()

    def do_help(self) -> None:
        self.app.push_screen(HelpScreen(self.controls))

    def do_apply(self) -> None:
        self.dismiss((self.samples[self.index], tuple(sorted(self.drawing.cells))))

    def do_cancel(self) -> None:
        if self.preview is not None and self._previewed and self._previewed[1]:
            self.preview(self.samples[self.index], ())  # nothing more to score
        self.dismiss(None)

"""The sequence kinds' widgets: the text coloured by a hidden unit, the state over time,
the free sample, the prompt's completion, the completion accuracy against the gap.

Frames (see _raster.py) for the coloured panes, so only changed cells go out; text
panes redraw only when their text changes.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Static

from nn_tui.ui import palette
from nn_tui.ui.key_hints import key_hint
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets._raster import (FramedLines, LineCache, blank_frame, pixels_to_cells, resample,
                                       shaded_cells, write_text)
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.text_pane import TextPane, TitledTextPane

NEWLINE_MARK = "¶"
BAR = "█"


def shown_char(ch: str) -> str:
    return NEWLINE_MARK if ch == "\n" else ch


def percent(p: float) -> str:
    return f"{100 * float(p):2.0f}%"


def top_line(view, cursor: int, cols: int = 0) -> str:
    """The five likeliest next characters after the one under the cursor; in ``cols``
    cells (0: no limit) as many whole pairs as fit (80x24 cut the fourth at "'.'  ")."""
    pairs = zip(view.top_ids[cursor].tolist(), view.top_probs[cursor].tolist())
    shown = [f"{shown_char(view.chars[i])!r} {percent(p)}" for i, p in pairs]
    for gap in ("  ", " "):
        for count in range(len(shown), 0, -1):
            line = "next: " + gap.join(shown[:count])
            if not cols or len(line) <= cols:
                return line
    return "next:"[:cols]


def wrap_positions(length: int, cols: int) -> list[tuple[int, int]]:
    """(start, end) of each line of a text cut into lines of ``cols`` characters."""
    cols = max(1, cols)
    return [(start, min(start + cols, length)) for start in range(0, max(length, 1), cols)]


class CursorFrame(FramedLines, Widget):
    """A framed pane of a text view at the cursor: the sequence kinds' panes (``chosen``: a
    hidden unit) and the attention kind's (``chosen``: a head, ``note``: whether completion
    jumped). Subclasses draw in ``_draw_view`` on a blank frame, once there is a view and
    at least ``SMALLEST`` room."""

    SCOPED_CSS = False
    SMALLEST = (1, 1)  # rows, cols: in less room (or before the first view) the pane stays blank

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines = LineCache()
        self._view = None
        self.chosen = 0
        self.cursor = 0
        self.note = ""

    def update_view(self, view, chosen: int, cursor: int, note: str = "") -> None:
        self._view, self.chosen, self.cursor, self.note = view, chosen, cursor, note
        self._redraw()

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        frame = blank_frame(rows, cols)
        if self._view is not None and rows >= self.SMALLEST[0] and cols >= self.SMALLEST[1]:
            self._draw_view(frame, self._view, rows, cols)
        return frame

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class TextStream(CursorFrame):
    """The held-out text, each character coloured by the chosen unit's value after it;
    the cursor's character highlighted, its top five next characters below."""

    DEFAULT_CSS = """
    TextStream { height: 1fr; max-height: 12; border: round $primary 40%; border-title-color: $text-muted; }
    """

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:
        text, unit = view.text, self.chosen
        lines = wrap_positions(len(text), cols)
        room = max(1, rows - 2)
        cursor_line = min(self.cursor // max(1, cols), len(lines) - 1)
        first = max(0, cursor_line - room + 1)
        values = view.hidden[:, unit].astype(np.float64)
        bins = palette.value_bins(values)
        for y, (start, end) in enumerate(lines[first:first + room]):
            for x, t in enumerate(range(start, end)):
                fg, bg = int(bins[t]) + palette.DIVERGING, palette.DEFAULT
                if t == self.cursor:
                    fg, bg = palette.EMPTY, palette.HIGHLIGHT
                write_text(frame, y, x, shown_char(text[t]), fg, bg)
        if rows >= 3:
            t = self.cursor
            info = (f"unit {unit + 1}/{view.hidden.shape[1]} = {float(values[t]):+.2f}  "
                    f"char {t + 1}/{len(text)} {shown_char(text[t])!r}")
            write_text(frame, rows - 2, 0, info[:cols], palette.TEXT_DIM)
        write_text(frame, rows - 1, 0, top_line(view, self.cursor, cols), palette.TEXT)


class StateMap(CursorFrame):
    """Units × time: the hidden state (and the LSTM's cell state) over a window of the
    text around the cursor, one column a character; the chosen unit's row marked."""

    DEFAULT_CSS = """
    StateMap { height: 1fr; border: round $primary 40%; border-title-color: $text-muted; }
    """
    SMALLEST = (2, 4)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._previous: dict[str, np.ndarray] = {}

    def _draw_view(self, frame: np.ndarray, view, rows: int, cols: int) -> None:
        unit = self.chosen
        bands = [("h", view.hidden)] + ([("c", view.cell)] if view.cell is not None else [])
        length = len(view.text)
        width = cols - 2  # a column for the band's name and one for the unit mark
        start = int(np.clip(self.cursor - width // 2, 0, max(0, length - width)))
        end = min(length, start + width)
        band_rows = max(1, (rows - 1) // len(bands))
        shaded = palette.shading() is not None
        for index, (name, values) in enumerate(bands):
            top = index * band_rows
            units = values.shape[1]
            pixel_rows = band_rows if shaded else 2 * band_rows
            grid = resample(values[start:end].T.astype(np.float64), pixel_rows, end - start)
            bins = palette.sticky_value_bins(grid, self._previous.get(name))
            self._previous[name] = bins
            pix = bins + np.uint8(palette.DIVERGING)
            cells = shaded_cells(pix) if shaded else pixels_to_cells(pix)
            frame[top:top + band_rows, 2:2 + (end - start)] = cells
            write_text(frame, top, 0, name, palette.TEXT)
            mark = min(band_rows - 1, unit * band_rows // max(1, units))
            write_text(frame, top + mark, 1, "▶", palette.HIGHLIGHT)
        # The characters under the map, the cursor's highlighted.
        y = rows - 1
        for x, t in enumerate(range(start, end)):
            cursor = t == self.cursor
            write_text(frame, y, 2 + x, shown_char(view.text[t]),
                       palette.EMPTY if cursor else palette.TEXT_DIM, palette.HIGHLIGHT if cursor else palette.DEFAULT)


class SampleText(TextPane):
    """What the model writes freely, regenerated as it trains."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    SampleText { height: 1fr; max-height: 10; border: round $primary 40%; border-title-color: $text-muted;
                 padding: 0 1; }
    Screen.compact SampleText { max-height: 7; }
    """

    _view = None

    def title_parts(self) -> list:
        """At 80x24 "free sample · step 657 · temperat…": the temperature and its keys go on
        the bottom border."""
        view = self._view
        return ["free sample", f"step {view.step:,}", (f"temperature {view.temperature:g}", f"temp. {view.temperature:g}"),
                key_hint(self, "temperature", "Sample temperature up", "Sample temperature down")]

    def on_resize(self) -> None:  # TextPane's on_resize redraws the text (Textual calls both)
        if self._view is not None:
            lay_title(self, self.title_parts())

    def update_view(self, view) -> None:
        self._view = view
        lay_title(self, self.title_parts())
        self.show(lambda width: Text(view.text.replace("\n", f"{NEWLINE_MARK} ")))


class CompletionText(TitledTextPane):
    """The prompt the user typed and the model's greedy completion."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    CompletionText { height: 5; border: round $primary 40%; border-title-color: $text-muted; padding: 0 1; }
    Screen.compact CompletionText { height: 4; }
    """

    def title_parts(self) -> list:
        """The lesson's 80x24 pane cut "prompt → greedy completion (i: typ…": the key goes on
        the bottom border where the top one has no room."""
        return [("prompt → greedy completion", "greedy completion"), key_hint(self, "type one", "Type a prompt")]

    def update_view(self, view) -> None:
        if view is None:
            hint = key_hint(self, "type a prompt, like “I live in Spain. I speak fluent ”", "Type a prompt")
            self.show(lambda width: Text(hint, style="dim"))
            return
        text = Text()
        text.append(view.prompt, style="dim")
        text.append(view.completion.replace("\n", NEWLINE_MARK), style="bold")
        text.append(f"  (step {view.step:,})", style="dim")
        self.show(lambda width: text)


GAP_CHART_ROWS = (("rnn", "rnn"), ("lstm", "lstm"), ("gru", "gru"), ("attention", "attn"))


def gap_cell(value: float, column: int) -> str:
    """A value in a column: "0.98" when there is room, else percent ("98", "100")."""
    return f"{value:.2f}" if column >= 5 else f"{100 * value:.0f}"


def gap_chart_text(view, width: int) -> Text:
    """Rows rnn / lstm / gru / attn, a column per gap: a bar (where there is room) and the
    completion accuracy. A run of this session (bold, *) replaces the bench's measured
    value (dim); · is neither. Narrow panes show percent in 3-character columns."""
    measured = {(c, g): a for c, g, a in view.measured}
    session = {(c, g): a for c, g, a in view.session}
    gaps = list(range(view.max_gap + 1))
    if (width - 5) // len(gaps) < 5:  # narrow: only the gaps that have a value
        gaps = [g for g in gaps if any(key[1] == g for key in (*measured, *session, tuple(view.current)))] or [0]
    column = max(3, min(10, (width - 5) // len(gaps)))
    value_width = 5 if column >= 5 else column
    bar_width = column - value_width
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("gap  " + "".join(f"{g:<{column}}" for g in gaps) + "\n", style="dim")
    for cell, name in GAP_CHART_ROWS:
        text.append(f"{name:<5}")
        for gap in gaps:
            value = session.get((cell, gap), measured.get((cell, gap)))
            if value is None:
                text.append(f"{'·':<{column}}", style="dim")
                continue
            ours = (cell, gap) in session
            style = "bold" if ours else "dim"
            if (cell, gap) == tuple(view.current):
                style += " yellow"
            filled = int(round(value * bar_width))
            text.append(BAR * filled + " " * (bar_width - filled), style=style)
            shown = gap_cell(value, column) + ("*" if ours and column >= 5 else " ")
            text.append(shown[:value_width].ljust(value_width), style=style)
        text.append("\n")
    unit = "" if column >= 5 else " · in %"
    notes = (f"bold: this session's runs; dim: measured (bench){unit}", f"bold: this session's runs; dim: bench{unit}",
             f"bold: this session; dim: bench{unit}", f"bold: yours; dim: bench{unit}")
    # 80x24 cut the longest at "dim:": the longest that fits whole.
    text.append(next((note for note in notes if len(note) <= width), notes[-1]), style="dim")
    return text


class GapChart(TitledTextPane):
    SCOPED_CSS = False
    DEFAULT_CSS = """
    GapChart { height: 8; border: round $primary 40%; border-title-color: $text-muted; padding: 0 1; }
    """

    def title_parts(self) -> list:
        """At 80x24 "completion accuracy against the g…" (35 cells, the border has 34), at
        120x40 "… against the gap ([ ]:…": a shorter name, the keys on the bottom border."""
        return [("completion accuracy against the gap", "completion accuracy vs gap", "accuracy vs gap"),
                key_hint(self, "gap", "Gap down (new run)", "Gap up (new run)"),
                key_hint(self, "cell", "Cell: RNN / LSTM / GRU")]

    def update_view(self, view) -> None:
        self.show(lambda width: gap_chart_text(view, width))


class RenamedHistory:
    """A history whose 'test_accuracy' is another metric: the loss plot's right axis."""

    def __init__(self, history, accuracy: str) -> None:
        self._history, self._accuracy = history, accuracy
        self.epochs = history.epochs

    def get(self, name: str):
        return self._history.get(self._accuracy if name == "test_accuracy" else name)


class SequenceLossPlot(LossPlot):
    """The loss plot with completion accuracy on its right axis."""

    ACCURACY = "completion_accuracy"

    def update_history(self, history) -> None:
        super().update_history(RenamedHistory(history, self.ACCURACY))

    def _legend(self) -> str:
        return super()._legend().replace("test accuracy", self.ACCURACY.replace("_", " "))


class PromptScreen(ModalScreen):
    """One line to type a prompt in; Enter sends it, Escape goes back."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen > Vertical { width: 80%; max-width: 90; height: auto; border: thick $primary; padding: 0 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, prompt: str) -> None:
        super().__init__()
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("A prompt for the model to complete (greedily), Enter to send:")
            yield Input(value=self._prompt, id="prompt-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)

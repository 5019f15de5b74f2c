"""Modal screens: help, editing a neuron's weights by hand, saving a file, the share string."""

from __future__ import annotations

import math
from functools import lru_cache

from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from nn_tui.views import NetworkView


class HelpScreen(ModalScreen[None]):
    """Every key and what it does."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, controls, share: str | None = None) -> None:
        super().__init__()
        self._key_list = controls
        self._share = share

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static("[b]nn-tui keys[/b]  (Esc closes · Ctrl+P opens the command palette)")
            yield Static("[dim]Mouse: click a neuron to select it, a link to edit its weight; "
                         "the wheel turns the learning rate up and down.[/dim]", id="help-mouse")
            yield Static(_drawn_help_table(tuple(self._key_list)), id="help-table")
            if self._share:
                yield Static(share_text(self._share), id="help-share")


def share_text(share: str) -> Text:
    text = Text("\nThis setup, to share (u): ", style="bold")
    text.append(f"nn-tui --share {share}", style="not bold")
    return text


class ShareLine(TextArea):
    """The share line, wrapped and shown from its start: read-only, but it can be
    selected (mouse, shift+arrows, F7 all) and copied (Ctrl+C)."""

    DEFAULT_CSS = "ShareLine { height: auto; max-height: 8; }"

    def __init__(self, line: str, *, id: str | None = None) -> None:
        super().__init__(line, id=id, read_only=True, soft_wrap=True, highlight_cursor_line=False)

    @property
    def value(self) -> str:
        return self.text


class ShareScreen(ModalScreen[None]):
    """The share string of the setup on screen, and how to open it."""

    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, share: str) -> None:
        super().__init__()
        self._share = share

    def compose(self) -> ComposeResult:
        with Vertical(id="share-box"):
            yield Label("This setup as one line (copied to the clipboard where the terminal allows; "
                        "select and Ctrl+C copies it too) — Esc closes")
            yield ShareLine(f"nn-tui --share {self._share}", id="share")


def help_table(controls) -> Table:
    """Every row of a controls table (nn_tui.ui.controls): its keys and what it does."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for control in controls:
        keys = control.key_display or ", ".join(_key_name(k) for k in control.key.split(","))
        table.add_row(keys, control.label)
    return table


@lru_cache(maxsize=16)
def _drawn_help_table(controls: tuple) -> "DrawnOnce":
    """A screen's help table, laid out once for each width it is shown at: the table was
    most of the CPU of opening help (~40 ms of ~150), a lot for 20 tabs on 2 cores."""
    return DrawnOnce(help_table(controls))


class DrawnOnce:
    """A Rich renderable whose lines and measure are computed once for each width."""

    def __init__(self, renderable) -> None:
        self._renderable = renderable
        self._lines: dict = {}
        self._measures: dict = {}

    def __rich_console__(self, console, options):
        key = (options.max_width, options.min_width, options.height, options.justify, options.overflow,
               options.no_wrap, console.color_system)
        lines = self._lines.get(key)
        if lines is None:
            lines = self._lines[key] = console.render_lines(self._renderable, options, pad=False)
        new_line = Segment.line()
        for line in lines:
            yield from line
            yield new_line

    def __rich_measure__(self, console, options) -> Measurement:
        key = (options.max_width, options.min_width)
        if key not in self._measures:
            self._measures[key] = Measurement.get(console, options, self._renderable)
        return self._measures[key]


def _key_name(key: str) -> str:
    return {"space": "Space", "question_mark": "?", "equals_sign": "=", "plus": "+", "minus": "-"}.get(key, key)


class WeightEditor(ModalScreen[dict | None]):
    """Type new values for a neuron's bias and incoming weights; Enter applies, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "Input"

    def __init__(self, snapshot: NetworkView, layer: int, neuron: int, focus_row: int | None = None) -> None:
        super().__init__()
        self._snapshot, self._layer, self._neuron = snapshot, layer, neuron
        self._focus_row = focus_row  # a clicked link: its weight has the focus

    def on_mount(self) -> None:
        if self._focus_row is not None:  # after AUTO_FOCUS has focused the first box
            self.call_after_refresh(self._focus_clicked)

    def _focus_clicked(self) -> None:
        boxes = self.query(f"#w{self._focus_row}")
        if boxes:
            boxes.first().focus()

    def compose(self) -> ComposeResult:
        snap, layer, neuron = self._snapshot, self._layer, self._neuron
        weights = snap.weights[layer - 1][:, neuron]
        mask = snap.masks[layer - 1]
        sources = snap.input_labels if layer == 1 else [f"h{layer - 1}.{i + 1}" for i in range(len(weights))]
        with VerticalScroll(id="editor-box"):
            yield Label(f"[b]Layer {layer}, neuron {neuron + 1}[/b] — Enter applies, Esc cancels")
            if self._focus_row is not None:
                yield Label(f"the clicked link: the weight from {sources[self._focus_row]}", classes="hint")
            yield Label("bias")
            yield Input(f"{float(snap.biases[layer - 1][neuron]):.6g}", id="bias", classes="value")
            for row, weight in enumerate(weights):
                if mask is not None and not mask[row, neuron]:
                    continue
                yield Label(f"weight from {sources[row]}")
                yield Input(f"{float(weight):.6g}", id=f"w{row}", classes="value")

    def on_input_submitted(self) -> None:
        changes: dict = {}
        snap, layer, neuron = self._snapshot, self._layer, self._neuron
        for box in self.query(".value").results(Input):
            try:
                value = float(box.value)
            except ValueError:
                self.app.notify(f"{box.value!r} is not a number", severity="error")
                box.focus()
                return
            if not math.isfinite(value):
                self.app.notify("weights must be finite numbers", severity="error")
                return
            if box.id == "bias":
                if value != float(snap.biases[layer - 1][neuron]):
                    changes[("b", 0)] = value
            else:
                row = int(box.id[1:])
                if value != float(snap.weights[layer - 1][row, neuron]):
                    changes[("w", row)] = value
        self.dismiss(changes)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveScreen(ModalScreen[str | None]):
    """Ask where to save the model."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "Input"

    def __init__(self, default_path: str, prompt: str = "Save the model to (.npz)") -> None:
        super().__init__()
        self._default = default_path
        self._prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(id="save-box"):
            yield Label(f"{self._prompt} — Enter saves, Esc cancels")
            yield Input(self._default, id="path")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)

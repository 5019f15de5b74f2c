"""The sequence kinds' screen (rnn, lstm, gru share it): layout, keys and UI state.

Imported only by the UI. The chosen unit and the cursor are the screen's own
(`SequenceUi`): they move at once, without a round trip to the training process,
because the views carry the state and the top five at every character.
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.kinds.sequence.views import CompletionView, GapChartView, SampleView, StreamView
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint, with_hints
from nn_tui.ui.panes import Column, Layout, Pane, register_pane
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.sequence_views import (CompletionText, GapChart, PromptScreen, SampleText, SequenceLossPlot,
                                              StateMap, TextStream)

SEQUENCE_KINDS = ("rnn", "lstm", "gru", "attention")  # attention: the same screen, a head per "unit"
DEFAULT_PROMPT = "I live in Spain. I speak fluent "
CURSOR_JUMP = 10


@dataclass
class SequenceUi:
    unit: int = 0
    cursor: int = 0
    prompt: str = DEFAULT_PROMPT

    def clamp(self, view: StreamView) -> tuple[int, int]:
        self.unit = min(max(self.unit, 0), view.hidden.shape[1] - 1)
        self.cursor = min(max(self.cursor, 0), len(view.text) - 1)
        return self.unit, self.cursor

    def _show(self, screen) -> None:
        view = screen.session.snapshot.view(StreamView)
        if view is None:
            return
        unit, cursor = self.clamp(view)
        draw_stream(screen.pane("stream"), None, view, self)
        draw_state(screen.pane("state"), None, view, self)

    # --- UI actions (rows of CONTROLS with `action`) ---------------------------
    def pick_unit(self, screen, delta: int) -> None:
        self.unit += delta
        self._show(screen)

    def move_cursor(self, screen, delta: int) -> None:
        self.cursor += delta
        self._show(screen)

    def ask_prompt(self, screen) -> None:
        ask_prompt(self, screen)


def ask_prompt(ui, screen) -> None:
    """The prompt dialog of a character model's screen (i): the text typed, then Enter,
    is completed by the run shown; `ui.prompt` keeps it for the next time."""
    def send(prompt: str | None) -> None:
        if prompt is not None:
            ui.prompt = prompt
            screen.send("complete", prompt)

    screen.app.push_screen(PromptScreen(ui.prompt), send)


def make_ui() -> SequenceUi:
    return SequenceUi()


# --- drawing: view -> widget --------------------------------------------------
def draw_stream(widget: TextStream, snapshot, view: StreamView, ui: SequenceUi) -> None:
    unit, cursor = ui.clamp(view)
    lay_title(widget, stream_title_parts(widget, view, unit))
    widget.update_view(view, unit, cursor)


def stream_title_parts(widget, view: StreamView, unit: int) -> list:
    """The text pane's title in parts, each (its full form, shorter ones): the lesson's
    72-cell pane cut it at "(↑ ↓: …", the 36-cell one at 80x24 at "held-out text 1/1…"."""
    story = key_hint(widget, "story", "Next held-out story", "Previous held-out story")
    at = f"{view.story + 1}/{view.stories}"
    reading = tuple(with_hints(text, story) for text in (
        f"{view.cell_name} reading held-out text {at}", f"{view.cell_name}: held-out text {at}",
        f"{view.cell_name}: held-out {at}"))
    pick = key_hint(widget, "unit", "Unit up", "Unit down")
    colour = (with_hints(f"colour: unit {unit + 1}", pick),)
    if pick:  # "↑ ↓: unit 3": the hint names the unit shown
        colour += (key_hint(widget, f"unit {unit + 1}", "Unit up", "Unit down"),)
    move = key_hint(widget, "cursor", "Cursor left", "Cursor right")
    return [reading, colour, move]


def draw_state(widget: StateMap, snapshot, view: StreamView, ui: SequenceUi) -> None:
    unit, cursor = ui.clamp(view)
    # At 80x24 "units × time · h: hidden state, c…": parts, the cell state's on the bottom border.
    what = ["h: hidden state", "c: tanh(cell state)"] if view.cell is not None else ["hidden state"]
    lay_title(widget, ["units × time", *what])
    widget.update_view(view, unit, cursor)


def draw_sample(widget: SampleText, snapshot, view: SampleView, ui) -> None:
    widget.update_view(view)


def draw_completion(widget: CompletionText, snapshot, view, ui) -> None:
    widget.update_view(snapshot.view(CompletionView))


def draw_gaps(widget: GapChart, snapshot, view: GapChartView, ui) -> None:
    widget.update_view(view)


def draw_history(widget: SequenceLossPlot, snapshot, view, ui) -> None:
    widget.update_history(snapshot.history)


register_pane(StreamView, TextStream, draw_stream)
register_pane(SampleView, SampleText, draw_sample)
register_pane(GapChartView, GapChart, draw_gaps)

LAYOUT = Layout(columns=(
    Column("left", (
        Pane("stream", StreamView, group="output"),
        Pane("state", StreamView, widget=StateMap, draw=draw_state, group="output"),
    )),
    Column("right", (
        Pane("sample", SampleView, group="network"),
        Pane("completion", widget=CompletionText, draw=draw_completion, group="network"),
        Pane("gaps", GapChartView, group="plot"),
        Pane("loss", widget=SequenceLossPlot, draw=draw_history, group="plot"),
    )),
))

CONTROLS = (
    Control("k", "Cell: RNN / LSTM / GRU", command="switch_cell", args=(1,), show=True, kinds=SEQUENCE_KINDS),
    Control("i", "Type a prompt", action="ask_prompt", show=True, kinds=SEQUENCE_KINDS),
    Control("up", "Unit up", action="pick_unit", args=(-1,), kinds=SEQUENCE_KINDS),
    Control("down", "Unit down", action="pick_unit", args=(1,), kinds=SEQUENCE_KINDS),
    Control("left", "Cursor left", action="move_cursor", args=(-1,), kinds=SEQUENCE_KINDS),
    Control("right", "Cursor right", action="move_cursor", args=(1,), kinds=SEQUENCE_KINDS),
    Control("comma", "Cursor 10 left", action="move_cursor", args=(-CURSOR_JUMP,), key_display=",",
            kinds=SEQUENCE_KINDS),
    Control("full_stop", "Cursor 10 right", action="move_cursor", args=(CURSOR_JUMP,), key_display=".",
            kinds=SEQUENCE_KINDS),
    Control("n", "Next held-out story", command="show_story", args=(1,), kinds=SEQUENCE_KINDS),
    Control("N", "Previous held-out story", command="show_story", args=(-1,), kinds=SEQUENCE_KINDS),
    Control("right_square_bracket", "Gap up (new run)", command="nudge_gap", args=(1,), key_display="]",
            kinds=SEQUENCE_KINDS),
    Control("left_square_bracket", "Gap down (new run)", command="nudge_gap", args=(-1,), key_display="[",
            kinds=SEQUENCE_KINDS),
)

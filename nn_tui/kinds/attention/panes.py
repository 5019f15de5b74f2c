"""The attention kind's screen: layout, keys and UI state. Imported only by the UI.

Left: the story lit by where the chosen head looks from the cursor, a row of small
maps (every head of every block) with the jump's line, the chosen head's full T × T
map. Right: the free sample (t / T: temperature), the prompt line, the accuracy
against the gap (RNN, LSTM, GRU and attention), the loss with the jump marked.
The chosen head and the cursor are the screen's own (`AttentionUi`): they move at
once, the view carries every head's whole map.
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.kinds.attention.jump import find_jump
from nn_tui.kinds.attention.views import AttentionView
from nn_tui.kinds.sequence.panes import (CURSOR_JUMP, DEFAULT_PROMPT, ask_prompt, draw_completion, draw_gaps,
                                         draw_sample)
from nn_tui.kinds.sequence.views import GapChartView, SampleView
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint, with_hints
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.attention_views import AttentionLossPlot, AttentionStory, FullMap, HeadsRow, head_name
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.sequence_views import CompletionText, GapChart, SampleText

KINDS = ("attention",)


@dataclass
class AttentionUi:
    head: int = 0  # block-major: block 1's heads, then block 2's
    cursor: int | None = None  # None: the asking position (the space after "I speak fluent")
    prompt: str = DEFAULT_PROMPT

    def clamp(self, view: AttentionView) -> tuple[int, int]:
        self.head = min(max(self.head, 0), view.blocks * view.heads - 1)
        cursor = view.asking if self.cursor is None else self.cursor
        self.cursor = min(max(cursor, 0), len(view.text) - 1)
        return self.head, self.cursor

    def _show(self, screen) -> None:
        snapshot = screen.session.snapshot
        view = snapshot.view(AttentionView)
        if view is None:
            return
        for pane, draw in (("story", draw_story), ("heads", draw_heads), ("map", draw_map)):
            draw(screen.pane(pane), snapshot, view, self)

    # --- UI actions (rows of CONTROLS with `action`) ---------------------------
    def pick_head(self, screen, delta: int) -> None:
        self.head += delta
        self._show(screen)

    def move_cursor(self, screen, delta: int) -> None:
        view = screen.session.snapshot.view(AttentionView)
        if self.cursor is None:
            self.cursor = view.asking if view is not None else 0
        self.cursor += delta
        self._show(screen)

    def ask_prompt(self, screen) -> None:
        ask_prompt(self, screen)


def make_ui() -> AttentionUi:
    return AttentionUi()


# --- drawing: view -> widget --------------------------------------------------
def completion_history(snapshot):
    """The run's completion accuracy so far (None before its first measurement)."""
    history = getattr(snapshot, "history", None)
    accuracy = None if history is None else history.get("completion_accuracy")
    return None if accuracy is None or not len(accuracy) else accuracy


def snapshot_jump(snapshot):
    """Where completion accuracy jumped in this run, or None (see jump.py)."""
    accuracy = completion_history(snapshot)
    return None if accuracy is None else find_jump(snapshot.history.epochs, accuracy)


def jump_line(snapshot) -> str:
    """The screen's word on the jump: found (where), or not yet (completion now)."""
    return jump_lines(snapshot)[0]


def jump_lines(snapshot) -> tuple[str, ...]:
    """``jump_line``, then shorter forms of it, whole words each (80x24 has one row of 38
    cells for it: "no jump yet: completion 0.12 (chance i")."""
    accuracy = completion_history(snapshot)
    if accuracy is None:
        return ("completion: not measured yet", "not measured yet")
    jump = snapshot_jump(snapshot)
    if jump is None:
        now = f"{float(accuracy[-1]):.2f}"
        return (f"no jump yet: completion {now} (chance is 1 in 16)", f"no jump yet: completion {now} (chance 1/16)",
                f"no jump yet: completion {now}", f"no jump yet: {now}")
    return jump.lines()


def draw_story(widget: AttentionStory, snapshot, view: AttentionView, ui: AttentionUi) -> None:
    head, cursor = ui.clamp(view)
    story = key_hint(widget, "story", "Next held-out story", "Previous held-out story")
    at = f"{view.story + 1}/{view.stories}"
    reading = tuple(with_hints(text, story) for text in (f"held-out story {at}", f"story {at}", at))
    name = head_name(view, head)
    where = (f"where {name} looks from the cursor", f"where {name} looks", name)
    # In parts, shorter where need be (80x24 cut it at "(n N: story)…", then at "(↑ ↓: head)…");
    # the cursor's keys second, so that at 80x24 the four parts fill the two borders.
    parts = [reading, key_hint(widget, "cursor", "Cursor left", "Cursor right"), where,
             key_hint(widget, "head", "Head up", "Head down")]
    lay_title(widget, parts)
    widget.update_view(view, head, cursor)


def draw_heads(widget: HeadsRow, snapshot, view: AttentionView, ui: AttentionUi) -> None:
    head, cursor = ui.clamp(view)
    blocks = f"{view.blocks} block{'s' if view.blocks != 1 else ''}"  # the default is one block
    heads = f"{view.heads} head{'s' if view.heads != 1 else ''}"
    # 80x24 cut it at "where each pos…"
    lay_title(widget, [f"{blocks} × {heads}", ("where each position looks", "where each looks")])
    widget.update_view(view, head, cursor, jump_lines(snapshot) if snapshot is not None else "")


def draw_map(widget: FullMap, snapshot, view: AttentionView, ui: AttentionUi) -> None:
    head, cursor = ui.clamp(view)
    length = len(view.text)
    name = head_name(view, head)
    weights = (f"{name}: all {length} × {length} weights, folded", f"{name}: {length} × {length} weights",
               f"{length} × {length} weights")
    lay_title(widget, [weights, "row: reading ↓", "▶ cursor"])  # 80x24: "231 wei…"
    widget.update_view(view, head, cursor)


def draw_history(widget: AttentionLossPlot, snapshot, view, ui) -> None:
    jump = snapshot_jump(snapshot)
    widget.update_history(snapshot.history, None if jump is None else int(jump.end))


LAYOUT = Layout(columns=(
    Column("left", (
        Pane("story", AttentionView, widget=AttentionStory, draw=draw_story, group="output"),
        Pane("heads", AttentionView, widget=HeadsRow, draw=draw_heads, group="output"),
        Pane("map", AttentionView, widget=FullMap, draw=draw_map, group="output"),
    )),
    Column("right", (
        Pane("sample", SampleView, widget=SampleText, draw=draw_sample, group="network"),
        Pane("completion", widget=CompletionText, draw=draw_completion, group="network"),
        Pane("gaps", GapChartView, widget=GapChart, draw=draw_gaps, group="plot"),
        Pane("loss", widget=AttentionLossPlot, draw=draw_history, group="plot"),
    )),
))

CONTROLS = (
    Control("i", "Type a prompt", action="ask_prompt", show=True, kinds=KINDS),
    Control("t", "Sample temperature up", command="nudge_temperature", args=(1,), show=True, kinds=KINDS),
    Control("T", "Sample temperature down", command="nudge_temperature", args=(-1,), kinds=KINDS),
    Control("up", "Head up", action="pick_head", args=(-1,), kinds=KINDS),
    Control("down", "Head down", action="pick_head", args=(1,), kinds=KINDS),
    Control("left", "Cursor left", action="move_cursor", args=(-1,), kinds=KINDS),
    Control("right", "Cursor right", action="move_cursor", args=(1,), kinds=KINDS),
    Control("comma", "Cursor 10 left", action="move_cursor", args=(-CURSOR_JUMP,), key_display=",", kinds=KINDS),
    Control("full_stop", "Cursor 10 right", action="move_cursor", args=(CURSOR_JUMP,), key_display=".",
            kinds=KINDS),
    Control("n", "Next held-out story", command="show_story", args=(1,), kinds=KINDS),
    Control("N", "Previous held-out story", command="show_story", args=(-1,), kinds=KINDS),
    Control("right_square_bracket", "Gap up (new run)", command="nudge_gap", args=(1,), key_display="]",
            kinds=KINDS),
    Control("left_square_bracket", "Gap down (new run)", command="nudge_gap", args=(-1,), key_display="[",
            kinds=KINDS),
)

"""One line: run state, epoch, losses, accuracy and the settings that matter most."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING, Snapshot
from nn_tui.training import format_loss

STATE_STYLES = {TRAINING: "bold green", PAUSED: "bold yellow", DIVERGED: "bold red"}
STATE_MARKS = {TRAINING: "▶", PAUSED: "‖", DIVERGED: "✖"}  # one cell wide in every terminal


def status_text(snapshot: Snapshot, width: int = 120) -> Text:
    """The status line. Below 110 cells: single spaces, and no accuracy or data set name
    (the plot's right axis shows accuracy), so that it fits 80 columns."""
    narrow = width < 110
    gap = " " if narrow else "  "
    state = snapshot.status
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{STATE_MARKS[state]} {state}", style=STATE_STYLES[state])
    text.append(f"{gap}epoch {snapshot.epoch:,}", style="bold")
    text.append(f"{gap}train loss {format_loss(snapshot.train_loss)}")
    text.append(f"{gap}test loss {format_loss(snapshot.test_loss)}")
    if snapshot.test_accuracy is not None and not narrow:
        text.append(f"{gap}test acc {snapshot.test_accuracy:.3f}")
    text.append(f"{gap}lr {snapshot.learning_rate:g}", style="cyan")
    text.append(f"{gap}{snapshot.activation}", style="cyan")
    text.append(f"{gap}{snapshot.optimizer}", style="cyan")
    if not narrow:
        text.append(f"{gap}{snapshot.dataset}", style="dim")
    return text


class StatusLine(Widget):
    """A Widget, not a Static: Static.update() asks for a new layout of the whole screen,
    and this line changes ten times a second without ever changing size."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: str | None = None
        self._text = Text()
        self._snapshot: Snapshot | None = None

    def render(self) -> Text:
        return self._text

    def on_resize(self) -> None:
        if self._snapshot is not None:
            self.update_snapshot(self._snapshot)

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        text = status_text(snapshot, self.size.width or 120)
        if text.plain != self._shown:  # the same line is not sent twice
            self._shown = text.plain
            self._text = text
            self.refresh()

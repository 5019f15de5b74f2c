"""One line: run state, epoch, losses, accuracy and the settings that matter most."""

from __future__ import annotations

from rich.text import Text

from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING, Snapshot
from nn_tui.training import format_loss
from nn_tui.ui.widgets.text_pane import TextPane

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
    metrics, settings = snapshot.metrics, snapshot.settings
    for name, label in (("train_loss", "train loss"), ("test_loss", "test loss")):
        if name in metrics:
            text.append(f"{gap}{label} {format_loss(metrics[name])}")
    if "test_accuracy" in metrics and not narrow:
        text.append(f"{gap}test acc {metrics['test_accuracy']:.3f}")
    # A kind names more metrics for this line in its settings: (metric, label, format) rows.
    for name, label, form in settings.get("status", ()):
        if name in metrics and metrics[name] is not None:
            text.append(f"{gap}{label} {form.format(metrics[name])}", style="bold")
    text.append(f"{gap}lr {settings['lr']:g}", style="cyan")
    for name in ("activation", "optimizer"):
        if name in settings:
            text.append(f"{gap}{settings[name]}", style="cyan")
    if not narrow:
        text.append(f"{gap}{snapshot.dataset}", style="dim")
    return text


class StatusLine(TextPane):
    """One line that changes ten times a second and never changes size."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; }
    """

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self.show(lambda width: status_text(snapshot, width))

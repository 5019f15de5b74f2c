"""One line: run state, epoch, losses, accuracy and the settings that matter most."""

from __future__ import annotations

from rich.text import Text

from nn_tui.kinds import KINDS
from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING, Snapshot
from nn_tui.training import format_loss
from nn_tui.ui.widgets.text_pane import TextPane

STATE_STYLES = {TRAINING: "bold green", PAUSED: "bold yellow", DIVERGED: "bold red"}
OVERFITTING_STYLE = "bold magenta"  # the loss plot marks the turn in the same colour
STATE_MARKS = {TRAINING: "▶", PAUSED: "‖", DIVERGED: "✖"}  # one cell wide in every terminal
# What the line shows unless the kind's registry entry says otherwise (its `status`
# hook, see nn_tui/kinds/base.py): metric rows (metric, label, format; format None
# prints a loss), then texts (the learning rate and the settings that matter most).
LOSSES = (("train_loss", "train loss", None), ("test_loss", "test loss", None))
WIDE_ONLY = ("test_accuracy",)  # dropped below 110 cells: the plot's right axis has it
DEFAULT_METRICS = (*LOSSES, ("test_accuracy", "test acc", "{:.3f}"))
DEFAULT_SETTINGS = ("activation", "optimizer")


def _metric(value, form) -> str:
    return format_loss(value) if form is None else form.format(value)


def status_text(snapshot: Snapshot, width: int = 120) -> Text:
    """The status line. Below 110 cells: single spaces, and no accuracy or data set name
    (the plot's right axis shows accuracy), so that it fits 80 columns."""
    narrow = width < 110
    gap = " " if narrow else "  "
    state = snapshot.status
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{STATE_MARKS[state]} {state}", style=STATE_STYLES[state])
    text.append(f"{gap}epoch {snapshot.epoch:,}", style="bold")
    if snapshot.pace is not None:  # a lesson's pace (f cycles it); the playground's is never set
        text.append(f"{gap}{snapshot.pace}", style="magenta")
    metrics, settings = snapshot.metrics, snapshot.settings
    kind = KINDS.get(snapshot.kind)
    own_metrics, own_texts = kind.status(settings) if kind is not None else (None, None)
    for name, label, form in own_metrics or DEFAULT_METRICS:
        if metrics.get(name) is not None and not (narrow and name in WIDE_ONLY):
            text.append(f"{gap}{label} {_metric(metrics[name], form)}")
    if snapshot.overfitting_since is not None and state != DIVERGED:  # beside the losses it is about
        since = snapshot.overfitting_since
        text.append(f"{gap}overfitting since {since:,}" if narrow else f"{gap}overfitting since epoch {since:,}",
                    style=OVERFITTING_STYLE)
    if own_texts is None:  # the default: the learning rate, then the kind's main choices
        own_texts = (f"lr {settings['lr']:g}", *(settings.get(name) for name in DEFAULT_SETTINGS))
    for value in own_texts:
        if value is not None:
            text.append(f"{gap}{value}", style="cyan")
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

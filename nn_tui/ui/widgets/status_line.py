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


# Below 110 cells, where the line's numbers (up to the overfitting mark) would be cut, it
# tries these in turn: (pace: 0 whole, 1 its name only, 2 left out; losses: without the word
# "loss"; mark: without the word "epoch"). The overfitting lesson's step 1 waits for
# "overfitting since epoch N": at 80 columns the mark was cut off after the losses.
NARROW_FORMS = ((0, False, False), (1, False, False), (1, True, False), (1, True, True), (2, True, True))


def status_text(snapshot: Snapshot, width: int = 120) -> Text:
    """The status line. Below 110 cells: single spaces, and no accuracy or data set name
    (the plot's right axis shows accuracy), and shorter words where the numbers would be
    cut (NARROW_FORMS), so that it fits 80 columns."""
    narrow = width < 110
    parts, needed = _parts(snapshot, narrow, NARROW_FORMS[0])
    for form in NARROW_FORMS[1:] if narrow else ():
        if needed <= width or (form[0] == 2 and snapshot.overfitting_since is None):
            break  # the pace goes only to make room for the mark (a step waits for it)
        parts, needed = _parts(snapshot, narrow, form)
    text = Text(no_wrap=True, overflow="ellipsis")
    for part, style in parts:
        text.append(part, style=style)
    return text


def _parts(snapshot: Snapshot, narrow: bool, form: tuple[int, bool, bool]) -> tuple[list, int]:
    """The line's (text, style) parts, and the cells its numbers need (through the
    overfitting mark)."""
    short_pace, short_losses, short_mark = form
    gap = " " if narrow else "  "
    state = snapshot.status
    parts = [(f"{STATE_MARKS[state]} {state}", STATE_STYLES[state]), (f"{gap}epoch {snapshot.epoch:,}", "bold")]
    if snapshot.pace is not None and short_pace < 2:  # a lesson's pace (f cycles it); never the playground's
        pace = snapshot.pace.split()[0] if short_pace else snapshot.pace  # "normal", "full"
        parts.append((f"{gap}{pace}", "magenta"))
    metrics, settings = snapshot.metrics, snapshot.settings
    kind = KINDS.get(snapshot.kind)
    own_metrics, own_texts = kind.status(settings) if kind is not None else (None, None)
    for name, label, form_ in own_metrics or DEFAULT_METRICS:
        if metrics.get(name) is not None and not (narrow and name in WIDE_ONLY):
            label = label.removesuffix(" loss") if short_losses else label
            parts.append((f"{gap}{label} {_metric(metrics[name], form_)}", ""))
    if snapshot.overfitting_since is not None and state != DIVERGED:  # beside the losses it is about
        since = f"{snapshot.overfitting_since:,}" if short_mark else f"epoch {snapshot.overfitting_since:,}"
        parts.append((f"{gap}overfitting since {since}", OVERFITTING_STYLE))
    needed = sum(len(part) for part, _ in parts)
    if own_texts is None:  # the default: the learning rate, then the kind's main choices
        own_texts = (f"lr {settings['lr']:g}", *(settings.get(name) for name in DEFAULT_SETTINGS))
    parts.extend((f"{gap}{value}", "cyan") for value in own_texts if value is not None)
    if not narrow:
        parts.append((f"{gap}{snapshot.dataset}", "dim"))
    return parts, needed


class StatusLine(TextPane):
    """One line that changes ten times a second and never changes size."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; }
    """

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self.show(lambda width: status_text(snapshot, width))

"""One line: run state, epoch, losses, accuracy and the settings that matter most."""

from __future__ import annotations

from dataclasses import dataclass

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
    (the plot's right axis shows accuracy). Where the line is wider than `width` it is
    shortened a step at a time (`_Line.shortenings`), so that no "name value" item is ever cut
    mid-way (the lstm at 80x24 ended "bits/char 4.484 lr", the autoencoder "noisy 10.8 lr")."""
    line = _Line.of(snapshot, narrow=width < 110)
    for change in (None, *line.shortenings()):
        if change is not None:
            setattr(line, *change)
        if line.width() <= width:
            break
    while line.texts_shown < len(line.texts):  # the numbers left out, room for a setting may be back
        line.texts_shown += 1
        if line.width() > width:
            line.texts_shown -= 1
            break
    parts = line.parts()
    text = Text(no_wrap=True, overflow="ellipsis")  # the ellipsis only where even the state and epoch do not fit
    for part, style in parts:
        text.append(part, style=style)
    return text


@dataclass
class _Line:
    """The line's items, and how far each is shortened."""

    snapshot: Snapshot
    narrow: bool
    metrics: list  # (name, label, value) of the kind's metric rows present, most important first
    texts: list  # the settings shown after them, most important (the learning rate) first
    pace: int = 0  # a lesson's pace: 0 whole, 1 its name only ("normal"), 2 left out
    short_losses: bool = False  # "train 0.0123", not "train loss 0.0123"
    short_mark: bool = False  # "overfitting since 90", not "since epoch 90"
    metrics_shown: int = 0
    texts_shown: int = 0
    wide_shown: bool = True  # the data set's name and the WIDE_ONLY metrics (at 110 cells and more)

    @classmethod
    def of(cls, snapshot: Snapshot, narrow: bool) -> "_Line":
        kind = KINDS.get(snapshot.kind)
        own_metrics, own_texts = kind.status(snapshot.settings) if kind is not None else (None, None)
        values = snapshot.metrics
        metrics = [(name, label, _metric(values[name], form)) for name, label, form in own_metrics or DEFAULT_METRICS
                   if values.get(name) is not None]
        if own_texts is None:  # the default: the learning rate, then the kind's main choices
            settings = snapshot.settings
            own_texts = (f"lr {settings['lr']:g}", *(settings.get(name) for name in DEFAULT_SETTINGS))
        texts = [value for value in own_texts if value is not None]
        return cls(snapshot, narrow, metrics, texts, metrics_shown=len(metrics), texts_shown=len(texts),
                   wide_shown=not narrow)

    @property
    def marked(self) -> bool:  # the overfitting mark, beside the losses it is about
        return self.snapshot.overfitting_since is not None and self.snapshot.status != DIVERGED

    def shortenings(self) -> list[tuple[str, object]]:
        """The changes tried in turn, least missed first: the data set's name and the test
        accuracy (the plot's right axis has it), the pace's speed, the settings
        after the learning rate (last first), the word "loss", the learning rate, the word
        "epoch" of the overfitting mark (the overfitting lesson's step 1 waits for "since
        epoch N"), then the pace (only before the numbers, for the mark: a lesson's learner
        reads the pace, f cycles it) and the metrics, last first."""
        paced = self.snapshot.pace is not None
        return [*((("wide_shown", False),) if self.wide_shown else ()),
                *((("pace", 1),) if paced else ()),
                *(("texts_shown", shown) for shown in range(len(self.texts) - 1, 0, -1)),
                ("short_losses", True),
                *((("texts_shown", 0),) if self.texts else ()),
                *((("short_mark", True), *((("pace", 2),) if paced else ())) if self.marked else ()),
                *(("metrics_shown", shown) for shown in range(len(self.metrics) - 1, -1, -1)),
                *((("pace", 2),) if paced else ())]

    def width(self) -> int:
        return sum(len(part) for part, _ in self.parts())

    def parts(self) -> list[tuple[str, str]]:
        """The line's (text, style) parts as shortened so far."""
        snapshot, gap = self.snapshot, " " if self.narrow else "  "
        state = snapshot.status
        parts = [(f"{STATE_MARKS[state]} {state}", STATE_STYLES[state]), (f"{gap}epoch {snapshot.epoch:,}", "bold")]
        if snapshot.pace is not None and self.pace < 2:  # a lesson's pace (f cycles it); never the playground's
            pace = snapshot.pace.split()[0] if self.pace else snapshot.pace  # "normal", "full"
            parts.append((f"{gap}{pace}", "magenta"))
        for name, label, value in self.metrics[:self.metrics_shown]:
            if name in WIDE_ONLY and not self.wide_shown:
                continue
            label = label.removesuffix(" loss") if self.short_losses else label
            parts.append((f"{gap}{label} {value}", ""))
        if self.marked:
            since = snapshot.overfitting_since
            since = f"{since:,}" if self.short_mark else f"epoch {since:,}"
            parts.append((f"{gap}overfitting since {since}", OVERFITTING_STYLE))
        parts.extend((f"{gap}{value}", "cyan") for value in self.texts[:self.texts_shown])
        if self.wide_shown:
            parts.append((f"{gap}{snapshot.dataset}", "dim"))
        return parts


class StatusLine(TextPane):
    """One line that changes ten times a second and never changes size."""

    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; padding: 0 1; }
    """

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self.show(lambda width: status_text(snapshot, width))

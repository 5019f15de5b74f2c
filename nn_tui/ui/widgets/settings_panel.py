"""The run's settings, each with the key that changes it (the Playground's controls, by keyboard)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from nn_tui.data import FEATURE_LABELS, FEATURES
from nn_tui.snapshot import Snapshot
from nn_tui.views import PlaneView


def settings_text(snapshot: Snapshot, plane: bool) -> Text:
    """Two columns of `key  name  value`, sized to fit 70 cells."""
    s = snapshot.settings
    hidden = ",".join(str(n) for n in s["hidden"]) or "none"
    pairs = [
        (("d", "data", snapshot.dataset), ("+ -", "learning rate", f"{s['lr']:g}")),
        (("z Z", "noise", f"{s['noise']:g}"), ("a", "activation", s["activation"])),
        (("t T", "train ratio", f"{s['train_ratio']:.0%}"), ("o", "optimizer", s["optimizer"])),
        (("b B", "batch size", str(s["batch_size"])), ("g h H", "regularise", f"{s['reg']} {s['reg_rate']:g}")),
        (("l L n N", "layers", hidden), ("", "output", f"{s['output_activation']}/{s['loss']}")),
        (("j J", "dropout", f"{s['dropout']:g}" if s.get("dropout") else "off"),
         ("M", "batch norm", "on" if s.get("batchnorm") else "off")),
    ]
    text = Text(no_wrap=True, overflow="ellipsis")
    for row, (left, right) in enumerate(pairs):
        if row:
            text.append("\n")
        for column, (keys, name, value) in enumerate((left, right)):
            text.append(f"{keys:<8}", style="bold cyan")
            text.append(f"{name:<14}", style="dim")
            text.append(f"{value:<14}" if column == 0 else value)
    if plane:
        text.append("\n")
        text.append(f"{'1-7':<8}", style="bold cyan")
        text.append(f"{'features':<14}", style="dim")
        for number, feature in enumerate(FEATURES, start=1):
            on = feature in s["features"]
            text.append(f"{number}", style="cyan")
            text.append(f"{FEATURE_LABELS[feature]} ", style="bold" if on else "dim")
    return text


class SettingsPanel(Static):
    DEFAULT_CSS = """
    SettingsPanel { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple | None = None

    def update_snapshot(self, snapshot: Snapshot) -> None:
        plane = snapshot.view(PlaneView) is not None
        key = (snapshot.dataset, tuple(snapshot.settings.items()), plane)
        if key != self._shown:  # settings change rarely; training does not redraw this pane
            self._shown = key
            self.update(settings_text(snapshot, plane))

"""The run's settings, each with the key that changes it (the Playground's controls, by keyboard)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from nn_tui.data import FEATURE_LABELS, FEATURES
from nn_tui.snapshot import Snapshot


def settings_table(snapshot: Snapshot, plane: bool) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(no_wrap=True)
    hidden = ",".join(str(n) for n in snapshot.hidden) or "none"
    rows = [
        ("d data", snapshot.dataset, "+/- lr", f"{snapshot.learning_rate:g}"),
        ("z/Z noise", f"{snapshot.noise:g}", "a activation", snapshot.activation),
        ("t/T train", f"{snapshot.train_ratio:.0%}", "o optimizer", snapshot.optimizer),
        ("b/B batch", str(snapshot.batch_size), "g/h reg", f"{snapshot.reg} {snapshot.reg_rate:g}"),
        ("l/L n/N layers", hidden, "output", f"{snapshot.output_activation} · {snapshot.loss}"),
    ]
    for row in rows:
        table.add_row(*row)
    if plane:
        features = Text()
        for number, feature in enumerate(FEATURES, start=1):
            on = feature in snapshot.features
            features.append(f"{number}", style="dim")
            features.append(f"{FEATURE_LABELS[feature]} ", style="bold" if on else "dim strike")
        table.add_row("features", features, "", "")
    return table


class SettingsPanel(Static):
    DEFAULT_CSS = """
    SettingsPanel { height: auto; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple | None = None

    def update_snapshot(self, snapshot: Snapshot) -> None:
        key = (snapshot.dataset, snapshot.noise, snapshot.train_ratio, snapshot.batch_size, snapshot.hidden,
               snapshot.learning_rate, snapshot.activation, snapshot.optimizer, snapshot.reg, snapshot.reg_rate,
               snapshot.features, snapshot.output_activation)
        if key != self._shown:  # settings change rarely; training does not redraw this pane
            self._shown = key
            self.update(settings_table(snapshot, snapshot.output_map is not None))

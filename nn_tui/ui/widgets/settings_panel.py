"""The run's settings, each with the key that changes it (the Playground's controls, by keyboard)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from nn_tui.data import FEATURE_LABELS, FEATURES
from nn_tui.snapshot import Snapshot, split_words
from nn_tui.views import PlaneView


def settings_cells(s: dict, dataset: str) -> list[tuple[str, str, str]]:
    """(keys, name, value) for each setting, in reading order. A setting whose key would
    change nothing on this data is left out (d's on a file of your own): the noise of a file or the digits, the train
    ratio of data with a test set of its own (the split is said on a line of its own)."""
    hidden = ",".join(str(n) for n in s["hidden"]) or "none"
    split = s.get("split") or {}
    config = s.get("config")
    own_file = config is not None and config.data.data is not None  # d does not switch a file
    cells = [("" if own_file else "d", "data", dataset), ("+ -", "learning rate", f"{s['lr']:g}")]
    if s.get("noise_applies", True):
        cells.append(("z Z", "noise", f"{s['noise']:g}"))
    cells.append(("a", "activation", s["activation"]))
    if not split.get("own"):
        cells.append(("t T", "train ratio", f"{s['train_ratio']:.0%}"))
    cells += [
        ("o", "optimizer", s["optimizer"]),
        ("b B", "batch size", str(s["batch_size"])), ("g h H", "regularise", f"{s['reg']} {s['reg_rate']:g}"),
        ("l L n N", "layers", hidden), ("", "output", f"{s['output_activation']}/{s['loss']}"),
        ("j J", "dropout", f"{s['dropout']:g}" if s.get("dropout") else "off"),
        ("M", "batch norm", "on" if s.get("batchnorm") else "off"),
    ]
    return cells


def settings_text(snapshot: Snapshot, plane: bool) -> Text:
    """Two columns of `key  name  value`, sized to fit 70 cells."""
    s = snapshot.settings
    cells = settings_cells(s, snapshot.dataset)
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, (keys, name, value) in enumerate(cells):
        column = index % 2
        if index and not column:
            text.append("\n")
        text.append(f"{keys:<8}", style="bold cyan")
        text.append(f"{name:<14}", style="dim")
        text.append(f"{value:<14}" if column == 0 else value)
    split = s.get("split") or {}
    if split.get("own"):  # no key: the data's own test set is what it is
        text.append(f"\n{'split':<8}", style="dim")
        text.append(split_words(split))
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

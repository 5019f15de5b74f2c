"""A GAN's settings, per network, each with the keys that change it."""

from __future__ import annotations

from rich.text import Text

from nn_tui.snapshot import Snapshot
from nn_tui.ui.widgets.text_pane import TextPane

TRAIN_LABELS = {None: "D and G", "d": "D only", "g": "G only"}


def gan_settings_text(snapshot: Snapshot, width: int = 46) -> Text:
    s = snapshot.settings
    rows = [
        ("layers", ",".join(map(str, s["g_layers"])) or "none", "l L n N", ",".join(map(str, s["d_layers"])) or "none",
         "i I j J"),
        ("activation", s["g_activation"], "a", s["d_activation"], "A"),
        ("optimizer", s["g_optimizer"], "o", s["d_optimizer"], "O"),
        ("lr", f"{s['g_lr']:g}", "[ ]", f"{s['d_lr']:g}", "{ }"),
        ("steps/epoch", str(s["g_steps"]), "", str(s["d_steps"]), "t T"),
    ]
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{'':<11} {'G generator':<17}D discriminator", style="bold")
    for name, g, g_keys, d, d_keys in rows:
        text.append(f"\n{name:<11} ", style="dim")
        text.append(f"{g:<9}")
        text.append(f"{g_keys:<8}", style="bold cyan")
        text.append(f"{d:<9}")
        text.append(d_keys, style="bold cyan")
    text.append("\ntrains ", style="dim")
    text.append(TRAIN_LABELS.get(s.get("trains")), style="bold")
    text.append(" e", style="bold cyan")
    text.append("  one update ", style="dim")
    text.append("1", style="bold cyan")
    text.append(" D ", style="dim")
    text.append("2", style="bold cyan")
    text.append(" G", style="dim")
    text.append(f"\nloss {s['gan_loss']}  noise {s['noise_dim']}-D {s['noise_type']} ", style="dim")
    text.append("z Z", style="bold cyan")
    text.append(f"\nbatch {s['gan_batch']} ", style="dim")
    text.append("b B", style="bold cyan")
    text.append("\nplane ", style="dim")
    text.append("k", style="bold cyan")
    text.append(" manifold ", style="dim")
    text.append("g", style="bold cyan")
    text.append(" G's push ", style="dim")
    text.append("d", style="bold cyan")
    text.append(" data", style="dim")
    return text


class GanSettings(TextPane):
    DEFAULT_CSS = """
    GanSettings { height: auto; width: 1fr; padding: 0 1; border-top: solid $primary 30%; }
    """

    def update_snapshot(self, snapshot: Snapshot) -> None:
        self.show(lambda width: gan_settings_text(snapshot, width))

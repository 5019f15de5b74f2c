"""A GAN's settings, per network, each with the keys that change it."""

from __future__ import annotations

from rich.text import Text

from nn_tui.snapshot import Snapshot
from nn_tui.ui.widgets.text_pane import TextPane

TRAIN_LABELS = {None: "D and G", "d": "D only", "g": "G only"}


WIDE = 46  # cells the two-column table needs; narrower panes get three short lines


def _short(lr: float) -> str:
    return f"{lr:.0e}".replace("e-0", "e-") if len(f"{lr:g}") > 5 else f"{lr:g}"


def compact_text(s, width: int) -> Text:
    """Three lines cut to the pane's width (Textual wraps a no_wrap Text in an auto-height pane)."""
    lines = []
    for who, keys in (("g", "l L n N a o [ ]"), ("d", "i I j J A O { }")):
        layers = ",".join(map(str, s[f"{who}_layers"])) or "none"
        line = Text(f"{who.upper()} {layers} {s[f'{who}_activation']} {s[f'{who}_optimizer']} {_short(s[f'{who}_lr'])} ")
        line.append(keys, style="bold cyan")
        lines.append(line)
    line = Text(f"{TRAIN_LABELS.get(s.get('trains'))} ", style="dim")
    for key, label in (("e", " · "), ("1", " D "), ("2", " G · "), ("k", " grid "), ("g", " push")):
        line.append(key, style="bold cyan")
        line.append(label, style="dim")
    lines.append(line)
    for line in lines:
        line.truncate(max(width, 1), overflow="ellipsis")
    return Text("\n", no_wrap=True).join(lines)


def gan_settings_text(snapshot: Snapshot, width: int = WIDE) -> Text:
    s = snapshot.settings
    if width < WIDE:
        return compact_text(s, width)
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

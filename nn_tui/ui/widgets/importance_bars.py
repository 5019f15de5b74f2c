"""Permutation importance as bars: each input column's cost in test accuracy when shuffled."""

from __future__ import annotations

from rich.text import Text

from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.ui.widgets.plotext_view import BLUE, hex_color


class ImportancePane(LessonText):
    DEFAULT_CSS = "ImportancePane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_importance(widget: ImportancePane, snapshot, view, ui) -> None:
    widget.border_title = "permutation importance (test split)"
    scores = getattr(view, "scores", None)

    def make(width):
        if not scores:
            return Text("nothing measured", style="dim")
        top = max(max(scores.values()), 1e-9)
        bar_width = max(4, width - 24)
        text = Text()
        for name, score in sorted(scores.items(), key=lambda kv: -kv[1]):
            bar = "█" * max(0, int(round(bar_width * max(score, 0) / top)))
            text.append(f"{name[:12]:<12} {score * 100:+5.1f}pp ", style="bold")
            text.append(bar + "\n", style=hex_color(BLUE))
        return text

    widget.show(make)

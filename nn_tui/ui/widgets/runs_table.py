"""A lesson's runs side by side: one row per run it has shown, with the numbers it
kept of each (UI-side, from snapshots), the run on screen marked."""

from __future__ import annotations

import re

from rich.text import Text

from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.lesson_pane import LessonText


class RunsTable(LessonText):
    DEFAULT_CSS = "RunsTable { height: auto; padding: 0 1; border: round $primary 40%; }"

    def show_rows(self, title, columns: tuple[str, ...], rows: list[tuple[str, tuple[str, ...], str]],
                  current: str) -> None:
        """rows: (run label, its cells, a style for the row or ""). ``title``: a string, or
        parts laid whole on the top border and, what does not fit there, the bottom one."""
        lay_title(self, [title] if isinstance(title, str) else list(title))

        def make(width: int) -> Text:
            widths = [1 + max(len(cell) for cell in column)
                      for column in zip(columns, *(cells for _, cells, _ in rows))]
            room = max(6, width - sum(widths) - 2)
            labels = [label for label, _, _ in rows]
            if any(len(label) > room for label in labels):  # 80x24: "ReLU + He + BN" was "ReLU + He +…"
                labels = [squeezed(label) for label in labels]
            label_width = min(max([len("run")] + [len(label) for label in labels]), room)

            def line(cells) -> str:
                return "".join(f"{cell:>{w}}" for cell, w in zip(cells, widths))

            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"  {'run':<{label_width}}" + line(columns) + "\n", style="dim")
            for (label, cells, style), name in zip(rows, labels):
                mark = "▶ " if label == current else "  "
                shown = name if len(name) <= label_width else name[:label_width - 1] + "…"
                text.append(f"{mark}{shown:<{label_width}}" + line(cells) + "\n",
                            style=style or ("bold" if label == current else ""))
            if not rows:
                text.append("  nothing trained yet\n", style="dim")
            text.rstrip()
            return text

        self.show(make)


def squeezed(label: str) -> str:
    """A run's label in fewer cells, every word kept: "ReLU + He + BN" -> "ReLU+He+BN"."""
    return re.sub(r"\s*\+\s*", "+", label)

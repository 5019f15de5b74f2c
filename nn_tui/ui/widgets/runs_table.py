"""A lesson's runs side by side: one row per run it has shown, with the numbers it
kept of each (UI-side, from snapshots), the run on screen marked."""

from __future__ import annotations

from rich.text import Text

from nn_tui.ui.widgets.lesson_pane import LessonText


class RunsTable(LessonText):
    DEFAULT_CSS = "RunsTable { height: auto; padding: 0 1; border: round $primary 40%; }"

    def show_rows(self, title: str, columns: tuple[str, ...], rows: list[tuple[str, tuple[str, ...], str]],
                  current: str) -> None:
        """rows: (run label, its cells, a style for the row or "")."""
        self.border_title = title

        def make(width: int) -> Text:
            label_width = max([len("run")] + [len(label) for label, _, _ in rows])
            widths = [1 + max(len(cell) for cell in column)
                      for column in zip(columns, *(cells for _, cells, _ in rows))]
            label_width = min(label_width, max(6, width - sum(widths) - 2))

            def line(cells) -> str:
                return "".join(f"{cell:>{w}}" for cell, w in zip(cells, widths))

            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"  {'run':<{label_width}}" + line(columns) + "\n", style="dim")
            for label, cells, style in rows:
                mark = "▶ " if label == current else "  "
                shown = label if len(label) <= label_width else label[:label_width - 1] + "…"
                text.append(f"{mark}{shown:<{label_width}}" + line(cells) + "\n",
                            style=style or ("bold" if label == current else ""))
            if not rows:
                text.append("  nothing trained yet\n", style="dim")
            text.rstrip()
            return text

        self.show(make)

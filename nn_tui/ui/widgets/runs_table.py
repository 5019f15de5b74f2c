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
            cell_width = max(7, *(len(c) + 1 for c in columns))
            label_width = min(label_width, max(8, width - cell_width * len(columns) - 2))
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(f"  {'run':<{label_width}}" + "".join(f"{c:>{cell_width}}" for c in columns) + "\n",
                        style="dim")
            for label, cells, style in rows:
                mark = "▶ " if label == current else "  "
                shown = label if len(label) <= label_width else label[:label_width - 1] + "…"
                text.append(f"{mark}{shown:<{label_width}}" + "".join(f"{c:>{cell_width}}" for c in cells) + "\n",
                            style=style or ("bold" if label == current else ""))
            if not rows:
                text.append("  nothing trained yet\n", style="dim")
            text.rstrip()
            return text

        self.show(make)

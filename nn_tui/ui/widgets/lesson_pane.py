"""The lesson screen's own widgets: the numbered steps, a text pane that grows with its
text, and a plot of named curves. A lesson's particular panes (in its ``screen``
module) are built from these; their ``draw(widget, snapshot, view, ui)`` reads the
lesson's state from ``ui.state`` (a LessonState) and the views.
"""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.loss_plot import epoch_ticks, finite
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, PlotextView, hex_color
from nn_tui.ui.widgets.text_pane import TextPane

GREEN = (60, 170, 90)
CURVE_COLORS = (ORANGE, GREY, BLUE)  # curves side by side on one plot


class LessonText(TextPane):
    """A TextPane whose height follows its wrapped text at every width."""

    def on_resize(self) -> None:
        self._shown = None  # the same text wraps to another number of lines
        super().on_resize()


class StepsPane(LessonText):
    """Numbered steps: done ones in one line, the current one in full and highlighted,
    the ones to come in one line; a short form (only the current one) when small."""

    DEFAULT_CSS = "StepsPane { height: auto; padding: 0 1; border: round $accent; }"
    _title = ""

    def on_resize(self) -> None:
        self._show_title()
        super().on_resize()

    def _show_title(self) -> None:
        """The lesson's title, shortened to what fits the top border (only when it changed:
        an assignment repaints the pane)."""
        title = fitting_title(self._title, self.outer_size.width - 6)  # corners, a rule, a space each side
        if getattr(self, "_shown_title", None) != title:
            self._shown_title = self.border_title = title

    def show_steps(self, lesson, index: int, run_line: str, short: bool, goal_line: str = "",
                   keys: dict[str, str] | None = None) -> None:
        self._title = lesson.title
        self._show_title()
        self.show(lambda width: steps_text(lesson, index, run_line, short, width, goal_line, keys))


def fitting_title(title: str, room: int) -> str:
    """The title whole where it fits in `room` cells; else its part before the colon
    ("Backpropagation: one sample, every number" -> "Backpropagation"); else its first
    whole words and "…" (never a word cut in two)."""
    if room <= 0 or cell_len(title) <= room:
        return title
    head = title.split(":")[0].strip()
    if head != title and cell_len(head) <= room:
        return head
    words = head.split()
    shown = ""
    for word in words:
        if cell_len(f"{shown} {word}".strip()) + 1 > room:
            break
        shown = f"{shown} {word}".strip()
    return (shown or head[:max(room - 1, 1)]) + "…"


# The navigation hints under the steps: (the screen's action, what it does), each shown
# with the key the screen's controls table binds to it (left out where none is bound).
NAVIGATION_HINTS = (("lesson_next_step", "next step"), ("lesson_back", "back"), ("lesson_pace", "pace"),
                    ("lessons", "lessons"), ("lesson_playground", "playground"), ("help", "keys"))


def steps_text(lesson, index: int, run_line: str = "", short: bool = False, width: int = 60,
               goal_line: str = "", keys: dict[str, str] | None = None) -> Text:
    """The steps, the current one in full; `goal_line` under it once its goal is met.
    `keys`: action -> the key bound to it on the screen (for the hints)."""
    keys = keys or {}
    steps = lesson.steps
    text = Text()
    if run_line:
        text.append(run_line + "\n", style="bold magenta")
    for number, step in enumerate(steps):
        if number == index:
            text.append(f"▶ {number + 1}/{len(steps)}. ", style="bold reverse")
            text.append(step.text + "\n", style="bold")
            if goal_line:
                text.append(f"✓ {goal_line}\n", style="bold green")
        elif not short:
            mark = "✓" if number < index else " "
            line = f"{mark} {number + 1}. {step.text}"
            cut = max(10, width - 1)
            text.append((line[:cut - 1] + "…" if len(line) > cut else line) + "\n",
                        style="dim" if number < index else "")
    if index >= len(steps):
        after = [f"{keys[action]}: {what}" for action, what in (("lessons", "another lesson"),
                 ("lesson_playground", "the playground with this network")) if action in keys]
        text.append(" ".join(["✓ All steps done.", " · ".join(after)]).rstrip() + "\n", style="bold green")
    if not short:
        text.append(" · ".join(f"{keys[action]} {what}" for action, what in NAVIGATION_HINTS if action in keys) + "\n",
                    style="dim")
    text.rstrip()
    return text


# -------------------------------------------------------------------- the plots
class SeriesPlot(PlotextView):
    """Named curves ((label, x, y, colour)); the legend is the border title."""

    DEFAULT_CSS = "SeriesPlot { height: 1fr; border: round $primary 40%; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._series: tuple = ()
        self._xlabel = ""
        self._scatter = False
        self._ylim = None
        self._whole_x = False

    def update_series(self, title: str, series, xlabel: str = "", scatter: bool = False, ylim=None,
                      whole_x: bool = False) -> None:
        """whole_x: the x values are counts (links, units), so the axis shows whole numbers
        (plotext would print 2367.25 links). ``title``: a string, or parts laid whole on the
        top border and, what does not fit there, the bottom one."""
        self._title_parts = [title] if isinstance(title, str) else list(title)
        lay_title(self, self._title_parts)
        self._series, self._xlabel, self._scatter, self._ylim = tuple(series), xlabel, scatter, ylim
        self._whole_x = whole_x
        self.rebuild()

    def content_key(self):
        return tuple((label, len(x), float(x[-1]) if len(x) else 0.0, float(np.sum(y)) if len(y) else 0.0)
                     for label, x, y, _ in self._series) or None

    def draw(self, plt, width, height):
        for label, x, y, color in self._series:
            if len(x):
                draw = plt.scatter if self._scatter else plt.plot
                draw(list(map(float, x)), finite(y), color=color, marker="braille")
        if self._xlabel:
            plt.xlabel(self._xlabel)
        if self._ylim is not None:
            plt.ylim(*self._ylim)
        xs = [float(v) for _, x, _, _ in self._series for v in x]
        if self._whole_x and xs:
            plt.xticks(*epoch_ticks(min(xs), max(xs), most=max(2, min(5, width // 9))))


def legend(items) -> str:
    return " ".join(f"[{hex_color(color)}]━ {label}[/]" for label, color in items)

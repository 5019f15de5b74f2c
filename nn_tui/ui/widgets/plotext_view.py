"""A widget that shows a plotext chart and sends only the lines that changed.

plotext draws the whole chart as text on every build; a widget's plain
`refresh()` would then send every cell of the chart to the terminal. Here the
chart's lines are kept as Strips, and only the lines that differ from the last
build are refreshed: axes, labels and the flat parts of curves cost nothing
after the first frame. Subclasses say what to draw (`draw`) and when the chart
needs rebuilding (`content_key`).
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual_plotext.plot import Plot

from nn_tui.ui import palette

BLUE = (8, 119, 189)  # the palette's positive colour
ORANGE = (245, 147, 34)  # the palette's negative colour
GREY = (140, 140, 140)


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % rgb


class PlotextView(Widget):
    DEFAULT_CSS = """
    PlotextView { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._plot = Plot()
        self._strips: list[Strip] = []
        self._built_for: object = None

    # Subclasses ------------------------------------------------------------------
    def content_key(self) -> object:
        """Anything that changes when the chart must be drawn again; None: nothing to draw."""
        raise NotImplementedError

    def draw(self, plt: Plot, width: int, height: int) -> None:
        """Draw the chart with plotext calls on `plt` (already cleared and sized)."""
        raise NotImplementedError

    # Machinery -------------------------------------------------------------------
    def on_resize(self) -> None:
        self.rebuild(force=True)

    def rebuild(self, force: bool = False) -> None:
        width, height = self.size
        content = self.content_key()
        if content is None or width < 10 or height < 4:
            return
        key = (content, width, height)
        if key == self._built_for and not force:
            return
        self._built_for = key
        strips = self._render_chart(width, height)
        old, self._strips = self._strips, strips
        if len(old) != len(strips) or force:
            self.refresh()
            return
        for y, (before, after) in enumerate(zip(old, strips)):
            if before != after:
                self.refresh(Region(0, y, width, 1))

    def _render_chart(self, width: int, height: int) -> list[Strip]:
        plt = self._plot
        plt.clear_figure()
        plt.theme("clear")
        plt.plotsize(width, height)
        plt._set_size(width, height)  # textual-plotext issue 5: plotsize alone misses resizes
        plt.frame(False)
        self.draw(plt, width, height)
        lines = Text.from_ansi(plt.build()).split("\n", allow_blank=True)
        console = self.app.console
        # Under the chart's own colours, a light theme's: plotext's axes and blanks have none
        # (on dark themes the terminal's own colours are close, and cost no bytes).
        base = self.rich_style if palette.has_background() else Style()
        strips = [
            Strip(list(line.render(console)), line.cell_len).adjust_cell_length(width).apply_style(base).simplify()
            for line in lines[:height]
        ]
        blank = Strip([Segment(" " * width, base)], width)
        return strips + [blank] * (height - len(strips))

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, Style())  # a style, not None: NO_COLOR's filter needs one

"""Train and test loss (and accuracy) against epoch, drawn with plotext.

plotext draws the whole chart as text on every build; a widget's plain
`refresh()` would then send every cell of the chart to the terminal. Instead the
chart's lines are kept as Strips, and only the lines that differ from the last
build are refreshed: the axes, labels and the flat parts of the curves cost
nothing after the first frame.
"""

from __future__ import annotations

import numpy as np
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual_plotext.plot import Plot

from nn_tui.snapshot import History

TRAIN_COLOR = (8, 119, 189)  # the palette's blue
TEST_COLOR = (245, 147, 34)  # the palette's orange
ACCURACY_COLOR = (140, 140, 140)


def downsample(x: np.ndarray, ys: list[np.ndarray], points: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """At most `points` evenly spaced samples, always keeping the first and last."""
    if len(x) <= points:
        return x, ys
    index = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
    return x[index], [y[index] for y in ys]


class LossPlot(Widget):
    DEFAULT_CSS = """
    LossPlot { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._plot = Plot()
        self._history: History | None = None
        self._strips: list[Strip] = []
        self._built_for: tuple | None = None  # (history identity, size) of the last build
        self.show_accuracy = True

    def on_mount(self) -> None:
        self.border_title = self._legend()

    def _legend(self) -> str:
        """The legend lives in the border: plotext's own legend covers the curves."""
        def hex_(rgb):
            return "#%02x%02x%02x" % rgb

        legend = f"loss [{hex_(TRAIN_COLOR)}]━ train[/] [{hex_(TEST_COLOR)}]━ test[/]"
        if self.show_accuracy and self._history is not None and self._history.test_accuracy is not None:
            legend += f" [{hex_(ACCURACY_COLOR)}]┈ test accuracy (right axis)[/]"
        return legend

    def update_history(self, history: History) -> None:
        """Show a new history; a no-op when neither it nor the size changed."""
        had_accuracy = self._history is not None and self._history.test_accuracy is not None
        self._history = history
        if had_accuracy != (history.test_accuracy is not None):
            self.border_title = self._legend()
        self._rebuild()

    def on_resize(self) -> None:
        self._rebuild(force=True)

    def _rebuild(self, force: bool = False) -> None:
        history = self._history
        width, height = self.size
        if history is None or width < 10 or height < 5:
            return
        key = (len(history.epochs), history.epochs[-1] if len(history.epochs) else None,
               history.train_loss[-1] if len(history.epochs) else None, width, height, self.show_accuracy)
        if key == self._built_for and not force:
            return
        self._built_for = key
        strips = self._render_chart(history, width, height)
        old = self._strips
        self._strips = strips
        if len(old) != len(strips) or force:
            self.refresh()
            return
        for y, (before, after) in enumerate(zip(old, strips)):
            if before != after:
                self.refresh(Region(0, y, width, 1))

    def _render_chart(self, history: History, width: int, height: int) -> list[Strip]:
        plt = self._plot
        plt.clear_figure()
        plt.theme("clear")
        plt.plotsize(width, height)
        plt._set_size(width, height)  # see textual-plotext issue 5: plotsize alone misses resizes
        x, (train, test, *acc) = downsample(
            history.epochs,
            [history.train_loss, history.test_loss]
            + ([history.test_accuracy] if history.test_accuracy is not None and self.show_accuracy else []),
            2 * width,
        )
        if len(x):
            plt.plot(x.tolist(), _finite(train), color=TRAIN_COLOR, marker="braille")
            plt.plot(x.tolist(), _finite(test), color=TEST_COLOR, marker="braille")
            if acc:
                plt.plot(x.tolist(), _finite(acc[0]), color=ACCURACY_COLOR,
                         marker="braille", yside="right")
        plt.xlabel("epoch")
        plt.frame(False)
        text = Text.from_ansi(plt.build())
        lines = text.split("\n", allow_blank=True)
        console = self.app.console
        strips = [
            Strip(list(line.render(console)), line.cell_len).adjust_cell_length(width).simplify()
            for line in lines[:height]
        ]
        blank = Strip([Segment(" " * width, Style())], width)
        strips += [blank] * (height - len(strips))
        return strips

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width)


def _finite(values: np.ndarray) -> list[float]:
    """plotext chokes on NaN/inf: show them as gaps at the last good value."""
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        good = np.isfinite(values)
        fill = values[good][-1] if good.any() else 0.0
        values = np.where(good, values, fill)
    return values.tolist()

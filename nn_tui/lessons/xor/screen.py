"""The xor lesson's screen: the rows each epoch got wrong, and on a small screen the
hidden units' maps drawn large. Imported only by the UI."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nn_tui.ui import palette
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets._raster import blank_frame, write_text
from nn_tui.ui.widgets.borders import set_border_title
from nn_tui.ui.widgets.image_grid import ImageGrid, ImageRow, shrink
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.views import NetworkView


class MistakesPane(LessonText):
    DEFAULT_CSS = "MistakesPane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_mistakes(widget: MistakesPane, snapshot, view, ui) -> None:
    """The perceptron run: its wrong rows (of four) after each epoch; a network: its accuracy."""
    history = snapshot.history
    accuracy = history.get("train_accuracy")
    on_gates = snapshot.kind == "perceptron"
    widget.border_title = "rows wrong after each epoch" if on_gates else "accuracy"

    def make(width):
        if accuracy is None or not len(accuracy):
            return Text("no epochs yet")
        if on_gates:
            wrong = np.rint((1.0 - np.asarray(accuracy[1:], float)) * 4).astype(int)  # four rows
            shown = wrong[-max(1, (width - 2) // 2):]
            text = Text(" ".join(str(w) for w in shown) or "press Space", style="bold")
            if len(wrong):
                # snapshot.epoch, not len(wrong): a long run's history keeps only some epochs
                text.append(f"\nfewest wrong: {wrong.min()} of 4, epochs: {snapshot.epoch:,}", style="dim")
            return text
        test = snapshot.metrics.get("test_accuracy")
        return Text(f"test accuracy {test:.1%}" if test is not None else "", style="bold")

    widget.show(make)


# Step 3 asks the learner to read each hidden unit's map. At 80x24 the network picture has
# 6 rows, so its boxes are 2x1 cells (no line to see): a pane under the steps draws the
# maps side by side instead, as large as its room allows (8x8 pixels at step 3).
LARGEST_MAP, SMALLEST_MAP = 16, 6  # pixels a side; smaller shows no line, so it is not drawn


def map_side(count: int, rows: int, cols: int) -> int:
    """The largest square map (pixels a side, even: one cell is 1x2 pixels) of which
    `count` fit in rows x cols cells, a caption row under each row of maps; 0: none fit."""
    for side in range(LARGEST_MAP, SMALLEST_MAP - 1, -2):
        per_row = (cols + 1) // (side + 1)
        if per_row and math.ceil(count / per_row) * (side // 2 + 1) <= rows:
            return side
    return 0


class HiddenUnitMaps(ImageGrid):
    """Each unit of the first hidden layer: its output over the input plane."""

    DEFAULT_CSS = "HiddenUnitMaps { height: 1fr; padding: 0 1; border: round $primary 40%; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._maps = np.zeros((0, 1, 1))
        self.side = 0  # pixels a side of each map as last drawn (0: no room for them)

    def show_maps(self, maps: np.ndarray) -> None:
        self._maps = maps
        self._redraw()

    def _draw(self, rows: int, cols: int) -> np.ndarray:
        count = len(self._maps)
        self.side = map_side(count, rows, cols) if count else 0
        if not count:
            return blank_frame(rows, cols)
        if not self.side:
            frame = blank_frame(rows, cols)
            write_text(frame, 0, 0, f"{count} maps: no room under this step's text"[:cols],
                       palette.TEXT_DIM)
            return frame
        maps = np.stack([shrink(unit_map, self.side, self.side) for unit_map in self._maps])
        self._rows = [ImageRow("", maps, tuple(f"h{k + 1}" for k in range(count)), scale=1)]
        return super()._draw(rows, cols)


def draw_hidden_maps(widget: HiddenUnitMaps, snapshot, view: NetworkView, ui) -> None:
    maps = view.neuron_maps[1] if len(view.sizes) > 2 and len(view.neuron_maps) > 1 else None
    widget.set_class(maps is None or np.ndim(maps) != 3, "no-view")  # the perceptron has none
    if maps is not None and np.ndim(maps) == 3:
        set_border_title(widget, f"the hidden neurons' maps, h1–h{len(maps)}")
        widget.show_maps(np.asarray(maps, dtype=np.float64))


# Step 3 asks the learner to read each hidden unit's map: in a third of the column they
# are 2x2 pixels (no line to see); twice the share of the plane and the loss makes them 6x6.
PANE_HEIGHTS = {"topology": "2fr"}
PANES = {"mistakes": Pane("mistakes", widget=MistakesPane, draw=draw_mistakes, group="plot"),
         "hidden_maps": Pane("hidden_maps", NetworkView, widget=HiddenUnitMaps, draw=draw_hidden_maps)}

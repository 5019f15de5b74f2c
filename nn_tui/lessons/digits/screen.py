"""The digits lesson's screen: each hidden neuron's incoming weights as an image.
Imported only by the UI."""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.ui.widgets.plotext_view import BLUE, ORANGE, hex_color
from nn_tui.views import NetworkView


class WeightImages(LessonText):
    DEFAULT_CSS = "WeightImages { height: 1fr; padding: 0 1; border: round $primary 40%; }"


def draw_weight_images(widget: WeightImages, snapshot, view: NetworkView, ui) -> None:
    weights = np.asarray(view.weights[0])
    side = int(round(math.sqrt(weights.shape[0])))
    # At 80x24 "each hidden neuron's weights …": the colours' key goes on the bottom border.
    lay_title(widget, [("each hidden neuron's weights as an image", "each hidden neuron's weights"),
                       "blue +, orange −"])

    def make(width):
        if side * side != weights.shape[0]:
            return Text("the inputs are not a square image")
        per_row = max(1, (width + 1) // (side + 1))
        height = max(1, widget.content_size.height or 20)
        # Rows of tiles, a blank row between two, and the note's row when not all fit (it
        # was drawn under a trailing blank row, below the pane's edge at 120x40).
        rows_of_tiles = max(1, (height + 1) // (side // 2 + 1))
        if rows_of_tiles * per_row < weights.shape[1]:
            rows_of_tiles = max(1, height // (side // 2 + 1))
        count = min(weights.shape[1], per_row * rows_of_tiles)
        scale = float(np.max(np.abs(weights))) or 1.0
        text = Text(no_wrap=True)
        for first in range(0, count, per_row):
            tiles = [weights[:, k].reshape(side, side) / scale for k in range(first, min(first + per_row, count))]
            for row in range(0, side, 2):
                for tile in tiles:
                    for column in range(side):
                        top, bottom = tile[row, column], tile[min(row + 1, side - 1), column]
                        text.append("▀", style=f"{_shade(top)} on {_shade(bottom)}")
                    text.append(" ")
                text.append("\n")
            if first + per_row < count:
                text.append("\n")
        if count < weights.shape[1]:
            text.append(f"{count} of {weights.shape[1]} neurons shown (a larger window shows more)", style="dim")
        return text

    widget.show(make)


def _shade(value: float) -> str:
    """-1..1 to a colour: orange for negative, blue for positive, dark near zero."""
    value = max(-1.0, min(1.0, float(value)))
    base = BLUE if value >= 0 else ORANGE
    strength = abs(value) ** 0.7
    return hex_color(tuple(int(20 + (c - 20) * strength) for c in base))


PANES = {"weight_images": Pane("weight_images", NetworkView, widget=WeightImages, draw=draw_weight_images,
                               group="output")}

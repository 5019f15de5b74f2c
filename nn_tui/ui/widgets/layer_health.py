"""Each layer's activations over time, and each weight layer's gradient size.

Per hidden layer, a strip in braille dots: time runs left to right (two recorded
moments a cell), the layer's output values bottom (low) to top (high, four bins a
row), and a dot marks a bin that holds at least a quarter of that moment's fullest
bin. A saturated sigmoid layer has dots only at its top and bottom; a dead ReLU layer
only at its bottom. Under the strips, one bar per weight layer: the norm of its
last weight gradient on a log scale, so a gradient that vanishes towards the input
is a row of shrinking bars. Drawn as plain text (a TextPane): a frame that did not
change sends nothing, and one that did is a few shading characters per row.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nn_tui.kinds.layer_health import LayerHealthView
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, hex_color
from nn_tui.ui.widgets.text_pane import TextPane

DOT_SHARE = 0.25  # a bin with this share of its moment's fullest bin gets a dot
BARS = " ▏▎▍▌▋▊▉█"
LABEL = 9  # "h1 relu " columns before a strip
STATE = 10  # " dead  12%" after it
GRADIENT = 24  # " W1 ██████▌   8.8e-04": the gradient of the weights feeding the layer
NARROW = 56  # below: "h1", " 80%", " 7e-04"
NARROW_LABEL, NARROW_STATE, NARROW_GRADIENT = 4, 5, 8
VANISHED = 1e-5  # a gradient norm below this is drawn in the warning colour
# The gradient bars' log scale: from 1e-8 (nothing) to 1e2 (the whole bar).
LOG_LOW, LOG_HIGH = -8.0, 2.0


class LayerHealthPane(TextPane):
    DEFAULT_CSS = "LayerHealthPane { height: 1fr; padding: 0 1; border: round $primary 40%; }"
    # The deep lesson's 80x24 pane cut it at "layers: activations over time…".
    TITLE = [("layers: activations over time", "activations over time"), "gradient size"]

    def on_resize(self) -> None:  # TextPane's on_resize redraws the text (Textual calls both)
        lay_title(self, self.TITLE)


def merged_bins(histograms: np.ndarray, count: int) -> np.ndarray:
    """(T, BINS) shares -> (T, count) shares of fewer, wider bins (low values first)."""
    edges = np.linspace(0, histograms.shape[-1], count + 1).round().astype(int)
    return np.add.reduceat(histograms.astype(np.float64), edges[:-1], axis=-1)


# Braille dots by (row in the cell, column in the cell): a cell is 4 bins high, 2 moments wide.
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def braille_rows(histograms: np.ndarray, rows: int, cells: int) -> list[str]:
    """A strip `rows` high and `cells` wide in braille: 4 bins a row (the top row the
    highest values), 2 moments a cell; a dot where a bin holds at least DOT_SHARE of its
    moment's fullest bin."""
    merged = merged_bins(histograms, 4 * rows)  # (T, 4 rows)
    top = merged.max(axis=-1, keepdims=True)
    on = (merged >= DOT_SHARE * np.where(top > 0, top, np.inf)) & (merged > 0)
    on = on[:, ::-1]  # the highest bin first
    codes = np.zeros((rows, cells), np.int64)
    for moment in range(min(len(on), 2 * cells)):
        cell, side = divmod(moment, 2)
        for bin_index in np.flatnonzero(on[moment]):
            row, dot = divmod(int(bin_index), 4)
            codes[row, cell] |= _DOTS[dot][side]
    return ["".join(chr(0x2800 + code) if code else " " for code in line) for line in codes]


def columns_for(count: int, width: int) -> np.ndarray:
    """Which recorded moments fill a strip `width` wide: all (left-aligned) while they fit."""
    if count <= width:
        return np.arange(count)
    return np.linspace(0, count - 1, width).round().astype(int)


def state_text(view: LayerHealthView, layer: int, narrow: bool) -> tuple[str, str]:
    """" dead  12%" (ReLU) or " sat   80%" (sigmoid, tanh) and its style; " 12%" when narrow."""
    activation = view.activations[layer]
    width = NARROW_STATE if narrow else STATE
    if activation not in ("relu", "sigmoid", "tanh"):
        return " " * width, ""
    share = float(view.dead[layer] if activation == "relu" else view.saturated[layer])
    word = "dead" if activation == "relu" else "sat"
    shown = f" {share:3.0%}" if narrow else f" {word:<4} {share:4.0%}"
    return shown.ljust(width), "bold red" if share >= 0.5 else "dim"


def gradient_bar(norm: float, width: int) -> str:
    if not math.isfinite(norm) or norm <= 0:
        return ""
    share = (math.log10(norm) - LOG_LOW) / (LOG_HIGH - LOG_LOW)
    eighths = int(round(min(max(share, 0.0), 1.0) * width * 8))
    return "█" * (eighths // 8) + (BARS[eighths % 8] if eighths % 8 else "")


def health_text(view: LayerHealthView, width: int, height: int) -> Text:
    """Per hidden layer a strip of rows (label, histograms over time, its state, and the
    gradient of the weights feeding it); then the output layer's gradient. Narrower than
    NARROW columns: short labels and states, the gradients as numbers without bars."""
    narrow = width < NARROW
    label_width, state_width = (NARROW_LABEL, NARROW_STATE) if narrow else (LABEL, STATE)
    gradient_width = NARROW_GRADIENT if narrow else GRADIENT
    text = Text(no_wrap=True, overflow="crop")
    layers, weights = len(view.names), len(view.grad_names)
    strip_width = max(width - label_width - state_width - gradient_width, 4)
    rows = max(1, min(6, (height - 2) // max(layers, 1)))
    picked = columns_for(len(view.epochs), 2 * strip_width)
    norms = view.grad_norms[-1] if len(view.grad_norms) else np.zeros(weights)
    epoch = int(view.epochs[-1]) if len(view.epochs) else 0
    heading = "time →" if narrow else "outputs over time →"
    states = "" if not narrow else ("dead" if "relu" in view.activations else "sat")
    if height >= layers + (weights - layers) + 1:  # the heading, when every layer keeps its row
        text.append(f"{'':<{label_width}}{heading:<{strip_width}}{states:>{state_width}}"[:width - gradient_width],
                    style="dim")
        text.append((" ‖∂L/∂W‖" if narrow else f" ‖∂L/∂W‖ log, ep {epoch}")[:gradient_width] + "\n", style="dim")
    for layer in range(layers):
        lines = braille_rows(view.histograms[layer][picked], rows, strip_width)
        state, state_style = state_text(view, layer, narrow)
        low, high = view.ranges[layer]
        name = view.names[layer] if narrow else f"{view.names[layer]} {view.activations[layer][:4]}"
        for row in range(rows):
            label = name if row == 0 else (f" {low:g}..{high:g}" if row == rows - 1 and not narrow else "")
            text.append(f"{label:<{label_width}}"[:label_width], style="bold" if row == 0 else "dim")
            text.append(lines[row], style=hex_color(BLUE))
            if row == 0:
                text.append(state, style=state_style)
                if layer < weights:
                    _gradient(text, view.grad_names[layer], float(norms[layer]), narrow)
            text.append("\n")
    for index in range(layers, weights):  # the output layer (and any weight layer without an activation)
        text.append(f"{'out':<{label_width}}{'':<{strip_width + state_width}}", style="bold")
        _gradient(text, view.grad_names[index], float(norms[index]), narrow)
        text.append("\n")
    text.rstrip()
    return text


def _gradient(text: Text, name: str, norm: float, narrow: bool) -> None:
    style = hex_color(ORANGE if norm < VANISHED else GREY)
    if narrow:
        text.append(f" {norm:7.0e}"[:NARROW_GRADIENT], style=style)
        return
    bar = GRADIENT - 13
    text.append(f" {name:<3}", style="bold")
    text.append(gradient_bar(norm, bar).ljust(bar), style=style)
    text.append(f"{norm:8.1e}"[-8:].rjust(9))


def draw_layer_health(widget: LayerHealthPane, snapshot, view: LayerHealthView, ui) -> None:
    lay_title(widget, widget.TITLE)
    widget.show(lambda width: health_text(view, width, widget.content_size.height or 12))

"""The CNN's screen: the selected test digit and the answer for it, every conv layer's
filters and feature maps for that digit, the dense layers, the confusion matrix, the
misclassified digits and the curves.

Imported only by the UI. Which test digit is shown is the run's (a kind command moves
it, so a snapshot carries one digit's maps); whether filters show their weights or
their last gradients, and which input channel a deeper filter shows, are the
screen's own (`CnnUi`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.cells import cell_len

from nn_tui.kinds.cnn.probes import ConvView, MistakesView
from nn_tui.kinds.layer_health import LayerHealthView
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint, with_hints
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.class_bars import ORANGE, ClassBars
from nn_tui.ui.widgets.borders import set_border_title
from nn_tui.ui.widgets.image_grid import ImageGrid, ImageRow, nice_scale
from nn_tui.ui.widgets.layer_health import LayerHealthPane, draw_layer_health
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.test_set_views import ConfusionMatrix, confusion_title
from nn_tui.views import ConfusionView

DENSE_PER_LINE = 32  # neurons per line of the dense part: 128 neurons take 4 lines


@dataclass
class CnnUi:
    show_gradients: bool = False
    channel: int = 0  # the input channel a filter of a deeper conv layer shows
    show_health: bool = False  # the layer-health pane (activations over time, gradient sizes)

    def toggle_layer_health(self, screen) -> None:
        self.show_health = not self.show_health
        screen.show_all()

    def toggle_gradients(self, screen) -> None:
        self.show_gradients = not self.show_gradients
        screen.show_all()

    def shift_channel(self, screen, delta: int) -> None:
        view = screen.session.snapshot.view(ConvView)
        most = max((f.shape[1] for f in view.filters), default=1) if view is not None else 1
        self.channel = (self.channel + delta) % max(most, 1)
        screen.show_all()


def make_ui() -> CnnUi:
    return CnnUi()


# --- drawing: view -> widget --------------------------------------------------
def noun(snapshot) -> str:
    """What a test sample is called on screen: the built-in digits, or anyone's images."""
    return "digit" if snapshot.dataset == "digits" else "image"


def draw_digit(widget: ClassBars, snapshot, view: ConvView, ui: CnnUi) -> None:
    names = view.class_names or tuple(str(i) for i in range(len(view.probabilities)))
    verdict = "right" if view.predicted == view.label else "wrong"
    widget.show_answer(view.image, view.probabilities, view.label, names,
                       f"test {noun(snapshot)} {view.sample + 1}/{view.n_samples}: true {names[view.label]}, "
                       f"predicted {names[view.predicted]} ({verdict})")


def layer_rows(view: ConvView, ui: CnnUi) -> list[ImageRow]:
    """Per conv layer a row of its filters (one input channel each) and one of its maps."""
    rows = []
    weights = view.filter_grads if ui.show_gradients else view.filters
    for i, (w, maps) in enumerate(zip(weights, view.feature_maps)):
        channel = ui.channel % w.shape[1]
        shown = w[:, channel]
        rows.append(ImageRow(f"conv{i + 1}{'∂W' if ui.show_gradients else ' W'}",
                             shown / nice_scale(w), scale=1))
        rows.append(ImageRow(f" maps{i + 1}", maps / nice_scale(maps)))
    for j, out in enumerate(view.dense):
        n = len(out)
        lines = -(-n // DENSE_PER_LINE)
        grid = np.full(lines * DENSE_PER_LINE if n > DENSE_PER_LINE else n, np.nan)
        grid[:n] = out / nice_scale(out)
        grid = grid.reshape(lines, -1)
        rows.append(ImageRow(f"fc{n}", np.repeat(grid, 2, axis=0)[None], scale=1))
    return rows


def layers_titles(widget, snapshot, ui: CnnUi, channels: int) -> tuple[str, str]:
    """The filters pane's title and bottom-border text: the longest title that is drawn
    whole; where the key hints do not fit on it they go on the bottom border."""
    what = "their last gradients ∂L/∂W" if ui.show_gradients else "weights"
    short = "gradients" if ui.show_gradients else "weights"  # the rows say ∂W
    channel = ui.channel % channels + 1
    deeper, deeper_short = (f", input channel {channel}", f", channel {channel}") if channels > 1 else ("", "")
    hints = [hint for hint in (key_hint(widget, "weights/gradients", "Weights/gradients"),
                               key_hint(widget, "channel", "Previous input channel", "Next input channel")) if hint]
    under = ", ".join(hints)
    choices = [(with_hints(f"filters: {what}{deeper}", *hints) + f" · feature maps of the {noun(snapshot)}", ""),
               (with_hints(f"filters: {what}{deeper}", *hints), ""),
               (f"filters: {what}{deeper}", under), (f"filters: {short}{deeper}", under),
               (f"filters: {short}{deeper_short}", under)]
    return first_fitting(widget, choices)


def first_fitting(widget, choices: list[tuple[str, str]]) -> tuple[str, str]:
    """The first (title, bottom-border text) drawn whole on the widget's borders, else the last."""
    room = widget.outer_size.width - 6  # Textual keeps a corner, a line cell and a space at each end
    fitting = [(title, below) for title, below in choices if cell_len(title) <= room and cell_len(below) <= room]
    return fitting[0] if fitting else choices[-1]


def set_borders(widget, title: str, below: str) -> None:
    """Both border texts, each only when it changed (see set_border_title)."""
    set_border_title(widget, title)
    if getattr(widget, "_shown_border_subtitle", None) != below:
        widget._shown_border_subtitle = widget.border_subtitle = below


def draw_layers(widget: ImageGrid, snapshot, view: ConvView, ui: CnnUi) -> None:
    title, below = layers_titles(widget, snapshot, ui, max(f.shape[1] for f in view.filters))
    set_borders(widget, title, below)
    widget.show_rows(layer_rows(view, ui))


def draw_confusion(widget: ConfusionMatrix, snapshot, view: ConfusionView, ui) -> None:
    # Below 110×34 the matrix does not fit next to the layers: the strip and curves get its room.
    # (The screen shows every pane whose view the snapshot has, so CSS cannot hide it.)
    if widget.screen.has_class("compact"):
        widget.display = False
        return
    set_border_title(widget, confusion_title(view.confusion, widget.outer_size.width))
    widget.update_view(view)


def mistake_captions(view: MistakesView) -> tuple[str, ...]:
    """"true→predicted" under each image, by class name where the data names them,
    each name cut to half the image's width so both fit under it."""
    names = view.class_names or tuple(str(i) for i in range(int(max(view.true.max(initial=0),
                                                                    view.predicted.max(initial=0))) + 1))
    # Pictures larger than the digits are drawn shrunk (a quarter of 28 is 7 cells wide).
    side = view.images.shape[-1] if view.images.ndim == 3 else 8
    room = max(1, (side - 1) // 2) if side <= 8 else 3
    return tuple(f"{names[t][:room]}→{names[p][:room]}" for t, p in zip(view.true.tolist(), view.predicted.tolist()))


def draw_mistakes(widget: ImageGrid, snapshot, view: MistakesView, ui) -> None:
    count = f"misclassified: {view.count} of {view.n_samples}"
    hint = key_hint(widget, "select", "Previous mistake", "Next mistake")
    set_borders(widget, *first_fitting(widget, [(with_hints(count, hint), ""), (count, hint)]))
    captions = mistake_captions(view)
    small = view.images.ndim == 3 and view.images.shape[-1] <= 8  # the digits: as they are
    widget.show_rows([ImageRow("", view.images, captions, (ORANGE,) * len(captions), scale=1 if small else 0)],
                     "" if view.count else f"no test {noun(snapshot)} is misclassified")


def draw_health(widget: LayerHealthPane, snapshot, view: LayerHealthView, ui: CnnUi) -> None:
    widget.display = ui.show_health  # the screen's toggle
    if ui.show_health:
        draw_layer_health(widget, snapshot, view, ui)


def draw_history(widget: LossPlot, snapshot, view, ui) -> None:
    widget.update_history(snapshot.history, snapshot.overfitting_since)


class DigitPane(ClassBars):
    # Not scoped: it also sizes the screen's two columns (the app's stylesheet sizes the
    # dense network's); the digit pane is always on the CNN's screen.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    DigitPane { height: 8; border: round $primary 40%; }
    #cnn-left { width: 1fr; }
    #cnn-right { width: 40; }
    Screen.compact #cnn-right { width: 34; }
    """


class LayersPane(ImageGrid):
    DEFAULT_CSS = """
    LayersPane { height: 1fr; border: round $primary 40%; }
    """


class MistakesPane(ImageGrid):
    DEFAULT_CSS = """
    MistakesPane { height: 7; border: round $primary 40%; }
    """


class ConfusionPane(ConfusionMatrix):
    DEFAULT_CSS = """
    ConfusionPane { height: 16; border: round $primary 40%; }
    """


class CurvesPane(LossPlot):
    """The loss plot; on a compact screen its legend also names the last test accuracy:
    there the confusion matrix (and its share right) is hidden, and the status line
    leaves the accuracy out below 110 columns, so the number would be nowhere else."""

    DEFAULT_CSS = """
    CurvesPane { height: 1fr; min-height: 6; border: round $primary 40%; }
    """
    def _legend(self) -> str:
        legend = super()._legend()
        accuracy = self._history.get("test_accuracy") if self._history is not None else None
        if accuracy is None or not len(accuracy) or not self.screen.has_class("compact"):
            return legend
        return legend.replace("test accuracy (right axis)", f"test acc {float(accuracy[-1]):.1%}")

    def update_history(self, history, overfitting_since=None) -> None:
        super().update_history(history, overfitting_since)
        self._show_legend()  # the accuracy in it changes each epoch


LAYOUT = Layout(columns=(
    Column("cnn-left", (
        Pane("digit", ConvView, widget=DigitPane, draw=draw_digit, group="output"),
        Pane("layers", ConvView, widget=LayersPane, draw=draw_layers),
        Pane("health", LayerHealthView, widget=LayerHealthPane, draw=draw_health),
    )),
    Column("cnn-right", (
        Pane("confusion", ConfusionView, widget=ConfusionPane, draw=draw_confusion, group="output"),
        Pane("mistakes", MistakesView, widget=MistakesPane, draw=draw_mistakes, group="output"),
        Pane("curves", widget=CurvesPane, draw=draw_history, group="plot"),
    )),
))

CNN = ("cnn",)
CONTROLS = (
    Control("left", "Previous digit", command="shift_sample", args=(-1,), kinds=CNN),
    Control("right", "Next digit", command="shift_sample", args=(1,), kinds=CNN),
    Control("up", "Previous mistake", command="next_mistake", args=(-1,), kinds=CNN),
    Control("down", "Next mistake", command="next_mistake", args=(1,), kinds=CNN),
    Control("v", "Weights/gradients", action="toggle_gradients", show=True, kinds=CNN),
    Control("i", "Layer health: activations over time, gradient sizes", action="toggle_layer_health", kinds=CNN),
    Control("right_square_bracket", "Next input channel", action="shift_channel", args=(1,), kinds=CNN,
            key_display="]"),
    Control("left_square_bracket", "Previous input channel", action="shift_channel", args=(-1,), kinds=CNN,
            key_display="["),
)

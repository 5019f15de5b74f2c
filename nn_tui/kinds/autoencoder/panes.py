"""The autoencoder's screen: rows of clean / noisy / rebuilt test digits, PSNR and
loss against epoch, and with a 2-unit bottleneck the test digits' codes by class.

Imported only by the UI. z and Z change the noise on the inputs, k the kind of random
mark, e draws a mark by hand over one of the test images shown (kind commands: the run
keeps its weights); the status line shows the PSNRs the kind names in its settings, the
digits' row labels those of the mark drawn by hand, and the draw mode those of the mark
as it is being drawn (scored in the training process at every change).
"""

from __future__ import annotations

import numpy as np

from nn_tui.kinds.autoencoder.probes import CodesView, ReconstructionView
from nn_tui.ui.controls import Control
from nn_tui.ui.draw_mark import DrawMarkScreen
from nn_tui.ui.key_hints import key_hint
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.image_grid import ImageGrid, ImageRow
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.metric_plot import MetricPlot
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE
from nn_tui.ui.widgets.scatter import ScatterPlot


YOURS = (214, 39, 40)  # red: the mark drawn by hand (random marks are orange)


class AutoencoderUi:
    """The screen's own actions: the draw mode opens on the test images shown."""

    def draw_mark(self, screen) -> None:
        snapshot = screen.session.snapshot
        view = snapshot.view(ReconstructionView)
        if view is None or not view.image_shape or not view.samples:
            screen.app.notify("no test images to draw on yet", severity="warning", markup=False)
            return
        # The clean images, channels averaged: the mark covers a pixel in every channel.
        images = view.clean.reshape(len(view.clean), -1, *view.image_shape).mean(axis=1)

        def apply(result) -> None:
            if result is not None:  # (test image, pixels): the training process inks and scores it
                screen.send("set_drawn_mark", *result)

        def preview(image: int, pixels: tuple[int, ...]) -> None:  # scored as drawn, shown by the draw mode
            screen.send("preview_drawn_mark", image, pixels)

        def scored():
            shown = screen.session.snapshot.view(ReconstructionView)
            return shown.draft if shown is not None else None

        screen.app.push_screen(DrawMarkScreen(images, view.samples, noun(snapshot)[:-1], view.drawn, view.drawn_on,
                                              preview=preview, scored=scored), apply)


def make_ui() -> AutoencoderUi:
    return AutoencoderUi()


def images(rows: np.ndarray, shape) -> np.ndarray:
    return rows.reshape(len(rows), *shape) if shape else rows.reshape(len(rows), 1, -1)


def noun(snapshot) -> str:
    """What the test samples are called on screen: the built-in digits, or anyone's images."""
    return "digits" if snapshot.dataset == "digits" else "images"


def draw_digits(widget: ImageGrid, snapshot, view: ReconstructionView, ui) -> None:
    hints = (key_hint(widget, "draw a mark", "Draw a mark by hand"),
             key_hint(widget, "mark", "Mark: none/box/line/scribble"),
             key_hint(widget, "noise", "Noise up", "Noise down"))
    inputs = "noisy" if view.mark == "none" and not view.drawn else "marked"
    lay_title(widget, digits_title_parts(snapshot, view, inputs), hints=hints)
    # The mark drawn by hand: its pixels' PSNR under the row labels, as the input has them and rebuilt.
    before, after = snapshot.metrics.get("test_psnr_drawn_before"), snapshot.metrics.get("test_psnr_drawn")
    scored = view.drawn and before is not None and after is not None
    widget.show_rows([ImageRow("clean", images(view.clean, view.image_shape)),
                      ImageRow(f"{inputs}\nyours:\n{before:.1f} dB" if scored else inputs,
                               images(view.noisy, view.image_shape)),
                      ImageRow(f"rebuilt\nyours:\n{after:.1f} dB" if scored else "rebuilt",
                               images(view.rebuilt, view.image_shape))])


def digits_title_parts(snapshot, view: ReconstructionView, inputs: str) -> list:
    """The digits pane's title in parts, each (its full form, shorter ones; "" left out), laid
    whole on its two borders beside the key hints (at 80x24 Textual cut it at "noisy (σ …"):
    the row labels say clean / noisy / rebuilt, so the short forms keep the noise, and the
    shortest (a mark drawn by hand beside the key hints) leaves out "test digits"."""
    test = f"test {noun(snapshot)}"
    sigma = f"{'' if view.mark == 'none' else f'{view.mark}, '}σ {view.sigma:g}"
    parts = [(f"{test}: clean, {inputs} ({sigma}), rebuilt", f"{test}: clean, {inputs}, rebuilt", test, test, ""),
             ("", sigma, f"{inputs} ({sigma})", sigma, sigma)]
    if view.drawn:
        on = view.drawn_on + 1
        parts.append((f"yours on {noun(snapshot)[:-1]} {on}",) * 3 + (f"yours on {on}",) * 2)
    return parts


def draw_codes(widget: ScatterPlot, snapshot, view: CodesView, ui) -> None:
    # The score the lesson's step 3 trains for, where the learner looks (it was shown nowhere).
    knn = snapshot.metrics.get("code_5nn_accuracy")
    # First, on the top border; the rest whole there or on the bottom one (80x24 cut it at "codes …").
    guess = [f"5-NN guess {knn:.0%} right"] if knn is not None else []
    lay_title(widget, [*guess, (f"codes of the test {noun(snapshot)} (2-unit bottleneck)",
                                f"codes of the test {noun(snapshot)}")])
    widget.show_points(view.codes, view.labels, view.class_names)


def draw_history(widget, snapshot, view, ui) -> None:
    widget.update_history(snapshot.history)


class DigitsPane(ImageGrid):
    WRAP = False  # a clean digit, its noisy self and its rebuilt one stay in one column
    # A rebuilt pixel changes shade only when it moves a whole bin past its own: the
    # rebuilt row changes with every step, and is most of this screen's bytes.
    STICKY_MARGIN = 1.0
    SCOPED_CSS = False  # also sizes the screen's columns (see the CNN's DigitPane)
    DEFAULT_CSS = """
    DigitsPane { height: 14; border: round $primary 40%; }
    #ae-left { width: 1fr; }
    #ae-right { width: 38; }  /* leaves the digits' rows 8 digits at 120 columns */
    Screen.compact #ae-right { width: 34; }
    """


class PsnrPlot(MetricPlot):
    # Under the mark: inpainting's PSNR of the marked pixels; yours: of the mark drawn by hand (e).
    curves = (("test_psnr", "rebuilt", BLUE), ("test_psnr_noisy", "noisy", GREY),
              ("test_psnr_marked", "under the mark", ORANGE), ("test_psnr_drawn", "yours", YOURS))
    plot_title = "PSNR (dB)"
    DEFAULT_CSS = """
    PsnrPlot { height: 1fr; border: round $primary 40%; }
    """


class CodesPane(ScatterPlot):
    DEFAULT_CSS = """
    CodesPane { height: 1fr; border: round $primary 40%; }
    """


class CurvesPane(LossPlot):
    DEFAULT_CSS = """
    CurvesPane { height: 1fr; min-height: 6; max-height: 16; border: round $primary 40%; }
    """


LAYOUT = Layout(columns=(
    Column("ae-left", (
        Pane("digits", ReconstructionView, widget=DigitsPane, draw=draw_digits),
        Pane("psnr", widget=PsnrPlot, draw=draw_history, group="plot"),
    )),
    Column("ae-right", (
        # Once a second: every code moves with every step.
        Pane("codes", CodesView, widget=CodesPane, draw=draw_codes, group="plot"),
        Pane("curves", widget=CurvesPane, draw=draw_history, group="plot"),
    )),
))

AE = ("autoencoder",)
CONTROLS = (
    Control("z", "Noise up", command="nudge_corrupt", args=(1,), show=True, kinds=AE),
    Control("Z", "Noise down", command="nudge_corrupt", args=(-1,), kinds=AE),
    Control("k", "Mark: none/box/line/scribble", command="cycle_mark", kinds=AE),
    Control("e", "Draw a mark by hand", action="draw_mark", kinds=AE),
)

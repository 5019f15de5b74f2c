"""A GAN's screen: the plane (D's map, real and generated points, G's manifold), the D
and G losses with the divergence, the per-network settings; and its keys.

Imported only by the UI. What is toggled on the plane is the screen's (`GanUi`), never
in a snapshot; the probes always send the manifold and the push marks (a few KB)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from nn_tui.kinds.gan.metrics import mode_collapse
from nn_tui.kinds.gan.views import GanPlaneView
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Column, Layout, Pane
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.gan_plane import GanPlane
from nn_tui.ui.widgets.gan_settings import GanSettings
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, hex_color
from nn_tui.ui.widgets.series_plot import Series, SeriesPlot

KINDS = ("gan",)
SERIES = (Series("d_loss", "D loss", BLUE), Series("g_loss", "G loss", ORANGE),
          Series("js_divergence", "JS divergence", GREY, right=True))


# While training, the plane is redrawn at most this often: its moving points and D's
# map are most of the screen's bytes (every 0.33 s: 62 KB/s at 120x40; so about 1.5 Hz, 48 KB/s).
PLANE_SECONDS = 0.5


@dataclass
class GanUi:
    show_manifold: bool = True
    show_push: bool = False
    plane_drawn_at: float = 0.0

    def toggle_manifold(self, screen) -> None:
        self.show_manifold = not self.show_manifold
        self._redraw(screen)

    def toggle_push(self, screen) -> None:
        self.show_push = not self.show_push
        self._redraw(screen)

    def _redraw(self, screen) -> None:
        self.plane_drawn_at = 0.0  # a toggle shows at once
        screen.show_all()

    def plane_due(self, snapshot) -> bool:
        now = time.monotonic()
        if snapshot.status == "training" and now - self.plane_drawn_at < PLANE_SECONDS:
            return False
        self.plane_drawn_at = now
        return True


def make_ui() -> GanUi:
    return GanUi()


def plane_title_parts(view: GanPlaneView, ui: GanUi, snapshot) -> list:
    """The plane's title in parts, each a markup string or (its full form, a shorter one)."""
    real, fake = hex_color(BLUE), hex_color(ORANGE)
    parts: list = [f"[{real}]●[/] real [{fake}]●[/] fake", f"D says [{real}]▒[/]/[{fake}]▒[/]"]
    covered, modes = snapshot.metrics.get("modes_covered"), snapshot.settings.get("mode_count")
    if mode_collapse(covered, modes, snapshot.epoch):
        parts.insert(0, (f"[bold red]mode collapse: G covers {covered:.0f} of {modes} modes[/]",
                         f"[bold red]mode collapse: {covered:.0f} of {modes} modes[/]"))
    if ui.show_manifold:
        note = view.noise_note
        parts.append((f"┼ {note}", f"┼ {note.replace('slice through mean', 'slice at mean')}"))
    if ui.show_push:
        parts.append("[#ffd700]─[/] push")
    return parts


def plane_title(view: GanPlaneView, ui: GanUi, snapshot) -> str:
    # Parts joined by " · ": with the manifold off it read "D says ▒/▒ ·  · ─ push".
    return " · ".join(part if isinstance(part, str) else part[0] for part in plane_title_parts(view, ui, snapshot))


def draw_plane(widget: GanPlane, snapshot, view: GanPlaneView, ui: GanUi) -> None:
    # The title every frame, from the snapshot the status line shows (a title held with
    # the throttled picture said "0 of 8" while the status line said "modes 1/8").
    # What the top border has no room for goes on, whole, in the bottom one (at 80x24
    # Textual cut the noise note to "┼ 8-…").
    lay_title(widget, plane_title_parts(view, ui, snapshot))  # every frame: only a change repaints the pane
    if ui.plane_due(snapshot):
        widget.update_gan(view, manifold=ui.show_manifold, push=ui.show_push)


def draw_history(widget: SeriesPlot, snapshot, view, ui) -> None:
    widget.set_series(SERIES)
    widget.update_history(snapshot.history)


def draw_settings(widget: GanSettings, snapshot, view, ui) -> None:
    widget.update_snapshot(snapshot)


LAYOUT = Layout(columns=(
    Column("left", (
        # "light": drawn every frame, so its title's mode count is the status line's; the
        # picture itself keeps its own pace (GanUi.plane_due).
        Pane("output", GanPlaneView, widget=GanPlane, draw=draw_plane, group="light"),
    )),
    Column("right", (
        Pane("loss", widget=SeriesPlot, draw=draw_history, group="plot"),
        Pane("gan-settings", widget=GanSettings, draw=draw_settings),
    )),
))


def _both(key_g, key_d, label, command, *args, **kw):
    return (Control(key_g, f"G: {label}", command=command, args=("g", *args), kinds=KINDS, **kw),
            Control(key_d, f"D: {label}", command=command, args=("d", *args), kinds=KINDS))


CONTROLS = (
    # Replacing the common rows whose settings a GAN keeps per network.
    Control("plus,equals_sign", "LR up (both)", command="nudge_both_lr", args=(1,), show=True, key_display="+",
            kinds=KINDS),
    Control("minus", "LR down (both)", command="nudge_both_lr", args=(-1,), show=True, key_display="-",
            kinds=KINDS),
    Control("e", "Train D+G / D / G", command="cycle_train", show=True, kinds=KINDS),
    Control("1", "One D update", command="one_update", args=("d",), show=True, kinds=KINDS),
    Control("2", "One G update", command="one_update", args=("g",), show=True, kinds=KINDS),
    Control("right_square_bracket", "G: LR up", command="nudge_network_lr", args=("g", 1), key_display="]",
            kinds=KINDS),
    Control("left_square_bracket", "G: LR down", command="nudge_network_lr", args=("g", -1), key_display="[",
            kinds=KINDS),
    Control("right_curly_bracket", "D: LR up", command="nudge_network_lr", args=("d", 1), key_display="}",
            kinds=KINDS),
    Control("left_curly_bracket", "D: LR down", command="nudge_network_lr", args=("d", -1), key_display="{",
            kinds=KINDS),
    *_both("o", "O", "Optimizer", "cycle_network_optimizer"),
    *_both("a", "A", "Activation", "cycle_network_activation"),
    *_both("l", "i", "Add layer", "add_network_layer"),
    *_both("L", "I", "Remove layer", "remove_network_layer"),
    *_both("n", "j", "Wider layers", "nudge_network_width", 1),
    *_both("N", "J", "Narrower layers", "nudge_network_width", -1),
    Control("t", "D steps per epoch up", command="nudge_gan_setting", args=("d_steps", 1), kinds=KINDS),
    Control("T", "D steps per epoch down", command="nudge_gan_setting", args=("d_steps", -1), kinds=KINDS),
    Control("b", "Batch size up", command="nudge_gan_setting", args=("gan_batch", 1), kinds=KINDS),
    Control("B", "Batch size down", command="nudge_gan_setting", args=("gan_batch", -1), kinds=KINDS),
    Control("z", "Noise dimensions up", command="nudge_gan_setting", args=("noise_dim", 1), kinds=KINDS),
    Control("Z", "Noise dimensions down", command="nudge_gan_setting", args=("noise_dim", -1), kinds=KINDS),
    Control("k", "Plane: G's manifold", action="toggle_manifold", kinds=KINDS),
    Control("g", "Plane: G's push on its points", action="toggle_push", kinds=KINDS),
)

"""The dense network's screen: which widget draws which view, its layout and its keys.

Imported only by the UI. The UI state — the selected neuron, the output's toggles —
is a `DenseUi`, never in a snapshot. `DENSE_ROWS` are the keys of any dense network
(another kind whose screen is this one takes them; the architecture rows are the MLP's).
"""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.data import FEATURES
from nn_tui.kinds.importance import ImportanceView
from nn_tui.kinds.layer_health import LayerHealthView
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Column, Layout, Pane, register_pane
from nn_tui.ui.screens import WeightEditor
from nn_tui.ui.widgets import Heatmap, Topology
from nn_tui.ui.widgets.importance_bars import ImportancePane, draw_importance
from nn_tui.ui.widgets.layer_health import LayerHealthPane
from nn_tui.ui.widgets.layer_health import draw_layer_health as draw_health_text
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.neuron_panel import NeuronPanel
from nn_tui.ui.widgets.settings_panel import SettingsPanel
from nn_tui.ui.widgets.borders import set_border_title
from nn_tui.ui.widgets.test_set_views import ConfusionMatrix, FitPlot, confusion_title
from nn_tui.views import ConfusionView, FitView, NetworkView, PlaneView

@dataclass
class DenseUi:
    """What the user points at and toggles; the screen's, not the training process's."""

    selected: tuple[int, int] = (0, 0)  # (layer counting inputs as 0, neuron)
    show_test_points: bool = True
    discretize: bool = False
    show_layers: bool = False  # the layer-health pane (activations over time, gradient sizes)

    def clamp(self, view: NetworkView) -> tuple[int, int]:
        layer = min(self.selected[0], len(view.sizes) - 1)
        self.selected = (layer, min(self.selected[1], view.sizes[layer] - 1))
        return self.selected

    # --- UI actions (rows of CONTROLS with `action`) ---------------------------
    def select(self, screen, d_layer: int, d_neuron: int) -> None:
        view = screen.session.snapshot.view(NetworkView)
        layer, neuron = self.selected
        layer = min(max(layer + d_layer, 0), len(view.sizes) - 1)
        self.select_neuron(screen, layer, neuron + d_neuron)

    def select_neuron(self, screen, layer: int, neuron: int) -> None:
        """Selection is the UI's own state: show it at once, without waiting for a frame."""
        view = screen.session.snapshot.view(NetworkView)
        self.selected = (layer, min(max(neuron, 0), view.sizes[layer] - 1))
        screen.pane("topology").selected = self.selected
        screen.pane("neuron").update_selection(view, *self.selected)

    def _selected_hidden_layer(self, screen) -> int:
        """The hidden layer the selection is in (0-based), or the last one."""
        layer = self.selected[0]
        hidden = len(screen.session.snapshot.view(NetworkView).hidden)
        return layer - 1 if 1 <= layer <= hidden else hidden - 1

    def add_neuron(self, screen) -> None:
        screen.send("add_neuron", self._selected_hidden_layer(screen))

    def remove_neuron(self, screen) -> None:
        screen.send("remove_neuron", self._selected_hidden_layer(screen))

    def edit_link(self, screen, layer: int, row: int, column: int) -> None:
        """A click on a link: select the neuron it feeds and edit that weight."""
        self.select_neuron(screen, layer + 1, column)
        self.edit_neuron(screen, focus_row=row)

    def edit_neuron(self, screen, focus_row: int | None = None) -> None:
        view = screen.session.snapshot.view(NetworkView)
        layer, neuron = self.selected
        if layer == 0:
            screen.app.notify("select a neuron of a hidden or the output layer (→) to edit its weights")
            return
        if layer == 1 and view.first_layer_pruned:
            screen.app.notify(f"a first-layer neuron has {view.sizes[0]} weights, one per pixel: the screen "
                              "gets only the strongest, so they are not edited here")
            return

        def apply(changes: dict | None) -> None:
            for (kind, row), value in (changes or {}).items():
                if kind == "w":
                    screen.send("set_weight", layer - 1, row, neuron, value)
                else:
                    screen.send("set_bias", layer - 1, neuron, value)

        screen.app.push_screen(WeightEditor(view, layer, neuron, focus_row), apply)

    def toggle_discrete(self, screen) -> None:
        self.discretize = not self.discretize
        screen.show_all()

    def toggle_layer_health(self, screen) -> None:
        self.show_layers = not self.show_layers
        screen.show_all()

    def toggle_test_points(self, screen) -> None:
        self.show_test_points = not self.show_test_points
        screen.show_all()


def make_ui() -> DenseUi:
    return DenseUi()


# --- drawing: view -> widget --------------------------------------------------
def draw_topology(widget: Topology, snapshot, view: NetworkView, ui: DenseUi) -> None:
    widget.update_view(view, ui.clamp(view))


def draw_neuron(widget: NeuronPanel, snapshot, view: NetworkView, ui: DenseUi) -> None:
    widget.update_selection(view, *ui.clamp(view))


def draw_settings(widget: SettingsPanel, snapshot, view, ui) -> None:
    widget.update_snapshot(snapshot)


def draw_plane(widget: Heatmap, snapshot, view: PlaneView, ui: DenseUi) -> None:
    widget.discretize = ui.discretize
    widget.update_view(view, test_points=ui.show_test_points)


def draw_confusion(widget: ConfusionMatrix, snapshot, view: ConfusionView, ui) -> None:
    set_border_title(widget, confusion_title(view.confusion, widget.outer_size.width))
    widget.update_view(view)


def draw_fit(widget: FitPlot, snapshot, view: FitView, ui) -> None:
    widget.update_view(view)


def draw_layer_health(widget: LayerHealthPane, snapshot, view: LayerHealthView, ui: DenseUi) -> None:
    widget.display = ui.show_layers  # the screen's toggle (a lesson that lists the pane draws it always)
    if ui.show_layers:
        draw_health_text(widget, snapshot, view, ui)


def draw_history(widget: LossPlot, snapshot, view, ui) -> None:
    widget.update_history(snapshot.history, snapshot.overfitting_since)


register_pane(NetworkView, Topology, draw_topology)
register_pane(PlaneView, Heatmap, draw_plane)
register_pane(ConfusionView, ConfusionMatrix, draw_confusion)
register_pane(FitView, FitPlot, draw_fit)
register_pane(ImportanceView, ImportancePane, draw_importance)

LAYOUT = Layout(columns=(
    Column("left", (
        Pane("topology", NetworkView),
        Pane("layers", LayerHealthView, widget=LayerHealthPane, draw=draw_layer_health),
        Pane("neuron", NetworkView, widget=NeuronPanel, draw=draw_neuron),
        Pane("settings", widget=SettingsPanel, draw=draw_settings),
    )),
    Column("right", (
        Pane("output", PlaneView, group="output"),
        Pane("confusion", ConfusionView, group="output"),
        Pane("fit", FitView, group="output"),
        Pane("loss", widget=LossPlot, draw=draw_history, group="plot"),
    )),
))

# Panes shown only when asked for (a lesson's panes name them): a measurement's view.
EXTRA_PANES = (Pane("importance", ImportanceView),)

# Keys of any dense network: its inputs, the selection, weight edits, the output's toggles.
DENSE_ROWS = (
    *[
        Control(str(number), f"Feature {feature}", command="toggle_feature", args=(feature,))
        for number, feature in enumerate(FEATURES, start=1)
    ],
    Control("left", "Select left", action="select", args=(-1, 0)),
    Control("right", "Select right", action="select", args=(1, 0)),
    Control("up", "Select up", action="select", args=(0, -1)),
    Control("down", "Select down", action="select", args=(0, 1)),
    Control("e", "Edit weights", action="edit_neuron"),
    Control("k", "Discretise output", action="toggle_discrete"),
    Control("p", "Test points", action="toggle_test_points"),
)
CONTROLS = (
    Control("a", "Activation", command="cycle_activation", show=True),
    Control("l", "Add layer", command="add_layer"),
    Control("L", "Remove layer", command="remove_layer"),
    Control("n", "Add neuron", action="add_neuron"),
    Control("N", "Remove neuron", action="remove_neuron"),
    Control("i", "Layer health: activations over time, gradient sizes", action="toggle_layer_health"),
    *DENSE_ROWS,
)

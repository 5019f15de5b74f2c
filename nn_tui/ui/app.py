"""The nn-tui app: a live, keyboard-driven playground.

The app owns no training. It starts the session's training thread, sends it
commands for keys, and on a timer at the display rate takes the session's
latest snapshot and hands it to the widgets ("attributes down"). Heavy panes
(heatmaps, topology, plot) are fed less often than the status line.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from nn_tui.assemble import DATASETS
from nn_tui.data import FEATURES
from nn_tui.session import Session
from nn_tui.snapshot import Snapshot
from nn_tui.ui._textual_guards import install_textual_guards
from nn_tui.ui.screens import HelpScreen, SaveScreen, WeightEditor
from nn_tui.ui.widgets import Heatmap, Topology, enable_span_updates
from nn_tui.ui.widgets.loss_plot import LossPlot
from nn_tui.ui.widgets.neuron_panel import NeuronPanel
from nn_tui.ui.widgets.settings_panel import SettingsPanel
from nn_tui.ui.widgets.status_line import StatusLine
from nn_tui.ui.widgets.test_set_views import ConfusionMatrix, FitPlot

MIN_WIDTH, MIN_HEIGHT = 80, 24
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 34  # below either, the layout drops the least needed panes
# While training, the heavy panes update less often than the status line (every frame):
# most of the bytes sent to the terminal, and most of the UI's time, are theirs (see README,
# "Performance"). Seconds between updates of each; the plot's axes rescale every time.
PANE_INTERVALS = {"network": 0.33, "output": 0.33, "plot": 1.0}
KEY_PRIORITY_SECONDS = 0.15  # after a key, heavy panes wait this long so its answer shows first
BATCH_SIZES = (1, 2, 5, 10, 16, 20, 32, 64, 128, 256)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
NOISE_STEP, RATIO_STEP = 0.05, 0.1


def _next(options, current, direction: int = 1):
    """The option after (or before) `current`, wrapping around."""
    options = tuple(options)
    index = options.index(current) if current in options else 0
    return options[(index + direction) % len(options)]


def _step_on(options, current, direction: int):
    """The next larger (or smaller) option, stopping at the ends."""
    if direction > 0:
        larger = [o for o in options if o > current]
        return larger[0] if larger else options[-1]
    smaller = [o for o in options if o < current]
    return smaller[-1] if smaller else options[0]


class NNTuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "nn-tui"

    BINDINGS = [
        Binding("space", "toggle_play", "Play/pause"),
        Binding("s", "step", "Step epoch"),
        Binding("r", "reset", "Reset weights"),
        Binding("R", "regenerate", "New data", show=False),
        Binding("plus,equals_sign", "lr_up", "LR up", key_display="+"),
        Binding("minus", "lr_down", "LR down", key_display="-"),
        Binding("a", "cycle_activation", "Activation"),
        Binding("l", "add_layer", "Add layer", show=False),
        Binding("L", "remove_layer", "Remove layer", show=False),
        Binding("n", "add_neuron", "Add neuron", show=False),
        Binding("N", "remove_neuron", "Remove neuron", show=False),
        *[
            Binding(str(number), f"toggle_feature('{feature}')", f"Feature {feature}", show=False)
            for number, feature in enumerate(FEATURES, start=1)
        ],
        Binding("d", "next_dataset", "Data set", show=False),
        Binding("z", "noise(1)", "Noise up", show=False),
        Binding("Z", "noise(-1)", "Noise down", show=False),
        Binding("t", "train_ratio(1)", "Train ratio up", show=False),
        Binding("T", "train_ratio(-1)", "Train ratio down", show=False),
        Binding("b", "batch_size(1)", "Batch size up", show=False),
        Binding("B", "batch_size(-1)", "Batch size down", show=False),
        Binding("o", "next_optimizer", "Optimizer", show=False),
        Binding("g", "next_regularization", "Regularisation", show=False),
        Binding("h", "reg_rate(1)", "Reg. rate up", show=False),
        Binding("H", "reg_rate(-1)", "Reg. rate down", show=False),
        Binding("left", "select(-1, 0)", "Select left", show=False),
        Binding("right", "select(1, 0)", "Select right", show=False),
        Binding("up", "select(0, -1)", "Select up", show=False),
        Binding("down", "select(0, 1)", "Select down", show=False),
        Binding("e", "edit_neuron", "Edit weights", show=False),
        Binding("k", "toggle_discrete", "Discretise output", show=False),
        Binding("p", "toggle_test_points", "Test points", show=False),
        Binding("w", "save", "Save model", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, session: Session, play: bool = False, fps: float = 10.0) -> None:
        super().__init__()
        self.session = session
        self.fps = fps
        self._play_at_start = play
        self._shown_version = -1
        self._pane_shown_at: dict[str, float] = {}  # pane -> when it last got a snapshot
        self._heavy_panes_wait_until = 0.0
        self.selected = (0, 0)  # (layer counting inputs as 0, neuron)
        self.show_test_points = True
        self.discretize = False

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Topology(id="topology")
                yield NeuronPanel(id="neuron")
                yield SettingsPanel(id="settings")
            with Vertical(id="right"):
                yield Heatmap(id="output")
                yield ConfusionMatrix(id="confusion")
                yield FitPlot(id="fit")
                yield LossPlot(id="loss")
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        # Send only the changed span of a line, not the line up to it: a third fewer bytes
        # while training (Textual issue #5625; see nn_tui/ui/widgets/_span_updates.py).
        enable_span_updates()
        install_textual_guards()  # PageUp in a squeezed command palette (see the module)
        self._apply_size_classes()
        self.run_worker(self.session.run, name="training", thread=True, exit_on_error=False)
        if self._play_at_start:
            self.session.send("play")
        self.set_interval(1.0 / self.fps, self._tick)
        self._tick()

    def on_unmount(self) -> None:
        self.session.stop()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size_classes(event.size)
        self._pane_shown_at.clear()  # repaint every pane at its new size

    def _apply_size_classes(self, size=None) -> None:
        width, height = size or self.size
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self._main.set_class(too_small, "too-small")
        self._main.set_class(not too_small and (width < COMPACT_WIDTH or height < COMPACT_HEIGHT), "compact")
        if too_small:
            self._main.query_one("#too-small", Static).update(
                f"Terminal too small: {width}×{height}. nn-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Enlarge the window (training goes on; q quits)."
            )

    @property
    def _main(self) -> Screen:
        """The playground's screen, even while help or an editor is on top of it."""
        return self.screen_stack[0]

    # ------------------------------------------------------------------ frames
    def _tick(self) -> None:
        """Take the latest snapshot to the widgets; the heavy panes at a lower rate."""
        self._drain_notices()
        snapshot = self.session.snapshot
        if snapshot.version == self._shown_version:
            return
        self._shown_version = snapshot.version
        self._main.query_one(StatusLine).update_snapshot(snapshot)
        now = time.monotonic()
        if snapshot.status != "training" or not self._pane_shown_at:
            self._show_heavy(snapshot)  # paused: every change shows at once
            return
        # Training: at most one heavy pane per tick, the most overdue one, so that no single
        # frame carries them all and a key press never waits behind a long repaint.
        overdue = [
            (now - self._pane_shown_at[pane] - interval, pane)
            for pane, interval in PANE_INTERVALS.items()
            if now - self._pane_shown_at[pane] >= interval
        ]
        if overdue and now >= self._heavy_panes_wait_until:
            self._show_pane(max(overdue)[1], snapshot)

    def _show_heavy(self, snapshot: Snapshot) -> None:
        for pane in PANE_INTERVALS:
            self._show_pane(pane, snapshot)

    def _show_pane(self, pane: str, snapshot: Snapshot) -> None:
        self._pane_shown_at[pane] = time.monotonic()
        if pane == "network":
            self._clamp_selection(snapshot)
            self._main.query_one(Topology).update_snapshot(replace(snapshot, selected=self.selected))
            self._main.query_one(NeuronPanel).update_selection(snapshot, *self.selected)
            self._main.query_one(SettingsPanel).update_snapshot(snapshot)
        elif pane == "output":
            self._show_output(snapshot)
        else:
            self._main.query_one(LossPlot).update_history(snapshot.history)

    def _show_output(self, snapshot: Snapshot) -> None:
        """The output pane: a heatmap of the plane, else how the test set fares."""
        output = self._main.query_one("#output", Heatmap)
        confusion = self._main.query_one(ConfusionMatrix)
        fit = self._main.query_one(FitPlot)
        output.display = snapshot.output_map is not None
        confusion.display = snapshot.output_map is None and snapshot.confusion is not None
        fit.display = snapshot.output_map is None and snapshot.fit_x is not None
        if output.display:
            output.discretize = self.discretize
            output.update_snapshot(snapshot, test_points=self.show_test_points)
        elif confusion.display:
            confusion.border_title = "test set: confusion matrix"
            confusion.update_snapshot(snapshot)
        else:
            fit.update_snapshot(snapshot)

    def _drain_notices(self) -> None:
        notices = self.session.notices
        while not notices.empty():
            notice = notices.get_nowait()
            self.notify(notice.text, severity=notice.severity, markup=False,
                        timeout=8 if notice.severity == "error" else 4)

    def _send(self, command: str, *args, **kwargs) -> None:
        """Send a command and look for its effect soon, not at the next frame."""
        self.session.send(command, *args, **kwargs)
        # The answer to a key goes out in a light frame: heavy panes wait a moment.
        self._heavy_panes_wait_until = time.monotonic() + KEY_PRIORITY_SECONDS
        for delay in (0.005, 0.015, 0.03, 0.05, 0.08):
            self.set_timer(delay, self._tick)

    # ----------------------------------------------------------------- actions
    def action_toggle_play(self) -> None:
        self._send("toggle_play")

    def action_step(self) -> None:
        self._send("step")

    def action_reset(self) -> None:
        self._send("reset")

    def action_regenerate(self) -> None:
        self._send("regenerate")

    def action_lr_up(self) -> None:
        self._send("lr_up")

    def action_lr_down(self) -> None:
        self._send("lr_down")

    def action_cycle_activation(self) -> None:
        self._send("cycle_activation")

    def action_add_layer(self) -> None:
        self._send("add_layer")

    def action_remove_layer(self) -> None:
        self._send("remove_layer")

    def _selected_hidden_layer(self) -> int:
        """The hidden layer the selection is in (0-based), or the last one."""
        layer = self.selected[0]
        hidden = len(self.session.snapshot.hidden)
        return layer - 1 if 1 <= layer <= hidden else hidden - 1

    def action_add_neuron(self) -> None:
        self._send("add_neuron", self._selected_hidden_layer())

    def action_remove_neuron(self) -> None:
        self._send("remove_neuron", self._selected_hidden_layer())

    def action_toggle_feature(self, feature: str) -> None:
        self._send("toggle_feature", feature)

    def action_next_dataset(self) -> None:
        snapshot = self.session.snapshot
        if snapshot.output_map is None and snapshot.dataset not in DATASETS:
            self.notify("a CSV run keeps its file; start nn-tui with --dataset to switch", severity="warning")
            return
        self._send("set_data", dataset=_next(DATASETS, snapshot.dataset))

    def action_noise(self, direction: int) -> None:
        noise = round(min(0.5, max(0.0, self.session.snapshot.noise + direction * NOISE_STEP)), 2)
        self._send("set_data", noise=noise)

    def action_train_ratio(self, direction: int) -> None:
        ratio = round(self.session.snapshot.train_ratio + direction * RATIO_STEP, 1)
        self._send("set_data", train_ratio=min(0.9, max(0.1, ratio)))

    def action_batch_size(self, direction: int) -> None:
        self._send("set_batch_size", _step_on(BATCH_SIZES, self.session.snapshot.batch_size, direction))

    def action_next_optimizer(self) -> None:
        from nn_tui.engine import OPTIMIZERS

        self._send("set_optimizer", _next(OPTIMIZERS, self.session.snapshot.optimizer))

    def action_next_regularization(self) -> None:
        from nn_tui.config import REGULARIZERS

        self._send("set_regularization", _next(REGULARIZERS, self.session.snapshot.reg))

    def action_reg_rate(self, direction: int) -> None:
        snapshot = self.session.snapshot
        self._send("set_regularization", snapshot.reg, _step_on(REG_RATES, snapshot.reg_rate, direction))

    def action_select(self, d_layer: int, d_neuron: int) -> None:
        snapshot = self.session.snapshot
        layer, neuron = self.selected
        layer = min(max(layer + d_layer, 0), len(snapshot.sizes) - 1)
        neuron = neuron + d_neuron
        self._select(snapshot, layer, neuron)

    def on_topology_neuron_clicked(self, message: Topology.NeuronClicked) -> None:
        self._select(self.session.snapshot, message.layer, message.index)

    def _select(self, snapshot: Snapshot, layer: int, neuron: int) -> None:
        """Selection is the UI's own state: show it at once, without waiting for a frame."""
        self.selected = (layer, min(max(neuron, 0), snapshot.sizes[layer] - 1))
        self._main.query_one(Topology).selected = self.selected
        self._main.query_one(NeuronPanel).update_selection(snapshot, *self.selected)

    def _clamp_selection(self, snapshot: Snapshot) -> None:
        layer = min(self.selected[0], len(snapshot.sizes) - 1)
        self.selected = (layer, min(self.selected[1], snapshot.sizes[layer] - 1))

    def action_edit_neuron(self) -> None:
        snapshot = self.session.snapshot
        layer, neuron = self.selected
        if layer == 0:
            self.notify("select a neuron of a hidden or the output layer (→) to edit its weights")
            return

        def apply(changes: dict | None) -> None:
            for (kind, row), value in (changes or {}).items():
                if kind == "w":
                    self._send("set_weight", layer - 1, row, neuron, value)
                else:
                    self._send("set_bias", layer - 1, neuron, value)

        self.push_screen(WeightEditor(snapshot, layer, neuron), apply)

    def action_toggle_discrete(self) -> None:
        self.discretize = not self.discretize
        self._show_heavy(self.session.snapshot)

    def action_toggle_test_points(self) -> None:
        self.show_test_points = not self.show_test_points
        self._show_heavy(self.session.snapshot)

    def action_save(self) -> None:
        default = Path.cwd() / f"nn-tui-{self.session.snapshot.dataset}.npz"

        def save(path: str | None) -> None:
            if path:
                self._send("save", path)

        self.push_screen(SaveScreen(str(default)), save)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.BINDINGS))

    # --------------------------------------------------------- command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            key = binding.key_display or binding.key.split(",")[0]
            yield SystemCommand(
                binding.description,
                f"key: {key}",
                lambda action=binding.action: self.run_action(action),
            )

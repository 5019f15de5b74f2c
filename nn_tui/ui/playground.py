"""PlaygroundScreen(layout, controls): a kind's live screen, built from panes and keys.

The screen owns no training. On a timer at the display rate it takes the session's
latest snapshot and hands each pane its view ("attributes down"); heavy panes are fed
less often than the status line. Keys come from the controls table: a row sends a
session command or runs a UI action of the kind's UI object (selection, toggles).
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from nn_tui.snapshot import Snapshot
from nn_tui.state_dir import free_path as _free_path  # the default save name never overwrites
from nn_tui.ui import downloads
from nn_tui.ui.actions import SCREEN_ACTIONS
from nn_tui.ui.class_pace import ClassPace
from nn_tui.ui.controls import Control
from nn_tui.ui.exports import share_line
from nn_tui.ui.panes import Layout, Pane
from nn_tui.ui.screens import HelpScreen, SaveScreen
from nn_tui.ui.widgets.status_line import StatusLine

MIN_WIDTH, MIN_HEIGHT = 80, 24
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 34  # below either, the layout drops the least needed panes
# While training, the heavy panes update less often than the status line (every frame):
# most of the bytes sent to the terminal, and most of the UI's time, are theirs (see README,
# "Performance"). Seconds between updates of each group; the plot's axes rescale every time.
PANE_INTERVALS = {"network": 0.33, "output": 0.33, "plot": 1.0}
KEY_PRIORITY_SECONDS = 0.15  # after a key, heavy panes wait this long so its answer shows first


class PlaygroundScreen(Screen):
    def __init__(self, session, layout: Layout, controls: tuple[Control, ...], ui=None, fps: float = 10.0) -> None:
        super().__init__()
        self.session = session
        self.layout_spec = layout
        self.controls = tuple(controls)
        self.ui = ui
        self.fps = fps
        self._shown_version = -1
        self._group_shown_at: dict[str, float] = {}  # group -> when it last got a snapshot
        self._heavy_panes_wait_until = 0.0
        self._pace = ClassPace(fps)  # a served tab's frame rate, shared out over the class
        self._frame_at = float("-inf")
        self._widgets: dict[str, object] = {}
        self._quit_asked = False
        for index, control in enumerate(self.controls):
            self._bindings.bind(control.key, f"control({index})", control.label, show=control.show,
                                key_display=control.key_display)

    # ----------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        with Horizontal(id="main"):
            for column in self.layout_spec.columns:
                with Vertical(id=column.id):
                    for pane in column.panes:
                        widget_type, _ = pane.resolved()
                        widget = widget_type(id=pane.id)
                        self._widgets[pane.id] = widget
                        yield widget
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_size_classes()
        self.set_interval(1.0 / self.fps, self._paced_tick)
        self.tick()

    def on_resize(self, event: events.Resize) -> None:
        self._apply_size_classes(event.size)
        self._group_shown_at.clear()  # repaint every pane at its new size
        self._shown_version = -1

    def _apply_size_classes(self, size=None) -> None:
        width, height = size or self.app.size
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.set_class(too_small, "too-small")
        self.set_class(not too_small and (width < COMPACT_WIDTH or height < COMPACT_HEIGHT), "compact")
        if too_small:
            self.query_one("#too-small", Static).update(
                f"Terminal too small: {width}×{height}. nn-tui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
                "Enlarge the window (training goes on; q quits)."
            )

    # ------------------------------------------------------------------ frames
    @property
    def active(self) -> bool:
        """The topmost playground or lesson screen (a modal such as help may be over it).
        Only it follows the run: one under a lesson waits, and may be of another kind."""
        return next(s for s in reversed(self.app.screen_stack) if isinstance(s, PlaygroundScreen)) is self

    def _paced_tick(self) -> None:
        """The timer's frame, at the class's pace in a served tab (a key's answer is drawn
        by `send`'s own ticks, at once)."""
        now = time.monotonic()
        if self._pace.update(now):
            self.session.send("set_frame_rate", self._pace.current_fps)  # snapshots no faster
        # A timer's tick late by up to a tick still draws (alone: every tick draws).
        if now - self._frame_at < 1.0 / self._pace.current_fps - 1.0 / self.fps:
            return
        self._frame_at = now
        self.tick()

    def tick(self) -> None:
        """Take the latest snapshot to the panes; the heavy ones at a lower rate."""
        if not self.active:
            self._shown_version = -1  # everything again when it is back on top
            return
        snapshot = self.session.snapshot
        if snapshot.version == self._shown_version:
            return
        self._shown_version = snapshot.version
        self.query_one(StatusLine).update_snapshot(snapshot)
        now = time.monotonic()
        if snapshot.status != "training" or not self._group_shown_at:
            self.show_all(snapshot)  # paused: every change shows at once
            return
        self._show_group("light", snapshot)  # every frame, with the status line (cheap panes, titles)
        # Training: at most one heavy group per tick, the most overdue one, so that no single
        # frame carries them all and a key press never waits behind a long repaint.
        overdue = [
            (now - self._group_shown_at.get(group, 0.0) - interval, group)
            for group, interval in PANE_INTERVALS.items()
            if now - self._group_shown_at.get(group, 0.0) >= interval
        ]
        if overdue and now >= self._heavy_panes_wait_until:
            self._show_group(max(overdue)[1], snapshot)

    def show_all(self, snapshot: Snapshot | None = None) -> None:
        snapshot = snapshot or self.session.snapshot
        for group in (*PANE_INTERVALS, "light"):
            self._show_group(group, snapshot)

    def _show_group(self, group: str, snapshot: Snapshot) -> None:
        self._group_shown_at[group] = time.monotonic()
        for pane in self.layout_spec.panes():
            if pane.group == group:
                self._show_pane(pane, snapshot)

    def _show_pane(self, pane: Pane, snapshot: Snapshot) -> None:
        widget = self._widgets[pane.id]
        view = snapshot if pane.view is None else snapshot.view(pane.view)
        # A class, not `display`: the layout's own rules (compact mode) still apply.
        widget.set_class(view is None, "no-view")
        if view is not None:
            _, draw = pane.resolved()
            draw(widget, snapshot, view, self.ui)

    def on_topology_neuron_clicked(self, message) -> None:
        handler = getattr(self.ui, "select_neuron", None)
        if handler is not None:
            handler(self, message.layer, message.index)

    def on_topology_link_clicked(self, message) -> None:
        handler = getattr(self.ui, "edit_link", None)
        if handler is not None:
            handler(self, message.layer, message.row, message.column)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.send("nudge", "lr", 1)  # the mouse wheel is the learning rate (nothing here scrolls)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.send("nudge", "lr", -1)

    def pane(self, pane_id: str):
        """The widget of a pane of this screen's layout."""
        return self._widgets[pane_id]

    # ------------------------------------------------------------------ keys
    def send(self, command: str, *args, **kwargs) -> None:
        """Send a command and look for its effect soon, not at the next frame."""
        self.session.send(command, *args, **kwargs)
        # The answer to a key goes out in a light frame: heavy panes wait a moment.
        self._heavy_panes_wait_until = time.monotonic() + KEY_PRIORITY_SECONDS
        for delay in (0.005, 0.015, 0.03, 0.05, 0.08):
            self.set_timer(delay, self.tick)

    def action_control(self, index: int) -> None:
        control = self.controls[index]
        if control.command is not None:
            self.send(control.command, *control.args)
            return
        handler = getattr(self.ui, control.action, None) or SCREEN_ACTIONS.get(control.action)
        if handler is not None:
            handler(self, *control.args)
        else:
            getattr(self, f"do_{control.action}")(*control.args)

    def do_help(self) -> None:
        self.app.push_screen(HelpScreen(self.controls, share_line(self)))

    def do_present(self) -> None:
        """The teacher's tab (nn-tui serve): show this run on every other tab, or stop."""
        if self.session.broadcast.toggle():
            self.app.notify("Presenting: every other tab shows this run, read-only (S again stops).",
                            markup=False, timeout=6)
        else:
            self.app.notify("Stopped presenting: every other tab is back on a run of its own.",
                            markup=False, timeout=6)

    def do_lessons(self) -> None:
        self.app.open_lesson_picker()  # app-level: the lesson screens are built on this one

    def do_quit(self) -> None:
        """Quit; once, if the run trained since its last save, ask first (q again or y)."""
        if self.session.snapshot.unsaved and not self._quit_asked:
            self._quit_asked = True
            self.app.notify("The model is not saved: q or y quits (the autosave keeps the run for "
                            "nn-tui --resume), w saves.", severity="warning", markup=False, timeout=8)
            return
        self.app.exit()

    def key_y(self) -> None:
        if self._quit_asked:
            self.app.exit()

    def do_save(self) -> None:
        snapshot = self.session.snapshot
        if downloads.to_browser(self.app):  # served: to the browser's downloads, no path typed
            downloads.send_model(self, f"nn-tui-{snapshot.dataset}.npz")
            return
        default = _free_path(Path.cwd() / f"nn-tui-{snapshot.dataset}.npz")

        def save(path: str | None) -> None:
            if path:
                self.send("save", path)

        self.app.push_screen(SaveScreen(str(default)), save)

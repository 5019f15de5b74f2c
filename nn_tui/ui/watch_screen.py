"""A watching tab of `nn-tui serve` (the teacher presents): the teacher's run, read-only.

The kind's own playground layout, drawn at this tab's own size from the snapshots the
server relays (nn_tui/broadcast.py), with no keys: the server keeps a watching tab's keys,
so the footer's place holds one line saying what the tab is and the one key it has (the
server's). A run of another kind (a lesson switched it) gets that kind's layout.
"""

from __future__ import annotations

import importlib

from textual.app import ComposeResult
from textual.widgets import Footer, Static

from nn_tui.kinds import get_kind
from nn_tui.ui.playground import MIN_HEIGHT, MIN_WIDTH, PlaygroundScreen

WATCH_LINE = "watching the teacher's run, read-only · c: a copy of it, to go on alone"


class WatchScreen(PlaygroundScreen):
    DEFAULT_CSS = """
    WatchScreen #watching { height: 1; background: $warning; color: $background; padding: 0 1; }
    """

    def __init__(self, session, fps: float = 10.0) -> None:
        self.kind_name = session.snapshot.kind
        panes = importlib.import_module(get_kind(self.kind_name).panes)
        super().__init__(session, panes.LAYOUT, (), panes.make_ui(), fps)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield Static(WATCH_LINE, id="watching", markup=False) if isinstance(widget, Footer) else widget

    def _apply_size_classes(self, size=None) -> None:
        super()._apply_size_classes(size)
        width, height = size or self.app.size
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            self.query_one("#too-small", Static).update(
                f"This tab is too small to show the teacher's run: {width}×{height}, and it needs at least "
                f"{MIN_WIDTH}×{MIN_HEIGHT}. Enlarge the window.")

    def tick(self) -> None:
        if self.session.snapshot.kind != self.kind_name:
            self.app.switch_screen(WatchScreen(self.session, self.fps))
            return
        super().tick()

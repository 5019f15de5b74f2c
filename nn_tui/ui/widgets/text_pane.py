"""A pane of rich Text that sends the terminal nothing unless its text changed.

Not a Static: Static.update() asks for a new layout of the whole screen (~40 ms
at 120×40), and these panes change many times a second without changing size.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.widget import Widget

from nn_tui.ui.widgets.borders import lay_title


class TextPane(Widget):
    """Subclasses call ``show(make)``; ``make(width)`` builds the text for the
    pane's content width (None: leave the pane as it is) and is called again on
    every resize. A pane with ``height: auto`` gets a new layout only when its
    number of lines changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()
        self._shown: tuple | None = None
        self._make: Callable[[int], Text | None] | None = None
        self._lines = 0

    def render(self) -> Text:
        return self._text

    def on_resize(self) -> None:
        if self._make is not None:
            self._redraw()

    def show(self, make: Callable[[int], Text | None]) -> None:
        self._make = make
        self._redraw()

    def _redraw(self) -> None:
        width = self.content_size.width or 80  # 0 before the first layout
        text = self._make(width)
        # The styles too: a text whose colours alone change (the digits lesson's weight tiles,
        # all "▀") was never redrawn.
        shown = None if text is None else (text.plain, tuple(text.spans), str(text.style))
        if text is None or shown == self._shown:
            return
        self._shown = shown
        self._text = text
        relayout = False
        if self.styles.height is not None and self.styles.height.is_auto:
            lines = len(text.wrap(self.app.console, width))
            relayout, self._lines = lines != self._lines, lines
        self.refresh(layout=relayout)


class TitledTextPane(TextPane):
    """A text pane whose title (``title_parts()``, by default ``TITLE``) is laid over its
    borders when it mounts and again at every size (what fits changes with the width)."""

    TITLE: list = []

    def title_parts(self) -> list:
        return self.TITLE

    def on_mount(self) -> None:
        lay_title(self, self.title_parts())

    def on_resize(self) -> None:  # TextPane's on_resize redraws the text (Textual calls both)
        lay_title(self, self.title_parts())

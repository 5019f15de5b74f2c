"""The pane registry and a screen's layout: which widget draws which view, where.

A kind's screen is a `Layout`: columns of `Pane`s. A pane names the view type it
draws (its widget comes from the registry, `PANE_WIDGETS`) or a widget that draws the
snapshot's header (status, history); a pane whose view a snapshot lacks is hidden, so
one layout serves the plane, tables and regression alike. `group` says how often the
pane is redrawn while training (see PlaygroundScreen): heavy panes cost most bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PANE_WIDGETS: dict[type, tuple[type, Callable]] = {}


def register_pane(view_type: type, widget: type, draw: Callable) -> None:
    """`draw(widget, snapshot, view, ui)` puts a view on its widget."""
    PANE_WIDGETS[view_type] = (widget, draw)


@dataclass(frozen=True)
class Pane:
    id: str
    view: type | None = None  # the view drawn; None: the snapshot itself
    widget: type | None = None  # None: the registry's widget for `view`
    draw: Callable | None = None  # None: the registry's draw for `view`
    group: str = "network"  # a key of PANE_INTERVALS, or "light" for every frame

    def resolved(self) -> tuple[type, Callable]:
        if self.widget is not None and self.draw is not None:
            return self.widget, self.draw
        widget, draw = PANE_WIDGETS[self.view]
        return self.widget or widget, self.draw or draw


@dataclass(frozen=True)
class Column:
    id: str
    panes: tuple[Pane, ...]


@dataclass(frozen=True)
class Layout:
    columns: tuple[Column, ...]

    def panes(self) -> tuple[Pane, ...]:
        return tuple(pane for column in self.columns for pane in column.panes)

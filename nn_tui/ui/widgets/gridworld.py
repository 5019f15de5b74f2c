"""The DQN's panes (UI only): the grid, each cell shaded by its value (max Q) with an
arrow for the greedy move, the agent and a cursor; and the Q-values of the cell under
the cursor, the network's beside value iteration's. Both draw from a GridView only."""

from __future__ import annotations

import numpy as np
from rich.color import Color
from rich.style import Style
from rich.text import Text

from nn_tui.kinds.dqn.gridworld import ACTIONS, ARROWS, FREE, GOAL, PIT, WALL
from nn_tui.ui.widgets.plotext_view import BLUE, ORANGE
from nn_tui.ui.widgets.text_pane import TextPane

BACKGROUND = (24, 24, 28)
WALL_COLOR = (110, 110, 110)
WRONG = "#ff5f5f"  # a greedy arrow value iteration does not call best
CURSOR = "bold #ffd700"
KIND_NAMES = {FREE: "free", WALL: "wall", GOAL: "goal", PIT: "pit"}


def value_color(value: float) -> Color:
    """Blue for a positive value, orange for a negative one, stronger with |value| (1 = full)."""
    share = float(np.clip(abs(value), 0.0, 1.0)) ** 0.6
    tint = BLUE if value >= 0 else ORANGE
    return Color.from_rgb(*(round(b + (t - b) * share) for b, t in zip(BACKGROUND, tint)))


def cell_size(width: int, height: int, rows: int, cols: int) -> tuple[int, int]:
    """Characters per cell across (odd, 3..7) and lines per cell (1..3) that fit."""
    across = max(3, min(7, width // max(cols, 1)))
    if across % 2 == 0:
        across -= 1
    return across, max(1, min(3, height // max(rows, 1)))


def grid_text(view, cursor: tuple[int, int] | None, width: int, height: int) -> Text:
    rows, cols = view.shape
    across, lines = cell_size(width, height, rows, cols)
    values = view.q.max(axis=1)
    greedy = view.q.argmax(axis=1)
    text = Text(no_wrap=True, overflow="crop")
    for r in range(rows):
        for line in range(lines):
            if r or line:
                text.append("\n")
            middle = line == lines // 2
            for c in range(cols):
                i = r * cols + c
                kind = int(view.cells[r, c])
                mark, fg = " ", "white"
                if kind == WALL:
                    background = Color.from_rgb(*WALL_COLOR)
                elif kind in (GOAL, PIT):
                    background = value_color(float(view.rewards[r, c]))
                    mark = "G" if kind == GOAL else "P"
                else:
                    background = value_color(float(values[i]))
                    mark = ARROWS[greedy[i]]
                    if not view.optimal[i, greedy[i]]:
                        fg = WRONG
                if i == view.agent:
                    mark, fg = "●", "white"
                body = [" "] * across
                if middle:
                    body[across // 2] = mark
                style = Style(bgcolor=background, color=fg)
                if cursor == (r, c) and middle:
                    text.append("[", Style(bgcolor=background, color="#ffd700", bold=True))
                    text.append("".join(body[1:-1]), style)
                    text.append("]", Style(bgcolor=background, color="#ffd700", bold=True))
                else:
                    text.append("".join(body), style)
    return text


def cell_text(view, cursor: tuple[int, int]) -> Text:
    r, c = cursor
    cols = view.shape[1]
    i = r * cols + c
    kind = int(view.cells[r, c])
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"cell ({r}, {c}) {KIND_NAMES[kind]}", style="bold")
    if kind != WALL:
        text.append(f" · reward {view.rewards[r, c]:+g}")
    if kind != FREE:
        text.append("\n" + ("no moves from here" if kind == WALL else "the episode ends here"), style="dim")
        return text
    greedy, best = int(view.q[i].argmax()), view.optimal[i]
    text.append("\nmove    Q net   Q exact", style="dim")
    for a, name in enumerate(ACTIONS):
        line = f"\n{ARROWS[a]} {name:<5} {view.q[i, a]:+7.3f} {view.q_star[i, a]:+8.3f}"
        style = "bold" if a == greedy else ""
        text.append(line, style=style)
        if a == greedy:
            text.append(" ◂ greedy", style="bold" if best[a] else f"bold {WRONG}")
        if best[a]:
            text.append(" ✓ best", style="green")
    return text


class GridPane(TextPane):
    """The world and its values; `update_grid` with a GridView and the cursor."""

    def update_grid(self, view, cursor) -> None:
        self.show(lambda width: grid_text(view, cursor, width, self.content_size.height or 20))


class CellPane(TextPane):
    DEFAULT_CSS = """
    CellPane { height: auto; width: 1fr; padding: 0 1; border-top: solid $primary 30%; }
    """

    def update_cell(self, view, cursor) -> None:
        self.show(lambda width: cell_text(view, cursor))

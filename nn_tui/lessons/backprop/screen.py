"""The backprop lesson's screen: one training step by hand, phase by phase (→ next,
← back). Imported only by the UI."""

from __future__ import annotations

from rich.text import Text

from nn_tui.lessons.backprop import PHASES, walkthrough
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint, with_hints
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import LessonText


class NumbersPane(LessonText):
    DEFAULT_CSS = "NumbersPane { height: 2fr; min-height: 8; padding: 0 1; border: round $primary 40%; }"


def draw_numbers(widget: NumbersPane, snapshot, view, ui) -> None:
    phases = walkthrough()
    shown = ui.state.own.phase
    widget.border_title = with_hints(f"one step by hand: phase {shown} of {len(phases)}",
                                     key_hint(widget, "next", "Next phase"), key_hint(widget, "back", "Previous phase"))

    def make(width):
        # When small, the phases before the last one shrink to their names.
        short = widget.size.height < 16
        text = Text()
        if shown == 0:
            text.append("x = (1, 0), target y = 1. Press → for the forward pass.", style="dim")
        for number, phase in enumerate(phases[:shown]):
            last = number == shown - 1
            text.append(f"{number + 1}. {phase.name}" + (": " if last or not short else "\n"),
                        style="bold reverse" if last else "bold")
            if last or not short:
                text.append(phase.text + "\n", style="" if last else "dim")
                items = [f"{name} = {value:+.4f}" for name, value in phase.values.items()]
                text.append("   " + "  ".join(items) + "\n", style="bold cyan" if last else "dim")
        text.rstrip()
        return text

    widget.show(make)


PANES = {"numbers": Pane("numbers", widget=NumbersPane, draw=draw_numbers)}


def phase(screen, direction: int) -> None:
    own = screen.state.own
    own.phase = min(max(own.phase + direction, 0), len(PHASES))
    screen.state_changed()


ACTIONS = {"phase": phase}
CONTROLS = (
    Control("right", "Next phase", action="phase", args=(1,), show=True),
    Control("left", "Previous phase", action="phase", args=(-1,), show=True),
)

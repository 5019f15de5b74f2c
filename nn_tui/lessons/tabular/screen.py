"""The tabular lesson's screen: the inputs after encoding, and i to measure
permutation importance (the dense kind's command; its pane draws the bars).
Imported only by the UI."""

from __future__ import annotations

from rich.text import Text

from nn_tui.lessons.tabular import MERGED
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.views import NetworkView


class InputsPane(LessonText):
    SCOPED_CSS = False  # the rule for small screens names the screen's class
    DEFAULT_CSS = """
    InputsPane { height: auto; max-height: 12; padding: 0 1; border: round $primary 40%; }
    Screen.compact InputsPane { max-height: 5; }
    """


def draw_inputs(widget: InputsPane, snapshot, view: NetworkView, ui) -> None:
    names = view.input_labels
    widget.border_title = f"{len(names)} inputs, after encoding"

    def make(width):
        # As many names as the pane's rows hold, then how many are left out: the list is
        # longer than the pane at 120x40 (its 32nd name, alone, was cut off without a word).
        limit = widget.styles.max_height
        rows = int(limit.value) - 2 if limit is not None and limit.is_cells else 10**6  # less the border
        for shown in range(len(names), 0, -1):
            text = Text(", ".join(names[:shown]) + (f", … {len(names) - shown} more" if shown < len(names) else ""))
            if len(text.wrap(widget.app.console, max(width, 1))) <= max(rows, 1):
                return text
        return text

    widget.show(make)


PANES = {"inputs": Pane("inputs", NetworkView, widget=InputsPane, draw=draw_inputs)}


def measure_importance(screen) -> None:
    """On the Titanic table the columns that say the same thing are shuffled together;
    on the user's own table (--data) each column alone."""
    merge = MERGED if screen.session.snapshot.dataset == "titanic" else None
    screen.send("measure_importance", merge)


ACTIONS = {"measure_importance": measure_importance}
CONTROLS = (Control("i", "Measure permutation importance", action="measure_importance", show=True),)

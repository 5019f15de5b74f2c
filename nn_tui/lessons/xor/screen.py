"""The xor lesson's screen: the rows each epoch got wrong. Imported only by the UI."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import LessonText


class MistakesPane(LessonText):
    DEFAULT_CSS = "MistakesPane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_mistakes(widget: MistakesPane, snapshot, view, ui) -> None:
    """The perceptron run: its wrong rows (of four) after each epoch; a network: its accuracy."""
    history = snapshot.history
    accuracy = history.get("train_accuracy")
    on_gates = snapshot.kind == "perceptron"
    widget.border_title = "rows wrong after each epoch" if on_gates else "accuracy"

    def make(width):
        if accuracy is None or not len(accuracy):
            return Text("no epochs yet")
        if on_gates:
            wrong = np.rint((1.0 - np.asarray(accuracy[1:], float)) * 4).astype(int)  # four rows
            shown = wrong[-max(1, (width - 2) // 2):]
            text = Text(" ".join(str(w) for w in shown) or "press Space", style="bold")
            if len(wrong):
                # snapshot.epoch, not len(wrong): a long run's history keeps only some epochs
                text.append(f"\nfewest wrong: {wrong.min()} of 4, epochs: {snapshot.epoch:,}", style="dim")
            return text
        test = snapshot.metrics.get("test_accuracy")
        return Text(f"test accuracy {test:.1%}" if test is not None else "", style="bold")

    widget.show(make)


# Step 3 asks the learner to read each hidden unit's map: in a third of the column they
# are 2x2 pixels (no line to see); twice the share of the plane and the loss makes them 6x6.
PANE_HEIGHTS = {"topology": "2fr"}
PANES = {"mistakes": Pane("mistakes", widget=MistakesPane, draw=draw_mistakes, group="plot")}

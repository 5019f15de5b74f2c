"""The backprop lesson's screen: one training step by hand, phase by phase (→ next,
← back). Imported only by the UI."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from nn_tui.lessons.backprop import (HIDDEN_BIASES, HIDDEN_WEIGHTS, LEARNING_RATE, OUTPUT_BIAS, OUTPUT_WEIGHTS, PHASES,
                                     SAMPLE, TARGET, row_is_right, walkthrough, xor_rows)
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint, with_hints
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.views import NetworkView


class NumbersPane(LessonText):
    DEFAULT_CSS = "NumbersPane { height: 2fr; min-height: 8; padding: 0 1; border: round $primary 40%; }"


def start_values() -> dict:
    """The weights the step starts from, under the walkthrough's names."""
    values = {f"w{i + 1}{j + 1}": HIDDEN_WEIGHTS[i][j] for i in range(2) for j in range(2)}
    values.update({f"b{j + 1}": HIDDEN_BIASES[j] for j in range(2)})
    values.update({f"v{j + 1}": OUTPUT_WEIGHTS[j] for j in range(2)})
    values["c"] = OUTPUT_BIAS
    return values


def _numbers(values: dict) -> str:
    # name=value with no space: a narrow pane wraps between pairs, never "b1" / "= +0.1000".
    return "  ".join(f"{name}={value:+.4f}" for name, value in values.items())


def numbers_text(shown: int, detail: int) -> Text:
    """The starting weights, the phases before `shown` at `detail` (2: formula and
    numbers, 1: numbers only, 0: names only), and phase `shown` in full."""
    phases = walkthrough()
    x1, x2 = SAMPLE
    text = Text()
    text.append(f"start: x = ({x1:g}, {x2:g}), y = {TARGET:g}, lr {LEARNING_RATE:g}\n", style="bold")
    text.append("   " + _numbers(start_values()) + "\n", style="cyan")
    if shown == 0:
        text.append("Press → for the forward pass.", style="dim")
    for number, phase in enumerate(phases[:shown]):
        last = number == shown - 1
        if last or detail == 2:
            text.append(f"{number + 1}. {phase.name}: ", style="bold reverse" if last else "bold")
            text.append(phase.text + "\n", style="" if last else "dim")
            text.append("   " + _numbers(phase.values) + "\n", style="bold cyan" if last else "dim")
        elif detail == 1:
            text.append(f"{number + 1}. {phase.name}: ", style="bold")
            text.append(_numbers(phase.values) + "\n", style="dim")
        elif detail == 0:
            text.append(f"{number + 1}. {phase.name}\n", style="bold")
        elif number == 0:  # -1: the earlier phases in one line
            names = phases[0].name if shown == 2 else f"{phases[0].name} … {phases[shown - 2].name}"
            text.append(f"1–{shown - 1}. {names}\n", style="dim")
    text.rstrip()
    return text


def border_fits(widget, label: str) -> bool:
    """Whether ``label`` is drawn whole on the widget's border (Textual keeps a corner, a
    line cell and a space at each end)."""
    return cell_len(label) + 6 <= widget.outer_size.width


def draw_numbers(widget: NumbersPane, snapshot, view, ui) -> None:
    shown = ui.state.own.phase
    hints = (key_hint(widget, "next", "Next phase"), key_hint(widget, "back", "Previous phase"))
    title = with_hints(f"one step by hand: phase {shown} of {len(PHASES)}", *hints)
    subtitle = ""
    if not border_fits(widget, title):
        # 80 columns: the phase and the keys would be cut ("phase 1 of …"); the keys go under.
        title, subtitle = f"by hand: phase {shown} of {len(PHASES)}", ", ".join(hint for hint in hints if hint)
    widget.border_title, widget.border_subtitle = title, subtitle

    def make(width):
        # The most detail that fits: the starting weights and the phase shown always do.
        height = widget.size.height
        for detail in (2, 1, 0, -1):
            text = numbers_text(shown, detail)
            if detail == -1 or len(text.wrap(widget.app.console, max(width, 1))) <= height:
                return text

    widget.show(make)


class XorRowsPane(LessonText):
    DEFAULT_CSS = "XorRowsPane { height: auto; padding: 0 1; border: round $primary 40%; }"


def xor_rows_text(rows) -> Text:
    """The truth table with the network's output beside each row, and how many are right."""
    text = Text("x1 x2 │ XOR  ŷ now\n", style="bold")
    for x1, x2, want, output in rows:
        right = row_is_right(want, output)
        text.append(f" {x1}  {x2} │  {want}   {output:.4f} ")
        text.append("✓\n" if right else "✗\n", style="green" if right else "bold red")
    count = sum(row_is_right(want, output) for *_, want, output in rows)
    text.append(f"{count} of 4 rows right", style="bold")
    text.append(" (ŷ ≥ 0.5 reads 1)", style="dim")
    return text


def draw_xor_rows(widget: XorRowsPane, snapshot, view: NetworkView, ui) -> None:
    # Under the steps at every size: the rows step 6 trains "until all four rows are right"
    # (at 80 columns the status line has no room for the accuracy).
    widget.border_title = "the four rows of XOR: the output ŷ"
    rows = xor_rows(view)
    if rows is None:  # opened from another run: its snapshot is still the one shown
        widget.show(lambda width: Text("the lesson's 2-2-1 network is on its way…", style="dim"))
        return
    widget.show(lambda width: xor_rows_text(rows))


PANES = {"numbers": Pane("numbers", widget=NumbersPane, draw=draw_numbers),
         "xor_rows": Pane("xor_rows", NetworkView, widget=XorRowsPane, draw=draw_xor_rows)}


def phase(screen, direction: int) -> None:
    own = screen.state.own
    own.phase = min(max(own.phase + direction, 0), len(PHASES))
    screen.state_changed()


ACTIONS = {"phase": phase}
CONTROLS = (
    Control("right", "Next phase", action="phase", args=(1,), show=True),
    Control("left", "Previous phase", action="phase", args=(-1,), show=True),
)

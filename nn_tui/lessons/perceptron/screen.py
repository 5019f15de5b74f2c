"""The perceptron lesson's screen: its truth table and parameter panes, and the keys
that tune the unit by hand and switch the gate. Imported only by the UI."""

from __future__ import annotations

from rich.text import Text

from nn_tui.lessons.perceptron import PARAMETER_STEP, PARAMETERS, perceptron_parameters, set_by_hand, truth_table
from nn_tui.lessons.screen_values import network
from nn_tui.ui.controls import Control
from nn_tui.ui.key_hints import key_hint
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.borders import lay_title
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.ui import palette
from nn_tui.views import NetworkView, PlaneView


class TruthTable(LessonText):
    DEFAULT_CSS = "TruthTable { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_truth_table(widget: TruthTable, snapshot, view: NetworkView, ui) -> None:
    gate = snapshot.dataset
    widget.border_title = f"truth table of {gate.upper()}"

    def make(width):
        try:
            rows = truth_table(view, gate)
        except (KeyError, IndexError):
            return Text(f"{gate}: not a gate")
        except ValueError:  # opened from another run: its network is still the one shown
            return Text("the lesson's unit is on its way…", style="dim")
        text = Text("x1 x2 │ out want\n", style="bold")
        for x1, x2, out, want in rows:
            text.append(f" {x1}  {x2} │  {out}    {want}  ")
            text.append("✓\n" if out == want else "✗\n", style="green" if out == want else "bold red")
        right = sum(out == want for *_, out, want in rows)
        text.append(f"{right} of 4 rows right", style="bold")
        return text

    widget.show(make)


class ParametersPane(LessonText):
    DEFAULT_CSS = "ParametersPane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_parameters(widget: ParametersPane, snapshot, view: NetworkView, ui) -> None:
    # At 80x24 "the unit (Tab: pick, + -: cha…": its keys in parts, on the bottom border where need be.
    lay_title(widget, ["the unit", key_hint(widget, "pick", "Next parameter (w1, w2, threshold)"),
                       key_hint(widget, "change", "Parameter up", "Parameter down")])
    values = perceptron_parameters(view)
    chosen = PARAMETERS[ui.state.own.parameter]

    def make(width):
        text = Text()
        for name in PARAMETERS:
            selected = name == chosen
            shown = round(values[name], 2) + 0.0  # + 0.0: never "-0.00" for a zero threshold
            text.append(("▶ " if selected else "  ") + f"{name:<9} {shown:+.2f}\n",
                        style="bold reverse" if selected else "")
        text.append("fires (1) when w1·x1 + w2·x2 ≥ threshold", style="dim")
        return text

    widget.show(make)


# The plane the steps call "the decision line": what its colours, dots and axes are.
def _hex(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


# In parts: 80x24 cut it at "dots: the an…".
PLANE_TITLE = (f"output [{_hex(palette.POSITIVE_RGB)}]█[/] 1 [{_hex(palette.NEGATIVE_RGB)}]█[/] 0",
               ("dots: the answer wanted", "dots: wanted"), "x1 across, x2 up")


def draw_gate_plane(widget, snapshot, view: PlaneView, ui) -> None:
    _, draw = Pane("output", PlaneView).resolved()  # the dense network's plane, titled
    draw(widget, snapshot, view, ui)
    lay_title(widget, PLANE_TITLE)


PANES = {
    "output": Pane("output", PlaneView, group="output", draw=draw_gate_plane),
    "truth_table": Pane("truth_table", NetworkView, widget=TruthTable, draw=draw_truth_table),
    "parameters": Pane("parameters", NetworkView, widget=ParametersPane, draw=draw_parameters),
}


# --------------------------------------------------------------------- keys
def select_parameter(screen, direction: int) -> None:
    own = screen.state.own
    own.parameter = (own.parameter + direction) % len(PARAMETERS)
    screen.state_changed()


def nudge_parameter(screen, direction: int) -> None:
    view = network(screen.session.snapshot)
    if view is None or view.sizes[0] != 2 or len(view.sizes) != 2:
        return
    name = PARAMETERS[screen.state.own.parameter]
    value = round(perceptron_parameters(view)[name] / PARAMETER_STEP + direction) * PARAMETER_STEP
    command, args = set_by_hand(screen.state, view, name, value)
    screen.send(command, *args)


def next_gate(screen) -> None:
    """The next gate: new data; the hand-set weights are kept."""
    names = list(screen.state.extras["gates"])
    current = screen.session.snapshot.dataset
    following = names[(names.index(current) + 1) % len(names)] if current in names else names[0]
    view = network(screen.session.snapshot)
    screen.send("set_data", dataset=f"gates:{following}")
    if view is not None and len(view.sizes) == 2:
        values = perceptron_parameters(view)
        screen.send("set_weight", 0, 0, 0, values["w1"])
        screen.send("set_weight", 0, 1, 0, values["w2"])
        screen.send("set_bias", 0, 0, -values["threshold"])


ACTIONS = {"select_parameter": select_parameter, "nudge_parameter": nudge_parameter, "next_gate": next_gate}
CONTROLS = (
    Control("tab", "Next parameter (w1, w2, threshold)", action="select_parameter", args=(1,), show=True),
    Control("plus,equals_sign", "Parameter up", action="nudge_parameter", args=(1,), show=True, key_display="+"),
    Control("minus", "Parameter down", action="nudge_parameter", args=(-1,), show=True, key_display="-"),
    Control("g", "Next gate (AND / OR)", action="next_gate", show=True),
)

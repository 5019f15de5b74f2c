"""The lesson screen's own panes: the numbered steps, and small pictures computed
from the snapshot's views (truth table, the perceptron's parameters, the backprop
walkthrough, unit contributions, weight images, the race's curves, ...).

Each pane is a TextPane or a PlotextView; its ``draw(widget, snapshot, view, ui)``
reads the lesson's UI state from ``ui.state`` (a LessonState) and the views.
"""

from __future__ import annotations

import math

import numpy as np
from rich.text import Text

from nn_tui.lessons.screen_values import (
    PARAMETERS, connections, near_zero_share, perceptron_parameters, truth_table,
)
from nn_tui.ui.widgets.loss_plot import finite
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, PlotextView, hex_color
from nn_tui.ui.widgets.text_pane import TextPane
from nn_tui.views import NetworkView

GREEN = (60, 170, 90)
RACE_COLORS = (ORANGE, GREY, BLUE)  # sigmoid, tanh, relu


class LessonText(TextPane):
    """A TextPane whose height follows its wrapped text at every width."""

    def on_resize(self) -> None:
        self._shown = None  # the same text wraps to another number of lines
        super().on_resize()


class StepsPane(LessonText):
    """Numbered steps: done ones in one line, the current one in full and highlighted,
    the ones to come in one line; a short form (only the current one) when small."""

    DEFAULT_CSS = "StepsPane { height: auto; padding: 0 1; border: round $accent; }"

    def show_steps(self, lesson, index: int, run_line: str, short: bool) -> None:
        self.border_title = lesson.title
        self.show(lambda width: steps_text(lesson, index, run_line, short, width))


def steps_text(lesson, index: int, run_line: str = "", short: bool = False, width: int = 60) -> Text:
    steps = lesson.steps
    text = Text()
    if run_line:
        text.append(run_line + "\n", style="bold magenta")
    for number, step in enumerate(steps):
        if number == index:
            text.append(f"▶ {number + 1}/{len(steps)}. ", style="bold reverse")
            text.append(step.text + "\n", style="bold")
        elif not short:
            mark = "✓" if number < index else " "
            line = f"{mark} {number + 1}. {step.text}"
            cut = max(10, width - 1)
            text.append((line[:cut - 1] + "…" if len(line) > cut else line) + "\n",
                        style="dim" if number < index else "")
    if index >= len(steps):
        text.append("✓ All steps done. c: another lesson · P: the playground with this network\n", style="bold green")
    if not short:
        text.append("Enter next step · Backspace back · c lessons · P playground · ? keys", style="dim")
    text.rstrip()
    return text


# ------------------------------------------------------------------ the perceptron
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
    widget.border_title = "the unit (Tab picks, + and - change)"
    values = perceptron_parameters(view)
    chosen = PARAMETERS[ui.state.parameter]

    def make(width):
        text = Text()
        for name in PARAMETERS:
            selected = name == chosen
            text.append(("▶ " if selected else "  ") + f"{name:<9} {values[name]:+.2f}\n",
                        style="bold reverse" if selected else "")
        text.append("fires (1) when w1·x1 + w2·x2 ≥ threshold", style="dim")
        return text

    widget.show(make)


class MistakesPane(LessonText):
    DEFAULT_CSS = "MistakesPane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_mistakes(widget: MistakesPane, snapshot, view, ui) -> None:
    history = snapshot.history
    accuracy = history.get("train_accuracy")
    widget.border_title = "rows wrong after each epoch" if snapshot.kind == "perceptron" else "accuracy"

    def make(width):
        if accuracy is None or not len(accuracy):
            return Text("no epochs yet")
        if snapshot.kind == "perceptron":
            wrong = np.rint((1.0 - np.asarray(accuracy[1:], float)) * 4).astype(int)  # four rows
            shown = wrong[-max(1, (width - 2) // 2):]
            text = Text(" ".join(str(w) for w in shown) or "press Space", style="bold")
            if len(wrong):
                text.append(f"\nfewest: {wrong.min()} of 4, epochs: {len(wrong)}", style="dim")
            return text
        test = snapshot.metrics.get("test_accuracy")
        return Text(f"test accuracy {test:.1%}" if test is not None else "", style="bold")

    widget.show(make)


# --------------------------------------------------------------------- backprop
class NumbersPane(LessonText):
    DEFAULT_CSS = "NumbersPane { height: 2fr; min-height: 8; padding: 0 1; border: round $primary 40%; }"


def draw_numbers(widget: NumbersPane, snapshot, view, ui) -> None:
    from nn_tui.lessons.backprop import walkthrough

    phases = walkthrough()
    shown = ui.state.phase
    widget.border_title = f"one step by hand: phase {shown} of {len(phases)} (→ next, ← back)"

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


# -------------------------------------------------------------------- text lists
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
        return Text(", ".join(names), style="")

    widget.show(make)


class ImportancePane(LessonText):
    DEFAULT_CSS = "ImportancePane { height: auto; padding: 0 1; border: round $primary 40%; }"


def draw_importance(widget: ImportancePane, snapshot, view, ui) -> None:
    widget.border_title = "permutation importance (test split)"
    scores = getattr(view, "scores", None)

    def make(width):
        if not scores:
            return Text("press i to measure", style="dim")
        top = max(max(scores.values()), 1e-9)
        bar_width = max(4, width - 24)
        text = Text()
        for name, score in sorted(scores.items(), key=lambda kv: -kv[1]):
            bar = "█" * max(0, int(round(bar_width * max(score, 0) / top)))
            text.append(f"{name[:12]:<12} {score * 100:+5.1f}pp ", style="bold")
            text.append(bar + "\n", style=hex_color(BLUE))
        return text

    widget.show(make)


# ----------------------------------------------------------------- weight images
class WeightImages(LessonText):
    DEFAULT_CSS = "WeightImages { height: 1fr; padding: 0 1; border: round $primary 40%; }"


def draw_weight_images(widget: WeightImages, snapshot, view: NetworkView, ui) -> None:
    weights = np.asarray(view.weights[0])
    side = int(round(math.sqrt(weights.shape[0])))
    widget.border_title = "each hidden neuron's incoming weights as an image (blue +, orange −)"

    def make(width):
        if side * side != weights.shape[0]:
            return Text("the inputs are not a square image")
        per_row = max(1, (width + 1) // (side + 1))
        height = max(1, widget.content_size.height or 20)
        rows_of_tiles = max(1, height // (side // 2 + 1))
        count = min(weights.shape[1], per_row * rows_of_tiles)
        scale = float(np.max(np.abs(weights))) or 1.0
        text = Text(no_wrap=True)
        for first in range(0, count, per_row):
            tiles = [weights[:, k].reshape(side, side) / scale for k in range(first, min(first + per_row, count))]
            for row in range(0, side, 2):
                for tile in tiles:
                    for column in range(side):
                        top, bottom = tile[row, column], tile[min(row + 1, side - 1), column]
                        text.append("▀", style=f"{_shade(top)} on {_shade(bottom)}")
                    text.append(" ")
                text.append("\n")
            text.append("\n")
        if count < weights.shape[1]:
            text.append(f"{count} of {weights.shape[1]} neurons shown (a larger window shows more)", style="dim")
        return text

    widget.show(make)


def _shade(value: float) -> str:
    """-1..1 to a colour: orange for negative, blue for positive, dark near zero."""
    value = max(-1.0, min(1.0, float(value)))
    base = BLUE if value >= 0 else ORANGE
    strength = abs(value) ** 0.7
    return hex_color(tuple(int(20 + (c - 20) * strength) for c in base))


# -------------------------------------------------------------------- the plots
class SeriesPlot(PlotextView):
    """Named curves ((label, x, y, colour)); the legend is the border title."""

    DEFAULT_CSS = "SeriesPlot { height: 1fr; border: round $primary 40%; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._series: tuple = ()
        self._xlabel = ""
        self._scatter = False
        self._ylim = None

    def update_series(self, title: str, series, xlabel: str = "", scatter: bool = False, ylim=None) -> None:
        self.border_title = title
        self._series, self._xlabel, self._scatter, self._ylim = tuple(series), xlabel, scatter, ylim
        self.rebuild()

    def content_key(self):
        return tuple((label, len(x), float(x[-1]) if len(x) else 0.0, float(np.sum(y)) if len(y) else 0.0)
                     for label, x, y, _ in self._series) or None

    def draw(self, plt, width, height):
        for label, x, y, color in self._series:
            if len(x):
                draw = plt.scatter if self._scatter else plt.plot
                draw(list(map(float, x)), finite(y), color=color, marker="braille")
        if self._xlabel:
            plt.xlabel(self._xlabel)
        if self._ylim is not None:
            plt.ylim(*self._ylim)


def _legend(items) -> str:
    return " ".join(f"[{hex_color(color)}]━ {label}[/]" for label, color in items)


def draw_loss_race(widget: SeriesPlot, snapshot, view, ui) -> None:
    state = ui.state
    names = state.race_names
    series = []
    for index, name in enumerate(names):
        color = RACE_COLORS[index % len(RACE_COLORS)]
        if name in state.race:
            epochs, losses = state.race[name]
            series.append((name, epochs, losses, color))
    current = snapshot.settings.get("activation")
    history = snapshot.history
    if current not in state.race and history.get("train_loss") is not None:
        color = RACE_COLORS[names.index(current) % len(RACE_COLORS)] if current in names else GREEN
        series.append((f"{current} (now)", history.epochs, history.get("train_loss"), color))
    widget.update_series("training loss: " + _legend([(label, color) for label, _, _, color in series]),
                         series, "epoch")


def activation_curves(points: int = 81):
    x = np.linspace(-4, 4, points)
    return x, {"sigmoid": 1 / (1 + np.exp(-x)), "tanh": np.tanh(x), "relu": np.maximum(x, 0) / 4}


def unit_marks(view: NetworkView, saturated: float = 0.99, share: float = 0.9) -> tuple[int, int]:
    """(saturated, dead) hidden units over the shown inputs (the plane's grid):
    saturated = pinned near a limit on over 90 % of it; dead = ReLU at 0 on all of it."""
    sat = dead = 0
    for maps in view.neuron_maps[1:-1]:
        flat = np.asarray(maps).reshape(maps.shape[0], -1)
        if view.activation == "relu":
            dead += int(np.sum((flat <= 0).all(axis=1)))
        else:
            values = 2 * flat - 1 if view.activation == "sigmoid" else flat
            sat += int(np.sum((np.abs(values) > saturated).mean(axis=1) > share))
    return sat, dead


def draw_activation_curves(widget: SeriesPlot, snapshot, view: NetworkView, ui) -> None:
    x, curves = activation_curves()
    names = ui.state.race_names or tuple(curves)
    series = [(name, x, curves[name], RACE_COLORS[i % len(RACE_COLORS)]) for i, name in enumerate(names)
              if name in curves]
    sat, dead = unit_marks(view)
    widget.update_series(f"now {view.activation}: {sat} saturated, {dead} dead units · "
                         f"{_legend([(s[0], s[3]) for s in series])} (relu/4)", series, "sum z")


def contributions(view: NetworkView, x: np.ndarray) -> np.ndarray:
    """Each hidden unit's share v_j·h_j(x) of a one-input, one-hidden-layer network's output."""
    from nn_tui.engine.activations import ACTIVATIONS

    hidden = ACTIVATIONS[view.activation].forward(x[:, None] @ view.weights[0] + view.biases[0])
    return hidden * view.weights[1][:, 0]


def draw_contributions(widget: SeriesPlot, snapshot, view: NetworkView, ui) -> None:
    from nn_tui.lessons.approximation import X_RANGE

    if view.sizes[0] != 1 or len(view.sizes) != 3:
        widget.update_series("contributions: one input and one hidden layer only", ())
        return
    x = np.linspace(*X_RANGE, 121)
    parts = contributions(view, x)
    colors = (BLUE, ORANGE, GREY, GREEN)
    series = [(f"unit {j + 1}", x, parts[:, j], colors[j % len(colors)]) for j in range(parts.shape[1])]
    widget.update_series(f"each unit's contribution v·tanh(w·x + b): {parts.shape[1]} units", series, "x")


def draw_connections_chart(widget: SeriesPlot, snapshot, view: NetworkView, ui) -> None:
    points = ui.state.chart
    xs = np.array([p[0] for p in points], float)
    ys = np.array([p[1] for p in points], float)
    widget.update_series(f"test accuracy against connections · now {connections(view):,} links, "
                         f"{near_zero_share(view):.0%} near 0", [("accuracy", xs, ys, BLUE)],
                         "connections", scatter=True, ylim=(0.0, 1.0))

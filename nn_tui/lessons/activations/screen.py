"""The activation race's screen: one Space trains each racer its epochs in turn, the
finished curves stay on one plot (kept UI-side), and the three activation curves.
Imported only by the UI."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from nn_tui.lessons.runs import run_settings
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.borders import set_border_subtitle
from nn_tui.ui.widgets.lesson_pane import CURVE_COLORS, GREEN, SeriesPlot, legend
from nn_tui.views import NetworkView


def racers(screen_or_ui) -> tuple[str, ...]:
    return tuple(screen_or_ui.state.extras.get("race", ()))


def follow(screen, snapshot) -> None:
    """A racer that trained its epochs is done: keep its curve, start the next one."""
    race, own = racers(screen), screen.state.own
    if not race or len(own.race) >= len(race) or own.racer >= len(race):
        return
    epochs = int(screen.lesson.setup.get("epochs", 40))
    name = race[own.racer]
    if snapshot.settings.get("activation") != name or snapshot.epoch < epochs:
        return
    history = snapshot.history
    own.race[name] = (history.epochs.copy(), history.get("train_loss").copy())
    own.racer += 1
    if own.racer < len(race):
        screen.send("use_run", run_settings(screen.lesson, activation=race[own.racer]))
        screen.send("play")
    else:
        screen.send("pause")
        screen.app.notify("race finished: the three curves are on one plot")


def run_line(screen) -> str:
    race, own = racers(screen), screen.state.own
    racer = screen.session.snapshot.settings.get("activation")
    done = ", ".join(own.race) or "none yet"
    if len(own.race) >= len(race):
        return f"race finished ({done}); now training {racer}"
    return f"race: now {racer} ({own.racer + 1}/{len(race)}); finished: {done}"


def draw_loss_race(widget: SeriesPlot, snapshot, view, ui) -> None:
    names, own = racers(ui), ui.state.own
    series = []
    for index, name in enumerate(names):
        color = CURVE_COLORS[index % len(CURVE_COLORS)]
        if name in own.race:
            epochs, losses = own.race[name]
            series.append((name, epochs, losses, color))
    current = snapshot.settings.get("activation")
    history = snapshot.history
    if current not in own.race and history.get("train_loss") is not None:
        color = CURVE_COLORS[names.index(current) % len(CURVE_COLORS)] if current in names else GREEN
        series.append((f"{current} (now)", history.epochs, history.get("train_loss"), color))
    title = "training loss: " + legend([(label, color) for label, _, _, color in series])
    if len(Text.from_markup(title).plain) + 4 > widget.outer_size.width:
        # 80 columns: the legend's last name was cut ("━ ta…"); the line over the steps says
        # which racer runs now.
        title = "loss " + legend([(label.removesuffix(" (now)"), color) for label, _, _, color in series])
    widget.update_series(title, series, "epoch", whole_x=True)  # epochs 0, 10, 20 (plotext drew 10.2, 20.5)


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
    names = racers(ui) or tuple(curves)
    series = [(name, x, curves[name], CURVE_COLORS[i % len(CURVE_COLORS)]) for i, name in enumerate(names)
              if name in curves]
    sat, dead = unit_marks(view)
    # The legend on top, the counts steps 2-4 ask about on the bottom border: in one title
    # the legend and "(relu/4)" were cut at 120x40 and gone at 80x24.
    widget.update_series(f"{legend([(s[0], s[3]) for s in series])} ÷ 4", series, "sum z")
    counts = f"{view.activation}: {sat} saturated, {dead} dead"  # whole in 80x24's 30 columns
    set_border_subtitle(widget, counts)


PANES = {
    "loss_race": Pane("loss_race", widget=SeriesPlot, draw=draw_loss_race, group="plot"),
    "activation_curves": Pane("activation_curves", NetworkView, widget=SeriesPlot, draw=draw_activation_curves,
                              group="plot"),
}

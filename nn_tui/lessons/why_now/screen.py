"""The why-now lesson's screen: accuracy against training images (a point per run,
kept UI-side as runs switch), the engine's FLOP/s table with AlexNet's estimate,
and m to measure (the dense kind's measure_speed command: it runs in the training
process; this only draws). Imported only by the UI."""

from __future__ import annotations

import math

from rich.text import Text

from nn_tui.kinds.speed import SpeedView
from nn_tui.engine.speed import BATCH_SIZES, DTYPES
from nn_tui.lessons.why_now import SHARES, alexnet, run_name, train_images
from nn_tui.snapshot import TRAINING
from nn_tui.ui.controls import Control
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.lesson_pane import LessonText
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, PlotextView, hex_color
from nn_tui.views import NetworkView

SHARE_OF_RUN = {run_name(share): share for share in SHARES}


def follow(screen, snapshot) -> None:
    """Keep the shown run's (images, train accuracy, test accuracy) and the measured rates.
    The screen drew this snapshot before calling here: what changed is drawn again at
    once when the run is not training (while it trains, the next frame shows it)."""
    own = screen.state.own
    changed = False
    speed = snapshot.view(SpeedView)
    if speed is not None and (own.rates is None or own.measuring):
        own.rates = {(dtype, batch): rate for dtype, batch, rate in speed.rates}
        own.measuring, changed = False, True
    share = SHARE_OF_RUN.get(screen.state.run)
    train, test = snapshot.metrics.get("train_accuracy"), snapshot.metrics.get("test_accuracy")
    # Only this run's own snapshots (just after a switch the last run's may still show), once trained.
    if share is not None and snapshot.dataset == f"digits:{share}%" and snapshot.epoch >= 1 and None not in (train, test):
        point = (train_images(share), float(train), float(test))
        changed = changed or (own.points.get(screen.state.run) != point and snapshot.status != TRAINING)
        own.points[screen.state.run] = point
    if changed:
        screen.state_changed()


# ------------------------------------------------------------------ the data chart
class DataChart(PlotextView):
    """Train and test accuracy against training images, on a logarithmic x axis."""

    DEFAULT_CSS = "DataChart { height: 1fr; min-height: 6; border: round $primary 40%; }"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.points: tuple = ()

    def content_key(self):
        return self.points

    def draw(self, plt, width, height):
        sizes = [train_images(share) for share in SHARES]
        shown = sorted(self.points)
        if shown:
            xs = [math.log10(images) for images, _, _ in shown]
            plt.plot(xs, [train for _, train, _ in shown], color=GREY, marker="braille")
            plt.plot(xs, [test for _, _, test in shown], color=BLUE, marker="braille")
            plt.scatter(xs, [train for _, train, _ in shown], color=GREY, marker="○")
            plt.scatter(xs, [test for _, _, test in shown], color=BLUE, marker="●")
        plt.xlim(math.log10(sizes[0]) - 0.15, math.log10(sizes[-1]) + 0.15)
        plt.ylim(0.0, 1.0)
        plt.xticks([math.log10(images) for images in sizes], [f"{images:,}" for images in sizes])
        plt.yticks([0.0, 0.5, 1.0], ["0", "50%", "100%"])
        plt.xlabel("training images: 8×8 digits, built in (log scale)")


def percent(share: float) -> str:
    """0.953 -> "95.3%", 1.0 -> "100%" (the narrow title has room for no more)."""
    shown = f"{share:.1%}"
    return "100%" if shown == "100.0%" else shown


def chart_title(point, narrow: bool) -> str:
    """The legend, with the shown run's test and train accuracy: the numbers steps 1-3
    train for (the status line has no room for the accuracy at 80 columns, and never
    shows the train accuracy). Narrow, it has 30 cells: "acc ● test 95.7% ○ train 100%"."""
    if point is None:
        return (f"{'accuracy:' if narrow else 'accuracy against training images:'} "
                f"[{hex_color(BLUE)}]● test[/] [{hex_color(GREY)}]○ train[/]")
    _, train, test = point
    return (f"{'acc' if narrow else 'accuracy against training images:'} "
            f"[{hex_color(BLUE)}]● test {percent(test)}[/] [{hex_color(GREY)}]○ train {percent(train)}[/]")


def draw_data_chart(widget: DataChart, snapshot, view: NetworkView, ui) -> None:
    narrow = widget.size.width and widget.size.width < NARROW + 4
    widget.border_title = chart_title(ui.state.own.points.get(ui.state.run), narrow)
    widget.points = tuple(sorted(ui.state.own.points.values()))
    widget.rebuild()


# ------------------------------------------------------------------ the speed table
class SpeedTable(LessonText):
    SCOPED_CSS = False  # the rule for small screens names the screen's class
    DEFAULT_CSS = """
    SpeedTable { height: auto; max-height: 16; padding: 0 1; border: round $primary 40%; }
    Screen.compact SpeedTable { max-height: 9; }
    """


def rate_text(rate: float) -> str:
    """1.2e11 -> "120 G"; three figures at most."""
    giga = rate / 1e9
    return f"{giga:.1f} G" if giga < 10 else f"{giga:,.0f} G"


SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def scientific(value: float) -> str:
    """4.69e17 -> "4.7×10¹⁷"."""
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPTS)}"


NARROW = 60  # below this many columns the pane shows the short form (the steps say the rest)


def speed_text(rates, measuring: bool, width: int) -> Text:
    """The rates table, then AlexNet's training: its count, the paper's days and the time here."""
    narrow = width < NARROW
    text = Text()
    if rates is None:
        text.append("measuring…\n" if measuring else "m: measure the engine's speed here\n", style="bold")
    else:
        column = max(7, min(11, (width - 8) // len(BATCH_SIZES)))
        text.append("batch".ljust(8) + "".join(str(b).rjust(column) for b in BATCH_SIZES) + "\n", style="dim")
        for dtype in DTYPES:
            text.append(dtype.ljust(8) + "".join(rate_text(rates[dtype, b]).rjust(column) for b in BATCH_SIZES) + "\n")
    operations = scientific(alexnet.training_operations())
    days = f"{alexnet.PAPER_DAYS[0]}–{alexnet.PAPER_DAYS[1]} days"
    if narrow:
        text.append(f"AlexNet ≈ {operations} FLOP: {days} on {alexnet.GPUS}\n", style="bold")
    else:
        low, high = (rate / 1e12 for rate in alexnet.paper_rate())
        text.append(f"AlexNet: {alexnet.EPOCHS} epochs × {alexnet.TRAINING_IMAGES / 1e6:.1f} M images ≈ "
                    f"{operations} FLOP", style="bold")
        text.append(f" ({alexnet.forward_multiply_adds() / 1e6:.0f} M multiply-adds a forward pass, counted from "
                    f"the paper's layers; ×2 FLOP each; ×{alexnet.TRAINING_PER_FORWARD} with the backward pass, "
                    f"assumed)\npaper: {days} on {alexnet.GPUS} ≈ {low:.1f}–{high:.1f} TFLOP/s sustained\n")
    if rates is not None:
        best, slowest = max(rates.values()), min(rates.values())
        text.append(f"here: {alexnet.duration(alexnet.days_at(best))}", style="bold")
        if narrow:
            text.append(f"; batch 1: {alexnet.duration(alexnet.days_at(slowest))}")
        else:
            text.append(f" at {rate_text(best)}FLOP/s; one sample at a time ({rate_text(slowest)}FLOP/s): "
                        f"{alexnet.duration(alexnet.days_at(slowest))}. Convolutions assumed as fast as this layer.")
    text.rstrip()
    return text


def draw_speed_table(widget: SpeedTable, snapshot, view: NetworkView, ui) -> None:
    own = ui.state.own
    narrow = widget.size.width and widget.size.width < NARROW + 4
    widget.border_title = ("FLOP/s, 512×512 dense layer" if narrow
                           else "FLOP/s: 512×512 dense layer forward + backward, one core")
    widget.show(lambda width: speed_text(own.rates, own.measuring, width))


PANES = {
    "data_chart": Pane("data_chart", NetworkView, widget=DataChart, draw=draw_data_chart, group="plot"),
    "speed_table": Pane("speed_table", NetworkView, widget=SpeedTable, draw=draw_speed_table, group="plot"),
}


def measure_speed(screen) -> None:
    screen.state.own.measuring = True
    screen.send("measure_speed")
    screen.state_changed()


ACTIONS = {"measure_speed": measure_speed}
CONTROLS = (Control("m", "Measure the engine's FLOP/s", action="measure_speed", show=True),)

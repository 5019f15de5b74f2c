"""Train and test loss (and test accuracy) against epoch or step, on a linear or log scale."""

from __future__ import annotations

import re

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from nn_tui.snapshot import History
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, PlotextView, hex_color

MAGENTA = (200, 60, 200)  # the overfitting mark (the status line says it in magenta too)
GREEN = (60, 170, 90)  # the learning rate, when a schedule (or a key) changed it
LR_BAND = 0.25  # the rate is drawn in the lowest quarter of the loss axis, its peak at the band's top


def downsample(x: np.ndarray, ys: list[np.ndarray], points: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """At most `points` evenly spaced samples, always keeping the first and last."""
    if len(x) <= points:
        return x, ys
    index = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
    return x[index], [y[index] for y in ys]


def finite(values: np.ndarray) -> list[float]:
    """plotext chokes on NaN/inf: hold the last good value instead."""
    values = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(values)):
        good = np.isfinite(values)
        fill = values[good][-1] if good.any() else 0.0
        values = np.where(good, values, fill)
    return values.tolist()


def epoch_ticks(first: float, last: float, most: int = 5) -> tuple[list[int], list[str]]:
    """Whole, round epochs for the x axis (plotext would print 138.5 between 0 and
    554), at most `most` of them, labelled short: 2,500 / 40k / 1.5M."""
    step = 1
    while int(last // step) - int(np.ceil(first / step)) + 1 > max(most, 1):  # 1, 2, 5, 10, 20, ...
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    ticks = list(range(int(np.ceil(first / step)) * step, int(last) + 1, step))

    top = ticks[-1] if ticks else 0  # one unit for the whole axis

    def label(epoch: int) -> str:
        if epoch == 0:
            return "0"
        if top >= 1_000_000:
            return f"{epoch / 1_000_000:g}M"
        if top >= 10_000:
            return f"{epoch / 1000:g}k"
        return f"{epoch:,}"

    return ticks, [label(t) for t in ticks]


def lr_changes(history: History) -> bool:
    """The learning rate took more than one value (a schedule, warm-up, or the + and - keys)."""
    lr = history.get("lr")
    if lr is None:
        return False
    lr = np.asarray(lr, dtype=float)
    lr = lr[np.isfinite(lr)]
    return len(lr) > 1 and float(lr.max()) > float(lr.min())


def lr_band(lr: np.ndarray, *curves: list[float]) -> list[float]:
    """The learning rate on the loss axis: 0 at the lowest loss shown, its peak LR_BAND of
    the way up, so it runs under the loss curves without an axis of its own."""
    low = min(min(curve) for curve in curves)
    high = max(max(curve) for curve in curves)
    lr = np.nan_to_num(np.asarray(lr, dtype=float))
    peak = float(lr.max()) or 1.0
    return (low + LR_BAND * (high - low) * lr / peak).tolist()


def split_legend(legend: str, room: int) -> tuple[str, str]:
    """A markup legend of coloured entries ("loss [#..]━ train[/] [#..]━ test[/] ...") as
    (top border, bottom border), each drawn whole in `room` cells: the entries in order, as
    many on top as fit, the rest below; where that still does not fit, shorter forms in
    turn ("(right axis)" -> "(right)", no "loss" lead, "accuracy" -> "acc")."""
    def plain_length(markup: str) -> int:
        return cell_len(Text.from_markup(markup).plain)

    if room <= 0 or plain_length(legend) <= room:
        return legend, ""
    shorter = legend.replace("(right axis)", "(right)")
    shortest = re.sub(r"^loss (?=\[#)", "", shorter)
    forms = [legend, shorter, shortest, shortest.replace("accuracy", "acc")]
    split = [split_entries(form, room, plain_length) for form in forms]
    for top, under in split:
        if plain_length(top) <= room and plain_length(under) <= room:
            return top, under
    return split[-1]


def split_entries(legend: str, room: int, plain_length) -> tuple[str, str]:
    """As many whole entries on top as fit in `room` cells (at least one), the rest below."""
    entries = re.split(r" (?=\[#)", legend)  # a space before each colour opens an entry
    if len(entries) > 1 and "[" not in entries[0]:  # a plain lead ("loss") stays with the first entry
        entries[:2] = [entries[0] + " " + entries[1]]
    count = 1
    while count < len(entries) and plain_length(" ".join(entries[:count + 1])) <= room:
        count += 1
    return " ".join(entries[:count]), " ".join(entries[count:])


LOG_FLOOR = 1e-12  # a loss of 0 on a log axis: drawn at the floor


class LossPlot(PlotextView):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._history: History | None = None
        self._log_scale = False  # long runs on a linear axis are an L: the drop sits in the first pixels
        self._by_step = False  # x axis: epochs, or training steps (updates)
        self._overfitting_since: int | None = None  # the epoch the test loss turned up

    @property
    def log_scale(self) -> bool:
        return self._log_scale

    @log_scale.setter
    def log_scale(self, value: bool) -> None:
        self._log_scale = bool(value)
        self.rebuild(force=True)

    @property
    def by_step(self) -> bool:
        """x axis in steps when the history has them, else epochs."""
        return self._by_step

    @by_step.setter
    def by_step(self, value: bool) -> None:
        self._by_step = bool(value)
        self.rebuild(force=True)

    def on_mount(self) -> None:
        self._show_legend()

    def on_resize(self) -> None:  # PlotextView's own on_resize redraws the chart (Textual calls both)
        self._show_legend()

    def _show_legend(self) -> None:
        """The legend on the borders, each only when it changed (an assignment repaints the pane)."""
        borders = self._legend_lines()
        if getattr(self, "_shown_borders", None) != borders:
            self._shown_borders = borders
            self.border_title, self.border_subtitle = borders

    def _legend_lines(self) -> tuple[str, str]:
        """The legend in the top border; where that is too narrow for it (the mlp's plot at
        80x24 cut "│ overfitting" to "│ overfit…"), the entries that do not fit go on, whole,
        in the bottom border."""
        return split_legend(self._legend(), self.outer_size.width - 6)  # corners, a rule, a space each side

    def _legend(self) -> str:
        """The legend lives in the border: plotext's own legend covers the curves."""
        legend = f"loss [{hex_color(BLUE)}]━ train[/] [{hex_color(ORANGE)}]━ test[/]"
        if self._overfitting_since is not None:  # before the accuracy: a narrow border cuts the end
            legend += f" [{hex_color(MAGENTA)}]│ overfitting[/]"
        if self._history is not None and lr_changes(self._history):  # before the accuracy, as the mark
            legend += f" [{hex_color(GREEN)}]━ lr (peak {np.nanmax(self._history.get('lr')):.2g})[/]"
        if self._history is not None and self._history.get("test_accuracy") is not None:
            legend += f" [{hex_color(GREY)}]┈ test accuracy (right axis)[/]"
        return legend

    def update_history(self, history: History, overfitting_since: int | None = None) -> None:
        """Show a new history, and mark the epoch the run began to overfit (None: no
        mark); a no-op when none of them nor the size changed."""
        had_accuracy = self._history is not None and self._history.get("test_accuracy") is not None
        had_mark = self._overfitting_since is not None
        had_lr = self._history is not None and lr_changes(self._history)
        self._history = history
        self._overfitting_since = overfitting_since
        if had_accuracy != (history.get("test_accuracy") is not None) or had_mark != (overfitting_since is not None) \
                or had_lr or lr_changes(history):  # the lr's peak is in the legend
            self._show_legend()
        self.rebuild()

    def content_key(self) -> object:
        history = self._history
        if history is None:
            return None
        if not len(history.epochs):
            return ()
        lr = history.get("lr")
        return (len(history.epochs), history.epochs[-1], history.get("train_loss")[-1], history.get("test_loss")[-1],
                None if lr is None else lr[-1], self._log_scale, self._by_step, self._overfitting_since)

    def mark_position(self, steps: np.ndarray | None) -> float | None:
        """Where the overfitting mark goes on the x axis: its epoch, or the step of it."""
        since = self._overfitting_since
        if since is None:
            return None
        if steps is None:
            return float(since)
        return float(np.interp(since, self._history.epochs, steps))  # a thinned history may lack that epoch

    def draw(self, plt, width: int, height: int) -> None:
        history = self._history
        curves = [history.get("train_loss"), history.get("test_loss")]
        if history.get("test_accuracy") is not None:
            curves.append(history.get("test_accuracy"))
        steps = history.get("step") if self._by_step else None
        x_values = history.epochs if steps is None else steps
        x, (train, test, *accuracy) = downsample(x_values, curves, 2 * width)
        if len(x):
            epochs = x.tolist()
            train, test = finite(train), finite(test)
            if self._log_scale:
                train, test = ([max(v, LOG_FLOOR) for v in curve] for curve in (train, test))
                plt.yscale("log", yside="left")
            plt.plot(epochs, train, color=BLUE, marker="braille")
            plt.plot(epochs, test, color=ORANGE, marker="braille")
            if accuracy:
                plt.plot(epochs, finite(accuracy[0]), color=GREY, marker="braille", yside="right")
                plt.ylim(0.0, 1.0, yside="right")  # a flat 0 at epoch 0 would otherwise read -0.3, -0.6, -1
            if lr_changes(history) and not self._log_scale:
                plt.plot(epochs, lr_band(downsample(x_values, [history.get("lr")], 2 * width)[1][0], train, test),
                         color=GREEN, marker="braille")
            mark = self.mark_position(steps)
            if mark is not None:
                plt.vline(mark, color=MAGENTA)
            plt.xticks(*epoch_ticks(epochs[0], epochs[-1], most=max(2, min(5, width // 9))))
        plt.xlabel(("step" if steps is not None else "epoch") + ("  · loss on a log scale" if self._log_scale else ""))

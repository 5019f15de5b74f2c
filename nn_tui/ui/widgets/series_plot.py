"""Named history series against epoch or step: the loss plot for kinds whose metrics are
not train and test loss (a GAN's D and G losses, and its divergence on the right axis).
A LossPlot, so the log-scale and steps keys act on it too."""

from __future__ import annotations

from dataclasses import dataclass

from nn_tui.ui.widgets.loss_plot import LOG_FLOOR, LossPlot, downsample, epoch_ticks, finite
from nn_tui.ui.widgets.plotext_view import hex_color


@dataclass(frozen=True)
class Series:
    name: str  # the history's series
    label: str
    color: tuple[int, int, int]
    right: bool = False  # on the right axis (a measure on another scale)


class SeriesPlot(LossPlot):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.series: tuple[Series, ...] = ()

    def set_series(self, series: tuple[Series, ...]) -> None:
        if series != self.series:
            self.series = tuple(series)
            self._show_legend()
            self.rebuild(force=True)

    def _legend(self) -> str:
        return self._legend_lines()[0]

    def _legend_lines(self) -> tuple[str, str]:
        """The legend in the top border; where that is too narrow for it (a 36-cell pane at
        80x24 cut alphago's four curves to two), the series that do not fit go on in the
        bottom border."""
        room = self.outer_size.width - 6  # the corners, a rule and a space each side of the title
        marks = [(f"[{hex_color(s.color)}]{'┈' if s.right else '━'} {s.label}[/]", len(s.label) + 2, s.right)
                 for s in self.series]
        note = " (right axis)" if any(s.right for s in self.series) else ""
        if room <= 0 or sum(length + 1 for _, length, _ in marks) - 1 + len(note) <= room:
            return " ".join(markup for markup, _, _ in marks) + note, ""
        top, used = [], -1
        for markup, length, right in marks:
            if right or used + 1 + length > room:
                break
            top.append(markup)
            used += 1 + length
        rest = marks[len(top):]
        under_length = sum(length + 1 for _, length, _ in rest) - 1
        if note and under_length + len(note) > room:
            note = " (right)"
        return " ".join(top), " ".join(markup for markup, _, _ in rest) + (note if rest else "")

    def _shown(self):
        history = self._history
        return [(s, history.get(s.name)) for s in self.series if history.get(s.name) is not None]

    def content_key(self) -> object:
        history = self._history
        if history is None:
            return None
        if not len(history.epochs):
            return ()
        return (len(history.epochs), history.epochs[-1], tuple(float(v[-1]) for _, v in self._shown()),
                self._log_scale, self._by_step)

    def draw(self, plt, width: int, height: int) -> None:
        history = self._history
        shown = self._shown()
        steps = history.get("step") if self._by_step else None
        x_values = history.epochs if steps is None else steps
        x, curves = downsample(x_values, [values for _, values in shown], 2 * width)
        if len(x) and shown:
            epochs = x.tolist()
            for (series, _), values in zip(shown, curves):
                values = finite(values)
                side = "right" if series.right else "left"
                if self._log_scale and not series.right:
                    values = [max(v, LOG_FLOOR) for v in values]
                    plt.yscale("log", yside="left")
                plt.plot(epochs, values, color=series.color, marker="braille", yside=side)
            plt.xticks(*epoch_ticks(epochs[0], epochs[-1], most=max(2, min(5, width // 9))))
        plt.xlabel(("step" if steps is not None else "epoch") + ("  · log scale" if self._log_scale else ""))

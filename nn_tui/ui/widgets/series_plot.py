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
            self.border_title = self._legend()
            self.rebuild(force=True)

    def _legend(self) -> str:
        parts = [f"[{hex_color(s.color)}]{'┈' if s.right else '━'} {s.label}[/]" for s in self.series]
        return " ".join(parts) + (" (right axis)" if any(s.right for s in self.series) else "")

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

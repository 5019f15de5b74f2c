"""Named metrics of the history against epoch (the autoencoder's PSNR, ...)."""

from __future__ import annotations

from nn_tui.snapshot import History
from nn_tui.ui.widgets.borders import set_border_title
from nn_tui.ui.widgets.loss_plot import downsample, epoch_ticks, finite
from nn_tui.ui.widgets.plotext_view import PlotextView, hex_color


class MetricPlot(PlotextView):
    """Subclasses set `curves`: (metric name, label, rgb) rows (those the history lacks
    are left out) and a `plot_title` for the border."""

    curves: tuple = ()
    plot_title: str = ""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._history: History | None = None

    def _present(self) -> tuple:
        history = self._history
        return tuple(c for c in self.curves if history is not None and history.get(c[0]) is not None)

    def update_history(self, history: History) -> None:
        self._history = history
        legend = " ".join(f"[{hex_color(rgb)}]━ {label}[/]" for _, label, rgb in self._present())
        set_border_title(self, f"{self.plot_title} {legend}".strip())
        self.rebuild()

    def content_key(self) -> object:
        history = self._history
        if history is None:
            return None
        if not len(history.epochs):
            return ()
        return (len(history.epochs), history.epochs[-1],
                tuple(float(history.get(name)[-1]) for name, _, _ in self._present()))

    def draw(self, plt, width: int, height: int) -> None:
        history = self._history
        present = self._present()
        x, ys = downsample(history.epochs, [history.get(name) for name, _, _ in present], 2 * width)
        if len(x):
            epochs = x.tolist()
            for (_, _, rgb), y in zip(present, ys):
                plt.plot(epochs, finite(y), color=rgb, marker="braille")
            plt.xticks(*epoch_ticks(epochs[0], epochs[-1], most=max(2, min(5, width // 9))))
        plt.xlabel("epoch")

"""The output pane for data that is not a plane: how the network does on the test set."""

from __future__ import annotations

import numpy as np
from rich.text import Text

from nn_tui.views import ConfusionView, FitView
from nn_tui.ui.widgets.plotext_view import BLUE, GREY, ORANGE, PlotextView, hex_color
from nn_tui.ui.widgets.text_pane import TextPane


def confusion_text(confusion: np.ndarray, class_names: tuple[str, ...] | None, width: int = 40,
                   height: int = 0) -> Text:
    """Rows: the true class; columns: the predicted one. Right answers blue, mistakes orange.
    Class names are cut to what `width` cells leave for each of the k + 1 columns. In
    fewer than k + 4 rows (`height`, 0: any) the headings share a row, so every class's
    row still shows (in fewer than k + 2, without the count of right answers)."""
    classes = confusion.shape[0]
    longest = max(3, min(12, (width - 1) // (classes + 1) - 1))
    names = [(class_names[i] if class_names else str(i))[:longest] for i in range(classes)]
    cell = max(3, max(len(n) for n in names) + 1, len(str(int(confusion.max(initial=0)))) + 1)
    row_totals = confusion.sum(axis=1)
    compact = 0 < height < classes + 4
    # The row labels' column: as wide as a cell and a space, or, where that would not fit
    # (10 digits in an 80x24 pane), just the names: a wrapped row reads as two rows.
    label = cell + 1 if cell + 1 + classes * cell <= width else max(len(n) for n in names) + 1
    if label + classes * cell > width:  # not even with narrow labels: each true class's shares
        return _percent_text(confusion, class_names, width, compact, height)
    hint = "  columns predicted, rows true"
    text = Text(no_wrap=True)
    if compact:
        text.append(" " * label)
    else:
        text.append(" " * label + "predicted →\n", style="dim")
        text.append(" " * label)
    for name in names:
        text.append(name.rjust(cell), style="bold")
    text.append(hint if compact and label + classes * cell + len(hint) <= width else "", style="dim")
    text.append("\n")
    for i, name in enumerate(names):
        text.append(name.rjust(label - 1) + " ", style="bold")
        for j in range(classes):
            count = int(confusion[i, j])
            share = count / row_totals[i] if row_totals[i] else 0.0
            if count == 0:
                style = "dim"
            elif i == j:
                style = f"bold {hex_color(BLUE)}"
            else:
                style = hex_color(ORANGE) if share >= 0.05 else f"dim {hex_color(ORANGE)}"
            text.append(str(count).rjust(cell), style=style)
        text.append("\n")
    correct = int(np.trace(confusion))
    total = int(confusion.sum())
    if compact and height < classes + 2:
        text.rstrip()
        return text  # the count of right answers is the status line's test accuracy
    text.append(("" if compact else "\n") + f"{correct} of {total} test samples right", style="dim")
    tail = " · rows: true class"
    fits = len(f"{correct} of {total} test samples right{tail}") <= width
    text.append("" if compact or not fits else tail, style="dim")
    return text


def confusion_title(confusion: np.ndarray, width: int) -> str:
    """The pane's title (`width`: the pane's, border included) with the share of test samples right: in a pane too short for the
    matrix's own count line (and at widths where the status line drops the accuracy) it is
    where a step's "until test accuracy reaches 95 %" can be read."""
    total = int(confusion.sum())
    if not total:
        return "test set: confusion matrix"
    share = f"{int(np.trace(confusion)) / total:.1%} right"
    title = f"test set: confusion matrix · {share}"
    return title if len(title) + 4 <= width else f"confusion · {share}"


def _cell_style(count: int, share: float, diagonal: bool) -> str:
    if count == 0:
        return "dim"
    if diagonal:
        return f"bold {hex_color(BLUE)}"
    return hex_color(ORANGE) if share >= 0.05 else f"dim {hex_color(ORANGE)}"


def _percent_text(confusion: np.ndarray, class_names, width: int, compact: bool, height: int) -> Text:
    """Counts do not fit (ten classes of a big test set in a side pane): each cell is the
    per cent of its true class, two digits (99 stands for 99.5 and more), 3 cells wide."""
    classes = confusion.shape[0]
    names = [(class_names[i] if class_names else str(i)) for i in range(classes)]
    row_totals = confusion.sum(axis=1)
    text = Text(no_wrap=True)
    if not compact:
        text.append("    % of each true class, predicted →\n", style="dim")
    text.append("    " + "".join(name[:2].rjust(3) for name in names), style="bold")
    text.append("  %" if compact and width >= 4 + 3 * classes + 3 else "", style="dim")
    text.append("\n")
    for i, name in enumerate(names):
        text.append(name[:3].rjust(3) + " ", style="bold")
        for j in range(classes):
            count = int(confusion[i, j])
            share = count / row_totals[i] if row_totals[i] else 0.0
            shown = "·" if count == 0 else str(min(99, int(round(100 * share))))
            text.append(shown.rjust(3), style=_cell_style(count, share, i == j))
        text.append("\n")
    if compact and height < classes + 2:
        text.rstrip()
        return text
    correct, total = int(np.trace(confusion)), int(confusion.sum())
    text.append(("" if compact else "\n") + f"{correct} of {total} right · rows: true class", style="dim")
    return text


class ConfusionMatrix(TextPane):
    """Counts against classes; a fixed-size pane, so never a new layout."""

    DEFAULT_CSS = """
    ConfusionMatrix { width: 1fr; height: 1fr; padding: 0 1; }
    """

    def update_view(self, view: ConfusionView) -> None:
        self.show(lambda width: confusion_text(view.confusion, view.class_names, width, self.size.height))


class FitPlot(PlotextView):
    """Regression: the learned function against the truth (one input), else predicted vs true."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._snapshot: FitView | None = None

    def update_view(self, view: FitView) -> None:
        self._snapshot = view
        if view.is_curve:
            self.border_title = (f"test set [{hex_color(GREY)}]• truth[/] "
                                 f"[{hex_color(BLUE)}]━ network[/]")
        else:
            self.border_title = f"test set: [{hex_color(BLUE)}]predicted[/] against true value"
        self.rebuild()

    def content_key(self) -> object:
        snap = self._snapshot
        if snap is None:
            return None
        # Round so that changes too small to see do not redraw the chart.
        return (snap.is_curve, np.round(snap.predicted, 3).tobytes())

    def draw(self, plt, width: int, height: int) -> None:
        snap = self._snapshot
        x = snap.x.tolist()
        if snap.is_curve:
            plt.scatter(x, snap.true.tolist(), color=GREY, marker="dot")
            plt.plot(x, snap.predicted.tolist(), color=BLUE, marker="braille")
            plt.xlabel("input")
            if x:  # our own ticks: plotext labelled a tiny negative middle "-0.0"
                ticks = np.linspace(min(x), max(x), 5).tolist()
                plt.xticks(ticks, [f"{t:.1f}".replace("-0.0", "0.0") for t in ticks])
        else:
            plt.plot(x, x, color=GREY, marker="braille")  # perfect predictions lie here
            plt.scatter(x, snap.predicted.tolist(), color=BLUE, marker="dot")
            plt.xlabel("true value")

"""The attention lesson's screen: the price table (a training step's CPU time against the
text's length T, attention against the LSTM, measured), the gap chart with the lesson's
measured LSTM row (trained from scratch at each gap), and which of the steps' column's
panes fold at 80x24. Imported only by the UI."""

from __future__ import annotations

import dataclasses

from rich.text import Text

from nn_tui.kinds.sequence.views import GapChartView
from nn_tui.lessons.attention import MEASURED_FROM_SCRATCH, MEASURED_PRICE
from nn_tui.ui.panes import Pane
from nn_tui.ui.widgets.sequence_views import GapChart
from nn_tui.ui.widgets.text_pane import TitledTextPane


def price_text(width: int) -> Text:
    """T, then the CPU ms of a step of each model and how much it grew since the row above."""
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(f"{'T':>5} {'attention':>12} {'LSTM':>12}\n", style="dim")
    previous = None
    for length, attention, lstm in MEASURED_PRICE:
        grew = "" if previous is None else f"×{attention / previous[0]:.1f}"
        grew_lstm = "" if previous is None else f"×{lstm / previous[1]:.1f}"
        text.append(f"{length:>5} {attention:>6.1f} {grew:>5} {lstm:>6.1f} {grew_lstm:>5}\n")
        previous = (attention, lstm)
    text.append("CPU ms a training step, batch 4 (measured)", style="dim")
    return text


class PriceTable(TitledTextPane):
    SCOPED_CSS = False
    DEFAULT_CSS = """
    PriceTable { height: 9; border: round $primary 40%; border-title-color: $text-muted; padding: 0 1; }
    """

    # At 80x24 "the price: time per step agai…".
    TITLE = [("the price: time per step against T", "time per step against T")]

    def update_view(self) -> None:
        self.show(price_text)


def draw_price(widget: PriceTable, snapshot, view, ui) -> None:
    widget.update_view()


def from_scratch(view: GapChartView) -> GapChartView:
    """The chart's measured rows as step 2 tells them: the LSTM trained from scratch at each gap,
    and attention (also from scratch, at gap 8). The kinds' rnn, gru and LSTM rows warm up on
    shorter gaps first (their curriculum), so they are left out here; this session's runs stay."""
    lstm = tuple(("lstm", gap, accuracy) for gap, accuracy in sorted(MEASURED_FROM_SCRATCH.items()))
    attention = tuple(row for row in view.measured if row[0] == "attention")
    return dataclasses.replace(view, measured=lstm + attention)


class FromScratchGapChart(GapChart):
    def title_parts(self) -> list:  # not GapChart's (its gap and cell keys are not this lesson's)
        return ["completion vs gap", "from scratch"]  # 80x24 cut it at "from…"


def draw_gaps(widget: FromScratchGapChart, snapshot, view: GapChartView, ui) -> None:
    widget.update_view(from_scratch(view))


PANES = {"price": Pane("price", widget=PriceTable, draw=draw_price, group="plot"),
         "gaps": Pane("gaps", GapChartView, widget=FromScratchGapChart, draw=draw_gaps, group="plot")}


# At 80x24 the steps' column has room under a step's text for one of the row of small maps
# and the big T × T map, not both (step 5's map had 2 rows, and from step 3 the column
# scrolled it out of sight): each step shows the one it speaks of, step 4 both (its text is
# short; step 2's long one speaks of the chart only). Step 4's story, lit where the head looks, had one row (the country ~100 characters
# back was off screen): the price table, first named in step 5, folds there. The steps'
# border names what is folded.
SMALL_SCREEN_FOLDS = {1: ("map",), 2: ("map", "heads"), 3: ("map",), 4: ("price",), 5: ("heads",)}
PANE_NAMES = {"map": "big map", "heads": "heads", "price": "price table"}  # short: whole in the border at 80x24

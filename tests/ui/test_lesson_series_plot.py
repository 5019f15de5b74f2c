"""The lessons' series plot: counts on the x axis read as whole numbers."""

import re

import numpy as np
import pytest
from textual.app import App, ComposeResult

from nn_tui.ui.widgets.lesson_pane import SeriesPlot
from nn_tui.ui.widgets.plotext_view import BLUE


class PlotApp(App):
    def compose(self) -> ComposeResult:
        yield SeriesPlot()


def x_axis(plot) -> str:
    """The tick line: the one above the x label."""
    lines = ["".join(segment.text for segment in strip) for strip in plot._strips]
    label = next(i for i, line in enumerate(lines) if "connections" in line)
    return lines[label - 1]


@pytest.mark.parametrize("links", [[2368], [2368, 1184], [2368, 1184, 592, 296, 141]])
async def test_a_count_axis_shows_whole_numbers(links):
    app = PlotApp()
    async with app.run_test(size=(60, 14)) as pilot:
        plot = app.query_one(SeriesPlot)
        xs = np.array(links, float)
        plot.update_series("accuracy against connections", [("accuracy", xs, np.full(len(xs), 0.9), BLUE)],
                           "connections", scatter=True, ylim=(0.0, 1.0), whole_x=True)
        await pilot.pause()
        ticks = x_axis(plot)
        assert re.search(r"\d", ticks), ticks
        assert not re.search(r"\d\.\d", ticks), ticks  # plotext printed 2367.25

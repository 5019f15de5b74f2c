"""The generalisation gap on screen: a run that overfits says so, in the status line and the plot."""

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.widgets.loss_plot import LossPlot
from tests.app.pilot_helpers import status, wait_for
from tests.test_session_overfitting import OVERFIT
from tests.ui.test_loss_plot import mark_columns


async def test_an_overfitting_run_is_named_in_the_status_line_and_marked_in_the_plot():
    app = NNTuiApp(Session(RunConfig.of(**OVERFIT, seed=2)), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "overfitting" not in status(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: "overfitting since epoch" in status(app))
        await pilot.press("space")
        since = app.session.snapshot.overfitting_since
        assert f"overfitting since epoch {since}" in status(app)
        plot = app.screen.query_one(LossPlot)
        await wait_for(pilot, lambda: len(mark_columns(plot)) == 1)
        assert "overfitting" in plot.border_title

"""The layer-health pane: i shows it on the playground; it draws each hidden layer's
activations over time and each weight layer's gradient size, and fits at 80×24."""

import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from tests.app.pilot_helpers import wait_for
from tests.app.screen_text import widget_text

DEEP_SIGMOID = dict(dataset="spiral", layers=(8, 8, 8, 8), activation="sigmoid", seed=0)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_i_shows_the_layers_activations_and_gradients(size):
    app = NNTuiApp(Session(RunConfig.of(**DEEP_SIGMOID)), fps=20)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        pane = app.screen.pane("layers")
        assert not pane.display  # hidden until asked for
        await pilot.press("i")
        await wait_for(pilot, lambda: pane.display and pane.region.area > 0)
        await pilot.press("s")
        await wait_for(pilot, lambda: "out" in widget_text(app, pane))
        shown = widget_text(app, pane)
        wanted = ("h1 sigm", "h4 sigm", "W1", "W4", "W5", "sat") if size == (120, 40) else ("h1", "h4", "out", "sat")
        for label in wanted:
            assert label in shown, shown
        assert all(len(line) <= pane.region.width for line in shown.splitlines())
        assert pane.region.bottom <= app.screen.query_one("#settings").region.y or size == (80, 24)
        await pilot.press("i")
        await wait_for(pilot, lambda: not pane.display)

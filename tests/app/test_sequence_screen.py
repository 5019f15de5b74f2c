"""The lstm / gru / rnn screen through Pilot: keys do what they say; random keys and
resizes do not crash."""

import random

from nn_tui.config import RunConfig
from nn_tui.kinds.sequence.views import CompletionView
from nn_tui.session import Session
from tests.app.pilot_helpers import wait_for


def small_session():
    return Session(RunConfig.of(model="lstm", dataset="fluent", layers=(8,), embed=4, batch_size=4, window=32))


async def test_keys_pick_the_unit_move_the_cursor_complete_and_switch_the_cell():
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.playground
        for pane in ("stream", "state", "sample", "completion", "gaps", "loss"):
            assert screen.pane(pane).display
        await pilot.press("down", "down", "right", "full_stop")
        assert (screen.ui.unit, screen.ui.cursor) == (2, 11)
        assert "unit 3/8" in str(screen.pane("stream").render_line(screen.pane("stream").size.height - 2).text)
        await pilot.press("i")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.snapshot.view(CompletionView) is not None)
        assert app.session.snapshot.view(CompletionView).prompt == "I live in Spain. I speak fluent "
        await pilot.press("k")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "gru")


async def test_random_keys_and_resizes_do_not_crash():
    from nn_tui.ui.app import NNTuiApp

    keys = ["up", "down", "left", "right", "comma", "full_stop", "n", "N", "k", "space", "s",
            "left_square_bracket", "right_square_bracket", "i", "escape", "question_mark", "escape"]
    rng = random.Random(0)
    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        for size in ((80, 24), (120, 40), (60, 20), (100, 30)):
            await pilot.resize_terminal(*size)
            for _ in range(12):
                await pilot.press(rng.choice(keys))
            await pilot.pause(0.05)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        assert app.is_running

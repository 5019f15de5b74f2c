"""`nn-tui --model attention --dataset fluent` opens on the sequence kinds' screen: the story
coloured by where a head looks, the sample, the prompt; keys and resizes do not crash."""

from nn_tui.config import RunConfig
from nn_tui.kinds.sequence.views import CompletionView, StreamView
from nn_tui.session import Session
from tests.app.pilot_helpers import wait_for


def small_session():
    return Session(RunConfig.of(model="attention", dataset="fluent", gap=0, d=8, heads=2, blocks=2, context=64,
                                batch_size=4))


async def test_the_attention_screen_opens_picks_a_head_and_completes_a_prompt():
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.playground
        for pane in ("stream", "state", "sample", "completion", "gaps", "loss"):
            assert screen.pane(pane).display
        assert app.session.snapshot.view(StreamView).hidden.shape[1] == 4  # 2 blocks × 2 heads
        await pilot.press("down", "down", "down", "down", "right")
        assert (screen.ui.unit, screen.ui.cursor) == (3, 1)  # the last head: the choice is clamped
        await pilot.press("i")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.snapshot.view(CompletionView) is not None)
        for size in ((80, 24), (60, 20), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.press("n", "up", "comma", "full_stop", "space")
            await pilot.pause(0.05)
        assert app.is_running and app.session.snapshot.kind == "attention"

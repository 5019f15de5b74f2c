"""The why-now lesson's screen: m measures in the training process and the table shows
the rates and AlexNet's time here, inside the pane at both sizes; the chart keeps a
point per run as the learner switches."""

import pytest

from tests.app.pilot_helpers import wait_for
from tests.app.screen_text import squeezed, widget_text
from tests.app.test_lessons import fits, lesson_app


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_m_measures_and_the_table_shows_the_time_alexnet_would_take_here(size):
    app = lesson_app("why-now")
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        table = app.screen.pane("speed_table")
        # (waited for: under load the first frame may come after any fixed pause)
        await wait_for(pilot, lambda: "m: measure the engine's speed here" in " ".join(widget_text(app, table).split()))
        await pilot.press("m")
        await wait_for(pilot, lambda: app.screen.state.own.rates is not None)
        await wait_for(pilot, lambda: "4.7×10¹⁷" in " ".join(widget_text(app, table).split()))  # the next frame
        fits(app)
        shown = " ".join(widget_text(app, table).split())
        assert "float64" in shown and "float32" in shown and "4.7×10¹⁷" in shown, shown
        assert "here:" in shown and ("days" in shown or "years" in shown), shown  # not cut off at 80×24
        assert set(app.screen.state.own.rates) == {(d, b) for d in ("float64", "float32") for b in (1, 16, 256)}


async def test_the_chart_keeps_a_point_for_each_share_trained():
    app = lesson_app("why-now")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        await pilot.press("f", "f")  # full speed
        await pilot.press("space")
        own = app.screen.state.own
        await wait_for(pilot, lambda: "1%_of_the_images" in own.points)
        await pilot.press("space")  # pause if the goal did not already
        await pilot.press("2")
        await wait_for(pilot, lambda: app.session.snapshot.dataset == "digits:10%")
        await pilot.press("space")
        await wait_for(pilot, lambda: "10%_of_the_images" in own.points)
        assert own.points["1%_of_the_images"][0] == 14 and own.points["10%_of_the_images"][0] == 135
        chart = app.screen.pane("data_chart")
        await wait_for(pilot, lambda: "135" in squeezed(widget_text(app, chart)))

"""Lesson keys driven through Pilot do what their text says."""

from nn_tui.kinds.sequence.views import StreamView
from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from tests.app.pilot_helpers import wait_for


async def test_rnn_lesson_key_2_after_the_no_gap_run_shows_stories_with_fillers():
    lesson = LESSONS["rnn"]
    app = NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson="rnn")
    gap_run = Session(config_for(lesson, "rnn")).snapshot.view(StreamView)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.snapshot.view(StreamView) is not None)
        assert app.session.snapshot.view(StreamView).stories == 16  # no gap: 16 stories, held out or not
        await pilot.press("2")
        await wait_for(pilot, lambda: app.session.snapshot.settings.get("gap") == 2)
        shown = app.session.snapshot.view(StreamView)
        assert (shown.stories, shown.text) == (gap_run.stories, gap_run.text)

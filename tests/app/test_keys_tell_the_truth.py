"""Keys driven through Pilot do what they say: a lesson's run key, r and R."""

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


async def test_playground_r_r_R_each_say_their_seed_and_the_share_string_reopens_that_run():
    from nn_tui.config import RunConfig
    from nn_tui.kinds.supervised import model_arrays
    from nn_tui.setup_file import config_from_share
    from nn_tui.ui.screens import ShareScreen

    app = NNTuiApp(Session(RunConfig()), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        losses = {app.session.snapshot.metrics["train_loss"]}
        for seed in (1, 2):
            await pilot.press("r")
            await wait_for(pilot, lambda: app.session.snapshot.settings["seed"] == seed)
            await wait_for(pilot, lambda: any(f"seed {seed}" in str(n.message) for n in app._notifications))
            losses.add(app.session.snapshot.metrics["train_loss"])
        assert len(losses) == 3  # three starts, three losses (it was 0.7828 three times)
        await pilot.press("R")
        await wait_for(pilot, lambda: app.session.snapshot.settings["data_seed"] == 1)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ShareScreen)
        config = config_from_share(app.screen.query_one("#share").value.split()[-1])
        assert (config.train.seed, config.data_seed) == (2, 1)
        again, shown = Session(config), app.session.snapshot.metrics
        assert again.snapshot.metrics["train_loss"] == shown["train_loss"]
        assert all((a == b).all() for a, b in zip(model_arrays(again.training_run.model).values(),
                                                  model_arrays(app.session.training_run.model).values()))

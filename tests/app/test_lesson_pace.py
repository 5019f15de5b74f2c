"""A lesson trains at a pace a person can watch: its run's own default, f cycles slow,
normal and full speed (the status line says which), training pauses where a step's
goal is reached, and the numbers are the same at every pace."""

import numpy as np

from nn_tui.lessons import LESSONS
from nn_tui.lessons.pace import pace_command
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from tests.app.pilot_helpers import status, wait_for
from tests.views import net

XOR = LESSONS["xor"]


def lesson_app(name) -> NNTuiApp:
    lesson = LESSONS[name]
    return NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson=name)


def steps_text(app) -> str:
    return app.screen.pane("steps").render().plain


async def test_a_lesson_opens_at_its_runs_pace_and_f_cycles_slow_normal_full():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        normal = pace_command(XOR, "perceptron", "normal")[1]
        await wait_for(pilot, lambda: app.session.snapshot.pace == normal)
        await wait_for(pilot, lambda: normal in status(app))
        for label in ("full speed", pace_command(XOR, "perceptron", "slow")[1], normal):
            await pilot.press("f")
            await wait_for(pilot, lambda: app.session.snapshot.pace == label and label in status(app))
        assert normal == "normal 4 ep/s"
        await pilot.press("x")  # another run: its own normal pace
        stuck = pace_command(XOR, "stuck", "normal")[1]
        await wait_for(pilot, lambda: app.session.snapshot.pace == stuck and stuck in status(app))
        assert stuck == "normal 10 ep/s"


async def test_training_pauses_where_the_steps_goal_is_reached_and_enter_moves_on():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.snapshot.pace is not None)
        await pilot.press("f")  # full speed: the pause must not rely on the pace
        await wait_for(pilot, lambda: app.session.snapshot.pace == "full speed")
        await pilot.press("space")
        await wait_for(pilot, lambda: app.screen.tracker.reached)  # step 1: 20 epochs of the perceptron
        await wait_for(pilot, lambda: app.session.snapshot.status == "paused")
        epoch = app.session.snapshot.epoch
        assert epoch >= 20 and app.screen.tracker.index == 0
        await pilot.pause(0.3)
        assert app.session.snapshot.epoch == epoch  # it stays paused
        assert "Step 1's goal reached: training paused. Read on, Enter for the next step" in steps_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.tracker.index == 1 and "goal reached" not in steps_text(app))


async def test_a_paced_run_on_screen_reaches_the_numbers_of_the_same_epochs_unpaced():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await wait_for(pilot, lambda: app.session.snapshot.kind == "mlp" and app.session.snapshot.pace is not None)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 4)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.status == "paused")
        shown = app.session.snapshot
    unpaced = Session(config_for(XOR, "network"))
    for _ in range(shown.epoch):
        unpaced.send("step")
    unpaced.apply_commands()
    assert unpaced.snapshot.epoch == shown.epoch
    for a, b in zip(net(shown).weights, net(unpaced.snapshot).weights):
        assert np.array_equal(a, b)


async def test_a_step_whose_goal_is_met_as_it_begins_says_why_and_waits_for_enter():
    app = lesson_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")  # the network, trained while step 1 (the perceptron's) is shown
        await wait_for(pilot, lambda: app.session.snapshot.kind == "mlp")
        await pilot.press("f", "space")
        await wait_for(pilot, lambda: app.session.snapshot.metrics["test_accuracy"] >= 0.99)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.status == "paused")
        await pilot.press("enter")  # step 2: a hidden layer at 99 %, met already
        await wait_for(pilot, lambda: app.screen.tracker.reached)
        assert app.screen.tracker.index == 1 and app.screen.tracker.met_at_start
        assert "Step 2's goal is already met (kind == 'mlp' and test_accuracy >= 0.99)" in steps_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.tracker.index == 2)


async def test_a_run_that_stops_itself_holds_the_step_it_completes():
    # The overfitting lesson's step 6: early stopping ends the run, and the step's goal is met
    # on the first paused snapshot; it passed at once to step 7, never read as done.
    from nn_tui.lessons import LESSONS
    from tests.app.pilot_helpers import wait_for
    from tests.app.test_lessons import lesson_app

    app = lesson_app("overfitting")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        while screen.tracker.index < 5:
            await pilot.press("enter")
        assert "Early stopping" in LESSONS["overfitting"].steps[5].text
        await pilot.press("5")
        await wait_for(pilot, lambda: screen.state.run_shown(app.session.snapshot) == "early_stopping")
        await pilot.press("f", "f", "space")  # full speed, train
        await wait_for(pilot, lambda: screen.tracker.reached or screen.tracker.index != 5)
        assert screen.tracker.index == 5 and screen.tracker.reached, screen.tracker.index
        assert "Step 6's goal reached" in screen.goal_line()


async def test_a_goal_met_by_a_key_while_paused_is_held_when_the_text_goes_on_after_the_key():
    # The alphago lesson's step 6: k (the search) while paused met its goal and the lesson
    # moved to step 7 at once; what the search shows, the step's last sentences, went unread.
    app = lesson_app("alphago")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        while screen.tracker.index < 5:
            await pilot.press("enter")
        step = LESSONS["alphago"].steps[5]
        assert step.held_at_goal and "loses fewer" in step.text
        await pilot.press("t")  # the self-play run, paused
        await wait_for(pilot, lambda: app.session.snapshot.kind == "selfplay")
        await pilot.press("k")
        await wait_for(pilot, lambda: screen.tracker.reached or screen.tracker.index != 5)
        assert screen.tracker.index == 5 and screen.tracker.reached, screen.tracker.index
        assert app.session.snapshot.status != "training"
        goal = "Step 6's goal reached. Read on, then Enter for the next step"
        await wait_for(pilot, lambda: goal in steps_text(app) and "loses fewer" in steps_text(app))
        assert "training paused" not in steps_text(app)  # it was paused by the learner, not the goal
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.tracker.index == 6)

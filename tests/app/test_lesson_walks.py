"""A learner's walk is a test: for every lesson, Pilot presses only the keys each step's
text names (or an earlier step's), in order, and must reach the end.

Each step's presses are its ``keys`` (what its text asks for), unless WALKS below gives the
presses a learner following the text would make (hand-tuning a perceptron, a few presses
of n). A press is checked against the texts read so far: a step that needs a key no text
names cannot be walked. Space, Enter and f are the footer's running keys (train/pause,
next step, pace); the walk presses f until the pace is "full speed" so the CPU time stays
short, Space only to start a paused run, and Enter when a step is read-only or held at its
goal. ("until", keys, n): press ``keys`` in turn, at most n times, until the step is done.
"""

import time

import pytest

from nn_tui.lessons import LESSONS
from nn_tui.lessons.lesson import READ_ONLY
from nn_tui.lessons.runs import config_for, first_run
from nn_tui.session import Session
from nn_tui.snapshot import TRAINING
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.lesson_screen import KEYS
from tests.app.pilot_helpers import wait_for
from tests.lessons.lesson_walk import names

FOOTER_KEYS = ("space", "enter", "f")

# Steps whose presses are not simply their keys, by lesson: step number -> presses.
WALKS = {
    # w1 = +0.14, w2 = -0.23, threshold 0 at the start (seed 0): + raises w1 (step 1);
    # w2 up to +0.2, then the threshold up to 0.3 makes AND; one - makes OR.
    "perceptron": {1: ["+"], 2: ["tab", "+", "+", "+", "+", "tab", ("until", ("+",), 10)],
                   3: ["g", ("until", ("-",), 5)]},
    # → twice for the forward pass, → for each phase after, → twice for gradients and update.
    "backprop": {1: ["right", "right"], 2: ["right"], 3: ["right"], 4: ["right"], 5: ["right", "right"]},
    # Step 2: n seven times (1 unit to 8), then Space trains them its 300 epochs.
    "approximation": {2: ["n"] * 7 + ["space"], 3: ["space"]},
    "activations": {3: ["+", "+", "+"]},  # "Press + three times": 0.03 to 1
    "sparse": {2: ["right", "x"], 3: [("until", ("p",), 3)], 4: ["g", "h", "h", "h", "space"]},
    "rnn": {6: []},  # i opens a prompt that takes the keys after it: the walk reads the step
    "attention": {4: ["down", "up", "left", "right"]},  # n would show another story: fine, but not needed
    # The cursor to (3, 4), its reward down five times, train; then the person plays cells in turn
    # (a taken one is a notice) until a game ends.
    "alphago": {4: ["down"] * 3 + ["right"] * 4 + ["["] * 5 + ["space"],
                7: [("until", ("5", "1", "3", "7", "9", "2", "4", "6", "8"), 40)]},
}


# Seconds a step may take to reach its goal: only a loaded machine's margin (a step that can
# never be done still fails). The attention lesson's jump needs ~25 s of CPU (192 steps at
# gap 3 and an evaluation every 16), the rnn lesson's steps several: minutes of wall time when
# the app's thread, the training thread and the other pytest worker share 2 busy cores.
STEP_SECONDS = {"attention": 900}
DEFAULT_STEP_SECONDS = 600


class Commands:
    """Counts the commands the screen sends and the session applies, so that the walk
    presses its next key only once the last one's effect is on the screen. Pressing on
    while the session's thread lagged behind (a loaded machine) let an "until" loop press
    past its goal before the tracker saw it, and a step was never done."""

    def __init__(self, session) -> None:
        self.sent = self.applied = 0
        send, apply_commands = session.send, session.apply_commands

        def counted_send(*args, **kwargs):
            send(*args, **kwargs)
            self.sent += 1

        def counted_apply(*args, **kwargs):
            applied = apply_commands(*args, **kwargs)  # applied and published
            self.applied += applied
            return applied

        session.send, session.apply_commands = counted_send, counted_apply


def settled(app, screen, commands: Commands) -> bool:
    """Every command sent is applied and the lesson screen has taken the snapshot after it."""
    if commands.applied < commands.sent:
        return False
    return app.screen is not screen or screen._lesson_version == app.session.snapshot.version


def presses(name: str, number: int, step) -> list:
    return WALKS.get(name, {}).get(number, [key for key in step.keys if key != "enter"])


def pressed_keys(entry) -> tuple[str, ...]:
    return entry[1] if isinstance(entry, tuple) else (entry,)


@pytest.mark.parametrize("name", list(LESSONS))
def test_each_walk_presses_only_keys_the_texts_name(name):
    steps = LESSONS[name].steps
    for number, step in enumerate(steps, start=1):
        for entry in presses(name, number, step):
            for key in pressed_keys(entry):
                assert key in FOOTER_KEYS or any(names(s.text, key) for s in steps[:number]), \
                    f"{name} step {number}: {key!r} is named by no text so far"


def done(screen, index: int) -> bool:
    return screen.tracker.index > index or screen.tracker.reached


async def press(pilot, screen, key: str, commands: Commands) -> None:
    if key == "space" and screen.session.snapshot.status == TRAINING:
        return  # already training (Space would pause it)
    await pilot.press(KEYS.get(key, key).split(",")[0])
    await pilot.pause(0.1)
    await wait_for(pilot, lambda: settled(pilot.app, screen, commands))


@pytest.mark.parametrize("name", list(LESSONS))
async def test_a_learner_walks_every_lesson_by_its_texts(name):
    lesson = LESSONS[name]
    session = Session(config_for(lesson, first_run(lesson)))
    commands = Commands(session)
    app = NNTuiApp(session, fps=20, lesson=name)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        while screen.pace != "full":  # f: the footer's pace key
            await pilot.press("f")
        started = time.monotonic()
        for index, step in enumerate(lesson.steps):
            assert screen.tracker.index == index, f"{name}: at step {screen.tracker.index + 1}, not {index + 1}"
            for entry in presses(name, index + 1, step):
                if done(screen, index):
                    break
                if isinstance(entry, tuple):
                    _, keys, most = entry
                    for count in range(most):
                        if done(screen, index):
                            break
                        await press(pilot, screen, keys[count % len(keys)], commands)
                else:
                    await press(pilot, screen, entry, commands)
            if step.done is not READ_ONLY:
                try:
                    await wait_for(pilot, lambda: done(screen, index), seconds=STEP_SECONDS.get(name, DEFAULT_STEP_SECONDS))
                except AssertionError:
                    raise AssertionError(f"{name} step {index + 1} not done by its keys "
                                         f"({step.done.describe}): {step.text}") from None
            if screen.tracker.index == index:
                await pilot.press("enter")  # read-only, or held at its goal
                await pilot.pause(0.1)
                await wait_for(pilot, lambda: settled(app, screen, commands))  # the next step's run, if it has one
        assert screen.tracker.finished, f"{name}: ended at step {screen.tracker.index + 1}"
        print(f"{name}: walked in {time.monotonic() - started:.1f} s")


async def test_the_sparse_lesson_shows_the_l1_rate_that_h_raises():
    lesson = LESSONS["sparse"]
    app = NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson="sparse")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        steps = app.screen.pane("steps")
        assert "regularisation: none, rate 0" in steps.render().plain
        await pilot.press("g", "h")
        rate = lambda: app.session.snapshot.settings["reg_rate"]  # noqa: E731
        await wait_for(pilot, lambda: app.session.snapshot.settings["reg"] == "l1" and rate() > 0)
        await wait_for(pilot, lambda: f"regularisation: L1, rate {rate():g}" in steps.render().plain)


async def test_sparse_prune_step_names_the_key_that_trains_the_survivors():
    # Step 3 said "training goes on with the survivors", but the lesson is paused there (step 1
    # paused at its goal) and p does not train: three p's cut 95 % to 36 % with no retraining.
    from tests.lessons.lesson_walk import names

    lesson = LESSONS["sparse"]
    app = NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson="sparse")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        await pilot.press("enter", "enter")
        assert screen.tracker.index == 2
        await pilot.press("p")
        await wait_for(pilot, lambda: screen.state.own.prune_rounds == 1)
        await pilot.pause(0.5)
        assert screen.session.snapshot.status != TRAINING  # p prunes; it does not train
        text = lesson.steps[2].text
        assert names(text, "space") and "training goes on" not in text, text


async def _lesson_at_step(name: str, number: int, pilot, app):
    """The lesson screen at step ``number``, the steps before passed with Enter."""
    await pilot.pause(0.3)
    screen = app.screen
    for _ in range(number - 1):
        await pilot.press("enter")
    await wait_for(pilot, lambda: screen.tracker.index == number - 1)
    return screen


async def test_the_activations_learning_rate_step_needs_the_three_presses_it_names():
    # Step 3 said "Press + a few times" and one + (0.03 -> 0.1) met its goal: the lesson
    # moved on before the learner did what it asked.
    lesson = LESSONS["activations"]
    assert "Press + three times" in lesson.steps[2].text
    app = NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson="activations")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _lesson_at_step("activations", 3, pilot, app)
        lr = lambda: app.session.snapshot.settings["lr"]  # noqa: E731
        for wanted in (0.1, 0.3):
            await pilot.press("+")
            await wait_for(pilot, lambda: lr() == pytest.approx(wanted))
            await pilot.pause(0.3)
            assert screen.tracker.index == 2 and not screen.tracker.reached, (wanted, screen.tracker.index)
        await pilot.press("+")
        await wait_for(pilot, lambda: done(screen, 2))
        assert lr() == pytest.approx(1.0)


async def test_the_approximation_units_step_waits_for_the_space_it_asks_for():
    # Step 2 said "Press n to add units ... and Space to train them", but 8 units alone met
    # its goal: the seventh n moved on to step 3 before any Space.
    lesson = LESSONS["approximation"]
    text = lesson.steps[1].text
    assert "until there are 8 units" in text and names(text, "space"), text
    app = NNTuiApp(Session(config_for(lesson, first_run(lesson))), fps=20, lesson="approximation")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _lesson_at_step("approximation", 2, pilot, app)
        units = lambda: sum(app.session.snapshot.settings["hidden"])  # noqa: E731
        for count in range(2, 9):
            await pilot.press("n")
            await wait_for(pilot, lambda: units() == count)
        await pilot.pause(0.5)
        assert screen.tracker.index == 1 and not screen.tracker.reached, screen.tracker.index
        assert app.session.snapshot.status != TRAINING
        while screen.pace != "full":
            await pilot.press("f")
        await pilot.press("space")
        await wait_for(pilot, lambda: done(screen, 1), seconds=DEFAULT_STEP_SECONDS)
        assert app.session.snapshot.epoch >= 300

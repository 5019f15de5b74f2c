"""The lesson seam is real: a lesson the package does not ship, registered from here,
with its own pane, its own key, two runs (their switch keys made from the runs) and
a progress value of its own, opens from the picker and is walked through its steps.
Nothing outside this file names it."""

import sys
import types
from dataclasses import dataclass

import pytest
from rich.text import Text

from nn_tui.config import RunConfig
from nn_tui.lessons import LESSONS, Lesson, Step, register, unregister
from nn_tui.lessons.lesson import ClaimResult, at_least, epochs_trained, equals
from nn_tui.lessons.screen_values import network
from nn_tui.session import Session

SCREEN_MODULE = "toy_lesson_screen"


@dataclass
class TapState:
    taps: int = 0


TOY = Lesson(
    name="toy",
    title="A toy lesson (tests only)",
    summary="Tap, widen the network, train: the lesson seam, proved.",
    steps=(
        Step("Press t to tap.", at_least("taps", 1), keys=("t",)),
        Step("Press 2 for the wide network.", equals("run", "wide") & equals("hidden", 6), keys=("2",)),
        Step("Press s twice to train two epochs.", epochs_trained(2), keys=("s",)),
    ),
    claims=(lambda: ClaimResult("a toy claim", 1.0, True),),
    setup={"runs": {
        "narrow": {"dataset": "xor", "layers": [2], "seed": 0, "key": "1", "label": "two hidden units"},
        "wide": {"dataset": "xor", "layers": [6], "seed": 0, "key": "2", "label": "six hidden units"},
    }, "start": "narrow"},
    panes=("taps", "topology", "loss"),
    left_panes=("taps",),
    keys={"s": "step_epoch", "space": "play_pause"},
    values={"taps": lambda snapshot, state: state.own.taps,
            "hidden": lambda snapshot, state: int(sum(network(snapshot).hidden))},
    make_state=TapState,
    screen=SCREEN_MODULE,
)


def _screen_module():
    """What a lesson's screen.py holds: its pane, its key and the key's action."""
    from nn_tui.ui.controls import Control
    from nn_tui.ui.panes import Pane
    from nn_tui.ui.widgets.lesson_pane import LessonText

    module = types.ModuleType(SCREEN_MODULE)

    class TapsPane(LessonText):
        DEFAULT_CSS = "TapsPane { height: auto; border: round $primary; }"

    def draw(widget, snapshot, view, ui):
        widget.show(lambda width: Text(f"taps {ui.state.own.taps}, run {ui.state.run}"))

    def tap(screen):
        screen.state.own.taps += 1
        screen.state_changed()

    module.PANES = {"taps": Pane("taps", widget=TapsPane, draw=draw)}
    module.ACTIONS = {"tap": tap}
    module.CONTROLS = (Control("t", "Tap", action="tap", show=True),)
    return module


@pytest.fixture
def toy_lesson():
    sys.modules[SCREEN_MODULE] = _screen_module()
    register(TOY)
    yield TOY
    unregister("toy")
    sys.modules.pop(SCREEN_MODULE, None)


def test_its_keys_come_from_its_own_rows_its_runs_and_the_kind_table(toy_lesson):
    from nn_tui.ui.lesson_screen import lesson_controls, lesson_layout

    rows = {row.key: row for row in lesson_controls(toy_lesson)}
    assert rows["t"].label == "Tap" and rows["t"].action == "tap"
    assert (rows["1"].label, rows["1"].args) == ("Run: two hidden units", ("narrow",))
    assert (rows["2"].label, rows["2"].args) == ("Run: six hidden units", ("wide",))
    assert rows["s"].command == "step" and rows["space"].command == "toggle_play"
    assert "a" not in rows  # the MLP's activation key: not asked for
    columns = {column.id: [pane.id for pane in column.panes] for column in lesson_layout(toy_lesson).columns}
    assert columns == {"left": ["steps", "taps"], "right": ["topology", "neuron", "loss"]}


async def test_a_lesson_registered_from_outside_opens_from_the_picker_and_is_walked_through(toy_lesson):
    from nn_tui.ui.app import NNTuiApp
    from nn_tui.ui.lesson_screen import LessonPicker, LessonScreen
    from tests.app.pilot_helpers import wait_for

    app = NNTuiApp(Session(RunConfig.of()), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert f"Lesson {len(LESSONS)}: toy" in titles  # the palette lists it, last
        await pilot.press("c")
        await pilot.pause(0.1)
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("end", "enter")  # the last lesson: the toy
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson is toy_lesson)
        screen = app.screen
        await wait_for(pilot, lambda: screen._expect_kind is None
                       and app.session.snapshot.settings["hidden"] == (2,))
        steps = lambda: screen.pane("steps").render().plain  # noqa: E731
        assert "▶ 1/3. Press t to tap." in steps() and "run shown: narrow  (2: wide)" in steps()
        assert "taps 0, run narrow" in screen.pane("taps").render().plain

        await pilot.press("t")  # its own key: its own state, its own progress value, its own pane
        await wait_for(pilot, lambda: screen.tracker.index == 1)
        assert screen.state.own.taps == 1 and "taps 1, run narrow" in screen.pane("taps").render().plain

        await pilot.press("2")  # a switch key made from its runs
        await wait_for(pilot, lambda: app.session.snapshot.settings["hidden"] == (6,))
        await wait_for(pilot, lambda: screen.tracker.index == 2)
        assert "run shown: wide  (1: narrow)" in steps()

        await pilot.press("s", "s")  # a row of the kind's table the lesson asked for
        await wait_for(pilot, lambda: screen.tracker.finished)
        assert app.session.snapshot.epoch == 2 and "All steps done" in steps()
        await pilot.press("backspace")
        assert screen.tracker.index == 2

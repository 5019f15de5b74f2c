"""Pictures of key screens (pytest-textual-snapshot), compared cell by cell.

Paused and seeded, so every run draws the same screen; taken without toasts, which come
and go. After a deliberate change of the look, refresh them with `python3 -m pytest tests/app/test_screens.py --snapshot-update`
and look at the report before committing.
"""

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from tests.app.pilot_helpers import wait_for


def app_for(expected_epoch: int = 0, **config) -> NNTuiApp:
    app = NNTuiApp(Session(RunConfig.of(**config)), fps=10)
    app.expected_epoch = expected_epoch  # what `settle` waits for
    return app


async def settle(pilot) -> None:
    """Wait until the session has done what the keys asked and the screen shows it."""
    app = pilot.app

    def shown() -> bool:
        snapshot = app.session.snapshot
        return app.playground._shown_version == snapshot.version and snapshot.epoch == app.expected_epoch

    await wait_for(pilot, shown)
    # The start notice's toast lasts 4 s: whether a picture caught it depended on how fast
    # the machine was. Every picture is taken without it.
    await wait_for(pilot, app.session.notices.empty)
    await pilot.pause(0.3)
    app.clear_notifications()
    await pilot.pause()


def pressing(*keys):
    """The keys, then `settle`: snap_compare runs `run_before` before its own `press`, so
    keys given there were pressed after the wait, and the picture raced the session."""

    async def run_before(pilot) -> None:
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


def test_playground_at_120x40(snap_compare):
    # One step only: heatmap colours have hysteresis, so the picture after two quick steps
    # depends on whether the screen caught the step between them.
    assert snap_compare(app_for(1, dataset="xor", layers=(4, 2)), terminal_size=(120, 40),
                        run_before=pressing("s", "right", "down"))


def test_playground_at_80x24(snap_compare):
    assert snap_compare(app_for(dataset="circle"), terminal_size=(80, 24), run_before=settle)


def test_digits_confusion_matrix(snap_compare):
    assert snap_compare(app_for(1, dataset="digits", layers=(16,)), terminal_size=(120, 40),
                        run_before=pressing("s"))


def test_help_screen(snap_compare):
    # settle, then the key: the help screen covers the playground (which then draws nothing)
    assert snap_compare(app_for(), terminal_size=(100, 40), press=["question_mark"], run_before=settle)

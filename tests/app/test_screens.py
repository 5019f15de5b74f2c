"""Pictures of key screens (pytest-textual-snapshot), compared cell by cell.

Paused and seeded, so every run draws the same screen. After a deliberate change of
the look, refresh them with `python3 -m pytest tests/app/test_screens.py --snapshot-update`
and look at the report before committing.
"""

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp


def app_for(expected_epoch: int = 0, **config) -> NNTuiApp:
    app = NNTuiApp(Session(RunConfig.of(**config)), fps=10)
    app.expected_epoch = expected_epoch  # what `settle` waits for
    return app


async def settle(pilot) -> None:
    """Wait until the session has done what the keys asked and the screen shows it."""
    app = pilot.app
    for _ in range(2400):  # up to 2 minutes: only a loaded machine's margin
        snapshot = app.session.snapshot
        if app.playground._shown_version == snapshot.version and snapshot.epoch == app.expected_epoch:
            break
        await pilot.pause(0.05)
    await pilot.pause(0.3)


def test_playground_at_120x40(snap_compare):
    # One step only: heatmap colours have hysteresis, so the picture after two quick steps
    # depends on whether the screen caught the step between them.
    assert snap_compare(app_for(1, dataset="xor", layers=(4, 2)), terminal_size=(120, 40),
                        press=["s", "right", "down"], run_before=settle)


def test_playground_at_80x24(snap_compare):
    assert snap_compare(app_for(dataset="circle"), terminal_size=(80, 24), run_before=settle)


def test_digits_confusion_matrix(snap_compare):
    assert snap_compare(app_for(1, dataset="digits", layers=(16,)), terminal_size=(120, 40),
                        press=["s"], run_before=settle)


def test_help_screen(snap_compare):
    assert snap_compare(app_for(), terminal_size=(100, 40), press=["question_mark"], run_before=settle)

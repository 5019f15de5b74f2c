"""Pictures of key screens (pytest-textual-snapshot), compared cell by cell.

Paused and seeded, so every run draws the same screen. After a deliberate change of
the look, refresh them with `python3 -m pytest tests/app/test_screens.py --snapshot-update`
and look at the report before committing.
"""

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp


def app_for(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig(**config)), fps=10)


async def settle(pilot) -> None:
    await pilot.pause(0.3)


def test_playground_at_120x40(snap_compare):
    assert snap_compare(app_for(dataset="xor", layers=(4, 2)), terminal_size=(120, 40),
                        press=["s", "s", "right", "down"], run_before=settle)


def test_playground_at_80x24(snap_compare):
    assert snap_compare(app_for(dataset="circle"), terminal_size=(80, 24), run_before=settle)


def test_digits_confusion_matrix(snap_compare):
    assert snap_compare(app_for(dataset="digits", layers=(16,)), terminal_size=(120, 40),
                        press=["s"], run_before=settle)


def test_help_screen(snap_compare):
    assert snap_compare(app_for(), terminal_size=(100, 40), press=["question_mark"], run_before=settle)

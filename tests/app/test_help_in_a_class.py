"""Opening help costs a served tab little CPU (20 tabs share 2 cores, issue 24): its table is
laid out once for each width, and in a browser a dialog hides the screen under it instead
of blending every cell of it."""

import io

from rich.console import Console

from nn_tui.session import Session
from nn_tui.config import RunConfig
from nn_tui.ui import app as app_module
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.screens import HelpScreen, _drawn_help_table, help_table


def _printed(renderable, width: int) -> str:
    console = Console(width=width, record=True, file=io.StringIO(), color_system="truecolor")
    console.print(renderable)
    return console.export_text(styles=True)


async def _help_screen(app: NNTuiApp) -> HelpScreen:
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        return app.screen.styles.background


async def test_the_help_table_is_laid_out_once_and_looks_the_same():
    app = NNTuiApp(Session(RunConfig.of()), fps=20)
    async with app.run_test(size=(100, 30)) as pilot:
        controls = tuple(app.playground.controls)
        await pilot.press("question_mark")
        await pilot.pause()
        drawn = _drawn_help_table(controls)
        assert app.screen.query_one("#help-table").content is drawn
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query_one("#help-table").content is drawn  # the same, not laid out again
        assert drawn._lines  # what the first opening laid out
    for width in (40, 66, 100):
        assert _printed(drawn, width) == _printed(help_table(controls), width)
        assert _printed(drawn, width) == _printed(help_table(controls), width)  # from its cache too


async def test_in_a_browser_dialogs_hide_the_screen_under_them(monkeypatch):
    in_terminal = await _help_screen(NNTuiApp(Session(RunConfig.of()), fps=20))
    assert in_terminal.a < 1  # Textual's modal: the playground dimmed under it
    monkeypatch.setattr(app_module, "to_browser", lambda app: True)
    in_browser = await _help_screen(NNTuiApp(Session(RunConfig.of()), fps=20))
    assert in_browser.a == 1

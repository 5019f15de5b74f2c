"""The app driven as a person would, through Textual's Pilot."""

import io
import random

from rich.console import Console

import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.screens import HelpScreen, help_table

from tests.views import net, plane
from tests.app.pilot_helpers import back_to_the_playground, press_at_random, status, wait_for


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


async def test_space_trains_and_pauses_while_the_screen_follows():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "paused" in status(app) and "epoch 0" in status(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 3)
        await wait_for(pilot, lambda: "training" in status(app))
        await pilot.press("space")
        await wait_for(pilot, lambda: "paused" in status(app))
        epoch = app.session.snapshot.epoch
        await pilot.pause(0.2)
        assert app.session.snapshot.epoch == epoch
        assert f"epoch {epoch:,}" in status(app)


async def test_step_lr_and_layers_keys():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app))
        await pilot.press("plus")
        await wait_for(pilot, lambda: "lr 0.1" in status(app))
        assert app.session.snapshot.epoch == 1  # the lr change kept the run
        await pilot.press("minus", "minus")
        await wait_for(pilot, lambda: "lr 0.01" in status(app))
        await pilot.press("l")
        await wait_for(pilot, lambda: net(app.session.snapshot).hidden == (4, 2, 2))
        assert app.session.snapshot.epoch == 0  # the architecture change reset it
        await pilot.press("right", "n")
        await wait_for(pilot, lambda: net(app.session.snapshot).hidden == (5, 2, 2))
        await pilot.press("a")
        await wait_for(pilot, lambda: app.session.snapshot.settings["activation"] != "tanh")
        await pilot.press("3")
        await wait_for(pilot, lambda: "x1sq" in app.session.snapshot.settings["features"])


async def test_q_quits_cleanly():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 1)  # trained: the first q asks
        await pilot.press("q", "q")  # the first asks: the run trained and is not saved
        await pilot.pause()
        assert not app.is_running  # q ended the app, not the run_test context
    assert app.return_code == 0
    assert app.session.stopping  # and the training loop was told to stop


async def test_help_screen_lists_every_binding():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        controls = app.playground.controls
        console.print(help_table(controls))
        text = console.export_text()
        assert len(controls) > 30  # every key of the playground, from the controls table
        for control in controls:
            assert control.label in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_divergence_shows_a_notice_and_the_app_keeps_running():
    app = make_app(dataset="reg-plane", layers=(8, 8), lr=10.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_for(pilot, lambda: "diverged" in status(app))
        await wait_for(pilot, lambda: any("diverged" in str(n.message) for n in app._notifications))
        await pilot.press("minus", "minus", "minus", "r")
        await wait_for(pilot, lambda: "paused" in status(app) and "epoch 0" in status(app))


async def test_too_small_terminal_gets_a_notice_and_recovers():
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("too-small")
        assert "too small" in str(app.query_one("#too-small").render())
        await pilot.press("space")  # training goes on while the notice is up
        await wait_for(pilot, lambda: app.session.snapshot.epoch > 0)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        assert not app.screen.has_class("too-small") and app.screen.has_class("compact")


async def test_edit_a_weight_by_hand():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "e")
        await pilot.pause()
        box = app.screen.query_one("#w0")
        box.value = "2.5"
        await pilot.press("enter")
        await wait_for(pilot, lambda: net(app.session.snapshot).weights[0][0, 0] == 2.5)


@pytest.mark.parametrize("seed", [3, 8])
async def test_random_keys_and_resizes_never_crash(seed, tmp_path, monkeypatch):
    # Every binding, plus the keys of the screens on top (help, weight editor, save,
    # command palette) and terminals far below the minimum size.
    monkeypatch.chdir(tmp_path)  # "w" then "enter" saves a model into the working directory
    rng = random.Random(seed)
    keys = ["space", "s", "r", "R", "plus", "minus", "a", "l", "L", "n", "N", "1", "2", "3", "4", "5",
            "6", "7", "d", "z", "Z", "t", "T", "b", "B", "o", "g", "h", "H", "left", "right", "up",
            "down", "k", "p", "question_mark", "escape", "e", "w", "ctrl+p", "pageup", "pagedown",
            "enter", "tab", "shift+tab", "home", "end", "backspace", "8", "0", "full_stop"]
    sizes = [(120, 40), (80, 24), (60, 15), (200, 60), (100, 30), (40, 10), (20, 3)]
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await press_at_random(pilot, rng, keys, sizes, rounds=100)
        assert app.is_running
        await back_to_the_playground(pilot, app)
        await wait_for(pilot, lambda: app.screen is app.playground)
        await wait_for(pilot, lambda: f"epoch {app.session.snapshot.epoch:,}" in status(app))


async def test_training_goes_on_behind_the_help_screen_and_resizes_reach_the_playground():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "question_mark")
        epoch = app.session.snapshot.epoch
        await wait_for(pilot, lambda: app.session.snapshot.epoch > epoch + 3)
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.2)
        assert app.screen_stack[0].has_class("too-small")
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert not app.screen_stack[0].has_class("too-small")
        # Still following the run: once paused, the status line catches up with the
        # last epoch (asserting while training raced the next snapshot under load).
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.status == "paused"
                       and f"epoch {app.session.snapshot.epoch:,} " in status(app))


async def test_paging_the_command_palette_in_a_squeezed_terminal_does_not_end_the_app():
    # Found by random keys in tmux: Textual's OptionList raised KeyError on PageUp
    # when it had no room to lay out its lines.
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.resize_terminal(20, 3)
        await pilot.pause(0.2)
        await pilot.press("pageup", "pagedown", "a", "pageup", "down", "pagedown")
        await pilot.pause(0.1)
        assert app.is_running
        await pilot.press("escape")
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert "epoch" in status(app)


async def test_at_80x24_the_settings_pane_gives_way_and_only_panes_with_a_view_show():
    # Setting `display` from the snapshot had overridden the compact layout's rule.
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        assert app.screen.has_class("compact")
        assert not app.query_one("#settings").display
        assert app.query_one("#output").display and not app.query_one("#confusion").display
    app = make_app(dataset="digits", layers=(16,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert app.query_one("#settings").display
        assert app.query_one("#confusion").display and not app.query_one("#output").display

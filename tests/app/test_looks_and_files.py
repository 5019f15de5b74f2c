"""The app's files (setup TOML, share string, history CSV, SVG screenshot), its themes and
colour modes, and the loss plot's axes, driven through Pilot."""

import csv

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.setup_file import config_from_share, load_toml
from nn_tui.ui import palette
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.screens import HelpScreen, SaveScreen, ShareScreen
from nn_tui.ui.widgets.loss_plot import LossPlot
from tests.app.pilot_helpers import wait_for

SETUP = dict(dataset="spiral", layers=(5, 3), lr=0.1, features=("x1", "x2", "sinx1"), seed=4, optimizer="adam")


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


def notices(app) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_setup_key_writes_toml_that_opens_the_same_setup_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(**SETUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("plus")  # a change made in the app is part of the setup
        await wait_for(pilot, lambda: app.session.snapshot.settings["lr"] == 0.3)
        for expected in ("nn-tui-spiral.toml", "nn-tui-spiral-2.toml"):
            await pilot.press("C")
            await pilot.pause()
            assert isinstance(app.screen, SaveScreen)
            await pilot.press("enter")
            await wait_for(pilot, lambda: (tmp_path / expected).exists())
            assert expected in notices(app)
        assert load_toml(tmp_path / "nn-tui-spiral.toml") == RunConfig.of(**{**SETUP, "lr": 0.3})
        await pilot.press("C")  # a typed name that exists is refused
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "nn-tui-spiral.toml")
        before = (tmp_path / "nn-tui-spiral.toml").read_text()
        (tmp_path / "nn-tui-spiral.toml").write_text("# mine\n")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "exists" in notices(app))
        assert (tmp_path / "nn-tui-spiral.toml").read_text() == "# mine\n" != before


async def test_share_key_and_help_show_the_string_that_opens_this_setup():
    app = make_app(**SETUP)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ShareScreen)
        line = app.screen.query_one("#share").value
        assert line.startswith("nn-tui --share 1.")
        assert config_from_share(line.split()[-1]) == RunConfig.of(**SETUP)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert line in str(app.screen.query_one("#help-share").render())


async def test_history_csv_has_every_series_and_screenshot_is_svg(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app(dataset="xor", layers=(4,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "s", "s")
        await wait_for(pilot, lambda: app.session.snapshot.epoch == 3)
        await pilot.press("v", "V")
        await wait_for(pilot, lambda: (tmp_path / "nn-tui-xor-screen.svg").exists())
        history = app.session.snapshot.history
        with open(tmp_path / "nn-tui-xor-history.csv") as file:
            rows = list(csv.reader(file))
        assert rows[0] == ["epoch", *history.series] and "step" in rows[0] and "test_accuracy" in rows[0]
        assert [int(r[0]) for r in rows[1:]] == [0, 1, 2, 3]
        column = rows[0].index("train_loss")
        assert np.allclose([float(r[column]) for r in rows[1:]], history.get("train_loss"))
        assert (tmp_path / "nn-tui-xor-screen.svg").read_text().lstrip().startswith("<svg")
        assert "nn-tui-xor-history.csv" in notices(app) and "nn-tui-xor-screen.svg" in notices(app)


async def test_loss_plot_log_scale_and_steps_keys():
    app = make_app(dataset="xor", layers=(4,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "s")
        await wait_for(pilot, lambda: app.session.snapshot.epoch == 2)
        plot = app.screen.query_one(LossPlot)
        text = lambda: "\n".join(strip.text for strip in plot._strips)  # noqa: E731
        await wait_for(pilot, lambda: "epoch" in text())  # drawn on the next frame
        assert "log" not in text()
        await pilot.press("y", "x")
        await wait_for(pilot, lambda: plot.log_scale and plot.by_step)
        steps = int(app.session.snapshot.history.get("step")[-1])
        assert steps == app.session.snapshot.step and steps > 2
        assert "step" in text() and "log scale" in text()
        ticks = text().splitlines()[-2].split()  # the x axis runs to the last step, not epoch 2
        assert ticks[0] == "0" and steps / 2 <= int(ticks[-1]) <= steps
        await pilot.press("y", "x")
        await wait_for(pilot, lambda: not plot.log_scale and not plot.by_step)
        assert "epoch" in text()


def heat_chars(app) -> set[str]:
    output = app.screen.query_one("#output")
    return {chr(int(c) >> 16) for c in np.unique(output._lines.frame)}


async def test_theme_key_reaches_the_panes_that_paint_their_own_colours():
    app = make_app(dataset="circle", layers=(4,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        assert palette.scheme() == (False, "rgb") and "▀" in heat_chars(app)
        dark_bg = palette.palette_rgb(palette.DIVERGING_DIM + palette.NEUTRAL_BIN)
        await pilot.press("m")  # light
        await wait_for(pilot, lambda: palette.scheme() == (True, "rgb"))
        assert app.theme == "textual-light" and sum(palette.palette_rgb(palette.DIVERGING_DIM + 15)) > sum(dark_bg)
        from textual.color import Color

        light_bg = Color.parse(app.current_theme.background).rgb  # empty cells: the theme's, not the terminal's
        assert palette.cell_style(palette.DEFAULT, palette.DEFAULT).bgcolor.triplet == light_bg
        await pilot.press("m")  # 16 colours: shading characters
        await wait_for(pilot, lambda: palette.scheme()[1] == "ansi")
        await pilot.pause(0.2)
        assert {"░", "▒", "▓", "█"} & heat_chars(app) and "▀" not in heat_chars(app)
        topology = app.screen.query_one("#topology")
        boxes = [box for layer in topology.layout_info.nodes for box in layer]
        inside = {chr(int(topology._lines.frame[b.y + dy, b.x + dx]) >> 16)
                  for b in boxes for dy in range(b.h) for dx in range(b.w)}
        assert "▀" not in inside and {"░", "▒", "▓", "█"} & inside
        app.theme = "nord"  # Textual's own switcher: any theme, the palette follows
        await wait_for(pilot, lambda: palette.scheme() == (False, "rgb"))
        assert palette.cell_style(palette.DEFAULT, palette.DEFAULT).bgcolor is None
        await pilot.pause(0.2)
        assert "▀" in heat_chars(app)
    assert palette.scheme() == (False, "rgb")


async def test_no_color_draws_maps_in_shading_characters(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(dataset="circle", layers=(4,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert palette.scheme()[1] == "mono"
        chars = heat_chars(app)
        assert len({" ", "░", "▒", "▓", "█"} & chars) >= 3 and {"o", "x"} <= chars


def test_a_16_colour_terminal_gets_shading_characters():
    from types import SimpleNamespace

    from nn_tui.ui.looks import colour_mode

    def app(system, theme="textual-dark", headless=False, no_color=False):
        return SimpleNamespace(no_color=no_color, is_headless=headless, console=SimpleNamespace(color_system=system),
                               current_theme=SimpleNamespace(name=theme))

    assert colour_mode(app("standard")) == "ansi"  # TERM=xterm
    assert colour_mode(app("truecolor")) == colour_mode(app("256")) == "rgb"
    assert colour_mode(app("truecolor", theme="ansi-light")) == "ansi"
    assert colour_mode(app("truecolor", no_color=True)) == "mono"
    assert colour_mode(app("standard", headless=True)) == "rgb"


def test_exports_never_replace_a_file_even_when_the_free_name_is_taken(tmp_path, monkeypatch):
    """free_path gives up after 10,000 names, and a name can be taken between the choice
    and the write: the history CSV and the screenshot still refuse, not overwrite."""
    from types import SimpleNamespace

    from nn_tui.ui import exports

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(exports, "free_path", lambda path: path)  # every name "free", all taken
    said = []
    app = SimpleNamespace(notify=lambda message, **kwargs: said.append(message),
                          export_screenshot=lambda: "<svg/>")
    session = Session(RunConfig.of(dataset="xor", layers=(4,)))
    screen = SimpleNamespace(app=app, session=session)
    for name, action in (("nn-tui-xor-history.csv", exports.export_history),
                         ("nn-tui-xor-screen.svg", exports.screenshot)):
        (tmp_path / name).write_text("mine\n")
        action(screen)
        assert (tmp_path / name).read_text() == "mine\n"
        assert f"{tmp_path / name} exists" in said[-1]



async def test_the_share_dialog_opens_at_the_start_of_the_line_and_cannot_be_typed_into():
    app = make_app(**SETUP)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("u")
        await pilot.pause()
        line = app.screen.query_one("#share")
        before = line.value
        first_row = "".join(segment.text for segment in line.render_line(0))
        assert "nn-tui --share" in first_row, first_row  # not scrolled to the end
        await pilot.press("x", "y", "backspace")
        assert line.value == before  # read-only: the line stays the one that opens the setup
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ShareScreen)

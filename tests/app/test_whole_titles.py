"""Titles drawn whole at 120x40 and 80x24 (issue 19): the lesson's title on the steps pane
shortens to a meaningful part (never a word cut, the rest lost), and a loss plot's legend
goes on, whole, in the bottom border where the top one has no room for it."""

import re

import pytest

from nn_tui.lessons import LESSONS
from tests.app.pilot_helpers import status, wait_for, wait_until_shown
from tests.app.screen_text import screen_lines, title_text
from tests.app.test_image_screens import CNN, make_app
from tests.app.test_lessons import fits, lesson_app

SIZES = [(120, 40), (80, 24)]


def bottom_border(app, widget) -> str:
    region = widget.region
    return screen_lines(app)[region.bottom - 1][region.x:region.right]


def legend(app, widget) -> str:
    return title_text(app, widget) + " " + bottom_border(app, widget)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", list(LESSONS))
async def test_the_lesson_title_is_whole_or_its_part_before_the_colon(name, size):
    # At 80x24 "Backpropagation: one sample, every nu…" and "Convolutional networks: local pattern…".
    title = LESSONS[name].title
    app = lesson_app(name)
    async with app.run_test(size=size) as pilot:
        steps = app.screen.pane("steps")
        await wait_for(pilot, lambda: title.split(":")[0] in title_text(app, steps))
        fits(app)
        shown = title_text(app, steps)
        assert "…" not in shown, shown
        assert title in shown or f"─ {title.split(':')[0]} ─" in shown, shown


@pytest.mark.parametrize("size", SIZES)
async def test_the_overfitting_mark_is_named_whole_in_the_loss_legend(size):
    # At 80x24 the mlp's loss plot cut its legend at "│ overfit…".
    app = lesson_app("overfitting")
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.screen.tracker.reached, seconds=60)
        await wait_until_shown(pilot, app)
        pane = app.screen.pane("loss")
        await wait_for(pilot, lambda: "overfitting" in legend(app, pane), seconds=60)
        shown = legend(app, pane)
        assert "│ overfitting" in shown and "━ train" in shown and "━ test" in shown, shown
        assert "…" not in shown, shown


async def _cnn_legend_is_whole(app, pilot) -> str:
    pane = app.screen.pane("curves")
    await wait_for(pilot, lambda: app.session.snapshot.history.get("test_accuracy") is not None
                   and "┈" in legend(app, pane), seconds=60)
    await wait_until_shown(pilot, app)
    shown = legend(app, pane)
    assert "…" not in shown, shown
    assert re.search(r"┈ test acc(uracy \(right( axis)?\)| \d+\.\d%)", shown), shown
    assert "━ train" in shown and "━ test" in shown, shown
    return shown


@pytest.mark.parametrize("size", SIZES)
async def test_the_cnn_playground_loss_legend_is_whole(size):
    # At 80x24: "loss ━ train ━ test ┈ test …".
    app = make_app(**CNN)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app), seconds=60)
        await _cnn_legend_is_whole(app, pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_the_cnn_lesson_loss_legend_is_whole(size):
    # At 120x40 the lesson's left column cut it at "test accuracy (righ…".
    app = lesson_app("cnn")
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.2)
        await pilot.press("space")
        await _cnn_legend_is_whole(app, pilot)

"""`nn-tui --model attention --dataset fluent`: the story lit by where the chosen head looks
from the cursor, the heads × blocks maps, the full T × T map, the sample (t / T: its
temperature), the prompt, the gap chart with an attention row, the loss with the jump."""

import numpy as np

from nn_tui.config import RunConfig
from nn_tui.kinds.attention.jump import find_jump
from nn_tui.kinds.attention.views import AttentionView
from nn_tui.kinds.sequence.views import CompletionView, GapChartView, SampleView
from nn_tui.session import Session
from tests.app.pilot_helpers import wait_for

PANES = ("story", "heads", "map", "sample", "completion", "gaps", "loss")


def small_session():
    return Session(RunConfig.of(model="attention", dataset="fluent", gap=0, d=8, heads=2, blocks=2, context=64,
                                batch_size=4))


async def test_the_attention_screen_opens_picks_a_head_and_completes_a_prompt():
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.playground
        for pane in PANES:
            assert screen.pane(pane).display and screen.pane(pane).region.area, pane
        view = app.session.snapshot.view(AttentionView)
        assert view.weights.shape == (2, 2, len(view.text), len(view.text))  # blocks, heads, T, T
        assert screen.ui.clamp(view)[1] == view.asking  # the cursor starts where the language is asked
        await pilot.press("down", "down", "down", "down", "right")
        assert (screen.ui.head, screen.ui.cursor) == (3, view.asking + 1)  # the last head: the choice is clamped
        story = screen.pane("story")  # its title's parts on the top border and the bottom one
        assert "block 2 head 2" in story.border_title + (story.border_subtitle or "")
        await pilot.press("i")
        await pilot.pause(0.1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.session.snapshot.view(CompletionView) is not None)
        for size in ((80, 24), (60, 20), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.press("n", "up", "comma", "full_stop", "space")
            await pilot.pause(0.05)
        assert app.is_running and app.session.snapshot.kind == "attention"


async def test_t_raises_the_samples_temperature_and_writes_it_again():
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.3)
        assert app.session.snapshot.view(SampleView).temperature == 0.6
        await pilot.press("t", "t")
        await wait_for(pilot, lambda: app.session.snapshot.view(SampleView).temperature == 1.0)
        await pilot.press("T")
        await wait_for(pilot, lambda: app.session.snapshot.view(SampleView).temperature == 0.8)
        await wait_for(pilot, lambda: "temperature 0.8" in app.playground.pane("sample").border_title)


async def test_at_80x24_every_pane_keeps_some_room():
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(small_session(), fps=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        screen = app.playground
        for pane in ("story", "heads", "map", "sample", "completion", "gaps"):
            assert screen.pane(pane).region.height >= 3, pane
        chart = screen.pane("gaps")
        assert "attn" in chart.render().plain and chart.region.height >= 7


def test_the_gap_chart_has_an_attention_row_that_fits_a_narrow_pane():
    from nn_tui.ui.widgets.sequence_views import gap_chart_text

    view = GapChartView(measured=(("lstm", 2, 1.0), ("attention", 8, 1.0)), session=(("attention", 3, 0.25),),
                        max_gap=8, current=("attention", 3))
    wide, narrow = gap_chart_text(view, 100).plain, gap_chart_text(view, 32).plain
    assert "attn" in wide and "1.00" in wide and "0.25" in wide
    assert wide.splitlines()[0].split() == ["gap", *map(str, range(9))]
    assert narrow.splitlines()[0].split() == ["gap", "2", "3", "8"]  # only the gaps with a value
    assert all(len(line) <= 32 for line in narrow.splitlines()[:-1])
    assert "0.25*" in narrow.splitlines()[4] and narrow.splitlines()[4].endswith("1.00 ")


def test_the_jump_is_the_first_quick_rise_from_near_chance():
    flat = [0.05, 0.06, 0.04, 0.07, 0.05]
    assert find_jump(range(5), flat) is None
    slow = np.linspace(0.05, 0.95, 30)  # 0.03 an epoch: no jump
    assert find_jump(range(30), slow) is None
    jump = find_jump(range(8), [0.05, 0.06, 0.05, 0.2, 0.7, 0.9, 0.95, 1.0])
    assert (jump.start, jump.end, jump.before, jump.after) == (2, 4, 0.05, 0.7)
    assert "0.05 → 0.70" in jump.line()


def test_the_loss_pane_marks_the_jump_the_panes_find():
    from types import SimpleNamespace

    from nn_tui.history import History
    from nn_tui.kinds.attention.panes import draw_history, jump_line

    epochs = np.arange(8.0)
    completion = np.array([0.05, 0.06, 0.05, 0.2, 0.7, 0.9, 0.95, 1.0])
    history = History(epochs=epochs, series={"train_loss": np.ones(8), "test_loss": np.ones(8),
                                             "completion_accuracy": completion})
    marks = []
    plot = SimpleNamespace(update_history=lambda history, jump_epoch=None: marks.append(jump_epoch))
    draw_history(plot, SimpleNamespace(history=history), None, None)
    assert marks == [4]  # where completion reached 0.7: find_jump's end
    assert jump_line(SimpleNamespace(history=history)) == find_jump(epochs, completion).line()
    flat = History(epochs=epochs, series={"completion_accuracy": np.full(8, 0.05)})
    draw_history(plot, SimpleNamespace(history=flat), None, None)
    assert marks[-1] is None

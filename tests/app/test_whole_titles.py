"""Titles drawn whole at 120x40 and 80x24 (issue 19): the lesson's title on the steps pane
shortens to a meaningful part (never a word cut, the rest lost), and a loss plot's legend
goes on, whole, in the bottom border where the top one has no room for it."""

import re

import pytest

from nn_tui.lessons import LESSONS
from tests.app.pilot_helpers import status, wait_for, wait_until_shown
from tests.app.screen_text import screen_lines, title_text, widget_text
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


def borders(app, widget) -> tuple[str, str]:
    """The widget's top and bottom border rows as drawn (toasts cleared first by the caller)."""
    return title_text(app, widget), bottom_border(app, widget)


async def _borders_drawn(pilot, app, widget, wanted: str) -> tuple[str, str]:
    """Both borders once ``wanted`` shows on one of them, with no toast over them."""
    app.clear_notifications()
    await wait_for(pilot, lambda: wanted in " ".join(borders(app, widget)), seconds=60)
    await wait_until_shown(pilot, app)
    app.clear_notifications()
    await pilot.pause(0.2)
    return borders(app, widget)


@pytest.mark.parametrize("size", SIZES)
async def test_the_gan_plane_title_is_whole_on_its_two_borders(size):
    # At 80x24 the plane's title was cut at "┼ 8-…": the noise note goes on in the bottom border.
    from nn_tui.config import RunConfig
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(Session(RunConfig.of(model="gan")), fps=20)
    async with app.run_test(size=size) as pilot:
        plane = app.screen.pane("output")
        top, bottom = await _borders_drawn(pilot, app, plane, "2-D slice")
        fits(app)
        assert "…" not in top + bottom, (top, bottom)
        assert "● real ● fake" in top and "D says ▒/▒" in top, top
        assert re.search(r"┼ 8-D noise: 2-D slice (through|at) mean", top + bottom), (top, bottom)


def test_a_collapsed_gan_plane_title_keeps_every_part_whole_in_80_columns():
    # The mode-collapse warning (36 cells) alone was longer than the 80x24 plane's border.
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.kinds.gan.panes import GanUi, plane_title_parts
    from nn_tui.kinds.gan.views import GanPlaneView
    from nn_tui.ui.widgets.borders import markup_cells, top_and_bottom

    view = GanPlaneView(d_map=np.zeros((2, 2)), domain=(-1.0, 1.0), real=np.zeros((1, 2)), fake=np.zeros((1, 2)),
                        fake_push=np.zeros((1, 2)), manifold=np.zeros((1, 1, 2)),
                        noise_note="8-D noise: 2-D slice through mean")
    snapshot = SimpleNamespace(metrics={"modes_covered": 1}, settings={"mode_count": 8}, epoch=5_000)
    room = 40 - 6  # the plane's border at 80x24
    top, bottom = top_and_bottom(plane_title_parts(view, GanUi(), snapshot), room)
    assert markup_cells(top) <= room and markup_cells(bottom) <= room, (top, bottom)
    assert "mode collapse: 1 of 8 modes" in top, top
    assert "real" in bottom and "fake" in bottom and "D says" in bottom, bottom
    whole, _ = top_and_bottom(plane_title_parts(view, GanUi(), snapshot), 200)
    assert "mode collapse: G covers 1 of 8 modes" in whole and "slice through mean" in whole


@pytest.mark.parametrize("mark, drawn, sigma", [("none", (), 0.4), ("box", (), 0.4), ("none", (3, 4), 0.4),
                                                ("scribble", (3,), 0.125)])
@pytest.mark.parametrize("room, hints", [(46 - 6, ("e: draw a mark", "k: mark", "z Z: noise")), (36 - 6, ())])
def test_the_autoencoder_digits_title_keeps_its_noise_whole_beside_the_key_hints(mark, drawn, sigma, room, hints):
    # 80x24 cut it at "test digits: clean, noisy (σ …" (playground: 46 cells wide, the key hints on its
    # bottom border; lesson: 36 cells, none). A mark drawn by hand adds "yours on digit N".
    from types import SimpleNamespace

    from nn_tui.kinds.autoencoder.panes import digits_title_parts
    from nn_tui.ui.widgets.borders import markup_cells, top_and_bottom

    view = SimpleNamespace(mark=mark, drawn=drawn, drawn_on=16, sigma=sigma)
    inputs = "noisy" if mark == "none" and not drawn else "marked"
    parts = digits_title_parts(SimpleNamespace(dataset="digits"), view, inputs)
    top, bottom = top_and_bottom(parts, room, hints=hints)
    shown = f"{top} · {bottom}"
    assert markup_cells(top) <= room and markup_cells(bottom) <= room and "…" not in shown, (top, bottom)
    assert f"σ {sigma:g}" in shown and (mark == "none" or mark in shown), shown
    assert bottom.endswith(" · ".join(hints)), bottom  # the key hints whole, last on the bottom border
    assert not drawn or "yours on" in shown, shown
    whole, _ = top_and_bottom(parts, 200, hints=hints)
    assert whole.startswith(f"test digits: clean, {inputs} ("), whole


@pytest.mark.parametrize("size", SIZES)
async def test_the_rnn_story_title_is_whole_on_its_two_borders(size):
    # Cut at "colour: unit 1 (↑ ↓: …" at 120x40 and at "held-out text 1/1…" at 80x24.
    app = lesson_app("rnn")
    async with app.run_test(size=size) as pilot:
        stream = app.screen.pane("stream")
        top, bottom = await _borders_drawn(pilot, app, stream, "cursor")
        fits(app)
        assert "…" not in top + bottom, (top, bottom)
        assert re.search(r"rnn(:| reading) held-out (text )?1/16 \(n: story\)", top), top
        assert re.search(r"(colour: unit 1 \(↑ ↓: unit\)|↑ ↓: unit 1) · ← →: cursor", bottom), bottom


@pytest.mark.parametrize("size", SIZES)
async def test_the_deep_runs_table_names_every_run_whole(size):
    # At 80x24 the table's last run read "ReLU + He +…" and its title "first ep…".
    app = lesson_app("deep")
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        for key, run in (("1", "sigmoid"), ("2", "relu"), ("3", "batchnorm")):
            await pilot.press(key)
            await wait_for(pilot, lambda: screen.state.run == run)
            await pilot.press("s")
            await wait_for(pilot, lambda: run in screen.state.own.rows, seconds=60)
        table = screen.pane("runs_table")
        top, bottom = await _borders_drawn(pilot, app, table, "first epoch at 95%")
        await wait_for(pilot, lambda: "BN" in widget_text(app, table), seconds=60)
        fits(app)
        shown = widget_text(app, table)
        assert "…" not in shown + top + bottom, (shown, top, bottom)
        assert "runs: test accuracy" in top, top
        for label in ("sigmoid", "ReLU + He", "ReLU + He + BN"):
            assert re.search(rf"^\s*▶? *{re.escape(label).replace(re.escape(' '), ' ?')}\s+\d", shown, re.M), (label, shown)


def _whole(top: str, bottom: str) -> str:
    """Both borders' text, checked for a cut ("…" is how Textual and top_and_bottom cut)."""
    assert "…" not in top + bottom, (top, bottom)
    return f"{top} {bottom}"


async def _sequence_borders_are_whole(pilot, app) -> None:
    screen = app.screen
    completion = await _borders_drawn(pilot, app, screen.pane("completion"), "greedy completion")
    assert "i: type one" in _whole(*completion), completion
    gaps = await _borders_drawn(pilot, app, screen.pane("gaps"), "completion accuracy")
    assert re.search(r"completion accuracy (against the|vs) gap", _whole(*gaps)), gaps


# The stream's last row: whole (character, percent) pairs only; 80x24 cut "'.'  " off its percent.
NEXT_LINE = re.compile(r"^next:( +(?P<q>['\"]).+?(?P=q) +\d+%)+ *$")


def _next_line_is_whole(app) -> str:
    line = widget_text(app, app.screen.pane("stream")).splitlines()[-1]
    assert NEXT_LINE.match(line), line
    return line


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
async def test_the_rnn_playground_titles_are_whole_on_their_two_borders(model, size):
    # At 80x24: "free sample · step 657 · temperat…", "completion accuracy against the g…",
    # "units × time · h: hidden state, c…"; at 120x40 "… against the gap ([ ]:…".
    from nn_tui.config import RunConfig
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(Session(RunConfig.of(model=model, dataset="fluent")), fps=20)
    async with app.run_test(size=size) as pilot:
        sample = await _borders_drawn(pilot, app, app.screen.pane("sample"), "temperature")
        fits(app)
        assert re.search(r"free sample · step \d+", _whole(*sample)), sample
        assert re.search(r"temp(erature|\.) \d", sample[0] + sample[1]), sample
        state = await _borders_drawn(pilot, app, app.screen.pane("state"), "units × time")
        assert "hidden state" in _whole(*state), state
        if model == "lstm":
            assert "c: tanh(cell state)" in " ".join(state), state
        await _sequence_borders_are_whole(pilot, app)
        _next_line_is_whole(app)


@pytest.mark.parametrize("size", SIZES)
async def test_the_rnn_lesson_titles_and_next_line_are_whole(size):
    # At 80x24: "prompt → greedy completion (i: typ…", "completion accuracy against t…",
    # and the stream's "next:" line cut in its fourth pair.
    app = lesson_app("rnn")
    async with app.run_test(size=size) as pilot:
        await _borders_drawn(pilot, app, app.screen.pane("stream"), "cursor")
        fits(app)
        await _sequence_borders_are_whole(pilot, app)
        _next_line_is_whole(app)


@pytest.mark.parametrize("size", SIZES)
async def test_the_deep_lesson_layers_title_is_whole(size):
    # At 80x24: "layers: activations over time…" (its gradient part cut off).
    app = lesson_app("deep")
    async with app.run_test(size=size) as pilot:
        layers = await _borders_drawn(pilot, app, app.screen.pane("layers"), "activations over time")
        fits(app)
        shown = _whole(*layers)
        assert "activations over time" in layers[0] and "gradient size" in shown, layers


def test_the_next_line_keeps_whole_pairs_in_its_columns():
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.ui.widgets.sequence_views import top_line

    view = SimpleNamespace(chars=list("lh .s"), top_ids=np.array([[0, 1, 2, 3, 4]]),
                           top_probs=np.array([[0.04, 0.03, 0.03, 0.03, 0.03]]))
    whole = top_line(view, 0)
    assert whole == "next: 'l'  4%  'h'  3%  ' '  3%  '.'  3%  's'  3%"
    assert top_line(view, 0, 36) == "next: 'l'  4%  'h'  3%  ' '  3%"  # was "... '.'  " at 36
    for cols in range(len("next: 'l'  4%"), len(whole) + 1):
        line = top_line(view, 0, cols)
        assert len(line) <= cols and NEXT_LINE.match(line), (cols, line)


def _cut_borders(app) -> list[tuple[str, str]]:
    """(widget id, border row) of every shown pane whose top or bottom border has a "…"."""
    cut = []
    for widget in app.screen.query("*"):
        region = widget.region
        if not (widget.display and region.area and widget.styles.border_top[0]):
            continue
        for row in (title_text(app, widget), bottom_border(app, widget)):
            if "…" in row:
                cut.append((widget.id, row))
    return cut


# Found cut mid-word at 80x24 by a sweep of every lesson (perceptron: "dots: the an…" and
# "the unit (Tab: pick, + -: cha…"; approximation: "each unit's contribution v·ta…"; digits:
# "each hidden neuron's weights …"; sparse: "now 2,368 links, 3% near 0 · …"; attention:
# "completion vs gap, from…", "the price: time per step agai…"; alphago: "(→ not…").
def _status_row(app) -> str:
    """The status line's row on screen, as the terminal shows it."""
    line = app.query_one("#status")
    return screen_lines(app)[line.region.y][line.region.x:line.region.right]


def _status_is_whole(app) -> None:
    # Textual cut a line longer than its row with "…": a name without its value (80x24: the
    # lstm's "bits/char 4.484 lr", the rnn lesson's "bits/char", the autoencoder's "noisy 10.8 lr").
    row, shown = _status_row(app), status(app)
    assert "…" not in row and shown in row, (row, shown)


# Found cut mid-word at 80x24 by a sweep of every lesson (perceptron: "dots: the an…" and
# "the unit (Tab: pick, + -: cha…"; approximation: "each unit's contribution v·ta…"; digits:
# "each hidden neuron's weights …"; sparse: "now 2,368 links, 3% near 0 · …"; attention:
# "completion vs gap, from…", "the price: time per step agai…"; alphago: "(→ not…";
# autoencoder: "test digits: clean, noisy (σ …"); rnn: its status line "… bits/char".
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", ["perceptron", "approximation", "digits", "sparse", "attention", "alphago",
                                  "autoencoder", "rnn"])
async def test_a_lessons_pane_borders_are_whole_after_training(name, size):
    app = lesson_app(name)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 2, seconds=90)
        await pilot.press("space")
        await wait_until_shown(pilot, app)
        app.clear_notifications()
        await pilot.pause(0.3)
        fits(app)
        assert not _cut_borders(app), _cut_borders(app)
        _status_is_whole(app)


PLAYGROUNDS = {"attention": dict(model="attention"), "dqn": dict(model="dqn"),
               "autoencoder": dict(model="autoencoder", dataset="digits", corrupt=0.4),
               "lstm": dict(model="lstm", dataset="fluent")}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("model", list(PLAYGROUNDS))
async def test_a_playgrounds_pane_borders_are_whole(model, size):
    # 80x24: "held-out story 1/160 (n N: story)…", "1 block × 2 heads: where each pos…",
    # "block 1 head 1: all 231 × 231 wei…" (attention); "max Q █+ █− · → greedy (→ not opt…" (dqn);
    # "test digits: clean, noisy (σ 0.4), rebu…" (autoencoder).
    from nn_tui.config import RunConfig
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    app = NNTuiApp(Session(RunConfig.of(**PLAYGROUNDS[model])), fps=20)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 1, seconds=90)
        await wait_until_shown(pilot, app)
        app.clear_notifications()
        await pilot.pause(0.3)
        fits(app)
        assert not _cut_borders(app), _cut_borders(app)
        _status_is_whole(app)
        if model == "attention":
            _heads_note_is_whole(app)


def _heads_note_is_whole(app) -> None:
    # 80x24 has one row of 38 cells under the heads' maps: "no jump yet: completion 0.12 (chance i".
    from nn_tui.kinds.attention.panes import jump_lines

    rows = [row.strip() for row in widget_text(app, app.screen.pane("heads")).splitlines()]
    forms = jump_lines(app.session.snapshot)
    assert rows[-1] in forms or " ".join(rows[-2:]) == forms[0], (rows[-2:], forms)


def test_the_attention_story_lines_keep_their_numbers_in_narrow_panes():
    # At 80x24 the attention lesson's story pane is 34 columns: its "looks at" line lost the
    # share ("char 104/111 ' ' looks at 'France'") and its next line ended in a lone "'".
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.ui.widgets.attention_views import looks_line
    from nn_tui.ui.widgets.sequence_views import top_line

    text = "I live in France. I speak fluent French."
    row = np.zeros(len(text))
    row[10:16] = 1 / 6  # all of it on "France"
    view = SimpleNamespace(text=text, chars=list("FAP.s"), top_ids=np.zeros((len(text), 5), dtype=int) + np.arange(5),
                           top_probs=np.tile([0.73, 0.06, 0.05, 0.03, 0.02], (len(text), 1)))
    cursor = text.index("French") - 1
    assert looks_line(view, row, cursor, 80) == f"char {cursor + 1}/{len(text)} ' ' looks at 'France': 100%"
    for cols in range(len("' ' → 'France': 100%"), 81):
        line = looks_line(view, row, cursor, cols)
        assert len(line) <= cols and line.endswith("looks at 'France': 100%") or line == "' ' → 'France': 100%", (cols, line)
        assert NEXT_LINE.match(top_line(view, cursor, cols)), (cols, top_line(view, cursor, cols))


def test_the_attention_story_pane_draws_those_lines_whole():
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.ui.widgets.attention_views import AttentionStory

    text = "I live in France. I speak fluent French."
    weights = np.zeros((len(text), len(text)))
    weights[:, 10:16] = 1 / 6
    view = SimpleNamespace(text=text, chars=list("FAP.s"), head_map=lambda head: weights,
                           top_ids=np.zeros((len(text), 5), dtype=int) + np.arange(5),
                           top_probs=np.tile([0.73, 0.06, 0.05, 0.03, 0.02], (len(text), 1)))
    story = AttentionStory()
    story._view, story.cursor = view, text.index("French") - 1
    frame = story._draw(5, 34)
    rows = ["".join(chr(int(cell) >> 16) for cell in line) for line in frame]  # cells: codepoint << 16 | colours
    assert rows[-2].rstrip().endswith("'France': 100%"), rows[-2]
    assert NEXT_LINE.match(rows[-1].rstrip()), rows[-1]

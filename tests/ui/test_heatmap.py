import numpy as np
import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region

from nn_tui.ui import palette
from nn_tui.ui.widgets import Heatmap, heatmap_pixels

W, H = 10, 5  # cells: 10 x 10 pixels

BLUE_DIM = palette.bin_rgb(palette.N_BINS - 1, dim=True)
ORANGE_DIM = palette.bin_rgb(0, dim=True)
GREY_DIM = palette.bin_rgb(palette.NEUTRAL_BIN, dim=True)


@pytest.fixture(autouse=True)
def textual_as_shipped():
    """The app turns span updates on for the whole process; these tests expect Textual as shipped."""
    from nn_tui.ui.widgets._span_updates import disable_span_updates

    disable_span_updates()
    yield
    disable_span_updates()


class HeatApp(App):
    CSS = f"Heatmap {{ width: {W}; height: {H}; }}"

    def compose(self) -> ComposeResult:
        yield Heatmap(id="hm")


def pixels(strip):
    """(top, bottom) RGB of every cell of a rendered line."""
    out = []
    for seg in strip:
        style = seg.style
        fg = style.color.triplet if style and style.color else None
        bg = style.bgcolor.triplet if style and style.bgcolor else None
        for ch in seg.text:
            out.append((tuple(fg), tuple(bg)) if ch == "▀" else (tuple(bg) if bg else None,) * 2)
    return out


def halves(top=1.0, bottom=-1.0, n=10):
    v = np.full((n, n), bottom)
    v[: n // 2] = top
    return v


class Spy:
    def __init__(self, widget, monkeypatch):
        self.calls = []
        original = widget.refresh

        def refresh(*regions, **kwargs):
            self.calls.append(regions)
            return original(*regions, **kwargs)

        monkeypatch.setattr(widget, "refresh", refresh)


async def test_render_lines_cells_and_colours():
    app = HeatApp()
    async with app.run_test(size=(20, 8)) as pilot:
        hm = app.query_one(Heatmap)
        hm.update_map(halves())
        await pilot.pause()
        assert hm.size == (W, H)
        for y in range(H):
            strip = hm.render_line(y)
            assert strip.cell_length == W
        top = pixels(hm.render_line(0))
        assert len(top) == W and all(p == (BLUE_DIM, BLUE_DIM) for p in top)
        bottom = pixels(hm.render_line(H - 1))
        assert all(p == (ORANGE_DIM, ORANGE_DIM) for p in bottom)
        # pixel rows 4 (blue) and 5 (orange) share cell row 2: a half block
        middle = pixels(hm.render_line(2))
        assert all(p == (BLUE_DIM, ORANGE_DIM) for p in middle)
        # equal-style runs are merged: one segment per line here
        assert len(list(hm.render_line(0))) == 1


async def test_only_changed_rows_refresh(monkeypatch):
    app = HeatApp()
    async with app.run_test(size=(20, 8)) as pilot:
        hm = app.query_one(Heatmap)
        values = halves()
        hm.update_map(values)
        await pilot.pause()
        spy = Spy(hm, monkeypatch)

        hm.update_map(values.copy())
        assert spy.calls == []  # identical picture: nothing refreshed

        hm.update_map(values + 1e-4)  # below the palette's resolution
        assert spy.calls == []

        # a ramp of values each just below a bin edge
        edges = -1 + (np.arange(10) * 3 + 1) * (2 / palette.N_BINS)
        ramp = np.tile(edges - 0.003, (10, 1))
        hm.update_map(ramp)
        spy.calls.clear()
        rng = np.random.default_rng(0)
        for _ in range(5):  # noise well inside the hysteresis margin: nothing is sent
            hm.update_map(ramp + rng.uniform(-0.01, 0.01, ramp.shape))
        assert spy.calls == []
        hm.update_map(values)
        spy.calls.clear()

        changed = values.copy()
        changed[7, 3] = 0.0  # pixel row 7 -> cell row 3
        hm.update_map(changed)
        # one refresh, of the changed cell's span of row 3 only
        assert spy.calls == [(Region(3, 3, 1, 1),)]

        spy.calls.clear()
        changed[6, 0] = changed[7, 9] = changed[0, 9] = 0.0  # rows 3 and 0
        hm.update_map(changed)
        # one call; one span per changed row, first to last changed cell (Textual
        # re-sends a line from its start anyway unless span updates are enabled)
        assert spy.calls == [(Region(9, 0, 1, 1), Region(0, 3, 10, 1))]
        await pilot.pause()
        assert pixels(hm.render_line(3))[3] == (ORANGE_DIM, GREY_DIM)


async def test_point_overlay_colours_a_pixel():
    app = HeatApp()
    async with app.run_test(size=(20, 8)) as pilot:
        hm = app.query_one(Heatmap)
        pts = np.array([[0.0, 0.0], [-6.0, 6.0], [100.0, 0.0]])  # centre, top-left, outside
        hm.update_map(np.zeros((4, 4)), pts, np.array([1.0, -1.0, 1.0]))
        await pilot.pause()
        full_blue, full_orange = palette.POSITIVE_RGB, palette.NEGATIVE_RGB
        # (0, 0) -> pixel column 5, pixel row 5: cell (5, 2), bottom half
        assert pixels(hm.render_line(2))[5] == (GREY_DIM, full_blue)
        assert pixels(hm.render_line(0))[0] == (full_orange, GREY_DIM)
        assert sum(p.count(full_blue) for y in range(H) for p in pixels(hm.render_line(y))) == 1
        hm.show_points = False
        await pilot.pause()
        assert pixels(hm.render_line(2))[5] == (GREY_DIM, GREY_DIM)


async def test_discretize_and_multiclass():
    app = HeatApp()
    async with app.run_test(size=(20, 8)) as pilot:
        hm = app.query_one(Heatmap)
        hm.update_map(np.full((3, 3), 0.02))
        assert pixels(hm.render_line(0))[0] == (GREY_DIM, GREY_DIM)
        hm.discretize = True
        await pilot.pause()
        assert pixels(hm.render_line(0))[0] == (BLUE_DIM, BLUE_DIM)

        classes = np.zeros((2, 2), dtype=int)
        classes[:, 1] = 2
        hm.update_map(None, np.array([[-3.0, 3.0]]), np.array([2]), classes=classes)
        await pilot.pause()
        row = pixels(hm.render_line(4))
        green_dim = palette.class_color(2, dim=True).triplet
        assert row[0] == (palette.class_color(0, dim=True).triplet,) * 2
        assert row[-1] == (green_dim, green_dim)
        # the class-2 point at (-3, 3) lands in pixel (2, 2) = cell (2, 1) top half
        assert pixels(hm.render_line(1))[2][0] == palette.class_color(2).triplet


async def test_resize_and_zero_size_do_not_crash():
    app = HeatApp()
    async with app.run_test(size=(20, 8)) as pilot:
        hm = app.query_one(Heatmap)
        hm.update_map(halves())
        await pilot.pause()
        await pilot.resize_terminal(7, 3)
        hm.styles.width = "100%"
        hm.styles.height = "100%"
        await pilot.pause()
        w, h = hm.size
        assert (w, h) == (7, 3)
        assert all(hm.render_line(y).cell_length == w for y in range(h))
        assert pixels(hm.render_line(0))[0][0] == BLUE_DIM
        hm.styles.width = 0
        hm.styles.height = 0
        await pilot.pause()
        hm.update_map(halves(n=3))
        hm.render_line(0)
        hm.styles.width = 1
        hm.styles.height = 1
        await pilot.pause()
        hm.update_map(halves())
        assert hm.render_line(0).cell_length == 1
        hm.update_map(None)
        await pilot.pause()
        assert hm.render_line(0).cell_length == 1


@pytest.mark.parametrize("shape", [(1, 1), (3, 7), (50, 50)])
def test_pixels_any_shape(shape):
    v = np.linspace(-1, 1, shape[0] * shape[1]).reshape(shape)
    for rows, cols in [(0, 0), (1, 1), (2, 9), (40, 40)]:
        pix = heatmap_pixels(rows, cols, v)
        assert pix.shape == (rows, cols)


async def test_span_updates_cut_rows_into_spans(monkeypatch):
    from nn_tui.ui.widgets._span_updates import disable_span_updates, enable_span_updates

    app = HeatApp()
    assert enable_span_updates()
    try:
        async with app.run_test(size=(20, 8)) as pilot:
            hm = app.query_one(Heatmap)
            values = halves()
            hm.update_map(values)
            await pilot.pause()
            spy = Spy(hm, monkeypatch)
            values[6, 0] = values[7, 9] = 0.0  # both ends of cell row 3
            hm.update_map(values)
            assert spy.calls == [(Region(0, 3, 1, 1), Region(9, 3, 1, 1))]
            await pilot.pause()
    finally:
        disable_span_updates()


def _screen_after(output: str, width: int, fill: str = ".") -> str:
    """Apply cursor moves and text of a one-line update to a blank line (SGR ignored)."""
    import re

    line = [fill] * width
    x = 0
    for token in re.findall(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;]*m|([^\x1b])", output):
        row, col, ch = token
        if row:
            x = int(col) - 1
        elif ch:
            line[x] = ch
            x += 1
    return "".join(line)


def test_span_updates_send_the_span_only():
    from rich.console import Console
    from rich.segment import Segment
    from rich.style import Style
    from textual._compositor import ChopsUpdate
    from textual.strip import Strip

    from nn_tui.ui.widgets._span_updates import _render_segments

    red, blue = Style(color="red"), Style(color="blue")
    left = Strip([Segment("aaaa", red), Segment("bbbb", blue), Segment("cc", red)], 10)
    right = Strip([Segment("dddddddddd", blue)], 10)
    update = ChopsUpdate([{0: left, 10: right}], [(0, 5, 7)], [[10, 20]])
    console = Console(color_system="truecolor", force_terminal=True, width=20)
    original = update.render_segments(console)
    patched = _render_segments(None, update, console)
    # Textual's own update starts at the widget's start; ours at the segment
    # holding the span's first cell; both stop at the span's end.
    assert _screen_after(original, 20) == "aaaabbb" + "." * 13
    assert _screen_after(patched, 20) == "....bbb" + "." * 13
    assert len(patched) < len(original)
    # spans covering a whole chop, or several chops, are sent as before
    update = ChopsUpdate([{0: left, 10: right}], [(0, 2, 15)], [[10, 20]])
    assert _screen_after(_render_segments(None, update, console), 20) == "aaaabbbbccddddd....."  # from the segment holding x=2


class TestShading:
    """16 colours and NO_COLOR: maps in shading characters, readable without hue."""

    def test_mono_ramp_runs_from_blank_to_full_block_so_the_sign_shows_without_colour(self):
        from nn_tui.ui.widgets.heatmap import heatmap_shaded

        previous = palette.scheme()
        palette.set_scheme(mode="mono")
        try:
            values = np.linspace(-1, 1, 40)[None, :].repeat(4, axis=0)
            frame = heatmap_shaded(4, 40, values)
        finally:
            palette.set_scheme(*previous)
        chars = [chr(int(c) >> 16) for c in frame[0]]
        ramp = palette.SHADES
        levels = [ramp.index(ch) for ch in chars]
        assert levels == sorted(levels) and levels[0] == 0 and levels[-1] == len(ramp) - 1

    def test_ansi_density_is_strength_and_colour_is_sign_points_are_letters(self):
        from nn_tui.ui.widgets.heatmap import heatmap_shaded

        values = np.linspace(-1, 1, 40)[None, :].repeat(4, axis=0)
        frame = heatmap_shaded(4, 40, values, points=np.array([[-5.0, 0.0], [5.0, 0.0]]),
                               point_values=np.array([-1.0, 1.0]), domain=(-6.0, 6.0))
        chars = [chr(int(c) >> 16) for c in frame[0]]
        assert chars[0] == chars[-1] == "█" and chars[20] == " "
        fg = [(int(c) >> 8) & 0xFF for c in frame[0]]
        assert fg[0] < palette.NEUTRAL_BIN < fg[-1]  # orange side, blue side
        rows = ["".join(chr(int(c) >> 16) for c in row) for row in frame]
        assert any("x" in r for r in rows) and any("o" in r for r in rows)

import numpy as np
import pytest
from textual.app import App, ComposeResult

from nn_tui.views import NetworkView
from nn_tui.ui import palette
from nn_tui.ui.widgets import Topology, layout_topology, move_selection
from nn_tui.ui.widgets.topology import _link_keys, neuron_name, shorten_labels

LABELS = ("X₁", "X₂", "X₁²", "X₂²", "X₁X₂", "sin(X₁)", "sin(X₂)")


def make_snapshot(sizes, *, R=8, S=None, weights=None, masks=None, seed=0):
    """A synthetic NetworkView: random weights, and neuron maps over an R x R plane
    (or over S samples when S is given)."""
    rng = np.random.default_rng(seed)
    sizes = tuple(sizes)
    if weights is None:
        weights = tuple(rng.normal(0, 1, (a, b)) for a, b in zip(sizes, sizes[1:]))
    biases = tuple(np.zeros(b) for b in sizes[1:])
    if masks is None:
        masks = (None,) * (len(sizes) - 1)
    if S is None:
        maps = tuple(np.tanh(rng.normal(0, 1, (n, R, R))) for n in sizes)
    else:
        maps = tuple(np.tanh(rng.normal(0, 1, (n, S))) for n in sizes)
    labels = tuple(LABELS[i % len(LABELS)] for i in range(sizes[0]))
    return NetworkView(
        sizes=sizes, weights=weights, biases=biases, masks=masks,
        activation="tanh", output_activation="sigmoid", input_labels=labels, neuron_maps=maps,
    )


class TopoApp(App):
    def compose(self) -> ComposeResult:
        yield Topology()


def cells(strip):
    """(char, fg rgb, bg rgb) of every cell of a rendered line."""
    out = []
    for seg in strip:
        fg = seg.style.color.triplet if seg.style and seg.style.color else None
        bg = seg.style.bgcolor.triplet if seg.style and seg.style.bgcolor else None
        out += [(ch, fg and tuple(fg), bg and tuple(bg)) for ch in seg.text]
    return out


BIG = (7, 16, 16, 16, 16, 16, 16, 16, 16, 1)


@pytest.mark.parametrize("sizes", [(2, 4, 2, 1), BIG, (2, 1), (3, 10)])
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (40, 17), (20, 6), (1, 1)])
def test_layout_fits(sizes, size):
    width, height = size
    layout = layout_topology(sizes, width, height, LABELS[: sizes[0]])
    for boxes in layout.nodes:
        for box in boxes:
            assert 0 <= box.x and box.x + box.w <= width
            assert 0 <= box.y and box.y + box.h <= height
    if size in [(80, 24), (120, 40)]:
        # every neuron is drawn, no two boxes overlap, columns left to right
        assert [len(b) for b in layout.nodes] == list(sizes)
        seen = set()
        for boxes in layout.nodes:
            for box in boxes:
                area = {(x, y) for x in range(box.x, box.x + box.w) for y in range(box.y, box.y + box.h)}
                assert not area & seen
                seen |= area
        assert list(layout.columns) == sorted(layout.columns)
        assert layout.label_width >= 2  # input labels readable


def test_small_nets_get_big_thumbnails():
    assert layout_topology((2, 4, 2, 1), 120, 40).box_w >= 8
    assert layout_topology(BIG, 80, 24).box_w >= 1


async def _render_all(topo):
    w, h = topo.size
    return [cells(topo.render_line(y)) for y in range(h)]


@pytest.mark.parametrize("sizes", [(2, 4, 2, 1), BIG])
@pytest.mark.parametrize("term", [(80, 24), (120, 40)])
async def test_widget_draws_every_neuron(sizes, term):
    app = TopoApp()
    async with app.run_test(size=term) as pilot:
        topo = app.query_one(Topology)
        snap = make_snapshot(sizes)
        topo.update_view(snap)
        await pilot.pause()
        w, h = topo.size
        assert (w, h) == term
        rows = await _render_all(topo)
        assert all(len(r) == w for r in rows)
        layout = topo.layout_info
        assert [len(b) for b in layout.nodes] == list(sizes)
        for layer, boxes in enumerate(layout.nodes):
            for box in boxes:
                # every cell of a box is a thumbnail pixel pair: coloured, not blank
                for y in range(box.y, box.y + box.h):
                    for x in range(box.x, box.x + box.w):
                        ch, fg, bg = rows[y][x]
                        assert bg is not None and ch in " ▀"
        # links are drawn between the columns (braille in link colours)
        link_rgbs = {palette.palette_rgb(i) for i in range(palette.LINK_NEG, palette.LINK_POS + 4)}
        braille = [c for r in rows for c in r if "\u2800" < c[0] <= "\u28ff"]
        assert braille and all(c[1] in link_rgbs for c in braille)
        # input labels
        text = "".join(c[0] for c in rows[layout.nodes[0][0].center[1]])
        assert "X₁" in text


async def test_selected_neuron_is_highlighted():
    app = TopoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        topo = app.query_one(Topology)
        topo.update_view(make_snapshot((2, 4, 2, 1)), selected=(1, 2))
        await pilot.pause()
        hi = palette.palette_rgb(palette.HIGHLIGHT)
        box = topo.layout_info.nodes[1][2]
        row = cells(topo.render_line(box.y))
        assert row[box.x - 1][1] == hi and row[box.x + box.w][1] == hi
        highlighted = {
            (x, y) for y in range(topo.size.height) for x, c in enumerate(cells(topo.render_line(y)))
            if c[1] == hi
        }
        # the highlight hugs that box and no other
        assert all(box.x - 1 <= x <= box.x + box.w and box.y - 1 <= y <= box.y + box.h for x, y in highlighted)
        # moving the selection moves the highlight
        topo.selected = (1, 0)
        await pilot.pause()
        other = topo.layout_info.nodes[1][0]
        assert cells(topo.render_line(other.y))[other.x - 1][1] == hi
        assert cells(topo.render_line(box.y))[box.x - 1][1] != hi


def _link_colour(topo, layer, i, j):
    """Colours of the cells on the link from neuron i (layer) to neuron j (layer+1)."""
    layout = topo.layout_info
    a, b = layout.nodes[layer][i], layout.nodes[layer + 1][j]
    x = (a.x + a.w + b.x) // 2  # halfway between the columns
    # the line's row at x, from its end points (dot coordinates / 4)
    y0, y1 = 4 * a.y + 2 * a.h - 1, 4 * b.y + 2 * b.h - 1
    x0, x1 = 2 * (a.x + a.w), 2 * b.x - 1
    t = (2 * x - x0) / (x1 - x0)
    y = int(round(y0 + t * (y1 - y0))) // 4
    return cells(topo.render_line(y))[x]


async def test_weight_sign_changes_line_colour(monkeypatch):
    app = TopoApp()
    async with app.run_test(size=(80, 24)) as pilot:
        topo = app.query_one(Topology)
        sizes = (2, 1)
        weights = (np.array([[2.0], [0.0]]),)  # one visible link: input 0 -> output
        topo.update_view(make_snapshot(sizes, weights=weights))
        await pilot.pause()
        ch, fg, _ = _link_colour(topo, 0, 0, 0)
        assert "\u2800" < ch <= "\u28ff" and fg == palette.palette_rgb(palette.LINK_POS + 2)

        calls = []
        original = topo.refresh
        monkeypatch.setattr(topo, "refresh", lambda *r, **k: (calls.append(r), original(*r, **k))[1])
        snap = make_snapshot(sizes, weights=(np.array([[-2.0], [0.0]]),))
        topo.update_view(snap)
        await pilot.pause()
        ch, fg, _ = _link_colour(topo, 0, 0, 0)
        assert fg == palette.palette_rgb(palette.LINK_NEG + 2)
        # only the line's cells were refreshed, never the whole widget
        assert len(calls) == 1 and calls[0]
        assert all(r.height == 1 and r.width < topo.size.width for r in calls[0])

        # same picture again (a new snapshot object, equal arrays): nothing refreshed
        calls.clear()
        topo.update_view(make_snapshot(sizes, weights=(np.array([[-2.0], [0.0]]),)))
        assert calls == []

        # masked (pruned) and tiny weights are not drawn
        topo.update_view(make_snapshot(sizes, weights=(np.array([[-2.0], [0.0]]),),
                                           masks=(np.array([[False], [True]]),)))
        await pilot.pause()
        rows = await _render_all(topo)
        assert not any("\u2800" < c[0] <= "\u28ff" for r in rows for c in r)


async def test_sample_strips_and_missing_maps():
    app = TopoApp()
    async with app.run_test(size=(60, 20)) as pilot:
        topo = app.query_one(Topology)
        topo.update_view(make_snapshot((4, 3, 2), S=30))
        await pilot.pause()
        rows = await _render_all(topo)
        box = topo.layout_info.nodes[1][0]
        colours = [rows[box.y][x][2] for x in range(box.x, box.x + box.w)]
        assert all(c is not None for c in colours)
        # no maps at all (before the first evaluation): placeholder boxes, no crash
        snap = make_snapshot((4, 3, 2))
        object.__setattr__(snap, "neuron_maps", ())
        topo.update_view(snap)
        await pilot.pause()
        rows = await _render_all(topo)
        assert rows[box.y][box.x][2] == palette.palette_rgb(palette.EMPTY)


async def test_resize_relayouts():
    app = TopoApp()
    async with app.run_test(size=(120, 40)) as pilot:
        topo = app.query_one(Topology)
        topo.update_view(make_snapshot(BIG))
        await pilot.pause()
        big = topo.layout_info.box_w
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        assert topo.size == (60, 12)
        assert topo.layout_info.width == 60
        assert all(topo.render_line(y).cell_length == 60 for y in range(12))
        assert topo.layout_info.box_w <= big


async def test_click_posts_neuron():
    clicked = []

    class ClickApp(TopoApp):
        def on_topology_neuron_clicked(self, message):
            clicked.append((message.layer, message.index))

    app = ClickApp()
    async with app.run_test(size=(80, 24)) as pilot:
        topo = app.query_one(Topology)
        topo.update_view(make_snapshot((2, 4, 2, 1)))
        await pilot.pause()
        box = topo.layout_info.nodes[1][3]
        await pilot.click(Topology, offset=(box.x, box.y))
        await pilot.click(Topology, offset=(0, 0))  # not on a neuron
        await pilot.pause()
        assert clicked == [(1, 3)]


def test_move_selection():
    sizes = (2, 4, 2, 1)
    assert move_selection(sizes, None) == (1, 0)
    assert move_selection(sizes, (1, 0), d_index=-1) == (1, 0)
    assert move_selection(sizes, (1, 3), d_index=1) == (1, 3)
    assert move_selection(sizes, (1, 1), d_index=1) == (1, 2)
    assert move_selection(sizes, (1, 3), d_layer=1) == (2, 1)
    assert move_selection(sizes, (1, 0), d_layer=1) == (2, 0)
    assert move_selection(sizes, (2, 1), d_layer=1) == (3, 0)
    assert move_selection(sizes, (3, 0), d_layer=1) == (3, 0)
    assert move_selection(sizes, (0, 1), d_layer=1) in {(1, 2), (1, 1)}
    assert move_selection(sizes, (0, 0), d_layer=-1) == (0, 0)


def test_labels_that_would_be_cut_alike_keep_their_ends():
    names = ("island=Biscoe", "bill_length_mm", "bill_length_mm_missing", "sex=FEMALE", "x1")
    assert shorten_labels(names, 8) == ("island=B", "bill…_mm", "bill…ing", "sex=FEMA", "x1")
    assert shorten_labels(("feature_1_a", "feature_1_b"), 3) == ("f…a", "f…b")
    # two pairs that would shorten alike: every label still comes out distinct
    four = ("bill_length_mm", "bill_length_mm_missing", "bill_depth_mm", "bill_depth_mm_missing")
    shown = shorten_labels(four, 8)
    assert len(set(shown)) == 4 and all(len(label) == 8 for label in shown)
    assert shorten_labels(("abc", "abd"), 0) == ("", "")


async def test_input_labels_are_drawn_shortened_and_apart():
    app = TopoApp()
    async with app.run_test(size=(60, 20)) as pilot:
        topo = app.query_one(Topology)
        snap = make_snapshot((2, 3, 1))
        object.__setattr__(snap, "input_labels", ("bill_length_mm", "bill_length_mm_missing"))
        topo.update_view(snap)
        await pilot.pause()
        rows = await _render_all(topo)
        text = ["".join(ch for ch, _, _ in row) for row in rows]
        assert any("bill…_mm" in line for line in text) and any("bill…ing" in line for line in text)


@pytest.mark.parametrize("cap", [0, 1, 5, 12])
def test_link_caps_keep_the_strongest_links_and_zero_keeps_none(cap):
    snap = make_snapshot((3, 4), weights=(np.arange(1.0, 13.0).reshape(3, 4) * np.where(np.arange(12) % 2, 1, -1).reshape(3, 4),))
    keys = _link_keys(snap, 12, np.array([0, 12]), caps=(cap,))
    drawn = np.flatnonzero(keys >= 2)
    assert len(drawn) == cap
    assert set(drawn) == set(range(12 - cap, 12))  # |w| grows with the index


def test_the_enlarged_map_names_its_neuron_without_an_l1_that_reads_as_regularisation():
    # A 2-4-4-1 network: input, two hidden layers, output.
    assert neuron_name(0, 4, 1) == "input 2"
    assert neuron_name(1, 4, 2) == "h1.3"
    assert neuron_name(2, 4, 0) == "h2.1"
    assert neuron_name(3, 4, 0) == "out 1"
    assert not any(neuron_name(layer, 4, 0).startswith("L") for layer in range(4))

"""The mouse (click a neuron, click a link to edit its weight, the wheel is the learning
rate) and layers of up to 128 neurons, through Pilot."""

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.screens import WeightEditor
from nn_tui.ui.widgets.topology import layout_topology

from tests.views import net
from tests.app.pilot_helpers import wait_for


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


def content_click(topology, x: int, y: int) -> tuple[int, int]:
    """Widget offset of content cell (x, y): the pane has a one-cell border."""
    return x + 1, y + 1


async def test_click_a_neuron_selects_it():
    app = make_app(layers=(4, 2))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        topology = app.screen.query_one("#topology")
        box = topology.layout_info.box(1, 2)
        await pilot.click("#topology", offset=content_click(topology, box.x, box.y))
        await wait_for(pilot, lambda: app.playground.ui.selected == (1, 2))
        assert topology.selected == (1, 2)


async def test_click_a_link_edits_that_weight():
    app = make_app(layers=(3,), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        topology = app.screen.query_one("#topology")
        links, keys = topology._links, topology._link_key_cache
        _, cells, _ = links.dots(keys)
        layout = topology.layout_info
        target = None
        for cell in np.unique(cells):  # a cell only one drawn link crosses, on no neuron
            y, x = divmod(int(cell), layout.width)
            if layout.node_at(x, y) is None and len(links.links_at(x, y, keys)) == 1:
                target = (x, y)
                break
        assert target is not None
        layer, row, column = topology.link_at(*target)
        await pilot.click("#topology", offset=content_click(topology, *target))
        await wait_for(pilot, lambda: isinstance(app.screen, WeightEditor))
        await pilot.pause(0.1)
        assert app.playground.ui.selected == (layer + 1, column)
        assert app.screen.focused.id == f"w{row}"
        app.screen.focused.value = "-3.25"
        await pilot.press("enter")
        await wait_for(pilot, lambda: net(app.session.snapshot).weights[layer][row, column] == -3.25)


async def test_mouse_wheel_is_the_learning_rate_and_the_keys_still_are():
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.1)
        await wheel(pilot, up=True, over="#output")  # over a pane: nothing there scrolls
        await wait_for(pilot, lambda: app.session.snapshot.settings["lr"] == 0.1)
        await wheel(pilot, up=False, over="#topology")
        await wheel(pilot, up=False, over="#status")
        await wait_for(pilot, lambda: app.session.snapshot.settings["lr"] == 0.01)
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.session.snapshot.settings["lr"] == 0.03)


async def wheel(pilot, up: bool, over: str) -> None:
    from textual import events

    # Pilot has no wheel of its own; this is what its click does with other events.
    await pilot._post_mouse_events([events.MouseScrollUp if up else events.MouseScrollDown], over, offset=(3, 3))


def test_layouts_of_128_neuron_layers_give_every_neuron_its_own_cell():
    sizes = (2, 128, 128, 1)
    for width, height in ((70, 30), (46, 18), (118, 36)):
        layout = layout_topology(sizes, width, height, ("X1", "X2"))
        assert layout.dense
        cells = [(b.x, b.y) for boxes in layout.nodes for b in boxes]
        assert [len(boxes) for boxes in layout.nodes] == list(sizes)
        assert len(set(cells)) == len(cells)
        assert all(0 <= x < width and 0 <= y < height for x, y in cells)
    assert not layout_topology((2, 8, 8, 1), 70, 30, ("X1", "X2")).dense


async def test_app_draws_128_neuron_layers_compactly_and_enlarges_the_selection():
    app = make_app(dataset="spiral", layers=(128, 128))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right", "down", "down")
        await wait_for(pilot, lambda: app.playground.ui.selected == (1, 2))
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 2)
        await pilot.pause(0.4)
        topology = app.screen.query_one("#topology")
        layout = topology.layout_info
        assert layout.dense and [len(b) for b in layout.nodes] == [2, 128, 128, 1]
        box = layout.box(1, 2)
        inset = topology.inset_box(layout, 1, box)
        assert inset is not None and inset.w >= 8
        frame = topology._lines.frame
        text = "".join(chr(int(c) >> 16) for c in frame[inset.y + inset.h, inset.x:inset.x + inset.w])
        assert text.startswith("h1.3")
        await pilot.press("space")


@pytest.mark.parametrize("layers, ok", [("128", True), ("129", False), ("16,128,64", True)])
def test_the_app_takes_layers_of_up_to_128_neurons(layers, ok, monkeypatch, capsys):
    started = []
    monkeypatch.setattr("nn_tui.session_process.SessionProcess",
                        lambda config, fps, **options: started.append(config) or (_ for _ in ()).throw(SystemExit(0)))
    if ok:
        with pytest.raises(SystemExit):
            main(["--dataset", "digits", "--layers", layers])
        assert started
    else:
        assert main(["--dataset", "digits", "--layers", layers]) == 2
        assert "128 neurons" in capsys.readouterr().err

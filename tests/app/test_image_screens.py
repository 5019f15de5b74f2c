"""The CNN's and the autoencoder's screens driven through Pilot: their keys do what
they say, and random keys and resizes never crash them."""

import random

import pytest

from nn_tui.config import RunConfig
from nn_tui.kinds.autoencoder.probes import CodesView, ReconstructionView
from nn_tui.kinds.cnn.probes import ConvView, MistakesView
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from tests.app.pilot_helpers import back_to_the_playground, press_at_random, status, wait_for

CNN = dict(dataset="digits", model="cnn", conv=(4, 8), layers=(16,), activation="relu")
AE = dict(dataset="digits", model="autoencoder", layers=(16, 2), activation="relu")


def make_app(**config) -> NNTuiApp:
    return NNTuiApp(Session(RunConfig.of(**config)), fps=20)


def lines(widget) -> str:
    return "\n".join(widget.render_line(y).text for y in range(widget.size.height))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_cnn_screen_shows_the_digit_layers_mistakes_and_follows_the_arrows(size):
    app = make_app(**CNN)
    async with app.run_test(size=size) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app))
        screen = app.playground
        view = app.session.snapshot.view(ConvView)
        assert view.sample == 0
        assert "test digit 1/447" in lines(screen.pane("digit"))
        layers = lines(screen.pane("layers"))
        assert "conv1" in layers and "maps1" in layers
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: app.session.snapshot.view(ConvView).sample == 2)
        await wait_for(pilot, lambda: "test digit 3/447" in lines(screen.pane("digit")))
        await pilot.press("left")
        await wait_for(pilot, lambda: app.session.snapshot.view(ConvView).sample == 1)
        mistakes = app.session.snapshot.view(MistakesView)
        assert mistakes.count > 0  # after one epoch of a small net some digits are wrong
        await pilot.press("down")
        await wait_for(pilot, lambda: app.session.snapshot.view(ConvView).sample
                       in app.session.snapshot.view(MistakesView).indices)
        shown = app.session.snapshot.view(ConvView)
        assert shown.predicted != shown.label
        await pilot.press("v")
        assert screen.ui.show_gradients and "gradients" in str(screen.pane("layers").border_title)
        await pilot.press("right_square_bracket")
        assert screen.ui.channel == 1 and "input channel 2" in str(screen.pane("layers").border_title)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.session.snapshot.epoch >= 3)
        assert "training" in status(app)


async def test_autoencoder_screen_noise_key_keeps_the_weights_and_shows_psnr():
    app = make_app(**AE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "s")
        await wait_for(pilot, lambda: "epoch 2" in status(app))
        assert "PSNR" in status(app) and "noisy" not in status(app)  # σ 0: no noisy PSNR
        screen = app.playground
        digits = lines(screen.pane("digits"))
        assert "clean" in digits and "noisy" in digits and "rebuilt" in digits
        assert app.session.snapshot.view(CodesView) is not None and screen.pane("codes").display
        weights = app.session.snapshot.view(ReconstructionView).rebuilt
        await pilot.press("z", "z", "z", "z")
        await wait_for(pilot, lambda: app.session.snapshot.settings["corrupt"] == 0.2)
        snap = app.session.snapshot
        assert snap.epoch == 2  # the run went on: same epoch, same weights
        await wait_for(pilot, lambda: "σ 0.2" in str(screen.pane("digits").border_title))
        await wait_for(pilot, lambda: "noisy" in status(app))
        assert 15.5 < snap.metrics["test_psnr_noisy"] < 16.5
        view = snap.view(ReconstructionView)
        assert (view.noisy != view.clean).any() and view.rebuilt.shape == weights.shape
        await pilot.press("Z")
        await wait_for(pilot, lambda: app.session.snapshot.settings["corrupt"] == 0.15)


async def test_autoencoder_without_a_2_unit_bottleneck_hides_the_scatter():
    app = make_app(dataset="digits", model="autoencoder", layers=(8,), activation="relu")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app))
        await pilot.pause(0.2)
        assert app.session.snapshot.view(CodesView) is None and not app.playground.pane("codes").display


KEYS = ["space", "s", "r", "R", "plus", "minus", "d", "z", "Z", "t", "T", "b", "B", "o", "g", "h", "H", "e", "x", "n", "l",
        "left", "right", "up", "down", "v", "right_square_bracket", "left_square_bracket", "c", "question_mark", "escape", "ctrl+p", "enter", "tab", "w"]
SIZES = [(120, 40), (80, 24), (60, 15), (200, 60), (100, 30), (40, 10), (20, 3)]


@pytest.mark.parametrize("config", [CNN, AE], ids=["cnn", "autoencoder"])
async def test_random_keys_and_resizes_never_crash_the_image_screens(config, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # "w" then "enter" saves a model here
    rng = random.Random(5)
    app = make_app(**config)
    async with app.run_test(size=(120, 40)) as pilot:
        await press_at_random(pilot, rng, KEYS, SIZES, rounds=60)
        assert app.is_running
        await back_to_the_playground(pilot, app)
        await wait_for(pilot, lambda: app.screen is app.playground)
        await wait_for(pilot, lambda: f"epoch {app.session.snapshot.epoch:,}" in status(app))

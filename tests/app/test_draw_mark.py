"""The autoencoder's draw mode: a mark drawn by hand with keys over one of the test images
shown is the mark that image is shown and scored with (exactly the drawn pixels), it is a
setting of the run (autosave and --resume, setup file, share string), and every key the
draw mode shows does what it says."""

from __future__ import annotations

import numpy as np
import pytest

from nn_tui import autosave
from nn_tui.config import RunConfig
from nn_tui.kinds.autoencoder.marks import INK, mark_masks
from nn_tui.kinds.autoencoder.probes import ReconstructionView
from nn_tui.session import Session
from nn_tui.setup_file import config_to_toml, load_toml, share_string, config_from_share
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.draw_mark import DrawMarkScreen
from tests.app.pilot_helpers import status, wait_for
from tests.app.test_keys_on_screen import dead_hints
from tests.resilience.test_resume import _epochs, _same

AE = dict(dataset="digits", model="autoencoder", layers=(16,), mark="box")
# Keys from the cursor's start (row 4, column 4 of the 8×8 digit), and the pixels they draw:
# the pen along row 1, a pixel with x, one painted and erased again, a 2×2 box with b ... b.
KEYS = ("n",  # the second image shown
        "k", "k", "k", "h", "h", "h", "space", "l", "l", "space",  # (1,1) (1,2) (1,3)
        "j", "j", "x",  # (3,3)
        "l", "x", "x",  # (3,4) painted and erased
        "down", "down", "right", "b", "down", "right", "b")  # the box (5,5)-(6,6)
DRAWN = ((1, 1), (1, 2), (1, 3), (3, 3), (5, 5), (5, 6), (6, 5), (6, 6))
PIXELS = tuple(sorted(row * 8 + col for row, col in DRAWN))


def marked_psnr(estimate, clean, pixels) -> float:
    error = (np.asarray(estimate, dtype=np.float64)[list(pixels)] - clean[list(pixels)]) ** 2
    return float(10 * np.log10(1 / error.mean()))


async def draw(pilot, app) -> None:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, DrawMarkScreen))
    await pilot.press(*KEYS)
    assert app.screen.drawing.cells == set(PIXELS)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.session.config.model.drawn == PIXELS)


async def test_a_mark_drawn_with_keys_is_scored_on_exactly_its_pixels():
    app = NNTuiApp(Session(RunConfig.of(**AE)), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app))
        view = app.session.snapshot.view(ReconstructionView)
        await draw(pilot, app)
        session = app.session
        await wait_for(pilot, lambda: "test_psnr_drawn" in session.snapshot.metrics)
        run, spec = session.training_run, session.config.model
        assert spec.drawn_on == view.samples[1]
        # The image drawn on has exactly the drawn pixels marked; every other keeps its random box.
        random_boxes = mark_masks(len(run.clean_test), (8, 8), "box", np.random.default_rng([0, 5]))
        assert np.flatnonzero(run.test_masks[spec.drawn_on]).tolist() == list(PIXELS)
        others = np.arange(len(run.clean_test)) != spec.drawn_on
        assert np.array_equal(run.test_masks[others], random_boxes[others])
        marked, clean = run.noisy_test[spec.drawn_on], run.clean_test[spec.drawn_on]
        assert (marked[list(PIXELS)] == INK).all()
        assert np.array_equal(np.delete(marked, PIXELS), np.delete(clean, PIXELS))
        # Before: the marked input against the clean image; after: the network's rebuilding.
        metrics = session.snapshot.metrics
        assert metrics["test_psnr_drawn_before"] == pytest.approx(marked_psnr(marked, clean, PIXELS))
        rebuilt = run.model.forward(run.noisy_test[spec.drawn_on:spec.drawn_on + 1])[0]
        assert metrics["test_psnr_drawn"] == pytest.approx(marked_psnr(rebuilt, clean, PIXELS))
        # Shown: the image drawn on carries the mark, and the row labels its PSNRs.
        shown = session.snapshot.view(ReconstructionView)
        assert shown.drawn == PIXELS and np.array_equal(shown.noisy[1], marked.astype(np.float32))
        pane = app.playground.pane("digits")
        await wait_for(pilot, lambda: "yours" in str(pane.border_title))
        labels = "\n".join(pane.render_line(y).text[:8] for y in range(pane.size.height))
        assert f"{metrics['test_psnr_drawn']:.1f} dB" in labels
        # Live: training on rescores it, and the history draws its curve.
        await pilot.press("s")
        await wait_for(pilot, lambda: session.snapshot.epoch == 2)
        assert session.snapshot.history.get("test_psnr_drawn") is not None
        assert session.snapshot.metrics["test_psnr_drawn"] != metrics["test_psnr_drawn"]


async def test_esc_leaves_the_mark_as_it_was_and_an_empty_mark_removes_it():
    app = NNTuiApp(Session(RunConfig.of(**AE)), fps=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await draw(pilot, app)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DrawMarkScreen))
        assert app.screen.drawing.cells == set(PIXELS)  # it opens on the mark drawn before
        await pilot.press("c", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DrawMarkScreen))
        await pilot.pause(0.3)
        assert app.session.config.model.drawn == PIXELS
        await pilot.press("e", "c", "enter")
        await wait_for(pilot, lambda: app.session.config.model.drawn == ())
        await wait_for(pilot, lambda: "test_psnr_drawn" not in app.session.snapshot.metrics)


def images_28(tmp_path) -> str:
    """A small .npz of 28×28 pictures (the size of Fashion-MNIST's)."""
    rng = np.random.default_rng(0)
    path = tmp_path / "pictures.npz"
    np.savez(path, X=rng.integers(0, 256, (60, 28, 28), dtype=np.uint8), y=np.arange(60) % 2)
    return str(path)


@pytest.mark.parametrize("side", [8, 28])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_key_the_draw_mode_shows_is_bound_and_the_picture_fits(size, side, tmp_path):
    data = dict(AE) if side == 8 else {**AE, "dataset": None, "data": images_28(tmp_path)}
    app = NNTuiApp(Session(RunConfig.of(**data)), fps=20)
    async with app.run_test(size=size) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DrawMarkScreen))
        await pilot.pause(0.2)
        screen = app.screen
        assert not dead_hints(screen)
        assert all(hasattr(screen, f"do_{control.action}") for control in screen.controls)
        keys = str(screen.query_one("#draw-keys").render())
        assert "Enter: apply" in keys and "Esc: cancel" in keys and "Space: pen down/up" in keys
        box = screen.query_one("#draw-box").region
        assert box.right <= size[0] and box.bottom <= size[1]  # nothing cut off at 80×24
        canvas = screen.query_one("#draw-canvas")
        assert canvas.region.bottom < screen.query_one("#draw-keys").region.y + 1
        assert canvas.size.width == side * canvas.scale and canvas.scale >= (2 if side == 8 or size[1] >= 40 else 1)
        await pilot.press("question_mark")  # its keys in the help too
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen")
        assert "Pen down/up" in {control.label for control in app.screen._key_list}


async def test_the_drawn_mark_survives_autosave_and_resume(tmp_path):
    path = tmp_path / "autosave.npz"
    app = NNTuiApp(Session(RunConfig.of(**AE), autosave_path=path), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        # Nothing trains: the drawing alone is what the autosave must keep.
        await draw(pilot, app)
        await wait_for(pilot, lambda: "test_psnr_drawn" in app.session.snapshot.metrics)
        shown = dict(app.session.snapshot.metrics)
        masks = app.session.training_run.test_masks.copy()
    await wait_for_file(path)
    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config.model.drawn == PIXELS and resumed.config.model.drawn_on == app.session.config.model.drawn_on
    assert np.array_equal(resumed.training_run.test_masks, masks)
    assert resumed.scores == shown  # the same numbers, bit for bit


async def wait_for_file(path, seconds: float = 180.0) -> None:
    import asyncio

    for _ in range(int(seconds / 0.05)):
        if path.exists() and autosave.read_info(path).get("config", {}).get("model", {}).get("drawn"):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no autosave with the mark at {path}")


def test_a_run_with_a_mark_drawn_mid_run_resumes_to_the_uninterrupted_numbers(tmp_path):
    config, path = RunConfig.of(**AE, corrupt=0.1), tmp_path / "autosave.npz"

    def drawn_after_two(session):
        _epochs(session, 2)
        session._apply("set_drawn_mark", (130, PIXELS), {})

    whole = Session(config)
    drawn_after_two(whole)
    _epochs(whole, 3)
    first = Session(config, autosave_path=path)
    drawn_after_two(first)
    _epochs(first, 1)
    first.training_run.train_steps(3)  # in the middle of epoch 4
    first._dirty = True
    first.autosave()
    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config == first.config and resumed.config.model.drawn == PIXELS
    _epochs(resumed, 5 - resumed.training_run.epoch)
    _same(whole, resumed)


def test_the_mark_goes_into_the_setup_file_and_the_share_string_and_bad_ones_are_one_line(tmp_path):
    config = RunConfig.of(**AE, drawn=PIXELS, drawn_on=130)
    toml = tmp_path / "setup.toml"
    toml.write_text(config_to_toml(config))
    assert load_toml(toml) == config
    assert config_from_share(share_string(config)) == config
    from nn_tui.config import ConfigError, check

    for bad, why in (({"drawn": (3, 2)}, "in order"), ({"drawn": (1, 1)}, "in order"),
                     ({"drawn": (-1,)}, "pixel numbers"), ({"drawn": (True,)}, "pixel numbers"),
                     ({"drawn_on": -2}, "drawn_on")):
        with pytest.raises(ConfigError, match=why):
            check(RunConfig.of(**AE, **{"drawn": PIXELS, "drawn_on": 3, **bad}))
    session = Session(RunConfig.of(**AE))
    session._apply("set_drawn_mark", (3, (64,)), {})  # beyond an 8×8 digit
    session._apply("set_drawn_mark", (10_000, (1,)), {})  # beyond the test split
    said = [session.notices.get().text for _ in range(session.notices.qsize())]
    assert any("beyond this data's 8×8 images" in text for text in said)
    assert any("the test split has" in text for text in said)
    assert session.config.model.drawn == ()


def test_a_saved_model_carries_its_drawn_mark(capsys, tmp_path):
    import json

    from nn_tui.cli import main

    path, drawn = tmp_path / "ae.npz", ",".join(map(str, PIXELS))
    assert main(["train", "--json", "--dataset", "digits", "--model", "autoencoder", "--mark", "line", "--drawn", drawn,
                 "--drawn-on", "7", "--epochs", "2", "--save", str(path)]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["train", "--json", "--dataset", "digits", "--load", str(path), "--epochs", "0"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["drawn"] == list(PIXELS) and again["drawn_on"] == 7
    assert again["test_psnr_drawn"] == before["test_psnr_drawn"]
    assert before["test_psnr_drawn"] > before["test_psnr_drawn_before"]


def draw_score(app) -> str:
    return app.screen.query_one("#draw-score").render().plain


async def test_the_draw_mode_shows_the_psnr_under_the_mark_as_it_is_drawn_and_the_status_line_after():
    from nn_tui.kinds.autoencoder.step import corrupt

    app = NNTuiApp(Session(RunConfig.of(**{**AE, "mark": "none"}, corrupt=0.3)), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: "epoch 1" in status(app))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DrawMarkScreen))
        await wait_for(pilot, lambda: "draw to see it" in draw_score(app))
        session, screen = app.session, app.screen
        run = session.training_run
        image = screen.samples[0]
        clean = run.clean_test[image]
        noisy = corrupt(run.clean_test, 0.3, np.random.default_rng([0, 2]))[image]  # the image's own noise

        def expected(pixels) -> str:
            marked = noisy.copy()
            marked[list(pixels)] = INK
            rebuilt = run.model.forward(marked[None])[0]
            return (f"before {marked_psnr(marked, clean, pixels):.1f} dB · "
                    f"rebuilt {marked_psnr(rebuilt, clean, pixels):.1f} dB")

        shown = []
        # from the cursor's start at row 4, column 4 (pixel 36): the pen down, two right, three down
        strokes = ((("space",), (36,)), (("l", "l"), (36, 37, 38)), (("j", "j", "j"), (36, 37, 38, 46, 54, 62)))
        for keys, pixels in strokes:
            await pilot.press(*keys)
            assert screen.drawing.cells == set(pixels)
            # each change is scored in the training side and shown when its score is back
            await wait_for(pilot, lambda: expected(pixels) in draw_score(app))
            shown.append(draw_score(app))
        assert len(set(shown)) == 3 and all("PSNR under your mark vs clean" in line for line in shown)
        assert "test_psnr_drawn" not in session.snapshot.metrics  # a preview is no setting, nor a score
        await pilot.press("enter")
        await wait_for(pilot, lambda: "test_psnr_drawn" in session.snapshot.metrics)
        metrics = session.snapshot.metrics
        # The same numbers, now the run's: in the status line beside the screen's other PSNRs.
        await wait_for(pilot, lambda: f"yours {metrics['test_psnr_drawn']:.1f} dB" in status(app))
        assert f"before {metrics['test_psnr_drawn_before']:.1f}" in status(app)
        assert shown[-1].endswith(f"before {metrics['test_psnr_drawn_before']:.1f} dB · "
                                  f"rebuilt {metrics['test_psnr_drawn']:.1f} dB")
        assert session.training_run.draft is None


async def test_esc_ends_the_preview_and_another_image_is_scored_on_its_own():
    app = NNTuiApp(Session(RunConfig.of(**AE)), fps=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DrawMarkScreen))
        screen = app.screen
        await pilot.press("space", "l")
        await wait_for(pilot, lambda: "rebuilt" in draw_score(app))
        await pilot.press("n")  # the next image: the same pixels, scored there
        await wait_for(pilot, lambda: (app.session.snapshot.view(ReconstructionView).draft or (0, -1))[1]
                       == screen.samples[1])
        await wait_for(pilot, lambda: "rebuilt" in draw_score(app) and screen._score_shown[1])  # of this image
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.session.snapshot.view(ReconstructionView).draft is None)
        assert app.session.config.model.drawn == ()

"""Inpainting ("removing watermarks"): a box, a line or a scribble drawn over each input,
the autoencoder trained to rebuild what was under it, and the PSNR of the marked pixels
before and after, in `nn-tui train --json` and on the screen's status line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.kinds.autoencoder.marks import INK, MARKS, apply_marks, mark_masks, masked_psnr
from nn_tui.session import Session

AE = ("--dataset", "digits", "--model", "autoencoder")


def train_json(capsys, *args) -> dict:
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("mark", [m for m in MARKS if m != "none"])
@pytest.mark.parametrize("shape", [(8, 8), (28, 28)])
def test_every_mark_covers_part_of_each_image_and_is_the_same_for_the_same_seed(mark, shape):
    masks = mark_masks(50, shape, mark, np.random.default_rng(0))
    covered = masks.mean(axis=1)
    assert masks.shape == (50, shape[0] * shape[1]) and (covered > 0).all() and (covered < 0.6).all()
    assert np.array_equal(masks, mark_masks(50, shape, mark, np.random.default_rng(0)))
    assert not np.array_equal(masks, mark_masks(50, shape, mark, np.random.default_rng(1)))
    assert len({m.tobytes() for m in masks}) > 40  # at a different place on each image


def test_the_marks_differ_in_shape_and_none_marks_nothing():
    rng = np.random.default_rng(0)
    areas = {mark: mark_masks(200, (28, 28), mark, rng).mean() for mark in MARKS}
    assert areas["none"] == 0 and areas["box"] > areas["scribble"] > 0 and areas["line"] > 0


def test_ink_goes_on_the_marked_pixels_of_every_channel_and_psnr_reads_only_them():
    X = np.full((2, 3 * 4), 0.25)  # two 3-channel 2x2 images
    masks = np.array([[True, False, False, False], [False, False, False, True]])
    marked = apply_marks(X, masks, channels=3)
    assert (marked.reshape(2, 3, 4)[0, :, 0] == INK).all() and (marked.reshape(2, 3, 4)[1, :, 3] == INK).all()
    assert (marked == INK).sum() == 6 and (X == 0.25).all()
    assert masked_psnr(marked, X, masks, channels=3) == pytest.approx(10 * np.log10(1 / 0.75 ** 2))
    assert np.isnan(masked_psnr(X, X, np.zeros_like(masks), channels=3))


@pytest.mark.parametrize("mark", ["box", "line", "scribble"])
def test_training_restores_what_was_under_the_mark(capsys, mark):
    report = train_json(capsys, *AE, "--mark", mark, "--epochs", "30")
    assert report["mark"] == mark
    # Measured with seed 0: box 2.7 -> 11.1 dB, line 2.2 -> 11.1, scribble 2.5 -> 11.9.
    assert report["test_psnr_marked"] > report["test_psnr_marked_before"] + 5.0


def test_same_seed_same_numbers_and_no_mark_no_marked_psnr(capsys):
    first = train_json(capsys, *AE, "--mark", "box", "--corrupt", "0.1", "--epochs", "2")
    second = train_json(capsys, *AE, "--mark", "box", "--corrupt", "0.1", "--epochs", "2")
    del first["seconds"], second["seconds"]
    assert first == second
    plain = train_json(capsys, *AE, "--epochs", "1")
    assert "test_psnr_marked" not in plain and plain["mark"] == "none"


def test_a_saved_inpainting_model_loads_with_its_mark(capsys, tmp_path):
    path = tmp_path / "ae.npz"
    before = train_json(capsys, *AE, "--mark", "line", "--epochs", "2", "--save", str(path))
    again = train_json(capsys, "--dataset", "digits", "--load", str(path), "--epochs", "0")
    assert again["mark"] == "line" and again["test_psnr_marked"] == before["test_psnr_marked"]


def test_a_bad_mark_is_one_line_and_exit_2(capsys):
    assert main(["train", *AE, "--mark", "smudge"]) == 2
    assert "\n" not in capsys.readouterr().err.strip()


def test_the_mark_key_cycles_the_marks_keeping_the_weights_and_the_screen_says_the_psnrs():
    session = Session(RunConfig.of(dataset="digits", model="autoencoder", layers=(16,)))
    session.send("step")
    session.apply_commands()
    weights = session.training_run.model.layers[0].params["W"].copy()
    assert "test_psnr_marked" not in session.snapshot.metrics
    session.send("cycle_mark")
    session.apply_commands()
    snap = session.snapshot
    assert session.config.model.mark == "box" and snap.settings["mark"] == "box"
    assert (session.training_run.model.layers[0].params["W"] == weights).all()
    assert snap.metrics["test_psnr_marked"] > 0 and snap.metrics["test_psnr_marked_before"] > 0
    from nn_tui.kinds import get_kind

    rows, _ = get_kind("autoencoder").status(snap.settings)
    assert {"test_psnr_marked", "test_psnr_marked_before"} <= {row[0] for row in rows}
    for _ in range(3):
        session.send("cycle_mark")
    session.apply_commands()
    assert session.config.model.mark == "none"

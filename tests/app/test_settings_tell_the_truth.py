"""The settings pane says what is true of the data, and a settings key it shows changes
something: IDX files with their own test pair have no train ratio (the split is said
instead, and t/T are refused with a line, never a reload of the same files); data drawn
without noise (a file, the digits) shows no noise and z/Z say why they do nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.widgets.settings_panel import settings_text
from tests.kinds.test_images_wiring import idx_bytes, write_idx_set


def write_idx_with_test_pair(folder: Path, n_test: int = 12) -> Path:
    """A training pair and a `t10k-` test pair beside it, as MNIST and Fashion-MNIST ship."""
    images = write_idx_set(folder, n=60, side=6)
    rng = np.random.default_rng(1)
    labels = (np.arange(n_test) % 3).astype(np.uint8)
    pixels = rng.integers(0, 256, (n_test, 6, 6)).astype(np.uint8)
    (folder / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(pixels))
    (folder / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    return images


def applied(session: Session, command: str, *args) -> list:
    """Apply one command; the notices it raised (those from before are dropped)."""
    while not session.notices.empty():
        session.notices.get_nowait()
    session.send(command, *args)
    session.apply_commands()
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait())
    return notices


@pytest.mark.parametrize("model", ["mlp", "cnn", "autoencoder"])
def test_files_with_their_own_test_pair_say_their_split_and_refuse_a_ratio(tmp_path, model):
    images = write_idx_with_test_pair(tmp_path)
    extra = {"conv": (2,), "layers": (4,)} if model == "cnn" else {"layers": (4,)}
    session = Session(RunConfig.of(model=model, data=str(images), **extra))
    applied(session, "step")
    snap = session.snapshot
    assert snap.settings["split"] == {"train": 60, "test": 12, "own": "the files' own split"}
    shown = settings_text(snap, plane=False).plain
    assert "train ratio" not in shown and "t T" not in shown
    assert "train 60 / test 12 (the files' own split)" in shown
    dataset, weights = session.dataset, snap.epoch
    for key_args in (("train_ratio", 1), ("train_ratio", -1)):
        notices = applied(session, "nudge", *key_args)
        assert [n.severity for n in notices] == ["error"]
        assert "own split" in notices[0].text and "no train ratio to change" in notices[0].text
    # refused before anything was done: the same data object, the run not rebuilt
    assert session.dataset is dataset and session.snapshot.epoch == weights == 1


def test_a_file_without_a_test_pair_keeps_its_ratio_and_the_key(tmp_path):
    images = write_idx_set(tmp_path, n=60, side=6)
    session = Session(RunConfig.of(model="mlp", data=str(images), layers=(4,)))
    snap = session.snapshot
    assert snap.settings["split"]["own"] is None
    assert "t T     train ratio" in settings_text(snap, plane=False).plain
    before = snap.settings["split"]["train"]
    assert [n.severity for n in applied(session, "nudge", "train_ratio", -1)] != ["error"]
    assert session.snapshot.settings["split"]["train"] < before


def test_the_digits_show_their_ratio_but_no_noise_and_z_says_why():
    session = Session(RunConfig.of(model="mlp", dataset="digits", layers=(4,)))
    shown = settings_text(session.snapshot, plane=False).plain
    assert "t T     train ratio   75%" in shown
    assert "noise" not in shown and "z Z" not in shown
    dataset = session.dataset
    notices = applied(session, "nudge", "noise", 1)
    assert [n.severity for n in notices] == ["error"] and "noise" in notices[0].text
    assert session.dataset is dataset


def test_a_drawn_set_still_shows_and_changes_its_noise_and_ratio():
    session = Session(RunConfig.of(dataset="xor", layers=(4,)))
    shown = settings_text(session.snapshot, plane=True).plain
    assert "z Z     noise" in shown and "t T     train ratio   50%" in shown and "split" not in shown
    assert not [n for n in applied(session, "nudge", "noise", 1) if n.severity == "error"]
    assert session.snapshot.settings["noise"] > 0


def test_a_run_on_a_file_shows_no_key_for_switching_data(tmp_path):
    images = write_idx_with_test_pair(tmp_path)
    shown = settings_text(Session(RunConfig.of(model="mlp", data=str(images), layers=(4,))).snapshot,
                          plane=False).plain
    first = shown.splitlines()[0]
    assert first.split()[0] == "data"  # d would be refused: "a run on your own file keeps its file"

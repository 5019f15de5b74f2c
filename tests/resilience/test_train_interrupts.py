"""`nn-tui train` stopped by Ctrl-C, SIGTERM or SIGHUP (real processes, real signals):
one line saying what was saved, the model as of the last completed epoch, 128 + signal.
And the --save path is checked before training, never replacing a file that is not a model."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nn_tui.engine import load_model
from nn_tui.engine.model_file import read_model_file
from tests.resilience.train_process import interrupt_after_an_epoch, start_train

ROOT = Path(__file__).resolve().parents[2]
LONG_RUN = ["--dataset", "spiral", "--layers", "8,8", "--epochs", "1000000"]  # after `train`


def _start(args, tmp_path):
    return start_train(args, tmp_path)


def _interrupt(process, signum):
    """The signal comes once the first epoch is done (imports and data take seconds on a loaded machine)."""
    return interrupt_after_an_epoch(process, signum)


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_saves_the_last_completed_epoch_to_the_save_path(signum, status, tmp_path):
    path = tmp_path / "model.npz"
    code, err = _interrupt(_start([*LONG_RUN, "--save", str(path), "--json"], tmp_path), signum)
    assert code == status, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and signal.Signals(signum).name in lines[0], err
    epoch = read_model_file(path)[2]["epoch"]
    assert epoch >= 1 and f"as of epoch {epoch} " in lines[0]
    assert load_model(path).sizes == (2, 8, 8, 1)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # written atomically


def test_without_save_the_model_goes_to_the_state_dir_named_in_the_line(tmp_path):
    code, err = _interrupt(_start([*LONG_RUN], tmp_path), signal.SIGTERM)
    assert code == 143, err
    saved = list((tmp_path / "state" / "nn-tui").glob("interrupted-spiral-*.npz"))
    assert len(saved) == 1 and str(saved[0]) in err.strip().splitlines()[-1]
    assert load_model(saved[0]).sizes == (2, 8, 8, 1)


def test_the_saved_model_is_the_one_of_its_epoch(tmp_path):
    """Training the saved epoch count from scratch gives the very same weights."""
    path = tmp_path / "model.npz"
    digits = ["--dataset", "digits", "--layers", "64"]  # slow epochs: few to train again
    code, err = _interrupt(_start([*digits, "--epochs", "100000", "--save", str(path), "--json"], tmp_path),
                           signal.SIGINT)
    assert code == 130, err
    epoch = read_model_file(path)[2]["epoch"]
    again = tmp_path / "again.npz"
    subprocess.run([sys.executable, "-m", "nn_tui", "train", *digits, "--epochs", str(epoch), "--save", str(again),
                    "--json"], check=True, capture_output=True, cwd=ROOT, timeout=600)
    for a, b in zip(load_model(path).layers, load_model(again).layers):
        assert np.array_equal(a.params["W"], b.params["W"]) and np.array_equal(a.params["b"], b.params["b"])


def _run(args, cwd):
    return subprocess.run([sys.executable, "-m", "nn_tui", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_save_never_replaces_a_file_that_is_not_a_model_without_force(tmp_path):
    victim = tmp_path / "victim.csv"
    victim.write_text("a,b\n1,2\n")
    result = _run(["train", "--epochs", "1", "--save", str(victim)], tmp_path)
    assert result.returncode == 2 and "--force" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "epoch" not in result.stdout  # refused before training
    assert victim.read_text() == "a,b\n1,2\n"
    assert _run(["train", "--epochs", "1", "--save", str(victim), "--force", "--json"], tmp_path).returncode == 0
    assert load_model(victim).sizes[0] == 2


def test_save_replaces_an_earlier_model(tmp_path):
    path = tmp_path / "m.npz"
    assert _run(["train", "--epochs", "1", "--save", str(path), "--json"], tmp_path).returncode == 0
    assert _run(["train", "--epochs", "2", "--save", str(path), "--json"], tmp_path).returncode == 0
    assert read_model_file(path)[2]["epoch"] == 2


@pytest.mark.parametrize("where, phrase", [("missing/m.npz", "does not exist"), (".", "is a directory")])
def test_save_path_is_checked_before_training(where, phrase, tmp_path):
    result = _run(["train", "--epochs", "100000", "--save", where], tmp_path)  # would take minutes
    assert result.returncode == 2 and phrase in result.stderr
    assert "Traceback" not in result.stderr


def test_save_into_a_directory_it_cannot_write_is_refused(tmp_path, monkeypatch):
    # Checked through os.access, so that it holds for root too (who writes anywhere).
    from nn_tui.config import ConfigError
    from nn_tui.save_target import check_save_target

    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(ConfigError, match="cannot write"):
        check_save_target(str(tmp_path / "m.npz"))


def test_no_floating_point_warning_reaches_the_terminal(tmp_path):
    result = _run(["train", "--dataset", "spiral", "--layers", "8,8", "--activation", "linear", "--lr", "1000",
                   "--epochs", "20", "--json"], tmp_path)
    assert result.returncode == 3
    assert "Warning" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_an_interrupt_inside_a_checkpoint_keeps_the_previous_state_and_epoch_together():
    """The signal can land between taking the state and reading its epoch: the checkpoint
    must keep the earlier pair, never a new state named by the old epoch (seen in CI:
    the file held epoch 358, the message said 357)."""
    from nn_tui.cli import _Checkpoint
    from nn_tui.interrupts import Interrupted

    class Run:
        resumable = True

        def __init__(self):
            self.epoch_now, self.interrupt_on_epoch = 3, False
            self.restored = None

        @property
        def epoch(self):
            if self.interrupt_on_epoch:
                raise Interrupted(signal.SIGTERM)
            return self.epoch_now

        def state(self):
            return f"state of epoch {self.epoch_now}"

        def restore(self, state):
            self.restored = state

    run = Run()
    checkpoint = _Checkpoint(run)
    run.epoch_now, run.interrupt_on_epoch = 4, True
    with pytest.raises(Interrupted):
        checkpoint.take()
    run.interrupt_on_epoch = False
    assert checkpoint.rewind() == 3 and run.restored == "state of epoch 3"

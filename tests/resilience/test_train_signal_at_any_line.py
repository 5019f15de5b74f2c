"""`nn-tui train`'s signals can land on any line of the command's own code. Once training has
begun, a SIGTERM (or a second one after the first: a closing terminal sends SIGHUP, then a
supervisor SIGTERM) must never lose the run: the model is saved to --save, and the line
never says "before training started; nothing to save".

A real signal is sent (os.kill) from a trace function at the n-th line run in nn_tui/cli.py
or nn_tui/interrupts.py, for every n: its handler runs at the interpreter's next check, as
it would for a signal from outside. Nothing is sent once the handlers are Python's defaults
(a SIGTERM would end the test's own process) or another handler (a test runner's)."""

import os
import signal
import sys

import pytest

from nn_tui import cli, interrupts
from nn_tui.engine.model_file import read_model_file

TRACED = {os.path.abspath(cli.__file__), os.path.abspath(interrupts.__file__)}
EPOCHS = 3
_TAKE = cli._Checkpoint.take  # the command's own, whatever a test has patched in since


def _train_with_signals_at(lines_to_signal: set[int], save, capsys, monkeypatch=None,
                           shown: str = "--json") -> tuple[int, str, list]:
    """Run the train command in this process; SIGTERM at each of `lines_to_signal` (counted
    from the first line run once the first epoch has begun). With `monkeypatch`, a first
    SIGTERM comes as the first epoch's checkpoint is taken, and lines are counted from then.
    Returns the exit status, the command's stderr and the lines counted."""
    began = []
    lines = []
    if monkeypatch is not None:
        def take_then_signal(self):
            _TAKE(self)
            if self.saved[1] == 1:
                began.append(True)
                os.kill(os.getpid(), signal.SIGTERM)  # its handler runs here, not in the trace function

        monkeypatch.setattr(cli._Checkpoint, "take", take_then_signal)

    def trace(frame, event, arg):
        # A signal sent here has its handler run inside this function: the exception it
        # raises ends the tracing (as CPython does), so each run sends one from here.
        if frame.f_code.co_filename not in TRACED:
            return None
        if event == "line":
            if frame.f_code.co_name == "one_epoch" and monkeypatch is None:
                began.append(True)
            if began:
                lines.append(f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}")
                if len(lines) - 1 in lines_to_signal and signal.getsignal(signal.SIGTERM) is interrupts._raise:
                    os.kill(os.getpid(), signal.SIGTERM)
        return trace

    capsys.readouterr()
    sys.settrace(trace)
    try:
        status = cli.main(["train", "--dataset", "xor", "--epochs", str(EPOCHS), "--save", str(save),
                         *([shown] if shown else [])])
    except interrupts.Interrupted as escaped:  # the command would end with a traceback
        status = f"{escaped!r} escaped the command"
    finally:
        sys.settrace(None)
    return status, capsys.readouterr().err, lines


def _lost(status, err: str, save) -> str | None:
    """Why this ending lost the run, or None."""
    if "nothing to save" in err:
        return f"status {status}: {err.strip()}"
    if not save.exists():
        return f"status {status}, no model saved: {err.strip()}"
    if status not in (0, 128 + signal.SIGTERM):
        return f"status {status}: {err.strip()}"
    return None


@pytest.mark.parametrize("shown", ["--json", None], ids=["json", "progress-bar"])
def test_one_signal_at_any_line_once_training_began_saves_the_model(shown, tmp_path, capsys):
    status, err, lines = _train_with_signals_at(set(), tmp_path / "plain.npz", capsys, shown=shown)
    assert status == 0 and read_model_file(tmp_path / "plain.npz")[2]["epoch"] == EPOCHS, err
    assert len(lines) > 10
    lost = {}
    for at in range(len(lines)):
        save = tmp_path / f"at-{at}.npz"
        why = _lost(*_train_with_signals_at({at}, save, capsys, shown=shown)[:2], save)
        if why:
            lost[lines[at]] = why
    assert not lost, f"a signal at these lines lost the run: {lost}"


def test_a_second_signal_at_any_line_after_the_first_still_saves_the_model(tmp_path, capsys, monkeypatch):
    status, err, lines = _train_with_signals_at(set(), tmp_path / "once.npz", capsys, monkeypatch)
    assert status == 128 + signal.SIGTERM and "as of epoch 1 " in err, err
    assert len(lines) > 5  # the path from the first signal to the command's end
    lost = {}
    for at in range(len(lines)):
        save = tmp_path / f"at-{at}.npz"
        status, err, _ = _train_with_signals_at({at}, save, capsys, monkeypatch)
        why = _lost(status, err, save) or (None if "as of epoch 1 " in err else f"status {status}: {err.strip()}")
        if why:
            lost[lines[at]] = why
    assert not lost, f"a second signal at these lines lost the run: {lost}"

"""`nn-tui train` as a real process that says when it has completed its first epoch, so a
test signals it after training began rather than after a guessed number of seconds (a
loaded 2-core CI machine took longer than 2 s to import and load the data: the signal
came before any epoch, or before the handlers were installed).

The process runs the command's own main(); the only addition is one line on stdout,
"checkpoint of epoch N", once, when the interrupt checkpoint first holds a completed epoch
(stdout carries nothing else until the command ends, with or without --json)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 180.0  # only a loaded machine's margin: a run that never completes an epoch fails

_TELLING_MAIN = """
import sys
from nn_tui import cli

take = cli._Checkpoint.take
told = []


def take_and_tell(self):
    take(self)
    if self.saved[1] >= 1 and not told:
        told.append(True)
        print(f"checkpoint of epoch {self.saved[1]}", flush=True)


cli._Checkpoint.take = take_and_tell
raise SystemExit(cli.main(sys.argv[1:]))
"""


def start_train(args, tmp_path) -> subprocess.Popen:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", _TELLING_MAIN, "train", *args], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_a_completed_epoch(process: subprocess.Popen, seconds: float = WAIT_SECONDS) -> None:
    """Return once the process has checkpointed its first completed epoch; fail (and end
    the process) if it ends or stays silent for ``seconds``."""
    first_line = []
    reader = threading.Thread(target=lambda: first_line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(seconds)
    if first_line and first_line[0].startswith("checkpoint of epoch"):
        return
    process.kill()
    out, err = process.communicate(timeout=60)
    raise AssertionError(f"no completed epoch in {seconds:.0f} s (status {process.returncode}): "
                         f"{first_line} {out} {err}")


def interrupt_after_an_epoch(process: subprocess.Popen, signum) -> tuple[int, str]:
    """Signal the process once an epoch is done; its exit status and stderr."""
    wait_for_a_completed_epoch(process)
    assert process.poll() is None, process.communicate()
    process.send_signal(signum)
    _, err = process.communicate(timeout=120)
    return process.returncode, err

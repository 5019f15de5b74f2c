"""Without a terminal (cron, a pipe, `ssh host nn-tui` without -t) or with TERM=dumb the
app is refused in one line, exit 2, pointing to `nn-tui train`, instead of writing escape
codes into the pipe and waiting for ever. `nn-tui serve` (Textual's web driver, pipes)
still starts it: tests/test_serve.py drives a served app over its websocket."""

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nn_tui.terminal_check import missing_terminal

ROOT = Path(__file__).resolve().parents[1]
WEB_DRIVER = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}  # what textual-serve sets


@pytest.fixture
def pty_pair():
    master, slave = os.openpty()
    yield master, slave
    for fd in (master, slave):
        try:
            os.close(fd)
        except OSError:
            pass


def test_what_counts_as_a_terminal(pty_pair, tmp_path):
    _, slave = pty_pair
    with open(os.devnull) as null, os.fdopen(os.dup(slave), "w") as tty:
        assert missing_terminal({"TERM": "xterm"}, stdin=tty, stderr=tty) is None
        assert "input is not one" in missing_terminal({"TERM": "xterm"}, stdin=null, stderr=tty)
        assert "draws on stderr" in missing_terminal({"TERM": "xterm"}, stdin=tty, stderr=null)
        assert "TERM is dumb" in missing_terminal({"TERM": "dumb"}, stdin=tty, stderr=tty)
        # Textual's web driver talks over pipes: no terminal needed.
        assert missing_terminal({"TERM": "dumb", **WEB_DRIVER}, stdin=null, stderr=null) is None


def run_app(args, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, **env):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": env.pop("state"), **env}
    environment.pop("TEXTUAL_DRIVER", None)
    # Before the check, such an app wrote escape codes into the pipe for ever: the timeout
    # catches that, with a margin for a loaded machine (no wall-clock limit below it).
    done = subprocess.run([sys.executable, "-m", "nn_tui", *args], stdin=stdin, stdout=subprocess.PIPE,
                          stderr=stderr, env=environment, timeout=300)
    return done, _left_behind(environment["XDG_STATE_HOME"])


def _left_behind(state: str, seconds: float = 120.0) -> list[str]:
    """Processes of this run still alive once ``seconds`` have passed (none: [] as soon as they are gone)."""
    deadline = time.monotonic() + seconds
    while (left := _processes_with_state_dir(state)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _processes_with_state_dir(state: str) -> list[str]:
    """The command lines of processes still running with this XDG_STATE_HOME (the app's
    training process inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"XDG_STATE_HOME={state}\0".encode() in (entry / "environ").read_bytes():
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


@pytest.mark.parametrize("args", [["--dataset", "xor"], ["lesson", "xor"]])
def test_the_app_without_a_terminal_is_one_line_and_exit_2(args, tmp_path):
    done, left = run_app(args, state=str(tmp_path))
    err = done.stderr.decode()
    assert done.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, err[-2000:]
    assert "the app needs a terminal" in err and "nn-tui train" in err
    assert done.stdout == b""
    assert not left, left  # the training process it had started ends too
    assert not (tmp_path / "nn-tui" / "autosave.npz").exists()  # nothing trained, nothing saved


def test_term_dumb_is_refused_even_on_a_terminal(pty_pair, tmp_path):
    master, slave = pty_pair
    done, _ = run_app(["--dataset", "xor"], stdin=slave, stderr=slave, TERM="dumb", state=str(tmp_path))
    said = b""
    while select.select([master], [], [], 0.5)[0]:
        chunk = os.read(master, 65536)
        if not chunk:
            break
        said += chunk
    assert done.returncode == 2, said[-2000:]
    assert b"TERM is dumb" in said and b"nn-tui train" in said and said.count(b"\n") == 1

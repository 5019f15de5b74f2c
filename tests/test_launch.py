"""What the app's first frame waits for, kept small (the time itself is a bench row:
bench/app_meter.py, launch to first frame).

The screen comes first: the command line and the first frame import only what they draw,
and the training process (a Python, NumPy, every kind) starts once that frame is shown."""

import json
import subprocess
import sys
import threading

import pytest

from nn_tui.config import RunConfig

# Never before the first frame: the browser server, the exporters' heavy libraries, the
# lessons (loaded when one is opened), the TOML parser (only for --config).
NOT_AT_START = ("textual_serve", "aiohttp", "torch", "onnx", "onnxruntime", "tomllib", "tomli", "nn_tui.lessons",
                "nn_tui.export")


def modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return set(json.loads(out.splitlines()[-1]))


def loaded(modules: set[str], names) -> list[str]:
    return sorted(m for m in modules for name in names if m == name or m.startswith(name + "."))


def test_the_command_line_loads_no_ui_and_nothing_heavy_it_does_not_use():
    modules = modules_after("import nn_tui.cli")
    assert not loaded(modules, (*NOT_AT_START, "textual", "plotext", "nn_tui.ui"))
    assert not [m for m in modules if m.startswith("nn_tui.kinds.") and m.endswith(".panes")]


def test_the_first_frame_loads_only_its_own_kinds_screen():
    modules = modules_after("import nn_tui.cli, nn_tui.ui.app, nn_tui.kinds.mlp.panes")
    assert not loaded(modules, NOT_AT_START)
    panes = {m for m in modules if m.startswith("nn_tui.kinds.") and m.endswith(".panes")}
    assert panes == {"nn_tui.kinds.mlp.panes"}


def test_the_training_process_starts_only_when_run_is():
    """SessionProcess builds the first snapshot at once; its child starts with `run` (the app
    calls it once the first frame is shown). Stopped before, it leaves nothing behind."""
    from nn_tui.session_process import SessionProcess

    session = SessionProcess(RunConfig.of(dataset="xor"))
    assert session.snapshot.epoch == 0 and session.pid is None
    session.send("play")  # waits in the pipe
    session.stop()
    assert session.pid is None
    session.run()  # returns at once: stopped, no child, no "stopped unexpectedly"
    assert session.pid is None and session.notices.empty()


def test_the_training_process_starts_while_the_app_holds_stderr():
    """The app starts the child from a thread once Textual has replaced sys.stderr with a
    stand-in whose fileno is -1; starting then must work (a fresh interpreter: no
    multiprocessing helper process is running yet)."""
    code = """
import sys, threading, time
from nn_tui.config import RunConfig
from nn_tui.session_process import SessionProcess

class TextualsStderr:  # as textual.app's stand-in for sys.stderr
    def write(self, text): pass
    def flush(self): pass
    def fileno(self): return -1

if __name__ == "__main__":
    session = SessionProcess(RunConfig.of(dataset="xor"))
    sys.stderr = TextualsStderr()
    session.send("play")
    threading.Thread(target=session.run, daemon=True).start()
    deadline = time.monotonic() + 60
    while session.snapshot.epoch < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    print(session.snapshot.epoch)
    session.stop()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert int(done.stdout.split()[-1]) >= 1, done.stdout + done.stderr


@pytest.mark.asyncio
async def test_the_app_starts_training_after_its_first_frame():
    from nn_tui.session import Session
    from nn_tui.ui.app import NNTuiApp

    session = Session(RunConfig.of(dataset="xor"))
    app = NNTuiApp(session)
    seen = {}
    started = threading.Event()
    run = session.run

    def run_after_frame():
        seen["first frame shown"] = app._dom_ready  # Textual sets it as it posts Ready
        started.set()
        run()

    session.run = run_after_frame
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert started.wait(10)
    assert seen["first frame shown"] is True

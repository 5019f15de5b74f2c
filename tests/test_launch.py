"""What the app's first frame waits for, kept small (the time itself is a bench row:
bench/app_meter.py, launch to first frame).

The screen comes first: the command line and the first frame import only what they draw,
and the training process (a Python, NumPy, every kind) starts once that frame is shown."""

import asyncio
import json
import os
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


# The app run to its first frame (Textual headless, 120×40), then the modules it holds.
FIRST_FRAME = """
import json, sys
import nn_tui.cli
from nn_tui.ui import app as ui_app

out, argv = sys.argv[1], sys.argv[2:]
run = ui_app.NNTuiApp.run

def headless(self, *args, **kwargs):
    return run(self, headless=True, size=(120, 40))

def on_ready(self):  # the first frame is drawn: what has been imported for it?
    with open(out, "w") as f:
        json.dump(sorted(sys.modules), f)
    self.exit()

ui_app.NNTuiApp.run, ui_app.NNTuiApp.on_ready = headless, on_ready
sys.exit(nn_tui.cli.main(argv))
"""


def modules_at_first_frame(tmp_path, argv) -> set[str]:
    out = tmp_path / "modules.json"
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}  # its autosave is not the user's
    done = subprocess.run([sys.executable, "-c", FIRST_FRAME, str(out), *argv], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
    return set(json.loads(out.read_text()))


def folder(entry) -> str:
    """The package of a kind's spec module: its folder (the three sequence kinds share one)."""
    return entry.spec_module.rpartition(".")[0]


# What the command line reads of every kind: its folder's package and spec module, and
# what those import; never its registry entry's module, its build, run, probes or commands.
NEVER_FOR_THE_COMMAND_LINE = ("kind", "build", "probes", "commands", "panes", "train", "model", "step",
                              "agent", "rnn", "lstm", "gru")


@pytest.fixture(scope="module")
def read_by_the_command_line() -> set[str]:
    from nn_tui.kinds import _BUILT_IN

    return modules_after(f"import {', '.join(sorted({entry.spec_module for entry in _BUILT_IN}))}")


def test_the_command_line_reads_of_every_kind_only_its_spec(read_by_the_command_line):
    from nn_tui.kinds import _BUILT_IN

    heavy = sorted({m for m in read_by_the_command_line for entry in _BUILT_IN
                    if m.startswith(folder(entry) + ".") and m.rpartition(".")[2] in NEVER_FOR_THE_COMMAND_LINE})
    assert not heavy, f"a kind's spec module imports its code: {heavy}"


@pytest.mark.parametrize("argv, kind", [
    ([], "mlp"),
    (["--dataset", "spiral", "--layers", "8,8"], "mlp"),
    (["--dataset", "ring", "--model", "gan"], "gan"),
    (["--dataset", "fluent", "--model", "lstm"], "lstm"),
])
def test_the_first_frame_loads_no_other_kinds_code(tmp_path, read_by_the_command_line, argv, kind):
    """Every kind's options are on the command line, but only the kind being run is
    imported: another's build, probes and commands wait until it is used (issue 17:
    they were a third of the modules a launch compiled)."""
    from nn_tui.kinds import _BUILT_IN

    modules = modules_at_first_frame(tmp_path, argv)
    chosen = next(entry for entry in _BUILT_IN if entry.name == kind)
    assert chosen.module in modules
    others = {folder(entry) for entry in _BUILT_IN} - {folder(chosen)}
    loaded = sorted({m for m in modules for other in others
                     if m.startswith(other + ".") and m not in read_by_the_command_line})
    assert not loaded, f"the first frame of {kind} imported other kinds' code: {loaded}"
    entries = [entry.module for entry in _BUILT_IN if entry.module in modules and entry.name != kind]
    assert not entries, f"the first frame of {kind} imported other kinds: {entries}"


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
    deadline = time.monotonic() + 240  # a spawned Python, NumPy and an epoch, on a loaded machine
    while session.snapshot.epoch < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    print(session.snapshot.epoch)
    session.stop()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
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
        # Waited for off the event loop: the loop starts the worker's thread (never blocked here).
        assert await asyncio.to_thread(started.wait, 120)
    assert seen["first frame shown"] is True

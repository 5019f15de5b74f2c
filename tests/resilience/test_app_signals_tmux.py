"""The app in a real terminal (tmux): SIGTERM restores the terminal, autosaves and ends
every process it started (the training process, multiprocessing's resource tracker);
a killed app's training process ends too; --resume brings the run back; q asks once."""

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nn_tui import autosave

ROOT = Path(__file__).resolve().parents[2]
# Waits are for events on the screen or among the processes, never fixed sleeps; these are
# only a loaded 2-core machine's margins (the app, a spawned training process and tmux
# share the cores with the other pytest worker).
WAIT_SECONDS = 120.0
pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")


class Terminal:
    """A tmux server of our own running one command in a 120x40 window."""

    def __init__(self, tmp_path: Path, args: list[str], program: tuple[str, ...] = ("-m", "nn_tui")) -> None:
        self.socket = f"nntui-test-{os.getpid()}-{time.monotonic_ns()}"
        self.state = tmp_path / "state"
        self.exit_file = tmp_path / f"exit-{self.socket}"
        command = (f"cd {shlex.quote(str(ROOT))} && XDG_STATE_HOME={shlex.quote(str(self.state))} "
                   f"{shlex.quote(sys.executable)} {' '.join(map(shlex.quote, (*program, *args)))}; "
                   f"echo $? > {shlex.quote(str(self.exit_file))}; sleep 60")
        conf = tmp_path / f"{self.socket}.conf"
        conf.write_text("set -g status off\nset -g history-limit 0\n")
        # COLUMNS/LINES (pytest sets them) would make Textual ignore the window's real size.
        env = "env -u COLUMNS -u LINES TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8"
        subprocess.run(["tmux", "-f", str(conf), "-L", self.socket, "new-session", "-d", "-x", "120", "-y", "40",
                        f"{env} bash -c {shlex.quote(command)}"], check=True, capture_output=True)
        self.shell = int(self.tmux("list-panes", "-F", "#{pane_pid}").strip())
        # tmux leaves its socket behind when its server ends (/tmp/tmux-UID/): removed in close().
        self.socket_path = Path(self.tmux("display-message", "-p", "#{socket_path}").strip())
        self.program = " ".join(program)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True).stdout

    def screen(self) -> str:
        """The window as text, each line's spaces squeezed (a toast may wrap its words)."""
        return " ".join(self.tmux("capture-pane", "-p").split())

    def report(self) -> str:
        """What a failed wait shows: the screen (if the window is still there) and every
        process left, with its state and what it waits in."""
        try:
            screen = self.screen()
        except subprocess.CalledProcessError as error:
            screen = f"(no window: {error.stderr.strip()})"
        lines = [f"screen: {screen}"]
        for pid, command in self.descendants():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                wchan = Path(f"/proc/{pid}/wchan").read_text()
            except OSError:
                stat, wchan = ["?", "?"], "?"
            lines.append(f"process {pid} state {stat[0]} parent {stat[1]} waits in {wchan or '-'}: {command}")
        return "\n".join(lines)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def descendants(self) -> list[tuple[int, str]]:
        """Every process under the shell, and every process that used to be (reparented)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if str(self.state).encode() in environ and "sleep 60" not in command and "bash -c" not in command:
                found.append((int(entry.name), command))
        return found

    def app_pid(self) -> int:
        for pid, command in self.descendants():
            if self.program in command and "multiprocessing" not in command:
                return pid
        raise AssertionError(f"no app process; screen:\n{self.screen()}")

    def wait_for(self, condition, seconds: float = WAIT_SECONDS, what: str = ""):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what};\n{self.report()}")

    def exit_status(self) -> int:
        return int(self.wait_for(lambda: self.exit_file.exists() and self.exit_file.read_text().strip(),
                                 what="the app to exit"))

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        if self.socket_path.name == self.socket:  # only the socket this test made
            self.socket_path.unlink(missing_ok=True)


@pytest.fixture
def terminal(tmp_path):
    made = []

    def start(*args: str, program: tuple[str, ...] = ("-m", "nn_tui")) -> Terminal:
        made.append(Terminal(tmp_path, list(args), program))
        return made[-1]

    yield start
    for t in made:
        for pid, _ in t.descendants():
            os.kill(pid, signal.SIGKILL)  # only processes this test started (marked by its state dir)
        t.close()


def _training(t: Terminal) -> None:
    t.wait_for(lambda: "training" in t.screen() and len(t.descendants()) >= 2, what="training to start")


def _shown_epoch(screen: str) -> int:
    """The epoch the status line shows while training (0 when it shows none)."""
    found = re.search(r"training epoch (\d[\d,]*)", screen)
    return int(found.group(1).replace(",", "")) if found else 0


def _trained(t: Terminal, epochs: int = 1) -> None:
    """Training runs and the status line shows at least ``epochs`` completed: the run has
    something to autosave (rather than a guessed number of seconds of training)."""
    _training(t)
    t.wait_for(lambda: _shown_epoch(t.screen()) >= epochs, what=f"epoch {epochs} on the status line")


def test_sigterm_restores_the_terminal_autosaves_and_leaves_no_process(terminal):
    t = terminal("--dataset", "spiral", "--layers", "8,8", "--play")
    _trained(t)
    os.kill(t.app_pid(), signal.SIGTERM)
    assert t.exit_status() == 143
    assert t.tmux("display", "-p", "#{alternate_on}").strip() == "0"  # back from the app's screen
    t.wait_for(lambda: not t.descendants(), what="every process to end")
    saved = autosave.read(t.state / "nn-tui" / "autosave.npz")
    assert saved.epoch >= 1 and saved.config.data.dataset == "spiral"


def test_a_killed_app_takes_its_training_process_with_it(terminal):
    t = terminal("--dataset", "circle", "--play")
    _training(t)
    os.kill(t.app_pid(), signal.SIGKILL)  # no handler runs: the kernel and the pipe must do it
    t.wait_for(lambda: not t.descendants(), what="the training process to end")
    assert (t.state / "nn-tui" / "autosave.npz").exists()  # it autosaved on its way out


def test_resume_brings_the_autosaved_run_back_and_the_start_notice_says_so(terminal):
    first = terminal("--dataset", "xor", "--play")
    _trained(first)
    first.keys("q")
    first.keys("q")  # the second q quits (the first asked, the run was not saved)
    assert first.exit_status() == 0
    saved = autosave.read(first.state / "nn-tui" / "autosave.npz")
    assert saved.epoch >= 1
    first.close()

    again = terminal("--dataset", "circle")
    again.wait_for(lambda: "autosaved run exists" in again.screen(), what="the start notice")
    again.keys("q")
    assert again.exit_status() == 0
    again.close()

    resumed = terminal("--resume")
    resumed.wait_for(lambda: f"resumed the autosaved run at epoch {saved.epoch}" in resumed.screen(),
                     what="the resume notice")
    assert "xor" in resumed.screen()
    resumed.keys("q")
    assert resumed.exit_status() == 0


@pytest.mark.parametrize("args", [("--model", "lstm", "--layers", "12", "--window", "24"),
                                  ("--model", "gan", "--dataset", "ring")], ids=["lstm", "gan"])
def test_a_character_model_and_a_gan_are_autosaved_on_sigterm_and_resumed(terminal, args):
    first = terminal(*args, "--play")
    _trained(first)
    os.kill(first.app_pid(), signal.SIGTERM)  # as when an SSH link drops (SIGHUP is handled alike)
    assert first.exit_status() == 143
    first.wait_for(lambda: not first.descendants(), what="every process to end")
    saved = autosave.read(first.state / "nn-tui" / "autosave.npz")
    assert saved.epoch >= 1 and saved.config.kind == args[1]
    first.close()

    resumed = terminal("--resume")
    resumed.wait_for(lambda: f"resumed the autosaved run at epoch {saved.epoch}" in resumed.screen(),
                     what="the resume notice")
    resumed.keys("q")
    assert resumed.exit_status() == 0


def test_q_after_training_asks_once_and_y_quits(terminal):
    t = terminal("--dataset", "xor", "--play")
    _trained(t)  # trained and not saved: q asks
    t.keys("q")
    t.wait_for(lambda: "not saved" in t.screen(), what="the question")
    assert not t.exit_file.exists()
    t.keys("y")
    assert t.exit_status() == 0
    t.wait_for(lambda: not t.descendants(), what="every process to end")


# As when the terminal is gone: Textual's output thread died on EIO and closing the driver
# waits for ever on its queue (seen with tmux killing a window: the app stayed, asleep).
STUCK_OUTPUT = """
import sys, threading
from textual.drivers import _writer_thread
_writer_thread.WriterThread.stop = lambda self: threading.Event().wait()
if __name__ == "__main__":  # the training process imports this file too (multiprocessing's spawn)
    from nn_tui.cli import main
    sys.exit(main(sys.argv[1:]))
"""


def test_after_a_hangup_the_app_ends_even_when_textual_cannot_close_the_terminal(terminal, tmp_path):
    script = tmp_path / "stuck_output.py"
    script.write_text(STUCK_OUTPUT)
    t = terminal("--dataset", "circle", "--play", program=(str(script),))
    _trained(t)
    os.kill(t.app_pid(), signal.SIGHUP)
    assert t.exit_status() == 129  # the watchdog's exit, with the signal's status
    t.wait_for(lambda: not t.descendants(), what="every process to end")
    assert autosave.read(t.state / "nn-tui" / "autosave.npz").epoch >= 1  # saved before it went


def test_a_closed_terminal_leaves_no_process_behind(terminal):
    t = terminal("lesson", "rnn")
    t.wait_for(lambda: "Recurrent networks" in t.screen() and len(t.descendants()) >= 2, what="the lesson")
    t.keys("Space")
    _trained(t)
    t.close()  # the tmux server goes, and the terminal with it: a dropped SSH link
    t.wait_for(lambda: not t.descendants(), what="every process to end")

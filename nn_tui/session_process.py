"""The session in a process of its own, behind the same interface as `Session`.

Python runs one thread at a time: a training thread and the UI share one core's
worth of interpreter, and every key press waits for the trainer to hand over
the GIL. Measured in tmux at 120x40 on spiral 8,8 (see README, Performance), a
key took 90 ms (median) and 150 ms (p90) to show with a training thread; with
training in its own process it takes what it takes when paused, and training
gets a core to itself. The child process owns the network (it is still the only
writer); commands go to it through one pipe and snapshots come back through
another, latest wins.

Nothing outlives the app: the child ends when the app stops it, when its command
pipe closes, when its parent changes (polled) and, on Linux, when the parent dies
(PR_SET_PDEATHSIG). Every way out autosaves the run first. The app reads the data
to check it (bad input fails before any process starts) and draw the first frame,
then lets it go; the child reads it again from its path. No data set crosses a pipe:
"spawn" pickles the child's arguments down one, and 60,000 Fashion-MNIST images are
47 MB there. The child's stderr goes to a log file, never over the screen.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing import resource_tracker
from pathlib import Path

from nn_tui.config import RunConfig
from nn_tui.quiet import quiet_floating_point
from nn_tui.session import Notice, Session, check_command
from nn_tui.snapshot import Snapshot

# "spawn": a clean child, safe whatever threads the parent runs (Textual's, pytest's).
_CONTEXT = multiprocessing.get_context("spawn")
STOP = ("stop_session", (), {})
STOP_SECONDS = 10.0  # how long the child may take to autosave and end before it is killed
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


TRAINING_NICENESS = 10  # added to the app's own niceness
SERVED_TRAINING_NICENESS = 19  # a tab of `nn-tui serve`: its session's, the lowest (leave_the_tabs_session)


class PipeCommands:
    """The session's command queue in the child: what the parent sends down the pipe,
    plus local puts (a signal handler's stop). A closed pipe or a new parent process
    (the app died) reads as a stop; `on_stop` is called when a stop is read."""

    def __init__(self, connection, parent_pid: int, on_stop=None) -> None:
        self._connection = connection
        self._parent_pid = parent_pid
        self._local: deque = deque()
        self._on_stop = on_stop

    def put(self, command) -> None:
        self._local.append(command)

    def empty(self) -> bool:
        return not self._local and not self._ready(0)

    def get_nowait(self):
        return self.get(timeout=0)

    def get(self, timeout: float | None = None):
        command = self._next(timeout)
        if self._on_stop is not None and command[0] == STOP[0]:
            self._on_stop()
        return command

    def _next(self, timeout: float | None):
        if self._local:
            return self._local.popleft()
        if os.getppid() != self._parent_pid:
            return STOP
        if not self._ready(timeout):
            raise queue.Empty
        try:
            return self._connection.recv()
        except (EOFError, OSError):
            return STOP

    def _ready(self, timeout) -> bool:
        try:
            return self._connection.poll(timeout)
        except (EOFError, OSError):
            return True  # recv will say it is closed


def die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM when the parent dies (PipeCommands also
    notices, at its next look, on every system)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def lower_priority(served: bool = False) -> None:
    """Training yields the cores to the app's screen (and, under `nn-tui serve`, to every
    tab's screen and the server): a key is answered even while every tab trains."""
    if served:
        leave_the_tabs_session()
    try:
        os.nice(SERVED_TRAINING_NICENESS if served else TRAINING_NICENESS)
    except OSError:
        pass  # a limit on nice values: train at the app's priority


def leave_the_tabs_session() -> None:
    """A served tab's training process in a session of its own, at the lowest priority.

    Linux's scheduler (with autogroups, on by default) shares the cores between sessions
    first and weighs a process's nice value only inside its session. Each tab is a session,
    so a training process at nice 10 beside its app still took its tab's full share: with
    20 tabs training, a key's app got a twentieth of the cores (p95 2.6 s to show the help).
    In its own session, with the session's nice at 19, the training takes what the screens
    leave. The app still ends it (the pipe, PR_SET_PDEATHSIG) and the server ends it with
    its tab (nn_tui/classroom/processes.py)."""
    try:
        os.setsid()
    except OSError:
        return  # already a session's leader: nothing to leave
    _set_session_niceness(SERVED_TRAINING_NICENESS, LOWERING_PATIENCE_SECONDS)


# Linux lets a process without CAP_SYS_ADMIN (a user, root in a container) set an autogroup's
# niceness once per 100 ms machine-wide, and says EAGAIN to the others: tabs starting together,
# or a process lowered then hurried at once, would keep the wrong priority (seen: a tab's
# training process left at 19 while it autosaved). A refused write is tried again.
AUTOGROUP_RETRY_SECONDS = 0.1  # the kernel's interval (HZ / 10)
LOWERING_PATIENCE_SECONDS = 5.0  # a class's tabs starting together take their turns
HURRYING_PATIENCE_SECONDS = 1.0  # a stopping process should not wait long to start saving


def _set_session_niceness(niceness: int, patience_seconds: float) -> None:
    """The niceness of this process's autogroup (its session, to the scheduler). Any value
    from 0 up may be set, back to 0 too, unlike a process's own."""
    deadline = time.monotonic() + patience_seconds
    while True:
        try:
            with open("/proc/self/autogroup", "w", encoding="ascii") as autogroup:
                autogroup.write(str(niceness))
            return
        except BlockingIOError:  # EAGAIN: another autogroup was set in the last 100 ms
            if time.monotonic() >= deadline:
                return  # the process's own nice value still holds inside its session
            time.sleep(AUTOGROUP_RETRY_SECONDS)
        except OSError:
            return  # not Linux, or no autogroups: the process's nice value is what counts


def hurry_to_end() -> None:
    """A stopping training process autosaves and ends at its screen's priority: at the lowest,
    behind every other tab's training and others' work, it could outlast the few seconds a
    closed tab's processes have."""
    _set_session_niceness(0, HURRYING_PATIENCE_SECONDS)


def _log_to(path: Path | None) -> None:
    """The child's stdout and stderr (a traceback, a library's warning) go to a file."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def stop_on_signal(live: dict, on_stop=None):
    """The training process's SIGTERM and SIGHUP handler (the parent's death sends SIGTERM):
    stop the session in `live`, which then autosaves and ends. A handler runs at whatever line
    it interrupted, its own session's stop included, so it takes no lock (Session.stop)."""

    def stop(signum, frame) -> None:
        live["signalled"] = True
        if on_stop is not None:
            on_stop()
        if live["session"] is not None:
            live["session"].stop()

    return stop


def _train_in_child(config: RunConfig, resume, fps: float, commands, connection,
                    parent_pid: int, autosave_path, log_path, served: bool = False) -> None:
    """The child process: a Session whose snapshots and notices go to the parent. It
    loads the data (and any --load model) from their paths, as the app did."""
    die_with_parent()
    lower_priority(served)
    _log_to(log_path)
    quiet_floating_point()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the app decides what Ctrl-C means
    live = {"session": None, "signalled": False}
    on_stop = hurry_to_end if served else None
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal(live, on_stop))
    session = Session(config, fps=fps, commands=PipeCommands(commands, parent_pid, on_stop), resume=resume,
                      autosave_path=autosave_path)
    live["session"] = session
    if live["signalled"]:
        session.stop()  # a signal came while the session was being built

    def send(snapshot: Snapshot) -> None:
        notices = []
        while not session.notices.empty():
            notices.append(session.notices.get_nowait())
        connection.send((snapshot, notices))

    session.publish_hook = send
    try:
        session.publish()  # the first snapshot, with the notes from loading the data
        session.run()  # autosaves when it ends
    except (BrokenPipeError, EOFError):  # the parent is gone: nothing left to show it to
        session.publish_hook = None
        session.autosave()
    finally:
        connection.close()


class SessionProcess:
    """Looks like a Session to the app: `snapshot`, `send`, `notices`, `run`, `stop`."""

    def __init__(self, config: RunConfig, fps: float = 10.0, resume=None, autosave_path=None,
                 log_path=None, broadcast=None, served: bool = False) -> None:
        """`served`: the app is a tab of `nn-tui serve`; its training leaves the tab's session
        for one of its own at the lowest priority (`leave_the_tabs_session`)."""
        # Load the data here to check it: bad input fails before any process starts. The
        # child reads it again from the path, rather than receive it pickled (module doc).
        if resume is not None:
            config = resume.config
        # The first frame's snapshot, before the child exists; then the data is let go.
        first = Session(config, fps=fps, resume=resume)
        self.config = first.config  # a loaded model file may have decided the kind
        self.log_path = log_path
        self.notices: queue.SimpleQueue[Notice] = queue.SimpleQueue()
        self._snapshot = first.snapshot
        del first
        self.broadcast = broadcast  # nn_tui.broadcast.Broadcaster: a served teacher's tab, shown to the class
        if broadcast is not None:
            broadcast.offer_snapshot(self._snapshot)
        self._send_lock = threading.Lock()
        receiver, self._commands = _CONTEXT.Pipe(duplex=False)
        self._receiver, sender = _CONTEXT.Pipe(duplex=False)
        self._process = _CONTEXT.Process(
            target=_train_in_child,
            args=(config, resume, fps, receiver, sender, os.getpid(), autosave_path, log_path, served),
            name="nn-tui training", daemon=True,
        )
        self._child_ends = (receiver, sender)  # until the child holds them
        # multiprocessing's resource tracker (a small process every "spawn" start needs) is
        # started now: it passes on sys.stderr's file descriptor, and once the app runs,
        # Textual's stand-in for stderr has none (fileno -1: "bad value(s) in fds_to_keep").
        resource_tracker.ensure_running()
        self._started = False
        self._start_lock = threading.Lock()
        self._stopping = threading.Event()

    def start(self) -> None:
        """Start the training process; `run` does, on the app's thread for it, once the first
        frame is on the screen: the child's start-up (a Python, NumPy, the kinds) then does
        not delay that frame. Commands sent before wait in the pipe."""
        with self._start_lock:
            if self._started or self._stopping.is_set():
                return
            self._process.start()
            self._started = True
            for end in self._child_ends:
                end.close()  # the child holds the only sending end of the snapshots now, and the
                # only receiving end of the commands

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def kind_name(self) -> str:
        """The kind of the run shown (a use_run command may switch it)."""
        return self._snapshot.kind

    def send(self, command: str, *args, **kwargs) -> None:
        check_command(self.kind_name, command)
        self._send((command, args, kwargs))

    def _send(self, command) -> None:
        with self._send_lock:
            try:
                self._commands.send(command)
            except (OSError, ValueError):  # the child is gone; run() has said so
                pass

    def run(self) -> None:
        """Start the child and receive its snapshots until it ends (run this on a thread of
        the app)."""
        self.start()
        while True:
            try:
                pickled = self._receiver.recv_bytes()
            except (EOFError, OSError):
                break
            snapshot, notices = pickle.loads(pickled)
            if self.broadcast is not None:
                self.broadcast.offer(pickled)  # the same bytes, to the watching tabs
            self._snapshot = snapshot  # views and history froze their arrays again on arrival
            for notice in notices:
                self.notices.put(notice)
        if not self._stopping.is_set():
            where = f" (its log: {self.log_path})" if self.log_path else ""
            self.notices.put(Notice(f"training stopped unexpectedly; the last picture stays on screen{where}",
                                    "error"))

    def stop(self) -> None:
        """End the child (it autosaves first) and wait for it; never leave it behind."""
        with self._start_lock:
            self._stopping.set()  # no start after this
            started = self._started
        if not started:  # nothing trained, nothing to autosave
            for end in (*self._child_ends, self._commands, self._receiver):
                end.close()
            return
        self._send(STOP)
        self._process.join(timeout=STOP_SECONDS)
        if self._process.is_alive():
            self._process.terminate()  # SIGTERM: the child still autosaves
            self._process.join(timeout=STOP_SECONDS)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=2)
        self._commands.close()
        self._receiver.close()
        if self.broadcast is not None:
            self.broadcast.close()

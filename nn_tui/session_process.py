"""The session in a process of its own, behind the same interface as `Session`.

Python runs one thread at a time: a training thread and the UI share one core's
worth of interpreter, and every key press waits for the trainer to hand over
the GIL. Measured in tmux at 120x40 on spiral 8,8 (see README, Performance), a
key took 90 ms (median) and 150 ms (p90) to show with a training thread; with
training in its own process it takes what it takes when paused, and training
gets a core to itself. The child process owns the network (it is still the only
writer); commands go to it through a queue and snapshots come back through a
pipe, latest wins.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading

from nn_tui.config import RunConfig
from nn_tui.session import Notice, Session, check_command
from nn_tui.snapshot import Snapshot

# "spawn": a clean child, safe whatever threads the parent runs (Textual's, pytest's).
_CONTEXT = multiprocessing.get_context("spawn")


def _train_in_child(config: RunConfig, fps: float, commands, connection) -> None:
    """The child process: a Session whose snapshots and notices go to the parent."""
    session = Session(config, fps=fps, commands=commands)

    def send(snapshot: Snapshot) -> None:
        notices = []
        while not session.notices.empty():
            notices.append(session.notices.get_nowait())
        connection.send((snapshot, notices))

    session.publish_hook = send
    session.publish()  # the first snapshot, with the notes from loading the data
    try:
        session.run()
    except (BrokenPipeError, EOFError):  # the parent is gone: nothing left to train for
        pass
    finally:
        connection.close()


class SessionProcess:
    """Looks like a Session to the app: `snapshot`, `send`, `notices`, `run`, `stop`."""

    def __init__(self, config: RunConfig, fps: float = 10.0) -> None:
        # Build the run once here too: bad input fails before any process starts, and the
        # first frame has a snapshot to show while the child imports NumPy.
        first = Session(config, fps=fps)
        self.config = first.config  # a loaded model file may have decided the kind
        self.kind_name = first.kind.name
        self.notices: queue.SimpleQueue[Notice] = queue.SimpleQueue()
        self._snapshot = first.snapshot
        self._fps = fps
        self._commands = _CONTEXT.Queue()
        self._receiver, sender = _CONTEXT.Pipe(duplex=False)
        self._process = _CONTEXT.Process(
            target=_train_in_child, args=(config, fps, self._commands, sender),
            name="nn-tui training", daemon=True,
        )
        self._process.start()
        sender.close()  # the child holds the only sending end now
        self._stopping = threading.Event()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def send(self, command: str, *args, **kwargs) -> None:
        check_command(self.kind_name, command)
        self._commands.put((command, args, kwargs))

    def run(self) -> None:
        """Receive snapshots until the child ends (run this on a thread of the app)."""
        while True:
            try:
                snapshot, notices = self._receiver.recv()
            except (EOFError, OSError):
                break
            self._snapshot = snapshot  # views and history froze their arrays again on arrival
            for notice in notices:
                self.notices.put(notice)
        if not self._stopping.is_set():
            self.notices.put(Notice("training stopped unexpectedly; the last picture stays on screen", "error"))

    def stop(self) -> None:
        self._stopping.set()
        try:
            self._commands.put(("stop_session", (), {}))
        except (OSError, ValueError):
            pass
        self._process.join(timeout=2)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(timeout=2)
        self._receiver.close()

"""A run shown on other tabs (`nn-tui serve`, the teacher presents): its snapshots, not its screen.

The teacher's app (the presenter) writes the snapshots its training process sends it to a
pipe the server gave it (`BROADCAST_FD_ENV`); the server hands each to every watching
tab's app (`WATCH_FD_ENV`), which draws it read-only at that tab's own size. Frames
on both pipes: one byte of kind, four bytes of length (big-endian), the payload:

- ``S``: a snapshot, as the training process pickled it ((snapshot, notices)); the
  presenter passes on the bytes it received, so presenting costs it no pickling;
- ``P``: the presenter asks to start (``1``) or stop (``0``) presenting.

Latest wins everywhere: a tab that cannot keep up skips snapshots, and nothing waits for it.
Both pipes are the server's, between processes of the same user; what comes down a
watcher's pipe is the presenter's own training process's pickle, as on its own pipe.
"""

from __future__ import annotations

import os
import pickle
import queue
import select
import threading

BROADCAST_FD_ENV = "NN_TUI_BROADCAST_FD"  # the presenter's app writes frames here
PRESENTING_ENV = "NN_TUI_PRESENTING"  # "1": the presenter's app presents from its start (serve --present)
WATCH_FD_ENV = "NN_TUI_WATCH_FD"  # a watching tab's app reads frames here
SNAPSHOT, PRESENT = b"S", b"P"
HEADER = 5


def frame(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


def snapshot_frame(snapshot) -> bytes:
    return frame(SNAPSHOT, pickle.dumps((snapshot, []), protocol=pickle.HIGHEST_PROTOCOL))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> tuple[bytes, bytes] | None:
    """(kind, payload), or None at the end of the pipe."""
    header = _read_exactly(fd, HEADER)
    if header is None:
        return None
    payload = _read_exactly(fd, int.from_bytes(header[1:], "big"))
    return None if payload is None else (header[:1], payload)


class Broadcaster:
    """The presenter's side: the latest snapshot goes to the server while presenting.
    A thread of its own writes, so a slow server never holds up the teacher's screen."""

    def __init__(self, fd: int, presenting: bool = False) -> None:
        self._fd = fd
        self.presenting = presenting
        self._latest: bytes | None = None
        self._requests: list[bytes] = [b"1"] if presenting else []
        self._wake = threading.Condition()
        self._closed = False
        threading.Thread(target=self._write, name="broadcast", daemon=True).start()

    def offer(self, pickled: bytes) -> None:
        """The snapshot just received, as pickled bytes; sent if presenting."""
        with self._wake:
            self._latest = pickled
            self._wake.notify()

    def offer_snapshot(self, snapshot) -> None:
        self.offer(pickle.dumps((snapshot, []), protocol=pickle.HIGHEST_PROTOCOL))

    def toggle(self) -> bool:
        """Start or stop presenting; returns whether it presents now."""
        with self._wake:
            self.presenting = not self.presenting
            self._requests.append(b"1" if self.presenting else b"0")
            self._wake.notify()
        return self.presenting

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._wake.notify()

    def _write(self) -> None:
        sent = None  # the snapshot last written: a start sends the latest again
        while True:
            with self._wake:
                while not self._closed and not self._requests and (
                        not self.presenting or self._latest is None or self._latest is sent):
                    self._wake.wait()
                if self._closed:
                    break
                requests, self._requests = self._requests, []
                latest = self._latest if self.presenting else None
            data = b"".join(frame(PRESENT, request) for request in requests)
            if requests:
                sent = None
            if latest is not None and latest is not sent:
                data += frame(SNAPSHOT, latest)
                sent = latest
            try:
                _write_all(self._fd, data)
            except OSError:  # the server is gone: nobody to present to
                break
        try:
            os.close(self._fd)
        except OSError:
            pass


class WatchSession:
    """Looks like a Session to the app, read-only: the presenter's snapshots, from the pipe.

    Frames are read as they come (the relay waits for nobody), but a snapshot (~380 KB pickled
    for a 2-D set) is unpickled only when the screen asks for it, at its paced frames (the
    class's pace: nn_tui/ui/class_pace.py), and only the newest: one that came and was
    replaced before a frame was drawn is never parsed."""

    watching = True

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self.notices: queue.SimpleQueue = queue.SimpleQueue()  # the teacher's notices stay the teacher's
        self.broadcast = None
        self._lock = threading.Lock()
        self._parsing = threading.Lock()
        self._payload: bytes | None = None  # the newest snapshot, as it came, until asked for
        self._snapshot = None
        self.frames_read = 0  # snapshots that came down the pipe ...
        self.frames_parsed = 0  # ... and those unpickled (a screen asked for them)
        self._stopping = threading.Event()
        while self._payload is None:  # the server starts a watcher once it has a snapshot to show
            if not self._receive():
                raise EOFError("the presenter's run ended before its first snapshot")
        self.snapshot  # noqa: B018 - the first frame's snapshot: a bad one fails here, at start

    def _receive(self) -> bool:
        try:
            # A look every half second: stop() ends the wait (closing the pipe would not wake a read).
            while not select.select([self._fd], [], [], 0.5)[0]:
                if self._stopping.is_set():
                    return False
            got = read_frame(self._fd)
        except OSError:
            return False
        if got is None:
            return False
        kind, payload = got
        if kind == SNAPSHOT:
            with self._lock:
                self._payload = payload
                self.frames_read += 1
        return True

    @property
    def snapshot(self):
        """The newest snapshot, unpickled now if it came since the last look."""
        with self._parsing:  # one look at a time: an older parse never replaces a newer one
            with self._lock:  # (the reader holds only this one, for a moment)
                payload, self._payload = self._payload, None
            if payload is not None:
                self._snapshot = pickle.loads(payload)[0]
                self.frames_parsed += 1
            return self._snapshot

    @property
    def kind_name(self) -> str:
        return self.snapshot.kind

    def send(self, command: str, *args, **kwargs) -> None:
        pass  # read-only: a watching tab's keys never reach it (the server keeps them); its
        # snapshots come at the teacher's pace, which its app sets by the same class file

    def run(self) -> None:
        while self._receive():
            pass
        try:
            os.close(self._fd)
        except OSError:
            pass

    def stop(self) -> None:
        self._stopping.set()  # run() ends within half a second and closes the pipe

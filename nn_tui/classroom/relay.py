"""The server's ends of the presenting pipes (the frames: nn_tui/broadcast.py).

`TeacherPipe`: what a teacher's tab's app writes (its snapshots while it presents, and
its asks to start or stop). `WatcherPipe`: one watching tab's app reads the teacher's
latest snapshot from it. A watcher that is slow to read gets the newest snapshot when it
is ready, never a queue of old ones, and never holds up the teacher or the server.
"""

from __future__ import annotations

import asyncio
import os

from nn_tui.broadcast import HEADER

# A watching tab gets at most this many of the teacher's snapshots a second: each is drawn by
# its own app, and a class of them shares the machine with the teacher (see README, serve).
WATCH_SNAPSHOTS_PER_SECOND = 5


class TeacherPipe:
    def __init__(self) -> None:
        self._read_fd, self.child_fd = os.pipe()  # the child's end goes to the app (pass_fds)

    def child_started(self) -> None:
        """The app holds its end now: the server's copy goes, so the pipe ends when the app does."""
        _close(self.child_fd)
        self.child_fd = -1

    async def listen(self, on_frame) -> None:
        """``on_frame(kind, payload)`` for every frame the app writes; returns when it ends."""
        loop = asyncio.get_running_loop()
        reader = _FrameReader(on_frame, loop.create_future())
        transport, _ = await loop.connect_read_pipe(lambda: reader, os.fdopen(self._read_fd, "rb", buffering=0))
        try:
            await reader.ended
        finally:
            transport.close()


class _FrameReader(asyncio.Protocol):
    def __init__(self, on_frame, ended: asyncio.Future) -> None:
        self.on_frame, self.ended = on_frame, ended
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= HEADER:
            size = int.from_bytes(self.buffer[1:HEADER], "big")
            if len(self.buffer) < HEADER + size:
                break
            kind, payload = bytes(self.buffer[:1]), bytes(self.buffer[HEADER:HEADER + size])
            del self.buffer[:HEADER + size]
            self.on_frame(kind, payload)

    def eof_received(self):
        return None  # the transport closes itself

    def connection_lost(self, exc) -> None:
        if not self.ended.done():
            self.ended.set_result(None)


class _Sink(asyncio.Protocol):
    def __init__(self) -> None:
        self.ready = asyncio.Event()
        self.ready.set()
        self.lost = False

    def pause_writing(self) -> None:
        self.ready.clear()

    def resume_writing(self) -> None:
        self.ready.set()

    def connection_lost(self, exc) -> None:
        self.lost = True
        self.ready.set()


class WatcherPipe:
    def __init__(self) -> None:
        self.child_fd, self._write_fd = os.pipe()
        self._latest: bytes | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._transport = None
        self._file = None

    def child_started(self) -> None:
        _close(self.child_fd)
        self.child_fd = -1

    def offer(self, frame: bytes) -> None:
        """The teacher's newest snapshot (a whole frame); replaces one not sent yet."""
        self._latest = frame
        self._wake.set()
        if self._task is None:
            self._task = asyncio.create_task(self._send())

    async def _send(self) -> None:
        loop = asyncio.get_running_loop()
        sink = _Sink()
        self._file = os.fdopen(self._write_fd, "wb", 0)
        try:
            self._transport, _ = await loop.connect_write_pipe(lambda: sink, self._file)
        except OSError:
            return
        self._transport.set_write_buffer_limits(high=0)  # one frame on its way at a time: latest wins
        while not sink.lost:
            await self._wake.wait()
            self._wake.clear()
            await sink.ready.wait()
            if sink.lost:
                break
            frame, self._latest = self._latest, None
            if frame is not None:
                self._transport.write(frame)
                await asyncio.sleep(1 / WATCH_SNAPSHOTS_PER_SECOND)  # what came meanwhile: the newest only

    def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self._transport is not None:
            self._transport.close()
        elif self._file is not None:
            self._file.close()
        else:
            _close(self._write_fd)
        _close(self.child_fd)
        self.child_fd = -1


def _close(fd: int) -> None:
    if fd < 0:
        return
    try:
        os.close(fd)
    except OSError:
        pass

"""A watching tab (nn-tui serve, the teacher presents) draws the teacher's run from the
snapshots it is sent, at its own size, read-only; the teacher's app sends them only while
presenting (nn_tui/broadcast.py). The server between them: tests/test_serve_classroom.py."""

import os
import threading

from nn_tui import broadcast
from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.ui.app import NNTuiApp
from nn_tui.ui.watch_screen import WATCH_LINE
from tests.app.pilot_helpers import status, wait_for
from tests.app.screen_text import screen_lines


def teacher_session():
    return Session(RunConfig.of(dataset="xor", layers=(4,)))


async def test_a_watching_tab_draws_the_teachers_run_at_its_own_size_and_ignores_keys():
    teacher = teacher_session()
    into_server, from_teacher = os.pipe()[::-1]  # (write end, read end)
    broadcaster = broadcast.Broadcaster(into_server, presenting=True)
    broadcaster.offer_snapshot(teacher.snapshot)
    teacher.publish_hook = broadcaster.offer_snapshot  # as the teacher's app passes on its snapshots
    watcher = broadcast.WatchSession(from_teacher)  # here the tab reads the teacher's pipe itself
    trainer = threading.Thread(target=teacher.run, daemon=True)
    app = NNTuiApp(watcher, fps=20, watching=True)
    try:
        async with app.run_test(size=(90, 28)) as pilot:
            await pilot.pause()
            lines = screen_lines(app)
            assert len(lines) == 28 and {len(line) for line in lines} == {90}  # its own size
            assert WATCH_LINE in lines[-1]
            assert "epoch 0" in status(app)
            assert app.screen.controls == ()  # no key of its own: no footer promising one
            trainer.start()
            for _ in range(3):
                teacher.send("step")
            await wait_for(pilot, lambda: "epoch 3" in status(app), 60)
            for key in ("space", "r", "q", "s"):  # read-only: nothing happens, the app stays
                await pilot.press(key)
            await pilot.pause(0.2)
            assert app.is_running and "epoch 3" in status(app) and teacher.snapshot.epoch == 3
            await pilot.resize_terminal(130, 42)
            await pilot.pause(0.2)
            lines = screen_lines(app)
            assert len(lines) == 42 and {len(line) for line in lines} == {130}
            assert WATCH_LINE in lines[-1] and "epoch 3" in status(app)
    finally:
        teacher.stop()
        broadcaster.close()


def test_the_teachers_app_sends_snapshots_only_while_presenting():
    teacher = teacher_session()
    into_server, from_teacher = os.pipe()[::-1]
    broadcaster = broadcast.Broadcaster(into_server, presenting=False)
    try:
        broadcaster.offer_snapshot(teacher.snapshot)
        os.set_blocking(from_teacher, False)
        threading.Event().wait(0.3)  # (a negative check: given time, nothing is written)
        assert _pending(from_teacher) == b""
        assert broadcaster.toggle() is True  # the key: presenting, and the latest snapshot at once
        os.set_blocking(from_teacher, True)
        assert broadcast.read_frame(from_teacher) == (broadcast.PRESENT, b"1")
        kind, payload = broadcast.read_frame(from_teacher)
        assert kind == broadcast.SNAPSHOT
        assert broadcaster.toggle() is False
        assert broadcast.read_frame(from_teacher) == (broadcast.PRESENT, b"0")
    finally:
        broadcaster.close()


def _pending(fd) -> bytes:
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return b""


async def test_the_teachers_tab_has_S_to_present_and_says_what_it_does():
    teacher = teacher_session()
    into_server, from_teacher = os.pipe()[::-1]
    teacher.broadcast = broadcast.Broadcaster(into_server)  # as a served teacher's tab has it (no snapshots
    # offered here: the Session is not a SessionProcess)
    app = NNTuiApp(teacher, fps=20)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            rows = [control for control in app.playground.controls if control.key == "S"]
            assert [row.label for row in rows] == ["Present to the class (on/off)"]
            assert "S Present to the class" in screen_lines(app)[-1]  # the footer
            await pilot.press("S")
            assert broadcast.read_frame(from_teacher) == (broadcast.PRESENT, b"1")
            await wait_for(pilot, lambda: any("Presenting: every other tab shows this run" in notice.message
                                              for notice in app._notifications))
            await pilot.press("S")
            assert broadcast.read_frame(from_teacher) == (broadcast.PRESENT, b"0")
            assert teacher.broadcast.presenting is False
    finally:
        teacher.broadcast.close()


async def test_only_a_teachers_tab_has_the_key():
    app = NNTuiApp(teacher_session(), fps=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not [control for control in app.playground.controls if control.key == "S"]


def test_a_watcher_parses_only_the_newest_snapshot_when_it_looks():
    """~380 KB a snapshot for a 2-D set: one that came and was replaced before the screen's
    next (paced) frame is read off the pipe but never unpickled."""
    import time

    teacher = teacher_session()
    into_watcher, from_teacher = os.pipe()[::-1]
    frames = []
    for _ in range(4):
        frames.append(broadcast.snapshot_frame(teacher.snapshot))
        teacher.send("step")
        teacher.apply_commands()
    # (a snapshot is more than a pipe holds: a thread of its own writes, as the server's relay)
    first = threading.Thread(target=broadcast._write_all, args=(into_watcher, frames[0]), daemon=True)
    first.start()
    watcher = broadcast.WatchSession(from_teacher)
    assert watcher.snapshot.epoch == 0 and watcher.frames_parsed == 1
    first.join(60)
    reader = threading.Thread(target=watcher.run, daemon=True)
    reader.start()
    try:
        for data in frames[1:]:  # three more before the screen looks again
            broadcast._write_all(into_watcher, data)
        deadline = time.monotonic() + 60
        while watcher.frames_read < 4:  # all of them read off the pipe (the writer waits for nobody)
            assert time.monotonic() < deadline, f"{watcher.frames_read} frames read"
            time.sleep(0.01)
        assert watcher.frames_parsed == 1  # nothing parsed until a frame is drawn
        assert watcher.snapshot.epoch == 3 and watcher.kind_name == "mlp"
        assert watcher.frames_parsed == 2  # the newest only, once
    finally:
        watcher.stop()
        os.close(into_watcher)
        reader.join(60)

"""`nn-tui serve`: the teacher presents (over the websocket, without a browser). The
teacher's tab (its own link) drives; every other tab runs an app of its own that draws the
teacher's run at that tab's size, read-only, until c takes a copy; S in the teacher's tab
starts and stops presenting; a reopened tab is offered to watch, resume or start anew.
The watching app's screen itself: tests/app/test_watch_screen.py."""

import asyncio
import re
import urllib.parse
from pathlib import Path

import pytest

from test_serve import Server, tab_processes, training_processes, wait_until
from test_serve_classroom import OTHER_TAB, TAB, open_tab, run, train_until_saved

aiohttp = pytest.importorskip("aiohttp")  # comes with textual-serve (the test extra)

THIRD_TAB = "CCCCCCCCCCCCCCCC"
WATCH_LINE = b"watching the teacher's run, read-only"


def teacher_link(server):
    line = next(line for line in server.banner if line.startswith("Teacher: open "))
    url = line.split("open ", 1)[1].split(" on your own screen")[0]
    return url, urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["present"][0]


def _environ(pid) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def _cmdline(pid) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def watching_apps(server):
    return {pid for pid in tab_processes(server.process.pid) if b"NN_TUI_WATCH_FD=" in _environ(pid)}


class Terminal:
    """What a tab's terminal is sent, read as it comes (as a browser does: a tab nobody
    reads holds up its app's output, and the test with it)."""

    def __init__(self, ws):
        self.ws, self.seen = ws, b""
        self._reader = asyncio.create_task(self._read())

    async def _read(self):
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.seen += message.data

    async def until(self, predicate, since=0, seconds=180):
        """All that came since ``since`` once ``predicate`` holds of it (else the test fails)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate(self.seen[since:]):
            assert loop.time() < deadline, f"not seen in {seconds} s: {self.seen[since:][-400:]!r}"
            await asyncio.sleep(0.1)
        return self.seen[since:]

    async def close(self):
        await self.ws.close()
        self._reader.cancel()


async def until(predicate, seconds=180):
    return await asyncio.to_thread(wait_until, predicate, seconds)


def epochs_drawn(screen: bytes) -> set[int]:
    return {int(epoch.replace(b",", b"")) for epoch in re.findall(rb"epoch ([\d,]+)", screen)}


def rows_drawn(screen: bytes) -> set[int]:
    """The rows Textual moved its cursor to (ESC [ row ; column H)."""
    return {int(row) for row in re.findall(rb"\x1b\[(\d+);\d+H", screen)}


def test_present_the_teacher_drives_each_watcher_draws_at_its_own_size_and_c_takes_a_copy():
    # spiral: snapshots of ~380 KB each, bigger than a pipe holds (xor's are small)
    server = Server("--present", "--dataset", "spiral", "--layers", "8,8")
    url, key = teacher_link(server)
    assert "it presents from the start" in next(line for line in server.banner if line.startswith("Teacher"))
    slots = server.state / "nn-tui" / "serve"

    async def scenario():
        async with aiohttp.ClientSession() as http:
            async with http.get(url, allow_redirects=False) as page:  # keeps the key on the way to a tab
                assert page.status == 302 and f"present={key}" in page.headers["Location"]
            async with http.get(server.url + page.headers["Location"]) as page:
                assert re.search(rf"/ws/[A-Za-z0-9_-]{{16}}/drive\.{key}", await page.text())
            async with http.get(f"{server.url}/?tab={THIRD_TAB}") as page:  # a student's page: it watches
                assert f"/ws/{THIRD_TAB}/watch" in await page.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws/{OTHER_TAB}/drive.not-the-key")
            assert refused.value.status == 403

            teacher_ws = await open_tab(http, server, f"/ws/{TAB}/drive.{key}")  # 100×30
            teacher = Terminal(teacher_ws)
            teacher_processes = tab_processes(server.process.pid)
            await teacher_ws.send_json(["stdin", " "])  # training: the students join a run in motion

            student, neighbour = [Terminal(await http.ws_connect(
                f"ws://127.0.0.1:{server.port}/ws/{tab}/watch?width={width}&height={height}"))
                for tab, width, height in ((OTHER_TAB, 90, 28), (THIRD_TAB, 130, 44))]
            for watcher, height in ((student, 28), (neighbour, 44)):
                screen = await watcher.until(lambda seen: WATCH_LINE in seen and b"epoch" in seen)
                assert max(rows_drawn(screen)) == height  # its own size, not the teacher's 30 rows
            for watcher in (student, neighbour):  # live: the teacher trains, each watcher follows
                await watcher.until(lambda seen: len(epochs_drawn(seen)) >= 3)
            assert await until(lambda: (slots / f"{TAB}.npz").exists())  # (the copy below needs it)
            await neighbour.close()
            assert await until(lambda: len(watching_apps(server)) == 1)
            assert len(training_processes(server.process.pid)) == 1  # the teacher's only

            since = len(student.seen)
            await student.ws.send_json(["resize", {"width": 120, "height": 40}])  # drawn again, at the new size
            screen = await student.until(lambda seen: 40 in rows_drawn(seen), since)
            assert max(rows_drawn(screen)) == 40

            for key_pressed in (" ", "q", "s", "S"):  # read-only: nothing of the student's starts or ends
                await student.ws.send_json(["stdin", key_pressed])
            await asyncio.sleep(2)  # (a negative check: given time, nothing happens)
            assert len(watching_apps(server)) == 1 and len(training_processes(server.process.pid)) == 1
            assert not teacher.ws.closed and not student.ws.closed

            await student.ws.send_json(["stdin", "c"])  # a copy of the teacher's run, in a run of its own
            assert await until(lambda: len(training_processes(server.process.pid)) == 2)
            own = tab_processes(server.process.pid) - teacher_processes
            assert any(b"--resume" in _cmdline(pid) for pid in own), [_cmdline(pid) for pid in own]
            assert (slots / f"{OTHER_TAB}.npz").exists()
            assert await until(lambda: not watching_apps(server))
            await student.close()
            await teacher.close()
        assert await until(lambda: not tab_processes(server.process.pid))

    run(server, scenario)


def test_S_in_the_teachers_tab_starts_and_stops_presenting():
    server = Server("--host", "0.0.0.0", "--dataset", "xor")  # beyond loopback: a teacher's link, no --present
    url, key = teacher_link(server)
    assert "S there presents its run" in next(line for line in server.banner if line.startswith("Teacher"))
    token = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["token"][0]
    slots = server.state / "nn-tui" / "serve"

    async def scenario():
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(url):
                pass  # the token's cookie
            teacher = Terminal(await open_tab(http, server, f"/ws/{TAB}/drive.{key}"))
            student_ws = await open_tab(http, server, f"/ws/{OTHER_TAB}/new")
            student = Terminal(student_ws)
            await train_until_saved(student_ws, slots / f"{OTHER_TAB}.npz")  # a run of its own, training
            assert len(training_processes(server.process.pid)) == 2 and not watching_apps(server)

            await teacher.ws.send_json(["stdin", "S"])  # present: the student's run is saved and ended
            await student.until(lambda seen: WATCH_LINE in seen)
            assert len(watching_apps(server)) == 1
            assert await until(lambda: len(training_processes(server.process.pid)) == 1)
            await teacher.until(lambda seen: b"Presenting:" in seen)  # its notice (wrapped: its start only)

            await teacher.ws.send_json(["stdin", "S"])  # stop: the student is back on its own run
            assert await until(lambda: not watching_apps(server))
            assert await until(lambda: len(training_processes(server.process.pid)) == 2)
            resumed = [pid for pid in tab_processes(server.process.pid)
                       if b"--resume" in _cmdline(pid) and b"spawn_main" not in _cmdline(pid)]
            assert len(resumed) == 1  # the student's own run, where it was
            await teacher.until(lambda seen: b"Stopped presenting:" in seen)
            await student.close()
            await teacher.close()
        assert await until(lambda: not tab_processes(server.process.pid))

    run(server, scenario)


def test_a_reopened_tab_is_offered_to_watch_resume_or_start_anew_and_each_does_that():
    server = Server("--present", "--dataset", "xor")
    slot = server.state / "nn-tui" / "serve" / f"{TAB}.npz"

    async def scenario():
        async with aiohttp.ClientSession() as http:
            first = await open_tab(http, server, f"/ws/{TAB}/new")  # a run of its own (it chose "new")
            assert not watching_apps(server)
            await train_until_saved(first, slot)
            await first.close()
            assert await until(lambda: not tab_processes(server.process.pid))

            async with http.get(f"{server.url}/?tab={TAB}") as page:
                offer = await page.text()
            assert "Watch the teacher's run" in offer and "Resume it" in offer and "Start a new run" in offer
            for start in ("watch", "resume", "new"):
                assert f"/?tab={TAB}&amp;start={start}" in offer

            # "Start a new run": a new run of its own, not the teacher's
            new = await open_tab(http, server, f"/ws/{TAB}/new")
            apps = tab_processes(server.process.pid) - training_processes(server.process.pid)
            assert not watching_apps(server) and not any(b"--resume" in _cmdline(pid) for pid in apps)
            await new.close()
            assert await until(lambda: not tab_processes(server.process.pid))
            # "Watch the teacher's run" (nobody presents yet): it waits, with no run of its own
            watcher = Terminal(await http.ws_connect(
                f"ws://127.0.0.1:{server.port}/ws/{TAB}/watch?width=90&height=28"))
            said = await watcher.until(lambda seen: b"Waiting for the teacher's run" in seen)
            assert b"c: start a run of your own instead" in said
            await asyncio.sleep(1)  # (a negative check: given time, nothing starts)
            assert not tab_processes(server.process.pid)
            await watcher.close()

    run(server, scenario)

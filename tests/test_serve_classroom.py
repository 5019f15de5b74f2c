"""`nn-tui serve` for a class: the token, the cap on tabs, each tab's own autosave slot
offered back, the idle tab saved and ended, training at a lower priority (over the
websocket, without a browser; tests/test_serve_browser.py has the downloads,
tests/test_serve_present.py the teacher presenting)."""

import asyncio
import os
import urllib.parse
from pathlib import Path

import pytest

from test_serve import Server, descendants, tab_processes, training_processes, wait_until

aiohttp = pytest.importorskip("aiohttp")  # comes with textual-serve (the test extra)

TAB = "AAAAAAAAAAAAAAAA"  # a tab id as the server makes them (16 URL-safe characters)
OTHER_TAB = "BBBBBBBBBBBBBBBB"


def token_of(server):
    url = server.banner[0].split("open ", 1)[1].split(" in a browser")[0]
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["token"][0]


async def open_tab(http, server, path="/ws", **kwargs):
    """A tab drawn and training-ready: its first frame came and its training process is up."""
    before = training_processes(server.process.pid)
    ws = await http.ws_connect(f"ws://127.0.0.1:{server.port}{path}?width=100&height=30", **kwargs)
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    assert await ws.receive_bytes(timeout=180)
    assert await asyncio.to_thread(
        wait_until, lambda: training_processes(server.process.pid) - before, 120)
    return ws


def run(server, scenario):
    try:
        asyncio.run(scenario())
    finally:
        server.stop()


# ------------------------------------------------------------------ who gets in
def test_beyond_loopback_a_token_is_made_and_needed():
    server = Server("--host", "0.0.0.0", "--dataset", "xor")
    token = token_of(server)
    assert len(token) >= 16 and f"/?token={token}" in server.banner[0]
    assert "with its token" in server.banner[1]

    async def scenario():
        # unsafe: keep cookies from an IP address, as browsers do
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(server.url + "/") as page:
                assert page.status == 403 and "token" in await page.text()
            async with http.get(server.url + "/?token=wrong-token-x") as page:
                assert page.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws")
            assert refused.value.status == 403
            async with http.get(server.url + "/download/anything") as download:
                assert download.status == 403
            # The link with the token: a page, which sets the cookie its websocket then carries.
            async with http.get(f"{server.url}/?token={token}") as page:
                assert page.status == 200 and "data-session-websocket-url" in await page.text()
            ws = await open_tab(http, server)
            await ws.close()
            # The Origin check stays, token or not.
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws?token={token}",
                                      headers={"Origin": "http://evil.example"})
            assert refused.value.status == 403
        assert await asyncio.to_thread(wait_until, lambda: not tab_processes(server.process.pid), 120)

    run(server, scenario)


def test_a_chosen_token_is_needed_on_loopback_too():
    server = Server("--token", "class-of-2026", "--dataset", "xor")
    assert f"{server.url}/?token=class-of-2026 in a browser" in server.banner[0]

    async def scenario():
        async with aiohttp.ClientSession() as http:
            async with http.get(server.url + "/") as page:
                assert page.status == 403
            async with http.get(server.url + "/?token=class-of-2026") as page:
                assert page.status == 200

    run(server, scenario)


@pytest.mark.parametrize("args, message", [
    (["--token", "short"], "--token must be 8-128"),
    (["--max-tabs", "0"], "--max-tabs must be 1 or more"),
    (["--idle-minutes", "0"], "--idle-minutes must be a positive number"),
    (["--resume"], "--resume is not for it"),
])
def test_bad_classroom_options_are_one_line(args, message):
    from test_serve import run_serve

    result = run_serve(*args)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


# ------------------------------------------------------------------ how many
def test_the_tab_over_the_cap_is_told_the_class_is_full():
    server = Server("--max-tabs", "1", "--dataset", "xor")
    assert "At most 1 tabs at once (--max-tabs)" in server.banner[2]

    async def scenario():
        async with aiohttp.ClientSession() as http:
            first = await open_tab(http, server)
            async with http.get(f"{server.url}/?tab={TAB}") as page:
                assert page.status == 503
                assert "The class is full" in await page.text() and "1 of 1 tabs are in" in await page.text()
            # A websocket anyway (a page loaded just before the last seat went): told, and closed.
            second = await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws")
            said = await second.receive_bytes(timeout=180)
            assert b"The class is full: 1 of 1 tabs are in" in said
            assert (await second.receive(timeout=180)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            await first.close()
            for _ in range(400):  # the seat is free once the first tab's processes are gone
                async with http.get(f"{server.url}/?tab={TAB}") as page:
                    if page.status == 200:
                        break
                await asyncio.sleep(0.3)
            assert page.status == 200
            third = await open_tab(http, server)
            await third.close()
        assert server.process.poll() is None

    run(server, scenario)


def test_the_default_cap_comes_from_cores_and_memory():
    from nn_tui.classroom.capacity import default_max_tabs

    tabs, why = default_max_tabs()
    assert tabs >= 1 and "cores" in why
    server = Server("--dataset", "xor")
    try:
        assert f"At most {tabs} tabs at once ({why.split(' and ')[0]}" in server.banner[2]
    finally:
        server.stop()


# ------------------------------------------------------------------ each tab its own slot
async def train_until_saved(ws, slot):
    await ws.send_json(["stdin", " "])  # Space: train
    assert await asyncio.to_thread(wait_until, slot.exists, 120), "the tab never autosaved to its slot"


def test_each_tab_autosaves_to_its_own_slot_and_a_reopened_tab_is_offered_it():
    server = Server("--dataset", "xor")
    slots = server.state / "nn-tui" / "serve"

    async def scenario():
        async with aiohttp.ClientSession() as http:
            first = await open_tab(http, server, f"/ws/{TAB}/new")
            second = await open_tab(http, server, f"/ws/{OTHER_TAB}/new")
            await train_until_saved(first, slots / f"{TAB}.npz")
            await train_until_saved(second, slots / f"{OTHER_TAB}.npz")
            await first.close()
            await second.close()
            assert await asyncio.to_thread(wait_until, lambda: not tab_processes(server.process.pid), 120)
        assert sorted(path.name for path in server.slots()) == [f"{TAB}.npz", f"{OTHER_TAB}.npz"]
        assert not (server.state / "nn-tui" / "autosave.npz").exists()  # the terminal app's slot untouched

        # The same browser (its cookie) comes back: sent to its tab, offered its run.
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            async with http.get(server.url + "/", allow_redirects=False,
                                headers={"Cookie": f"nn_tui_tabs={TAB}.{OTHER_TAB}"}) as page:
                assert page.status == 302 and page.headers["Location"] == f"/?tab={TAB}"
            async with http.get(f"{server.url}/?tab={TAB}") as page:
                offer = await page.text()
            assert "Your run is saved" in offer and "xor to epoch" in offer
            assert f"/?tab={TAB}&amp;start=resume" in offer and f"/?tab={TAB}&amp;start=new" in offer
            async with http.get(f"{server.url}/?tab={TAB}&start=resume") as page:
                assert f"/ws/{TAB}/resume" in await page.text()
            resumed = await open_tab(http, server, f"/ws/{TAB}/resume")
            apps = [pid for pid in tab_processes(server.process.pid) if b"--resume" in _cmdline(pid)]
            assert apps, "the reopened tab's app did not resume its run"
            # A second page on the same tab id gets a slot of its own, never the open one's.
            async with http.get(f"{server.url}/?tab={TAB}", allow_redirects=False) as page:
                assert page.status == 302 and TAB not in page.headers["Location"]
            await resumed.close()

    run(server, scenario)


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_tab_id_is_never_a_path():
    from nn_tui.classroom.slots import browser_tabs, slot_path, valid_tab_id

    for bad in ("../../etc/passwd", "a" * 15, "a" * 17, "AAAAAAAA/AAAAAAA", "", None):
        assert not valid_tab_id(bad)
    with pytest.raises(ValueError):
        slot_path("../../../tmp/x")
    assert browser_tabs(f"../x.{TAB}.{'C' * 16}") == [TAB, "C" * 16]


# ------------------------------------------------------------------ idle
def test_an_idle_tab_is_saved_ended_and_woken_by_a_key():
    server = Server("--idle-minutes", "0.1", "--dataset", "xor")  # 6 s
    slot = server.state / "nn-tui" / "serve" / f"{TAB}.npz"

    async def scenario():
        async with aiohttp.ClientSession() as http:
            ws = await open_tab(http, server, f"/ws/{TAB}/new")
            await ws.send_json(["stdin", " "])  # training: the only key for a while
            said = b""
            while b"was idle" not in said:
                said += await ws.receive_bytes(timeout=180)
            assert b"paused and saved" in said and b"Press any key" in said
            assert slot.exists()
            assert await asyncio.to_thread(wait_until, lambda: not tab_processes(server.process.pid), 120)
            await ws.send_json(["stdin", "x"])  # a key wakes it: its run, resumed
            assert await asyncio.to_thread(wait_until, lambda: training_processes(server.process.pid), 120)
            assert any(b"--resume" in _cmdline(pid) for pid in tab_processes(server.process.pid))
            await ws.close()

    run(server, scenario)


# ------------------------------------------------------------------ fair on one machine
def test_three_training_tabs_train_below_the_ui_and_leave_nothing_behind():
    server = Server("--dataset", "xor")

    async def scenario():
        async with aiohttp.ClientSession() as http:
            tabs = [await open_tab(http, server, f"/ws/{letter * 16}/new") for letter in "DEF"]
            for ws in tabs:
                await ws.send_json(["stdin", " "])
            trainers = training_processes(server.process.pid)
            apps = tab_processes(server.process.pid) - trainers - _helpers(server.process.pid)
            assert len(trainers) == 3 and len(apps) == 3
            # (A training process lowers itself once its spawned Python has started.)
            assert await asyncio.to_thread(wait_until, lambda: {_nice(pid) for pid in trainers} == {19}, 120)
            assert {_nice(pid) for pid in apps} | {_nice(server.process.pid)} == {_nice(os.getpid())}
            # Each in a session of its own, apart from its app's: Linux weighs sessions before
            # nice values (autogroups), so beside its app it would take its tab's whole share.
            assert {_session(pid) for pid in trainers} == trainers
            assert not trainers & {_session(pid) for pid in apps}
            if _autogroups_on():
                assert {_autogroup_nice(pid) for pid in trainers} == {19}
                assert {_autogroup_nice(pid) for pid in apps} == {_autogroup_nice(os.getpid())}
            # The apps pace their frames by the class's size, which the server keeps in a file.
            class_file = server.state / "nn-tui" / "serve" / f"class-{server.process.pid}"
            assert class_file.read_text() == "3\n"
            assert all(_environ(pid).get("NN_TUI_SERVE_CLASS") == str(class_file) for pid in apps)
            everything = tab_processes(server.process.pid)
            for ws in tabs:
                await ws.close()
            assert await asyncio.to_thread(wait_until, lambda: not (everything & tab_processes(server.process.pid)),
                                           120), "a tab's process outlived it"
            assert await asyncio.to_thread(wait_until, lambda: class_file.read_text() == "0\n", 120)

    run(server, scenario)


def _helpers(server_pid):
    """multiprocessing's resource trackers (one per app), neither app nor training."""
    return {pid for pid in descendants(server_pid) if b"resource_tracker" in _cmdline(pid)}


def _nice(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def _environ(pid):
    pairs = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(pair.decode(errors="replace").split("=", 1) for pair in pairs if b"=" in pair)


def _session(pid):
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[3])


def _autogroups_on():
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


def _autogroup_nice(pid):
    """The nice value of the process's autogroup. A session never started since boot is in the
    kernel's default group, whose file is empty (its nice is 0 and cannot change)."""
    fields = Path(f"/proc/{pid}/autogroup").read_text().split()  # "/autogroup-12 nice 19"
    return int(fields[-1]) if fields else 0

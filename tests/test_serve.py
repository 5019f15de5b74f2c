"""`nn-tui serve`: options, where it listens, and one app process group per
browser connection that ends when the connection does (without a browser;
tests/test_serve_browser.py drives a real one)."""

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_serve(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", "serve", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


@pytest.mark.parametrize("args, message", [
    (["--port", "0"], "--port must be 1-65535"),
    (["--port", "x"], "invalid int value"),
    (["--layers", "999"], "at most"),
    (["--dataset", "nope"], "unknown data set"),
    (["--bogus"], "unrecognized arguments: --bogus"),
    (["train"], "'train' is a command of its own"),
])
def test_bad_options_are_one_line_with_status_2(args, message):
    result = run_serve(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stdout == ""


class Server:
    """`nn-tui serve` in its own process group, ended with everything it started."""

    def __init__(self, *args, cwd=ROOT, env=None):
        # Its own state directory: the tabs' autosave slots, never the user's.
        self.state = Path(tempfile.mkdtemp(prefix="nn-tui-serve-state-"))
        # This tree's nn_tui, whatever the working directory.
        path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "XDG_STATE_HOME": str(self.state), "PYTHONPATH": path, **(env or {})}
        # The free port can be taken before the server binds it (the other pytest worker's
        # connections, anything on the machine): then it says so, and another port is tried.
        for _ in range(5):
            self.port = free_port()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "nn_tui", "serve", "--port", str(self.port), *args],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=cwd, start_new_session=True,
                env=env)
            self.banner = [self.process.stdout.readline()]
            while self.banner[-1] and not self.banner[-1].startswith("At most"):  # the banner's last line
                self.banner.append(self.process.stdout.readline())
            if self.banner[-1] or "Address already in use" not in "".join(self.banner):
                break
            self.process.wait(60)
            self.process.stdout.close()
        assert self.banner[-1] and self.process.poll() is None, "".join(self.banner) + self.process.stdout.read()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        """SIGTERM (as Ctrl+C would), then make sure nothing is left."""
        tabs = tab_processes(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                pass
        for pid in [self.process.pid, *tabs]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self.process.wait(10)
        self.process.stdout.close()
        shutil.rmtree(self.state, ignore_errors=True)

    def slots(self):
        """The tabs' autosave slots written so far."""
        return sorted((self.state / "nn-tui" / "serve").glob("*.npz"))


def _processes():
    """pid -> (parent pid, state) for every live process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z":
                table[int(entry)] = int(fields[1])
    return table


def descendants(pid):
    table = _processes()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in table.items() if parent in frontier} - found
        found |= frontier
    return found


def tab_processes(server_pid):
    """Every process below the server: the tabs' apps and their training processes."""
    return descendants(server_pid)


def wait_until(predicate, timeout, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def listening_addresses(port):
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_listens_on_127_0_0_1_only_and_says_so():
    server = Server("--dataset", "xor")
    try:
        assert server.banner[0].startswith(f"nn-tui serve: open {server.url} in a browser")
        assert "each tab runs its own `nn-tui --dataset xor`" in server.banner[0]
        assert "local to this machine" in server.banner[1]
        assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, little-endian hex
        import urllib.request

        page = urllib.request.urlopen(server.url, timeout=60).read().decode()
        # The page's websocket names this tab's own slot (a new run: the tab has none saved).
        assert re.search(rf'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws/[A-Za-z0-9_-]{{16}}/new"', page)
        assert "googleapis" not in page and "/static/fonts/RobotoMono" in page  # nothing fetched from elsewhere
        font = urllib.request.urlopen(server.url + "/static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=60)
        assert len(font.read()) > 10_000
    finally:
        server.stop()


def test_host_option_binds_elsewhere_and_warns():
    server = Server("--host", "0.0.0.0")
    try:
        assert "reachable from other machines" in server.banner[1]
        assert listening_addresses(server.port) == {"00000000"}
    finally:
        server.stop()


def training_processes(server_pid):
    """The tabs' training processes (multiprocessing's spawned children)."""
    found = set()
    for pid in descendants(server_pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as file:
                if b"spawn_main" in file.read():
                    found.add(pid)
        except OSError:
            pass
    return found


async def _connect(http, server):
    training = len(training_processes(server.process.pid))
    ws = await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws?width=100&height=30")
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    received = await ws.receive_bytes(timeout=180)  # the app has drawn its first frame
    assert received
    # The app starts its training process once that frame is shown: all of the tab is up.
    assert await asyncio.to_thread(
        wait_until, lambda: len(training_processes(server.process.pid)) > training, 120)
    return ws


def test_each_connection_gets_its_own_app_which_ends_with_it():
    aiohttp = pytest.importorskip("aiohttp")  # comes with textual-serve (the test extra)
    server = Server("--dataset", "xor")

    async def scenario():
        async with aiohttp.ClientSession() as http:
            first = await _connect(http, server)
            first_tab = tab_processes(server.process.pid)
            second = await _connect(http, server)
            both = tab_processes(server.process.pid)
            second_tab = both - first_tab
            # An app and its training process, for each connection.
            assert len(first_tab) >= 2 and len(second_tab) >= 2
            trainers = training_processes(server.process.pid)
            assert len({os.getpgid(pid) for pid in (first_tab | second_tab) - trainers}) == 2
            # A training process leaves for a session (and group) of its own (see session_process).
            assert await asyncio.to_thread(wait_until, lambda: all(os.getpgid(pid) == pid for pid in trainers), 120)
            await first.close()
            assert await asyncio.to_thread(wait_until, lambda: not (first_tab & tab_processes(server.process.pid)), 120)
            assert second_tab <= tab_processes(server.process.pid)  # the other tab runs on
            await second.close()
            assert await asyncio.to_thread(wait_until, lambda: not tab_processes(server.process.pid), 120)

    try:
        asyncio.run(scenario())
    finally:
        server.stop()


def test_stopping_the_server_ends_every_tab():
    aiohttp = pytest.importorskip("aiohttp")
    server = Server("--dataset", "xor")

    async def open_tab():
        http = aiohttp.ClientSession()
        return http, await _connect(http, server)

    loop = asyncio.new_event_loop()
    try:
        http, ws = loop.run_until_complete(open_tab())
        tabs = tab_processes(server.process.pid)
        assert len(tabs) >= 2
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(120) == 0
        assert wait_until(lambda: not (tabs & set(_processes())), 120)
        loop.run_until_complete(http.close())
    finally:
        server.stop()
        loop.close()


def test_a_taken_port_is_one_line_with_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_serve("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Address already in use" in result.stderr, result.stderr


def test_other_web_sites_cannot_drive_it():
    aiohttp = pytest.importorskip("aiohttp")
    server = Server("--dataset", "xor")

    async def attempts():
        async with aiohttp.ClientSession() as http:
            # A page on another site opening the websocket (browsers allow it; the Origin tells).
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws", headers={"Origin": "http://evil.example"})
            assert refused.value.status == 403
            # DNS rebinding: evil.example resolved to 127.0.0.1, so Host and Origin agree but are foreign.
            foreign = {"Host": f"evil.example:{server.port}"}
            async with http.get(server.url + "/", headers=foreign) as page:
                assert page.status == 403
            with pytest.raises(aiohttp.WSServerHandshakeError):
                await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws",
                                      headers={**foreign, "Origin": f"http://evil.example:{server.port}"})
            # The page itself, and its own websocket, are served.
            async with http.get(server.url + "/", headers={"Host": f"localhost:{server.port}"}) as page:
                assert page.status == 200
            ws = await http.ws_connect(f"ws://127.0.0.1:{server.port}/ws", headers={"Origin": server.url})
            await ws.close()
        assert wait_until(lambda: not tab_processes(server.process.pid), 120)

    try:
        asyncio.run(attempts())
    finally:
        server.stop()

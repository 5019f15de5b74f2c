"""`nn-tui serve` in a real browser: Debian's headless Chromium loads the page,
a screenshot shows the playground, Space starts training and the epoch counter
moves; closing the tab ends its app. Driven over the DevTools protocol (a
websocket, with aiohttp from the serve extra). .ci/run installs Chromium."""

import asyncio
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from test_serve import Server, tab_processes, wait_until

# NN_TUI_TEST_NO_BROWSER=1: run as on a machine without Chromium even where it is
# installed (.ci/run's first stage, the README's command in a fresh venv).
CHROMIUM = None if os.environ.get("NN_TUI_TEST_NO_BROWSER") else shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-port=0", "--window-size=1280,800"]

# textual.js keeps its xterm.js Terminal in a closure; the test rewrites the
# script as it is delivered to also put it on window, to read the screen's text.
TERMINAL_NEW = re.compile(r"this\.terminal=new (\w+)\.Terminal\(")
SCREEN_TEXT = """(() => {
  const t = window.__nnTuiTerminal; if (!t) return null;
  const b = t.buffer.active, rows = [];
  for (let y = 0; y < t.rows; y++) { const l = b.getLine(b.viewportY + y); rows.push(l ? l.translateToString(true) : ""); }
  return rows.join("\\n");
})()"""
EPOCH = re.compile(r"epoch ([\d,]+)")


class Chromium:
    """Headless Chromium with a fresh profile, in its own process group."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="nn-tui-chromium-")
        # Downloads after the first need no click of their own (a loaded machine may take
        # longer than a key press's few seconds of "user activation" to send a file).
        Path(self.profile, "Default").mkdir()
        Path(self.profile, "Default", "Preferences").write_text(json.dumps(
            {"profile": {"default_content_setting_values": {"automatic_downloads": 1}}}))
        self.process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def page_websocket(self, timeout=180):
        active = Path(self.profile, "DevToolsActivePort")
        assert wait_until(lambda: active.exists() and active.read_text().strip(), timeout), "Chromium did not start"
        self.devtools_url = f"http://127.0.0.1:{active.read_text().split()[0]}"
        targets = json.load(urllib.request.urlopen(f"{self.devtools_url}/json/list", timeout=60))
        page = next(t for t in targets if t["type"] == "page")
        self.page_id = page["id"]
        return page["webSocketDebuggerUrl"]

    def close_tab(self):
        urllib.request.urlopen(f"{self.devtools_url}/json/close/{self.page_id}", timeout=60).read()

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


class DevTools:
    """Just enough of the DevTools protocol: calls, and events in a queue."""

    def __init__(self, ws):
        self.ws = ws
        self.pending = {}
        self.events = asyncio.Queue()
        self.next_id = 0
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data:
                self.pending.pop(data["id"]).set_result(data)
            else:
                self.events.put_nowait(data)

    async def call(self, method, **params):
        self.next_id += 1
        future = self.pending[self.next_id] = asyncio.get_running_loop().create_future()
        await self.ws.send_str(json.dumps({"id": self.next_id, "method": method, "params": params}))
        reply = await asyncio.wait_for(future, 180)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def event(self, method):
        while True:
            event = await asyncio.wait_for(self.events.get(), 180)
            if event["method"] == method:
                return event["params"]

    async def screen_text(self):
        return (await self.call("Runtime.evaluate", expression=SCREEN_TEXT, returnByValue=True))["result"].get("value")

    async def wait_for_screen(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        text = None
        while time.monotonic() < deadline:
            text = await self.screen_text()
            if text and predicate(text):
                return text
            await asyncio.sleep(0.2)
        raise AssertionError(f"the page never showed what was expected; last screen:\n{text}")

    async def press(self, key, code, key_code, text):
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                        windowsVirtualKeyCode=key_code, text=text)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code, windowsVirtualKeyCode=key_code)


def epoch_of(text):
    match = EPOCH.search(text.splitlines()[0])  # the status line, first row
    return int(match.group(1).replace(",", "")) if match else None


async def open_app(devtools, url):
    """Load the page, with textual.js's terminal put on window to read the screen."""
    await devtools.call("Network.enable")
    await devtools.call("Fetch.enable", patterns=[{"urlPattern": "*textual.js*", "requestStage": "Response"}])
    navigation = asyncio.create_task(devtools.call("Page.navigate", url=url))
    paused = await devtools.event("Fetch.requestPaused")
    body = await devtools.call("Fetch.getResponseBody", requestId=paused["requestId"])
    script = base64.b64decode(body["body"]).decode() if body["base64Encoded"] else body["body"]
    script, found = TERMINAL_NEW.subn(r"this.terminal=window.__nnTuiTerminal=new \1.Terminal(", script)
    assert found == 1, "textual.js changed: no `this.terminal=new X.Terminal(` to hook"
    await devtools.call("Fetch.fulfillRequest", requestId=paused["requestId"], responseCode=200,
                        responseHeaders=paused.get("responseHeaders", []),
                        body=base64.b64encode(script.encode()).decode())
    await navigation


async def drive(server, browser, screenshot_path):
    import aiohttp

    timings = {}
    started = time.monotonic()
    page_ws = await asyncio.to_thread(browser.page_websocket)
    async with aiohttp.ClientSession() as http, http.ws_connect(page_ws, max_msg_size=0) as ws:
        devtools = DevTools(ws)
        await open_app(devtools, server.url + "/")

        # The playground, paused at epoch 0.
        # (The settings pane, with "learning rate", shows only on pages of 110x34 cells or more.)
        text = await devtools.wait_for_screen(lambda t: epoch_of(t) is not None and "select a neuron" in t, 180)
        timings["page shows the app"] = time.monotonic() - started
        assert "paused" in text.splitlines()[0] and epoch_of(text) == 0, text
        assert "select a neuron" in text and "X₁" in text  # the neuron panel and the network's inputs
        shot = await devtools.call("Page.captureScreenshot", format="png")
        screenshot_path.write_bytes(base64.b64decode(shot["data"]))

        # The app starts its training process once its first frame is shown: waited for.
        up = await asyncio.to_thread(wait_until, lambda: len(tab_processes(server.process.pid)) >= 2, 120)
        assert up, "the tab's app and its training process"
        tabs = tab_processes(server.process.pid)

        await devtools.call("Runtime.evaluate", expression="window.__nnTuiTerminal.focus()")
        await devtools.press(" ", "Space", 32, " ")
        text = await devtools.wait_for_screen(lambda t: (epoch_of(t) or 0) >= 5, 180)
        timings["epochs move after Space"] = time.monotonic() - started
        assert "training" in text.splitlines()[0], text

        # Closing the tab ends its app and training process.
        devtools.reader.cancel()
        await asyncio.to_thread(browser.close_tab)
        gone = await asyncio.to_thread(wait_until, lambda: not (tabs & tab_processes(server.process.pid)), 120)
        assert gone, "the tab's processes outlived it"
        timings["tab's processes ended"] = time.monotonic() - started
    return timings


def test_playground_in_headless_chromium(tmp_path):
    pytest.importorskip("aiohttp")
    server = Server("--dataset", "circle")
    browser = Chromium()
    try:
        timings = asyncio.run(drive(server, browser, tmp_path / "playground.png"))
    finally:
        browser.stop()
        server.stop()
    png = (tmp_path / "playground.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a drawn page, not a blank one
    kept = os.environ.get("NN_TUI_SCREENSHOT")  # to look at it: NN_TUI_SCREENSHOT=/tmp/x.png
    if kept:
        Path(kept).write_bytes(png)
    print(timings)


# w, C, v and V in a browser: each file is a download, none is written on the server.
DOWNLOAD_KEYS = [("w", "KeyW", 87, 0), ("C", "KeyC", 67, 8), ("v", "KeyV", 86, 0), ("V", "KeyV", 86, 8)]
DOWNLOADED = ["nn-tui-circle.npz", "nn-tui-circle.toml", "nn-tui-circle-history.csv", "nn-tui-circle-screen.svg"]


async def download_everything(server, browser, downloads):
    import aiohttp

    page_ws = await asyncio.to_thread(browser.page_websocket)
    async with aiohttp.ClientSession() as http, http.ws_connect(page_ws, max_msg_size=0) as ws:
        devtools = DevTools(ws)
        await open_app(devtools, server.url + "/")
        await devtools.call("Page.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
        await devtools.wait_for_screen(lambda t: epoch_of(t) is not None and "select a neuron" in t, 180)
        await devtools.call("Runtime.evaluate", expression="window.__nnTuiTerminal.focus()")
        await devtools.press(" ", "Space", 32, " ")  # a few epochs, so the history has rows
        await devtools.wait_for_screen(lambda t: (epoch_of(t) or 0) >= 3, 180)
        await devtools.press(" ", "Space", 32, " ")
        for (key, code, key_code, modifiers), name in zip(DOWNLOAD_KEYS, DOWNLOADED):
            await devtools.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                                windowsVirtualKeyCode=key_code, text=key, modifiers=modifiers)
            await devtools.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                                windowsVirtualKeyCode=key_code, modifiers=modifiers)
            arrived = await asyncio.to_thread(wait_until, lambda: (downloads / name).exists(), 120)
            assert arrived, (f"{key} sent no {name}; downloads: {sorted(p.name for p in downloads.iterdir())}; "
                             f"screen:\n{await devtools.screen_text()}")
        text = await devtools.screen_text()
        assert "Save the" not in text and "Save model to" not in text  # no path was asked for
        devtools.reader.cancel()


def test_files_go_to_the_browser_as_downloads_never_to_the_servers_disk(tmp_path):
    pytest.importorskip("aiohttp")
    import numpy as np

    server_dir, server_tmp, downloads = tmp_path / "server-cwd", tmp_path / "server-tmp", tmp_path / "downloads"
    for folder in (server_dir, server_tmp, downloads):
        folder.mkdir()
    # The server's own temporary directory: the machine's is shared with other tests and users.
    server = Server("--dataset", "circle", cwd=server_dir, env={"TMPDIR": str(server_tmp)})
    browser = Chromium()
    try:
        asyncio.run(download_everything(server, browser, downloads))
    finally:
        browser.stop()
        server.stop()
    assert list(server_dir.iterdir()) == []  # nothing written where the server runs
    assert not list(server_tmp.glob("nn-tui-download-*")), "the model's temporary folder stayed"
    with np.load(downloads / "nn-tui-circle.npz", allow_pickle=False) as model:
        assert len(model.files) > 0
    assert "[data]" in (downloads / "nn-tui-circle.toml").read_text() or "dataset" in (
        downloads / "nn-tui-circle.toml").read_text()
    assert (downloads / "nn-tui-circle-history.csv").read_text().startswith("epoch,")
    assert (downloads / "nn-tui-circle-screen.svg").read_text().lstrip().startswith("<svg")

"""The teacher presents, seen in Debian's headless Chromium: a student's page watches the
teacher's run (the teacher's tab over a plain websocket, at 100×30) drawn at the page's own
size, the watching line on its last row, the epoch moving, keys doing nothing."""

import asyncio

import pytest

from test_serve import Server, training_processes
from test_serve_browser import CHROMIUM, Chromium, DevTools, epoch_of, open_app
from test_serve_classroom import TAB, open_tab
from test_serve_present import Terminal, teacher_link

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (.ci/run installs it)")

TERMINAL_SIZE = "(() => { const t = window.__nnTuiTerminal; return t ? [t.cols, t.rows] : null; })()"


async def watch_in_chromium(server, browser):
    import aiohttp

    url, key = teacher_link(server)
    page_ws = await asyncio.to_thread(browser.page_websocket)
    async with aiohttp.ClientSession() as http, http.ws_connect(page_ws, max_msg_size=0) as ws:
        teacher = Terminal(await open_tab(http, server, f"/ws/{TAB}/drive.{key}"))  # 100×30
        await teacher.ws.send_json(["stdin", " "])  # training
        devtools = DevTools(ws)
        await open_app(devtools, server.url + "/")  # a student's page: it watches (--present)
        text = await devtools.wait_for_screen(
            lambda t: "watching the teacher's run" in t and (epoch_of(t) or 0) > 0, 90)
        cols, rows = (await devtools.call("Runtime.evaluate", expression=TERMINAL_SIZE,
                                          returnByValue=True))["result"]["value"]
        assert (cols, rows) != (100, 30)  # the page's own size (1280×800 pixels), not the teacher's
        lines = text.splitlines()
        assert len(lines) == rows and "watching the teacher's run, read-only" in lines[-1], text
        first = epoch_of(text)
        await devtools.call("Runtime.evaluate", expression="window.__nnTuiTerminal.focus()")
        await devtools.press(" ", "Space", 32, " ")  # read-only: the page's keys start nothing
        await devtools.press("q", "KeyQ", 81, "q")
        text = await devtools.wait_for_screen(lambda t: (epoch_of(t) or 0) > first, 60)  # live
        assert "watching the teacher's run" in text
        assert len(training_processes(server.process.pid)) == 1  # the teacher's only
        devtools.reader.cancel()
        await teacher.close()


def test_a_students_page_watches_the_teacher_at_its_own_size():
    pytest.importorskip("aiohttp")
    server = Server("--present", "--dataset", "circle")
    browser = Chromium()
    try:
        asyncio.run(watch_in_chromium(server, browser))
    finally:
        browser.stop()
        server.stop()

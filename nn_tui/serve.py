"""``nn-tui serve [--port N] [--host H] [app options]``: the app in a browser.

textual-serve (the optional extra ``serve``) starts one ``nn-tui <app options>``
process per browser tab, in its own session, and talks to it over a websocket.
When the tab closes the app is asked to quit; whatever of its process group is
still alive a few seconds later (the app, its training process) is ended.
It binds to 127.0.0.1 unless ``--host`` says otherwise, and says so.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import sys
from urllib.parse import urlsplit

from nn_tui.command_line import (EXIT_USAGE, Parser, UsageError, app_parser, build_run, check_app_options,
                                 parse_run, run_command, usage_error)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
QUIT_GRACE_SECONDS = 5.0  # for the app to quit on its own once its tab closed
TERM_GRACE_SECONDS = 2.0  # after SIGTERM, before SIGKILL
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
GOOGLE_FONTS_LINK = re.compile(r'<link[^>]*href="https://fonts\.googleapis\.com/[^"]*"[^>]*/?>')
LOCAL_FONT_STYLE = ('<style>@font-face { font-family: "Roboto Mono"; '
                    'src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }</style>')


def parser() -> Parser:
    result = Parser(
        prog="nn-tui serve",
        description="Serve the app to web browsers: each tab gets its own nn-tui run. "
                    "Other options are the app's (see nn-tui --help), e.g. --dataset spiral --layers 8,8.",
    )
    result.add_argument("--port", type=int, default=DEFAULT_PORT, help="(default: %(default)s)")
    result.add_argument("--host", default=DEFAULT_HOST,
                        help="address to bind (default: %(default)s, this machine only; 0.0.0.0 for every network)")
    return result


def main(argv: list[str]) -> int:
    return run_command(_serve, argv)


def _serve(argv: list[str]) -> int:
    args, app_argv = parser().parse_known_args(argv)
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be 1-65535, got {args.port}")
    _check_app_options(app_argv)
    server = _make_server(args.host, args.port, app_command(app_argv), shlex.join(["nn-tui", *app_argv]))
    try:
        server.serve()
    except OSError as error:  # the port is taken, the host is not ours, ...
        # aiohttp words a bind error at length; the errno says it in a few words.
        if isinstance(error.errno, int) and error.errno > 0:
            reason = os.strerror(error.errno)
        else:
            reason = " ".join(str(error.strerror or error).split())
        return usage_error(f"cannot serve on {args.host}:{args.port}: {reason}")
    return 0


def app_command(app_argv: list[str]) -> str:
    """The command each tab runs: this Python and this nn-tui, whatever PATH says."""
    return shlex.join([sys.executable, "-m", "nn_tui", *app_argv])


def _check_app_options(app_argv: list[str]) -> None:
    """Refuse bad app options now, in one line, not once per tab in the browser."""
    if app_argv and app_argv[0] in ("train", "export", "serve", "lesson"):
        raise UsageError(f"nn-tui serve serves the app; {app_argv[0]!r} is a command of its own")
    # The checks of the app's own start, before any tab starts one.
    ns, config = parse_run(app_parser(), app_argv)
    check_app_options(ns, config)
    build_run(config)  # the data and the model, as each tab's app will build them


def local_only(host: str) -> bool:
    return host in LOCAL_HOSTS


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def refuse_foreign(request, host: str) -> None:
    """403 for a request another web site made the browser send.

    A page from anywhere may open a websocket to 127.0.0.1 (browsers do not
    stop it), so the websocket's Origin must be the page's own; and a local-only
    server answers only to local names, which stops DNS rebinding (evil.example
    resolving to 127.0.0.1)."""
    from aiohttp import web  # optional: comes with textual-serve (the extra `serve`)

    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        raise web.HTTPForbidden(text="nn-tui serve: cross-origin request refused")
    if local_only(host) and (urlsplit(f"//{request.host}").hostname or "") not in LOCAL_HOSTS:
        raise web.HTTPForbidden(text="nn-tui serve: this server answers only to 127.0.0.1 and localhost")


def _make_server(host: str, port: int, command: str, shown_command: str):
    try:  # an optional dependency (the extra `serve`)
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("nn-tui serve needs textual-serve: pip install 'nn-tui[serve]'") from None

    class TabProcess(AppService):
        """One tab's app, in its own process group so all of it can be ended."""

        async def _open_app_process(self, width: int = 80, height: int = 24):
            self._process = process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height), start_new_session=True,
            )
            self._stdin = process.stdin
            return process

        async def stop(self) -> None:
            task, self._task = self._task, None
            if task is None:
                return
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(asyncio.shield(task), QUIT_GRACE_SECONDS)
            except asyncio.TimeoutError:
                pass
            await _end_group(self._process)
            await task

    class NNTuiServer(Server):
        def __init__(self):
            super().__init__(command, host=host, port=port, title="nn-tui")
            self.tabs: dict = {}  # TabProcess -> its websocket

        def serve(self, debug: bool = False) -> None:
            asyncio.run(self._serve())

        async def _serve(self) -> None:
            from aiohttp import web  # optional: comes with textual-serve (the extra `serve`)

            runner = web.AppRunner(await self._make_app(), handle_signals=False)
            await runner.setup()
            try:
                await web.TCPSite(runner, host, port).start()  # OSError here if the port is taken
                self._announce()
                stop = asyncio.Event()
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, stop.set)
                await stop.wait()
            finally:
                await runner.cleanup()  # runs on_shutdown: every tab's app is ended

        def _announce(self) -> None:
            # Printed once the socket is bound, so the URL works when it is read.
            print(f"nn-tui serve: open {url_for(host, port)} in a browser; each tab runs its own `{shown_command}`")
            if local_only(host):
                print(f"Listening on {host} only: local to this machine (--host 0.0.0.0 serves other machines). "
                      "Ctrl+C stops.")
            else:
                print(f"Listening on {host}: reachable from other machines, with no login. Ctrl+C stops.")
            sys.stdout.flush()

        async def on_startup(self, app) -> None:
            pass  # textual-serve's banner; ours is _announce

        async def on_shutdown(self, app) -> None:
            # aiohttp would wait for open websockets; end every tab's app and close its socket now.
            tabs = list(self.tabs.items())
            await asyncio.gather(*(tab.stop() for tab, _ in tabs), return_exceptions=True)
            await asyncio.gather(*(websocket.close() for _, websocket in tabs), return_exceptions=True)

        async def handle_index(self, request):
            refuse_foreign(request, host)
            # Point the page's websocket at the address the browser used, so
            # --host 0.0.0.0 works from other machines too.
            self.public_url = f"{request.scheme}://{request.host}"
            response = await super().handle_index(request)
            # The page would fetch Roboto Mono from Google Fonts on every load; use
            # the copy textual-serve ships, so a local page stays local (and works offline).
            response.text = GOOGLE_FONTS_LINK.sub(LOCAL_FONT_STYLE, response.text)
            return response

        async def handle_websocket(self, request):
            from aiohttp import web  # optional: comes with textual-serve (the extra `serve`)

            refuse_foreign(request, host)
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _to_int(request.query.get("width"), 80)
            height = _to_int(request.query.get("height"), 24)
            tab = None
            try:
                await websocket.prepare(request)
                tab = TabProcess(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                                 close=websocket.close, download_manager=self.download_manager)
                self.tabs[tab] = websocket
                await tab.start(width, height)
                await self._process_messages(websocket, tab)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                if tab is not None:
                    await tab.stop()
                    self.tabs.pop(tab, None)
            return websocket

    return NNTuiServer()


async def _end_group(process) -> None:
    """End what is left of a tab's process group: the app if it did not quit,
    and its training process. SIGTERM first, SIGKILL after a grace period."""
    if process is None or not _signal_group(process.pid, signal.SIGTERM):
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TERM_GRACE_SECONDS
    while loop.time() < deadline:
        await asyncio.sleep(0.1)
        if not _signal_group(process.pid, 0):
            return
    _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pgid: int, sig: int) -> bool:
    """Signal a process group; False when nothing of it is left."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    return True


def _to_int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default

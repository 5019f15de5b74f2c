"""``nn-tui serve [--port N] [--host H] [--token T] [--max-tabs N] [--idle-minutes M] [app options]``:
the app in a browser, for one person or a class.

textual-serve (the optional extra ``serve``) starts one ``nn-tui <app options>`` process
per browser tab, in its own session, and talks to it over a websocket. Around it:
- who gets in (nn_tui.classroom.access): beyond loopback a token, in the printed URL;
  the Origin and Host checks always;
- how many (`--max-tabs`): one more tab gets a page saying the class is full;
- each tab its own autosave slot (nn_tui.classroom.slots), named in the page's URL and
  remembered in a cookie, so a reopened tab is offered its run back;
- an idle tab (`--idle-minutes`) is ended, its run autosaved, and started again with it
  on a key;
- the teacher presents (the teacher's link; `--present`, or S in that tab): its app passes
  its snapshots to the server (nn_tui/broadcast.py), which relays them
  (nn_tui/classroom/relay.py) to an app in every other tab that draws them read-only at
  that tab's own size (nn_tui/ui/watch_screen.py); c there copies the teacher's run;
- when a tab closes its app is asked to quit; whatever of its process group is still
  alive a few seconds later (the app, its training process) is ended.
It binds to 127.0.0.1 unless ``--host`` says otherwise, and says so.
"""

from __future__ import annotations

import asyncio
import hmac
import os
import re
import shlex
import shutil
import signal
import sys
import time
from urllib.parse import urlencode

from nn_tui.broadcast import BROADCAST_FD_ENV, PRESENT, PRESENTING_ENV, SNAPSHOT, WATCH_FD_ENV, frame
from nn_tui.classroom import pages
from nn_tui.classroom.access import (local_only, refuse_foreign, refuse_without_token, remember_token,
                                     token_for)
from nn_tui.classroom.capacity import default_max_tabs
from nn_tui.classroom.processes import end_groups, groups_of_tab
from nn_tui.classroom.relay import TeacherPipe, WatcherPipe
from nn_tui.classroom.slots import (BROWSER_COOKIE, SLOT_ENV, browser_tabs, new_tab_id, remember_tab, slot_dir,
                                    slot_path, valid_tab_id)
from nn_tui.command_line import (Parser, UsageError, app_parser, build_run, check_app_options, parse_run,
                                 run_command, usage_error)
from nn_tui.state_dir import SERVE_CLASS_ENV
from nn_tui.ui.class_pace import write_class_size

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_IDLE_MINUTES = 30.0
QUIT_GRACE_SECONDS = 2.5  # for the app to quit on its own once its tab closed (then SIGTERM: it autosaves too)
TERM_GRACE_SECONDS = 2.0  # after SIGTERM, before SIGKILL
IDLE_CHECK_SECONDS = 30.0  # at most; a shorter --idle-minutes checks more often
TOKEN_TEXT = re.compile(r"[A-Za-z0-9_.~-]{8,128}")  # goes in a URL as it is
# How a tab starts: its own new run, its saved run, watching the teacher's run, or the
# teacher's own tab ("drive.<key>", from the teacher's link only).
STARTS = ("new", "resume", "watch", "drive")
GOOGLE_FONTS_LINK = re.compile(r'<link[^>]*href="https://fonts\.googleapis\.com/[^"]*"[^>]*/?>')
LOCAL_FONT_STYLE = ('<style>@font-face { font-family: "Roboto Mono"; '
                    'src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }</style>')
# textual.js opens a download in a new window, which a popup blocker may stop; a link
# clicked by the page is a plain download.
DOWNLOAD_AS_LINK = ("<script>(() => { const open = window.open.bind(window); window.open = (url, target) => {"
                    " if (String(url).includes('/download/')) { const a = document.createElement('a');"
                    " a.href = url; a.download = ''; document.body.appendChild(a); a.click(); a.remove();"
                    " return null; } return open(url, target); }; })();</script>")
WEBSOCKET_URL = re.compile(r'(data-session-websocket-url="[^"]*?/ws)(")')


def parser() -> Parser:
    result = Parser(
        prog="nn-tui serve",
        description="Serve the app to web browsers: each tab gets its own nn-tui run. "
                    "Other options are the app's (see nn-tui --help), e.g. --dataset spiral --layers 8,8.",
    )
    result.add_argument("--port", type=int, default=DEFAULT_PORT, help="(default: %(default)s)")
    result.add_argument("--host", default=DEFAULT_HOST,
                        help="address to bind (default: %(default)s, this machine only; 0.0.0.0 for every network)")
    result.add_argument("--token", default=None,
                        help="the token the URL must carry (default: a random one beyond 127.0.0.1, none on it)")
    result.add_argument("--max-tabs", type=int, default=None,
                        help="tabs open at once (default: from this machine's cores and free memory)")
    result.add_argument("--idle-minutes", type=float, default=DEFAULT_IDLE_MINUTES,
                        help="a tab without a key for this long is saved and ended until a key "
                             "(default: %(default)g)")
    result.add_argument("--present", action="store_true",
                        help="the teacher's tab (its own link) presents from the start: every other tab "
                             "watches its run, and c there takes a copy to go on alone (without it, "
                             "S in the teacher's tab starts and stops presenting)")
    return result


def main(argv: list[str]) -> int:
    return run_command(_serve, argv)


def _serve(argv: list[str]) -> int:
    args, app_argv = parser().parse_known_args(argv)
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be 1-65535, got {args.port}")
    if args.max_tabs is not None and args.max_tabs < 1:
        raise UsageError(f"--max-tabs must be 1 or more, got {args.max_tabs}")
    if not args.idle_minutes > 0:
        raise UsageError(f"--idle-minutes must be a positive number, got {args.idle_minutes:g}")
    if args.token is not None and not TOKEN_TEXT.fullmatch(args.token):
        raise UsageError("--token must be 8-128 letters, digits or - _ . ~")
    _check_app_options(app_argv)
    if args.max_tabs is None:
        max_tabs, why = default_max_tabs()
    else:
        max_tabs, why = args.max_tabs, "--max-tabs"
    server = _make_server(host=args.host, port=args.port, app_argv=app_argv, token=token_for(args.host, args.token),
                          max_tabs=max_tabs, max_tabs_why=why, idle_seconds=args.idle_minutes * 60,
                          present=args.present)
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
    if "--resume" in app_argv:
        raise UsageError("nn-tui serve offers each tab its own saved run; --resume is not for it")
    # The checks of the app's own start, before any tab starts one.
    ns, config = parse_run(app_parser(), app_argv)
    check_app_options(ns, config)
    build_run(config)  # the data and the model, as each tab's app will build them


def url_for(host: str, port: int, token: str | None = None) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
    return f"{base}/?{urlencode({'token': token})}" if token else base


def _make_server(*, host: str, port: int, app_argv: list[str], token: str | None, max_tabs: int,
                 max_tabs_why: str, idle_seconds: float, present: bool = False):
    try:  # an optional dependency (the extra `serve`)
        from aiohttp import WSMsgType, web
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError:
        raise UsageError("nn-tui serve needs textual-serve: pip install 'nn-tui[serve]'") from None

    shown_command = shlex.join(["nn-tui", *app_argv])
    # The teacher's link carries this key: its tab can present (beyond loopback, or --present).
    presenter_key = new_tab_id() if present or not local_only(host) else None
    class_file = slot_dir() / f"class-{os.getpid()}"  # how many tabs run: each app paces its frames by it

    class TabProcess(AppService):
        """One tab's app, in its own process group so all of it can be ended, autosaving
        to the tab's own slot."""

        def __init__(self, argv: list[str], slot, pipe=None, environment=None, **kwargs):
            super().__init__(shlex.join(argv), **kwargs)
            self.argv = argv
            self.slot = slot
            self.pipe = pipe  # a TeacherPipe or WatcherPipe (presenting), its child end passed on
            self.environment = environment or {}
            # False when the server ends the app but keeps the tab (idle, watching, back from watching)
            self.close_tab_on_exit = True

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            environment[SLOT_ENV] = str(self.slot)
            environment.update(self.environment)
            environment[SERVE_CLASS_ENV] = str(class_file)
            return environment

        async def _open_app_process(self, width: int = 80, height: int = 24):
            self._process = process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                env=self._build_environment(width=width, height=height), start_new_session=True,
                pass_fds=() if self.pipe is None else (self.pipe.child_fd,),
            )
            if self.pipe is not None:
                self.pipe.child_started()
            self._stdin = process.stdin
            return process

        async def on_meta(self, data: bytes) -> None:
            if not self.close_tab_on_exit and b'"exit"' in data:
                return
            await super().on_meta(data)

        async def stop(self) -> None:
            task, self._task = self._task, None
            if task is None:
                return
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            # Read now, while the app is alive: its training process is in a session of its own.
            groups = groups_of_tab(self._process.pid) if self._process is not None else set()
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(asyncio.shield(task), QUIT_GRACE_SECONDS)
            except asyncio.TimeoutError:
                pass
            await end_groups(groups, TERM_GRACE_SECONDS)
            await task

    class Seat:
        """One open tab: its websocket, its slot, and its app while it has one (not while idle):
        its own run's app, or (watching) an app that draws the teacher's run."""

        def __init__(self, server, websocket, tab_id: str, width: int, height: int, teacher: bool = False):
            self.server, self.websocket, self.tab_id = server, websocket, tab_id
            self.width, self.height = width, height
            self.teacher = teacher  # opened with the teacher's link: its app can present (S)
            self.app: TabProcess | None = None
            self.last_key = time.monotonic()
            self.idle = False
            self.closing = False  # the browser left; the app is being ended (it autosaves)
            self.closed = asyncio.Event()
            self.watching = False  # the teacher's run on this tab, keys kept by the server but c
            self.switching = asyncio.Lock()  # one change of app at a time (watch, copy, back)

        async def start_app(self, resume: bool) -> None:
            slot = slot_path(self.tab_id)
            argv = [sys.executable, "-m", "nn_tui", *app_argv]
            if resume and slot.exists():
                # The saved run, paused (its settings replace the options; --play would start it).
                argv = [arg for arg in argv if arg != "--play"] + ["--resume"]
            pipe, environment = None, {}
            if self.teacher:  # its app can present: its snapshots come down this pipe while it does
                pipe = TeacherPipe()
                environment = {BROADCAST_FD_ENV: str(pipe.child_fd), PRESENTING_ENV: "1" if present else "0"}
            await self._start(TabProcess(argv, slot, pipe, environment, **self._websocket_ends()))
            if pipe is not None:
                asyncio.create_task(self.server.listen_to_teacher(self, self.app, pipe))

        def _websocket_ends(self) -> dict:
            return dict(write_bytes=self.websocket.send_bytes, write_str=self.websocket.send_str,
                        close=self.websocket.close, download_manager=self.server.download_manager)

        async def _start(self, app: TabProcess) -> None:
            self.app = app
            self.idle = False
            self.last_key = time.monotonic()
            await app.start(self.width, self.height)
            self.server.say_class_size()

        async def stop_app(self) -> None:
            app, self.app = self.app, None
            if app is not None:
                if isinstance(app.pipe, WatcherPipe):
                    app.pipe.close()  # its app reads to the end and quits
                await app.stop()
                self.server.say_class_size()

        async def end_app_keep_tab(self) -> None:
            """End this tab's app (its run autosaves) with the tab left open for another."""
            if self.app is not None:
                self.app.close_tab_on_exit = False
            await self.stop_app()

        async def watch_idle(self) -> None:
            """End the app of a tab nobody typed in for `idle_seconds`; its run autosaves as it quits."""
            while True:
                await asyncio.sleep(min(IDLE_CHECK_SECONDS, idle_seconds / 4))
                if self.app is None or time.monotonic() - self.last_key < idle_seconds:
                    continue
                if self is self.server.presenter or self.watching:
                    continue  # the class is watching it, or it watches
                async with self.switching:
                    if self.app is None or self.watching:
                        continue
                    self.idle = True
                    await self.end_app_keep_tab()
                minutes = f"{idle_seconds / 60:g} minute" + ("" if idle_seconds == 60 else "s")
                await self.websocket.send_bytes(pages.terminal_text(
                    f"This tab was idle for {minutes}: its run is paused and saved, "
                    "and its training stopped.", "", "Press any key to go on where you were."))

        # ---------------------------------------------------------- watching the teacher's run
        async def watch(self) -> None:
            """This tab's own run (if any) saved and ended; the teacher's run shown instead."""
            async with self.switching:
                self.watching = True
                self.idle = False
                await self.end_app_keep_tab()
                await self._show_teacher()

        async def show_teacher(self) -> None:
            """The teacher's first snapshot came while this tab waited for it."""
            async with self.switching:
                await self._show_teacher()

        async def _show_teacher(self) -> None:
            if not self.watching or self.app is not None or self.closing:
                return
            frame = self.server.latest_frame if self.server.presenter is not None else None
            if frame is None:
                await self._say("Waiting for the teacher's run; it shows here once the teacher presents.",
                                "", self._own_run_line())
                return
            pipe = WatcherPipe()
            app = TabProcess([sys.executable, "-m", "nn_tui", *app_argv], slot_path(self.tab_id), pipe,
                             {WATCH_FD_ENV: str(pipe.child_fd)}, **self._websocket_ends())
            app.close_tab_on_exit = False  # the server ends it (c, the end of presenting); the tab stays
            await self._start(app)
            pipe.offer(self.server.latest_frame)

        def offer(self, frame: bytes) -> None:
            """The teacher's newest snapshot, to this watching tab's app (or it starts one)."""
            if self.app is not None and isinstance(self.app.pipe, WatcherPipe):
                self.app.pipe.offer(frame)
            elif self.watching and self.app is None and not self.switching.locked():
                asyncio.create_task(self.show_teacher())

        async def stop_watching(self, then: str = "own") -> None:
            """Back to a run of this tab's own: its saved run, else a new one ("own"); or a copy
            of the teacher's run ("copy"); or, the teacher gone, a line to wait ("wait")."""
            async with self.switching:
                if not self.watching or self.closing:
                    return
                await self.end_app_keep_tab()
                if then == "wait":
                    await self._say("The teacher's tab closed; its run shows here again when it opens.",
                                    "", self._own_run_line())
                    return
                self.watching = False
                if then == "copy":
                    await self.start_app(resume=self._copy_teachers_run())
                else:
                    await self.start_app(resume=slot_path(self.tab_id).exists())

        def _own_run_line(self) -> str:
            teacher_slot = self.server.teacher_slot()
            if teacher_slot is not None and teacher_slot.exists():
                return "c: a copy of the teacher's last run, to go on alone."
            return "c: start a run of your own instead."

        def _copy_teachers_run(self) -> bool:
            """The teacher's run as last autosaved (when it paused, or at most 5 s before) into this tab's slot."""
            teacher_slot = self.server.teacher_slot()
            if teacher_slot is None or not teacher_slot.exists():
                return False
            mine = slot_path(self.tab_id)
            mine.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(teacher_slot, mine)
            return True

        async def _say(self, *lines: str) -> None:
            try:
                await self.websocket.send_bytes(pages.terminal_text(*lines))
            except (ConnectionError, RuntimeError):
                pass

        async def on_key(self, data: str) -> None:
            self.last_key = time.monotonic()
            if self.watching:
                if data == "c":
                    await self.stop_watching(then="copy")
                return  # read-only
            if self.idle:
                async with self.switching:
                    if self.idle:  # the key only wakes the tab
                        await self.start_app(resume=True)
            elif self.app is not None:
                await self.app.send_bytes(data.encode("utf-8"))

    class NNTuiServer(Server):
        def __init__(self):
            super().__init__(app_command(app_argv), host=host, port=port, title="nn-tui")
            self.seats: dict = {}  # websocket -> Seat
            self.presenter: Seat | None = None  # the teacher's tab while it presents
            self.latest_frame: bytes | None = None  # the presenter's newest snapshot (a frame)
            self.teacher_tab: str | None = None  # the tab id of the last teacher's tab: c copies its run

        def watchers(self):
            return [seat for seat in self.seats.values() if seat.watching]

        def say_class_size(self) -> None:
            """How many tabs run an app, for their frame rates (nn_tui/ui/class_pace.py)."""
            try:
                class_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_class_size(class_file, sum(1 for seat in self.seats.values() if seat.app is not None))
            except OSError:
                pass  # each app draws at its own rate

        def teacher_slot(self):
            return None if self.teacher_tab is None else slot_path(self.teacher_tab)

        # ---------------------------------------------------------- the teacher presents
        async def listen_to_teacher(self, seat: Seat, app: TabProcess, pipe: TeacherPipe) -> None:
            """What a teacher's tab's app says: start or stop presenting, and its snapshots."""

            def on_frame(kind: bytes, payload: bytes) -> None:
                if kind == PRESENT and payload == b"1":
                    self._start_presenting(seat)
                elif kind == PRESENT and self.presenter is seat:
                    self._stop_presenting(then="own")
                elif kind == SNAPSHOT and self.presenter is seat:
                    self.latest_frame = frame(SNAPSHOT, payload)
                    for other in self.watchers():
                        other.offer(self.latest_frame)

            await pipe.listen(on_frame)
            # The app ended: its tab closed (or went idle), and presenting with it.
            if self.presenter is seat and seat.app in (None, app):
                self._stop_presenting(then="wait" if present else "own")

        def _start_presenting(self, seat: Seat) -> None:
            self.presenter, self.latest_frame, self.teacher_tab = seat, None, seat.tab_id
            for other in self.seats.values():
                if other is not seat and not other.closing and not other.watching:
                    asyncio.create_task(other.watch())

        def _stop_presenting(self, then: str) -> None:
            self.presenter, self.latest_frame = None, None
            for other in self.watchers():
                asyncio.create_task(other.stop_watching(then))

        def serve(self, debug: bool = False) -> None:
            asyncio.run(self._serve())

        async def _make_app(self):
            app = await super()._make_app()
            app.router.add_get("/ws/{tab}/{start}", self.handle_websocket)
            return app

        async def _serve(self) -> None:
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
                class_file.unlink(missing_ok=True)

        def _announce(self) -> None:
            # Printed once the socket is bound, so the URL works when it is read.
            print(f"nn-tui serve: open {url_for(host, port, token)} in a browser; "
                  f"each tab runs its own `{shown_command}`")
            if local_only(host):
                print(f"Listening on {host} only: local to this machine (--host 0.0.0.0 serves other machines). "
                      "Ctrl+C stops.")
            else:
                print(f"Listening on {host}: reachable from other machines, for whoever has the URL with its "
                      "token. Ctrl+C stops.")
            if presenter_key:
                how = "it presents from the start" if present else "S there presents its run on every other tab"
                print(f"Teacher: open {self._presenter_url()} on your own screen; {how}.")
            print(f"At most {max_tabs} tabs at once ({max_tabs_why}); a tab idle {idle_seconds / 60:g} minutes "
                  "is saved and paused.")
            sys.stdout.flush()

        async def on_startup(self, app) -> None:
            pass  # textual-serve's banner; ours is _announce

        async def on_shutdown(self, app) -> None:
            # aiohttp would wait for open websockets; end every tab's app and close its socket now.
            seats = list(self.seats.values())
            await asyncio.gather(*(seat.stop_app() for seat in seats), return_exceptions=True)
            await asyncio.gather(*(seat.websocket.close() for seat in seats), return_exceptions=True)

        def _open_tab_ids(self) -> set[str]:
            """Tabs a browser has open (one that is closing may be reopened: a reload)."""
            return {seat.tab_id for seat in self.seats.values() if not seat.closing}

        async def _closing(self, tab_id: str) -> None:
            """Wait for a closing tab of this id to be ended: its last autosave is then written."""
            for seat in list(self.seats.values()):
                if seat.tab_id == tab_id and seat.closing:
                    try:
                        await asyncio.wait_for(seat.closed.wait(), QUIT_GRACE_SECONDS + TERM_GRACE_SECONDS + 5)
                    except asyncio.TimeoutError:
                        pass  # resume what is saved

        def _check(self, request) -> None:
            refuse_foreign(request, host)
            refuse_without_token(request, token)

        async def handle_index(self, request):
            self._check(request)
            tab_id = request.query.get("tab")
            cookie = request.cookies.get(BROWSER_COOKIE)
            if not valid_tab_id(tab_id) or tab_id in self._open_tab_ids():
                # No tab id (or one open in another tab already): this browser's last saved
                # run that is not open, else a new slot.
                open_ids = self._open_tab_ids()
                tab_id = next((tab for tab in browser_tabs(cookie)
                               if tab not in open_ids and slot_path(tab).exists()), None) or new_tab_id()
                location = self._page_url(tab_id, present=request.query.get("present"))
                return self._remembering(web.Response(status=302, headers={"Location": location}), cookie, tab_id)
            if len(self.seats) >= max_tabs:
                return web.Response(status=503, text=pages.class_full(len(self.seats), max_tabs),
                                    content_type="text/html")
            start = request.query.get("start")
            presenting = present or self.presenter is not None  # a new tab watches
            if self._is_presenter_key(request.query.get("present")):
                start = f"drive.{presenter_key}"
            elif start not in STARTS[:3]:
                offer = self._resume_offer(tab_id, presenting)
                if offer is not None:
                    return self._remembering(web.Response(text=offer, content_type="text/html"), cookie, tab_id)
                start = "watch" if presenting else "new"
            # Point the page's websocket at the address the browser used, so
            # --host 0.0.0.0 works from other machines too; and at this tab's slot.
            self.public_url = f"{request.scheme}://{request.host}"
            response = await super().handle_index(request)
            # The page would fetch Roboto Mono from Google Fonts on every load; use
            # the copy textual-serve ships, so a local page stays local (and works offline).
            text = GOOGLE_FONTS_LINK.sub(LOCAL_FONT_STYLE, response.text)
            text = WEBSOCKET_URL.sub(rf"\1/{tab_id}/{start}\2", text)
            response.text = text.replace("</head>", DOWNLOAD_AS_LINK + "</head>", 1)
            return self._remembering(response, cookie, tab_id)

        def _presenter_url(self) -> str:
            base = url_for(host, port)
            query = {"token": token} if token else {}
            query["present"] = presenter_key
            return f"{base}/?{urlencode(query)}"

        def _is_presenter_key(self, given: str | None) -> bool:
            return presenter_key is not None and given is not None and hmac.compare_digest(
                given.encode(), presenter_key.encode())

        def _page_url(self, tab_id: str, start: str | None = None, present: str | None = None) -> str:
            query = {"token": token} if token else {}
            query["tab"] = tab_id
            if start:
                query["start"] = start
            if present:
                query["present"] = present
            return "/?" + urlencode(query)

        def _remembering(self, response, cookie, tab_id: str):
            remember_token(response, token)
            response.set_cookie(BROWSER_COOKIE, remember_tab(cookie, tab_id), httponly=True, samesite="Strict",
                                path="/", max_age=30 * 24 * 3600)
            return response

        def _resume_offer(self, tab_id: str, presenting: bool) -> str | None:
            from nn_tui import autosave  # start-up time: only when a page is asked for

            slot = slot_path(tab_id)
            if not slot.exists():
                return None
            try:
                what = pages.saved_run_words(autosave.read_info(slot))
            except (autosave.AutosaveError, KeyError, TypeError, ValueError, OverflowError, OSError):
                return None  # unreadable: a new run (it replaces the slot once it trains)
            watch_url = self._page_url(tab_id, "watch") if presenting else None
            return pages.resume_offer(what, self._page_url(tab_id, "resume"), self._page_url(tab_id, "new"), watch_url)

        async def handle_download(self, request):
            self._check(request)
            return await super().handle_download(request)

        async def handle_websocket(self, request):
            self._check(request)
            tab_id = request.match_info.get("tab") or new_tab_id()
            start = request.match_info.get("start", "new")
            if start.startswith("drive."):
                if not self._is_presenter_key(start.partition(".")[2]):
                    raise web.HTTPForbidden(text="nn-tui serve: not the presenter's link")
                start = "drive"
            elif start not in STARTS[:3]:
                start = ""
            if not valid_tab_id(tab_id) or not start:
                raise web.HTTPNotFound(text="nn-tui serve: no such tab")
            if tab_id in self._open_tab_ids():
                # The same page twice: the second gets its own slot (a new run, not the first's).
                tab_id, start = new_tab_id(), "new" if start == "resume" else start
            else:
                await self._closing(tab_id)
            websocket = web.WebSocketResponse(heartbeat=15)
            seat = Seat(self, websocket, tab_id, _to_int(request.query.get("width"), 80),
                        _to_int(request.query.get("height"), 24), teacher=start == "drive")
            watcher = None
            try:
                await websocket.prepare(request)
                if len(self.seats) >= max_tabs:
                    await websocket.send_bytes(pages.terminal_text(pages.full_line(len(self.seats), max_tabs)))
                    await websocket.close()
                    return websocket
                self.seats[websocket] = seat
                if start == "watch" and (present or self.presenter is not None):
                    await seat.watch()  # the teacher's run (or a line until it presents), until c
                else:  # a teacher's tab goes on with its saved run, if it has one
                    await seat.start_app(resume=start == "resume" or (
                        start == "drive" and slot_path(tab_id).exists()))
                watcher = asyncio.create_task(seat.watch_idle())
                await self._messages(websocket, seat)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                seat.closing = True
                if watcher is not None:
                    watcher.cancel()
                try:
                    async with seat.switching:  # not while it changes apps: the new one would be left
                        await seat.stop_app()  # a presenting teacher's app ends: so does presenting
                finally:
                    self.seats.pop(websocket, None)
                    seat.closed.set()
            return websocket

        async def _messages(self, websocket, seat: Seat) -> None:
            """textual-serve's message loop, with keys going through the seat (idle, wake)."""
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    kind, data = message.json()
                except (ValueError, TypeError):
                    continue
                if kind == "stdin":
                    await seat.on_key(str(data))
                elif kind == "resize":
                    seat.width, seat.height = _to_int(data.get("width"), 80), _to_int(data.get("height"), 24)
                    if seat.app is not None:
                        await seat.app.set_terminal_size(seat.width, seat.height)
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind in ("blur", "focus") and seat.app is not None:
                    await (seat.app.blur() if kind == "blur" else seat.app.focus())

    return NNTuiServer()


def _to_int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default

"""The nn-tui app: global concerns only.

The App starts the session's receiver, routes screens (the kind's PlaygroundScreen,
help, editors), shows the session's notices, installs the Textual patches and offers
the screen's controls in the command palette. Everything a kind shows and every key
it has come from the kind's panes module (`ModelKind.panes`) and the controls table.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import threading
from typing import Iterable

from textual.app import App, SystemCommand
from textual.screen import Screen

from nn_tui.kinds import get_kind
from nn_tui.terminal_check import require_terminal
from nn_tui.ui._textual_guards import guard_no_color_filter, install_textual_guards
from nn_tui.ui._web_writes import send_packets_whole
from nn_tui.ui.controls import controls_for, with_present
from nn_tui.ui.downloads import to_browser
from nn_tui.ui.exit_watchdog import AFTER_STOP_SECONDS, BEFORE_STOP_SECONDS, exit_unless_done
from nn_tui.ui import palette
from nn_tui.ui.looks import apply_scheme
from nn_tui.ui.playground import PlaygroundScreen
from nn_tui.ui.widgets import enable_span_updates


def playground_for(session, fps: float = 10.0) -> PlaygroundScreen:
    """The screen of the session's model kind: its layout, its keys, its UI state."""
    kind = get_kind(session.kind_name)
    panes = importlib.import_module(kind.panes)
    controls = controls_for(kind.name, panes.CONTROLS)
    if getattr(session, "broadcast", None) is not None:  # a served teacher's tab: it can present
        controls = with_present(controls)
    return PlaygroundScreen(session, panes.LAYOUT, controls, panes.make_ui(), fps)


class NNTuiApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "nn-tui"

    def __init__(self, session, play: bool = False, fps: float = 10.0, lesson: str | None = None,
                 watching: bool = False) -> None:
        super().__init__()
        guard_no_color_filter(self)  # NO_COLOR=1 would end the app at its first frame (see the module)
        self.session = session
        self.lesson = lesson  # open on this lesson (nn-tui lesson NAME)
        self.fps = fps
        self._play_at_start = play
        self.watching = watching  # a watching tab of `nn-tui serve`: the teacher's run, read-only
        self._ended_by_signal: int | None = None

    def run(self, *args, **kwargs):
        # Every launcher (nn-tui, nn-tui lesson NAME) comes through here, after its input
        # errors are said: without a terminal, one line and exit 2 (nn_tui/terminal_check.py).
        if not kwargs.get("headless"):
            require_terminal(before_exit=self._end_unshown_session)
        return super().run(*args, **kwargs)

    def _end_unshown_session(self) -> None:
        """Stop the training this app would have shown. Its snapshots are received
        meanwhile, as the app's worker does: a child blocked on a full pipe would not hear
        the stop (20 s of timeouts)."""
        threading.Thread(target=self.session.run, name="drain", daemon=True).start()
        self.session.stop()

    def on_mount(self) -> None:
        # Send only the changed span of a line, not the line up to it: a third fewer bytes
        # while training (Textual issue #5625; see nn_tui/ui/widgets/_span_updates.py).
        enable_span_updates()
        install_textual_guards()  # PageUp in a squeezed command palette (see the module)
        send_packets_whole(self)  # in a browser tab: a download's chunks and frames never interleave
        # Widgets that paint their own colours follow the theme (and NO_COLOR, 16 colours).
        apply_scheme(self)
        self.theme_changed_signal.subscribe(self, lambda theme: apply_scheme(self))
        # In a browser tab (nn-tui serve), dialogs hide the screen under them instead of
        # dimming it: blending every cell of it cost ~40 ms a dialog (and every frame under
        # one), with 20 tabs on 2 cores (see app.tcss).
        self.set_class(to_browser(self), "-in-browser")
        if self._play_at_start:
            self.session.send("play")
        self.set_interval(1.0 / self.fps, self._drain_notices)
        self._end_on_signals()

    def on_ready(self) -> None:
        # The first frame is on the screen: now the training process starts (its Python,
        # NumPy and the kinds would otherwise compete with that frame for the CPU).
        self.run_worker(self.session.run, name="training", thread=True, exit_on_error=False)

    def _end_on_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT end the app as q does: the terminal is restored, the
        training process autosaves and ends, and the exit status is 128 + the signal."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            try:
                loop.add_signal_handler(signum, self._end_by_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread (tests)
                pass

    def _end_by_signal(self, signum: int) -> None:
        self._ended_by_signal = 128 + int(signum)
        exit_unless_done(self._ended_by_signal, BEFORE_STOP_SECONDS)  # the terminal may be gone
        self.exit(return_code=self._ended_by_signal)

    def get_default_screen(self) -> Screen:
        if self.watching:
            from nn_tui.ui.watch_screen import WatchScreen  # start-up time: only a watching tab needs it

            return WatchScreen(self.session, self.fps)
        if self.lesson is not None:
            # Start-up time: the lessons load only when the app opens on one.
            from nn_tui.lessons import LESSONS
            from nn_tui.ui.lesson_screen import LessonScreen

            return LessonScreen(self.session, LESSONS[self.lesson], self.fps)
        return playground_for(self.session, self.fps)

    def on_unmount(self) -> None:
        self.session.stop()
        if self._ended_by_signal is not None:
            exit_unless_done(self._ended_by_signal, AFTER_STOP_SECONDS)
        palette.set_scheme()  # the palette is the process's: leave it as the next app expects

    def open_lesson_picker(self) -> None:
        """The lesson picker (every screen's c key); Enter opens a lesson on this session."""
        from nn_tui.ui.lesson_screen import open_picker  # start-up time: lessons load when first asked for

        open_picker(self)

    @property
    def playground(self) -> PlaygroundScreen:
        """The kind's screen, even while help or an editor is on top of it."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PlaygroundScreen):
                return screen
        raise LookupError("no playground screen")  # before mount, or after the app ended

    def _drain_notices(self) -> None:
        notices = self.session.notices
        while not notices.empty():
            notice = notices.get_nowait()
            self.notify(notice.text, severity=notice.severity, markup=False,
                        timeout=8 if notice.severity == "error" else 4)

    # --------------------------------------------------------- command palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from nn_tui.ui.lesson_screen import lesson_commands  # start-up time: with the palette, not before

        yield from lesson_commands(self)
        try:
            playground = self.playground
        except LookupError:
            return
        for index, control in enumerate(playground.controls):
            key = control.key_display or control.key.split(",")[0]
            yield SystemCommand(control.label, f"key: {key}",
                                lambda index=index: playground.action_control(index))

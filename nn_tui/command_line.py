"""What the commands `nn-tui`, `train`, `serve`, `export` and `lesson` share.

One parser whose errors are one line (`Parser`), one way to end on a user error (exit
status 2, the message on one line, no traceback: `run_command`), one way from options to
a checked run (`parse_run`, `build_run`) and one way to launch the app on it, with the
autosave and the log (`launch_app`). The commands layer sits on top: nothing else in
nn_tui imports it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable

from nn_tui.config import ConfigError, add_run_options, config_from_args
from nn_tui.kinds import get_kind
from nn_tui.user_errors import USER_ERRORS, one_line

EXIT_USAGE = 2
EXIT_KEYBOARD_INTERRUPT = 130
DEFAULT_FPS = 10.0


class UsageError(Exception):
    """Bad options or input: one line for the user, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (no usage dump) and exits with 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see {self.prog} --help)")


def run_command(command: Callable[[list[str]], int], argv: list[str]) -> int:
    """Run one command; a user error ends it with one line on stderr and exit status 2."""
    try:
        return command(argv)
    except UsageError as error:
        return usage_error(str(error))
    except USER_ERRORS as error:
        return usage_error(one_line(error))
    except KeyboardInterrupt:
        return EXIT_KEYBOARD_INTERRUPT


def usage_error(message: str) -> int:
    print(f"nn-tui: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_USAGE


# ---------------------------------------------------------------- options -> a run
def run_parser(prog: str, description: str) -> Parser:
    """A parser with every run option: data, --model and each kind's, training, setup files."""
    parser = Parser(prog=prog, description=description)
    add_run_options(parser)
    return parser


def app_parser(prog: str = "nn-tui") -> Parser:
    """The app's options: a run's, and how the app shows it."""
    parser = run_parser(prog, "Watch a neural network learn, live. `nn-tui train --help` for headless training.")
    parser.add_argument("--play", action="store_true", help="start training at once")
    parser.add_argument("--fps", type=float, default=DEFAULT_FPS,
                        help="cap on screen updates per second (default: 10)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the run the app autosaved (in $XDG_STATE_HOME/nn-tui, else "
                             "~/.local/state/nn-tui); its settings replace the options given")
    return parser


def parse_run(parser: argparse.ArgumentParser, argv: list[str]):
    """(namespace, checked RunConfig) from the command line, a --config file and a --share string."""
    from nn_tui.setup_file import apply_config_file  # start-up time: tomllib only when a command parses

    try:
        ns = parser.parse_args(apply_config_file(parser, argv))
        return ns, config_from_args(ns)
    except ConfigError as error:
        raise UsageError(str(error)) from None


def check_app_options(ns: argparse.Namespace, config) -> None:
    """What the app refuses before it starts: a run its screen cannot show, a bad --fps."""
    try:
        get_kind(config.kind).fits_view(config)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if not ns.fps > 0:
        raise UsageError(f"--fps must be a positive number, got {ns.fps}")


def build_run(config):
    """The prepared kind and data, and the run built from them (UsageError on bad input)."""
    from nn_tui.run_setup import prepare  # start-up time: loads every kind's build code

    try:
        prepared = prepare(config)
        run = prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)
    except USER_ERRORS as error:
        raise UsageError(one_line(error)) from None
    return prepared, run


# ---------------------------------------------------------------- the app
def launch_app(config, *, fps: float = DEFAULT_FPS, play: bool = False, resume=None,
               lesson: str | None = None) -> int:
    """The app on `config` (or the autosaved run `resume`), opened on `lesson` if named.
    Every launch autosaves the run and logs to the state directory, a lesson's too."""
    # Start-up time: `nn-tui train` and `export` never load the session, its process or Textual.
    from nn_tui import broadcast, session_process
    from nn_tui.state_dir import LOG_NAME, autosave_path, served_tab, state_dir
    from nn_tui.ui.app import NNTuiApp

    if os.environ.get(broadcast.WATCH_FD_ENV):  # a watching tab of `nn-tui serve`: the teacher's run
        return _launch_watcher(broadcast, NNTuiApp, fps)
    path = autosave_path()
    _say_loading(config)
    try:
        session = session_process.SessionProcess(config, fps=fps, resume=resume, autosave_path=path,
                                                 log_path=state_dir() / LOG_NAME, served=served_tab(),
                                                 broadcast=_broadcaster(broadcast))
    except USER_ERRORS as error:
        raise UsageError(one_line(error)) from None
    if resume is None and not served_tab():  # a served tab's page offers its saved run itself
        _notice_of_autosave(session, path)
    app = NNTuiApp(session, play=play, fps=fps, lesson=lesson)
    app.run()
    return app.return_code or 0


def _broadcaster(broadcast):
    """The teacher's tab of `nn-tui serve` (the server passed it a pipe): its run can be shown
    on every other tab."""
    fd = _fd_from(os.environ.get(broadcast.BROADCAST_FD_ENV))
    if fd is None:
        return None
    return broadcast.Broadcaster(fd, presenting=os.environ.get(broadcast.PRESENTING_ENV) == "1")


def _launch_watcher(broadcast, NNTuiApp, fps: float) -> int:
    """The teacher's run, drawn read-only at this tab's size from the snapshots the server relays."""
    fd = _fd_from(os.environ.get(broadcast.WATCH_FD_ENV))
    if fd is None:
        raise UsageError(f"{broadcast.WATCH_FD_ENV} is not a pipe of nn-tui serve")
    try:
        session = broadcast.WatchSession(fd)
    except (EOFError, OSError, ValueError) as error:
        raise UsageError(f"nothing to watch: {one_line(error)}") from None
    app = NNTuiApp(session, fps=fps, watching=True)
    app.run()
    return app.return_code or 0


def _fd_from(text: str | None) -> int | None:
    try:
        fd = int(text or "")
        os.fstat(fd)
    except (ValueError, OSError):
        return None
    return fd


def _say_loading(config) -> None:
    """A line while a data file loads (a 50 MB CSV takes seconds), not a blank terminal."""
    if config.data.data is None:
        return
    path = Path(config.data.data)
    if path.is_dir():  # a folder of pictures (or of IDX files): its size says nothing
        print(f"nn-tui: reading the images in {path}...", file=sys.stderr, flush=True)
        return
    try:
        size = path.stat().st_size
    except OSError:
        return  # loading says what is wrong
    print(f"nn-tui: reading {config.data.data} ({size / 1e6:.1f} MB)...", file=sys.stderr, flush=True)


def _notice_of_autosave(session, path) -> None:
    """The start notice: an earlier run was autosaved, and how to bring it back."""
    # Start-up time: only the app reads the autosave and sends notices.
    from nn_tui import autosave
    from nn_tui.session import Notice

    if not path.exists():
        return
    try:
        info = autosave.read_info(path)
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(info["saved_at"]))
        what = f"{info['config']['data']['data'] or info['config']['data']['dataset']} " \
               f"at epoch {autosave.epoch_of(info)}, {when}"
    except (autosave.AutosaveError, KeyError, TypeError, ValueError, OverflowError):
        what = "unreadable"
    session.notices.put(Notice(f"An autosaved run exists ({what}): quit and start nn-tui --resume to bring "
                               "it back. It is replaced once this run trains.", "information"))

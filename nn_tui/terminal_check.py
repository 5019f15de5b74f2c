"""The app needs a terminal: without one it would fill a pipe with escape codes and
wait for keys that never come (a cron job, `nn-tui < /dev/null`, `ssh host nn-tui`
without -t). It is refused in one line, exit status 2, pointing to `nn-tui train`.

Textual's terminal driver reads keys from stdin and draws on stderr, so those two must
be terminals (stdout may be redirected: `nn-tui > log` draws as usual); TERM=dumb
cannot draw at all. A driver named in TEXTUAL_DRIVER needs no terminal: `nn-tui serve`
(textual-serve) runs each tab's app with pipes and Textual's web driver there.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Mapping

EXIT_USAGE = 2
HEADLESS_HINT = "to train without one, use nn-tui train (see nn-tui train --help)"


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (AttributeError, OSError, ValueError):  # closed, or not a real file
        return False


def missing_terminal(environ: Mapping[str, str] | None = None, stdin=None, stderr=None) -> str | None:
    """Why the app cannot start here, or None when it can."""
    environ = os.environ if environ is None else environ
    if environ.get("TEXTUAL_DRIVER"):
        return None
    if environ.get("TERM") == "dumb":
        return "the app needs a terminal that can draw (TERM is dumb)"
    if not _is_terminal(sys.__stdin__ if stdin is None else stdin):
        return "the app needs a terminal (its input is not one: a pipe, cron, or ssh without -t)"
    if not _is_terminal(sys.__stderr__ if stderr is None else stderr):
        return "the app needs a terminal (it draws on stderr, which is not one)"
    return None


def require_terminal(before_exit: Callable[[], None] | None = None) -> None:
    """Return when the app can start; else one line on stderr, `before_exit()` (stop what
    was started for the app) and SystemExit(2)."""
    problem = missing_terminal()
    if problem is None:
        return
    print(f"nn-tui: error: {problem}; {HEADLESS_HINT}", file=sys.stderr, flush=True)
    if before_exit is not None:
        before_exit()
    raise SystemExit(EXIT_USAGE)

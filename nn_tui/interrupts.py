"""Ctrl-C, SIGTERM and SIGHUP in `nn-tui train`: turned into one exception, so the
command can save what the run had learnt and exit with the usual status (128 + the
signal's number: 130, 143, 129)."""

from __future__ import annotations

import signal
from contextlib import contextmanager

CAUGHT = tuple(s for s in (getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP")) if s)


class Interrupted(BaseException):
    """A signal asked the command to stop. BaseException, like KeyboardInterrupt, so a
    library's `except Exception` does not swallow it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


# Set by the first signal (or by `restore`): any later one is ignored. A second signal can
# land on any line of the code that handles the first, the code that ignores signals while
# saving included; raised there it escaped that code and the run was not saved. One flag,
# set in one step, where switching the handlers to SIG_IGN would take three.
_ended = False


def _raise(signum, frame) -> None:
    global _ended
    if _ended:
        return
    _ended = True
    raise Interrupted(signum)


def install() -> dict:
    """From now on, the first of CAUGHT to come raises Interrupted in the main thread (and
    later ones are ignored). Returns the handlers it replaced, for `restore` (main() called
    in-process, as tests do)."""
    global _ended
    _ended = False
    return {signum: signal.signal(signum, _raise) for signum in CAUGHT}


def restore(previous: dict) -> None:
    """The command is ending: a signal from now on is ignored (raised while the handlers are
    put back, it would end the command with a traceback), then the handlers are put back."""
    global _ended
    _ended = True
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def uninstall() -> None:
    """Back to Python's defaults (Ctrl-C raises KeyboardInterrupt, the others end the process)."""
    for signum in CAUGHT:
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)


@contextmanager
def held():
    """Signals wait while the block runs (the final save is not torn by a second Ctrl-C);
    one that arrived meanwhile is ignored rather than raised afterwards."""
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in CAUGHT}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

"""Ending after a signal even when the terminal is gone.

After SIGHUP (a dropped SSH link) the terminal may have vanished, and Textual can hang
on its way out: the SIGCONT that comes with a hangup makes its driver start a second
output thread, that thread dies writing to the closed terminal (EIO), and closing the
driver then waits for ever on the thread's full queue. Seen in 1 run of 4 when tmux
killed a window running `nn-tui lesson rnn`: the app stayed behind, asleep.

So a signal arms a watchdog that ends the process with the signal's exit status if it
is still there after the training process had all the time it may take to autosave
(`SessionProcess.stop`), and again, shorter, once that stop has returned.
"""

from __future__ import annotations

import os
import threading

from nn_tui.session_process import STOP_SECONDS

BEFORE_STOP_SECONDS = 2 * STOP_SECONDS + 5  # SessionProcess.stop waits at most about 2 × STOP_SECONDS + 2
AFTER_STOP_SECONDS = 2.0  # the run is saved: only the terminal's cleanup is left


def exit_unless_done(code: int, seconds: float) -> None:
    """End the process with ``code`` in ``seconds`` unless it has ended by then."""
    timer = threading.Timer(seconds, os._exit, args=(code,))
    timer.daemon = True  # a normal exit does not wait for it
    timer.start()

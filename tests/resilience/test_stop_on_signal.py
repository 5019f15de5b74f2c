"""The training process's stop signal can land on any line of the code it interrupts, the
session's own stop included (an app's death closes the command pipe and sends SIGTERM at
once). The handler must never wait for a lock that code holds: once, in CI, a training
process hung in threading.Event.set and outlived its killed app."""

import multiprocessing
import os
import signal
import sys
import threading

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.session_process import STOP, PipeCommands, stop_on_signal


class _ArmedCommands(PipeCommands):
    """Commands from a pipe that say when the stop command has been read."""

    armed = False

    def get(self, timeout=None):
        command = super().get(timeout)
        if command == STOP:
            self.armed = True
        return command


def _stop_with_a_signal_at(line: int | None) -> tuple[bool, list]:
    """Run a paused session until it reads the stop command, with one SIGTERM (its handler,
    called as a signal would call it) at the `line`-th line run after that command was read.
    Returns whether the session ended, and the lines run after the command."""
    receiver, sender = multiprocessing.Pipe(duplex=False)
    sender.send(STOP)
    commands = _ArmedCommands(receiver, os.getppid())
    session = Session(RunConfig.of(dataset="xor"), commands=commands)
    handler = stop_on_signal({"session": session, "signalled": False})
    lines = []

    def trace(frame, event, arg):
        # The trace function's own calls are not traced: the handler runs between two lines
        # of the interrupted code, as a signal's handler does.
        if event == "line" and commands.armed:
            lines.append(f"{os.path.basename(frame.f_code.co_filename)}:{frame.f_lineno}")
            if len(lines) - 1 == line:
                handler(signal.SIGTERM, None)
        return trace

    def run() -> None:
        sys.settrace(trace)
        try:
            session.run()
        finally:
            sys.settrace(None)

    training = threading.Thread(target=run, daemon=True)  # if it hangs, the test still ends
    training.start()
    training.join(timeout=60)
    sender.close()
    return not training.is_alive() and session.stopping, lines


def test_a_stop_signal_at_any_line_after_the_stop_command_still_ends_the_session():
    ended, lines = _stop_with_a_signal_at(None)
    assert ended and len(lines) > 5  # the path from the stop command to the session's end
    hung = []
    for at in range(len(lines)):
        ended, _ = _stop_with_a_signal_at(at)
        if not ended:
            hung.append(lines[at])
    assert not hung, f"the session hung when the signal came at {hung}"

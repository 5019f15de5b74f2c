"""A served tab's training process: a session of its own at the lowest priority, back to
its screen's priority to end; and the server ends it with its tab even so (without a
server: a stand-in app that starts a stand-in training process)."""

import asyncio
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nn_tui.classroom.processes import end_groups, groups_of_tab

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def _stat(pid):
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _alive(pid):
    try:
        return _stat(pid)[0] != "Z"
    except OSError:
        return False


def _autogroups_on():
    try:
        return Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        return False


def _run(code):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parents[1]),
                                                                        os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_a_served_training_process_leaves_the_tabs_session_at_the_lowest_priority():
    done = _run("""
        import os
        from pathlib import Path
        from nn_tui.session_process import hurry_to_end, lower_priority
        def group():  # "/autogroup-12 nice 19"; empty in the default group, absent without autogroups
            try:
                return (Path("/proc/self/autogroup").read_text().split() or ["0"])[-1]
            except OSError:
                return "none"
        before = os.getsid(0)
        lower_priority(served=True)
        print(before != os.getsid(0), os.getsid(0) == os.getpid(), os.nice(0), group())
        hurry_to_end()
        print(group())
    """)
    assert done.returncode == 0, done.stderr
    moved, leads, nice, niceness = done.stdout.split("\n")[0].split()
    assert (moved, leads, nice) == ("True", "True", "19")
    if _autogroups_on():
        assert niceness == "19"
        assert done.stdout.split("\n")[1] == "0"  # a stopping one ends at its screen's priority


def test_the_terminal_apps_training_process_stays_in_its_session_at_nice_10():
    done = _run("""
        import os
        from nn_tui.session_process import lower_priority
        session, nice = os.getsid(0), os.nice(0)
        lower_priority()
        print(session == os.getsid(0), os.nice(0) - nice)
    """)
    assert done.returncode == 0, done.stderr
    stays, added = done.stdout.split()
    assert stays == "True"
    assert int(added) == min(19, os.nice(0) + 10) - os.nice(0)  # the test's own nice, as the child's


# A stand-in app: a process group of its own, starting a "training process" that leaves for a
# session of its own and ignores SIGTERM (a run stuck in a long step).
APP = """
import os, signal, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import os, signal, time; os.setsid(); "
                          "signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                          "print(os.getpid(), flush=True); time.sleep(600)"],
                         stdout=subprocess.PIPE, text=True)
print(child.stdout.readline().strip(), flush=True)
time.sleep(600)
"""


def test_the_server_ends_a_tabs_training_process_in_its_own_session_too():
    app = subprocess.Popen([sys.executable, "-c", APP], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        trainer = int(app.stdout.readline())
        assert int(_stat(trainer)[3]) == trainer  # its own session, so not in the app's group
        groups = groups_of_tab(app.pid)
        assert groups == {app.pid, trainer}
        asyncio.run(end_groups(groups, grace_seconds=0.5))
        app.wait(timeout=120)
        deadline = time.monotonic() + 60
        while _alive(trainer) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(trainer), "SIGTERM ignored: SIGKILL after the grace period"
    finally:
        for group in groups_of_tab(app.pid):
            try:
                os.killpg(group, 9)
            except ProcessLookupError:
                pass
        app.wait(timeout=120)


def test_a_tab_that_is_gone_has_only_its_own_group():
    app = subprocess.Popen([sys.executable, "-c", "pass"])
    app.wait(timeout=120)
    assert groups_of_tab(app.pid) == {app.pid}
    asyncio.run(end_groups({app.pid}, grace_seconds=0.1))  # nothing to signal: no error


class _Autogroup:
    """/proc/self/autogroup as Linux answers a process without CAP_SYS_ADMIN: EAGAIN while
    another autogroup's niceness was set in the last 100 ms (here: the first `refusals` writes)."""

    def __init__(self, refusals):
        self.refusals, self.written = refusals, []

    def open(self, path, mode="r", encoding=None):
        assert (path, mode) == ("/proc/self/autogroup", "w")
        if self.refusals:
            self.refusals -= 1
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text):
        self.written.append(text)


def test_a_niceness_the_kernel_refuses_for_now_is_set_on_a_later_try(monkeypatch):
    from nn_tui import session_process

    autogroup = _Autogroup(refusals=3)
    monkeypatch.setattr(session_process, "open", autogroup.open, raising=False)
    monkeypatch.setattr(session_process, "AUTOGROUP_RETRY_SECONDS", 0.001)
    session_process.hurry_to_end()
    assert autogroup.written == ["0"] and autogroup.refusals == 0


def test_a_niceness_refused_for_longer_than_the_patience_is_given_up(monkeypatch):
    from nn_tui import session_process

    autogroup = _Autogroup(refusals=10**9)
    monkeypatch.setattr(session_process, "open", autogroup.open, raising=False)
    monkeypatch.setattr(session_process, "AUTOGROUP_RETRY_SECONDS", 0.001)
    monkeypatch.setattr(session_process, "HURRYING_PATIENCE_SECONDS", 0.05)
    session_process.hurry_to_end()  # returns (the process's own nice value still holds), no error
    assert autogroup.written == []

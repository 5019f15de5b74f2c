"""What a watching tab costs: `nn-tui serve --present`, the teacher's tab training, N tabs watching.

    python bench/watchers_cpu.py [--watchers 10] [--seconds 30] [--dataset spiral] [--feed] [-- app options]

Starts `nn-tui serve --present` (its own state directory), opens the teacher's tab (100x30)
and presses Space, then N tabs that watch (100x30); once each shows the watching line, the
CPU time (utime + stime from /proc/PID/stat) of every watching tab's app over --seconds, in
cores (CPU seconds a second): median, min and max of the N, beside the teacher's app, its
training process and the server; and the bytes a second each watcher's browser receives.
spiral by default: its snapshots are ~380 KB, the size issue 24's watchers read. The
machine's load (`uptime`) is printed before and after: CPU time is what a tab costs, the
load says what else ran. On a loaded machine the teacher's training (the lowest priority)
may hardly train, and its watchers then have little to draw: --feed measures the watchers
alone, started as the server starts them and fed through the server's relay at the pace a
full-speed teacher publishes in that class.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.classroom_load import Tab, cpu_ticks, free_port, stop_server, tabs_below, uptime  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
WATCH_LINE = b"watching the teacher's run"
TEACHER_TAB = "TEACHERTEACHER00"


def environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def watching_apps(server_pid: int) -> list[int]:
    return sorted(app for app in tabs_below(server_pid) if b"NN_TUI_WATCH_FD=" in environ(app))


def banner_line(log: Path, start: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith(start):
                return line
        time.sleep(0.1)
    raise RuntimeError(f"the server never said {start!r}: {log.read_text()}")


async def open_ws(http, port: int, path: str, wanted: bytes) -> Tab:
    ws = await http.ws_connect(f"ws://127.0.0.1:{port}{path}?width=100&height=30", max_msg_size=0)
    tab = Tab(ws)
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    if not await tab.wait_for(wanted, 0, 180):
        raise RuntimeError(f"{path}: never showed {wanted!r}")
    return tab


async def scenario(server_pid: int, port: int, key: str, watchers: int, seconds: float, say) -> dict:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        teacher = await open_ws(http, port, f"/ws/{TEACHER_TAB}/drive.{key}", b"epoch")
        since = len(teacher.received)
        await teacher.key(" ")
        if not await teacher.wait_for(b"training", since, 60):
            raise RuntimeError("the teacher's run never started training")
        teacher_app = next(iter(tabs_below(server_pid)))
        tabs = []
        for number in range(watchers):
            tabs.append(await open_ws(http, port, f"/ws/W{number:015d}/watch", WATCH_LINE))
            say(f"  watcher {number + 1} shows the teacher's run")
        await asyncio.sleep(5)  # every watcher past its start-up
        apps = watching_apps(server_pid)
        below = tabs_below(server_pid)
        teacher_pids = below.get(teacher_app, {teacher_app})
        training = [pid for pid in teacher_pids if pid != teacher_app and b"resource_tracker" not in
                    Path(f"/proc/{pid}/cmdline").read_bytes()]
        measured = {"watchers": apps, "teacher app": [teacher_app], "teacher training": training,
                    "server": [server_pid]}
        before = {pid: cpu_ticks(pid) for pids in measured.values() for pid in pids}
        received = [len(tab.received) for tab in tabs]
        started = time.monotonic()
        await asyncio.sleep(seconds)
        elapsed = time.monotonic() - started
        after = {pid: cpu_ticks(pid) for pid in before}
        hz = os.sysconf("SC_CLK_TCK")
        cores = {role: [(after[pid][0] - before[pid][0]) / hz / elapsed for pid in pids
                        if before[pid] is not None and after[pid] is not None]
                 for role, pids in measured.items()}
        rates = [(len(tab.received) - start) / elapsed for tab, start in zip(tabs, received)]
        for tab in (*tabs, teacher):
            await tab.ws.close()
    return {"cores": cores, "bytes": rates, "elapsed": elapsed}


# ------------------------------------------------------------------ a controlled feed
def spiral_frames(count: int = 40) -> list[bytes]:
    """A teacher's snapshot frames (spiral 8,8 training): what the server relays to watchers."""
    import pickle

    from nn_tui.broadcast import SNAPSHOT, frame
    from nn_tui.config import RunConfig
    from nn_tui.session import Session

    session = Session(RunConfig.of(dataset="spiral", layers=(8, 8)))
    session._do_play()
    frames = []
    for _ in range(count):
        session.train_slice(0.02)
        session.publish()
        frames.append(frame(SNAPSHOT, pickle.dumps((session.snapshot, []), protocol=pickle.HIGHEST_PROTOCOL)))
    return frames


async def feed_scenario(watchers: int, seconds: float, say) -> dict:
    """N watching apps started as the server starts them (the web driver, 100x30, the class
    file, a relay pipe each), offered a teacher's snapshots at a full-speed teacher's pace in a
    class of N + 1 (class_fps: what its training publishes), through the server's own relay."""
    from nn_tui.classroom import relay
    from nn_tui.ui.class_pace import class_fps, write_class_size

    frames = spiral_frames()
    cores = os.cpu_count() or 1
    tabs = watchers + 1
    teacher_rate = class_fps(10, tabs, cores)
    state = Path(tempfile.mkdtemp(prefix="nn-tui-watchers-feed-"))
    class_file = state / "class"
    write_class_size(class_file, tabs)
    env = {**os.environ, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_FPS": "60",
           "TEXTUAL_COLOR_SYSTEM": "truecolor", "TERM_PROGRAM": "textual", "COLUMNS": "100", "ROWS": "30",
           "NN_TUI_SERVE_CLASS": str(class_file), "XDG_STATE_HOME": str(state),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    pipes, apps, drains, sent = [], [], [], [0]

    async def drain(stream, counter):
        while chunk := await stream.read(1 << 16):
            counter[0] += len(chunk)

    received = []
    for _ in range(watchers):
        pipe = relay.WatcherPipe()
        app = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "nn_tui", env={**env, "NN_TUI_WATCH_FD": str(pipe.child_fd)},
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
            pass_fds=(pipe.child_fd,), start_new_session=True, cwd=state)
        pipe.child_started()
        pipe.offer(frames[0])
        counter = [0]
        received.append(counter)
        drains.append(asyncio.create_task(drain(app.stdout, counter)))
        pipes.append(pipe)
        apps.append(app)

    async def teacher():
        number = 0
        while True:
            await asyncio.sleep(1 / teacher_rate)
            number += 1
            sent[0] += 1
            for pipe in pipes:
                pipe.offer(frames[number % len(frames)])

    feeding = asyncio.create_task(teacher())
    try:
        await asyncio.sleep(15)  # every app started and drawing
        pids = [app.pid for app in apps]
        before = {pid: cpu_ticks(pid) for pid in pids}
        bytes_before, sent_before = [c[0] for c in received], sent[0]
        started = time.monotonic()
        await asyncio.sleep(seconds)
        elapsed = time.monotonic() - started
        after = {pid: cpu_ticks(pid) for pid in pids}
        hz = os.sysconf("SC_CLK_TCK")
        cores_used = [(after[pid][0] - before[pid][0]) / hz / elapsed for pid in pids
                      if before[pid] is not None and after[pid] is not None]
        rates = [(c[0] - b) / elapsed for c, b in zip(received, bytes_before)]
        offered = (sent[0] - sent_before) / elapsed
    finally:
        feeding.cancel()
        for pipe in pipes:
            pipe.close()
        for app in apps:
            try:
                os.killpg(app.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for app in apps:
            await app.wait()
        shutil.rmtree(state, ignore_errors=True)
    say(f"  the teacher's snapshots offered {offered:.2f} a second (a full-speed teacher's pace in a class "
        f"of {tabs} on {cores} cores)")
    return {"cores": {"watchers": cores_used}, "bytes": rates, "elapsed": elapsed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=30, help="how long CPU time is sampled")
    parser.add_argument("--dataset", default="spiral")
    parser.add_argument("--feed", action="store_true",
                        help="no server: watching apps fed through the relay at a full-speed teacher's pace")
    parser.add_argument("app_options", nargs="*", help="after --: more app options, e.g. -- --layers 8,8")
    args = parser.parse_args(argv)
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"load before: {uptime()}  ({os.cpu_count()} cores)")
    if args.feed:
        result = asyncio.run(feed_scenario(args.watchers, args.seconds, say))
        report(result, f"{args.watchers} watching apps fed spiral 8,8 snapshots", say)
        say(f"load after: {uptime()}")
        return 0
    port = free_port()
    state = Path(tempfile.mkdtemp(prefix="nn-tui-watchers-bench-"))
    log = state / "server.log"
    env = {**os.environ, "XDG_STATE_HOME": str(state),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "nn_tui", "serve", "--present", "--port", str(port),
                                   "--max-tabs", str(args.watchers + 1), "--dataset", args.dataset,
                                   *args.app_options],
                                  stdout=out, stderr=subprocess.STDOUT, env=env, cwd=state, start_new_session=True)
    try:
        line = banner_line(log, "Teacher: open ")
        url = line.split("open ", 1)[1].split()[0]
        key = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["present"][0]
        result = asyncio.run(scenario(server.pid, port, key, args.watchers, args.seconds, say))
    finally:
        stop_server(server, state)
    report(result, f"{args.watchers} watching tabs ({' '.join([args.dataset, *args.app_options])})", say)
    say(f"load after: {uptime()}")
    return 0


def report(result: dict, what: str, say) -> None:
    cores = result["cores"]
    watchers = cores["watchers"]
    say(f"\n{what}, CPU over {result['elapsed']:.0f} s (cores = CPU seconds a second):")
    say(f"  a watcher's app: median {statistics.median(watchers):.4f}, min {min(watchers):.4f}, "
        f"max {max(watchers):.4f}; all {sum(watchers):.3f}")
    for role in ("teacher app", "teacher training", "server"):
        if role in cores:
            say(f"  {role}: {sum(cores[role]):.3f}")
    say(f"  bytes to a watcher's browser: median {statistics.median(result['bytes']) / 1024:.1f} KB/s")


if __name__ == "__main__":
    raise SystemExit(main())

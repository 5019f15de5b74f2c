"""`nn-tui serve` with a class on one machine: N tabs training at once, over loopback.

    python bench/classroom_load.py [--tabs 20] [--samples 20] [--dataset circle] [-- app options]

Starts `nn-tui serve` (its own state directory), opens N tabs over the websocket as
textual.js does (100x30 cells), presses Space in each (all train), then measures:
- key to screen: in three of the tabs, `?` is pressed and the time until the help
  screen's title ("nn-tui keys") is in the bytes the tab receives; Esc closes it; a pause
  between presses. p50 / p95 / max over every sample.
- a new tab's first frame while the N train: websocket opened to the status line
  ("epoch") in its bytes.
- memory per tab: the proportional set size (Pss, shared pages split) of each tab's
  processes (the app, its training process, multiprocessing's resource tracker).
- clean-up: each tab's websocket is closed; the time until every process of its tab is
  gone (the goal: 5 s).
- CPU: over 20 s (--cpu-seconds) while every tab trains, each kind of process's CPU seconds a second
  (server, apps, training processes, trackers) and nice values, and the bytes a second a
  tab receives: what a tab costs, whatever else runs on the machine.
- the same key to screen in the first tab before anything trains: what the machine's own
  load costs.
Goals (issue 24): p95 key to screen <= 300 ms, a new tab's first frame <= 3 s. The machine's
load (`uptime`) is printed before and after: these are wall-clock times on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")
HELP_TITLE = b"nn-tui keys"
STATUS = b"epoch"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent, process group) of every live process."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                table[int(entry)] = (int(fields[1]), int(fields[3]))
    return table


def tabs_below(server_pid: int) -> dict[int, set[int]]:
    """Each tab's app (a child of the server) -> it and every process below it: its training
    process (in a session of its own) and multiprocessing's resource tracker."""
    table = processes()
    children: dict[int, set[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, set()).add(pid)
    tabs = {}
    for app in children.get(server_pid, ()):
        found, frontier = {app}, {app}
        while frontier:
            frontier = set().union(*(children.get(pid, set()) for pid in frontier)) - found
            found |= frontier
        tabs[app] = found
    return tabs


def pss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def role_of(pid: int, server_pid: int) -> str:
    """server, app, training or tracker (multiprocessing's resource tracker)."""
    if pid == server_pid:
        return "server"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "gone"
    if b"resource_tracker" in cmdline:
        return "tracker"
    if b"multiprocessing" in cmdline:
        return "training"
    return "app"


def cpu_ticks(pid: int) -> tuple[int, int] | None:
    """(utime + stime in clock ticks, nice) of a process, None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12]), int(fields[16])


async def cpu_by_role(server_pid: int, seconds: float, tabs: list) -> dict:
    """Each role's CPU (cores: CPU seconds a second) and nice values over `seconds`, and the
    bytes a second each tab received: what a tab costs whatever the machine's load."""
    pids = set().union(*tabs_below(server_pid).values()) | {server_pid}
    before = {pid: cpu_ticks(pid) for pid in pids}
    received = [len(tab.received) for tab in tabs]
    started = time.monotonic()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - started
    after = {pid: cpu_ticks(pid) for pid in pids}
    hz = os.sysconf("SC_CLK_TCK")
    roles: dict = {}
    for pid in pids:
        if before[pid] is None or after[pid] is None:
            continue
        role = roles.setdefault(role_of(pid, server_pid), {"cores": 0.0, "count": 0, "nice": set()})
        role["cores"] += (after[pid][0] - before[pid][0]) / hz / elapsed
        role["count"] += 1
        role["nice"].add(after[pid][1])
    rates = [(len(tab.received) - start) / elapsed for tab, start in zip(tabs, received)]
    return {"roles": roles, "bytes per second per tab": statistics.median(rates)}


def alive(pids) -> set[int]:
    table = processes()
    return {pid for pid in pids if pid in table}


class Tab:
    def __init__(self, ws):
        self.ws = ws
        self.received = bytearray()
        self.arrived = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self):
        import aiohttp

        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += message.data
                self.arrived.set()

    async def wait_for(self, needle: bytes, since: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in ANSI.sub(b"", bytes(self.received[since:])):
                return True
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
        return needle in ANSI.sub(b"", bytes(self.received[since:]))

    async def key(self, text: str):
        await self.ws.send_json(["stdin", text])


async def open_tab(http, port: int, timeout: float = 120) -> tuple[Tab, float]:
    started = time.monotonic()
    ws = await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30", max_msg_size=0)
    tab = Tab(ws)
    await ws.send_json(["resize", {"width": 100, "height": 30}])
    if not await tab.wait_for(STATUS, 0, timeout):
        raise RuntimeError("a tab never drew its status line")
    return tab, time.monotonic() - started


async def key_to_screen(tab: Tab, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        since = len(tab.received)
        pressed = time.monotonic()
        await tab.key("?")
        if await tab.wait_for(HELP_TITLE, since, 10):
            times.append(time.monotonic() - pressed)
        else:
            times.append(float("inf"))
        await tab.key("\x1b")
        await asyncio.sleep(0.6)
    return times


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def scenario(server_pid: int, port: int, tabs_wanted: int, samples: int, say, cpu_seconds: float = 20) -> dict:
    import aiohttp

    result: dict = {}
    async with aiohttp.ClientSession() as http:
        tabs, apps, firsts = [], [], []
        for number in range(tabs_wanted):
            before = set(tabs_below(server_pid))
            tab, first = await open_tab(http, port)
            if number == 0:  # the same measure with nothing training: what the machine's load alone costs
                await asyncio.sleep(2)
                result["key to screen, one paused tab (ms)"] = [t * 1000 for t in await key_to_screen(tab, samples)]
            await tab.key(" ")  # train
            tabs.append(tab)
            firsts.append(first)
            apps.append(next(iter(set(tabs_below(server_pid)) - before)))
            await asyncio.sleep(0.5)
            say(f"  tab {number + 1}: first frame {first:.2f} s, training")
        await asyncio.sleep(5)  # every tab well into training
        result["cpu"] = await cpu_by_role(server_pid, cpu_seconds, tabs)
        result["first frame while others start (s)"] = (statistics.median(firsts), max(firsts))
        measured = [tabs[0], tabs[len(tabs) // 2], tabs[-1]]
        times = []
        for tab in measured:
            times += await key_to_screen(tab, samples)
        result["key to screen (ms)"] = [t * 1000 for t in times]
        # Memory: each tab's processes.
        below = tabs_below(server_pid)
        result["memory per tab (MB, Pss)"] = [pss_mb(below.get(app, set())) for app in apps]
        # A new tab while every other trains.
        before = set(below)
        extra, first = await open_tab(http, port)
        result["new tab's first frame while all train (s)"] = first
        tabs.append(extra)
        apps.append(next(iter(set(tabs_below(server_pid)) - before)))
        ticks = cpu_ticks(apps[-1])  # its app's CPU to that frame: what the frame costs, whatever the load
        result["new tab's app CPU to its first frame (s)"] = ticks[0] / os.sysconf("SC_CLK_TCK") if ticks else None
        # Clean-up: close each, time until its processes are gone.
        gone_after, seen = [], set()
        for tab, app in zip(tabs, apps):
            pids = tabs_below(server_pid).get(app, {app})
            seen |= pids
            closed = time.monotonic()
            await tab.ws.close()
            while alive(pids) and time.monotonic() - closed < 30:
                await asyncio.sleep(0.05)
            gone_after.append(time.monotonic() - closed if not alive(pids) else float("inf"))
        result["every process gone after close (s)"] = gone_after
        result["left below the server"] = len(alive(seen)) + sum(len(p) for p in tabs_below(server_pid).values())
    return result


def stop_server(server: subprocess.Popen, state) -> None:
    """End a bench's `nn-tui serve` (its tabs end with it) and remove its state folder."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
    shutil.rmtree(state, ignore_errors=True)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=20)
    parser.add_argument("--samples", type=int, default=20, help="key presses in each of three tabs")
    parser.add_argument("--dataset", default="circle")
    parser.add_argument("--cpu-seconds", type=float, default=20, help="how long CPU use is sampled")
    parser.add_argument("app_options", nargs="*", help="after --: more app options for every tab, e.g. -- --fps 4")
    args = parser.parse_args(argv)
    say = lambda text: print(text, flush=True)  # noqa: E731
    say(f"load before: {uptime()}  ({os.cpu_count()} cores)")
    port = free_port()
    state = tempfile.mkdtemp(prefix="nn-tui-classroom-bench-")
    env = {**os.environ, "XDG_STATE_HOME": state,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    server = subprocess.Popen([sys.executable, "-m", "nn_tui", "serve", "--port", str(port),
                               "--max-tabs", str(args.tabs + 1), "--dataset", args.dataset, *args.app_options],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=state,
                              start_new_session=True)
    for _ in range(3):
        say("  server: " + server.stdout.readline().rstrip())
    cpu_before = os.times()
    try:
        result = asyncio.run(scenario(server.pid, port, args.tabs, args.samples, say, args.cpu_seconds))
    finally:
        stop_server(server, state)
    cpu = os.times()
    keys = result["key to screen (ms)"]
    memory = result["memory per tab (MB, Pss)"]
    gone = result["every process gone after close (s)"]
    say(f"\n{args.tabs} tabs training ({' '.join([args.dataset, *args.app_options])}), loopback:")
    say(f"  key to screen: p50 {percentile(keys, 50):.0f} ms, p95 {percentile(keys, 95):.0f} ms, "
        f"max {max(keys):.0f} ms over {len(keys)} presses in 3 tabs (goal p95 <= 300 ms)")
    new_first = result["new tab's first frame while all train (s)"]
    alone = result["key to screen, one paused tab (ms)"]
    say(f"  (the same with one paused tab and nothing training: p50 {percentile(alone, 50):.0f} ms, "
        f"p95 {percentile(alone, 95):.0f} ms)")
    first_cpu = result["new tab's app CPU to its first frame (s)"]
    cpu_said = f"; its app's CPU to it: {first_cpu:.2f} s" if first_cpu is not None else ""
    say(f"  new tab's first frame while all train: {new_first:.2f} s (goal <= 3 s){cpu_said}")
    median_first, max_first = result["first frame while others start (s)"]
    say(f"  first frames while the class came in: median {median_first:.2f} s, max {max_first:.2f} s")
    say(f"  memory per tab (Pss): median {statistics.median(memory):.0f} MB, "
        f"max {max(memory):.0f} MB, all {sum(memory):.0f} MB")
    say(f"  processes gone after their tab closed: median {statistics.median(gone):.2f} s, max {max(gone):.2f} s "
        f"(goal <= 5 s); left below the server at the end: {result['left below the server']}")
    cpu_use = result["cpu"]
    say(f"  CPU over {args.cpu_seconds:g} s while all train (cores = CPU seconds a second; "
        f"per tab = the role's total / "
        f"{args.tabs}), bytes to a tab {cpu_use['bytes per second per tab'] / 1024:.1f} KB/s (median):")
    for role, use in sorted(cpu_use["roles"].items()):
        say(f"    {role:8} x{use['count']:<3} {use['cores']:.3f} cores, {use['cores'] / args.tabs:.4f} a tab, "
            f"nice {sorted(use['nice'])}")
    total = sum(use["cores"] for use in cpu_use["roles"].values())
    say(f"    all       {total:.3f} cores, {total / args.tabs:.4f} a tab")
    say(f"  bench client CPU: {cpu.user - cpu_before.user + cpu.system - cpu_before.system:.1f} s")
    say(f"load after: {uptime()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

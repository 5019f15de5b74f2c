"""The app, measured as a person runs it: in a real terminal (tmux), through
``<repo>/../shared/tools/tui-meter``, and its training session headlessly for
memory.

- live ÷ headless epochs/s: ``nn-tui train --json`` gives headless epochs and
  seconds; the live rate is the epoch on the app's status line at the end of a
  tui-meter run over the seconds it trained (the run's seconds less the median
  launch time). Headless and app runs alternate (3 pairs, quick 1); medians.
- bytes/s, CPU % and peak RSS: tui-meter's figures (median run; bytes/s
  includes the first paint, amortised over the run).
- launch to first frame: a tmux pane is polled every ~10 ms from the moment
  the command is started in it until the status line ("… epoch N") is on the
  screen. This counts what a person waits for: interpreter start, imports,
  data, first paint (Textual's run_test() would leave out the first three).
- key press to screen: in the same kind of tmux pane, once training has run
  for 2 s, ``+`` and ``-`` (learning rate up/down) are sent in turn, each at a
  random moment of the frame cycle, and the pane is polled (tmux capture-pane,
  ~3 ms a poll) until the status line shows the new rate. The time includes
  tmux delivering the key and the poll's own delay, so it is an upper bound.
- random keys: every binding and the keys of the screens on top, and one time
  in ten a resize (down to 20×3), sent at random while training (3 × 400,
  quick 1 × 150); the row passes if the app is still running after each run.
- memory: ``python bench/app_meter.py memory STEPS`` runs a Session (no UI) in
  its training thread, as the app does (publishing snapshots at 10 fps), on
  the circle set with batch size 1, and reports VmRSS after a warm-up and at
  the end.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: make `bench` and `nn_tui` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ORIGINAL_ENV, REPO

APP_ARGS = ["--dataset", "spiral", "--layers", "8,8"]
SIZE = (120, 40)
STATUS_RE = re.compile(r"(?:training|paused|diverged)\s+epoch\s+([\d,]+)")
TERM_ENV = "TERM=xterm-256color COLORTERM=truecolor LANG=C.UTF-8 LC_ALL=C.UTF-8"


def tui_meter_path() -> Path:
    return REPO.parent / "shared" / "tools" / "tui-meter"


def missing() -> str | None:
    """Why the app part cannot run here, or None."""
    if not shutil.which("nn-tui"):
        return "nn-tui is not on PATH (pip install -e .): app rows skipped"
    if not shutil.which("tmux"):
        return "tmux is not installed (apt-get install -y tmux): app rows skipped"
    if not tui_meter_path().is_file():
        return f"{tui_meter_path()} not found: app rows skipped"
    return None


# ----------------------------------------------------------------------------- headless
def headless(epochs: int) -> dict:
    """`nn-tui train ... --json` on the app's settings: its epochs/s."""
    cmd = ["nn-tui", "train", *APP_ARGS, "--epochs", str(epochs), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, env=ORIGINAL_ENV, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(cmd)} exited with {done.returncode}: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return {"epochs": report["epochs"], "seconds": report["seconds"],
            "epochs_per_s": report["epochs"] / report["seconds"]}


# ----------------------------------------------------------------------------- live
def live(seconds: float) -> dict:
    """tui-meter on `nn-tui ... --play` for `seconds` (no start-up wait): its JSON
    plus the epoch read from the status line of the last screen."""
    with tempfile.TemporaryDirectory(prefix="nn-tui-bench-") as tmp:
        screen = Path(tmp) / "screen.txt"
        cmd = [sys.executable, str(tui_meter_path()), "--size", f"{SIZE[0]}x{SIZE[1]}", "--seconds", str(seconds),
               "--startup", "0", "--screen", str(screen), "--", "nn-tui", *APP_ARGS, "--play"]
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ORIGINAL_ENV)
        ui_cpu = ui_cpu_percent(seconds)
        stdout, stderr = process.communicate(timeout=seconds + 120)
        done = subprocess.CompletedProcess(cmd, process.returncode, stdout, stderr)
        if done.returncode != 0:
            raise RuntimeError(f"tui-meter exited with {done.returncode}: {done.stderr.strip()}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        text = screen.read_text(errors="replace")
    match = STATUS_RE.search(text)
    if not match:
        tail = " / ".join(line.strip() for line in text.splitlines()[:3])
        raise RuntimeError(f"no 'epoch N' status line on the app's last screen: {tail!r}")
    report["epoch"] = int(match.group(1).replace(",", ""))
    report["ui_cpu_percent"] = ui_cpu
    report["screen_text"] = text
    return report


def _is_app(pid: str) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return any(arg.endswith(b"/nn-tui") or arg == b"nn-tui" for arg in argv[:2]) and b"tmux" not in argv[0]


def ui_cpu_percent(seconds: float) -> float | None:
    """CPU % of the app's own process (the UI; training runs in a child with another
    command line), sampled from /proc between 3 s into the run and 1 s before its end."""
    pattern = "nn-tui " + " ".join(APP_ARGS)
    tick = os.sysconf("SC_CLK_TCK")

    def cpu_ticks(pid: str) -> int | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return int(fields[11]) + int(fields[12])  # utime + stime of the process itself

    time.sleep(3)
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    # The pattern is also in tui-meter's and tmux's command lines: keep the app itself.
    apps = [pid for pid in found if _is_app(pid)]
    if not apps:
        return None
    pid = apps[0]
    start, started = cpu_ticks(pid), time.monotonic()
    time.sleep(max(seconds - 4, 1))
    end, ended = cpu_ticks(pid), time.monotonic()
    if start is None or end is None:
        return None
    return 100.0 * (end - start) / tick / (ended - started)


# ----------------------------------------------------------------------------- a tmux pane
_panes = 0


class AppPane:
    """`nn-tui ... --play` in a 120×40 pane of a private tmux server.

    The server starts with an idle pane; `launch()` swaps the app in and
    returns at once, so timings start from the app's own start."""

    def __init__(self):
        global _panes
        _panes += 1
        self.socket = f"nnbench{os.getpid()}x{_panes}"
        with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
            conf.write("set -g status off\nset -g history-limit 0\nset -g remain-on-exit on\n")
        self.conf = conf.name

    def tmux(self, *args, check=True) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, env=ORIGINAL_ENV)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    def __enter__(self):
        self.tmux("-f", self.conf, "new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "cat")
        return self

    def __exit__(self, *exc):
        self.tmux("kill-server", check=False)
        os.unlink(self.conf)

    def launch(self) -> None:
        command = f"env {TERM_ENV} sh -c {shlex.quote('exec ' + shlex.join(['nn-tui', *APP_ARGS, '--play']))}"
        self.tmux("respawn-pane", "-k", "-t", "bench", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "bench", check=False)

    def exit_status(self) -> int | None:
        """None while the app runs; its exit status once it has ended."""
        dead, _, status = self.tmux("display-message", "-p", "-t", "bench",
                                    "#{pane_dead} #{pane_dead_status}").strip().partition(" ")
        return int(status or -1) if dead == "1" else None

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", "bench", "-x", str(width), "-y", str(height))

    def wait_for(self, pattern: re.Pattern, timeout: float, poll: float) -> re.Match:
        start = time.perf_counter()
        while True:
            match = pattern.search(self.screen())
            if match:
                return match
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"no {pattern.pattern!r} on the screen after {timeout} s")
            time.sleep(poll)


def first_frame(timeout: float = 15.0) -> float:
    """Seconds from starting `nn-tui ... --play` in a 120×40 tmux pane to its status line."""
    with AppPane() as pane:
        start = time.perf_counter()
        pane.launch()
        pane.wait_for(STATUS_RE, timeout, poll=0.01)
        return time.perf_counter() - start


LEARNING_RATE_RE = re.compile(r"epoch\s+[\d,]+.*?\blr ([0-9.e+-]+)")


def key_latencies(presses: int, seed: int = 0) -> list[float]:
    """Seconds from sending + or - to the new learning rate on the status line,
    while training, for `presses` presses at random moments."""
    import random

    jitter = random.Random(seed)
    latencies = []
    with AppPane() as pane:
        pane.launch()
        pane.wait_for(STATUS_RE, 15.0, poll=0.05)
        time.sleep(2.0)  # all panes drawn and busy
        for press in range(presses):
            before = pane.wait_for(LEARNING_RATE_RE, 5.0, poll=0.01).group(1)
            time.sleep(jitter.uniform(0.05, 0.4))  # land anywhere in the frame cycle
            start = time.perf_counter()
            pane.tmux("send-keys", "-t", "bench", "+" if press % 2 == 0 else "-")
            while True:
                match = LEARNING_RATE_RE.search(pane.screen())
                if match and match.group(1) != before:
                    latencies.append(time.perf_counter() - start)
                    break
                if time.perf_counter() - start > 5.0:
                    raise RuntimeError(f"the learning rate stayed {before} for 5 s after a key press")
        if not STATUS_RE.search(pane.screen()) or "training" not in pane.screen():
            raise RuntimeError("the app was not training through the key presses")
    return latencies


RANDOM_KEYS = (list("srRaAlLnNdzZtTbBoghHekpw0123456789+-?") +
               ["Space", "Left", "Right", "Up", "Down", "Escape", "Enter", "Tab", "BTab", "C-p", "PageUp",
                "PageDown", "Home", "End", "BSpace", "F1"])
RANDOM_SIZES = ((120, 40), (80, 24), (60, 20), (100, 30), (200, 60), (40, 10), (20, 3), (81, 25))


def random_keys(presses: int, seed: int) -> dict:
    """Random keys (every binding and the keys of the screens on top) and, one
    time in ten, a random resize, while training; then: is the app still running?
    Runs in a scratch directory, since "w" then Enter saves a model file."""
    import random

    rng = random.Random(seed)
    resizes = 0
    with tempfile.TemporaryDirectory(prefix="nn-tui-keys-") as scratch, AppPane() as pane:
        command = (f"cd {shlex.quote(scratch)} && env {TERM_ENV} "
                   + shlex.join(["nn-tui", *APP_ARGS, "--play"]))
        pane.tmux("respawn-pane", "-k", "-t", "bench", command)
        pane.wait_for(STATUS_RE, 15.0, poll=0.05)
        for _ in range(presses):
            if rng.random() < 0.1:
                pane.resize(*rng.choice(RANDOM_SIZES))
                resizes += 1
            else:
                pane.tmux("send-keys", "-t", "bench", rng.choice(RANDOM_KEYS))
            time.sleep(rng.uniform(0.0, 0.05))
        time.sleep(0.5)
        status = pane.exit_status()
        tail = pane.screen().strip().splitlines()[-3:]
    return {"alive": status is None, "exit_status": status, "presses": presses - resizes, "resizes": resizes,
            "tail": " / ".join(line.strip() for line in tail)}


# ----------------------------------------------------------------------------- the run
def measure(quick: bool, log=print) -> dict:
    """Launch times, then interleaved pairs: headless run, app run. The live
    rate of a run is its last epoch over the seconds it trained (tui-meter's
    seconds less the median launch time)."""
    launches = [first_frame() for _ in range(3 if quick else 5)]
    launch = statistics.median(launches)
    log(f"  launch to first frame: {', '.join(f'{t:.2f}' for t in launches)} s")
    in_order = key_latencies(10 if quick else 40)
    keys = sorted(in_order)
    log(f"  key press to screen: median {statistics.median(keys) * 1000:.0f} ms, "
        f"p90 {keys[int(0.9 * (len(keys) - 1))] * 1000:.0f} ms, max {keys[-1] * 1000:.0f} ms over {len(keys)} presses "
        f"(in order: {' '.join(f'{t * 1000:.0f}' for t in in_order)})")
    survived = [random_keys(150 if quick else 400, seed) for seed in range(1 if quick else 3)]
    for run in survived:
        log(f"  random keys: {run['presses']} keys, {run['resizes']} resizes: "
            + ("still running" if run["alive"] else f"ended with status {run['exit_status']}: {run['tail']}"))
    epochs = 600 if quick else 2000
    length = 12.0  # shorter runs overweight the first paint and start-up
    pairs = 1 if quick else 3
    headless_rates, live_rates, runs = [], [], []
    for _ in range(pairs):
        headless_rates.append(headless(epochs)["epochs_per_s"])
        run = live(length)
        runs.append(run)
        live_rates.append(run["epoch"] / max(run["seconds"] - launch, 1e-3))
        log(f"  headless {headless_rates[-1]:.0f} epochs/s; app {run['seconds']:.1f} s: epoch {run['epoch']} "
            f"= {live_rates[-1]:.0f} epochs/s, {run['bytes_per_s'] / 1024:.1f} KB/s, CPU {run['cpu_percent']}%, "
            f"RSS {run['rss_mb_peak']} MB")
    middle = sorted(runs, key=lambda r: r["bytes_per_s"])[len(runs) // 2]
    return {
        "launches": launches,
        "launch": launch,
        "key_latencies": keys,
        "random_keys": survived,
        "headless_rates": headless_rates,
        "headless_rate": statistics.median(headless_rates),
        "live_rates": live_rates,
        "live_rate": statistics.median(live_rates),
        "live_method": f"last epoch ÷ (run − launch), {len(runs)} × {length:g} s",
        "bytes_per_s": middle["bytes_per_s"],
        "cpu_percent": statistics.median(r["cpu_percent"] for r in runs),
        "ui_cpu_percent": statistics.median([r["ui_cpu_percent"] for r in runs if r["ui_cpu_percent"] is not None] or [float("nan")]),
        "rss_mb_peak": max(r["rss_mb_peak"] for r in runs),
        "alive": all(r["alive"] for r in runs),
        "run_seconds": middle["seconds"],
        "runs": len(runs),
    }


# ----------------------------------------------------------------------------- memory
def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def memory(steps: int, warmup: int) -> dict:
    """Train a Session headlessly for `steps` batch-size-1 steps; RSS after
    `warmup` steps and at the end (after a gc.collect() each time)."""
    import gc
    import threading

    from nn_tui.config import RunConfig
    from nn_tui.session import Session

    session = Session(RunConfig.of(dataset="circle", batch_size=1))
    thread = threading.Thread(target=session.run, name="training", daemon=True)
    session.send("play")
    start = time.perf_counter()
    thread.start()
    baseline = None
    peak = 0.0
    try:
        while session.snapshot.step < steps:
            time.sleep(0.25)
            peak = max(peak, rss_mb())
            if baseline is None and session.snapshot.step >= warmup:
                gc.collect()
                baseline, baseline_step = rss_mb(), session.snapshot.step
            if not thread.is_alive():
                raise RuntimeError("the session's training thread ended early")
            if session.snapshot.status == "diverged":
                raise RuntimeError(f"training diverged: {session.snapshot.message}")
    finally:
        session.stop()
        thread.join(timeout=10)
    seconds = time.perf_counter() - start
    gc.collect()
    end = rss_mb()
    snap = session.snapshot
    return {
        "steps": session.snapshot.step,
        "epochs": session.snapshot.epoch,
        "snapshot_step": snap.step,
        "warmup_step": baseline_step,
        "rss_warm_mb": round(baseline, 2),
        "rss_end_mb": round(end, 2),
        "rss_peak_mb": round(max(peak, end), 2),
        "growth_mb": round(end - baseline, 2),
        "seconds": round(seconds, 2),
        "steps_per_s": round(session.snapshot.step / seconds),
        "steps_per_epoch": round(snap.step / max(snap.epoch, 1)),
    }


def memory_in_subprocess(steps: int) -> dict:
    """`memory` in a fresh interpreter (the user's environment), so nothing the
    benchmark itself loaded (PyTorch, scikit-learn) shares its RSS."""
    warmup = max(10_000, steps // 20)
    cmd = [sys.executable, str(Path(__file__).resolve()), "memory", str(steps), str(warmup)]
    env = dict(ORIGINAL_ENV)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"memory run exited with {done.returncode}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "memory":
        n = int(sys.argv[2])
        print(json.dumps(memory(n, int(sys.argv[3]) if len(sys.argv) > 3 else max(10_000, n // 20))))
    else:
        sys.exit("usage: python bench/app_meter.py memory STEPS [WARMUP_STEPS]")

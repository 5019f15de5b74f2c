"""The app, measured as a person runs it: in a real terminal (tmux), through
``<repo>/../shared/tools/tui-meter``, and its training session headlessly for
memory.

- live ÷ headless epochs/s: ``nn-tui train --json`` gives headless epochs and
  seconds; the live rate comes from the epoch on the app's status line at the
  end of tui-meter runs. Full mode runs the app twice (short and long) and
  divides the difference in epochs by the difference in seconds, which cancels
  start-up; quick mode runs it once and subtracts the measured launch time.
- bytes/s, CPU % and peak RSS: tui-meter's figures for the longest run.
- launch to first frame: a tmux pane is polled every ~10 ms from the moment
  the command is started in it until the status line ("… epoch N") is on the
  screen. This counts what a person waits for: interpreter start, imports,
  data, first paint (Textual's run_test() would leave out the first three).
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
        done = subprocess.run(cmd, capture_output=True, text=True, env=ORIGINAL_ENV, timeout=seconds + 120)
        if done.returncode != 0:
            raise RuntimeError(f"tui-meter exited with {done.returncode}: {done.stderr.strip()}")
        report = json.loads(done.stdout.strip().splitlines()[-1])
        text = screen.read_text(errors="replace")
    match = STATUS_RE.search(text)
    if not match:
        tail = " / ".join(line.strip() for line in text.splitlines()[:3])
        raise RuntimeError(f"no 'epoch N' status line on the app's last screen: {tail!r}")
    report["epoch"] = int(match.group(1).replace(",", ""))
    report["screen_text"] = text
    return report


# ----------------------------------------------------------------------------- first frame
_launches = 0


def first_frame(timeout: float = 15.0) -> float:
    """Seconds from starting `nn-tui ... --play` in a 120×40 tmux pane to its status line."""
    global _launches
    _launches += 1
    socket = f"nnbench{os.getpid()}x{_launches}"
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write("set -g status off\nset -g history-limit 0\n")

    def tmux(*args, check=True):
        done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, env=ORIGINAL_ENV)
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
        return done.stdout

    command = f"env {TERM_ENV} sh -c {shlex.quote('exec ' + shlex.join(['nn-tui', *APP_ARGS, '--play']))}"
    try:
        # The server and an idle pane first, so their start is not counted.
        tmux("-f", conf.name, "new-session", "-d", "-s", "bench", "-x", str(SIZE[0]), "-y", str(SIZE[1]), "cat")
        start = time.perf_counter()
        tmux("respawn-pane", "-k", "-t", "bench", command)
        while True:
            if STATUS_RE.search(tmux("capture-pane", "-p", "-t", "bench", check=False)):
                return time.perf_counter() - start
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"no status line after {timeout} s")
            time.sleep(0.01)
    finally:
        tmux("kill-server", check=False)
        os.unlink(conf.name)


# ----------------------------------------------------------------------------- the run
def measure(quick: bool, log=print) -> dict:
    """Interleaved: headless, app, headless, app, ..., then launch times."""
    launches = [first_frame() for _ in range(3 if quick else 5)]
    launch = statistics.median(launches)
    log(f"  launch to first frame: {', '.join(f'{t:.2f}' for t in launches)} s")
    epochs = 600 if quick else 2500
    lengths = [6.0] if quick else [8.0, 20.0]
    rates, runs = [], []
    for length in lengths:
        rates.append(headless(epochs)["epochs_per_s"])
        run = live(length)
        runs.append(run)
        log(f"  headless {rates[-1]:.0f} epochs/s; app {length:g} s: epoch {run['epoch']}, "
            f"{run['bytes_per_s'] / 1024:.1f} KB/s, CPU {run['cpu_percent']}%")
    rates.append(headless(epochs)["epochs_per_s"])
    if len(runs) >= 2:
        short, long_ = runs[0], runs[-1]
        live_rate = (long_["epoch"] - short["epoch"]) / (long_["seconds"] - short["seconds"])
        method = f"Δepochs/Δs of {lengths[0]:g} s and {lengths[-1]:g} s runs"
    else:
        long_ = runs[0]
        live_rate = long_["epoch"] / max(long_["seconds"] - launch, 1e-3)
        method = f"epochs/(run − launch) of one {lengths[0]:g} s run"
    return {
        "launches": launches,
        "launch": launch,
        "headless_rates": rates,
        "headless_rate": statistics.median(rates),
        "live_rate": live_rate,
        "live_method": method,
        "bytes_per_s": long_["bytes_per_s"],
        "cpu_percent": long_["cpu_percent"],
        "rss_mb_peak": long_["rss_mb_peak"],
        "alive": long_["alive"],
        "run_seconds": long_["seconds"],
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

    session = Session(RunConfig(dataset="circle", batch_size=1))
    thread = threading.Thread(target=session.run, name="training", daemon=True)
    session.send("play")
    start = time.perf_counter()
    thread.start()
    baseline = None
    peak = 0.0
    try:
        while session.trainer.step < steps:
            time.sleep(0.25)
            peak = max(peak, rss_mb())
            if baseline is None and session.trainer.step >= warmup:
                gc.collect()
                baseline, baseline_step = rss_mb(), session.trainer.step
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
        "steps": session.trainer.step,
        "epochs": session.trainer.epoch,
        "snapshot_step": snap.step,
        "warmup_step": baseline_step,
        "rss_warm_mb": round(baseline, 2),
        "rss_end_mb": round(end, 2),
        "rss_peak_mb": round(max(peak, end), 2),
        "growth_mb": round(end - baseline, 2),
        "seconds": round(seconds, 2),
        "steps_per_s": round(session.trainer.step / seconds),
        "steps_per_epoch": session.trainer.steps_per_epoch,
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

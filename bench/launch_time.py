"""Launch to first frame, as a person waits for it: wall time and the UI process's CPU.

    python3 bench/launch_time.py [--runs 10] [--tree DIR] [--rev REV ...] [--bytecode cached|none|both]
                                 [-- APP ARGS]

Each launch runs `python3 -m nn_tui APP_ARGS` (default: the playground,
`--dataset spiral --layers 8,8 --play`) in a 120×40 pane of a private tmux server,
from a copy of the tree's committed files (`git archive`, so that the Python bytecode
cache of the copy is ours to fill or empty). Per launch:

- wall, first paint: from starting the command until the pane shows more than a few
  characters (tmux capture-pane polled every ~5 ms);
- wall, status line: until the status line ("… epoch N") is on the screen;
- CPU to first frame: the app process's `time.process_time()` when Textual calls
  `on_ready` (its first screen is composed and drawn); the training process is
  another process and is not counted.

Bytecode: `cached` fills the copy's `__pycache__` first (the usual install); `none`
sets PYTHONDONTWRITEBYTECODE=1 on an empty cache, as on a machine that never writes
bytecode for an editable install (every launch compiles nn_tui's modules again).
Prints the runs, medians and spread, and the load (os.getloadavg) before and after.
"""

from __future__ import annotations

import argparse
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

REPO = Path(__file__).resolve().parents[1]
APP_ARGS = ["--dataset", "spiral", "--layers", "8,8", "--play"]
STATUS_RE = re.compile(r"(?:training|paused|diverged)\s+epoch\s+([\d,]+)")
TERM_ENV = ["TERM=xterm-256color", "COLORTERM=truecolor", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"]

# Run inside the pane: the app, with on_ready reporting the CPU spent so far to a file.
PROBE = """
import sys, time
out = sys.argv.pop(1)
import nn_tui.cli  # first: it sets the BLAS threads before NumPy loads
import nn_tui.ui.app as app
ready = app.NNTuiApp.on_ready
def on_ready(self):
    cpu = time.process_time()
    with open(out, "w") as f:
        f.write(f"{cpu:.4f} {sum(1 for m in sys.modules if m.startswith('nn_tui'))} {len(sys.modules)}\\n")
    return ready(self)
app.NNTuiApp.on_ready = on_ready
sys.exit(nn_tui.cli.main(sys.argv[1:]))
"""


def copy_tree(tree: Path, rev: str, into: Path) -> Path:
    """The committed files of `tree` at `rev`, unpacked into `into`."""
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(tree), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def clear_bytecode(tree: Path) -> None:
    for cache in tree.rglob("__pycache__"):
        shutil.rmtree(cache)


class Pane:
    def __init__(self, socket: str):
        self.socket = socket

    def tmux(self, *args) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True).stdout

    def __enter__(self):
        conf = Path(tempfile.mkstemp(suffix=".conf")[1])
        conf.write_text("set -g status off\nset -g history-limit 0\nset -g remain-on-exit on\n")
        self.tmux("-f", str(conf), "new-session", "-d", "-s", "launch", "-x", "120", "-y", "40", "cat")
        conf.unlink()
        return self

    def __exit__(self, *exc):
        self.tmux("kill-server")

    def dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", "launch", "#{pane_dead}").strip() == "1"


def launch_once(pane: Pane, tree: Path, env: list[str], app_args: list[str], out: Path) -> dict:
    out.unlink(missing_ok=True)
    inner = shlex.join(["exec", sys.executable, "-c", PROBE, str(out), *app_args])
    command = shlex.join(["env", *TERM_ENV, f"PYTHONPATH={tree}", *env, "sh", "-c", inner])
    start = time.perf_counter()
    pane.tmux("respawn-pane", "-k", "-t", "launch", "-c", str(tree), command)  # -c: python3 -c puts the cwd first
    first = status = None
    while True:
        screen = pane.tmux("capture-pane", "-p", "-t", "launch")
        now = time.perf_counter() - start
        if first is None and len(screen.strip()) > 20:
            first = now
        if STATUS_RE.search(screen):
            status = now
            break
        if now > 60 or pane.dead():
            raise RuntimeError(f"no status line after {now:.1f} s:\n{screen}")
        time.sleep(0.005)
    for _ in range(200):  # the probe writes its line in on_ready, before or about the status line
        if out.exists() and out.read_text().endswith("\n"):
            break
        time.sleep(0.01)
    cpu, nn_modules, modules = out.read_text().split()
    pane.tmux("send-keys", "-t", "launch", "q")
    for _ in range(1000):
        if pane.dead():
            break
        time.sleep(0.01)
    return {"first": first, "status": status, "cpu": float(cpu), "nn_modules": int(nn_modules),
            "modules": int(modules)}


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def prepare(tree: Path, bytecode: str) -> list[str]:
    """Fill or empty the tree's bytecode cache; the environment its launches run with."""
    if bytecode == "none":
        clear_bytecode(tree)
        return ["PYTHONDONTWRITEBYTECODE=1"]
    subprocess.run([sys.executable, "-c", "import compileall, sys; compileall.compile_dir(sys.argv[1], quiet=1)",
                    str(tree)], check=True)
    return []


def measure(trees: dict, bytecode: str, runs: int, app_args: list[str]) -> dict:
    """{label: [one dict per launch]}; the trees' launches alternate, so that they share
    the machine's load alike."""
    envs = {label: prepare(tree, bytecode) for label, tree in trees.items()}
    results = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as scratch, Pane(f"launch{os.getpid()}") as pane:
        for _ in range(runs):
            for label, tree in trees.items():
                results[label].append(launch_once(pane, tree, envs[label], app_args, Path(scratch) / "cpu"))
                time.sleep(0.5)  # let the training process of the last launch go
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tree", type=Path, default=REPO, help="a git checkout (default: this one)")
    parser.add_argument("--rev", action="append",
                        help="a commit of --tree to measure (default: HEAD); give several to compare them, "
                             "their launches alternating")
    parser.add_argument("--bytecode", choices=("cached", "none", "both"), default="both")
    parser.add_argument("app_args", nargs="*", help="the app's arguments (after --)")
    args = parser.parse_args(argv)
    app_args = args.app_args or APP_ARGS
    with tempfile.TemporaryDirectory() as scratch:
        trees = {}
        for rev in args.rev or ["HEAD"]:
            short = subprocess.run(["git", "-C", str(args.tree), "rev-parse", "--short", rev],
                                   capture_output=True, text=True, check=True).stdout.strip()
            trees[f"{rev} ({short})"] = copy_tree(args.tree, rev, Path(scratch) / short)
        print(f"{args.tree}: python3 -m nn_tui {shlex.join(app_args)}, 120×40, {args.runs} launches of each of "
              f"{', '.join(trees)}; {os.cpu_count()} CPUs")
        for bytecode in (("cached", "none") if args.bytecode == "both" else (args.bytecode,)):
            load = os.getloadavg()[0]
            results = measure(trees, bytecode, args.runs, app_args)
            print(f"bytecode {bytecode}: load average {load:.1f} -> {os.getloadavg()[0]:.1f}")
            for label, runs in results.items():
                print(f" {label}: {runs[0]['nn_modules']} nn_tui modules of {runs[0]['modules']} at the first frame")
                for key, name in (("cpu", "CPU to first frame"), ("first", "wall, first paint"),
                                  ("status", "wall, status line")):
                    values = [r[key] for r in runs]
                    print(f"  {name:19} {spread(values)} s  [{', '.join(f'{v:.2f}' for v in values)}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())

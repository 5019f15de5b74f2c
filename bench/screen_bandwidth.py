"""Issue 8's screens in a real terminal: bytes/s and live ÷ headless epochs/s.

For the CNN (`--conv 16,32 --layers 64`) and the autoencoder (`--layers 32,2`) on the
digits: `tui-meter --size 120x40 --seconds S --keys sleep:4 --keys Space` runs this
tree's app (python3 -m nn_tui), reads the epoch on the status line at the end (trained
for S seconds after the Space), then `nn-tui train --json` runs the same settings
headlessly for about as long. Prints bytes/s against the goal (≤ 64 KB/s) and the
two epoch rates. The machine is shared: repeat a row before believing a ratio.

    python3 bench/screen_bandwidth.py [seconds]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
METER = REPO.parent.parent / "shared" / "tools" / "tui-meter"
if not METER.exists():
    METER = REPO.parent / "shared" / "tools" / "tui-meter"
SCREENS = {
    "cnn": ["--dataset", "digits", "--model", "cnn", "--conv", "16,32", "--layers", "64"],
    "autoencoder": ["--dataset", "digits", "--model", "autoencoder", "--layers", "32,2"],
}
HEADLESS_EPOCHS = {"cnn": 3.3, "autoencoder": 9.0}  # rough epochs/s, to size the headless run
GOAL_BYTES_PER_S = 64 * 1024
STATUS_RE = re.compile(r"(?:training|paused)\s+epoch\s+([\d,]+)")


def live(args: list[str], seconds: float) -> tuple[dict, int]:
    command = [str(METER), "--size", "120x40", "--seconds", str(seconds), "--keys", "sleep:4", "--keys", "Space",
               "--", "env", f"PYTHONPATH={REPO}", sys.executable, "-m", "nn_tui", *args]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    epoch = STATUS_RE.search(Path(report["screen"]).read_text())
    return report, int(epoch.group(1).replace(",", "")) if epoch else -1


def headless(name: str, args: list[str], seconds: float) -> float:
    epochs = max(1, int(HEADLESS_EPOCHS[name] * seconds))
    out = subprocess.run([sys.executable, "-m", "nn_tui", "train", *args, "--epochs", str(epochs), "--json"],
                         capture_output=True, text=True, check=True, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    report = json.loads(out)
    return report["epochs"] / report["seconds"]


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 12.0
    for name, args in SCREENS.items():
        report, epoch = live(args, seconds)
        rate = headless(name, args, seconds)
        verdict = "ok" if report["bytes_per_s"] <= GOAL_BYTES_PER_S else "OVER"
        print(f"{name}: {report['bytes_per_s'] / 1024:.1f} KB/s at 120x40 ({verdict}, goal 64); "
              f"live {epoch / seconds:.2f} epochs/s, headless {rate:.2f}: {epoch / seconds / rate:.2f}x")

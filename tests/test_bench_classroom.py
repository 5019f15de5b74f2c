"""The classroom load bench in small (issue 24): 2 tabs train under `nn-tui serve`, keys
are answered, each tab's processes are said with their priorities, and nothing is left
behind. No time is asserted: the bench's times are goals measured on a quiet machine."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("aiohttp")  # comes with textual-serve (the serve extra)
pytest.importorskip("textual_serve")

BENCH = Path(__file__).resolve().parents[1] / "bench" / "classroom_load.py"


def test_two_training_tabs_are_measured_and_leave_nothing_behind():
    done = subprocess.run([sys.executable, str(BENCH), "--tabs", "2", "--samples", "1", "--cpu-seconds", "2",
                           "--dataset", "xor"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"key to screen: p50 \d+ ms, p95 \d+ ms, max \d+ ms over 3 presses", out), out
    assert "inf ms" not in out, "a key press never showed the help"
    assert "left below the server at the end: 0" in out, out
    # The training processes at the lowest priority, the apps and the server at the machine's.
    assert re.search(r"training x2 .* nice \[19\]", out), out
    assert re.search(r"app +x2 ", out) and re.search(r"server +x1 ", out), out

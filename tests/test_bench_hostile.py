"""bench/hostile.py runs and prints its table (a few quick cases; the whole
replay is the bench's job, not the suite's)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_hostile_bench_lists_every_group_of_issue_12():
    listing = subprocess.run([sys.executable, "bench/hostile.py", "--list"], cwd=ROOT, capture_output=True,
                             text=True, timeout=300, check=True).stdout
    for name in ("--reg-rate nan", "--save victim.csv", "--data /dev/zero", "csv: unclosed quote",
                 "model: JSON nested 200,000 deep", "--lr 1000 spiral relu", "SIGTERM to train --save",
                 "csv: 50 MB loads"):
        assert name in listing


def test_hostile_bench_prints_case_expected_seen_ok():
    result = subprocess.run([sys.executable, "bench/hostile.py", "--only", "csv: unclosed"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    assert any(line.startswith("| case") and "| expected" in line and "| seen" in line and "| ok" in line
               for line in lines)
    row = next(line for line in lines if line.startswith("| csv: unclosed quote"))
    assert "exit 2" in row and "never closed" in row and row.split("|")[-2].strip() == "ok"
    assert result.returncode == 0 and "1 of 1 as expected" in result.stdout

"""The GAN benchmarks run and race a fair reference (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def test_pytorch_computes_the_same_gan_step_as_the_engine():
    pytest.importorskip("torch")  # the bench's optional dependency (pip install -e '.[bench]')
    from bench.vs_torch_gan import check_same_numbers

    check_same_numbers(steps=4)


def test_quality_bench_runs_and_judges_only_what_has_a_goal(capsys):
    from bench.gan_quality import main

    assert main(["--epochs", "3", "--seeds", "0", "--datasets", "line"]) == 0  # no goal, nothing to fail
    assert main(["--epochs", "3", "--seeds", "0", "--datasets", "ring"]) == 1  # 3 epochs cover no mode
    out = capsys.readouterr().out
    assert "— (no goal)" in out and "0/1 (modes >= 7)" in out

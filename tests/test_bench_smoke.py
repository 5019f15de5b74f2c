"""The benchmarks' smoke test: the floor is a fair reference (it computes what
the engine computes), and the engine-vs-floor race runs. No timing is asserted."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402
from bench.common import Contender, Row, format_table, race  # noqa: E402
from bench.engine_vs_floor import (  # noqa: E402
    ARCHS,
    engine_step,
    floor_step,
    initial_params,
    make_batches,
    make_engine,
)

STEPS = 6


def _params(net):
    return initial_params(net)  # copies of [W1, b1, W2, b2, ...]


@pytest.mark.parametrize("arch", ARCHS, ids=[a.key for a in ARCHS])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_floor_and_engine_compute_the_same_losses_and_weights(arch, dtype):
    batches = make_batches(arch, count=3, dtype=dtype)
    net, opt = make_engine(arch, dtype=dtype)
    floor_params = [p.copy() for p in _params(net)]
    start = [p.copy() for p in floor_params]
    engine, floor = engine_step(net, opt), floor_step(arch, floor_params)

    tolerance = dict(rtol=1e-12, atol=1e-12) if dtype == np.float64 else dict(rtol=1e-5, atol=1e-6)
    for i in range(STEPS):
        batch = batches[i % len(batches)]
        engine_loss, floor_loss = engine(batch), floor(batch)
        assert np.isfinite(engine_loss)
        np.testing.assert_allclose(floor_loss, engine_loss, **tolerance, err_msg=f"loss at step {i}")
    for k, (e, f) in enumerate(zip(_params(net), floor_params)):
        assert f.dtype == e.dtype == dtype
        np.testing.assert_allclose(f, e, **tolerance, err_msg=f"parameter {k} after {STEPS} steps")
    # Both really trained: the weights moved.
    assert any(not np.allclose(s, e) for s, e in zip(start, _params(net)))


def test_race_interleaves_and_reports_rates():
    arch = ARCHS[0]
    batches = make_batches(arch, count=2)
    net, opt = make_engine(arch)
    contenders = [
        Contender("engine", engine_step(net, opt), batches, arch.batch, steps=3),
        Contender("floor", floor_step(arch, _params(net)), batches, arch.batch, steps=3),
    ]
    race(contenders, rounds=2)
    for c in contenders:
        assert len(c.times) == 2
        assert c.best_rate > 0 and c.median_rate > 0


def test_engine_section_runs_with_tiny_repetition_counts(capsys):
    args = run.parse_args(["--only", "engine", "--rounds", "1", "--rep-seconds", "0.002"])
    profiles = []
    rows = run.engine_races(args, np.dtype(np.float64), None, profiles)
    assert [r.section for r in rows] == ["1"] * len(ARCHS)
    assert all(r.ratio is not None and r.ratio > 0 and r.status in ("pass", "FAIL") for r in rows)
    assert len(profiles) == len(ARCHS)
    table = format_table(rows)
    assert "engine ÷ floor" in table and "goal" in table
    assert format_table(rows, markdown=True).startswith("| # |")


def test_rows_judge_their_goals():
    assert Row("1", "x", 0.9, 0.8).status == "pass"
    assert Row("1", "x", 0.7, 0.8).status == "FAIL"
    assert Row("4", "x", 70.0, 64.0, at_most=True, unit="KB/s").status == "FAIL"
    assert Row("4", "x", 1.0, 1.0, at_most=True, unit="s").status == "pass"
    assert Row("2", "x", None, 5.0).status == "skip"


def test_a_noisy_mean_misses_its_goal_only_by_more_than_two_standard_errors():
    assert Row("3", "x", -0.04, 0.0, unit="pp", standard_error=0.11).status == "pass"
    assert Row("3", "x", -0.30, 0.0, unit="pp", standard_error=0.11).status == "FAIL"
    assert "-0.04 pp ± 0.11 pp" in " ".join(Row("3", "x", -0.04, 0.0, unit="pp", standard_error=0.11).cells())


def test_the_scikit_learn_comparison_pairs_seeds(monkeypatch):
    from bench import vs_sklearn

    ours = iter([0.98, 0.97, 0.96])
    theirs = iter([0.97, 0.97, 0.97])
    monkeypatch.setattr(vs_sklearn, "nn_tui_run", lambda seed: {"seconds": 1.0, "accuracy": next(ours), "epochs": 100})
    monkeypatch.setattr(vs_sklearn, "sklearn_run", lambda seed: {"seconds": 3.0, "accuracy": next(theirs), "epochs": 170})
    r = vs_sklearn.compare([0, 1, 2])
    assert r["wins_ties_losses"] == (1, 1, 1)
    assert abs(r["accuracy_difference"]) < 1e-12
    assert abs(r["accuracy_difference_se"] - 0.01 / 3 ** 0.5) < 1e-12


@pytest.mark.parametrize("line", [
    # status lines as tui-meter saw them, at 120×40 and at 80×24
    " ▶ training  epoch 11,761  train loss 0.0017  test loss 0.5349  test acc 0.900  lr 0.03  tanh  sgd  spiral",
    " ▶ training epoch 11,982 train loss 0.0003 test loss 0.0176 lr 0.003 tanh sgd",
])
def test_the_app_meter_reads_epoch_and_learning_rate_off_the_status_line(line):
    from bench.app_meter import LEARNING_RATE_RE, STATUS_RE

    assert STATUS_RE.search(line).group(1) in ("11,761", "11,982")
    assert LEARNING_RATE_RE.search(line).group(1) in ("0.03", "0.003")
    assert LEARNING_RATE_RE.search(" ⏸ paused  epoch 3  lr 1e-05  relu").group(1) == "1e-05"

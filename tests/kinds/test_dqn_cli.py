"""`nn-tui train --model dqn --dataset gridworld --json`: its keys and numbers; bad
settings in one line with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
METRICS = {"mean_return", "success_rate", "optimal_share"}


def _nn_tui(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_json_reports_the_dqn_metrics_and_same_seed_same_numbers():
    args = ("train", "--model", "dqn", "--dataset", "gridworld", "--epochs", "12", "--seed", "3", "--json")
    first, second = _nn_tui(*args), _nn_tui(*args)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert METRICS <= set(report) and {"td_loss", "epsilon", "episode_return"} <= set(report)
    assert report["model"] == "dqn" and report["dataset"] == "gridworld" and report["epochs"] == 12
    assert report["sizes"] == [100, 64, 4] and report["steps"] >= 12
    assert 0.0 <= report["success_rate"] <= 1.0 and 0.0 <= report["optimal_share"] <= 1.0
    assert -2.0 <= report["mean_return"] <= 1.0
    assert json.loads(second.stdout) | {"seconds": 0} == report | {"seconds": 0}


def test_the_defaults_choose_the_gridworld_and_the_options_reach_the_agent():
    done = _nn_tui("train", "--model", "dqn", "--epochs", "2", "--layers", "8,8", "--gamma", "0.9", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dataset"] == "gridworld" and report["sizes"] == [100, 8, 8, 4]


@pytest.mark.parametrize("args, words", [
    (("--gamma", "1.5"), "--gamma must be a number > 0 and < 1"),
    (("--gamma", "nan"), "--gamma must be"),
    (("--eps-start", "0.1", "--eps-end", "0.5"), "--eps-end (0.5) must not be above --eps-start (0.1)"),
    (("--eps-decay", "-1"), "--eps-decay must be a whole number"),
    (("--replay", "0"), "--replay must be a whole number"),
    (("--replay", "50", "--batch-size", "64"), "--batch-size (64) must not exceed --replay (50)"),
    (("--target-every", "0"), "--target-every must be"),
    (("--layers", "8,0"), "--layers: a layer size must be"),
    (("--lr", "-1"), "--lr must be a positive number"),
    (("--dataset", "circle"), "--dataset must be one of: gridworld"),
    (("--noise-dim", "3"), "--noise-dim applies to --model gan, not dqn"),
    (("--gamma", "x"), "argument --gamma: invalid float value"),
    (("--gamma", "-0.1"), "--gamma must be a number > 0 and < 1"),
    (("--eps-start", "1.5"), "--eps-start must be a number >= 0 and <= 1"),
    (("--eps-end", "nan"), "--eps-end must be"),
    (("--step-reward", "2"), "--step-reward must be"),
    (("--episode-cap", "0"), "--episode-cap must be a whole number"),
    (("--q-average", "1"), "--q-average must be"),
    (("--load", "no-such-file.npz"), "no model file at no-such-file.npz"),
])
def test_bad_settings_are_one_line_and_exit_2(args, words):
    done = _nn_tui("train", "--model", "dqn", "--epochs", "1", *args)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert words in done.stderr

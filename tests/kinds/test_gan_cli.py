"""`nn-tui train --model gan ... --json`: the GAN's numbers, and bad settings in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _train(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", "train", "--model", "gan", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_json_reports_the_gan_metrics_and_same_seed_same_numbers():
    args = ("--dataset", "ring", "--epochs", "30", "--seed", "3", "--json")
    first, second = _train(*args), _train(*args)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert {"d_loss", "g_loss", "js_divergence", "kl_divergence", "modes_covered"} <= set(report)
    assert report["model"] == "gan" and report["dataset"] == "ring" and report["epochs"] == 30
    assert report["steps"] == 30 * 3  # two D updates and one G update per epoch
    assert 0 < report["js_divergence"] <= 1 and 0 <= report["modes_covered"] <= 8
    same = json.loads(second.stdout)
    for key in ("d_loss", "g_loss", "js_divergence", "kl_divergence", "modes_covered"):
        assert same[key] == report[key]


def test_the_final_measure_is_of_the_last_epoch():
    # measured every 250 epochs during training, and at the last epoch asked for
    from nn_tui.config import RunConfig
    from nn_tui.kinds.gan.train import evaluate
    from nn_tui.run_setup import prepare

    config = RunConfig.of(model="gan", dataset="two-gaussians", epochs=7, seed=1)
    prepared = prepare(config)
    run = prepared.kind.build(prepared.config, prepared.dataset)
    for _ in range(7):
        run.run_epoch()
        scores = run.scores()
    assert scores["js_divergence"] == evaluate(run.model)["js_divergence"]
    assert "modes_covered" not in scores


def test_two_gaussians_has_no_modes_and_the_gan_options_reach_the_model():
    done = _train("--dataset", "two-gaussians", "--epochs", "3", "--d-steps", "1", "--g-steps", "2",
                  "--gan-loss", "least-squares", "--g-layers", "8", "--noise-dim", "2", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert "modes_covered" not in report and report["steps"] == 9
    assert report["generator"] == [2, 8, 2]


@pytest.mark.parametrize("args, words", [
    (("--dataset", "circle"), "--dataset must be one of"),
    (("--dataset", "ring", "--lr", "0.1"), "--g-lr"),
    (("--dataset", "ring", "--gan-loss", "hinge"), "--gan-loss"),
    (("--dataset", "ring", "--d-lr", "-1"), "--d-lr"),
    (("--dataset", "ring", "--layers", "4"), "--layers applies to"),
])
def test_bad_settings_exit_2_with_one_line(args, words):
    done = _train(*args, "--epochs", "1", "--json")
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 3  # usage line(s) and the reason


def test_the_app_refuses_bad_gan_settings_in_one_line_before_it_starts():
    # (the screen itself is tested through Pilot in tests/app/test_gan_screen.py)
    done = subprocess.run([sys.executable, "-m", "nn_tui", "--model", "gan", "--dataset", "ring", "--d-lr", "-1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--d-lr" in done.stderr and "Traceback" not in done.stderr


def test_the_kind_starts_from_its_own_data_and_epochs():
    from nn_tui.config import RunConfig

    config = RunConfig.of(model="gan")
    assert config.data.dataset == "two-gaussians" and config.train.epochs == 10_000

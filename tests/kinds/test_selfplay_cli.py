"""`nn-tui train --model selfplay --dataset tictactoe --json`: its keys, and bad settings
as one line with exit status 2."""

import json
import os
import subprocess
import sys

import pytest


def nn_tui(*args):
    return subprocess.run([sys.executable, "-m", "nn_tui", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": os.getcwd()})


def test_train_json_reports_games_against_perfect_and_random_play():
    done = nn_tui("train", "--model", "selfplay", "--dataset", "tictactoe", "--epochs", "2",
                  "--games-per-epoch", "100", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["model"] == "selfplay" and report["dataset"] == "tictactoe"
    assert report["epochs"] == 2 and report["steps"] == 200
    for opponent in ("vs_perfect", "vs_random"):
        assert set(report[opponent]) == {"as_x", "as_o"}
        for side in ("as_x", "as_o"):
            counts = report[opponent][side]
            assert set(counts) == {"win", "draw", "loss"} and sum(counts.values()) == 100
    assert report["vs_perfect"]["as_x"]["win"] == report["vs_perfect"]["as_o"]["win"] == 0  # it cannot
    assert report["perfect_o_loss"] == report["vs_perfect"]["as_o"]["loss"]  # the curves' names agree


def test_the_dataset_defaults_to_tictactoe_and_search_is_a_setting():
    done = nn_tui("train", "--model", "selfplay", "--epochs", "1", "--games-per-epoch", "20",
                  "--search-depth", "1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["dataset"] == "tictactoe" and report["search_depth"] == 1


@pytest.mark.parametrize("args, says", [
    (("--epsilon", "1.5"), "--epsilon must be"),
    (("--epsilon-end", "-0.1"), "--epsilon-end must be"),
    (("--td-lambda", "2"), "--td-lambda must be"),
    (("--search-depth", "9"), "--search-depth must be"),
    (("--games-per-epoch", "0"), "--games-per-epoch must be"),
    (("--epsilon-decay-games", "-1"), "--epsilon-decay-games must be"),
    (("--average", "1"), "--average must be"),
    (("--layers", "0"), "--layers"),
    (("--symmetries", "maybe"), "--symmetries"),
    (("--dataset", "circle"), "tictactoe"),
    (("--lr", "-1"), "--lr"),
    (("--batch-size", "5"), "one game at a time"),
    (("--epsilon", "nan"), "--epsilon must be"),
    (("--td-lambda", "-0.5"), "--td-lambda must be"),
    (("--replay-size", "-1"), "--replay-size must be"),
    (("--replay-batch", "5000"), "--replay-batch must be"),
    (("--opening-plies", "9"), "--opening-plies must be"),
    (("--lr-decay-games", "-1"), "--lr-decay-games must be"),
    (("--replay-priority", "1.5"), "--replay-priority must be"),
    (("--layers", "8,8,8,8"), "--layers"),
    (("--load", "no-such-file.npz"), "no model file at no-such-file.npz"),
])
def test_bad_settings_are_one_line_and_exit_2(args, says):
    done = nn_tui("train", "--model", "selfplay", "--epochs", "1", "--games-per-epoch", "5", "--json", *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert says in lines[-1] and "Traceback" not in done.stderr
    assert len([line for line in lines if line.startswith("nn-tui")]) == 1

"""The rnn, lstm and gru kinds through the seam: `nn-tui train ... --json`."""

from __future__ import annotations

import json

import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig
from nn_tui.kinds import KINDS
from nn_tui.kinds.sequence.spec import resolve


def _train(argv, capsys):
    code = main(["train", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_three_cells_are_registered():
    assert {"rnn", "lstm", "gru"} <= set(KINDS)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_train_json_prints_the_sequence_metrics(cell, capsys):
    code, out, err = _train(["--dataset", "fluent", "--gap", "1", "--model", cell, "--epochs", "1",
                             "--batch-size", "4", "--window", "32", "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["model"] == cell and report["cell"] == cell and report["dataset"] == "fluent"
    for name in ("test_loss", "bits_per_char", "completion_accuracy"):
        assert isinstance(report[name], float)
    assert report["steps"] == resolve(RunConfig.of(model=cell, epochs=1)).steps


def test_cli_defaults_are_the_settings_bench_fluent_contrast_measured():
    import dataclasses

    from nn_tui.cli import _train_parser
    from nn_tui.config import config_from_args
    from nn_tui.kinds.sequence.train import SequenceSettings

    ns = _train_parser().parse_args(["--model", "gru", "--gap", "0", "--seed", "2"])
    assert resolve(config_from_args(ns)) == dataclasses.replace(SequenceSettings(), cell="gru", gap=0, seed=2)


def test_defaults_are_the_data_sets_not_the_mlps():
    settings = resolve(RunConfig.of(model="lstm"))
    assert (settings.hidden, settings.lr, settings.batch, settings.dtype) == (64, 0.005, 32, "float32")
    assert settings.steps == 1600
    given = resolve(RunConfig.of(model="gru", layers=(32,), lr=0.01, batch_size=8))
    assert (given.hidden, given.lr, given.batch) == (32, 0.01, 8)


def test_text_file_trains(tmp_path, capsys):
    path = tmp_path / "abc.txt"
    path.write_text("one two three four five six seven eight nine ten\n" * 20, encoding="utf-8")
    code, out, err = _train(["--data", str(path), "--model", "gru", "--epochs", "1", "--batch-size", "2",
                             "--window", "16", "--json"], capsys)
    assert code == 0, err
    report = json.loads(out)
    assert report["dataset"] == "abc.txt" and "completion_accuracy" not in report


@pytest.mark.parametrize("argv, message", [
    (["--layers", "8,8"], "one recurrent layer"),
    (["--gap", "9"], "--gap"),
    (["--dataset", "xor"], "--dataset fluent"),
])
def test_bad_settings_are_one_line_and_exit_2(argv, message, capsys):
    code, out, err = _train(["--model", "lstm", *argv, "--epochs", "1", "--json"], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_undecodable_text_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"abc " * 100 + b"\xff")
    code, _, err = _train(["--data", str(path), "--model", "rnn", "--json"], capsys)
    assert code == 2 and "not UTF-8" in err and len(err.strip().splitlines()) == 1


def test_a_sequence_run_trains_through_the_session():
    from nn_tui.session import Session

    session = Session(RunConfig.of(model="gru", gap=0, batch_size=4, window=32))
    for _ in range(2):
        session.send("step")
        session.apply_commands()
    snap = session.snapshot
    assert snap.kind == "gru" and snap.epoch == 2
    assert set(snap.metrics) >= {"train_loss", "test_loss", "bits_per_char", "completion_accuracy"}

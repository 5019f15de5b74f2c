"""Issue 22's remedies as settings: --dropout, --batchnorm, --schedule/--warmup/--step-every
and --early-stop on the command line, in setup files and share strings, in model files;
refused in one line (exit 2) where they cannot be; what `train --json` says they did."""

import json
from dataclasses import replace

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig, TrainConfig
from nn_tui.engine import BatchNorm1d, BatchNorm2d, Dropout, Network
from nn_tui.kinds import get_kind
from nn_tui.kinds.supervised import model_arrays
from nn_tui.run_setup import prepare
from nn_tui.setup_file import config_from_share, config_to_toml, load_toml, share_string


def train_json(capsys, *args) -> dict:
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def build(**settings):
    prepared = prepare(RunConfig.of(**settings))
    return prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)


@pytest.mark.parametrize("args, says", [
    (["--dropout", "0.95"], "--dropout must be a rate from 0 to 0.9"),
    (["--dropout", "-0.1"], "--dropout must be a rate"),
    (["--dropout", "nan"], "--dropout must be a rate"),
    (["--warmup", "-1"], "--warmup must be a whole number of epochs"),
    (["--early-stop", "-3"], "--early-stop must be a whole number of epochs"),
    (["--schedule", "linear"], "invalid choice"),
    (["--step-every", "3"], "--step-every goes with --schedule step"),
    (["--model", "gan", "--dropout", "0.2"], "--dropout applies to --model mlp or cnn or autoencoder, not gan"),
    (["--model", "perceptron", "--batchnorm"], "--batchnorm applies to"),
    (["--model", "autoencoder", "--early-stop", "3"], "--early-stop applies to --model mlp or cnn, not autoencoder"),
])
def test_bad_values_are_one_line_and_exit_2(args, says, capsys):
    assert main(["train", "--epochs", "1", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1


def test_a_setup_file_with_a_switch_that_is_not_one_is_refused(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text('[train]\nbatchnorm = "yes"\n')
    assert main(["train", "--config", str(path), "--epochs", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "batchnorm must be true or false" in err and len(err.splitlines()) == 1


def test_they_are_off_by_default_and_older_setups_still_open(tmp_path):
    defaults = TrainConfig()
    assert (defaults.dropout, defaults.batchnorm, defaults.schedule, defaults.warmup, defaults.step_every,
            defaults.early_stop) == (0.0, False, "constant", 0, 0, 0)
    # Share strings made before these settings existed (by main at f1bbafa):
    old = config_from_share("1.DcpBCoBACADAD0W0QbAgPkbQg6S7i3qp19ech6kopTCXBhmMqSl47OcFtw5GtwVGj0Ri3zrMVer6SiAxOVj8tX03CCre")
    assert old == RunConfig.of(dataset="spiral", layers=(8, 8), lr=0.1, noise=0.25, optimizer="adam")
    assert config_from_share("1.y87MS7FNzsuzTi3IT84otjUGAIG5ZqQ") == RunConfig.of(model="cnn", epochs=3)
    path = tmp_path / "old.toml"
    path.write_text('[data]\ndataset = "xor"\n[train]\nlr = 0.1\n')
    assert load_toml(path).train == replace(TrainConfig(), lr=0.1)
    # and a network built without them is the one it always was: no layer more
    assert [type(layer) for layer in build(dataset="xor", layers=(4,)).model.layers] == [type(Network.mlp(2, [4]).layers[0])] * 2


@pytest.mark.parametrize("model", ["mlp", "cnn"])
def test_every_setting_round_trips_through_toml_and_share_strings(model, tmp_path):
    config = RunConfig.of(model=model, dropout=0.3, batchnorm=True, schedule="step", step_every=7, warmup=2,
                          early_stop=9)
    assert config_from_share(share_string(config)) == config
    path = tmp_path / "setup.toml"
    path.write_text(config_to_toml(config))
    assert "batchnorm = true" in path.read_text()
    assert load_toml(path) == config


def test_the_networks_get_batch_norm_and_dropout_after_every_hidden_layer():
    mlp = build(dataset="spiral", layers=(8, 6), dropout=0.25, batchnorm=True).model
    assert [type(layer).__name__ for layer in mlp.layers] == ["Dense", "BatchNorm1d", "Dropout"] * 2 + ["Dense"]
    assert all(layer.p == 0.25 for layer in mlp.layers if isinstance(layer, Dropout))
    cnn = build(model="cnn", conv=(4, 8), layers=(16,), dropout=0.5, batchnorm=True).model
    assert sum(isinstance(layer, BatchNorm2d) for layer in cnn.layers) == 2
    assert sum(isinstance(layer, BatchNorm1d) for layer in cnn.layers) == 1
    assert sum(isinstance(layer, Dropout) for layer in cnn.layers) == 1
    autoencoder = build(model="autoencoder", layers=(32, 8), dropout=0.1).model
    assert sum(isinstance(layer, Dropout) for layer in autoencoder.layers) == 3


def test_the_mlp_screen_and_report_see_the_weight_layers_only(capsys):
    run = build(dataset="spiral", layers=(8, 6), dropout=0.25, batchnorm=True)
    kind = get_kind("mlp")
    assert kind.settings(run)["hidden"] == (8, 6)
    with run.model.evaluating():
        network = kind.probes(run)[0]
    assert network.sizes == (2, 8, 6, 1) and len(network.weights) == 3
    report = train_json(capsys, "--dataset", "spiral", "--layers", "8,6", "--dropout", "0.2", "--epochs", "1")
    assert report["sizes"] == [2, 8, 6, 1]


def test_dropout_same_seed_same_numbers_and_it_changes_them(capsys):
    args = ["--dataset", "spiral", "--layers", "8,8", "--epochs", "5"]
    first = train_json(capsys, *args, "--dropout", "0.3")
    again = train_json(capsys, *args, "--dropout", "0.3")
    plain = train_json(capsys, *args)
    for report in (first, again, plain):
        report.pop("seconds")
    assert first == again and first["train_loss"] != plain["train_loss"]


def test_scoring_neither_drops_units_nor_moves_batch_norm():
    run = build(dataset="spiral", layers=(8, 8), dropout=0.5, batchnorm=True)
    run.run_epoch()
    before = {name: array.copy() for name, array in run.model.buffers().items()}
    state = run.model.rng.bit_generator.state
    assert run.scores() == run.scores()
    assert all(np.array_equal(before[name], array) for name, array in run.model.buffers().items())
    assert run.model.rng.bit_generator.state == state
    assert run.model.training  # and training goes on in training mode


def test_early_stopping_stops_restores_the_best_weights_and_says_so(capsys):
    # A wide net on few noisy points overfits: its validation loss turns up and stays up.
    args = ["--dataset", "spiral", "--noise", "0.5", "--train-ratio", "0.2", "--layers", "24,24",
            "--optimizer", "adam", "--lr", "0.03", "--epochs", "300"]
    report = train_json(capsys, *args, "--early-stop", "15")
    assert report["stopped_early_at"] is not None and report["epochs"] == report["stopped_early_at"] < 300
    assert report["best_epoch"] == report["stopped_early_at"] - 15
    assert report["val_loss"] == report["best_val_loss"]  # the scores are the best epoch's weights'
    plain = train_json(capsys, *args)
    assert "stopped_early_at" not in plain and "val_loss" not in plain
    assert report["test_loss"] < plain["test_loss"]


def test_without_a_stop_the_best_weights_still_come_back_at_the_end(capsys):
    report = train_json(capsys, "--dataset", "spiral", "--noise", "0.5", "--train-ratio", "0.2", "--layers", "24,24",
                        "--optimizer", "adam", "--lr", "0.03", "--epochs", "60", "--early-stop", "1000")
    assert report["stopped_early_at"] is None and report["epochs"] == 60
    assert report["val_loss"] == report["best_val_loss"] and report["best_epoch"] <= 60


def test_the_validation_rows_are_a_fifth_of_the_training_rows_never_trained_on():
    run = build(dataset="circle", early_stop=5)
    whole = build(dataset="circle")
    n = len(whole.trainer.x_train)
    assert len(run.x_val) == round(0.2 * n) and len(run.trainer.x_train) == n - len(run.x_val)
    rows = {tuple(row) for row in run.trainer.x_train}
    assert not any(tuple(row) in rows for row in run.x_val)


def test_the_schedule_is_reported_where_it_left_the_rate(capsys):
    report = train_json(capsys, "--dataset", "xor", "--schedule", "step", "--step-every", "2", "--epochs", "5",
                        "--lr", "0.08")
    assert report["final_lr"] == pytest.approx(0.02)
    assert "final_lr" not in train_json(capsys, "--dataset", "xor", "--epochs", "1")


def test_a_model_file_keeps_dropout_batch_norm_and_their_statistics(tmp_path, capsys):
    path = tmp_path / "net.npz"
    train_json(capsys, "--dataset", "spiral", "--layers", "8,8", "--dropout", "0.2", "--batchnorm",
               "--epochs", "3", "--save", str(path))
    saved = Network.load(path)
    again = build(dataset="spiral", layers=(8, 8), dropout=0.2, batchnorm=True)
    for _ in range(3):
        again.run_epoch()
    a, b = model_arrays(saved), model_arrays(again.model)
    assert a.keys() == b.keys() and any(".buffer.running_var" in k for k in a)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    prepared = prepare(RunConfig.of(dataset="spiral", load=str(path)))
    assert (prepared.config.train.dropout, prepared.config.train.batchnorm) == (0.2, True)

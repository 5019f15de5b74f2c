"""Divergence whatever the loss: blown-up finite losses and dead or saturated layers are
flagged (exit 3, advice naming the cause; the app pauses), healthy runs never are."""

import shlex
from pathlib import Path

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.config import RunConfig, TrainConfig
from nn_tui.divergence import Diverged, DivergenceWatch, advice, dead_layer
from nn_tui.engine import OPTIMIZERS, Network
from nn_tui.kinds.mlp.spec import HIDDEN_ACTIVATIONS
from nn_tui.session import Session
from nn_tui.snapshot import DIVERGED

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands(prefix: str) -> list[list[str]]:
    """The command lines of README.md's code blocks that start with `prefix`."""
    lines, inside = [], False
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside and line.startswith(prefix):
            lines.append(shlex.split(line.split("#")[0])[len(shlex.split(prefix)):])
    return lines


def _as_train_args(args: list[str], tmp_path: Path) -> list[str]:
    """An app or README example as `nn-tui train --json` arguments, files made local."""
    out, it = [], iter(args)
    for arg in it:
        if arg in ("--play",):
            continue
        if arg == "--fps":
            next(it)
            continue
        if arg == "--save":
            out += ["--save", str(tmp_path / Path(next(it)).name)]
            continue
        if arg == "--data":
            name = Path(next(it)).name
            out += ["--data", str(ROOT / "assets" / "data" / name)]
            continue
        out.append(arg)
    return out + ([] if "--json" in out else ["--json"])


def _data_is_shipped(args: list[str]) -> bool:
    """Whether the example's --data (if any) is one of assets/data's files. The real-image
    examples (Fashion-MNIST under /usr/share/datasets, a folder of photos) train on data the
    repository does not ship, for minutes: tests/kinds/test_images_28_defaults.py and
    tests/data cover them."""
    if "--data" not in args:
        return True
    return (ROOT / "assets" / "data" / Path(args[args.index("--data") + 1]).name).is_file()


README_TRAIN = [args for args in _readme_commands("nn-tui train") if "--config" not in args and _data_is_shipped(args)]
# The app's lines (options only: not lesson, serve, export; not --config FILE, a file of the user's).
README_APP = [args for args in _readme_commands("nn-tui")
              if args and args[0].startswith("--") and "--config" not in args and _data_is_shipped(args)]


def test_the_readme_has_examples_to_check():
    assert len(README_TRAIN) >= 3 and len(README_APP) >= 2


@pytest.mark.parametrize("args", README_TRAIN + README_APP + [[]], ids=lambda a: " ".join(a) or "defaults")
def test_readme_examples_and_the_playground_defaults_are_never_flagged(args, tmp_path, capsys):
    assert main(["train", *_as_train_args(args, tmp_path)]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss", "moons",
                                     "blobs", "sine", "digits"])
def test_every_data_sets_defaults_train_300_epochs_unflagged(dataset, capsys):
    epochs = "40" if dataset == "digits" else "300"
    assert main(["train", "--dataset", dataset, "--epochs", epochs, "--json"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("kind", ["cnn", "autoencoder"])
def test_the_other_kinds_defaults_are_never_flagged(kind, capsys):
    assert main(["train", "--model", kind, "--epochs", "15", "--json"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("dataset", ["circle", "xor", "gauss", "spiral", "moons"])
def test_the_perceptron_is_never_flagged(dataset, capsys):
    assert main(["train", "--model", "perceptron", "--dataset", dataset, "--epochs", "100", "--json"]) == 0


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_every_activation_and_optimizer_at_lr_1000_is_flagged(activation, optimizer, capsys):
    status = main(["train", "--dataset", "spiral", "--layers", "8,8", "--activation", activation,
                   "--optimizer", optimizer, "--lr", "1000", "--epochs", "20", "--json"])
    err = capsys.readouterr().err
    assert status == 3, err
    assert "diverged" in err and "--lr, now 1000" in err
    assert len(err.strip().splitlines()) == 1 and "Warning" not in err


def test_digits_with_adam_at_lr_1000_is_flagged(capsys):
    status = main(["train", "--dataset", "digits", "--layers", "32", "--optimizer", "adam", "--lr", "1000",
                   "--epochs", "10", "--json"])
    assert status == 3 and "learning rate" in capsys.readouterr().err


def _dead_relu_net() -> Network:
    net = Network.mlp(2, hidden=[4], n_out=1, activation="relu", output="sigmoid", loss="bce", seed=0)
    net.layers[0].params["b"] = np.full(4, -1e3)  # no sample ever gets a unit above 0
    return net


def test_a_layer_of_dead_relus_or_saturated_tanhs_is_seen():
    x = np.random.default_rng(0).normal(size=(50, 2))
    assert "died" in dead_layer(_dead_relu_net(), x)
    tanh = Network.mlp(2, hidden=[3], n_out=1, activation="tanh", output="sigmoid", loss="bce", seed=0)
    assert dead_layer(tanh, x) is None
    tanh.layers[0].params["W"] = np.full((2, 3), 1e6)
    tanh.layers[0].params["b"] = np.full(3, 0.5)
    assert "saturated" in dead_layer(tanh, x[np.abs(x).min(axis=1) > 1e-3])


def test_the_dead_layer_is_numbered_among_the_hidden_layers_not_among_batch_norm_and_dropout():
    """With batch norm and dropout after each hidden layer, the network's layers are
    Dense, BatchNorm1d, Dropout, Dense, ...: the second hidden layer is the fourth layer,
    and the user counts hidden layers (--layers 4,4)."""
    x = np.random.default_rng(0).normal(size=(50, 2))
    net = Network.mlp(2, hidden=[4, 4], n_out=1, activation="relu", output="sigmoid", loss="bce", seed=0,
                      dropout=0.2, batchnorm=True)
    assert [type(layer).__name__ for layer in net.layers][:4] == ["Dense", "BatchNorm1d", "Dropout", "Dense"]
    net.layers[3].params["b"] = np.full(4, -1e3)  # the second hidden layer: every unit dead
    why = dead_layer(net, x)
    assert why.startswith("every unit of hidden layer 2 died"), why
    net.layers[3].params["b"] = np.zeros(4)
    net.layers[1].params["gamma"] = np.full(4, np.inf)  # the first hidden layer's batch norm
    why = dead_layer(net, x)
    assert why == "the batch norm after hidden layer 1 gives non-finite values", why


def test_a_loaded_file_of_dead_units_exits_3_naming_the_file(tmp_path, capsys):
    path = tmp_path / "dead.npz"
    _dead_relu_net().save(path)
    status = main(["train", "--dataset", "circle", "--load", str(path), "--epochs", "20", "--json"])
    err = capsys.readouterr().err
    assert status == 3, err
    assert "died" in err and "loaded file" in err


def test_advice_names_the_regularisation_rate_when_it_is_high():
    train = TrainConfig(reg="l2", reg_rate=3.0, lr=0.03)
    assert "regularisation rate" in advice(train, 5, loaded=False)
    assert "learning rate" in advice(TrainConfig(lr=5.0), 5, loaded=False)


def test_a_spike_the_run_recovers_from_is_not_flagged():
    watch = DivergenceWatch()
    for epoch, loss in enumerate([0.7, 0.5, 50.0, 40.0, 0.4, 0.3, 60.0, 0.2]):
        watch.observe(epoch, {"train_loss": loss})
    with pytest.raises(Diverged):
        for epoch, loss in enumerate([50.0, 50.0, 50.0], start=8):
            watch.observe(epoch, {"train_loss": loss})


def test_the_app_pauses_a_finite_divergence_with_a_notice():
    session = Session(RunConfig.of(dataset="spiral", layers=(8, 8), activation="relu", lr=1000.0))
    for _ in range(6):
        session._apply("step", (), {})
    assert session.snapshot.status == DIVERGED
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait())
    assert any("diverged" in n.text and n.severity == "error" for n in notices)

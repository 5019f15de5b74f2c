"""The cnn kind headless: `nn-tui train --model cnn` on the digits, its JSON, files."""

import json

import numpy as np
import pytest

from nn_tui.cli import main
from nn_tui.engine import Conv2D, load_model

CNN = ("--dataset", "digits", "--model", "cnn", "--conv", "4,8", "--kernel", "3", "--layers", "16",
       "--activation", "relu", "--optimizer", "adam", "--lr", "0.003", "--batch-size", "32")
MLP_KEYS = {"task", "dataset", "model", "sizes", "epochs", "steps", "seconds", "train_loss", "test_loss",
            "train_accuracy", "test_accuracy", "seed", "notes"}


def train_json(capsys, *args):
    assert main(["train", "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_cnn_trains_on_the_digits_with_the_mlps_json_keys(capsys):
    report = train_json(capsys, *CNN, "--epochs", "3")
    assert MLP_KEYS <= set(report)
    assert report["model"] == "cnn" and report["conv"] == [4, 8] and report["kernel"] == 3
    assert report["epochs"] == 3 and report["steps"] == 3 * 43  # 1347 training digits in batches of 32
    assert report["test_accuracy"] > 0.6  # 0.78 after 3 epochs with seed 0; a guess scores 0.1


def test_same_seed_same_numbers(capsys):
    first = train_json(capsys, *CNN, "--epochs", "1", "--seed", "3")
    second = train_json(capsys, *CNN, "--epochs", "1", "--seed", "3")
    other = train_json(capsys, *CNN, "--epochs", "1", "--seed", "4")
    for report in (first, second, other):
        del report["seconds"]
    assert first == second and first["train_loss"] != other["train_loss"]


def test_saved_cnn_loads_as_a_cnn_and_continues(capsys, tmp_path):
    path = tmp_path / "cnn.npz"
    before = train_json(capsys, *CNN, "--epochs", "2", "--save", str(path))
    model = load_model(path)
    assert isinstance(model.layers[0], Conv2D) and model.metadata["kind"] == "cnn"
    assert model.metadata["class_names"] == [str(i) for i in range(10)]
    again = train_json(capsys, "--dataset", "digits", "--load", str(path), "--epochs", "0")
    assert again["model"] == "cnn" and again["conv"] == [4, 8]
    assert again["test_accuracy"] == before["test_accuracy"]


@pytest.mark.parametrize("args, message", [
    (("--dataset", "circle", "--model", "cnn"), "images"),
    (("--dataset", "digits", "--model", "cnn", "--conv", "4,4,4,4"), "conv"),
    (("--dataset", "digits", "--model", "cnn", "--kernel", "0"), "kernel"),
    (("--dataset", "digits", "--model", "cnn", "--corrupt", "0.2"), "corrupt"),
])
def test_impossible_cnn_settings_exit_2_with_one_line(capsys, args, message):
    assert main(["train", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err and "Traceback" not in err


def test_mlp_files_stay_mlps(capsys, tmp_path):
    path = tmp_path / "mlp.npz"
    train_json(capsys, "--dataset", "digits", "--layers", "8", "--epochs", "1", "--save", str(path))
    assert train_json(capsys, "--dataset", "digits", "--load", str(path), "--epochs", "0")["model"] == "mlp"


def test_cnn_probes_show_filters_feature_maps_and_the_confusion_matrix():
    from nn_tui.config import RunConfig
    from nn_tui.kinds import get_kind
    from nn_tui.run_setup import prepare

    config = RunConfig.of(dataset="digits", model="cnn", conv=(4, 8), layers=(16,), activation="relu")
    prepared = prepare(config)
    kind = get_kind("cnn")
    run = kind.build(prepared.config, prepared.dataset)
    conv_view, confusion, mistakes, health = kind.probes(run)
    assert type(health).__name__ == "LayerHealthView" and health.names == ("h1", "h2", "h3")
    assert [f.shape for f in conv_view.filters] == [(4, 1, 3, 3), (8, 4, 3, 3)]
    assert [m.shape for m in conv_view.feature_maps] == [(4, 8, 8), (8, 4, 4)]
    assert conv_view.image.shape == (8, 8) and np.isclose(conv_view.probabilities.sum(), 1.0)
    assert not conv_view.filters[0].flags.writeable
    assert confusion.confusion.sum() == len(prepared.dataset.y_test)
    assert [g.shape for g in conv_view.filter_grads] == [(4, 1, 3, 3), (8, 4, 3, 3)]
    assert [d.shape for d in conv_view.dense] == [(16,)]
    wrong = confusion.confusion.sum() - confusion.confusion.trace()
    assert mistakes.count == wrong and (mistakes.true != mistakes.predicted).all()


def test_cnn_commands_move_the_selected_digit():
    from nn_tui.config import RunConfig
    from nn_tui.kinds.cnn.probes import ConvView, MistakesView
    from nn_tui.session import Session

    session = Session(RunConfig.of(dataset="digits", model="cnn", conv=(4,), layers=(8,), activation="relu"))
    session.send("shift_sample", -1)  # wraps to the last test digit
    session.apply_commands()
    assert session.snapshot.view(ConvView).sample == 446
    session.send("next_mistake", 1)
    session.apply_commands()
    snap = session.snapshot
    view, mistakes = snap.view(ConvView), snap.view(MistakesView)
    assert view.sample == mistakes.indices[0] and view.predicted != view.label  # wrapped to the first mistake
    session.send("select_sample", 7)
    session.apply_commands()
    assert session.snapshot.view(ConvView).sample == 7


def test_a_cnn_trains_through_the_session_and_its_snapshot_carries_frozen_views():
    from nn_tui.config import RunConfig
    from nn_tui.kinds.cnn.probes import ConvView
    from nn_tui.session import Session
    from nn_tui.views import ConfusionView

    session = Session(RunConfig.of(dataset="digits", model="cnn", conv=(4,), layers=(8,), activation="relu",
                                   optimizer="adam", lr=0.003, batch_size=32))
    assert session.snapshot.kind == "cnn"
    for _ in range(2):
        session.send("step")
        session.apply_commands()
    snap = session.snapshot
    assert snap.epoch == 2 and snap.metrics["test_accuracy"] > 0.3
    assert snap.view(ConvView).filters[0].shape == (4, 1, 3, 3)
    assert snap.view(ConfusionView).confusion.sum() > 400  # every test digit, once
    assert len(snap.history.get("train_loss")) == 3

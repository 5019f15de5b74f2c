"""The session: commands between steps, snapshots out, the network written by it alone."""

import threading
import time

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING

from tests.views import net, plane


def drain(session: Session) -> list:
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait())
    return notices


def apply(session: Session, command: str, *args, **kwargs):
    session.send(command, *args, **kwargs)
    session.apply_commands()
    return session.snapshot


@pytest.fixture
def session():
    return Session(RunConfig.of(dataset="xor", layers=(4, 2), seed=1))


def test_first_snapshot_describes_a_paused_untrained_network(session):
    snap = session.snapshot
    assert snap.status == PAUSED and snap.epoch == 0
    assert net(snap).sizes == (2, 4, 2, 1)
    assert [w.shape for w in net(snap).weights] == [(2, 4), (4, 2), (2, 1)]
    assert [m.shape for m in net(snap).neuron_maps] == [(2, 48, 48), (4, 48, 48), (2, 48, 48), (1, 48, 48)]
    assert plane(snap).output_map.shape == (48, 48)
    assert np.all(np.abs(plane(snap).output_map) <= 1)
    assert len(plane(snap).train_points) == len(plane(snap).train_values)
    assert len(plane(snap).train_points) + len(plane(snap).test_points) == 500


def test_snapshot_arrays_are_copies_that_cannot_be_written(session):
    snap = session.snapshot
    assert not net(snap).weights[0].flags.writeable
    before = net(snap).weights[0].copy()
    apply(session, "step")
    assert np.array_equal(net(snap).weights[0], before)  # the old snapshot did not move
    assert not np.array_equal(net(session.snapshot).weights[0], before)


def test_step_trains_one_epoch_and_stays_paused(session):
    snap = apply(session, "step")
    assert snap.epoch == 1 and snap.status == PAUSED
    assert len(snap.history.epochs) == 2  # epoch 0 and epoch 1


def test_learning_rate_change_keeps_the_weights(session):
    apply(session, "step")
    weights = net(session.snapshot).weights
    snap = apply(session, "lr_up")
    assert snap.settings["lr"] == 0.1
    assert snap.epoch == 1
    assert all(np.array_equal(a, b) for a, b in zip(weights, net(snap).weights))
    assert apply(session, "lr_down").settings["lr"] == 0.03


def test_architecture_change_resets_the_network(session):
    apply(session, "step")
    snap = apply(session, "add_layer")
    assert net(snap).hidden == (4, 2, 2) and snap.epoch == 0
    assert net(apply(session, "add_neuron", 0)).hidden == (5, 2, 2)
    assert net(apply(session, "remove_neuron", 0)).hidden == (4, 2, 2)
    assert net(apply(session, "remove_layer")).hidden == (4, 2)
    assert apply(session, "cycle_activation").settings["activation"] != "tanh"


def test_a_cycles_the_activations_in_the_readme_order(session):
    # README: "a | next activation (tanh, sigmoid, relu, leaky relu, linear)"
    seen = [session.config.model.activation]
    for _ in range(5):
        seen.append(apply(session, "cycle_activation").settings["activation"])
    assert seen == ["tanh", "sigmoid", "relu", "leaky_relu", "linear", "tanh"]


def test_refused_changes_leave_a_notice_and_the_run_as_it_was(session):
    drain(session)
    for _ in range(2):
        apply(session, "remove_layer")
    snap = apply(session, "remove_layer")
    assert net(snap).hidden == ()
    assert any("no hidden layer" in n.text for n in drain(session))
    from nn_tui.kinds.mlp.spec import MAX_NEURONS

    apply(session, "set_layers", (MAX_NEURONS,) * 8)
    assert net(apply(session, "add_neuron", 0)).hidden == (MAX_NEURONS,) * 8
    assert any(n.severity == "error" for n in drain(session))


def test_features_toggle_changes_the_inputs(session):
    snap = apply(session, "toggle_feature", "x1sq")
    assert snap.settings["features"] == ("x1", "x2", "x1sq") and net(snap).sizes[0] == 3
    snap = apply(session, "toggle_feature", "x1")
    assert snap.settings["features"] == ("x2", "x1sq")


def test_hand_edited_weight_takes_effect(session):
    apply(session, "set_weight", 0, 1, 2, 3.5)
    apply(session, "set_bias", 0, 2, -1.25)
    snap = session.snapshot
    assert net(snap).weights[0][1, 2] == 3.5 and net(snap).biases[0][2] == -1.25


def test_divergence_pauses_with_a_notice_and_reset_recovers():
    session = Session(RunConfig.of(dataset="reg-plane", layers=(8, 8), lr=10.0))
    apply(session, "play")
    for _ in range(200):
        session.train_slice(0.01)
        if session.snapshot.status == DIVERGED:
            break
    snap = session.snapshot
    assert snap.status == DIVERGED and "learning rate" in snap.message
    assert any(n.severity == "error" for n in drain(session))
    assert apply(session, "play").status == DIVERGED  # refuses to go on...
    apply(session, "lr_down")
    snap = apply(session, "reset")  # ...until reset
    assert snap.status == PAUSED and snap.epoch == 0 and snap.message is None


def test_data_changes_make_new_data(session):
    points = plane(session.snapshot).train_points
    assert not np.array_equal(plane(apply(session, "regenerate")).train_points, points)
    assert apply(session, "set_data", noise=0.25).settings["noise"] == 0.25
    snap = apply(session, "set_data", dataset="blobs")
    assert snap.dataset == "blobs" and plane(snap).output_classes is not None


def test_non_plane_data_shows_per_sample_activations():
    session = Session(RunConfig.of(dataset="digits", layers=(16,)))
    snap = session.snapshot
    assert plane(snap) is None and plane(snap) is None
    assert net(snap).neuron_maps[0].shape == (64, 48) and net(snap).neuron_maps[1].shape == (16, 48)


def test_training_thread_trains_answers_commands_and_stops():
    session = Session(RunConfig.of(dataset="circle"), fps=50)
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    session.send("play")
    deadline = time.monotonic() + 120  # a loaded machine's margin
    while session.snapshot.epoch < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert session.snapshot.status == TRAINING and session.snapshot.epoch >= 5
    session.send("pause")
    deadline = time.monotonic() + 120
    while session.snapshot.status != PAUSED and time.monotonic() < deadline:
        time.sleep(0.01)
    epoch = session.snapshot.epoch
    time.sleep(0.1)
    assert session.snapshot.status == PAUSED and session.snapshot.epoch == epoch
    session.stop()
    thread.join(timeout=60)
    assert not thread.is_alive()


def test_unknown_command_is_a_programming_error(session):
    with pytest.raises(AttributeError):
        session.send("fly")


def test_session_in_its_own_process_trains_and_answers():
    from nn_tui.session_process import SessionProcess

    session = SessionProcess(RunConfig.of(dataset="circle"), fps=50)
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    try:
        assert session.snapshot.epoch == 0  # a first picture before the child is up
        session.send("play")
        deadline = time.monotonic() + 120  # spawning the child takes seconds under load
        while session.snapshot.epoch < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        snap = session.snapshot
        assert snap.status == TRAINING and snap.epoch >= 5
        assert not net(snap).weights[0].flags.writeable
        session.send("set_lr", -1.0)  # refused in the child, told in the parent
        deadline = time.monotonic() + 120
        notices = []
        while not any(n.severity == "error" for n in notices) and time.monotonic() < deadline:
            notices += drain(session)
            time.sleep(0.02)
        assert any("learning rate" in n.text for n in notices)
    finally:
        session.stop()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert not any("unexpectedly" in n.text for n in drain(session))  # stopping on purpose is no error


def test_a_loaded_model_keeps_its_architecture_after_reset(tmp_path):
    from nn_tui.cli import main

    path = tmp_path / "relu88.npz"
    assert main(["train", "--layers", "8,8", "--activation", "relu", "--epochs", "2", "--save", str(path), "--json"]) == 0
    session = Session(RunConfig.of(load=str(path)))
    assert net(session.snapshot).sizes == (2, 8, 8, 1) and session.snapshot.settings["activation"] == "relu"
    snap = apply(session, "reset")
    assert net(snap).sizes == (2, 8, 8, 1) and snap.settings["activation"] == "relu" and snap.epoch == 0


def test_a_model_saved_from_the_app_records_what_train_save_records(tmp_path):
    # The app's save and `nn-tui train --save` had two metadata writers that drifted:
    # the app's lacked the class names. One writer now (Run.metadata).
    import json

    from nn_tui.cli import main
    from nn_tui.engine import load_model

    app_path, cli_path = tmp_path / "app.npz", tmp_path / "cli.npz"
    session = Session(RunConfig.of(dataset="digits", layers=(8,), epochs=0))
    apply(session, "save", str(app_path))
    assert main(["train", "--dataset", "digits", "--layers", "8", "--epochs", "0", "--json",
                 "--save", str(cli_path)]) == 0
    from_app, from_cli = load_model(app_path).metadata, load_model(cli_path).metadata
    assert from_app["class_names"] == [str(d) for d in range(10)]
    assert from_app == from_cli
    assert json.dumps(from_app)  # plain JSON


def test_views_stay_frozen_after_crossing_the_pipe(session):
    import pickle

    snap = pickle.loads(pickle.dumps(session.snapshot))
    assert not net(snap).weights[0].flags.writeable
    assert not net(snap).neuron_maps[1].flags.writeable
    assert not plane(snap).output_map.flags.writeable
    assert not snap.history.get("train_loss").flags.writeable
    with pytest.raises(TypeError):
        snap.metrics["train_loss"] = 0.0  # the header's mappings are read-only too
    with pytest.raises(AttributeError):
        net(snap).sizes = (1,)


def test_ui_state_is_not_in_the_snapshot(session):
    snap = session.snapshot
    assert not hasattr(snap, "selected")
    assert all(not hasattr(view, "selected") for view in snap.views)

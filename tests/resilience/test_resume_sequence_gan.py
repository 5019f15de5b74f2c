"""Resuming the character models (rnn, lstm, gru, attention), the GAN and, end to end, the agents
(dqn, selfplay; their own N + M tests are in tests/kinds): a run trained N steps,
put in a RunState, restored into a freshly built run and trained M more gives the very
numbers of N + M straight (weights, optimizer moments, scores, the session's history);
through the autosave file too, through the app's training process ended by SIGTERM, and
`nn-tui train` ended by a signal saves the last completed epoch exactly. A damaged state
is one line."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from nn_tui import autosave
from nn_tui.config import RunConfig
from nn_tui.engine import load_model
from nn_tui.engine.model_file import read_model_file
from nn_tui.kinds.base import NotResumable, RunState
from nn_tui.run_setup import prepare
from nn_tui.session import Session
from nn_tui.session_process import SessionProcess
from tests.resilience.train_process import interrupt_after_an_epoch, start_train

ROOT = Path(__file__).resolve().parents[2]

TEXT = ("The quick brown fox jumps over the lazy dog. " * 8 + "A stream of text, read in windows whose state "
        "carries on from one window to the next, is what truncated backpropagation through time trains on. ") * 3


def _text(tmp_path):
    path = tmp_path / "text.txt"
    path.write_text(TEXT)
    return str(path)


def _config(name, tmp_path):
    small = dict(layers=(12,), window=24, batch_size=4, embed=8)
    return {
        "lstm": lambda: RunConfig.of(model="lstm", **small),
        "gru-momentum": lambda: RunConfig.of(model="gru", optimizer="momentum", lr=0.05, **small),
        "rnn-text": lambda: RunConfig.of(model="rnn", data=_text(tmp_path), **small),  # the state carries on
        "lstm-text": lambda: RunConfig.of(model="lstm", data=_text(tmp_path), optimizer="rmsprop", **small),
        "attention": lambda: RunConfig.of(model="attention", gap=1, d=8, heads=2, blocks=1, context=96, batch_size=4),
        "attention-text": lambda: RunConfig.of(model="attention", data=_text(tmp_path), d=8, heads=2, blocks=1,
                                               context=32, batch_size=4),
        "gan": lambda: RunConfig.of(model="gan"),
        "gan-plain": lambda: RunConfig.of(model="gan", dataset="ring", g_optimizer="momentum", d_optimizer="rmsprop",
                                          instance_noise=0.1, g_average=0.0, d_steps=3),
        "dqn": lambda: RunConfig.of(model="dqn", replay=400, batch_size=16),
        "selfplay": lambda: RunConfig.of(model="selfplay", games_per_epoch=60, replay_size=600),
    }[name]()


NAMES = ["lstm", "gru-momentum", "rnn-text", "lstm-text", "attention", "attention-text", "gan", "gan-plain"]


def _build(config):
    prepared = prepare(config)
    return prepared.kind.build(prepared.config, prepared.dataset, prepared.loaded)


def _numbers(run) -> dict:
    """Every array that decides what the run computes next."""
    model = run.model
    if hasattr(run, "agent") or hasattr(run, "learner"):  # the agents: their whole state
        state = run.state()
        info = json.dumps(state.info, sort_keys=True).encode()
        return {**state.arrays, "info": np.frombuffer(info, dtype=np.uint8)}
    if hasattr(model, "G"):
        out = {"G": model.G.flat_params, "D": model.D.flat_params, "avg": model.G_shown.flat_params}
        for who in ("g_opt", "d_opt"):
            t, moments = getattr(model, who).get_state()
            out.update({f"{who}.{k}": v for k, v in moments.items()}, **{f"{who}.t": np.array(t)})
        return out
    t, moments = run.trainer.optimizer.get_state()
    return {"params": model.flat_params, "t": np.array(t), **moments}


def _train(run, steps_each):
    """Train in calls of these sizes (each stops at an epoch's end), scoring after each."""
    scores = None
    for steps in steps_each:
        run.train_steps(steps)
        scores = run.scores()
    return scores


def _through_json(state: RunState) -> RunState:
    """What an autosave file keeps: copies of the arrays, the info as JSON text."""
    return RunState(arrays={k: np.array(v) for k, v in state.arrays.items()}, info=json.loads(json.dumps(state.info)))


def _assert_same(a, b):
    na, nb = _numbers(a), _numbers(b)
    assert na.keys() == nb.keys()
    for key in na:
        assert np.array_equal(na[key], nb[key]), key


@pytest.mark.parametrize("name", NAMES)
def test_n_steps_then_restore_then_m_steps_is_n_plus_m_straight(name, tmp_path):
    config = _config(name, tmp_path)
    first, then = [5, 16, 3], [16, 16, 7]  # the state is taken in the middle of an epoch
    straight = _build(config)
    scores = _train(straight, first + then)

    interrupted = _build(config)
    _train(interrupted, first)
    state = _through_json(interrupted.state())
    del interrupted
    resumed = _build(config)
    resumed.restore(state)
    assert _train(resumed, then) == scores
    assert resumed.step == straight.step and resumed.epoch == straight.epoch
    _assert_same(straight, resumed)


def test_a_gan_resumes_which_network_trains_and_its_live_settings(tmp_path):
    config = _config("gan", tmp_path)
    run = _build(config)
    _train(run, [3, 3])
    run.only = "d"
    run.model.spec = run.model.spec.replace(gan_batch=50)  # as the batch key does
    run.model.g_opt.lr = 1e-3
    state = _through_json(run.state())
    resumed = _build(config)
    resumed.restore(state)
    assert resumed.only == "d" and resumed.model.spec.gan_batch == 50 and resumed.model.g_opt.lr == 1e-3
    _train(run, [3, 3])
    _train(resumed, [3, 3])
    _assert_same(run, resumed)


def test_a_state_of_another_architecture_is_refused_in_one_line(tmp_path):
    state = _build(_config("lstm", tmp_path)).state()
    other = _build(RunConfig.of(model="lstm", layers=(13,), window=24, batch_size=4, embed=8))
    with pytest.raises(NotResumable, match="does not fit"):
        other.restore(state)
    gan_state = _build(RunConfig.of(model="gan")).state()
    with pytest.raises(NotResumable, match="architecture"):
        _build(RunConfig.of(model="gan", g_layers=(16,))).restore(gan_state)


@pytest.mark.parametrize("name, part", [("lstm", "trainer"), ("gan", "rng"), ("gan", "optimizers")])
def test_a_damaged_state_is_refused_in_one_line(name, part, tmp_path):
    state = _build(_config(name, tmp_path)).state()
    state.info.pop(part)
    with pytest.raises(NotResumable, match="incomplete or damaged"):
        _build(_config(name, tmp_path)).restore(state)


def test_resume_of_a_damaged_autosave_exits_2_with_one_line(tmp_path):
    session = Session(_config("gan", tmp_path))
    _epochs(session, 1)
    state = session.session_state()
    state.run.info["rng"] = {"bit_generator": "PCG64", "state": "nonsense"}
    autosave.write(tmp_path / "state" / "nn-tui" / "autosave.npz", state)
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "nn_tui", "--resume"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "random generator" in done.stderr, done.stderr


# --- through the session and its autosave file ------------------------------------------
def _epochs(session, n):
    for _ in range(n):
        session._apply("step", (), {})


def _same_sessions(a: Session, b: Session):
    _assert_same(a.training_run, b.training_run)
    ha, hb = a.history.view(), b.history.view()
    assert np.array_equal(ha.epochs, hb.epochs) and ha.series.keys() == hb.series.keys()
    for name in ha.series:
        assert np.array_equal(ha.series[name], hb.series[name], equal_nan=True), name
    assert a.scores == b.scores


@pytest.mark.parametrize("name", ["lstm", "rnn-text", "attention", "gan"])
def test_an_autosaved_session_resumes_mid_epoch_to_the_uninterrupted_numbers(name, tmp_path):
    config = _config(name, tmp_path)
    path = tmp_path / "autosave.npz"
    whole = Session(config)
    _epochs(whole, 4)

    first = Session(config, autosave_path=path)
    _epochs(first, 2)
    first.training_run.train_steps(1)  # in the middle of epoch 3
    first._dirty = True
    first.autosave()
    del first
    with np.load(path, allow_pickle=False) as npz:  # no pickle anywhere
        assert all(npz[entry].dtype != object for entry in npz.files)

    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config == config and resumed.training_run.epoch == 2
    _epochs(resumed, 2)  # finishes epoch 3, then 4
    _same_sessions(whole, resumed)


def test_a_text_run_resumes_after_its_batch_size_changed(tmp_path):
    """The streams a text is read in stay as they were when the batch size changes; the
    resumed run reads on in the very same ones."""
    config = _config("lstm-text", tmp_path)
    path = tmp_path / "autosave.npz"
    runs = []
    for autosave_path in (None, path):
        session = Session(config, autosave_path=autosave_path)
        _epochs(session, 1)
        session._apply("set_batch_size", (6,), {})
        _epochs(session, 1)
        runs.append(session)
    first = runs[1]
    first._dirty = True
    first.autosave()
    resumed = Session(RunConfig(), resume=autosave.read(path))
    assert resumed.config.train.batch_size == 6
    assert first.training_run.trainer.source.batch(np.random.default_rng(0), 99)[0].shape[0] == 6  # it took
    _epochs(runs[0], 2)
    _epochs(resumed, 2)
    _same_sessions(runs[0], resumed)


@pytest.mark.parametrize("name", ["lstm", "gan", "dqn", "selfplay"])
def test_the_apps_training_process_autosaves_and_the_run_comes_back(name, tmp_path):
    """End to end: the training process (a child, as in the app) trains, is ended and
    autosaves on its way out; the resumed run trains on to the numbers of a run that
    trained the same steps without a break."""
    config = _config(name, tmp_path)
    path = tmp_path / "autosave.npz"
    process = SessionProcess(config, autosave_path=path)
    receiving = threading.Thread(target=process.run, daemon=True)
    receiving.start()
    try:
        process.send("play")
        deadline = time.monotonic() + 180  # a loaded machine's margin
        while process.snapshot.epoch < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGTERM)  # as when the link drops: the child autosaves, ends
        process._process.join(timeout=120)
    finally:
        process.stop()
    saved = autosave.read(path)
    assert saved.epoch >= 2 and saved.config == config

    resumed = Session(RunConfig(), resume=saved)
    steps = resumed.training_run.step
    _epochs(resumed, 1)
    straight = Session(config)
    per_epoch = {"lstm": 16, "gan": 3}.get(name, 1_000_000)  # an agent's epoch ends where its episodes do
    while straight.training_run.step < steps:  # the same steps, in whole epochs then the rest
        straight.training_run.train_steps(min(per_epoch, steps - straight.training_run.step))
    _epochs(straight, 1)
    _assert_same(straight.training_run, resumed.training_run)


# --- `nn-tui train` ended by a signal: the model as of the last completed epoch ------------
LONG = {"lstm": ("--model", "lstm", "--layers", "12", "--window", "24", "--batch-size", "4", "--embed", "8"),
        "gan": ("--model", "gan", "--dataset", "ring"),
        "dqn": ("--model", "dqn", "--replay", "400", "--batch-size", "16"),
        "selfplay": ("--model", "selfplay", "--games-per-epoch", "40", "--replay-size", "500")}


@pytest.mark.parametrize("name", ["lstm", "gan", "dqn", "selfplay"])
def test_a_signal_to_train_saves_the_model_of_the_last_completed_epoch(name, tmp_path):
    """The interrupt rewinds the run to its checkpoint (state, restore) and saves it: the
    file holds exactly the weights of that many epochs trained from scratch."""
    path = tmp_path / "model.npz"
    args = [*LONG[name], "--epochs", "1000000"]
    process = start_train([*args, "--save", str(path), "--json"], tmp_path)
    # after a completed epoch (imports, data and self-play's first 400 measuring games take seconds under load)
    code, err = interrupt_after_an_epoch(process, signal.SIGTERM)
    assert code == 143 and len(err.strip().splitlines()) == 1, err
    epoch = read_model_file(path)[2]["epoch"]
    assert epoch >= 1 and f"as of epoch {epoch} " in err

    from nn_tui.cli import _config, _train_parser

    again = _build(_config(_train_parser(), args)[1])
    for _ in range(epoch):
        again.run_epoch()
        again.scores()  # as `nn-tui train` scores every epoch (the GAN's measure is part of its state)
    saved = load_model(path)
    if name == "gan":
        for net in ("G", "D", "G_shown"):
            assert np.array_equal(getattr(saved, net).flat_params, getattr(again.model, net).flat_params), net
    else:
        assert np.array_equal(saved.flat_params, again.model.flat_params)
    if name in ("dqn", "selfplay"):  # and the whole run, to go on from with --load
        want = again.state()
        assert saved.run_state.info == json.loads(json.dumps(want.info))
        for key, value in want.arrays.items():
            assert np.array_equal(saved.run_state.arrays[key], value), key

"""Autosave and resume: a resumed run trains on to the very numbers of an uninterrupted
one, bit for bit (weights, optimizer moments, history), for the MLP and the perceptron;
the file holds no pickle; a kind without state hooks says it cannot be resumed."""

import numpy as np
import pytest

from nn_tui import autosave
from nn_tui.config import RunConfig
from nn_tui.kinds.base import NotResumable, Run
from nn_tui.kinds.supervised import model_arrays
from nn_tui.session import Session


def _epochs(session, n):
    for _ in range(n):
        session._apply("step", (), {})


def _same(a: Session, b: Session):
    ra, rb = a.training_run, b.training_run
    assert ra.epoch == rb.epoch and ra.step == rb.step
    wa, wb = model_arrays(ra.model), model_arrays(rb.model)
    assert wa.keys() == wb.keys() and all(np.array_equal(wa[k], wb[k]) for k in wa)
    ha, hb = a.history.view(), b.history.view()
    assert np.array_equal(ha.epochs, hb.epochs)
    for name in ha.series:
        assert np.array_equal(ha.series[name], hb.series[name], equal_nan=True)
    assert a.scores == b.scores


CONFIGS = [
    RunConfig.of(dataset="spiral", layers=(8, 8), activation="tanh", optimizer="adam", lr=0.01, batch_size=7),
    RunConfig.of(dataset="circle", layers=(4,), optimizer="momentum", lr=0.1, reg="l1", reg_rate=0.001),
    RunConfig.of(dataset="xor", layers=(6,), optimizer="rmsprop", lr=0.003, seed=5),
    RunConfig.of(dataset="moons", model="perceptron", lr=0.1),
    RunConfig.of(model="cnn"),
    RunConfig.of(model="autoencoder", corrupt=0.2),  # the noise stream and this epoch's noisy inputs are state too
    # Issue 22: dropout's generator, batch norm's running statistics, the schedule's position
    # and early stopping's best weights and patience are state too (patience 2: it stops and
    # goes on again within the six epochs).
    RunConfig.of(dataset="spiral", layers=(8, 8), optimizer="adam", lr=0.01, batch_size=7, dropout=0.3,
                 batchnorm=True, schedule="cosine", warmup=2, epochs=6, early_stop=2),
    RunConfig.of(model="cnn", dropout=0.2, batchnorm=True, schedule="step", step_every=1),
    RunConfig.of(model="autoencoder", corrupt=0.1, dropout=0.1, batchnorm=True, warmup=3),
    RunConfig.of(model="autoencoder", corrupt=0.1, mark="scribble"),  # and the marks' stream (inpainting)
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c.kind}-{c.train.optimizer}-{c.data.dataset}"
                         + ("-extras" if c.train.dropout else "")
                         + (f"-{c.model.mark}" if getattr(c.model, "mark", "none") != "none" else ""))
def test_resume_mid_epoch_then_train_gives_the_uninterrupted_numbers(config, tmp_path):
    path = tmp_path / "autosave.npz"
    whole = Session(config)
    _epochs(whole, 6)

    first = Session(config, autosave_path=path)
    _epochs(first, 2)
    if first.training_run.train_steps(3):  # the MLP: in the middle of epoch 3 (order, cursor)
        first._record_epoch()  # the perceptron's rule does whole epochs
    first._dirty = True
    first.autosave()
    del first

    with np.load(path, allow_pickle=False) as npz:  # no pickle anywhere
        assert all(npz[name].dtype != object for name in npz.files)
    resumed = Session(RunConfig(), resume=autosave.read(path))  # its settings win over the given ones
    assert resumed.config == config
    _epochs(resumed, 6 - resumed.training_run.epoch)  # the MLP finishes epoch 3, then 4..6
    _same(whole, resumed)


def test_optimizer_state_is_restored_exactly(tmp_path):
    config = CONFIGS[0]
    path = tmp_path / "a.npz"
    first = Session(config, autosave_path=path)
    _epochs(first, 2)
    first.autosave()
    resumed = Session(config, resume=autosave.read(path))
    a, b = first.training_run.optimizer, resumed.training_run.optimizer
    assert a.t == b.t > 0 and np.array_equal(a.m, b.m) and np.array_equal(a.v, b.v)


def test_the_run_autosaves_when_the_session_ends_and_only_after_training(tmp_path):
    path = tmp_path / "autosave.npz"
    session = Session(RunConfig.of(dataset="xor"), autosave_path=path)
    session.stop()
    session.run()
    assert not path.exists()  # nothing trained: an earlier autosave is kept
    session = Session(RunConfig.of(dataset="xor"), autosave_path=path)
    session.send("step")
    session.send("stop_session")
    session.run()
    assert autosave.read(path).epoch == 1


class _StatelessRun(Run):
    pass


def test_a_kind_without_state_hooks_says_it_cannot_be_resumed():
    run = _StatelessRun(RunConfig(), dataset=None)
    assert not run.resumable
    with pytest.raises(NotResumable, match="cannot be resumed"):
        run.state()


def test_a_damaged_or_foreign_autosave_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(autosave.AutosaveError, match="damaged|not an nn-tui autosave"):
        autosave.read(bad)
    with pytest.raises(autosave.AutosaveError, match="no autosave"):
        autosave.read(tmp_path / "missing.npz")

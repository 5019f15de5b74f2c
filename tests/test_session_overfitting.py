"""The session finds a run's overfitting in its history and the snapshot carries it."""

import pickle

import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session

# The Playground's overfitting setup: a wide network, few and noisy points (noise 50 %,
# train ratio 10 %); at this rate the test loss turns up after ~10 epochs and the
# turn is clear (10 % up) before epoch 150 on seeds 0-2.
OVERFIT = dict(dataset="spiral", layers=(8, 8), noise=0.5, train_ratio=0.1, lr=0.1)


def train(session: Session, epochs: int):
    for _ in range(epochs):
        session.send("step")
    session.apply_commands()
    return session.snapshot


@pytest.mark.parametrize("seed", [0, 2])
def test_a_wide_network_on_few_noisy_points_is_found_overfitting(seed):
    session = Session(RunConfig.of(**OVERFIT, seed=seed))
    early = train(session, 30)
    assert early.overfitting_since is None  # not yet: the rise has not lasted
    late = train(session, 170)
    history = late.history
    assert late.overfitting_since is not None and 0 < late.overfitting_since < 30
    turn = list(history.epochs).index(late.overfitting_since)
    assert history.get("test_loss")[-1] > 1.1 * history.get("test_loss")[turn]  # it did turn up ...
    assert history.get("train_loss")[-1] < history.get("train_loss")[turn]  # ... while train loss fell


def test_a_healthy_run_is_not_found_overfitting():
    session = Session(RunConfig.of(dataset="circle", layers=(4, 2), activation="tanh"))
    assert train(session, 200).overfitting_since is None


def test_the_mark_goes_with_a_new_network_and_survives_the_pipe():
    session = Session(RunConfig.of(**OVERFIT, seed=2))
    snapshot = train(session, 200)
    assert snapshot.overfitting_since is not None
    assert pickle.loads(pickle.dumps(snapshot)).overfitting_since == snapshot.overfitting_since  # to the app
    session.send("reset")  # new weights, new history: no turn yet
    session.apply_commands()
    assert session.snapshot.overfitting_since is None


def test_kinds_without_train_and_test_loss_are_never_marked():
    assert Session(RunConfig.of(model="gan", dataset="ring")).snapshot.overfitting_since is None

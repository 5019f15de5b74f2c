"""Pacing: a paced run trains at most so many epochs a second, on the training side,
and reaches the very same numbers as a run at full speed."""

import pickle
import time

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.session import Session
from nn_tui.snapshot import TRAINING

from tests.views import net


def _session():
    return Session(RunConfig.of(dataset="xor", layers=(4,), seed=3, batch_size=10))


def _train_to(session, epochs, seconds):
    session._status = TRAINING  # as "play" does, without a thread
    while session.training_run.epoch < epochs:
        session.train_slice(seconds)
    session.publish()
    return session.snapshot


def test_a_paced_run_reaches_the_same_weights_as_a_full_speed_run():
    full = _train_to(_session(), 12, seconds=0.0)  # one call never passes an epoch's end
    paced_session = _session()
    paced_session.send("set_pace", 200.0, "normal 200 epochs/s")
    paced_session.apply_commands()
    paced = _train_to(paced_session, 12, seconds=0.02)
    assert full.epoch == paced.epoch == 12
    for a, b in zip(net(full).weights, net(paced).weights):
        assert np.array_equal(a, b)
    assert full.metrics == paced.metrics
    assert list(full.history.epochs) == list(paced.history.epochs)


def test_a_paced_run_trains_no_faster_than_its_pace_and_says_it():
    session = _session()
    session.send("set_pace", 25.0, "slow 25 epochs/s")
    session.apply_commands()
    assert session.snapshot.pace == "slow 25 epochs/s"
    started = time.perf_counter()
    _train_to(session, 10, seconds=0.02)
    assert time.perf_counter() - started >= 9 / 25  # the first epoch is due at once
    session.send("set_pace", None)
    session.apply_commands()
    assert session.snapshot.pace == "full speed"
    assert pickle.loads(pickle.dumps(session.snapshot)).pace == "full speed"  # it crosses the process pipe


def test_full_speed_is_the_default_and_a_bad_pace_is_refused_with_a_notice():
    session = _session()
    assert session.snapshot.pace is None and session._epochs_per_second is None
    session.send("set_pace", -1.0)
    session.apply_commands()
    assert session._epochs_per_second is None
    notices = []
    while not session.notices.empty():
        notices.append(session.notices.get_nowait())
    assert any("pace must be a positive number" in n.text for n in notices)


@pytest.mark.parametrize("pace", [None, 40.0])
def test_a_paced_session_thread_answers_pause_at_once(pace):
    session = _session()
    session.send("set_pace", pace)
    session.send("play")
    import threading

    thread = threading.Thread(target=session.run, daemon=True)
    started = time.perf_counter()
    thread.start()
    try:
        # Training has begun (an event, not a guessed 0.3 s: a loaded machine starts threads late).
        deadline = started + 120
        while session.snapshot.epoch < 2 and time.perf_counter() < deadline:
            time.sleep(0.01)
        assert session.snapshot.status == TRAINING
        session.send("pause")
        while session.snapshot.status == TRAINING and time.perf_counter() < deadline:
            time.sleep(0.01)
        assert session.snapshot.status != TRAINING
        if pace is not None:  # never ahead of its pace, however long the machine took
            assert session.snapshot.epoch <= (time.perf_counter() - started) * pace + 3
    finally:
        session.stop()
        thread.join(60)

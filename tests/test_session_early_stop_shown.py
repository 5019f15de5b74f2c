"""A run that early stopping ends is shown paused at once, without waiting for a key."""

import threading
import time

from nn_tui.config import RunConfig
from nn_tui.session import Session

STOPS_EARLY = dict(dataset="xor", noise=0.5, train_ratio=0.1, layers=(64, 64), optimizer="adam", lr=0.01,
                   early_stop=20, seed=0)  # stops at epoch 39 (the overfitting lesson's run)


def test_the_snapshot_says_paused_once_early_stopping_ends_the_run():
    session = Session(RunConfig.of(**STOPS_EARLY), fps=0.1)  # while training, a publish at most every 10 s
    thread = threading.Thread(target=session.run, daemon=True)
    thread.start()
    try:
        session.send("play")
        deadline = time.monotonic() + 120
        while session._run.stopped_early_at is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert session._run.stopped_early_at == 39
        # No command comes, and a paused loop publishes nothing by itself: only the publish
        # made as the run stops can show it (waited for, as a loaded machine runs the thread late).
        while session.snapshot.status != "paused" and time.monotonic() < deadline:
            time.sleep(0.01)
        snapshot = session.snapshot
        assert (snapshot.status, snapshot.epoch) == ("paused", 39)
        assert snapshot.settings["stopped_early_at"] == 39
    finally:
        session.stop()
        thread.join(60)

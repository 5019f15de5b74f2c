import numpy as np

from nn_tui.history import BoundedHistory


def test_history_keeps_every_epoch_until_full():
    history = BoundedHistory(capacity=8)
    for epoch in range(8):
        history.add(epoch, 1.0 / (epoch + 1), 2.0, 0.5, 0.4)
    view = history.view()
    assert view.epochs.tolist() == list(range(8))
    assert view.test_accuracy.tolist() == [0.4] * 8


def test_history_is_bounded_and_keeps_first_and_latest_epochs():
    history = BoundedHistory(capacity=64)
    for epoch in range(1_000_000 // 64):  # many more points than it can hold
        history.add(epoch, float(epoch), float(epoch))
    view = history.view()
    assert len(view.epochs) <= 64
    assert view.epochs[0] == 0
    assert view.epochs[-1] >= 1_000_000 // 64 - 64  # recent points are there
    assert np.all(np.diff(view.epochs) > 0)  # still in order, evenly thinned
    assert len(set(np.diff(view.epochs).tolist())) <= 2


def test_history_view_is_a_read_only_copy():
    history = BoundedHistory(capacity=8, with_accuracy=False)
    history.add(0, 1.0, 1.0)
    view = history.view()
    history.add(1, 0.5, 0.5)
    assert len(view.epochs) == 1
    assert view.train_accuracy is None
    assert not view.train_loss.flags.writeable

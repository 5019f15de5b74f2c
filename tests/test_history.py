import numpy as np

from nn_tui.history import BoundedHistory

NAMES = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")


def test_history_keeps_every_epoch_until_full():
    history = BoundedHistory(NAMES, capacity=8)
    for epoch in range(8):
        history.add(epoch, {"train_loss": 1.0 / (epoch + 1), "test_loss": 2.0,
                            "train_accuracy": 0.5, "test_accuracy": 0.4})
    view = history.view()
    assert view.epochs.tolist() == list(range(8))
    assert view.get("test_accuracy").tolist() == [0.4] * 8


def test_history_is_bounded_and_keeps_first_and_latest_epochs():
    history = BoundedHistory(NAMES[:2], capacity=64)
    for epoch in range(1_000_000 // 64):  # many more points than it can hold
        history.add(epoch, {"train_loss": float(epoch), "test_loss": float(epoch)})
    view = history.view()
    assert len(view.epochs) <= 64
    assert view.epochs[0] == 0
    assert view.epochs[-1] >= 1_000_000 // 64 - 64  # recent points are there
    assert np.all(np.diff(view.epochs) > 0)  # still in order, evenly thinned
    assert len(set(np.diff(view.epochs).tolist())) <= 2


def test_history_view_is_a_read_only_copy():
    history = BoundedHistory(NAMES[:2], capacity=8)
    history.add(0, {"train_loss": 1.0, "test_loss": 1.0})
    view = history.view()
    history.add(1, {"train_loss": 0.5, "test_loss": 0.5})
    assert len(view.epochs) == 1
    assert view.get("train_accuracy") is None
    assert not view.get("train_loss").flags.writeable


def test_history_keeps_named_series_and_continues_from_its_state():
    history = BoundedHistory(("loss", "psnr"), capacity=8)
    for epoch in range(20):
        history.add(epoch, {"loss": 1.0 / (epoch + 1), "psnr": float(epoch)})
    again = BoundedHistory.from_state(history.state())
    for h in (history, again):
        h.add(20, {"loss": 0.01, "psnr": 20.0})
    assert np.array_equal(history.view().epochs, again.view().epochs)
    assert np.array_equal(history.view().get("psnr"), again.view().get("psnr"))
    assert set(history.view().series) == {"loss", "psnr"}

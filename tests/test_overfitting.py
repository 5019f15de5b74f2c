"""The turn of the test loss: fires on a real overfit, not on a healthy or noisy run."""

import numpy as np
import pytest

from nn_tui.overfitting import overfitting_since, centred_mean

EPOCHS = np.arange(400)


def falling(epochs=EPOCHS, start=0.7, end=0.05, scale=60.0):
    return end + (start - end) * np.exp(-epochs / scale)


def turning(turn=100, low=0.3, slope=0.002, epochs=EPOCHS):
    """Falls to `low` at `turn`, then rises by `slope` an epoch."""
    before = low + (0.7 - low) * (1 - epochs / turn) ** 2
    return np.where(epochs < turn, before, low + slope * (epochs - turn))


def noisy(values, share, seed=0):
    return values * (1 + share * np.random.default_rng(seed).standard_normal(len(values)))


def test_fires_at_the_turn_when_test_loss_rises_and_train_loss_falls():
    since = overfitting_since(EPOCHS, falling(), turning(turn=100))
    assert since is not None and abs(since - 100) <= 3  # within the running mean's reach


def test_fires_through_noise_and_stays_on():
    train, test = noisy(falling(), 0.05, seed=1), noisy(turning(turn=100), 0.05, seed=2)
    seen = [overfitting_since(EPOCHS[:n], train[:n], test[:n]) for n in range(10, 401)]
    fired = [n for n, since in zip(range(10, 401), seen) if since is not None]
    assert fired and fired[0] < 250  # a 0.3 low rising 0.002 an epoch is 10 % up by epoch 115
    assert all(since is not None for since in seen[fired[0] - 10 :])  # no flicker once on
    assert all(abs(since - 100) <= 10 for since in seen if since is not None)


def test_does_not_fire_while_both_losses_fall():
    assert overfitting_since(EPOCHS, falling(), falling(start=0.8, end=0.2)) is None


def test_does_not_fire_on_a_noisy_plateau():
    for seed in range(20):
        train = noisy(falling(), 0.05, seed=seed)
        test = noisy(np.full(len(EPOCHS), 0.25), 0.08, seed=100 + seed)
        assert overfitting_since(EPOCHS, train, test) is None, seed


def test_does_not_fire_on_a_single_bad_epoch_or_a_short_rise():
    test = falling(start=0.8, end=0.2)
    test[300] *= 3  # one spike
    assert overfitting_since(EPOCHS, falling(), test) is None
    short = turning(turn=390, slope=0.05)  # up fast, but only for 10 epochs
    assert overfitting_since(EPOCHS, falling(), short) is None


def test_does_not_fire_when_train_loss_rises_too():
    # Both going up is a run going wrong (too high a learning rate), not memorising.
    assert overfitting_since(EPOCHS, turning(turn=100, low=0.1), turning(turn=100)) is None


def test_does_not_fire_on_a_tiny_loss_wobbling_by_large_shares():
    test = turning(turn=100, low=0.001, slope=0.00003)  # 0.001 -> 0.01: 10x, but 0.009 in all
    assert overfitting_since(EPOCHS, falling(end=0.0001), test) is None


def test_epochs_of_a_thinned_history_are_returned_as_they_are():
    epochs = EPOCHS * 64  # the bounded history keeps one epoch in 64 after a long run
    since = overfitting_since(epochs, falling(), turning(turn=100))
    assert since is not None and since % 64 == 0 and abs(since - 6400) <= 3 * 64


def test_the_rise_must_last_longer_in_a_long_run():
    # Turned at epoch 6,400, up for 100 epochs: in a run that long, too short to tell.
    epochs = np.concatenate([np.arange(0, 6400, 64), np.arange(6400, 6500)])
    n = len(epochs)
    train = falling(epochs, scale=2000.0)
    test = np.concatenate([np.linspace(0.7, 0.3, 100), 0.3 + 0.01 * np.arange(100)])
    assert len(test) == n
    assert overfitting_since(epochs, train, test) is None


def test_non_finite_points_are_left_out_and_short_histories_say_nothing():
    test = turning(turn=100)
    test[200] = np.nan
    assert overfitting_since(EPOCHS, falling(), test) is not None
    assert overfitting_since(EPOCHS[:5], falling()[:5], turning()[:5]) is None
    assert overfitting_since(EPOCHS, falling(), None) is None


def test_centred_mean():
    assert np.allclose(centred_mean(np.array([1.0, 3.0, 5.0, 7.0, 0.0]), 3), [3.0, 5.0, 4.0])

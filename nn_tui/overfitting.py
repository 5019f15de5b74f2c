"""Has the run begun to overfit? The turn of the test loss, found in the loss history.

A run overfits when its test loss turns up while its train loss keeps falling: the
network memorises its training points instead of learning what they share. Losses
jitter from epoch to epoch, so a single bad epoch is no turn. The test loss is
smoothed (a running mean of a few points); the turn is the epoch of its lowest
value. It counts only once the smoothed test loss has stayed clearly above its level
there (the mean of a wider window around the turn) — by a share of it, and at least
by an absolute amount, so that a tiny loss's wobble is not a rise — for a sustained
stretch of epochs ending now, while the train loss is lower than it was at the turn.
The stretch begins once the loss passes half the margin and must lie, on average,
above the whole margin: the answer does not flicker as noise crosses one line.

A pure function of the history (numpy only): the session computes it when it
publishes, and the snapshot carries the epoch.
"""

from __future__ import annotations

import numpy as np

RISE = 0.10  # the test loss must rise this share above its low ...
MIN_RISE = 0.01  # ... and at least this much (a loss near 0 wobbles by large shares)
PATIENCE = 20  # epochs the rise must last ...
PATIENCE_SHARE = 0.25  # ... and at least this share of the epochs before the turn (long runs)
SMOOTH = 5  # points in the running mean of each loss (odd: centred on a point)
LEVEL_REACH = 10  # points either side of the turn that give the test loss's level there


def centred_mean(values: np.ndarray, window: int) -> np.ndarray:
    """The mean of each point and the `window // 2` either side, for the points that
    have them all (a shorter mean at the ends would be the noisiest value of all)."""
    return np.convolve(values, np.full(window, 1.0 / window), mode="valid")


def overfitting_since(epochs, train_loss, test_loss) -> int | None:
    """The epoch where the test loss turned up while the train loss kept falling, or
    None when the run does not overfit (yet). Arrays of one length, oldest first;
    points with a non-finite loss are left out."""
    if train_loss is None or test_loss is None:
        return None
    epochs, train, test = (np.asarray(a, dtype=np.float64) for a in (epochs, train_loss, test_loss))
    good = np.isfinite(epochs) & np.isfinite(train) & np.isfinite(test)
    epochs, train, test = epochs[good], train[good], test[good]
    if len(epochs) < 2 * SMOOTH:
        return None
    half = SMOOTH // 2
    raw_test = test
    test, train = centred_mean(test, SMOOTH), centred_mean(train, SMOOTH)
    epochs = epochs[half : len(epochs) - half]
    turn = int(np.argmin(test))  # the first time the smoothed test loss was lowest
    # The lowest of many noisy means sits below the loss's true level (a plateau's
    # noise alone would look like a rise above it): measure the level at the turn
    # over a wider window of the raw losses.
    around = raw_test[max(turn + half - LEVEL_REACH, 0) : turn + half + LEVEL_REACH + 1]
    low = float(around.mean())
    rise = max(RISE * low, MIN_RISE)
    above = test[turn + 1 :] > low + rise / 2
    if not len(above) or not above[-1]:
        return None
    # The stretch ending now in which the test loss stayed above half the margin.
    below = np.flatnonzero(~above)
    start = turn + 1 + (below[-1] + 1 if len(below) else 0)
    lasted = epochs[-1] - epochs[start]
    if lasted < max(PATIENCE, PATIENCE_SHARE * epochs[turn]):
        return None
    if test[start:].mean() < low + rise:
        return None
    if not train[-1] < train[turn]:  # train loss flat or up: not memorising, something else
        return None
    return int(epochs[turn])

"""The ladders a key steps along, and the one way to step on them.

A ladder is an increasing tuple of the values a setting takes from the keyboard
(TensorFlow Playground's learning rates, its batch sizes, ...). Values typed on the
command line need not be on it: a step goes to the next rung above or below.
"""

from __future__ import annotations

LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
BATCH_SIZES = (1, 2, 5, 10, 16, 20, 32, 64, 128, 256)
REG_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
NOISES = tuple(round(0.05 * i, 2) for i in range(11))  # 0 .. 0.5
DROPOUT_RATES = (0.0, 0.1, 0.2, 0.3, 0.5)
TRAIN_RATIOS = tuple(round(0.1 * i, 1) for i in range(1, 10))  # 0.1 .. 0.9

# A value this close (relative) to a rung counts as on it: 0.1 * 3 is not 0.3.
_TOLERANCE = 1e-9


def step_on(ladder, current, direction: int):
    """The next rung above (direction > 0) or below `current`, stopping at the ends."""
    if direction > 0:
        higher = [rung for rung in ladder if rung > current + abs(current) * _TOLERANCE]
        return higher[0] if higher else ladder[-1]
    lower = [rung for rung in ladder if rung < current - abs(current) * _TOLERANCE]
    return lower[-1] if lower else ladder[0]


def cycle(options, current, direction: int = 1):
    """The option after (or before) `current` in `options`, wrapping around; the first if
    `current` is not among them."""
    options = tuple(options)
    if current not in options:
        return options[0]
    return options[(options.index(current) + direction) % len(options)]

"""The loss plot's epoch axis: whole, round epochs, a few of them, short labels."""

import pytest

from nn_tui.ui.widgets.loss_plot import epoch_ticks


@pytest.mark.parametrize("first, last, ticks, labels", [
    (0, 554, [0, 200, 400], ["0", "200", "400"]),
    (1, 2500, [500, 1000, 1500, 2000, 2500], ["500", "1,000", "1,500", "2,000", "2,500"]),
    (1, 17159, [5000, 10000, 15000], ["5k", "10k", "15k"]),
    (0, 1234567, [0, 500000, 1000000], ["0", "0.5M", "1M"]),
    (0, 3, [0, 1, 2, 3], ["0", "1", "2", "3"]),
    (1, 1, [1], ["1"]),
])
def test_epoch_ticks_are_round_and_few(first, last, ticks, labels):
    assert epoch_ticks(first, last) == (ticks, labels)


@pytest.mark.parametrize("last", [7, 99, 554, 12_345, 999_999])
@pytest.mark.parametrize("most", [2, 3, 5])
def test_epoch_ticks_stay_within_the_data_and_the_count(last, most):
    ticks, labels = epoch_ticks(1, last, most=most)
    assert 1 <= len(ticks) <= most and len(labels) == len(ticks)
    assert all(1 <= t <= last and isinstance(t, int) for t in ticks)

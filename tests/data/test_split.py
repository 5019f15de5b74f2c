import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nn_tui.data.dataset import DataError
from nn_tui.data.split import random_split, stratified_split


def _is_partition(train_idx, test_idx, n):
    combined = np.concatenate([train_idx, test_idx])
    return combined.size == n and np.array_equal(np.sort(combined), np.arange(n))


def test_stratified_split_keeps_class_proportions():
    labels = np.repeat([0, 1, 2], [100, 60, 40])
    train_idx, test_idx = stratified_split(labels, 0.75, np.random.default_rng(0))
    assert _is_partition(train_idx, test_idx, labels.size)
    assert np.bincount(labels[train_idx]).tolist() == [75, 45, 30]
    assert np.bincount(labels[test_idx]).tolist() == [25, 15, 10]


def test_stratified_split_rounds_half_up_and_keeps_one_on_each_side():
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2])
    train_idx, test_idx = stratified_split(labels, 0.9, np.random.default_rng(1))
    # class 0: round(2.7) = 3 would leave no test row → 2; class 1: round(1.8) = 2 → 1.
    assert np.bincount(labels[train_idx], minlength=3).tolist() == [2, 1, 15]
    train_idx, test_idx = stratified_split(labels, 0.1, np.random.default_rng(1))
    # class 0: round(0.3) = 0 → 1; class 2: round(1.7) = 2.
    assert np.bincount(labels[train_idx], minlength=3).tolist() == [1, 1, 2]
    train_idx, _ = stratified_split(np.array([0, 0, 1, 1]), 0.5, np.random.default_rng(0))
    assert train_idx.size == 2
    # Half-way rounds up (2.5 → 3), not to even as Python's round() would.
    train_idx, _ = stratified_split(np.zeros(5, dtype=int), 0.5, np.random.default_rng(0))
    assert train_idx.size == 3
    assert random_split(5, 0.5, np.random.default_rng(0))[0].size == 3


def test_single_member_class_goes_to_training():
    labels = np.array([0, 0, 0, 0, 7])
    train_idx, test_idx = stratified_split(labels, 0.5, np.random.default_rng(0))
    assert 4 in train_idx and 4 not in test_idx


def test_stratified_split_is_deterministic_and_seed_dependent():
    labels = np.repeat([0, 1], 50)
    first = stratified_split(labels, 0.5, np.random.default_rng(3))
    second = stratified_split(labels, 0.5, np.random.default_rng(3))
    other = stratified_split(labels, 0.5, np.random.default_rng(4))
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
    assert not np.array_equal(first[0], other[0])


def test_stratified_split_mixes_classes_in_its_output():
    labels = np.repeat([0, 1], 100)
    train_idx, test_idx = stratified_split(labels, 0.5, np.random.default_rng(0))
    # Shuffled, not class-grouped: the first half of the training rows holds both classes.
    assert set(labels[train_idx[:50]]) == {0, 1}
    assert not np.all(np.diff(train_idx) > 0)
    assert train_idx.dtype == np.int64 and test_idx.dtype == np.int64


def test_string_labels_work():
    labels = np.array(["cat", "dog"] * 10)
    train_idx, _ = stratified_split(labels, 0.5, np.random.default_rng(0))
    assert sorted(labels[train_idx].tolist()).count("cat") == 5


def test_random_split_sizes_and_determinism():
    train_idx, test_idx = random_split(101, 0.7, np.random.default_rng(0))
    assert train_idx.size == 71 and test_idx.size == 30
    assert _is_partition(train_idx, test_idx, 101)
    again = random_split(101, 0.7, np.random.default_rng(0))
    assert np.array_equal(train_idx, again[0]) and np.array_equal(test_idx, again[1])
    assert not np.array_equal(train_idx, random_split(101, 0.7, np.random.default_rng(1))[0])


def test_random_split_keeps_one_row_on_each_side():
    train_idx, test_idx = random_split(2, 0.9, np.random.default_rng(0))
    assert train_idx.size == 1 and test_idx.size == 1


@pytest.mark.parametrize("ratio", [0.0, 0.05, 0.95, 1.0, float("nan"), "half", None])
def test_bad_train_ratio_raises(ratio):
    with pytest.raises(DataError, match="train ratio"):
        stratified_split(np.array([0, 1, 0, 1]), ratio, np.random.default_rng(0))
    with pytest.raises(DataError, match="train ratio"):
        random_split(10, ratio, np.random.default_rng(0))


def test_bounds_are_accepted():
    for ratio in (0.1, 0.9):
        stratified_split(np.array([0, 1] * 10), ratio, np.random.default_rng(0))
        random_split(10, ratio, np.random.default_rng(0))


def test_two_dimensional_labels_raise():
    with pytest.raises(DataError):
        stratified_split(np.zeros((4, 2)), 0.5, np.random.default_rng(0))


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.integers(0, 4), min_size=1, max_size=80),
    ratio=st.floats(0.1, 0.9),
    seed=st.integers(0, 2**32 - 1),
)
def test_stratified_split_properties(labels, ratio, seed):
    labels = np.array(labels)
    train_idx, test_idx = stratified_split(labels, ratio, np.random.default_rng(seed))
    assert _is_partition(train_idx, test_idx, labels.size)
    for cls in np.unique(labels):
        n_class = int(np.sum(labels == cls))
        n_train = int(np.sum(labels[train_idx] == cls))
        if n_class >= 2:
            assert 1 <= n_train <= n_class - 1
            # Rounding moves it by at most ½, the one-per-side clamp by less than 1.
            assert abs(n_train - ratio * n_class) < 1.0 + 1e-9
        else:
            assert n_train == 1

"""Permutation importance: how much a trained network leans on each input column.

Shuffle one column's values across the test rows (breaking its link with the
target, keeping its distribution), measure how much the test accuracy drops,
average over several shuffles. A one-hot column ("embarked=C", "embarked=Q",
...) is shuffled as one block, with its "_missing" marker, because it is one
column of the original table.
"""

from __future__ import annotations

import numpy as np

from nn_tui.lessons.headless import accuracy


def source_column(input_name):
    """The table column an encoded input came from: "sex=male" -> "sex", "age_missing" -> "age"."""
    base = input_name.split("=", 1)[0]
    return base[: -len("_missing")] if base.endswith("_missing") else base


def column_groups(input_names, merge=None):
    """Source column -> indices of its inputs, in first-seen order. ``merge``
    maps several source columns to one group name (columns that hold the same
    information twice, which shuffling one at a time would hide)."""
    merge = merge or {}
    groups = {}
    for index, name in enumerate(input_names):
        column = source_column(name)
        groups.setdefault(merge.get(column, column), []).append(index)
    return groups


def permutation_importance(net, X, Y, groups, repeats=20, seed=0):
    """Group -> mean drop in accuracy (a share, 0.02 = 2 pp) when its inputs are
    shuffled together across the rows of X."""
    rng = np.random.default_rng(seed)
    baseline = accuracy(net, X, Y)
    importance = {}
    for group, columns in groups.items():
        drops = []
        for _ in range(repeats):
            shuffled = X.copy()
            shuffled[:, columns] = X[rng.permutation(len(X))][:, columns]
            drops.append(baseline - accuracy(net, shuffled, Y))
        importance[group] = float(np.mean(drops))
    return importance

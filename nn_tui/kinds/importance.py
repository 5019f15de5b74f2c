"""Permutation importance: how much a trained network leans on each input column.

A measurement of the supervised kinds (``measure_importance`` is a command of the
dense network; its view is drawn by the kind's panes), which a lesson asks for.

Shuffle one column's values across the test rows (breaking its link with the
target, keeping its distribution), measure how much the test accuracy drops,
average over several shuffles. A one-hot column ("embarked=C", "embarked=Q",
...) is shuffled as one block, with its "_missing" marker, because it is one
column of the original table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class ImportanceView(View):
    """Permutation importance measured on the training side: group -> mean drop
    in test accuracy (a share; 0.02 = 2 pp)."""

    scores: dict


def accuracy(net, X, Y):
    """Share of rows classified right: argmax for one-hot targets, a 0.5 cut for one output."""
    out = net.forward(X)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = Y.reshape(-1, 1)
    if out.shape[1] == 1:
        return float(np.mean((out[:, 0] >= 0.5) == (Y[:, 0] >= 0.5)))
    return float(np.mean(out.argmax(axis=1) == Y.argmax(axis=1)))


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


def measure_importance(session, merge: dict | None = None, repeats: int = 20) -> None:
    """Session command (dense kinds): measure the live network's permutation
    importance on the test split and show it as a view until the next rebuild.
    ``merge`` maps source columns to one group (see ``column_groups``)."""
    run = session.training_run
    if not run.dataset.is_classification:
        raise ConfigError("permutation importance here measures accuracy: it needs a classification table")
    groups = column_groups(run.inputs.names, merge)
    scores = permutation_importance(run.model, run.inputs.test, run.dataset.y_test, groups,
                                    repeats=repeats, seed=session.config.train.seed)
    run.extra_views = (ImportanceView(scores=scores),)

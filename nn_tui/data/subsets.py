"""A share of the digits' training images ("digits:<N>%"), with the same test images.

For asking how much data a network needs: ``digits_share("10%")`` trains on 10 % of
the training split that ``load_digits`` makes and tests on all of its test split,
so runs on 1 %, 10 % and 100 % are scored on the very same test digits.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from nn_tui.data.dataset import DataError, Dataset
from nn_tui.data.digits import load_digits

_SHARE = re.compile(r"^(\d{1,3})%$")


def parse_share(item: str) -> int:
    """"10%" -> 10; a whole percent from 1 to 100."""
    match = _SHARE.match(str(item))
    if match is None or not 1 <= int(match.group(1)) <= 100:
        raise DataError(f"digits:{item}: give a share of the training images from 1% to 100%, e.g. digits:10%")
    return int(match.group(1))


def class_balanced_order(labels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Row indices in a shuffled order that takes each class once before any twice,
    so a short prefix (1 % of the digits is 13 images) still shows every class."""
    order = rng.permutation(len(labels))
    shuffled = labels[order]
    rank = np.zeros(len(labels), dtype=np.int64)  # how many of its class come before it
    for label in np.unique(shuffled):
        where = np.flatnonzero(shuffled == label)
        rank[where] = np.arange(len(where))
    return order[np.argsort(rank, kind="stable")]


def train_count(share_percent: int, n_train: int) -> int:
    return max(1, int(round(n_train * share_percent / 100)))


def digits_share(item: str, seed: int = 0) -> Dataset:
    """The digits split with ``seed``, its training split cut to the share ``item`` ("1%"..."100%")."""
    percent = parse_share(item)
    full = load_digits(seed=seed)
    labels = full.y_train.argmax(axis=1)
    keep = class_balanced_order(labels, np.random.default_rng(seed))[:train_count(percent, len(labels))]
    note = (f"{percent}% of the digits' training images: {len(keep):,} of {len(labels):,}, "
            f"tested on the same {len(full.y_test):,}")
    return dataclasses.replace(full, name=f"digits:{percent}%", X_train=full.X_train[keep],
                               y_train=full.y_train[keep], notes=(*full.notes, note))

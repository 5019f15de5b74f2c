"""The immutable picture of a training run that the session hands to the UI.

A snapshot is a small header — progress, status, named metrics, their history and
the run's settings — plus `views`: frozen dataclasses made by the model kind's probes
(`nn_tui/views.py`), one per thing a pane shows. The session (the training process)
is the only writer of the model; widgets render from snapshots and never see it.
UI state (which neuron is selected, what is toggled) is the screen's, not in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from nn_tui.views import View, freeze

# Run states shown in the status line.
PAUSED = "paused"
TRAINING = "training"
DIVERGED = "diverged"


def split_words(split: dict) -> str:
    """A run's train/test split as the settings say it (``settings["split"]``):
    "train 60,000 / test 10,000 (the files' own split)"."""
    words = f"train {split['train']:,} / test {split['test']:,}"
    return f"{words} ({split['own']})" if split.get("own") else words


@dataclass(frozen=True, eq=False)
class History:
    """Named metrics against epoch, already bounded in length (nn_tui.history)."""

    epochs: np.ndarray
    series: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "epochs", freeze(self.epochs))
        object.__setattr__(self, "series", MappingProxyType({k: freeze(v) for k, v in self.series.items()}))

    def get(self, name: str) -> np.ndarray | None:
        return self.series.get(name)

    def __reduce__(self):
        return (History, (self.epochs, dict(self.series)))


@dataclass(frozen=True, eq=False)
class Snapshot:
    version: int  # grows by one with every publish; widgets skip work when unchanged
    epoch: int
    step: int
    status: str  # PAUSED, TRAINING or DIVERGED
    message: str | None  # one line for the user (e.g. why training diverged)
    kind: str  # the model kind's registry name
    dataset: str
    task: str
    metrics: Mapping[str, float]  # the latest evaluation: "train_loss", "test_accuracy", ...
    history: History
    settings: Mapping[str, object]  # "lr", "optimizer", "batch_size", ..., and the kind's own
    views: tuple[View, ...] = ()
    unsaved: bool = False  # trained since the user last saved the model (q asks first)
    overfitting_since: int | None = None  # the epoch the test loss turned up (nn_tui.overfitting)
    pace: str | None = None  # "slow 2 epochs/s", "full speed", ...; None: never paced (the playground)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metrics", MappingProxyType(dict(self.metrics)))
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        object.__setattr__(self, "views", tuple(self.views))

    def view(self, view_type: type) -> View | None:
        """The first view of that type, or None when this run shows none."""
        for view in self.views:
            if isinstance(view, view_type):
                return view
        return None

    def metric(self, name: str) -> float | None:
        return self.metrics.get(name)

    def __reduce__(self):
        # MappingProxyType does not pickle: send plain dicts, rebuilt on arrival.
        return (_rebuild, (self.version, self.epoch, self.step, self.status, self.message, self.kind,
                           self.dataset, self.task, dict(self.metrics), self.history,
                           dict(self.settings), self.views, self.unsaved, self.overfitting_since, self.pace))


def _rebuild(*values) -> Snapshot:
    return Snapshot(*values)

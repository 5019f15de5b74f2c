"""Views: the frozen pictures of a run that a snapshot carries, one per thing shown.

A kind's probes make views from its run; a pane widget draws one view type. A view
freezes its own arrays: each is copied (unless it is already a read-only array that
owns its memory) and marked read-only, at construction and again after crossing the
pipe from the training process (pickling drops NumPy's write flag).

The views here are shared by several kinds; a kind with its own keeps them in its
folder (subclass `View`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


def freeze(value):
    """A read-only copy of arrays, also inside tuples and lists; other values as they are."""
    if isinstance(value, np.ndarray):
        if value.flags.writeable or not value.flags.owndata:
            value = np.array(value, copy=True)
        value.setflags(write=False)
        return value
    if isinstance(value, (tuple, list)):
        return tuple(freeze(item) for item in value)
    return value


@dataclass(frozen=True, eq=False)
class View:
    """Base of every view: frozen fields, frozen arrays."""

    def __post_init__(self) -> None:
        for f in fields(self):
            object.__setattr__(self, f.name, freeze(getattr(self, f.name)))

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, freeze(value))


@dataclass(frozen=True, eq=False)
class NetworkView(View):
    """A dense network: sizes[0] inputs, then each layer; weights[i] is (sizes[i], sizes[i+1]).

    neuron_maps[i] is what layer i's neurons output (i = 0: the inputs): on the plane
    (n_i, R, R), row 0 the top (largest x2), column 0 the left (smallest x1); off it
    (n_i, S) for S shown samples. Values on one -1..1 scale."""

    sizes: tuple[int, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    masks: tuple[np.ndarray | None, ...]
    activation: str
    output_activation: str
    input_labels: tuple[str, ...]
    neuron_maps: tuple[np.ndarray, ...] = ()
    # dropped[i]: which units of hidden layer i dropout switched off in the last training
    # batch (its first sample), or None; () when the network has no dropout.
    dropped: tuple[np.ndarray | None, ...] = ()

    @property
    def hidden(self) -> tuple[int, ...]:
        return tuple(self.sizes[1:-1])


@dataclass(frozen=True, eq=False)
class PlaneView(View):
    """A model's answer over the 2-D plane, with the data's points on it.

    output_map is (R, R) in [-1, 1]: binary 2p-1, regression the clipped value,
    multiclass the winning class's confidence (output_classes says which class).
    Point values: binary -1/+1, regression the value, multiclass the class index."""

    output_map: np.ndarray
    domain: tuple[float, float]
    output_classes: np.ndarray | None = None
    train_points: np.ndarray | None = None
    train_values: np.ndarray | None = None
    test_points: np.ndarray | None = None
    test_values: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ConfusionView(View):
    """confusion[i, j] counts test samples of class i predicted as j."""

    confusion: np.ndarray
    class_names: tuple[str, ...] | None = None


@dataclass(frozen=True, eq=False)
class FitView(View):
    """Regression off the plane: predictions against the truth on the test set. With one
    input, x is that input (a curve); with several, x is the true value (a scatter)."""

    x: np.ndarray
    true: np.ndarray
    predicted: np.ndarray
    is_curve: bool = False

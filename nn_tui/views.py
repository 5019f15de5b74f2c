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

    @property
    def first_layer_pruned(self) -> bool:
        """True when this view crossed the pipe with only the first layer's drawable
        weights (see __getstate__): the others read as 0 here."""
        return bool(getattr(self, "_pruned", False))

    # An image's pixels as inputs (784 for 28×28) make the first layer's weights most of a
    # snapshot (1.2 MB in float64), sent ten times a second. The screen draws at most one
    # link per input or per 8 cells between the columns (ui/widgets/topology.py), the
    # strongest first, and the neuron panel the first 16 weights of a neuron; only those
    # cross the pipe, and the neurons' maps as float16 (they are drawn in ~10 shades).
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        if self.sizes and self.sizes[0] > WIDE_INPUTS and self.weights:
            first = np.asarray(self.weights[0])
            order = np.argsort(np.abs(first), axis=None, kind="stable")[::-1][:SENT_LINKS]
            kept = np.union1d(order, np.arange(min(PANEL_WEIGHTS, first.shape[0]) * first.shape[1]))
            values = first.reshape(-1)[kept].astype(np.float32)
            state["weights"] = (("sparse", first.shape, kept.astype(np.int32), values), *self.weights[1:])
            state["neuron_maps"] = tuple(np.asarray(m, dtype=np.float16) for m in self.neuron_maps)
        return state

    def __setstate__(self, state: dict) -> None:
        weights = state.get("weights") or ()
        if weights and isinstance(weights[0], tuple) and weights[0][:1] == ("sparse",):
            _, shape, kept, values = weights[0]
            dense = np.zeros(int(np.prod(shape)), dtype=values.dtype)
            dense[kept] = values
            state = {**state, "weights": (dense.reshape(shape), *weights[1:]), "_pruned": True}
        super().__setstate__(state)


WIDE_INPUTS = 64  # more inputs than this: an image's pixels (see NetworkView.__getstate__)
SENT_LINKS = 4096  # more than the links of the first layer any terminal draws
PANEL_WEIGHTS = 16  # the weights the neuron panel lists (ui/widgets/neuron_panel.py)


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

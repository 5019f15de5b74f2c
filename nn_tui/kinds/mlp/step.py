"""The MLP's run: mini-batch gradient descent on the inputs its features make."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.data import Dataset, expand_features
from nn_tui.engine import Dropout
from nn_tui.kinds.supervised import SupervisedRun


@dataclass(frozen=True, eq=False)
class Inputs:
    """What the network sees: the data set's points turned into input columns."""

    train: np.ndarray
    test: np.ndarray
    names: tuple[str, ...]
    # Set when `train` holds raw pixels (uint8) that become floats a batch at a time.
    prepare_train: object = None


def make_inputs(dataset: Dataset, features: tuple[str, ...], dtype: str = "float64") -> Inputs:
    """Plane sets get the chosen features (x1, x1², sin x1, ...); other data is used as it is."""
    if dataset.is_plane:
        train = expand_features(dataset.X_train, features)
        test = expand_features(dataset.X_test, features)
        names = tuple(features)
    elif dataset.pixel_max is not None:
        # Images kept as bytes: the training set stays uint8 (60,000 28x28 images: 47 MB,
        # not 376), scaled per batch; the smaller test set, which the probes and the
        # importance key read whole, is made floats once.
        def prepare(X, rows):
            return dataset.floats(X, rows, dtype)
        return Inputs(dataset.X_train, dataset.floats(dataset.X_test, None, dtype), tuple(dataset.input_names),
                      prepare_train=prepare)
    else:
        train, test, names = dataset.X_train, dataset.X_test, tuple(dataset.input_names)
    return Inputs(np.ascontiguousarray(train, dtype=dtype), np.ascontiguousarray(test, dtype=dtype), names)


class DenseRun(SupervisedRun):
    """A run of a dense model (an MLP, or the perceptron) on a table or the plane."""

    def __init__(self, config, dataset: Dataset, model, inputs: Inputs) -> None:
        self.inputs = inputs
        super().__init__(config, dataset, model, inputs.train, inputs.test, prepare_train=inputs.prepare_train)

    def input_names(self) -> tuple[str, ...]:
        return self.inputs.names

    # Which hidden units dropout switched off in the last training batch, for the screen.
    # Taken here, right after the batch: scoring and the probes run in evaluation mode,
    # which clears the layers' masks.
    last_dropped: tuple = ()

    def train_steps(self, max_steps: int) -> bool:
        ended = super().train_steps(max_steps)
        masks = [layer.keep_mask for layer in getattr(self.model, "layers", ()) if isinstance(layer, Dropout)]
        if masks and all(mask is not None for mask in masks):
            self.last_dropped = tuple(mask[0] == 0 for mask in masks)  # the batch's first sample: cheap
        return ended

"""The one shape every data source produces, and the error every loader raises."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Tasks. "binary": y is (N, 1) of 0.0/1.0; "multiclass": y is (N, k) one-hot;
# "regression": y is (N, 1) of floats.
BINARY = "binary"
MULTICLASS = "multiclass"
REGRESSION = "regression"
TASKS = (BINARY, MULTICLASS, REGRESSION)


class DataError(ValueError):
    """Bad or unusable input data. The message is one line, meant for the user."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A train/test split ready for training.

    For the 2-D sets (``is_plane``) ``X_*`` hold the raw points (x1, x2) in the
    plane ``domain``; input features (x1², sin x1, ...) are expanded from them
    by ``nn_tui.data.features``. For everything else ``X_*`` are the network's
    inputs already (one-hot encoded, standardised).
    """

    name: str
    task: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    input_names: tuple[str, ...]
    class_names: tuple[str, ...] | None = None
    is_plane: bool = False
    domain: tuple[float, float] = (-6.0, 6.0)
    image_shape: tuple[int, int] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_inputs(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.y_train.shape[1]

    @property
    def form(self) -> str:
        """What the samples are: "plane" (points of the 2-D sets), "image" or "table"."""
        if self.is_plane:
            return "plane"
        return "image" if self.image_shape is not None else "table"

    @property
    def is_classification(self) -> bool:
        return self.task in (BINARY, MULTICLASS)

    def labels(self, y: np.ndarray) -> np.ndarray:
        """Integer class labels from a target array of this dataset's task."""
        if self.task == BINARY:
            return (y[:, 0] >= 0.5).astype(np.int64)
        if self.task == MULTICLASS:
            return y.argmax(axis=1)
        raise ValueError("a regression target has no class labels")

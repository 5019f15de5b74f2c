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
    # Images: each row of X_* holds channels * H * W pixels, channels first (C, H, W).
    channels: int = 1
    # Set when X_* hold raw integer pixels (uint8, 0..pixel_max) rather than the network's
    # floats: 60,000 28x28 images are 47 MB as uint8, 376 MB as float64. Take floats a
    # batch at a time with ``floats`` / ``images``.
    pixel_max: float | None = None
    # Set when the train/test split is the data's own, so no train ratio applies: why, in a
    # few words ("the files' own split": an IDX pair with its t10k- test files).
    own_split: str | None = None

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
    def input_shape(self) -> tuple[int, int, int]:
        """An image's shape channels first, (C, H, W), as a CNN takes it."""
        if self.image_shape is None:
            raise ValueError("a data set of tables has no image shape")
        return (self.channels, *self.image_shape)

    def floats(self, X: np.ndarray, rows: np.ndarray | None = None, dtype=np.float64) -> np.ndarray:
        """``X[rows]`` (all of X if rows is None) as the network's inputs: a float copy,
        pixels held as integers scaled to [0, 1]. Meant per batch, not for the whole set."""
        chosen = X if rows is None else X[rows]
        if self.pixel_max is None:
            return np.asarray(chosen, dtype=dtype)
        return np.divide(chosen, self.pixel_max, dtype=dtype)

    def images(self, X: np.ndarray, rows: np.ndarray | None = None, dtype=np.float64) -> np.ndarray:
        """``floats`` shaped (n, C, H, W), channels first."""
        values = self.floats(X, rows, dtype)
        return values.reshape(len(values), *self.input_shape)

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

"""A CNN run: the supervised mini-batch step on images shaped (N, 1, H, W)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.engine import Network
from nn_tui.kinds.supervised import SupervisedRun


def images(dataset: Dataset, X: np.ndarray, dtype: str) -> np.ndarray:
    """Rows of pixels as channels-first images (N, 1, H, W)."""
    height, width = dataset.image_shape
    return np.ascontiguousarray(X.reshape(len(X), 1, height, width), dtype=dtype)


class ImageRun(SupervisedRun):
    def __init__(self, config, dataset: Dataset, model) -> None:
        dtype = config.train.dtype
        self.x_train, self.x_test = images(dataset, dataset.X_train, dtype), images(dataset, dataset.X_test, dtype)
        super().__init__(config, dataset, model, self.x_train, self.x_test)


def build(config, dataset: Dataset, model=None) -> ImageRun:
    spec, train = config.model, config.train
    shape = (1, *dataset.image_shape)
    if model is not None:
        if model.input_shape != shape or model.sizes[-1] != dataset.n_outputs:
            raise ConfigError(f"{Path(train.load or 'the model').name}: the model takes images shaped "
                              f"{model.input_shape} into {model.sizes[-1]} classes, but this data has "
                              f"{shape} into {dataset.n_outputs}")
    else:
        try:
            model = Network.cnn(input_shape=shape, conv=list(spec.conv), kernel=spec.kernel, hidden=list(spec.layers),
                                n_out=dataset.n_outputs, activation=spec.activation, seed=train.seed, init=spec.init,
                                dtype=np.dtype(train.dtype))
        except ValueError as error:  # e.g. more pooling stages than the image has pixels for
            raise ConfigError(f"--conv/--kernel: {error}") from None
    return ImageRun(config, dataset, model)

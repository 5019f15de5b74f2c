"""A CNN run: the supervised mini-batch step on images shaped (N, C, H, W).

The data set's rows stay as they are stored (uint8 pixels for image files, 47 MB for
Fashion-MNIST's 60,000); each batch, and each chunk scored, becomes float images on
its way into the network (``Dataset.images``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.engine import Network
from nn_tui.kinds.cnn.probes import test_predictions
from nn_tui.kinds.supervised import SupervisedRun
from nn_tui.training import evaluation_mode


class ImageRun(SupervisedRun):
    def __init__(self, config, dataset: Dataset, model) -> None:
        self.dtype = np.dtype(config.train.dtype)
        self.x_train, self.x_test = dataset.X_train, dataset.X_test  # stored rows, not floats
        super().__init__(config, dataset, model, self.x_train, self.x_test,
                         prepare_train=self.images, prepare_test=self.images)

    def images(self, X: np.ndarray, rows) -> np.ndarray:
        """Rows of X as the network's float images (n, C, H, W)."""
        return self.dataset.images(X, rows, self.dtype)

    def test_images(self, rows) -> np.ndarray:
        return self.images(self.x_test, rows)

    def scores(self) -> dict[str, float]:
        scores = super().scores()
        if getattr(self, "_probe_predictions", None) is not None:
            # A screen shows the test-set views (headless runs never probe): make them at the
            # epoch's end, from the weights the status line's test accuracy is of. Made at a
            # later publish instead, a pause (which lands mid-epoch) showed a matrix up to a
            # second older than the status line (91.1 % right against "test acc 0.913").
            with evaluation_mode(self.model):
                test_predictions(self, fresh=True)
        return scores


def build(config, dataset: Dataset, model=None) -> ImageRun:
    spec, train = config.model, config.train
    shape = dataset.input_shape
    if model is not None:
        if model.input_shape != shape or model.sizes[-1] != dataset.n_outputs:
            raise ConfigError(f"{Path(train.load or 'the model').name}: the model takes images shaped "
                              f"{model.input_shape} into {model.sizes[-1]} classes, but this data has "
                              f"{shape} into {dataset.n_outputs}")
    else:
        try:
            model = Network.cnn(input_shape=shape, conv=list(spec.conv), kernel=spec.kernel, hidden=list(spec.layers),
                                n_out=dataset.n_outputs, activation=spec.activation, seed=train.seed, init=spec.init,
                                dtype=np.dtype(train.dtype), dropout=train.dropout, batchnorm=train.batchnorm)
        except ValueError as error:  # e.g. more pooling stages than the image has pixels for
            raise ConfigError(f"--conv/--kernel: {error}") from None
    return ImageRun(config, dataset, model)

"""A perceptron run: one threshold unit on the data's inputs (or from a model file)."""

from __future__ import annotations

import numpy as np

from nn_tui.engine import Perceptron
from nn_tui.kinds.mlp.build import check_loaded_fits
from nn_tui.kinds.mlp.step import make_inputs
from nn_tui.kinds.perceptron.step import PerceptronRun


def build(config, dataset, model=None) -> PerceptronRun:
    train = config.train
    inputs = make_inputs(dataset, config.data.features, train.dtype)
    if model is not None:
        check_loaded_fits(model, inputs.train.shape[1], dataset.n_outputs, train.load or "the model")
    else:
        model = Perceptron(inputs.train.shape[1], seed=train.seed, dtype=np.dtype(train.dtype))
    return PerceptronRun(config, dataset, model, inputs)

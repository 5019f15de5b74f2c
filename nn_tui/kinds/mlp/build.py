"""An MLP run from a config and a data set (or from a model file)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data import BINARY, MULTICLASS, REGRESSION, Dataset
from nn_tui.engine import Network
from nn_tui.kinds.mlp.step import DenseRun, make_inputs

# The output activation and loss that suit each task.
TASK_DEFAULTS = {
    BINARY: ("sigmoid", "bce"),
    MULTICLASS: ("softmax", "ce"),
    REGRESSION: ("linear", "mse"),
}


def output_and_loss(spec, dataset: Dataset) -> tuple[str, str]:
    output, loss = TASK_DEFAULTS[dataset.task]
    return spec.output or output, spec.loss or loss


def check_loaded_fits(model, n_inputs: int, n_outputs: int, path: str) -> None:
    sizes = tuple(model.sizes)
    if sizes[0] != n_inputs or sizes[-1] != n_outputs:
        raise ConfigError(
            f"{Path(path).name}: the model takes {sizes[0]} inputs and gives {sizes[-1]} outputs, "
            f"but this data has {n_inputs} inputs and {n_outputs} outputs"
        )


def build(config, dataset: Dataset, model=None) -> DenseRun:
    spec, train = config.model, config.train
    inputs = make_inputs(dataset, config.data.features, train.dtype)
    if model is not None:
        check_loaded_fits(model, inputs.train.shape[1], dataset.n_outputs, train.load or "the model")
    else:
        output, loss = output_and_loss(spec, dataset)
        try:
            model = Network.mlp(
                inputs.train.shape[1], hidden=list(spec.layers), n_out=dataset.n_outputs,
                activation=spec.activation, output=output, loss=loss, seed=train.seed,
                init=spec.init, dtype=np.dtype(train.dtype), dropout=train.dropout, batchnorm=train.batchnorm,
            )
        except ValueError as error:
            raise ConfigError(str(error)) from None
    return DenseRun(config, dataset, model, inputs)

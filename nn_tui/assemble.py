"""Turn a RunConfig into the pieces of a run: data, inputs, model and optimizer.

Shared by the headless trainer and the app's session so both build exactly the
same run from the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nn_tui.config import ConfigError, RunConfig
from nn_tui.data import (
    BINARY,
    MULTICLASS,
    REGRESSION,
    TOY_DATASETS,
    Dataset,
    DataError,
    expand_features,
    load_csv,
    load_digits,
    make_toy,
)
from nn_tui.engine import Network, Perceptron, load_model, make_optimizer

DATASETS = tuple(TOY_DATASETS) + ("digits",)

# The output activation and loss that suit each task.
TASK_DEFAULTS = {
    BINARY: ("sigmoid", "bce"),
    MULTICLASS: ("softmax", "ce"),
    REGRESSION: ("linear", "mse"),
}


@dataclass(frozen=True, eq=False)
class Inputs:
    """What the network sees: the data set's points turned into input columns."""

    train: np.ndarray
    test: np.ndarray
    names: tuple[str, ...]


def load_data(config: RunConfig) -> Dataset:
    if config.data is not None:
        ratio = 0.75 if config.train_ratio is None else config.train_ratio
        return load_csv(config.data, config.target, drop=config.drop, train_ratio=ratio, seed=config.seed)
    if config.dataset == "digits":
        ratio = 0.75 if config.train_ratio is None else config.train_ratio
        return load_digits(train_ratio=ratio, seed=config.seed)
    if config.dataset not in TOY_DATASETS:
        raise ConfigError(f"unknown data set {config.dataset!r}; choose one of: {', '.join(DATASETS)}")
    return make_toy(
        config.dataset,
        samples=config.samples,
        noise=config.noise,
        train_ratio=config.train_ratio,
        seed=config.seed,
    )


def make_inputs(dataset: Dataset, features: tuple[str, ...], dtype: str = "float64") -> Inputs:
    """Plane sets get the chosen features (x1, x1², sin x1, ...); other data is used as it is."""
    if dataset.is_plane:
        train = expand_features(dataset.X_train, features)
        test = expand_features(dataset.X_test, features)
        names = tuple(features)
    else:
        train, test, names = dataset.X_train, dataset.X_test, tuple(dataset.input_names)
    return Inputs(np.ascontiguousarray(train, dtype=dtype), np.ascontiguousarray(test, dtype=dtype), names)


def output_and_loss(config: RunConfig, dataset: Dataset) -> tuple[str, str]:
    output, loss = TASK_DEFAULTS[dataset.task]
    return config.output or output, config.loss or loss


def make_model(config: RunConfig, dataset: Dataset, n_inputs: int):
    """A fresh model (or the one in --load) that fits the data."""
    if config.load is not None:
        return load_saved_model(config.load, n_inputs, dataset.n_outputs)
    if config.model == "perceptron":
        if dataset.task != BINARY:
            raise ConfigError(
                f"the perceptron separates two classes; {dataset.name!r} is a {dataset.task} task"
            )
        return Perceptron(n_inputs, seed=config.seed, dtype=np.dtype(config.dtype))
    output, loss = output_and_loss(config, dataset)
    try:
        return Network.mlp(
            n_inputs,
            hidden=list(config.layers),
            n_out=dataset.n_outputs,
            activation=config.activation,
            output=output,
            loss=loss,
            seed=config.seed,
            init=config.init,
            dtype=np.dtype(config.dtype),
        )
    except ValueError as error:
        raise ConfigError(str(error)) from None


def load_saved_model(path: str, n_inputs: int, n_outputs: int):
    model = load_model(path)
    sizes = tuple(model.sizes)
    if sizes[0] != n_inputs or sizes[-1] != n_outputs:
        raise ConfigError(
            f"{Path(path).name}: the model takes {sizes[0]} inputs and gives {sizes[-1]} outputs, "
            f"but this data has {n_inputs} inputs and {n_outputs} outputs"
        )
    return model


def make_optimizer_for(config: RunConfig):
    return make_optimizer(config.optimizer, config.lr, reg=config.reg, reg_rate=config.reg_rate)


__all__ = [
    "DATASETS",
    "Inputs",
    "load_data",
    "make_inputs",
    "make_model",
    "make_optimizer_for",
    "output_and_loss",
    "DataError",
]

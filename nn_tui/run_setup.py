"""From a checked config to what a run is built from: the kind, its data, and the
model a `--load` file holds. Shared by `nn-tui train` and the app's session, so both
start exactly the same run from the same settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from nn_tui.config import RunConfig, check
from nn_tui.data import Dataset
from nn_tui.engine import BatchNorm1d, BatchNorm2d, Dropout, load_model
from nn_tui.kinds import ModelKind, get_kind, kind_of_model


@dataclass(frozen=True, eq=False)
class Prepared:
    config: RunConfig  # with the kind and architecture a loaded file decided
    kind: ModelKind
    dataset: Dataset
    loaded: Any = None  # the model read from --load, if any


def layer_extras(model) -> dict:
    """The dropout rate and batch norm a loaded model's layers have (its file decides them,
    as it decides the architecture), as training settings."""
    layers = getattr(model, "layers", ())
    rates = [layer.p for layer in layers if isinstance(layer, Dropout)]
    return {"dropout": rates[0] if rates else 0.0,
            "batchnorm": any(isinstance(layer, (BatchNorm1d, BatchNorm2d)) for layer in layers)}


def prepare(config: RunConfig, data_seed: int | None = None) -> Prepared:
    """Check the config, load the data and any --load model (user errors raise)."""
    check(config)
    kind = get_kind(config.kind)
    seed = config.data_seed if data_seed is None else data_seed
    dataset = kind.load_data(config, seed)
    loaded = None
    if config.train.load is not None:  # the file decides the kind and architecture
        loaded = load_model(config.train.load)
        owner = kind_of_model(loaded)
        spec = owner.spec_for(loaded, config.model if owner.name == kind.name else owner.spec())
        config = RunConfig(data=config.data, model=spec, train=replace(config.train, **layer_extras(loaded)))
        if owner is not kind:
            owner.check_data(config, dataset)
        kind = owner
    return Prepared(config, kind, dataset, loaded)

"""Pieces of a `RunState` that kinds with their own training loop share: a model's flat
parameters, an optimizer's moments, a NumPy generator's state. Each `save_*` adds its
arrays (under `name.`) to `arrays` and returns the JSON part; each `restore_*` puts them
back into the freshly built run, refusing (NotResumable, one line) what does not fit."""

from __future__ import annotations

import contextlib

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.kinds.base import NotResumable


def save_params(arrays: dict, name: str, model) -> None:
    arrays[f"{name}.params"] = model.flat_params.copy()


def restore_params(arrays: dict, name: str, model) -> None:
    value = arrays.get(f"{name}.params")
    if value is None or value.shape != model.flat_params.shape:
        raise NotResumable(f"the saved run's {name} does not fit this model (another architecture?)")
    np.copyto(model.flat_params, value, casting="same_kind")  # the layers' params are views of it


def save_optimizer(arrays: dict, name: str, optimizer) -> dict:
    t, moments = optimizer.get_state()
    arrays.update({f"{name}.{key}": value for key, value in moments.items()})
    return {"name": optimizer.name, "t": t, "lr": optimizer.lr}


def restore_optimizer(arrays: dict, name: str, optimizer, model, info: dict) -> None:
    if info["name"] != optimizer.name:
        raise NotResumable(f"the saved run's {name} is {info['name']}, its settings say {optimizer.name}")
    prefix = f"{name}."
    moments = {key[len(prefix):]: value for key, value in arrays.items() if key.startswith(prefix)}
    optimizer.lr = info["lr"]
    try:
        optimizer.set_state(model, info["t"], moments)
    except (KeyError, ValueError) as error:
        raise NotResumable(f"the saved run's {name} state does not fit this model ({error})") from None


def save_rng(rng: np.random.Generator) -> dict:
    return rng.bit_generator.state  # plain ints and a name: JSON as it is


def restore_rng(rng: np.random.Generator, state: dict) -> None:
    try:
        rng.bit_generator.state = state
    except (TypeError, ValueError, KeyError) as error:
        raise NotResumable(f"the saved random generator state is not one this NumPy reads ({error})") from None


@contextlib.contextmanager
def complete_state():
    """A state with a part missing or of the wrong type (a damaged autosave) is one line."""
    try:
        yield
    except ConfigError:
        raise
    except (KeyError, TypeError, IndexError, ValueError) as error:
        what = f"{type(error).__name__}: {error}"
        raise NotResumable(f"the saved run's state is incomplete or damaged ({what})") from None

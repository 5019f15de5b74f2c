"""Model kinds: one folder per kind of model, one registry line each.

The session, the snapshot, the screens and the CLI know a kind only through its
`ModelKind` entry here (see `nn_tui/kinds/base.py`). A kind's folder holds everything
particular to it:

    spec.py      its settings: a frozen dataclass with a `kind` name, its CLI options
    build.py     config + dataset -> a Run (model, optimizer, the data it trains on)
    step.py      its training step (supervised, Rosenblatt's rule, ...)
    probes.py    Run -> views: frozen dataclasses of copied arrays, one per thing shown
    commands.py  what a user can ask of this kind (edit a weight, add a layer)
    panes.py     which widget draws which view, the screen's layout, the kind's keys

To add a kind: write the folder, then add one line to `_BUILT_IN` below (or call
`register(kind)` from your own code, as the test suite does with a toy kind).
"""

from __future__ import annotations

import importlib

from nn_tui.kinds.base import ModelKind, Run
from nn_tui.settings import ConfigError

KINDS: dict[str, ModelKind] = {}

# name -> the module whose KIND attribute is the kind's registry entry.
_BUILT_IN = {
    "mlp": "nn_tui.kinds.mlp",
    "perceptron": "nn_tui.kinds.perceptron",
    "cnn": "nn_tui.kinds.cnn",
    "autoencoder": "nn_tui.kinds.autoencoder",
    "gan": "nn_tui.kinds.gan",
    "rnn": "nn_tui.kinds.sequence.rnn",
    "lstm": "nn_tui.kinds.sequence.lstm",
    "gru": "nn_tui.kinds.sequence.gru",
    "attention": "nn_tui.kinds.attention",
    "dqn": "nn_tui.kinds.dqn",
    "selfplay": "nn_tui.kinds.selfplay",
}


def register(kind: ModelKind) -> ModelKind:
    """Add (or replace) a kind in the registry; returns it."""
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    KINDS.pop(name, None)


def get_kind(name: str) -> ModelKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ConfigError(f"unknown model kind {name!r}; choose one of: {', '.join(KINDS)}") from None


def kind_of_model(model) -> ModelKind:
    """The kind that owns a loaded model object (what a model file held)."""
    for kind in KINDS.values():
        if kind.owns(model):
            return kind
    raise ConfigError(f"no model kind can continue a {type(model).__name__}")


for _name, _module in _BUILT_IN.items():
    register(importlib.import_module(_module).KIND)

__all__ = ["KINDS", "ModelKind", "Run", "get_kind", "kind_of_model", "register", "unregister"]

"""Model kinds: one folder per kind of model, one registry line each.

The session, the snapshot, the screens and the CLI know a kind only through its
`ModelKind` entry here (see `nn_tui/kinds/base.py`). A kind's folder holds everything
particular to it:

    spec.py      its settings: a frozen dataclass with a `kind` name, its CLI options
                 (OPTIONS) and the one line --help says of it (SUMMARY)
    kind.py      its registry entry, KIND: a ModelKind (sequence/rnn.py, ... for the
                 three kinds that share a folder)
    build.py     config + dataset -> a Run (model, optimizer, the data it trains on)
    step.py      its training step (supervised, Rosenblatt's rule, ...)
    probes.py    Run -> views: frozen dataclasses of copied arrays, one per thing shown
    commands.py  what a user can ask of this kind (edit a weight, add a layer)
    panes.py     which widget draws which view, the screen's layout, the kind's keys

Every launch parses the options of every kind, so it reads each built-in kind's spec.py
(light: settings and their checks); the kind itself (its KIND module, and through it
build, probes, commands: most of its code) is imported the first time it is looked up
in KINDS. A run of one kind so loads only that kind (start-up time, issue 17).

To add a kind: write the folder, then add one line to `_BUILT_IN` below (or call
`register(kind)` from your own code, as the test suite does with a toy kind).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from nn_tui.engine import model_file
from nn_tui.kinds.base import ModelKind, Run
from nn_tui.settings import ConfigError


class KindEntry:
    """A built-in kind before its first use: what the command line reads of it (name,
    summary, options), from its light spec module; `load()` imports the kind itself."""

    def __init__(self, name: str, module: str, spec_module: str) -> None:
        self.name, self.module, self.spec_module = name, module, spec_module

    def _spec(self):
        return importlib.import_module(self.spec_module)

    @property
    def summary(self) -> str:
        spec = self._spec()  # a folder of several kinds (sequence) names each one's line
        return spec.SUMMARIES[self.name] if hasattr(spec, "SUMMARIES") else spec.SUMMARY

    @property
    def options(self) -> tuple:
        return self._spec().OPTIONS

    def load(self) -> ModelKind:
        kind = importlib.import_module(self.module).KIND
        if kind.name != self.name:
            raise RuntimeError(f"{self.module}.KIND is named {kind.name!r}, registered as {self.name!r}")
        return kind


# name -> the module whose KIND is the kind, and its spec module (OPTIONS, SUMMARY).
_BUILT_IN = (
    KindEntry("mlp", "nn_tui.kinds.mlp.kind", "nn_tui.kinds.mlp.spec"),
    KindEntry("perceptron", "nn_tui.kinds.perceptron.kind", "nn_tui.kinds.perceptron.spec"),
    KindEntry("cnn", "nn_tui.kinds.cnn.kind", "nn_tui.kinds.cnn.spec"),
    KindEntry("autoencoder", "nn_tui.kinds.autoencoder.kind", "nn_tui.kinds.autoencoder.spec"),
    KindEntry("gan", "nn_tui.kinds.gan.kind", "nn_tui.kinds.gan.spec"),
    KindEntry("rnn", "nn_tui.kinds.sequence.rnn", "nn_tui.kinds.sequence.spec"),
    KindEntry("lstm", "nn_tui.kinds.sequence.lstm", "nn_tui.kinds.sequence.spec"),
    KindEntry("gru", "nn_tui.kinds.sequence.gru", "nn_tui.kinds.sequence.spec"),
    KindEntry("attention", "nn_tui.kinds.attention.kind", "nn_tui.kinds.attention.spec"),
    KindEntry("dqn", "nn_tui.kinds.dqn.kind", "nn_tui.kinds.dqn.spec"),
    KindEntry("selfplay", "nn_tui.kinds.selfplay.kind", "nn_tui.kinds.selfplay.spec"),
)


class Kinds(Mapping):
    """name -> ModelKind. A built-in kind is imported the first time it is looked up
    (`KINDS[name]`, `get`, `values()`, `items()`); the names, `in` and `len` load none."""

    def __init__(self) -> None:
        self._entries: dict[str, KindEntry | ModelKind] = {}

    def __getitem__(self, name: str) -> ModelKind:
        entry = self._entries[name]
        if isinstance(entry, KindEntry):
            entry = self._entries[name] = entry.load()
        return entry

    def __contains__(self, name) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def described(self) -> dict:
        """name -> what the command line needs of every kind (name, summary, options),
        without importing the kinds not yet used: their entries, or the kinds once loaded."""
        return dict(self._entries)

    def add(self, entry: KindEntry | ModelKind) -> None:
        self._entries[entry.name] = entry

    def remove(self, name: str) -> None:
        self._entries.pop(name, None)


KINDS = Kinds()


def register(kind: ModelKind) -> ModelKind:
    """Add (or replace) a kind in the registry; returns it."""
    KINDS.add(kind)
    return kind


def unregister(name: str) -> None:
    KINDS.remove(name)


def get_kind(name: str) -> ModelKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ConfigError(f"unknown model kind {name!r}; choose one of: {', '.join(KINDS)}") from None


def kind_of_model(model) -> ModelKind:
    """The kind that owns a loaded model object (what a model file held)."""
    for kind in KINDS.values():  # loads every kind: the model may be any kind's
        if kind.owns(model):
            return kind
    raise ConfigError(f"no model kind can continue a {type(model).__name__}")


def load_all() -> None:
    """Import every registered kind (their model files are readable once they are)."""
    for name in KINDS:
        KINDS[name]


for _entry in _BUILT_IN:
    KINDS.add(_entry)
# A model file of a kind not loaded yet (a GAN's, a character model's): load the kinds,
# whose modules register their files, before it is read.
model_file.set_file_kind_finder(lambda name: load_all())

__all__ = ["KINDS", "KindEntry", "ModelKind", "Run", "get_kind", "kind_of_model", "load_all", "register",
           "unregister"]

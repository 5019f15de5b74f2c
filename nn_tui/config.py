"""A run's whole configuration, above the kinds: `RunConfig(data, model, train)`.

The data and training settings are plain (`nn_tui.settings`, the leaf); the model's are
the chosen kind's *spec*, a frozen dataclass in its folder under `nn_tui/kinds/`. This
module knows the kinds' registry: a RunConfig starts from the default kind's spec, a
kind's defaults apply when the kind changes, and one parser understands every kind's
options (`add_run_options`); `config_from_args` routes each option to its group.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from nn_tui.data.image_side import image_side
from nn_tui.kinds import KINDS, get_kind
# The leaf's names, here too: most code asks nn_tui.config for a run's settings.
from nn_tui.settings import (DEFAULT_KIND, DTYPES, MAX_SEED, REGULARIZERS, TRAINING_EXTRAS,  # noqa: F401
                             ConfigError, DataConfig, Option, TrainConfig, check_settings, data_options, int_list, name_list,
                             train_options)


SIDE_28 = (28, 28)


def starting_settings(kind, data: str | None, image_size: int | None) -> dict:
    """The settings a kind starts from for this --data: its defaults, and over them its
    28×28 ones when the data is 28×28 images (read from the file's header only)."""
    settings = dict(kind.defaults)
    if kind.defaults_28x28 and image_side(data, image_size) == SIDE_28:
        settings.update(kind.defaults_28x28)
    return settings


def _default_spec():
    return get_kind(DEFAULT_KIND).spec()


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a training run: data, the kind's spec, training."""

    data: DataConfig = field(default_factory=DataConfig)
    model: Any = field(default_factory=_default_spec)
    train: TrainConfig = field(default_factory=TrainConfig)

    @property
    def kind(self) -> str:
        """The model kind's registry name ("mlp", "perceptron", ...)."""
        return self.model.kind

    @property
    def data_seed(self) -> int:
        """The seed of the data: its own when set, else the run's."""
        return self.train.seed if self.data.data_seed is None else self.data.data_seed

    @classmethod
    def of(cls, **settings) -> "RunConfig":
        """A config from flat settings, as the command line names them:
        ``RunConfig.of(dataset="xor", layers=(8,), lr=0.1, model="mlp")``."""
        return cls()._changed({"model": DEFAULT_KIND, **settings}, fresh=True)

    def with_changes(self, **settings) -> "RunConfig":
        """A copy with flat settings changed, each routed to its group. ``model=NAME``
        switches kind (to that kind's defaults, plus any of its fields given here)."""
        return self._changed(settings, fresh=False)

    def _changed(self, settings: dict, fresh: bool) -> "RunConfig":
        """`fresh`: a new config, which starts from the kind's defaults even when it is
        the default kind."""
        data_names = {f.name for f in fields(DataConfig)}
        train_names = {f.name for f in fields(TrainConfig)}
        data = {k: v for k, v in settings.items() if k in data_names}
        train = {k: v for k, v in settings.items() if k in train_names}
        rest = {k: v for k, v in settings.items() if k not in data_names | train_names}
        spec = self.model
        if "model" in rest:
            name = rest.pop("model")
            if fresh or name != spec.kind:  # a new kind starts from its own defaults
                kind = get_kind(name)
                spec = kind.spec()
                where = replace(self.data, **data)
                start = starting_settings(kind, where.data, where.image_size)
                defaults = {k: v for k, v in start.items() if k not in settings}
                data.update({k: v for k, v in defaults.items() if k in data_names})
                train.update({k: v for k, v in defaults.items() if k in train_names})
                spec_names = {f.name for f in fields(spec)}
                rest.update({k: v for k, v in defaults.items() if k in spec_names and k != "kind"})
        spec_names = {f.name for f in fields(spec)}
        unknown = sorted(set(rest) - spec_names)
        if unknown:
            raise ConfigError(f"{', '.join(unknown)}: not a setting of the {spec.kind} model")
        return RunConfig(
            data=replace(self.data, **data),
            model=replace(spec, **rest) if rest else spec,
            train=replace(self.train, **train),
        )


def _absent_unless_given(kwargs: dict) -> dict:
    """argparse keywords for an option left out of the namespace unless given (so that
    a kind's defaults can apply), with its help still naming the usual default."""
    kwargs = dict(kwargs)
    text = kwargs.get("help", "")
    if "%(default)s" in text:
        text = text.replace("%(default)s", str(kwargs.get("default")))
    kwargs["help"] = text.replace("%", "%%")
    kwargs["default"] = argparse.SUPPRESS
    return kwargs


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that builds a run understands: data, --model and
    every kind's own options, training."""
    groups = {"data": parser.add_argument_group("data"), "model": parser.add_argument_group("model"),
              "train": parser.add_argument_group("training")}
    for option in data_options():
        groups["data"].add_argument(option.flag, **_absent_unless_given(option.kwargs))
    kinds = KINDS.described()  # start-up time: every kind's options, not its code
    groups["model"].add_argument("--model", choices=tuple(kinds), default=DEFAULT_KIND,
                                 help="the kind of model (default: %(default)s): "
                                      + "; ".join(f"{name}: {kind.summary}" for name, kind in kinds.items()))
    # A model option is absent from the parsed namespace unless given, so that each kind
    # fills in its own default (--layers is 4,2 for the MLP, 64 for the CNN).
    declared: dict[str, list] = {}
    for kind in kinds.values():
        for option in kind.options:
            declared.setdefault(option.dest, []).append((kind.name, option))
    for dest, owners in declared.items():
        name, option = owners[0]
        kwargs = dict(option.kwargs)
        text = kwargs.get("help", "")
        if len(owners) > 1:
            text = text.replace("%(default)s", "each kind its own").replace(
                " (default: 4,2)", "") + f" ({', '.join(n for n, _ in owners)})"
        kwargs["help"] = text
        groups["model"].add_argument(option.flag, **_absent_unless_given(kwargs))
    for option in train_options():
        groups["train"].add_argument(option.flag, **_absent_unless_given(option.kwargs))
    # Read before parsing, into the defaults (nn_tui.setup_file.apply_config_file); here for --help.
    files = parser.add_argument_group("setup files")
    files.add_argument("--config", metavar="FILE.toml", help="settings from a TOML file; options given here override it")
    files.add_argument("--share", metavar="STRING", help="the setup of a share string (the app's u key)")


def config_from_args(ns: argparse.Namespace) -> RunConfig:
    """A checked RunConfig from parsed options (ConfigError on a bad combination); an
    option of another kind than the chosen one is refused."""
    values = vars(ns)
    if values.get("config") is not None or values.get("share") is not None:
        raise ConfigError("--config and --share need nn_tui.setup_file.apply_config_file before parsing")
    kind = get_kind(values.get("model", DEFAULT_KIND))
    own = {option.dest for option in kind.options}
    kinds = KINDS.described()  # the other kinds' options, without loading those kinds
    for other in kinds.values():
        for option in other.options:
            if option.dest in values and option.dest not in own:
                users = [name for name, k in kinds.items() if option.dest in {o.dest for o in k.options}]
                raise ConfigError(f"{option.flag} applies to --model {' or '.join(users)}, not {kind.name}")
    # What the user did not give comes from the kind's defaults, then the groups' own.
    values = {**starting_settings(kind, values.get("data"), values.get("image_size")), **values}
    data = DataConfig(**{f.name: values[f.name] for f in fields(DataConfig) if f.name in values})
    train = TrainConfig(**{f.name: values[f.name] for f in fields(TrainConfig) if f.name in values})
    spec_fields = {f.name for f in fields(kind.spec)}
    spec = kind.spec(**{name: values[name] for name in spec_fields if name in values and name != "kind"})
    config = RunConfig(data=data, model=spec, train=train)
    check(config)
    return config


def check(config: RunConfig) -> None:
    """Reject settings that cannot work, with one line saying why: the plain ones, then
    the kind's own."""
    check_settings(config.data, config.train)
    kind = get_kind(config.kind)
    if config.data.data is not None and Path(config.data.data).suffix.lower() == ".txt" and not kind.reads_text:
        readers = ", ".join(name for name, other in KINDS.items() if other.reads_text)
        raise ConfigError(f"{config.data.data}: a text file trains a character model (--model {readers})")
    _check_training_extras(config, kind)
    kind.check(config)


def _check_training_extras(config: RunConfig, kind) -> None:
    """Dropout, batch norm, schedules and early stopping set for a kind that would ignore them."""
    defaults = TrainConfig()
    for name in TRAINING_EXTRAS:
        if name not in kind.training_extras and getattr(config.train, name) != getattr(defaults, name):
            users = [other for other, k in KINDS.items() if name in k.training_extras]
            raise ConfigError(f"--{name.replace('_', '-')} applies to --model {' or '.join(users)}, not {kind.name}")

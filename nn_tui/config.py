"""Run settings shared by `nn-tui` (the app) and `nn-tui train` (headless).

A run is configured in three groups: where the data comes from (`DataConfig`), the
model kind's own settings (its *spec*, a frozen dataclass defined in its folder under
`nn_tui/kinds/`), and how it trains (`TrainConfig`). The command-line options are a
table (`Option`): the data and training options here, each kind's in its spec module;
one parser understands them all and `config_from_args` routes each to its group.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from nn_tui.engine import OPTIMIZERS

REGULARIZERS = ("none", "l1", "l2")
DTYPES = ("float64", "float32")
DEFAULT_KIND = "mlp"
MAX_SEED = 2**32 - 1  # what NumPy's generators accept


class ConfigError(ValueError):
    """A setting the user gave cannot be used. One line, meant for the user."""


@dataclass(frozen=True)
class DataConfig:
    """Where the data comes from. Defaults follow TensorFlow Playground."""

    dataset: str = "circle"
    data: str | None = None  # a file (CSV, or text for sequence kinds); replaces `dataset`
    target: str | None = None
    drop: tuple[str, ...] = ()
    noise: float = 0.0
    train_ratio: float | None = None  # None: the data set's own default
    samples: int | None = None  # None: the data set's own default
    features: tuple[str, ...] = ("x1", "x2")
    # The seed the data are drawn and split with; None: the run's seed (--seed). R
    # (new data) sets it, so a setup saved afterwards opens on the same data.
    data_seed: int | None = None


@dataclass(frozen=True)
class TrainConfig:
    optimizer: str = "sgd"
    lr: float = 0.03
    batch_size: int = 10
    epochs: int = 100
    reg: str = "none"
    reg_rate: float = 0.0
    seed: int = 0
    dtype: str = "float64"
    save: str | None = None
    load: str | None = None


def _default_spec():
    from nn_tui.kinds import get_kind

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
        return cls().with_changes(**settings)

    def with_changes(self, **settings) -> "RunConfig":
        """A copy with flat settings changed, each routed to its group. ``model=NAME``
        switches kind (to that kind's defaults, plus any of its fields given here)."""
        data_names = {f.name for f in fields(DataConfig)}
        train_names = {f.name for f in fields(TrainConfig)}
        data = {k: v for k, v in settings.items() if k in data_names}
        train = {k: v for k, v in settings.items() if k in train_names}
        rest = {k: v for k, v in settings.items() if k not in data_names | train_names}
        spec = self.model
        if "model" in rest:
            from nn_tui.kinds import get_kind

            name = rest.pop("model")
            if name != spec.kind:  # a new kind starts from its own defaults
                kind = get_kind(name)
                spec = kind.spec()
                defaults = {k: v for k, v in kind.defaults.items() if k not in settings}
                data.update({k: v for k, v in defaults.items() if k in data_names})
                train.update({k: v for k, v in defaults.items() if k in train_names})
        spec_names = {f.name for f in fields(spec)}
        unknown = sorted(set(rest) - spec_names)
        if unknown:
            raise ConfigError(f"{', '.join(unknown)}: not a setting of the {spec.kind} model")
        return RunConfig(
            data=replace(self.data, **data),
            model=replace(spec, **rest) if rest else spec,
            train=replace(self.train, **train),
        )


# ---------------------------------------------------------------------- options
@dataclass(frozen=True)
class Option:
    """One command-line option: its flag, argparse's keywords, and the group it lands in."""

    flag: str
    kwargs: dict = field(default_factory=dict, hash=False)
    group: str = "model"

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


def int_list(text: str) -> tuple[int, ...]:
    text = text.strip()
    if not text:
        return ()
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}")


def name_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _data_options() -> tuple[Option, ...]:
    d = DataConfig()
    return (
        Option("--dataset", dict(default=d.dataset, metavar="NAME",
                                 help="built-in data (default: %(default)s); the choices depend on --model"), "data"),
        Option("--data", dict(metavar="FILE", help="train on your own file instead (a CSV needs --target)"), "data"),
        Option("--target", dict(metavar="COL", help="the CSV column to predict"), "data"),
        Option("--drop", dict(type=name_list, default=(), metavar="COL,...",
                              help="CSV columns to leave out (e.g. a leak of the target)"), "data"),
        Option("--noise", dict(type=float, default=d.noise, help="noise of the 2-D sets, 0-0.5 (default: 0)"), "data"),
        Option("--train-ratio", dict(type=float, default=None, metavar="R",
                                     help="share of samples used for training, 0.1-0.9 "
                                          "(default: 0.5 for 2-D sets, 0.75 otherwise)"), "data"),
        Option("--samples", dict(type=int, default=None, metavar="N", help="number of samples of a built-in set"), "data"),
        Option("--features", dict(type=name_list, default=d.features, metavar="F,...",
                                  help="inputs of 2-D sets: x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2 (default: x1,x2)"), "data"),
        Option("--data-seed", dict(type=int, default=None, metavar="N",
                                   help="seed of the data and its split (default: --seed)"), "data"),
    )


def _train_options() -> tuple[Option, ...]:
    t = TrainConfig()
    return (
        Option("--optimizer", dict(choices=tuple(OPTIMIZERS), default=t.optimizer, help="(default: %(default)s)"), "train"),
        Option("--lr", dict(type=float, default=t.lr, help="learning rate (default: %(default)s)"), "train"),
        Option("--batch-size", dict(type=int, default=t.batch_size, metavar="N", help="(default: %(default)s)"), "train"),
        Option("--reg", dict(choices=REGULARIZERS, default=t.reg, help="regularisation (default: none)"), "train"),
        Option("--reg-rate", dict(type=float, default=t.reg_rate, metavar="R", help="(default: 0)"), "train"),
        Option("--seed", dict(type=int, default=t.seed, help="same seed, same numbers (default: 0)"), "train"),
        Option("--dtype", dict(choices=DTYPES, default=t.dtype, help="float64, or float32 for speed"), "train"),
        Option("--load", dict(metavar="PATH", help="continue from a saved model (.npz)"), "train"),
        Option("--save", dict(metavar="PATH", help="save the trained model here (.npz)"), "train"),
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
    from nn_tui.kinds import KINDS

    groups = {"data": parser.add_argument_group("data"), "model": parser.add_argument_group("model"),
              "train": parser.add_argument_group("training")}
    for option in _data_options():
        groups["data"].add_argument(option.flag, **_absent_unless_given(option.kwargs))
    groups["model"].add_argument("--model", choices=tuple(KINDS), default=DEFAULT_KIND,
                                 help="the kind of model (default: %(default)s): "
                                      + "; ".join(f"{name}: {kind.summary}" for name, kind in KINDS.items()))
    # A model option is absent from the parsed namespace unless given, so that each kind
    # fills in its own default (--layers is 4,2 for the MLP, 64 for the CNN).
    declared: dict[str, list] = {}
    for kind in KINDS.values():
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
    for option in _train_options():
        groups["train"].add_argument(option.flag, **_absent_unless_given(option.kwargs))
    # Read before parsing, into the defaults (nn_tui.setup_file.apply_config_file); here for --help.
    files = parser.add_argument_group("setup files")
    files.add_argument("--config", metavar="FILE.toml", help="settings from a TOML file; options given here override it")
    files.add_argument("--share", metavar="STRING", help="the setup of a share string (the app's u key)")


def config_from_args(ns: argparse.Namespace) -> RunConfig:
    """A checked RunConfig from parsed options (ConfigError on a bad combination); an
    option of another kind than the chosen one is refused."""
    from nn_tui.kinds import KINDS, get_kind

    values = vars(ns)
    if values.get("config") is not None or values.get("share") is not None:
        raise ConfigError("--config and --share need nn_tui.setup_file.apply_config_file before parsing")
    kind = get_kind(values.get("model", DEFAULT_KIND))
    own = {option.dest for option in kind.options}
    for other in KINDS.values():
        for option in other.options:
            if option.dest in values and option.dest not in own:
                users = [name for name, k in KINDS.items() if option.dest in {o.dest for o in k.options}]
                raise ConfigError(f"{option.flag} applies to --model {' or '.join(users)}, not {kind.name}")
    # What the user did not give comes from the kind's defaults, then the groups' own.
    values = {**kind.defaults, **values}
    data = DataConfig(**{f.name: values[f.name] for f in fields(DataConfig) if f.name in values})
    train = TrainConfig(**{f.name: values[f.name] for f in fields(TrainConfig) if f.name in values})
    spec_fields = {f.name for f in fields(kind.spec)}
    spec = kind.spec(**{name: values[name] for name in spec_fields if name in values and name != "kind"})
    config = RunConfig(data=data, model=spec, train=train)
    check(config)
    return config


# ---------------------------------------------------------------------- checks
def _finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def check(config: RunConfig) -> None:
    """Reject settings that cannot work, with one line saying why."""
    from nn_tui.kinds import get_kind

    data, train = config.data, config.train
    if data.target and data.data is None:
        raise ConfigError("--target goes with --data FILE.csv")
    if data.drop and data.data is None:
        raise ConfigError("--drop goes with --data FILE.csv")
    if not (_finite(train.lr) and train.lr > 0):
        raise ConfigError(f"--lr must be a positive number, got {train.lr}")
    if train.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {train.batch_size}")
    if train.epochs < 0:
        raise ConfigError(f"--epochs must not be negative, got {train.epochs}")
    if not (_finite(train.reg_rate) and train.reg_rate >= 0):
        raise ConfigError(f"--reg-rate must be a number ≥ 0, got {train.reg_rate}")
    if not 0 <= train.seed <= MAX_SEED:
        raise ConfigError(f"--seed must be a whole number from 0 to {MAX_SEED}, got {train.seed}")
    if data.data_seed is not None and not 0 <= data.data_seed <= MAX_SEED:
        raise ConfigError(f"--data-seed must be a whole number from 0 to {MAX_SEED}, got {data.data_seed}")
    if not (_finite(data.noise) and 0.0 <= data.noise <= 0.5):
        raise ConfigError(f"--noise must be between 0 and 0.5, got {data.noise}")
    if data.train_ratio is not None and not (_finite(data.train_ratio) and 0.1 <= data.train_ratio <= 0.9):
        raise ConfigError(f"--train-ratio must be between 0.1 and 0.9, got {data.train_ratio}")
    if data.samples is not None and not 10 <= data.samples <= 1_000_000:
        raise ConfigError(f"--samples must be between 10 and 1,000,000, got {data.samples}")
    get_kind(config.kind).check(config)

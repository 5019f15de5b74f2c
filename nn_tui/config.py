"""Run settings shared by `nn-tui` (the app) and `nn-tui train` (headless).

One dataclass holds every choice; one function adds the matching command-line
options to a parser, and another turns parsed options into a checked config.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, replace

from nn_tui.engine import ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS

MODELS = ("mlp", "perceptron")
OUTPUTS = ("sigmoid", "softmax", "linear", "tanh")
REGULARIZERS = ("none", "l1", "l2")
HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a not in ("softmax", "step"))
MAX_HIDDEN_LAYERS = 8
MAX_NEURONS = 16
DTYPES = ("float64", "float32")


class ConfigError(ValueError):
    """A setting the user gave cannot be used. One line, meant for the user."""


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a training run. Defaults follow TensorFlow Playground."""

    dataset: str = "circle"
    data: str | None = None  # a CSV file; replaces `dataset` when given
    target: str | None = None
    drop: tuple[str, ...] = ()
    model: str = "mlp"
    layers: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    output: str | None = None  # None: chosen from the task
    loss: str | None = None  # None: chosen from the task
    init: str = "auto"
    optimizer: str = "sgd"
    lr: float = 0.03
    batch_size: int = 10
    epochs: int = 100
    reg: str = "none"
    reg_rate: float = 0.0
    noise: float = 0.0
    train_ratio: float | None = None  # None: the data set's own default
    samples: int | None = None  # None: the data set's own default
    features: tuple[str, ...] = ("x1", "x2")
    seed: int = 0
    dtype: str = "float64"
    save: str | None = None
    load: str | None = None

    def with_changes(self, **changes) -> "RunConfig":
        return replace(self, **changes)


def _int_list(text: str) -> tuple[int, ...]:
    text = text.strip()
    if not text:
        return ()
    try:
        values = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, got {text!r}")
    return values


def _name_list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that builds a run understands."""
    d = RunConfig()
    data = parser.add_argument_group("data")
    data.add_argument("--dataset", default=d.dataset, metavar="NAME",
                      help="built-in data: circle, xor, gauss, spiral, moons, blobs, reg-plane, "
                           "reg-gauss, sine, digits (default: %(default)s)")
    data.add_argument("--data", metavar="FILE.csv", help="train on a CSV file instead (needs --target)")
    data.add_argument("--target", metavar="COL", help="the CSV column to predict")
    data.add_argument("--drop", type=_name_list, default=(), metavar="COL,...",
                      help="CSV columns to leave out (e.g. a leak of the target)")
    data.add_argument("--noise", type=float, default=d.noise, help="noise of the 2-D sets, 0-0.5 (default: 0)")
    data.add_argument("--train-ratio", type=float, default=None, metavar="R",
                      help="share of samples used for training, 0.1-0.9 (default: 0.5 for 2-D sets, 0.75 otherwise)")
    data.add_argument("--samples", type=int, default=None, metavar="N", help="number of samples of a built-in set")
    data.add_argument("--features", type=_name_list, default=d.features, metavar="F,...",
                      help="inputs of 2-D sets: x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2 (default: x1,x2)")
    model = parser.add_argument_group("model")
    model.add_argument("--model", choices=MODELS, default=d.model, help="(default: %(default)s)")
    model.add_argument("--layers", type=_int_list, default=d.layers, metavar="N,N",
                       help="neurons per hidden layer; empty for none (default: 4,2)")
    model.add_argument("--activation", choices=HIDDEN_ACTIVATIONS, default=d.activation,
                       help="hidden activation (default: %(default)s)")
    model.add_argument("--output", choices=OUTPUTS, default=None, help="output activation (default: from the task)")
    model.add_argument("--loss", choices=tuple(LOSSES), default=None, help="loss (default: from the task)")
    model.add_argument("--init", choices=tuple(INITIALIZERS), default=d.init, help="weight initialiser (default: %(default)s)")
    model.add_argument("--dtype", choices=DTYPES, default=d.dtype, help="float64, or float32 for speed")
    model.add_argument("--load", metavar="PATH", help="continue from a saved model (.npz)")
    train = parser.add_argument_group("training")
    train.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default=d.optimizer, help="(default: %(default)s)")
    train.add_argument("--lr", type=float, default=d.lr, help="learning rate (default: %(default)s)")
    train.add_argument("--batch-size", type=int, default=d.batch_size, metavar="N", help="(default: %(default)s)")
    train.add_argument("--reg", choices=REGULARIZERS, default=d.reg, help="regularisation (default: none)")
    train.add_argument("--reg-rate", type=float, default=d.reg_rate, metavar="R", help="(default: 0)")
    train.add_argument("--seed", type=int, default=d.seed, help="same seed, same numbers (default: 0)")
    train.add_argument("--save", metavar="PATH", help="save the trained model here (.npz)")


def config_from_args(ns: argparse.Namespace) -> RunConfig:
    """A checked RunConfig from parsed options (ConfigError on a bad combination)."""
    names = set(RunConfig.__dataclass_fields__)
    values = {k: v for k, v in vars(ns).items() if k in names}
    config = RunConfig(**values)
    check(config)
    return config


def check(config: RunConfig) -> None:
    """Reject settings that cannot work, with one line saying why."""
    if config.data is not None and not config.target:
        raise ConfigError("--data needs --target COLUMN (the column to predict)")
    if config.target and config.data is None:
        raise ConfigError("--target goes with --data FILE.csv")
    if config.drop and config.data is None:
        raise ConfigError("--drop goes with --data FILE.csv")
    if any(n < 1 for n in config.layers):
        raise ConfigError("--layers: every layer needs at least one neuron")
    if not (config.lr > 0) or config.lr != config.lr or config.lr == float("inf"):
        raise ConfigError(f"--lr must be a positive number, got {config.lr}")
    if config.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {config.batch_size}")
    if config.epochs < 0:
        raise ConfigError(f"--epochs must not be negative, got {config.epochs}")
    if config.reg_rate < 0:
        raise ConfigError(f"--reg-rate must not be negative, got {config.reg_rate}")
    if not 0.0 <= config.noise <= 0.5:
        raise ConfigError(f"--noise must be between 0 and 0.5, got {config.noise}")
    if config.train_ratio is not None and not 0.1 <= config.train_ratio <= 0.9:
        raise ConfigError(f"--train-ratio must be between 0.1 and 0.9, got {config.train_ratio}")
    if config.samples is not None and config.samples < 10:
        raise ConfigError(f"--samples must be at least 10, got {config.samples}")


def check_fits_view(config: RunConfig) -> None:
    """The app draws every neuron, so it has a size limit that headless training has not."""
    if len(config.layers) > MAX_HIDDEN_LAYERS or any(n > MAX_NEURONS for n in config.layers):
        raise ConfigError(
            f"--layers: the app shows at most {MAX_HIDDEN_LAYERS} hidden layers of {MAX_NEURONS} neurons "
            "(nn-tui train has no such limit)"
        )

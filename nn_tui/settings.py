"""Plain run settings and their errors: the leaf every other part of nn-tui may import.

`DataConfig` (where the data comes from), `TrainConfig` (how it trains), `ConfigError`
(a setting the user gave cannot be used), `Option` (one command-line option: the data
and training options here, each kind's in its spec module) and the checks that need no
model kind. Nothing here knows the kinds: `nn_tui.config` (above the kinds) joins these
with a kind's spec into a `RunConfig`.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field

from nn_tui.engine import OPTIMIZERS
from nn_tui.engine.schedules import SCHEDULES

REGULARIZERS = ("none", "l1", "l2")
DTYPES = ("float64", "float32")
DEFAULT_KIND = "mlp"
MAX_SEED = 2**32 - 1  # what NumPy's generators accept
MAX_IMAGE_SIDE = 2048  # nn_tui.data.image_sets.MAX_SIDE
MAX_DROPOUT = 0.9
# Early stopping watches the loss on this share of the training rows, set aside
# (drawn with the data seed) and never trained on.
VALIDATION_SHARE = 0.2
# The training settings only kinds trained by mini-batch backpropagation on a
# nn_tui.engine.Network take (ModelKind.training_extras says which of them each does).
TRAINING_EXTRAS = ("dropout", "batchnorm", "schedule", "warmup", "step_every", "early_stop")


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
    # Image data (--data an IDX file, a folder of pictures, an .npz): the labels file and
    # test images when they are not found beside the images, and the side pictures are
    # resized to (None: keep theirs if all agree, else 28).
    labels: str | None = None
    test_data: str | None = None
    test_labels: str | None = None
    image_size: int | None = None


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
    # Issue 22's remedies (all off by default, so older setups and files mean what they did).
    dropout: float = 0.0  # the rate of the dropout after every hidden layer; 0: none
    batchnorm: bool = False  # batch norm after every hidden layer (and conv)
    schedule: str = "constant"  # the learning rate's schedule (nn_tui.engine.schedules)
    warmup: int = 0  # epochs of linear warm-up before it
    step_every: int = 0  # epochs between a step schedule's halvings; 0: a quarter of --epochs
    early_stop: int = 0  # patience in epochs (stop when the validation loss has not improved); 0: off


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


def data_options() -> tuple[Option, ...]:
    d = DataConfig()
    return (
        Option("--dataset", dict(default=d.dataset, metavar="NAME",
                                 help="built-in data (default: %(default)s); the choices depend on --model"), "data"),
        Option("--data", dict(metavar="FILE", help="train on your own file instead: a CSV (needs --target), "
                                                   "IDX images (train-images-idx3-ubyte[.gz]), a folder of "
                                                   "pictures (one subfolder per class) or an .npz with X and y"),
               "data"),
        Option("--labels", dict(metavar="FILE", help="IDX labels of --data (default: found beside it)"), "data"),
        Option("--test-data", dict(metavar="FILE", help="IDX test images (default: the t10k- file beside --data, "
                                                        "else a held-out split)"), "data"),
        Option("--test-labels", dict(metavar="FILE", help="IDX labels of --test-data (default: found beside it)"),
               "data"),
        Option("--image-size", dict(type=int, default=None, metavar="PX",
                                    help="side pictures of a folder are resized to (default: theirs if all "
                                         "agree, else 28)"), "data"),
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


def train_options() -> tuple[Option, ...]:
    t = TrainConfig()
    return (
        Option("--optimizer", dict(choices=tuple(OPTIMIZERS), default=t.optimizer, help="(default: %(default)s)"), "train"),
        Option("--lr", dict(type=float, default=t.lr, help="learning rate (default: %(default)s)"), "train"),
        Option("--batch-size", dict(type=int, default=t.batch_size, metavar="N", help="(default: %(default)s)"), "train"),
        Option("--reg", dict(choices=REGULARIZERS, default=t.reg, help="regularisation (default: none)"), "train"),
        Option("--reg-rate", dict(type=float, default=t.reg_rate, metavar="R", help="(default: 0)"), "train"),
        Option("--seed", dict(type=int, default=t.seed, help="same seed, same numbers (default: 0)"), "train"),
        Option("--dtype", dict(choices=DTYPES, default=t.dtype, help="float64, or float32 for speed"), "train"),
        Option("--dropout", dict(type=float, default=t.dropout, metavar="P",
                                 help="dropout rate after every hidden layer, 0-0.9 (default: 0, none)"), "train"),
        Option("--batchnorm", dict(action="store_true", default=t.batchnorm,
                                   help="batch normalisation after every hidden layer and conv"), "train"),
        Option("--schedule", dict(choices=SCHEDULES, default=t.schedule,
                                  help="learning-rate schedule: constant, step (halved every --step-every "
                                       "epochs) or cosine (to 0 at --epochs) (default: constant)"), "train"),
        Option("--warmup", dict(type=int, default=t.warmup, metavar="EPOCHS",
                                help="epochs of linear learning-rate warm-up (default: 0)"), "train"),
        Option("--step-every", dict(type=int, default=t.step_every, metavar="EPOCHS",
                                    help="epochs between the step schedule's halvings (default: a quarter of "
                                         "--epochs)"), "train"),
        Option("--early-stop", dict(type=int, default=t.early_stop, metavar="PATIENCE",
                                    help="stop when the loss on a validation split (a fifth of the training data) "
                                         "has not improved for PATIENCE epochs, and keep the best weights "
                                         "(default: 0, off)"), "train"),
        Option("--load", dict(metavar="PATH", help="continue from a saved model (.npz)"), "train"),
        Option("--save", dict(metavar="PATH", help="save the trained model here (.npz)"), "train"),
    )


# ---------------------------------------------------------------------- checks
def _finite(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def check_settings(data: DataConfig, train: TrainConfig) -> None:
    """Reject data and training settings that cannot work, with one line saying why."""
    if data.target and data.data is None:
        raise ConfigError("--target goes with --data FILE.csv")
    if data.drop and data.data is None:
        raise ConfigError("--drop goes with --data FILE.csv")
    for flag, value in (("--labels", data.labels), ("--test-data", data.test_data),
                        ("--test-labels", data.test_labels), ("--image-size", data.image_size)):
        if value is not None and data.data is None:
            raise ConfigError(f"{flag} goes with --data (image files or a folder of pictures)")
    if data.image_size is not None and not 1 <= data.image_size <= MAX_IMAGE_SIDE:
        raise ConfigError(f"--image-size must be from 1 to {MAX_IMAGE_SIDE} pixels, got {data.image_size}")
    if not (_finite(train.lr) and train.lr > 0):
        raise ConfigError(f"--lr must be a positive number, got {train.lr}")
    if train.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {train.batch_size}")
    if train.epochs < 0:
        raise ConfigError(f"--epochs must not be negative, got {train.epochs}")
    if not (_finite(train.reg_rate) and train.reg_rate >= 0):
        raise ConfigError(f"--reg-rate must be a number ≥ 0, got {train.reg_rate}")
    if not (_finite(train.dropout) and 0.0 <= train.dropout <= MAX_DROPOUT):
        raise ConfigError(f"--dropout must be a rate from 0 to {MAX_DROPOUT}, got {train.dropout}")
    if not isinstance(train.batchnorm, bool):
        raise ConfigError(f"--batchnorm is on or off (true or false), got {train.batchnorm!r}")
    if train.schedule not in SCHEDULES:
        raise ConfigError(f"--schedule must be one of {', '.join(SCHEDULES)}, got {train.schedule!r}")
    for flag, value in (("--warmup", train.warmup), ("--step-every", train.step_every),
                        ("--early-stop", train.early_stop)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{flag} must be a whole number of epochs ≥ 0, got {value}")
    if train.batchnorm is True and train.batch_size < 2:
        raise ConfigError("--batchnorm needs --batch-size 2 or more (the statistics of one row have no spread)")
    if train.step_every and train.schedule != "step":
        raise ConfigError("--step-every goes with --schedule step")
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

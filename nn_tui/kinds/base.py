"""The seam every kind of model plugs into: `ModelKind` (the registry entry) and `Run`.

A `ModelKind` says what a kind is: its settings (`spec`), its command-line options,
the data it trains on, how to build a `Run`, what the user can ask of it (`commands`),
what it shows (`probes` -> views) and where its screen is described (`panes`, a module
imported only by the UI, so training processes never import Textual).

A `Run` is one built training run: its model(s), optimizer(s) and data. The session
and `nn-tui train` drive every kind through the same few calls: `train_steps`,
`scores` (named metrics), `set_lr`/`set_optimizer`/`set_batch_size`, `save`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

from nn_tui.settings import ConfigError
from nn_tui.data import Dataset
from nn_tui.datasets import load_data


class NotResumable(ConfigError):
    """This kind's runs keep no state to resume from (one line for the user)."""


@dataclass
class RunState:
    """A run's exact state: named arrays (stored as .npz) and JSON-able `info`."""

    arrays: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)


class Run:
    """One training run. Subclasses set `model` and implement the training calls."""

    model: Any = None
    # Views a command measured on this run (permutation importance), shown by the
    # kind's probes until the run is rebuilt: a fresh run starts without them.
    extra_views: tuple = ()

    def __init__(self, config, dataset: Dataset) -> None:
        self.config = config
        self.dataset = dataset

    # --- progress (a Trainer or the kind's own step keeps the counts) ---------
    @property
    def epoch(self) -> int:
        raise NotImplementedError

    @property
    def step(self) -> int:
        raise NotImplementedError

    def train_steps(self, max_steps: int) -> bool:
        """Do up to `max_steps` updates, stopping at the end of an epoch; True if one
        ended. Raises nn_tui.training.TrainingDiverged when the numbers blow up."""
        raise NotImplementedError

    def run_epoch(self) -> None:
        while not self.train_steps(1_000_000):
            pass

    def restart_epoch(self) -> None:
        """Forget the epoch under way (the batch size or data changed)."""

    def scores(self) -> dict[str, float | None]:
        """Named metrics of the model as it is now ("train_loss", "test_accuracy", ...).
        A metric that does not apply is left out, not None."""
        raise NotImplementedError

    def train_share(self) -> float:
        """The share of the data trained on (the rest is the test split)."""
        n_train, n_test = len(self.dataset.X_train), len(self.dataset.X_test)
        return n_train / max(n_train + n_test, 1)

    # --- what early stopping did (nn-tui train --json, the app's notice) -----------
    stopped_early_at: int | None = None  # the epoch early stopping ended the run at

    def finish(self) -> None:
        """At the end of `nn-tui train`'s epochs: what a run does when training is over
        (early stopping puts its best weights back)."""

    def training_report(self) -> dict:
        """What `nn-tui train --json` says about how the run trained (early stopping's
        best epoch, the learning rate it ended with)."""
        if getattr(getattr(self, "trainer", None), "schedule", None) is None:
            return {}
        return {"final_lr": float(self.optimizer.lr)}  # where the schedule left the rate

    def health_inputs(self):
        """Training inputs the divergence watch runs the model's hidden layers on
        (nn_tui.divergence), or None when the kind has no hidden units to check."""
        return None

    # --- resuming (autosave): everything that makes a resumed run exact ---------
    resumable = False  # a kind that implements state() and restore() sets True

    def state(self) -> "RunState":
        """The run as it is now: weights, optimizer state, RNG state, the epoch under
        way (order and cursor), step counts. Arrays and JSON only, never pickle."""
        raise NotResumable(f"{self.config.kind} runs cannot be resumed (the kind keeps no state for it)")

    def restore(self, state: "RunState") -> None:
        """Make this freshly built run (same config, same data) continue from `state`."""
        raise NotResumable(f"{self.config.kind} runs cannot be resumed (the kind keeps no state for it)")

    # --- training settings that keep the model --------------------------------
    def set_lr(self, lr: float) -> None:
        raise NotImplementedError

    def set_optimizer(self, train_config) -> None:
        """New optimizer(s) from the training settings; the weights stay."""
        raise NotImplementedError

    def set_batch_size(self, size: int) -> None:
        raise NotImplementedError

    # --- files ------------------------------------------------------------------
    def input_names(self) -> tuple[str, ...]:
        return tuple(self.dataset.input_names)

    def metadata(self) -> dict:
        """What a saved model file records about its run: the one writer, for
        `nn-tui train --save` and the app's save key alike."""
        data = self.config.data
        return {
            "kind": self.config.kind,
            "dataset": data.dataset if data.data is None else str(Path(data.data).name),
            "task": self.dataset.task,
            "inputs": list(self.input_names()),
            "features": list(data.features),
            "class_names": list(self.dataset.class_names) if self.dataset.class_names else None,
            "epoch": self.epoch,
            "seed": self.config.train.seed,
        }

    def save(self, path) -> None:
        if self.model is None or not hasattr(self.model, "save"):
            raise ConfigError(f"a {self.config.kind} model cannot be saved yet")
        self.model.save(path, metadata=self.metadata())


class ModelKind:
    """A registry entry. Subclass it in the kind's folder and set the attributes."""

    name: str = ""
    summary: str = ""  # one line for --help and the kind picker
    spec: type = object  # frozen dataclass of the kind's settings, with a `kind` field
    options: tuple = ()  # nn_tui.settings.Option rows for the spec's fields
    # Built-in data sets this kind trains on, in the order the data key cycles them.
    datasets: tuple[str, ...] = ()
    # Data and training settings this kind starts from when the user gives none
    # ({"dataset": "digits", "optimizer": "adam", "lr": 0.001, ...}).
    defaults: Mapping[str, Any] = {}
    # Settings (of the spec, data or training) it starts from when --data is 28×28 images
    # (MNIST, Fashion-MNIST, ...), over `defaults`, each only when the user gives none:
    # what bench/fashion_mnist.py measured to reach the accuracy in time.
    defaults_28x28: Mapping[str, Any] = {}
    # Commands the user can send to this kind's runs: name -> fn(session, *args).
    commands: Mapping[str, Callable] = {}
    # Those of its commands that change no weight, link or data (which digit or story
    # is shown): the session does not score the model again after them. Any other
    # command is scored after it, so a command added without a thought is never stale.
    keeps_scores: frozenset[str] = frozenset()
    # False when `load_data` ignores the seed (the same text for every seed): the new-data
    # key then says it has nothing new to draw instead of pretending it did.
    data_from_seed: bool = True
    # True when it trains on a text file (--data FILE.txt): a character model.
    reads_text: bool = False
    # Which of nn_tui.settings.TRAINING_EXTRAS (dropout, batch norm, schedules, early
    # stopping) its runs honour; the others are refused when set (nn_tui.config.check).
    training_extras: frozenset[str] = frozenset()
    # The module (imported only by the UI) with LAYOUT, CONTROLS and UI actions.
    panes: str = ""

    def check(self, config) -> None:
        """Refuse settings of this kind that cannot work (ConfigError, one line)."""

    def load_data(self, config, seed: int) -> Dataset:
        """The data set a run trains on; built-in loaders unless the kind has its own."""
        dataset = load_data(config.data, seed)
        self.check_data(config, dataset)
        return dataset

    def check_data(self, config, dataset: Dataset) -> None:
        """Refuse data this kind cannot learn (ConfigError)."""

    def build(self, config, dataset: Dataset, model=None) -> Run:
        """A fresh run (or one continuing `model`, loaded from a file)."""
        raise NotImplementedError

    def owns(self, model) -> bool:
        """Is `model` (read from a model file) one of this kind's?"""
        return False

    def spec_for(self, model, spec):
        """The spec that describes a loaded `model` (its file decides the architecture)."""
        return spec

    def probes(self, run: Run) -> tuple:
        """The views the screen shows, made from the run (copied, frozen arrays)."""
        return ()

    def settings(self, run: Run) -> dict:
        """The kind's own settings for the snapshot header (activation, layers, ...)."""
        return {}

    def status(self, settings: Mapping[str, Any]) -> tuple[tuple | None, tuple | None]:
        """What the status line shows for a snapshot with these `settings`: its metric
        rows (metric, label, format; format None prints a loss) and the texts after
        them (None entries left out). None for either: the line's default (losses and
        test accuracy; the learning rate, activation and optimizer)."""
        return None, None

    def report(self, run: Run) -> dict:
        """Extra keys for `nn-tui train --json`, placed after "model"."""
        return {}

    def fits_view(self, config) -> None:
        """Refuse, before the app starts, settings the screen cannot draw."""

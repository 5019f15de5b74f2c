"""The session: one training run, owned by one thread.

The session is the only writer of the network. The UI talks to it through a
queue of commands (play, step, set the learning rate, edit a weight, ...) that
the session applies between training slices, and reads from it only the latest
immutable Snapshot, published by swapping one reference at the display rate.
Notices for the user (divergence, a refused change) go up through a second
queue. `run()` is the thread's body; tests may drive `apply_commands()` and
`train_slice()` directly, without a thread.
"""

from __future__ import annotations

import math
import queue
import threading
import time

from nn_tui import activity, assemble
from nn_tui.config import HIDDEN_ACTIVATIONS, MAX_HIDDEN_LAYERS, MAX_NEURONS, ConfigError, RunConfig, check
from nn_tui.data import FEATURES, DataError
from nn_tui.data.features import FEATURE_LABELS
from nn_tui.engine import ModelFileError, Perceptron
from nn_tui.history import BoundedHistory
from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING, Snapshot
from nn_tui.training import Trainer, TrainingDiverged

# TensorFlow Playground's learning rates; the lr keys step along this ladder.
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
GRID_RESOLUTION = 48  # pixels per side of every neuron's map of the input plane
SHOWN_SAMPLES = 48  # samples whose activations are shown for data that is not a plane
SLICE_SECONDS = 0.02  # training between two looks at the command queue
USER_ERRORS = (ConfigError, DataError, ModelFileError, OSError)


class Notice:
    """A line for the user. `severity` is 'information', 'warning' or 'error' (Textual's names)."""

    __slots__ = ("text", "severity")

    def __init__(self, text: str, severity: str = "information") -> None:
        self.text, self.severity = text, severity

    def __repr__(self) -> str:
        return f"Notice({self.text!r}, {self.severity!r})"


def check_command(command: str) -> None:
    """A command name the session does not know is a programming error: fail where it is sent."""
    if not callable(getattr(Session, f"_do_{command}", None)):
        raise AttributeError(f"the session has no command {command!r}")


class Session:
    def __init__(self, config: RunConfig, fps: float = 10.0, commands=None) -> None:
        """`commands`: where commands arrive (a queue.SimpleQueue by default; a
        multiprocessing queue when the session runs in its own process)."""
        self.config = config
        self.publish_interval = 1.0 / fps
        self.publish_hook = None  # called with each new snapshot, on the training thread
        self.notices: queue.SimpleQueue[Notice] = queue.SimpleQueue()
        self._commands = queue.SimpleQueue() if commands is None else commands
        self._stop = threading.Event()
        self._status = PAUSED
        self._message: str | None = None
        self._version = 0
        self._data_seed = config.seed
        self._last_publish = 0.0
        self._steps_per_slice = 1
        self._load_data()  # raises the user's errors before any thread starts
        self._build_model(keep_loaded=True)
        if config.load is not None:  # the file decides the architecture; a reset keeps it
            perceptron = isinstance(self.model, Perceptron)
            self.config = self.config.with_changes(
                model="perceptron" if perceptron else "mlp",
                layers=tuple(self.model.sizes[1:-1]),
                activation=config.activation if perceptron else self.model.activation,
            )
        self.publish()

    # ----------------------------------------------------------------- public, any thread
    @property
    def snapshot(self) -> Snapshot:
        """The latest published snapshot (one reference read: always consistent)."""
        return self._snapshot

    def send(self, command: str, *args, **kwargs) -> None:
        """Ask the session to do something between two training slices."""
        check_command(command)
        self._commands.put((command, args, kwargs))

    def stop(self) -> None:
        self._stop.set()
        self._commands.put(("noop", (), {}))  # wake a paused session

    # ------------------------------------------------------------ the training thread
    def run(self) -> None:
        """The training thread's body: apply commands, train, publish; until stop()."""
        while not self._stop.is_set():
            training = self._status == TRAINING
            self.apply_commands(wait=not training)
            if self._stop.is_set():
                break
            if self._status == TRAINING:
                self.train_slice()
                if time.perf_counter() - self._last_publish >= self.publish_interval:
                    self.publish()

    def apply_commands(self, wait: bool = False) -> int:
        """Apply the queued commands; with `wait`, sleep until one arrives. Returns how many."""
        applied = 0
        try:
            command = self._commands.get(timeout=0.5) if wait else self._commands.get_nowait()
        except queue.Empty:
            return 0
        while True:
            self._apply(*command)
            applied += 1
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                break
        self.publish()  # a command's effect is shown at once, not at the next frame
        return applied

    def train_slice(self, seconds: float = SLICE_SECONDS) -> None:
        """Train for about `seconds`, then return so commands get a look."""
        deadline = time.perf_counter() + seconds
        trainer = self.trainer
        try:
            while True:
                started = time.perf_counter()
                steps = self._steps_per_slice
                if trainer.train_steps(steps):
                    self._record_epoch()
                now = time.perf_counter()
                # Size the next call to take about a fifth of a slice.
                elapsed = max(now - started, 1e-6)
                self._steps_per_slice = max(1, min(10_000, int(steps * (seconds / 5) / elapsed)))
                if now >= deadline or not self._commands.empty():
                    return  # a waiting command is applied within a fifth of a slice
        except TrainingDiverged as error:
            self._diverged(str(error))

    # ---------------------------------------------------------------------- commands
    def _apply(self, command: str, args: tuple, kwargs: dict) -> None:
        try:
            getattr(self, f"_do_{command}")(*args, **kwargs)
        except USER_ERRORS as error:
            self._notify(" ".join(str(error).split()), "error")
        except TrainingDiverged as error:
            self._diverged(str(error))

    def _do_noop(self) -> None:
        pass

    def _do_stop_session(self) -> None:
        self._stop.set()

    def _do_play(self) -> None:
        if self._status == DIVERGED:
            self._notify("training diverged: press r to reset (and lower the learning rate)", "warning")
            return
        self._status = TRAINING

    def _do_pause(self) -> None:
        if self._status == TRAINING:
            self._status = PAUSED

    def _do_toggle_play(self) -> None:
        self._do_pause() if self._status == TRAINING else self._do_play()

    def _do_step(self) -> None:
        """One epoch, then stay paused: for watching backprop one step at a time."""
        if self._status == DIVERGED:
            self._do_play()  # says why not
            return
        self._status = PAUSED
        self.trainer.run_epoch()
        self._record_epoch()

    def _do_reset(self) -> None:
        self._build_model()
        self._notify("new weights", "information")

    def _do_regenerate(self) -> None:
        self._data_seed += 1
        self._load_data()
        self._build_model()

    def _do_set_lr(self, lr: float) -> None:
        if not (lr > 0 and math.isfinite(lr)):
            raise ConfigError(f"the learning rate must be a positive number, got {lr}")
        self.config = self.config.with_changes(lr=lr)
        self.optimizer.lr = lr  # no reset: the run goes on with the new rate

    def _do_lr_up(self) -> None:
        self._do_set_lr(_next_on_ladder(self.config.lr, +1))

    def _do_lr_down(self) -> None:
        self._do_set_lr(_next_on_ladder(self.config.lr, -1))

    def _do_set_activation(self, name: str) -> None:
        if name not in HIDDEN_ACTIVATIONS:
            raise ConfigError(f"unknown activation {name!r}")
        self._change_model(activation=name)

    def _do_cycle_activation(self) -> None:
        names = HIDDEN_ACTIVATIONS
        current = names.index(self.config.activation) if self.config.activation in names else -1
        self._do_set_activation(names[(current + 1) % len(names)])

    def _do_set_layers(self, layers: tuple[int, ...]) -> None:
        layers = tuple(int(n) for n in layers)
        if len(layers) > MAX_HIDDEN_LAYERS:
            raise ConfigError(f"at most {MAX_HIDDEN_LAYERS} hidden layers")
        if any(n < 1 or n > MAX_NEURONS for n in layers):
            raise ConfigError(f"a layer has 1 to {MAX_NEURONS} neurons")
        self._change_model(layers=layers)

    def _do_add_layer(self) -> None:
        layers = self.config.layers
        self._do_set_layers(layers + ((layers[-1] if layers else 2),))

    def _do_remove_layer(self) -> None:
        if not self.config.layers:
            raise ConfigError("there is no hidden layer left to remove")
        self._do_set_layers(self.config.layers[:-1])

    def _do_add_neuron(self, layer: int) -> None:
        layers = list(self.config.layers)
        if not 0 <= layer < len(layers):
            raise ConfigError("select a hidden layer to add a neuron to")
        layers[layer] += 1
        self._do_set_layers(tuple(layers))

    def _do_remove_neuron(self, layer: int) -> None:
        layers = list(self.config.layers)
        if not 0 <= layer < len(layers):
            raise ConfigError("select a hidden layer to remove a neuron from")
        if layers[layer] == 1:
            raise ConfigError("a layer keeps at least one neuron; remove the layer instead")
        layers[layer] -= 1
        self._do_set_layers(tuple(layers))

    def _do_toggle_feature(self, feature: str) -> None:
        if not self.dataset.is_plane:
            raise ConfigError("input features apply to the 2-D data sets only")
        if feature not in FEATURES:
            raise ConfigError(f"unknown feature {feature!r}")
        chosen = list(self.config.features)
        if feature in chosen:
            if len(chosen) == 1:
                raise ConfigError("keep at least one input feature")
            chosen.remove(feature)
        else:
            chosen = [f for f in FEATURES if f in chosen or f == feature]  # keep the canonical order
        self._change_model(features=tuple(chosen))

    def _do_set_optimizer(self, name: str) -> None:
        self.config = self.config.with_changes(optimizer=name)
        self._new_optimizer()  # keeps the weights

    def _do_set_regularization(self, reg: str, rate: float | None = None) -> None:
        changes = {"reg": reg} if rate is None else {"reg": reg, "reg_rate": float(rate)}
        config = self.config.with_changes(**changes)
        check(config)
        self.config = config
        self._new_optimizer()

    def _do_set_batch_size(self, size: int) -> None:
        config = self.config.with_changes(batch_size=int(size))
        check(config)
        self.config = config
        self.trainer.batch_size = config.batch_size
        self.trainer.restart_epoch()

    def _do_set_data(self, **changes) -> None:
        """Dataset, noise, train ratio or sample count: new data and new weights."""
        config = self.config.with_changes(**changes)
        check(config)
        previous = self.config
        self.config = config
        try:
            self._load_data()
        except USER_ERRORS:
            self.config = previous
            raise
        self._build_model()

    def _do_set_weight(self, layer: int, row: int, column: int, value: float) -> None:
        """Edit one incoming weight by hand: row is the neuron below, column the neuron."""
        self._check_edit(value)
        params = self.model.layers[layer].params
        mask = getattr(self.model.layers[layer], "mask", None)
        if mask is not None and not mask[row, column]:
            raise ConfigError("that connection is pruned (sparse); it has no weight")
        params["W"][row, column] = value

    def _do_set_bias(self, layer: int, column: int, value: float) -> None:
        self._check_edit(value)
        self.model.layers[layer].params["b"][column] = value

    def _do_save(self, path: str) -> None:
        self.model.save(path, metadata=self._metadata())
        self._notify(f"saved the model to {path}", "information")

    # ------------------------------------------------------------------ building
    def _load_data(self) -> None:
        config = self.config.with_changes(seed=self._data_seed)
        self.dataset = assemble.load_data(config)
        for note in self.dataset.notes:
            self._notify(note, "information")

    def _build_model(self, keep_loaded: bool = False) -> None:
        """New inputs, weights, optimizer, trainer and history: epoch 0, paused."""
        config = self.config if keep_loaded else self.config.with_changes(load=None)
        self.inputs = assemble.make_inputs(self.dataset, config.features, config.dtype)
        self.model = assemble.make_model(config, self.dataset, self.inputs.train.shape[1])
        self.optimizer = assemble.make_optimizer_for(config)
        self.trainer = Trainer(
            self.model, self.optimizer, self.dataset.task,
            self.inputs.train, self.dataset.y_train, self.inputs.test, self.dataset.y_test,
            config.batch_size, seed=config.seed,
        )
        self.history = BoundedHistory(with_accuracy=self.dataset.is_classification)
        self._grid_inputs = activity.plane_inputs(self.dataset, config.features, config.dtype, GRID_RESOLUTION)
        self._shown = activity.shown_samples(self.dataset, SHOWN_SAMPLES)
        self._train_values = activity.point_values(self.dataset, self.dataset.y_train)
        self._test_values = activity.point_values(self.dataset, self.dataset.y_test)
        self._status = PAUSED
        self._message = None
        self._record_epoch()

    def _change_model(self, **changes) -> None:
        config = self.config.with_changes(**changes)
        check(config)
        previous = self.config
        self.config = config
        try:
            self._build_model()
        except USER_ERRORS:
            self.config = previous
            self._build_model()
            raise

    def _new_optimizer(self) -> None:
        self.optimizer = assemble.make_optimizer_for(self.config)
        self.trainer.optimizer = self.optimizer

    # ------------------------------------------------------------------ recording
    def _record_epoch(self) -> None:
        scores = self.trainer.scores()
        self.scores = scores
        self.history.add(self.trainer.epoch, scores.train_loss, scores.test_loss,
                         scores.train_accuracy, scores.test_accuracy)

    def _diverged(self, why: str) -> None:
        self._status = DIVERGED
        self._message = (
            f"Training diverged: {why}. Lower the learning rate (now {self.config.lr:g}, '-' key) and reset ('r')."
        )
        self._notify(self._message, "error")
        self.publish()

    def _notify(self, text: str, severity: str) -> None:
        self.notices.put(Notice(text, severity))

    def _check_edit(self, value: float) -> None:
        if not math.isfinite(value):
            raise ConfigError(f"a weight must be a finite number, got {value}")
        if self._status == TRAINING:
            self._status = PAUSED  # a hand edit is meant to be looked at

    def _metadata(self) -> dict:
        return {
            "dataset": self.dataset.name,
            "task": self.dataset.task,
            "inputs": list(self.inputs.names),
            "features": list(self.config.features),
            "epoch": self.trainer.epoch,
            "seed": self.config.seed,
        }

    # ------------------------------------------------------------------ publishing
    def publish(self) -> None:
        """Make a new snapshot the latest one (and hand it to the hook, if any)."""
        self._version += 1
        self._last_publish = time.perf_counter()
        self._snapshot = self._make_snapshot()
        if self.publish_hook is not None:
            self.publish_hook(self._snapshot)

    def _make_snapshot(self) -> Snapshot:
        model, config, dataset, scores = self.model, self.config, self.dataset, self.scores
        frozen = activity.frozen
        weights = tuple(frozen(layer.params["W"]) for layer in model.layers)
        biases = tuple(frozen(layer.params["b"]) for layer in model.layers)
        masks = tuple(
            None if getattr(layer, "mask", None) is None else frozen(layer.mask) for layer in model.layers
        )
        plane = dataset.is_plane
        if plane:
            neuron_maps, output_map, output_classes = activity.neuron_maps(
                model, dataset.task, self._grid_inputs, GRID_RESOLUTION)
            test_view = {}
        else:
            neuron_maps, output_map, output_classes = activity.neuron_maps(
                model, dataset.task, self.inputs.test[self._shown])
            test_view = activity.test_set_view(model, dataset, self.inputs.test)
        return Snapshot(
            version=self._version,
            epoch=self.trainer.epoch,
            step=self.trainer.step,
            status=self._status,
            message=self._message,
            train_loss=scores.train_loss,
            test_loss=scores.test_loss,
            train_accuracy=scores.train_accuracy,
            test_accuracy=scores.test_accuracy,
            history=self.history.view(),
            dataset=dataset.name,
            task=dataset.task,
            model=config.model,
            features=tuple(self.inputs.names),
            input_labels=tuple(FEATURE_LABELS.get(n, n) for n in self.inputs.names) if plane
            else tuple(self.inputs.names),
            hidden=tuple(model.sizes[1:-1]),
            activation="step" if isinstance(model, Perceptron) else config.activation,
            output_activation=getattr(model, "output_activation", "step"),
            loss=getattr(model, "loss_name", "perceptron rule"),
            optimizer=config.optimizer,
            learning_rate=config.lr,
            batch_size=config.batch_size,
            reg=config.reg,
            reg_rate=config.reg_rate,
            noise=config.noise,
            train_ratio=len(dataset.X_train) / (len(dataset.X_train) + len(dataset.X_test)),
            sizes=tuple(model.sizes),
            weights=weights,
            biases=biases,
            masks=masks,
            neuron_maps=neuron_maps,
            output_map=output_map,
            output_classes=output_classes,
            domain=dataset.domain,
            train_points=dataset.X_train if plane else None,
            train_values=self._train_values if plane else None,
            test_points=dataset.X_test if plane else None,
            test_values=self._test_values if plane else None,
            class_names=tuple(dataset.class_names) if dataset.class_names else None,
            **test_view,
        )

def _next_on_ladder(lr: float, direction: int) -> float:
    if direction > 0:
        higher = [r for r in LEARNING_RATES if r > lr * (1 + 1e-9)]
        return higher[0] if higher else LEARNING_RATES[-1]
    lower = [r for r in LEARNING_RATES if r < lr * (1 - 1e-9)]
    return lower[-1] if lower else LEARNING_RATES[0]

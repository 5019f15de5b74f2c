"""The session: one training run, driven by one thread, for any model kind.

The session is the only writer of the model. The UI talks to it through a queue of
commands (play, step, set the learning rate, ...) that the session applies between
training slices, and reads from it only the latest immutable Snapshot, published by
swapping one reference at the display rate. Notices for the user (divergence, a
refused change) go up through a second queue.

The loop, the commands every kind shares (below) and the snapshot header are the
session's; what is particular to a kind — its model, its own commands, its views —
comes through its registry entry (`nn_tui.kinds`). `run()` is the thread's body;
tests may drive `apply_commands()` and `train_slice()` directly, without a thread.
"""

from __future__ import annotations

import math
import queue
import time

from nn_tui import autosave, ladders
from nn_tui.config import MAX_SEED, REGULARIZERS, ConfigError, RunConfig, check
from nn_tui.data import TOY_DATASETS, DataError, Dataset
from nn_tui.divergence import DivergenceWatch, began
from nn_tui.engine import OPTIMIZERS
from nn_tui.history import BoundedHistory
from nn_tui.kinds import get_kind
from nn_tui.overfitting import overfitting_since
from nn_tui.run_setup import Prepared, prepare
from nn_tui.save_target import check_save_target
from nn_tui.snapshot import DIVERGED, PAUSED, TRAINING, Snapshot, split_words
from nn_tui.training import TrainingDiverged, evaluation_mode
from nn_tui.user_errors import USER_ERRORS

SLICE_SECONDS = 0.02  # training between two looks at the command queue
AUTOSAVE_SECONDS = 5.0  # while training, the autosave is at most this old
# Settings a key steps along a ladder (nudge) or through a list (cycle).
NUDGED = {"lr": ladders.LEARNING_RATES, "batch_size": ladders.BATCH_SIZES, "reg_rate": ladders.REG_RATES,
          "noise": ladders.NOISES, "train_ratio": ladders.TRAIN_RATIOS, "dropout": ladders.DROPOUT_RATES}
CYCLED = ("optimizer", "reg", "dataset")


class Notice:
    """A line for the user. `severity` is 'information', 'warning' or 'error' (Textual's names)."""

    __slots__ = ("text", "severity")

    def __init__(self, text: str, severity: str = "information") -> None:
        self.text, self.severity = text, severity

    def __repr__(self) -> str:
        return f"Notice({self.text!r}, {self.severity!r})"


def next_seed(seed: int) -> int:
    """The seed r and R move on to: the next one, so a run's seeds stay easy to say."""
    return (seed + 1) % (MAX_SEED + 1)


def check_command(kind: str, command: str) -> None:
    """A command name neither the session nor the kind knows is a programming error:
    fail where it is sent, not in the training process."""
    if not (callable(getattr(Session, f"_do_{command}", None)) or command in get_kind(kind).commands):
        raise AttributeError(f"a {kind} session has no command {command!r}")


class Session:
    def __init__(self, config: RunConfig, fps: float = 10.0, commands=None, prepared: Prepared | None = None,
                 resume: "autosave.SessionState | None" = None, autosave_path=None) -> None:
        """`commands`: where commands arrive (a queue.SimpleQueue by default; the pipe
        from the app when the session runs in its own process). `prepared`: the data
        (and --load model) already loaded, so a big file is read once. `resume`: an
        autosave to continue (its settings replace `config`). `autosave_path`: where
        the run autosaves while it trains, or None for never."""
        if resume is not None:
            config = resume.config
        if prepared is None:  # raises the user's errors before any thread starts
            prepared = prepare(config, None if resume is None else resume.data_seed)
        self.config = prepared.config
        self.kind = prepared.kind
        self.dataset = prepared.dataset
        self.publish_interval = 1.0 / fps
        self.publish_hook = None  # called with each new snapshot, on the training thread
        self.notices: queue.SimpleQueue[Notice] = queue.SimpleQueue()
        self._commands = queue.SimpleQueue() if commands is None else commands
        # A plain flag, not a threading.Event: the training process's SIGTERM handler calls
        # stop(), and Event.set takes a lock that the code it interrupted may hold (the pipe's
        # close and the parent's death signal arrive together: a training process hung in CI).
        self._stopping = False
        self._status = PAUSED
        self._message: str | None = None
        self._version = 0
        self._scorings = 0  # how often the model was scored: a command that scored is not scored again
        self._last_publish = 0.0
        self._steps_per_slice = 1
        self._epochs_per_second: float | None = None  # the pace; None: as fast as it goes
        self._pace_label: str | None = None
        self._next_epoch_at = 0.0  # a paced run starts its next epoch no earlier than this
        self._watch = DivergenceWatch()
        self.autosave_path = autosave_path
        self._autosaved_at = time.perf_counter()
        self._dirty = False  # trained since the last autosave
        self._unsaved = False  # trained since the user last saved (q asks before quitting)
        for note in self.dataset.notes:
            self.notify(note, "information")
        self._build(prepared.loaded)
        if prepared.loaded is not None:
            self.dataset = self._run.dataset  # as for a resumed run: a loaded DQN's world
        if resume is not None:
            self._resume(resume)
        self.publish()

    # ----------------------------------------------------------------- public, any thread
    @property
    def snapshot(self) -> Snapshot:
        """The latest published snapshot (one reference read: always consistent)."""
        return self._snapshot

    @property
    def kind_name(self) -> str:
        return self.kind.name

    def send(self, command: str, *args, **kwargs) -> None:
        """Ask the session to do something between two training slices."""
        check_command(self.kind.name, command)
        self._commands.put((command, args, kwargs))

    @property
    def stopping(self) -> bool:
        """stop() was called, or a stop command read: the training loop ends."""
        return self._stopping

    def stop(self) -> None:
        """End the training loop. Safe in a signal handler: no lock is taken (the command
        queues' put is reentrant: SimpleQueue's, and PipeCommands' deque)."""
        self._stopping = True
        self._commands.put(("noop", (), {}))  # wake a paused session

    # ------------------------------------------------------------ the training thread
    def run(self) -> None:
        """The training thread's body: apply commands, train, publish; until stop().
        The run is autosaved every few seconds of training and when it ends."""
        try:
            while not self._stopping:
                training = self._status == TRAINING
                if not training:
                    self.autosave()  # paused: the saved run is the one on screen (a student's copy of it)
                self.apply_commands(wait=not training)
                if self._stopping:
                    break
                if self._status == TRAINING:
                    self.train_slice()
                    now = time.perf_counter()
                    if now - self._last_publish >= self.publish_interval:
                        self.publish()
                    if now - self._autosaved_at >= AUTOSAVE_SECONDS:
                        self.autosave()
        finally:
            self.autosave()

    def autosave(self) -> None:
        """Write the whole run to `autosave_path` if it trained since the last time.
        A kind that cannot be resumed, or a full disk, is said once and not retried."""
        self._autosaved_at = time.perf_counter()
        if self.autosave_path is None or not self._dirty:
            return
        try:
            autosave.write(self.autosave_path, self.session_state())
        except (ConfigError, OSError) as error:
            self.autosave_path = None
            self.notify(f"autosave is off: {' '.join(str(error).split())}", "warning")
            return
        self._dirty = False

    def session_state(self) -> "autosave.SessionState":
        """Everything `nn-tui --resume` needs (raises NotResumable for kinds without state)."""
        return autosave.SessionState(self.config, self.config.data_seed, self._run.state(), self.history.state(),
                                     self._watch.state())

    def _resume(self, state: "autosave.SessionState") -> None:
        self._run.restore(state.run)
        self.dataset = self._run.dataset  # a run's own data as saved (a DQN's edited world): new weights keep it
        self.history = BoundedHistory.from_state(state.history)
        self._watch.restore(state.watch)
        self._set_scores(self._run.scores())
        self.notify(f"resumed the autosaved run at epoch {self._run.epoch}", "information")

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
        """Train for about `seconds`, then return so commands get a look. A paced run
        (set_pace) stops at each epoch's end and sleeps here, on the training side, until
        its next epoch is due: the pace changes when epochs happen, never what they compute."""
        if self._epochs_per_second is not None:
            wait = self._next_epoch_at - time.perf_counter()
            if wait > 0:
                time.sleep(min(wait, seconds))  # short naps: a command waits at most one slice
                return
        deadline = time.perf_counter() + seconds
        run = self._run
        try:
            while True:
                started = time.perf_counter()
                steps = self._steps_per_slice
                self._dirty = self._unsaved = True
                if run.train_steps(steps):
                    self._record_epoch()
                    if self._status != TRAINING:
                        return  # the watch found the run diverged
                    if run.stopped_early_at == run.epoch:
                        self._stopped_early()
                        return
                    if self._epochs_per_second is not None:
                        # Due one interval after the last, but never in the past (no catching up).
                        self._next_epoch_at = max(self._next_epoch_at + 1.0 / self._epochs_per_second,
                                                  time.perf_counter())
                        return
                now = time.perf_counter()
                # Size the next call to take about a fifth of a slice.
                elapsed = max(now - started, 1e-6)
                self._steps_per_slice = max(1, min(10_000, int(steps * (seconds / 5) / elapsed)))
                if now >= deadline or not self._commands.empty():
                    return  # a waiting command is applied within a fifth of a slice
        except TrainingDiverged as error:
            self._diverged(str(error), began(error, self._run.epoch))

    # ------------------------------------------------- the surface kinds' commands use
    @property
    def training_run(self):
        """The kind's Run (model, optimizer, data). Only the training thread touches it."""
        return self._run

    def rebuild(self, **changes) -> None:
        """Change settings that need a fresh model (architecture, inputs); on a refusal
        the run stays as it was and the error goes on to the user."""
        config = self.config.with_changes(**changes)
        check(config)
        previous = self.config
        self.config = config
        try:
            self._build()
        except USER_ERRORS:
            self.config = previous
            self._build()
            raise

    def use_run(self, settings: dict) -> None:
        """A new run from flat settings (a lesson's, or another of its runs); the
        model kind may change. On a refusal the run stays as it was."""
        self._do_use_run(settings)

    def reload(self, **changes) -> None:
        """Change settings that need new data and a fresh model (a data set, the
        sequence kinds' gap); on a refusal the run stays as it was."""
        self._do_set_data(**changes)

    def record_update(self) -> None:
        """After a kind's own update outside an epoch (a GAN's single D or G step):
        score it, record it and show it."""
        self._dirty = self._unsaved = True
        self._record_epoch()

    def keep_in_autosave(self) -> None:
        """A change by the user that is not training (a mark drawn by hand): the next
        autosave keeps it, even if the run trains no more."""
        self._dirty = True

    def keep_playing(self, change) -> None:
        """Run ``change()`` (a new run: a build leaves it paused) and go on training
        if it was training before."""
        was_training = self._status == TRAINING
        change()
        if was_training:
            self._do_play()

    def pause_for_edit(self, value: float) -> None:
        """Before a hand edit of the model: the value must be a number, and training
        pauses (an edit is meant to be looked at)."""
        if not math.isfinite(value):
            raise ConfigError(f"a weight must be a finite number, got {value}")
        if self._status == TRAINING:
            self._status = PAUSED

    def notify(self, text: str, severity: str = "information") -> None:
        self.notices.put(Notice(text, severity))

    # ---------------------------------------------------------------------- commands
    def _apply(self, command: str, args: tuple, kwargs: dict) -> None:
        try:
            handler = getattr(self, f"_do_{command}", None)
            if handler is not None:
                handler(*args, **kwargs)
            elif command in self.kind.commands:
                self._apply_kind_command(command, args, kwargs)
            else:  # sent for the run before a use_run switched the kind
                raise ConfigError(f"{command.replace('_', ' ')}: not for a {self.kind.name} model")
        except USER_ERRORS as error:
            self.notify(" ".join(str(error).split()), "error")
        except TrainingDiverged as error:
            self._diverged(str(error), began(error, self._run.epoch))

    def _apply_kind_command(self, command: str, args: tuple, kwargs: dict) -> None:
        """A kind's command, then fresh scores unless it scored itself: whatever it
        changed (a weight by hand, cut links, the data) the next snapshot's metrics
        describe the model as it is now. Only commands the kind declares as keeping
        the scores (which digit or story is shown) are not scored again."""
        kind, scorings = self.kind, self._scorings
        kind.commands[command](self, *args, **kwargs)
        if command not in kind.keeps_scores and self._scorings == scorings:
            self._set_scores(self._run.scores())

    def _do_noop(self) -> None:
        pass

    def _do_set_frame_rate(self, fps: float) -> None:
        """Snapshots no faster than the app draws them (a served tab in a big class:
        nn_tui/ui/class_pace.py)."""
        self.publish_interval = 1.0 / fps

    def _do_stop_session(self) -> None:
        self._stopping = True

    def _do_play(self) -> None:
        if self._status == DIVERGED:
            self.notify("training diverged: press r to reset (and lower the learning rate)", "warning")
            return
        self._status = TRAINING

    def _do_pause(self) -> None:
        if self._status == TRAINING:
            self._status = PAUSED

    def _do_set_pace(self, epochs_per_second: float | None, label: str | None = None) -> None:
        """Train at most `epochs_per_second` epochs a second (None: full speed, as fast as
        it goes). `label` is what the status line shows ("slow 2 epochs/s")."""
        if epochs_per_second is not None and not (epochs_per_second > 0 and math.isfinite(epochs_per_second)):
            raise ConfigError(f"the pace must be a positive number of epochs a second, got {epochs_per_second}")
        self._epochs_per_second = None if epochs_per_second is None else float(epochs_per_second)
        self._pace_label = label or ("full speed" if epochs_per_second is None else f"{epochs_per_second:g} epochs/s")
        self._next_epoch_at = time.perf_counter()

    def _do_toggle_play(self) -> None:
        self._do_pause() if self._status == TRAINING else self._do_play()

    def _do_step(self) -> None:
        """One epoch, then stay paused: for watching backprop one step at a time."""
        if self._status == DIVERGED:
            self._do_play()  # says why not
            return
        self._status = PAUSED
        self._dirty = self._unsaved = True
        self._run.run_epoch()
        self._record_epoch()
        if self._run.stopped_early_at == self._run.epoch:
            self._stopped_early()

    def _do_use_run(self, settings: dict) -> None:
        """A new run from flat settings (a lesson's, or another of its runs); the
        model kind may change. On a refusal the run stays as it was."""
        config = RunConfig.of(**settings)
        check(config)
        previous = (self.config, self.kind, self.dataset)
        self.config, self.kind = config, get_kind(config.kind)
        try:
            # Always the data of this run's own settings: which settings decide a kind's
            # data (its data group, the seed, a sequence kind's gap, ...) is the kind's
            # business, and a comparison of some of them goes stale. Loading is cheap
            # (~15 ms for the largest built-in set); notes already shown are not repeated.
            self._load_data(said=previous[2].notes)
            self._build()
        except USER_ERRORS:
            self.config, self.kind, self.dataset = previous
            raise

    def _do_reset(self) -> None:
        """New starting weights: the next seed, on the same data (their seed is kept
        apart in the config, so a setup saved now reproduces both)."""
        config = self.config
        self.config = config.with_changes(seed=next_seed(config.train.seed), data_seed=config.data_seed)
        self._build()
        self.notify(f"new weights: seed {self.config.train.seed}", "information")

    def _do_regenerate(self) -> None:
        """New data from the next data seed; the weights start again from the run's seed."""
        if not self.kind.data_from_seed:
            raise ConfigError(f"a {self.kind.name} model's text is the same for every seed: no new data to draw")
        self._do_set_data(data_seed=next_seed(self.config.data_seed))  # a file that went away: as it was
        self.notify(f"new data: data seed {self.config.data_seed}", "information")

    def _do_set_lr(self, lr: float) -> None:
        if not (lr > 0 and math.isfinite(lr)):
            raise ConfigError(f"the learning rate must be a positive number, got {lr}")
        self.config = self.config.with_changes(lr=lr)
        self._run.set_lr(lr)  # no reset: the run goes on with the new rate

    def _do_lr_up(self) -> None:
        self._do_nudge("lr", +1)

    def _do_lr_down(self) -> None:
        self._do_nudge("lr", -1)

    def _do_nudge(self, setting: str, direction: int) -> None:
        """Step a setting to the next rung of its ladder, up or down."""
        if setting == "train_ratio" and getattr(self.dataset, "own_split", None):
            raise ConfigError(f"{self.dataset.name} has {split_words(self._split())}: no train ratio to change")
        if setting == "noise" and not self._noise_applies():
            raise ConfigError(f"noise is drawn into the made-up sets ({', '.join(TOY_DATASETS[:4])}, ...); "
                              f"{self.dataset.name} has none to change")
        current = self._train_ratio() if setting == "train_ratio" else self._current(setting)
        value = ladders.step_on(NUDGED[setting], current, direction)
        if setting == "lr":
            self._do_set_lr(value)
        elif setting == "batch_size":
            self._do_set_batch_size(value)
        elif setting == "reg_rate":
            self._do_set_regularization(self.config.train.reg, value)
        elif setting == "dropout":
            self._do_set_dropout(value)
        else:
            self._do_set_data(**{setting: value})

    def _do_cycle_setting(self, setting: str, direction: int = 1) -> None:
        """The next optimizer, regulariser or data set."""
        if setting == "optimizer":
            self._do_set_optimizer(ladders.cycle(tuple(OPTIMIZERS), self.config.train.optimizer, direction))
        elif setting == "reg":
            self._do_set_regularization(ladders.cycle(REGULARIZERS, self.config.train.reg, direction))
        elif setting == "dataset":
            if self.config.data.data is not None:
                raise ConfigError("a run on your own file keeps its file; start nn-tui with --dataset to switch")
            self._do_set_data(dataset=ladders.cycle(self.kind.datasets, self.config.data.dataset, direction))
        else:
            raise ConfigError(f"no setting {setting!r} to cycle")

    def _current(self, setting: str):
        group = self.config.train if setting in ("lr", "batch_size", "reg_rate", "dropout") else self.config.data
        return getattr(group, setting)

    def _train_ratio(self) -> float:
        return self._run.train_share()

    def _split(self) -> dict | None:
        """How many samples train and test, and why the split is fixed ("own"; None: a ratio
        made it). None for data that is not rows of samples (a text, a world, a game)."""
        dataset = self.dataset
        if not isinstance(dataset, Dataset):
            return None
        return {"train": len(dataset.X_train), "test": len(dataset.X_test), "own": dataset.own_split}

    def _noise_applies(self) -> bool:
        """Is the data drawn with noise (a built-in 2-D or 1-D set), so z/Z change it?"""
        data = self.config.data
        return data.data is None and data.dataset in TOY_DATASETS

    def _do_set_dropout(self, rate: float) -> None:
        """Dropout after every hidden layer at `rate` (0: none): a fresh network, as a new
        architecture is (the layers differ, and a comparison starts from the same weights)."""
        self.rebuild(dropout=float(rate))
        self.notify(f"dropout {rate:g} after every hidden layer: new network" if rate else
                    "no dropout: new network", "information")

    def _do_toggle_batchnorm(self) -> None:
        """Batch norm after every hidden layer (and conv) on or off: a fresh network."""
        on = not self.config.train.batchnorm
        self.rebuild(batchnorm=on)
        self.notify(f"batch norm {'on' if on else 'off'}: new network", "information")

    def _do_set_optimizer(self, name: str) -> None:
        config = self.config.with_changes(optimizer=name)
        check(config)
        self.config = config
        self._run.set_optimizer(config.train)  # keeps the weights

    def _do_set_regularization(self, reg: str, rate: float | None = None) -> None:
        changes = {"reg": reg} if rate is None else {"reg": reg, "reg_rate": float(rate)}
        config = self.config.with_changes(**changes)
        check(config)
        self.config = config
        self._run.set_optimizer(config.train)

    def _do_set_batch_size(self, size: int) -> None:
        config = self.config.with_changes(batch_size=int(size))
        check(config)
        self.config = config
        self._run.set_batch_size(config.train.batch_size)

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
        self._build()

    def _do_save(self, path: str, quiet: bool = False) -> None:
        """Save the model to `path`; `quiet`: the app says where it went (a browser download)."""
        check_save_target(path, option="")  # never replace a file that is not a model
        self._run.save(path)
        self._unsaved = False
        if not quiet:
            self.notify(f"saved the model to {path}", "information")

    # ------------------------------------------------------------------ building
    def _load_data(self, said: tuple = ()) -> None:
        """The data the config and data seed describe; its notes, but those in `said`."""
        self.dataset = self.kind.load_data(self.config, self.config.data_seed)
        for note in self.dataset.notes:
            if note not in said:
                self.notify(note, "information")

    def _build(self, loaded=None) -> None:
        """A new run (weights, optimizer, history): epoch 0, paused."""
        self._run = self.kind.build(self.config, self.dataset, loaded)
        scores = self._run.scores()
        # Steps too (the plot's other x axis), and the learning rate a schedule moves (drawn under the loss).
        self.history = BoundedHistory((*scores, "step", "lr"))
        self._status = PAUSED
        self._message = None
        self._watch.reset()
        self._record_epoch(scores)

    # ------------------------------------------------------------------ recording
    def _record_epoch(self, scores: dict | None = None) -> None:
        """Score and record the epoch; the divergence watch may raise TrainingDiverged."""
        run = self._run
        self._set_scores(run.scores() if scores is None else scores)
        self.history.add(run.epoch, {**self.scores, "step": run.step, "lr": self._current_lr()})
        try:
            self._watch.observe(run.epoch, self.scores, run.model, run.health_inputs())
        except TrainingDiverged as error:
            self._diverged(str(error), began(error, run.epoch))

    def _current_lr(self) -> float:
        """The rate the last update used: the optimizer's, which a schedule sets; else the setting."""
        return float(getattr(getattr(self._run, "optimizer", None), "lr", self.config.train.lr))

    def _stopped_early(self) -> None:
        """Early stopping ended the run: pause and say so (play goes on from the best weights)."""
        self._status = PAUSED
        stopping = self._run.early_stopping
        self.notify(f"early stop at epoch {self._run.epoch}: the validation loss had not improved for "
                    f"{stopping.patience} epochs; the weights of epoch {stopping.best_epoch} are back", "information")
        self.publish()  # paused, the loop publishes no more: without this the screen keeps saying "training"

    def _set_scores(self, scores: dict) -> None:
        """The metrics the next snapshot shows; every scoring goes through here (and is counted)."""
        self.scores = scores
        self._scorings += 1

    def _diverged(self, why: str, began_at: int | None = None) -> None:
        self._status = DIVERGED
        train = self.config.train
        if train.load is not None and began_at == 0:
            todo = "The loaded file's weights are NaN, huge or dead: reset ('r') for fresh weights."
        elif train.reg != "none" and train.reg_rate >= 0.1:
            todo = (f"Lower the regularisation rate (now {train.reg_rate:g}, 'H' key) or the learning rate "
                    f"('-'), and reset ('r').")
        else:
            todo = f"Lower the learning rate (now {train.lr:g}, '-' key) and reset ('r')."
        self._message = f"Training diverged: {why}. {todo}"
        self.notify(self._message, "error")
        self.publish()

    # ------------------------------------------------------------------ publishing
    def publish(self) -> None:
        """Make a new snapshot the latest one (and hand it to the hook, if any)."""
        self._version += 1
        self._last_publish = time.perf_counter()
        self._snapshot = self._make_snapshot()
        if self.publish_hook is not None:
            self.publish_hook(self._snapshot)

    def _settings(self) -> dict:
        train, data = self.config.train, self.config.data
        return {
            "lr": train.lr, "optimizer": train.optimizer, "batch_size": train.batch_size,
            "reg": train.reg, "reg_rate": train.reg_rate, "seed": train.seed, "data_seed": self.config.data_seed,
            "noise": data.noise, "train_ratio": self._train_ratio(), "split": self._split(),
            "noise_applies": self._noise_applies(),
            "dropout": train.dropout, "batchnorm": train.batchnorm, "schedule": train.schedule,
            "warmup": train.warmup, "early_stop": train.early_stop,
            **self.kind.settings(self._run),
            "config": self.config,  # the whole setup, for the app's share string and setup file
        }

    def _probes(self, run) -> tuple:
        with evaluation_mode(run.model):  # what the model answers, not one dropout draw of it
            return self.kind.probes(run)

    def _make_snapshot(self) -> Snapshot:
        run = self._run
        history = self.history.view()
        return Snapshot(
            version=self._version,
            epoch=run.epoch,
            step=run.step,
            status=self._status,
            message=self._message,
            kind=self.kind.name,
            dataset=self.dataset.name,
            task=self.dataset.task,
            metrics=self.scores,
            history=history,
            settings=self._settings(),
            views=self._probes(run),
            unsaved=self._unsaved,
            overfitting_since=overfitting_since(history.epochs, history.get("train_loss"), history.get("test_loss")),
            pace=self._pace_label,
        )

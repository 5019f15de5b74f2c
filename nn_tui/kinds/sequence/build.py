"""A sequence kind's run: the character model, its data and its trainer behind `Run`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn_tui.settings import ConfigError
from nn_tui.data.text import TEST_SHARE, FluentStories, TextCorpus, load_text
from nn_tui.engine import make_optimizer
from nn_tui.kinds import run_state
from nn_tui.kinds.base import NotResumable, Run, RunState
from nn_tui.kinds.sequence import spec as sequence_spec
from nn_tui.kinds.sequence.model_file import save_char_model
from nn_tui.kinds.sequence.train import FluentWindows, SequenceTrainer, TextWindows
from nn_tui.training import TrainingDiverged

SEQUENCE = "sequence"
DATASETS = ("fluent",)


@dataclass(frozen=True, eq=False)
class SequenceData:
    """What `nn-tui train` and the session read of a data set (name, task, notes),
    with the stories or text the sequence kinds train on."""

    name: str
    source: object  # FluentStories or TextCorpus
    task: str = SEQUENCE
    notes: tuple[str, ...] = field(default_factory=tuple)
    class_names: tuple[str, ...] | None = None

    @property
    def vocab(self):
        return self.source.vocab

    @property
    def input_names(self) -> tuple[str, ...]:
        return self.source.vocab.chars

    def train_share(self) -> float:
        """Characters of a text trained on; for fluent stories, story combinations (at
        gap 0 the 16 stories are both the training and the test set)."""
        if isinstance(self.source, TextCorpus):
            n_train, n_test = len(self.source.train_ids), len(self.source.test_ids)
        else:
            n_test = len(self.source.test)
            n_train = (1 if self.source.gap == 0 else TEST_SHARE - 1) * n_test
        return n_train / max(n_train + n_test, 1)


def load_data(config) -> SequenceData:
    data = config.data
    if data.data is not None:
        if Path(data.data).suffix.lower() not in (".txt", ""):
            raise ConfigError(f"{data.data}: the {config.kind} model trains on a plain text file (.txt)")
        corpus = load_text(data.data)
        return SequenceData(corpus.name, corpus, notes=(
            f"{len(corpus.train_ids):,} characters to train on, {len(corpus.test_ids):,} held out; "
            f"{corpus.vocab.size} distinct",))
    if data.dataset not in DATASETS:
        raise ConfigError(f"the {config.kind} model trains on --dataset fluent or --data FILE.txt, "
                          f"not {data.dataset!r}")
    stories = FluentStories(config.model.gap)
    return SequenceData("fluent", stories, notes=(
        f"gap {stories.gap}: {len(stories.test)} held-out stories; completion = the language word, "
        "greedily, after 'I speak fluent '",))


class SequenceRun(Run):
    # Another character model's run swaps these (the attention kind's does).
    resolve = staticmethod(sequence_spec.resolve)  # config -> the trainer's settings
    trainer_class = SequenceTrainer

    def train_share(self) -> float:
        return self.dataset.train_share()

    def __init__(self, config, dataset: SequenceData, loaded=None) -> None:
        super().__init__(config, dataset)
        self.settings = self.resolve(config)
        optimizer = self._optimizer(config.train, self.settings.lr)
        self.trainer = self.trainer_class(self.settings, dataset.source, optimizer=optimizer)
        self.model = self.trainer.model
        if loaded is not None:  # the file's weights in the run's model (its dtype)
            np.copyto(self.model.flat_params, loaded.flat_params, casting="same_kind")

    @staticmethod
    def _optimizer(train, lr):
        return make_optimizer(train.optimizer, lr, reg=train.reg, reg_rate=train.reg_rate)

    @property
    def epoch(self) -> int:
        return self.trainer.step // sequence_spec.STEPS_PER_EPOCH

    @property
    def step(self) -> int:
        return self.trainer.step

    def train_steps(self, max_steps: int) -> bool:
        per_epoch = sequence_spec.STEPS_PER_EPOCH
        todo = min(max_steps, per_epoch - self.trainer.step % per_epoch)
        try:
            for _ in range(todo):
                self.trainer.train_step()
        except FloatingPointError as error:
            raise TrainingDiverged(str(error)) from None
        return self.trainer.step % per_epoch == 0

    def scores(self) -> dict[str, float]:
        loss = self.trainer.last_loss
        scores = {"train_loss": self._first_loss() if loss is None else loss}
        self.last_scores = {**scores, **self.trainer.evaluate()}  # the screen's gap chart reads it
        return self.last_scores

    def _first_loss(self) -> float:
        """Before the first step: the mean loss on a first training window, drawn with its
        own generator so the run's numbers stay those of headless training (and the
        session's history has a train_loss series from epoch 0)."""
        source = self.dataset.source
        if isinstance(source, TextCorpus):
            ids = source.train_ids[: self.settings.window + 1].reshape(1, -1)
        else:
            probe = dataclasses.replace(self.settings, batch=min(8, self.settings.batch), answer_weight=1.0)
            ids, _, _ = FluentWindows(source, probe).batch(np.random.default_rng(self.settings.seed), 0)
        with np.errstate(all="ignore"):
            probs = self.model.forward(ids[:, :-1])
        picked = np.take_along_axis(probs, ids[:, 1:, None], axis=2)
        return float(-np.mean(np.log(np.maximum(picked, 1e-12))))

    def set_lr(self, lr: float) -> None:
        self.trainer.settings = dataclasses.replace(self.trainer.settings, lr=lr)

    def set_optimizer(self, train_config) -> None:
        self.trainer.optimizer = self._optimizer(train_config, self.trainer.settings.lr)

    def set_batch_size(self, size: int) -> None:
        trainer = self.trainer
        trainer.settings = dataclasses.replace(trainer.settings, batch=size)
        trainer.source.settings = dataclasses.replace(trainer.source.settings, batch=size)  # what it draws
        if isinstance(trainer.source, TextWindows):
            trainer.source.restart()  # one stream a row: new ones, from a zero state

    def input_names(self) -> tuple[str, ...]:
        return self.dataset.input_names

    def save(self, path) -> None:
        save_char_model(self.model, self.dataset.vocab, path, self.metadata())

    # --- resuming: the weights, Adam's moments, the batch stream and its cursor --------
    resumable = True

    def state(self) -> RunState:
        trainer = self.trainer
        arrays: dict = {}
        run_state.save_params(arrays, "model", self.model)
        optimizer = run_state.save_optimizer(arrays, "optimizer", trainer.optimizer)
        carried = trainer._state  # truncated BPTT on a text: the state the next window starts from
        if carried is not None:
            parts = carried if isinstance(carried, tuple) else (carried,)
            arrays.update({f"carried.{i}": np.array(part) for i, part in enumerate(parts)})
        if isinstance(trainer.source, TextWindows):
            arrays["offsets"] = trainer.source.offsets.copy()
        info = {"trainer": {"step": trainer.step, "epoch": self.epoch, "last_loss": _plain(trainer.last_loss),
                            "last_grad_norm": _plain(trainer.last_grad_norm), "rng": run_state.save_rng(trainer.rng),
                            "lr": trainer.settings.lr, "batch": trainer.settings.batch,
                            "carried_pair": isinstance(carried, tuple)},  # an LSTM's (h, c)
                "optimizer": optimizer, "shown_story": getattr(self, "shown_story", 0)}
        return RunState(arrays=arrays, info=info)

    def restore(self, state: RunState) -> None:
        with run_state.complete_state():
            info, arrays, trainer = state.info["trainer"], state.arrays, self.trainer
            run_state.restore_params(arrays, "model", self.model)
            run_state.restore_optimizer(arrays, "optimizer", trainer.optimizer, self.model, state.info["optimizer"])
            trainer.settings = dataclasses.replace(trainer.settings, lr=info["lr"], batch=info["batch"])
            trainer.source.settings = dataclasses.replace(trainer.source.settings, batch=info["batch"])
            run_state.restore_rng(trainer.rng, info["rng"])
            trainer.step, trainer.last_loss = int(info["step"]), info["last_loss"]
            trainer.last_grad_norm = info["last_grad_norm"]
            parts = [np.array(arrays[f"carried.{i}"]) for i in range(2) if f"carried.{i}" in arrays]
            trainer._state = None if not parts else tuple(parts) if info["carried_pair"] else parts[0]
            if isinstance(trainer.source, TextWindows):
                offsets = arrays.get("offsets")  # as many streams as it read (a batch change keeps them)
                if offsets is None or offsets.ndim != 1 or offsets.dtype.kind not in "iu":
                    raise NotResumable("the saved run does not say where in its text it was")
                trainer.source.offsets = np.array(offsets)
            self.shown_story = int(state.info.get("shown_story", 0))


def _plain(value):
    return None if value is None else float(value)


def build(config, dataset, model=None, run_class=SequenceRun) -> SequenceRun:
    if model is not None and tuple(model.vocab.chars) != tuple(dataset.vocab.chars):
        raise ConfigError(f"{Path(config.train.load or 'the model').name}: the model was trained on other "
                          f"characters ({model.vocab.size}) than this text has ({dataset.vocab.size}); "
                          "it continues only on text of its own characters")
    return run_class(config, dataset, model)

"""A sequence kind's run: the character model, its data and its trainer behind `Run`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nn_tui.config import ConfigError
from nn_tui.data.text import TEST_SHARE, FluentStories, TextCorpus, load_text
from nn_tui.engine import make_optimizer
from nn_tui.kinds.base import Run
from nn_tui.kinds.sequence import spec as sequence_spec
from nn_tui.kinds.sequence.train import FluentWindows, SequenceTrainer
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
    def train_share(self) -> float:
        return self.dataset.train_share()

    def __init__(self, config, dataset: SequenceData) -> None:
        super().__init__(config, dataset)
        self.settings = sequence_spec.resolve(config)
        optimizer = self._optimizer(config.train, self.settings.lr)
        self.trainer = SequenceTrainer(self.settings, dataset.source, optimizer=optimizer)
        self.model = self.trainer.model

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
        self.trainer.settings = dataclasses.replace(self.trainer.settings, batch=size)

    def input_names(self) -> tuple[str, ...]:
        return self.dataset.input_names


def build(config, dataset, model=None) -> SequenceRun:
    if model is not None:
        raise ConfigError(f"a {config.kind} model cannot be loaded from a file yet")
    return SequenceRun(config, dataset)

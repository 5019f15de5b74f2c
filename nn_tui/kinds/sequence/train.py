"""Headless training of a character model: truncated BPTT, Adam, clipping.

Fluent stories: every window starts from a zero state at the start of a story
and holds several whole stories in a row (one answer per story is a sparse
signal; several per window give more of it per step). Two things make the
long gap learnable in the time there is (see bench/fluent_contrast.py):
  - a curriculum on the gap: the stories' gaps are drawn from 0..g, with g
    rising from 0 to the target gap over the first ``ramp`` share of the steps;
  - a weighted answer: the loss counts the language word's characters
    ``answer_weight`` times (test_loss stays unweighted);
and the learning rate decays over the last steps so the final model is a settled one.
A text file is read as ``batch`` parallel streams in windows of ``window``
characters, each window's state carried into the next (truncated BPTT).
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from nn_tui.data.text import FluentStories, TextCorpus
from nn_tui.engine import clip_grad_norm, make_optimizer
from nn_tui.kinds.sequence.metrics import fluent_metrics, text_metrics
from nn_tui.kinds.sequence.model import CharModel
from nn_tui.kinds.sequence.settings import SequenceSettings  # noqa: F401 (its home before: lessons, bench)


class FluentWindows:
    """Training batches of fluent stories, with the curriculum on the gap."""

    def __init__(self, stories, settings):
        self.stories, self.settings = stories, settings

    def gaps_at(self, step):
        """The gaps stories are drawn from at ``step``: 0..g, g growing to the
        target over the first ``ramp`` of training; without a ramp, the target only."""
        s = self.settings
        if s.ramp <= 0:
            return (s.gap,)
        return range(0, min(s.gap, int(s.gap * step / (s.ramp * s.steps))) + 1)

    def batch(self, rng, step):
        s = self.settings
        gaps = self.gaps_at(step)
        texts = [self.stories.window(rng, s.window, gaps) for _ in range(s.batch)]
        ids = np.stack([self.stories.vocab.encode(t) for t in texts])
        weights = np.ones((s.batch, s.window), dtype=np.float64)
        if s.answer_weight != 1.0:
            for row, text in enumerate(texts):
                weights[row, self.stories.answer_mask(text)[1:]] = s.answer_weight
        return ids, weights, True  # True: start from a zero state


class TextWindows:
    """Training batches from a text: parallel streams, state carried on."""

    def __init__(self, corpus, settings, rng):
        self.ids, self.settings = corpus.train_ids, settings
        span = len(self.ids) - settings.window - 1
        if span <= 0:
            raise ValueError("the text is shorter than one training window")
        self.offsets = rng.integers(0, span, size=settings.batch)

    def batch(self, rng, step):
        s = self.settings
        reset = False
        if (self.offsets + s.window + 1 > len(self.ids)).any():  # a stream ran out: start over
            self.offsets = rng.integers(0, len(self.ids) - s.window - 1, size=s.batch)
            reset = True
        ids = self.ids[self.offsets[:, None] + np.arange(s.window + 1)]
        self.offsets = self.offsets + s.window
        return ids, None, reset or step == 0

    def restart(self):
        """Start new streams at the next batch (the batch size changed): offsets past the
        end make ``batch`` draw ``settings.batch`` new ones and start from a zero state."""
        self.offsets = np.full(self.settings.batch, len(self.ids))


def build(settings, data=None):
    """The model and its data: ``data`` is a ``TextCorpus`` or None (fluent stories)."""
    if data is None:
        data = FluentStories(settings.gap)
    model = CharModel(data.vocab.size, cell=settings.cell, hidden=settings.hidden,
                      embed=settings.embed, seed=settings.seed, dtype=np.dtype(settings.dtype))
    return model, data


def evaluate(model, data):
    if isinstance(data, TextCorpus):
        return text_metrics(model, data)
    return fluent_metrics(model, data)


class SequenceTrainer:
    """One training run, a step at a time (the app's session drives it in slices;
    ``train`` runs it to the end). ``optimizer`` is any engine optimizer; Adam by default."""

    def __init__(self, settings, data=None, optimizer=None):
        self.settings = settings
        self.model, self.data = self.build(settings, data)
        self.rng = np.random.default_rng(settings.seed)
        if isinstance(self.data, TextCorpus):
            self.source = TextWindows(self.data, settings, self.rng)
        else:
            self.source = FluentWindows(self.data, settings)
        self.optimizer = make_optimizer("adam", lr=settings.lr) if optimizer is None else optimizer
        self.step = 0
        self.last_loss = None
        self.last_grad_norm = None
        self._state = None

    build = staticmethod(build)  # (settings, data) -> (model, data); another model kind's trainer swaps it

    @staticmethod
    def carried_state(model):
        """The state the next window of a text starts from (truncated BPTT)."""
        return model.cell.last_state

    def train_step(self):
        """One update on a fresh batch; returns its (weighted) training loss."""
        model = self.model
        ids, weights, reset = self.source.batch(self.rng, self.step)
        state = None if reset else self._state
        model.forward(ids[:, :-1], state)
        loss = model.loss_and_backward(ids[:, 1:], weights)
        if not math.isfinite(loss):
            raise FloatingPointError(f"the loss diverged at step {self.step}")
        if isinstance(self.source, TextWindows):  # truncated BPTT: the state carries on
            self._state = self.carried_state(model)
        self.last_grad_norm = clip_grad_norm([model.flat_grads], self.settings.clip)
        self.optimizer.lr = self.lr_at(self.step)
        self.optimizer.step(model)
        self.step += 1
        self.last_loss = loss
        return loss

    def lr_at(self, step):
        """The learning rate: constant, then falling linearly to 5 % over the last
        ``decay`` of the steps, so the final model is not caught mid-spike."""
        s = self.settings
        start = s.steps * (1.0 - s.decay)
        if s.decay <= 0 or step < start:
            return s.lr
        return s.lr * max(0.05, 1.0 - 0.95 * (step - start) / (s.steps - start))

    def evaluate(self):
        return evaluate(self.model, self.data)


def train(settings, data=None, log=None, trainer_class=SequenceTrainer):
    """Train for ``settings.steps`` steps; returns the final metrics plus
    ``seconds`` (wall), ``cpu_seconds`` (this process) and ``history``."""
    wall, cpu = time.perf_counter(), time.process_time()
    trainer = trainer_class(settings, data)
    history = []
    for _ in range(settings.steps):
        loss = trainer.train_step()
        if settings.eval_every and trainer.step % settings.eval_every == 0:
            history.append({"step": trainer.step, "train_loss": loss, **trainer.evaluate()})
            if log:
                log(history[-1])
    metrics = trainer.evaluate()
    return {**metrics, "seconds": time.perf_counter() - wall, "cpu_seconds": time.process_time() - cpu,
            "history": history, "model": trainer.model, "settings": dataclasses.asdict(settings)}

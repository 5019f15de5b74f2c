"""Headless training of the attention kind: the sequence kinds' trainer (fluent windows,
the optional curriculum and weighted answer, Adam, clipping by global norm, the learning
rate's decay) with a ``CharTransformer`` in place of the recurrent model.

A window is ``context`` characters: on fluent stories it starts at a story's start
(whole stories one after another, the last cut off); on a text file, parallel streams
as the sequence kinds read them, except that nothing carries from one window into the
next (a transformer sees only its window).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.data.text import FluentStories, TextCorpus
from nn_tui.engine.transformer import CharTransformer
from nn_tui.kinds.attention.metrics import answer_attention_on_country, window_metrics
from nn_tui.kinds.sequence import train as sequence_train
from nn_tui.kinds.sequence.metrics import fluent_metrics


@dataclass(frozen=True)
class AttentionSettings:
    cell: str = "attention"
    gap: int = 8
    d: int = 48
    # One block of 2 heads, batch 8, Adam 1e-2, answer weight 20 (bench/attention_vs_lstm.py, issue 21): the
    # look-up is one attention hop (the answer's position reads the country's letters), so
    # a second block and more heads only cost time; 8 windows a step find it in about as
    # many steps as 16 did, at half the CPU. (The old defaults, 2 blocks × 4 heads, batch
    # 16, 3e-3, answer weight 5: 38-53 s of CPU to completion 0.9 at gap 8.)
    heads: int = 2
    blocks: int = 1
    context: int = 256
    batch: int = 8
    steps: int = 640
    lr: float = 0.01
    clip: float = 5.0
    answer_weight: float = 20.0  # the language's letters count 20× in the loss: the look-up is found and settles sooner (10: seed 1 sat at 0.73)
    ramp: float = 0.0   # no curriculum: the look-up is found at the target gap itself (a ramp measured slower)
    decay: float = 0.4  # the last share of steps over which lr falls linearly to 5 %
    seed: int = 0
    dtype: str = "float32"
    eval_every: int = 0
    temperature: float = 0.6  # of the free sample on the screen

    @property
    def window(self) -> int:
        """Characters per training window: the whole context."""
        return self.context


def build(settings, data=None):
    """The model and its data: ``data`` is a ``TextCorpus`` or None (fluent stories)."""
    if data is None:
        data = FluentStories(settings.gap)
    model = CharTransformer(data.vocab.size, d=settings.d, heads=settings.heads, blocks=settings.blocks,
                            context=settings.context, seed=settings.seed, dtype=np.dtype(settings.dtype))
    return model, data


def evaluate(model, data):
    if isinstance(data, TextCorpus):
        return window_metrics(model, data)
    return {**fluent_metrics(model, data), **answer_attention_on_country(model, data)}


class AttentionTrainer(sequence_train.SequenceTrainer):
    build = staticmethod(build)

    @staticmethod
    def carried_state(model):
        return None  # every window starts afresh

    def evaluate(self):
        return evaluate(self.model, self.data)


def train(settings, data=None, log=None):
    """Train for ``settings.steps`` steps: the sequence kinds' ``train`` with this trainer."""
    return sequence_train.train(settings, data, log, trainer_class=AttentionTrainer)

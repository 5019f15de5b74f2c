"""Headless training of the attention kind: the sequence kinds' trainer (fluent windows,
the optional curriculum and weighted answer, Adam, clipping by global norm, the learning
rate's decay) with a ``CharTransformer`` in place of the recurrent model.

A window is ``context`` characters: on fluent stories it starts at a story's start
(whole stories one after another, the last cut off); on a text file, parallel streams
as the sequence kinds read them, except that nothing carries from one window into the
next (a transformer sees only its window).
"""

from __future__ import annotations

import numpy as np

from nn_tui.data.text import FluentStories, TextCorpus
from nn_tui.engine.transformer import CharTransformer
from nn_tui.kinds.attention.metrics import answer_attention_on_country, window_metrics
from nn_tui.kinds.attention.settings import AttentionSettings  # noqa: F401 (its home before: lessons, bench)
from nn_tui.kinds.sequence import train as sequence_train
from nn_tui.kinds.sequence.metrics import fluent_metrics


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

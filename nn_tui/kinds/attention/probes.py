"""What the attention model shows, through the sequence kinds' probes: the held-out
story with every head's attention (an ``AttentionView``: the T × T weights of each head
of each block), the five likeliest next characters, a free sample at the screen's
temperature (``t``/``T`` change it, ``nudge_temperature``), the gap chart.
"""

from __future__ import annotations

import numpy as np

from nn_tui.data.text import PROMPT
from nn_tui.kinds.attention.views import WEIGHT_LEVELS, AttentionView
from nn_tui.kinds.sequence import probes as sequence_probes

TEMPERATURES = (0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.5)  # the free sample's, on t / T


def asking_position(text: str) -> int:
    """The position that predicts the language's first letter (the space after the
    prompt); in a text that has no prompt, the last one."""
    at = text.find(PROMPT)
    return len(text) - 1 if at < 0 else min(len(text) - 1, at + len(PROMPT) - 1)


def attention_view(run) -> AttentionView:
    model, vocab = run.model, run.dataset.vocab
    text, count = sequence_probes.shown_text(run)
    text = text[:model.context]
    ids = vocab.encode(text).reshape(1, -1)
    with np.errstate(all="ignore"):
        probs = np.nan_to_num(model.forward(ids)[0])
        weights = np.stack([np.nan_to_num(w[0]) for w in model.attention()])  # (blocks, heads, T, T)
    top = np.argsort(-probs, axis=1, kind="stable")[:, :sequence_probes.TOP]
    return AttentionView(text=text, weights=np.rint(np.clip(weights, 0, 1) * WEIGHT_LEVELS).astype(np.uint8),
                         top_ids=top.astype(np.int16),
                         top_probs=np.take_along_axis(probs, top, axis=1).astype(np.float16),
                         chars=tuple(vocab.chars), asking=asking_position(text),
                         story=getattr(run, "shown_story", 0) % count, stories=count)


def temperature(run) -> float:
    """The free sample's temperature: the run's setting until t / T change it."""
    return float(getattr(run, "sample_temperature", run.settings.temperature))


def probes(run) -> tuple:
    return sequence_probes.probes(run, make_stream=attention_view, temperature=temperature(run))

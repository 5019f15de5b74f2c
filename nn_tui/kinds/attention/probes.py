"""What the attention model shows, through the sequence kinds' screen: the held-out story
coloured by where each head looks from the position that names the language, the five
likeliest next characters, a free sample at the run's temperature, the gap chart.

The stream's ``hidden`` (T, blocks·heads) is, per head (block-major), the attention
weight from the asking position onto every character: choosing a "unit" on the screen
chooses a head, and the story lights up where that head looks ("France").
"""

from __future__ import annotations

import numpy as np

from nn_tui.data.text import PROMPT
from nn_tui.kinds.sequence import probes as sequence_probes
from nn_tui.kinds.sequence.views import StreamView


def asking_position(text: str) -> int:
    """The position that predicts the language's first letter (the space after the
    prompt); in a text that has no prompt, the last one."""
    at = text.find(PROMPT)
    return len(text) - 1 if at < 0 else min(len(text) - 1, at + len(PROMPT) - 1)


def stream_view(run) -> StreamView:
    model, vocab = run.model, run.dataset.vocab
    text, count = sequence_probes.shown_text(run)
    text = text[:model.context]
    ids = vocab.encode(text).reshape(1, -1)
    with np.errstate(all="ignore"):
        probs = np.nan_to_num(model.forward(ids)[0])
        asking = asking_position(text)
        looked = np.concatenate([np.nan_to_num(weights[0, :, asking, :]) for weights in model.attention()])
    top = np.argsort(-probs, axis=1, kind="stable")[:, :sequence_probes.TOP]
    return StreamView(text=text, hidden=looked.T.astype(np.float16), cell=None, top_ids=top.astype(np.int16),
                      top_probs=np.take_along_axis(probs, top, axis=1).astype(np.float16),
                      chars=tuple(vocab.chars), cell_name="attention",
                      story=getattr(run, "shown_story", 0) % count, stories=count)


def probes(run) -> tuple:
    return sequence_probes.probes(run, make_stream=stream_view, temperature=run.settings.temperature)

"""Held-out numbers of the attention kind, beside the sequence kinds' (test_loss,
bits_per_char, completion_accuracy: nn_tui/kinds/sequence/metrics.py).

    answer_attention_on_country   where the model looks when it names the language: at the
        position that predicts the language's first letter (the space after "I speak
        fluent"), the share of the attention weights that lands on the country's letters;
        per story the largest share over the heads of every block, averaged over the
        held-out stories (issue 21's definition).
    answer_attention_one_head     the stricter reading: per head of every block the mean
        share over the stories, the largest of those means (one head that does the
        look-up for every story).
    answer_attention_on_country_and_stop   as answer_attention_on_country, with the full
        stop right after the country counted too: a 2-block model often looks there, at
        the position where its first block has already gathered the country's letters.
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data.text import SEPARATOR

COUNTRY_START = len("I live in ")
BATCH = 32  # stories per forward pass (the T×T maps of 160 stories at once are big)


def country_span(completion) -> tuple[int, int]:
    """[start, stop) of the country's letters in a fluent story."""
    return COUNTRY_START, completion.prompt.index(".")


def attention_on_country(model, stories, with_stop=False) -> np.ndarray:
    """(blocks, heads, stories): each story's attention share on its country's letters
    (and the full stop after them if ``with_stop``), from the position that predicts
    the language's first letter."""
    vocab = stories.vocab
    pad = int(vocab.encode(SEPARATOR)[0])
    shares = []
    for first in range(0, len(stories.test), BATCH):
        chunk = stories.test[first:first + BATCH]
        asking = np.array([len(c.prompt) - 1 for c in chunk])  # reads the last space, predicts the letter
        ids = np.full((len(chunk), int(asking.max()) + 1), pad, dtype=np.int64)
        for row, completion in enumerate(chunk):
            ids[row, :len(completion.prompt)] = vocab.encode(completion.prompt)
        model.forward(ids)
        country = np.zeros(ids.shape, dtype=bool)
        for row, completion in enumerate(chunk):
            start, stop = country_span(completion)
            country[row, start:stop + int(with_stop)] = True
        rows = np.arange(len(chunk))
        per_block = []
        for weights in model.attention():  # (N, heads, T, T)
            looked = weights[rows, :, asking, :]  # (N, heads, T)
            per_block.append((looked * country[:, None, :]).sum(axis=-1).T)  # (heads, N)
        shares.append(np.stack(per_block))
    return np.concatenate(shares, axis=2)


def answer_attention_on_country(model, stories) -> dict:
    """The three answer_attention_* numbers (see the module doc)."""
    shares = attention_on_country(model, stories)
    with_stop = attention_on_country(model, stories, with_stop=True)
    return {"answer_attention_on_country": float(shares.max(axis=(0, 1)).mean()),
            "answer_attention_one_head": float(shares.mean(axis=2).max()),
            "answer_attention_on_country_and_stop": float(with_stop.max(axis=(0, 1)).mean())}


def window_metrics(model, corpus, batch=16):
    """test_loss and bits_per_char on a text's held-out tail, read in windows of the
    model's context that carry nothing over (what the model sees in training)."""
    ids = corpus.test_ids
    width = min(model.context, len(ids) - 1)
    starts = np.arange(0, len(ids) - 1, width)
    full = starts[starts + width <= len(ids) - 1]
    total, count = 0.0, 0
    for first in range(0, len(full), batch):  # the full windows, a batch at a time
        rows = full[first:first + batch, None]
        total, count = _add(model, ids[rows + np.arange(width)], ids[rows + np.arange(1, width + 1)], total, count)
    if len(full) < len(starts):  # the shorter last window
        last = int(starts[-1])
        total, count = _add(model, ids[None, last:-1], ids[None, last + 1:], total, count)
    loss = total / count
    return {"test_loss": loss, "bits_per_char": loss / math.log(2)}


def _add(model, x, y, total, count):
    probs = model.forward(x)
    picked = np.take_along_axis(probs, y[..., None], axis=2)[..., 0]
    return total + float(-np.log(np.maximum(picked, 1e-300)).sum()), count + y.size

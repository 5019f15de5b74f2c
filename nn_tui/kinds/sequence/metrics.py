"""Held-out numbers for a character model.

    test_loss            mean cross-entropy per character (nats), unweighted
    bits_per_char        test_loss / ln 2
    completion_accuracy  share of held-out fluent stories whose language word the
                         model completes exactly, greedily, after "I speak fluent "

Greedy completion is read off one teacher-forced pass: the greedy continuation
is "<language>." exactly when the arg max at every one of those positions is
the true next character (each correct pick feeds the true character on).
"""

from __future__ import annotations

import math

import numpy as np

from nn_tui.data.text import SEPARATOR


def fluent_metrics(model, stories):
    """test_loss, bits_per_char and completion_accuracy on ``stories.test``."""
    loss, completed = _fluent_pass(model, stories)
    return {"test_loss": loss, "bits_per_char": loss / math.log(2),
            "completion_accuracy": float(completed.mean())}


def completed_stories(model, stories):
    """One bool per held-out story: is its language word completed exactly?"""
    return _fluent_pass(model, stories)[1]


def _fluent_pass(model, stories):
    vocab = stories.vocab
    texts = [c.story for c in stories.test]
    length = max(map(len, texts))
    pad = vocab.encode(SEPARATOR)[0]
    ids = np.full((len(texts), length), pad, dtype=np.int64)
    valid = np.zeros((len(texts), length - 1), dtype=bool)
    answer = np.zeros((len(texts), length - 1), dtype=bool)
    for row, (text, completion) in enumerate(zip(texts, stories.test)):
        ids[row, :len(text)] = vocab.encode(text)
        valid[row, :len(text) - 1] = True
        # positions predicting the answer's characters and its full stop
        start = len(completion.prompt) - 1
        answer[row, start:start + len(completion.answer) + 1] = True
    probs = model.forward(ids[:, :-1])
    targets = ids[:, 1:]
    picked = np.take_along_axis(probs, targets[..., None], axis=2)[..., 0]
    ce = -np.log(np.maximum(picked, 1e-300))
    loss = float(ce[valid].sum() / valid.sum())
    right = probs.argmax(axis=2) == targets
    return loss, np.where(answer, right, True).all(axis=1)


def text_metrics(model, corpus, window=256, batch=16):
    """test_loss and bits_per_char on a text's held-out tail, read in windows
    whose state carries on, as training reads the text."""
    ids = corpus.test_ids
    n_rows = min(batch, max(1, (len(ids) - 1) // window))
    per_row = (len(ids) - 1) // n_rows
    total, count = 0.0, 0
    state = None
    for start in range(0, per_row, window):
        stop = min(start + window, per_row)
        rows = np.arange(n_rows)[:, None] * per_row
        x = ids[rows + np.arange(start, stop)]
        y = ids[rows + np.arange(start + 1, stop + 1)]
        probs = model.forward(x, state)
        state = model.cell.last_state
        picked = np.take_along_axis(probs, y[..., None], axis=2)[..., 0]
        total += float(-np.log(np.maximum(picked, 1e-300)).sum())
        count += y.size
    loss = total / count
    return {"test_loss": loss, "bits_per_char": loss / math.log(2)}

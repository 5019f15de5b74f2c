"""What a character model shows: its state over a held-out text, the next characters
it expects, a free sample and the completion accuracy against the gap.

Run on the training side between steps (a forward pass overwrites the cell's caches,
which the next step rebuilds anyway). Views are kept on the run and remade only when
the model moved and enough time passed: a snapshot goes out ten times a second.
"""

from __future__ import annotations

import time

import numpy as np

from nn_tui.data.text import MAX_GAP, SEPARATOR, TextCorpus
from nn_tui.kinds.sequence.views import GapChartView, SampleView, StreamView

TOP = 5
STREAM_SECONDS = 2.0  # the state over the text: every 2 s (its map is most of the bytes sent)
SAMPLE_SECONDS = 3.0  # the free sample: a modest cadence (it costs a forward per character)
SAMPLE_LENGTH = 240
SAMPLE_TEMPERATURE = 0.6
TEXT_STREAM_LENGTH = 240  # characters of a held-out text file shown
# Completion accuracy at gaps 0 and 2, mean of seeds 0-2, bench/fluent_contrast_results.txt;
# attention at gap 8, seeds 0-2 (all 1.000), bench/attention_fluent_results.txt.
MEASURED = (("rnn", 0, 1.000), ("rnn", 2, 0.058), ("lstm", 0, 1.000), ("lstm", 2, 1.000),
            ("gru", 0, 1.000), ("gru", 2, 1.000), ("attention", 8, 1.000))
# (cell, gap) -> the last completion accuracy of a run of this session (the training
# process's; a run switched away from keeps its row).
SESSION_RESULTS: dict[tuple[str, int], float] = {}


def probes(run, make_stream=None, temperature=SAMPLE_TEMPERATURE) -> tuple:
    """``make_stream`` (run -> StreamView) and ``temperature`` let another character
    model (the attention kind) show its own stream and sample at its own temperature."""
    make_stream = make_stream or stream_view
    cache = run.__dict__.setdefault("_probe_cache", {})
    now = time.monotonic()
    step = run.step
    stream = cache.get("stream")
    if stream is None or (step != cache["stream_step"] and now - cache["stream_at"] >= STREAM_SECONDS) \
            or cache.get("story") != getattr(run, "shown_story", 0):
        stream = cache["stream"] = make_stream(run)
        cache.update(stream_step=step, stream_at=now, story=getattr(run, "shown_story", 0))
    sample = cache.get("sample")
    if sample is None or (step != sample.step and now - cache["sample_at"] >= SAMPLE_SECONDS):
        sample = cache["sample"] = sample_view(run, temperature)
        cache["sample_at"] = now
    views = [stream, sample, gap_chart_view(run)]
    completion = getattr(run, "completion", None)
    if completion is not None:
        views.append(completion)
    return tuple(views)


def shown_text(run) -> tuple[str, int]:
    """The held-out text shown, and how many there are to cycle through."""
    source = run.dataset.source
    if isinstance(source, TextCorpus):
        ids = source.test_ids[:TEXT_STREAM_LENGTH]
        return source.vocab.decode(ids), 1
    stories = source.test
    return stories[getattr(run, "shown_story", 0) % len(stories)].story, len(stories)


def stream_view(run) -> StreamView:
    model, vocab = run.model, run.dataset.vocab
    text, count = shown_text(run)
    ids = vocab.encode(text).reshape(1, -1)
    with np.errstate(all="ignore"):
        probs = np.nan_to_num(model.forward(ids)[0])
    hidden = np.nan_to_num(model.cell.output[0])
    cell = None
    if model.cell_name == "lstm":
        cell = np.tanh(np.nan_to_num(model.cell.cell[0]))
    top = np.argsort(-probs, axis=1, kind="stable")[:, :TOP]
    return StreamView(text=text, hidden=hidden.astype(np.float16), cell=None if cell is None else cell.astype(np.float16),
                      top_ids=top.astype(np.int16), top_probs=np.take_along_axis(probs, top, axis=1).astype(np.float16),
                      chars=tuple(vocab.chars), cell_name=model.cell_name,
                      story=getattr(run, "shown_story", 0) % count, stories=count)


def sample_view(run, temperature=SAMPLE_TEMPERATURE) -> SampleView:
    """A free sample, seeded by the step: the same model writes the same text."""
    model, vocab = run.model, run.dataset.vocab
    start = vocab.encode(SEPARATOR) if SEPARATOR in vocab else vocab.encode(vocab.chars[0])
    rng = np.random.default_rng(run.step)
    with np.errstate(all="ignore"):
        out = model.generate(start, SAMPLE_LENGTH, temperature=temperature, rng=rng)
    return SampleView(text=vocab.decode(out), step=run.step, temperature=temperature)


def gap_chart_view(run) -> GapChartView:
    scores = getattr(run, "last_scores", None) or {}
    settings = run.settings
    if "completion_accuracy" in scores and run.step > 0:
        SESSION_RESULTS[(settings.cell, settings.gap)] = float(scores["completion_accuracy"])
    rows = tuple((cell, gap, acc) for (cell, gap), acc in sorted(SESSION_RESULTS.items()))
    return GapChartView(measured=MEASURED, session=rows, max_gap=MAX_GAP, current=(settings.cell, settings.gap))

"""What the user can ask of a character model from its screen: {name: fn(session, *args)}."""

from __future__ import annotations

import dataclasses

from nn_tui.settings import ConfigError
from nn_tui.data.text import MAX_GAP, SEPARATOR
from nn_tui.kinds.sequence.views import CompletionView

CELLS = ("rnn", "lstm", "gru")
MAX_PROMPT = 400
COMPLETION_LENGTH = 60


def complete(session, prompt: str) -> None:
    """Greedy completion of ``prompt``, up to the end of its sentence; shown in a view."""
    run = session.training_run
    vocab = run.dataset.vocab
    prompt = str(prompt)[-MAX_PROMPT:]
    unknown = sorted({ch for ch in prompt if ch not in vocab})
    if unknown:
        raise ConfigError(f"the model knows no {' '.join(map(repr, unknown))}: type only characters of its text")
    if not prompt:
        raise ConfigError("type a prompt first, like: I live in Spain. I speak fluent ")
    stop = {int(vocab.encode(ch)[0]) for ch in (".", SEPARATOR) if ch in vocab}
    out = run.model.generate(vocab.encode(prompt), COMPLETION_LENGTH, temperature=0.0, stop=stop)
    run.completion = CompletionView(prompt=prompt, completion=vocab.decode(out), step=run.step)


def show_story(session, delta: int) -> None:
    """Show another held-out story in the stream."""
    run = session.training_run
    run.shown_story = getattr(run, "shown_story", 0) + int(delta)


def _flat_settings(config, **changes) -> dict:
    """The config as flat settings (what `use_run` takes), with ``changes``."""
    flat = {f.name: getattr(config.data, f.name) for f in dataclasses.fields(config.data)}
    flat.update({f.name: getattr(config.train, f.name) for f in dataclasses.fields(config.train)})
    flat.update({f.name: getattr(config.model, f.name) for f in dataclasses.fields(config.model) if f.name != "kind"})
    flat["model"] = config.kind
    flat.update(changes)
    return flat


def switch_cell(session, delta: int = 1) -> None:
    """A new run with the next cell (rnn -> lstm -> gru), every other setting kept:
    the session's `use_run`, which may change the model kind."""
    current = session.config.kind
    cell = CELLS[(CELLS.index(current) + int(delta)) % len(CELLS)] if current in CELLS else "lstm"
    session.keep_playing(lambda: session.use_run(_flat_settings(session.config, model=cell)))


def nudge_gap(session, delta: int) -> None:
    gap = session.config.model.gap + int(delta)
    if not 0 <= gap <= MAX_GAP:
        raise ConfigError(f"the gap goes from 0 to {MAX_GAP} filler sentences")
    session.keep_playing(lambda: session.reload(gap=gap))  # the held-out stories are the gap's


COMMANDS = {"complete": complete, "show_story": show_story, "switch_cell": switch_cell, "nudge_gap": nudge_gap}
KEEPS_SCORES = frozenset({"complete", "show_story"})  # they show; the others are new runs

"""What the sequence kinds' screen shows, frozen (see nn_tui/views.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nn_tui.views import View


@dataclass(frozen=True, eq=False)
class StreamView(View):
    """One held-out text as the model reads it: ``hidden`` (T, H) is the state after each
    character (``cell`` the LSTM's tanh(cell state), else None); ``top_ids``/``top_probs``
    (T, 5) the five likeliest next characters after each one; ``chars`` the vocabulary."""

    text: str
    hidden: np.ndarray
    cell: np.ndarray | None
    top_ids: np.ndarray
    top_probs: np.ndarray
    chars: tuple[str, ...]
    cell_name: str
    story: int = 0  # which held-out story (cycled by a key)
    stories: int = 1


@dataclass(frozen=True, eq=False)
class SampleView(View):
    """A text the model wrote freely (sampled at ``temperature``) at training step ``step``."""

    text: str
    step: int
    temperature: float


@dataclass(frozen=True, eq=False)
class CompletionView(View):
    """The greedy completion of a prompt the user typed, made at training step ``step``."""

    prompt: str
    completion: str
    step: int


@dataclass(frozen=True, eq=False)
class GapChartView(View):
    """Completion accuracy against the gap: ``measured`` rows (cell, gap, accuracy) from the
    kind's bench table, ``session`` rows from the runs trained in this session."""

    measured: tuple
    session: tuple
    max_gap: int
    current: tuple  # (cell, gap) of the run shown

"""Lesson 10: recurrent networks: "I live in France. ... I speak fluent ___".

The kinds' measured defaults (bench/fluent_contrast.py: 1,600 steps of 32
windows, 25-50 CPU s a run) are too slow for --verify, so the claims use half
the run of the same kinds: 800 steps of 32 windows, everything else the default
(about 60 CPU s for the four runs). Measured at gap 2 (one process, shared
machine): seed 0 LSTM 0.994, GRU 1.000, plain RNN 0.056; seed 1 LSTM 0.925
(chance: one country in 16). 800 steps of 16 windows was cheaper but too
little for the LSTM on seed 1 (0.631).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from nn_tui.data.text import FluentStories
from nn_tui.kinds.sequence.train import SequenceSettings, train
from nn_tui.lessons.lesson import READ_ONLY, ClaimResult, Lesson, Step, at_least, equals, grew_by, one_of

SHORT = {"batch": 32, "steps": 800}  # the smaller verified setting
RUN = {"dataset": "fluent", "batch_size": 32, "epochs": 50, "seed": 0}  # the same as options of nn-tui train
GAP = 2  # filler sentences between the country and the blank
KEEPS = 0.8  # LSTM and GRU complete at least this share of held-out stories
LOSES = 0.3  # the plain RNN at most this share


@lru_cache(maxsize=8)
def trained(cell: str, gap: int = GAP, seed: int = 0, steps: int = SHORT["steps"], batch: int = SHORT["batch"]):
    """The kind's own training (nn_tui.kinds.sequence.train) at the short setting: metrics and model."""
    return train(dataclasses.replace(SequenceSettings(), cell=cell, gap=gap, seed=seed, steps=steps, batch=batch))


def keeps_the_country(seed: int = 0, gap: int = GAP, steps: int = SHORT["steps"], batch: int = SHORT["batch"],
                      keeps: float = KEEPS, loses: float = LOSES):
    value = {cell: trained(cell, gap, seed, steps, batch)["completion_accuracy"] for cell in ("lstm", "gru", "rnn")}
    return ClaimResult(f"with {gap} filler sentences between 'I live in <country>.' and 'I speak fluent ___', the "
                       f"LSTM and the GRU complete the language on at least {keeps:g} of the held-out stories and "
                       f"the plain RNN on at most {loses:g} (chance 1/16; a shorter run than the kinds' defaults: "
                       f"{steps} steps of {batch} windows)", value,
                       value["lstm"] >= keeps and value["gru"] >= keeps and value["rnn"] <= loses)


def rnn_without_gap(seed: int = 0, steps: int = SHORT["steps"], batch: int = SHORT["batch"], keeps: float = KEEPS):
    value = trained("rnn", 0, seed, steps, batch)["completion_accuracy"]
    return ClaimResult(f"with no filler sentence the plain RNN completes it too: at least {keeps:g} of the held-out "
                       f"stories ({steps} steps of {batch} windows)", value, value >= keeps)


def hidden_states(model, text: str) -> np.ndarray:
    """The recurrent layer's hidden state after each character of ``text``: (len(text), hidden)."""
    ids = np.asarray(FluentStories(0).vocab.encode(text), dtype=np.int64).reshape(1, -1)
    return model.cell.forward(model.embedding.forward(ids))[0].copy()


LESSON = Lesson(
    name="rnn",
    title="Recurrent networks: keeping context",
    summary="'I live in France. I speak fluent ___': a plain RNN against an LSTM and a GRU as the gap grows.",
    steps=(
        Step("'I live in France. I speak fluent ___.' To fill the blank a network must still know 'France' when it "
             "gets there. A recurrent network (Elman's simple recurrent network, 1990) reads one character at a time and carries a hidden state from each "
             "to the next: its only memory. Press Space to train a plain RNN on stories with nothing in between.",
             grew_by("step", 200), keys=("space",)),
        Step("The story is coloured by one hidden unit (up/down picks another); the picture under it is every "
             "unit after every character. Train until the RNN completes the language on 80 % of the stories it "
             "has never seen.", equals("run", "rnn_no_gap") & at_least("completion_accuracy", KEEPS), keys=("space",)),
        Step("Press 2: the same plain RNN, but two filler sentences now sit between the country and the blank. "
             "Train it. Its state is rewritten at every character and 'France' fades (the gradient that would "
             "keep it vanishes on the way back: Hochreiter 1991, Bengio et al. 1994): it ends up guessing one "
             "language for all (about 1 in 16 right).",
             equals("run", "rnn") & grew_by("step", 600), keys=("2", "space")),
        Step("Press 3 for an LSTM (Hochreiter and Schmidhuber, 1997) on the same stories. It adds a cell state that gates decide to keep, write or "
             "forget. Train it until it completes 80 % of them.",
             one_of("run", "lstm", "gru") & at_least("completion_accuracy", KEEPS), keys=("3", "space")),
        Step("Follow the hidden state across the fillers (left/right moves the cursor): some units hold still "
             "from the country to the blank. That held value is the 'France' the plain RNN lost. Press 4 for a "
             "GRU (Cho et al., 2014), which does the same with one update gate: it starts untrained, so Space to "
             "train it.", READ_ONLY, keys=("4", "space", "enter")),
        Step("The chart keeps each run's completion at its gap, next to the measured ones. ] and [ widen or "
             "narrow the gap (a new run of the same cell): train each and see where the plain RNN lets go "
             "and how far the gated cells hold. i asks the run shown a sentence of your own.",
             READ_ONLY, keys=("]", "[", "i", "enter")),
    ),
    claims=(keeps_the_country, rnn_without_gap),
    setup={"runs": {
        "rnn_no_gap": {"model": "rnn", "gap": 0, **RUN, "key": "1", "label": "plain RNN, no gap"},
        "rnn": {"model": "rnn", "gap": GAP, **RUN, "key": "2", "label": f"plain RNN, gap {GAP}"},
        "lstm": {"model": "lstm", "gap": GAP, **RUN, "key": "3", "label": f"LSTM, gap {GAP}"},
        "gru": {"model": "gru", "gap": GAP, **RUN, "key": "4", "label": f"GRU, gap {GAP}"},
    }, "start": "rnn_no_gap"},
    panes=("stream", "state", "completion", "gaps", "loss"),  # the sequence kinds' LAYOUT ids
    left_panes=("completion",),
    small_screen_leaves_out=("loss",),  # five panes in 24 rows: the loss is in the status line
    keys={"space": "play_pause", "r": "reset_weights", "up": "unit_up", "down": "unit_down",
          "left": "cursor_left", "right": "cursor_right", "n": "next_story", "i": "type_prompt",
          "]": "gap_up", "[": "gap_down", "enter": "next_step"},
)

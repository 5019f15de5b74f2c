"""Lesson 10 (rnn): listed now, filled when the recurrent kinds land on main. No steps, no claims yet."""

from __future__ import annotations

from nn_tui.lessons.lesson import Lesson

RNN = Lesson(name="rnn", title="Recurrent networks: keeping context",
             summary="'I live in France. I speak fluent ___': a plain RNN against an LSTM and a GRU as the gap grows.",
             available=False, needs="rnn")

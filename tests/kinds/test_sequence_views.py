"""The sequence kinds' views and screen commands, through a Session (no thread)."""

import numpy as np
import pytest

from nn_tui.config import RunConfig
from nn_tui.kinds.sequence.views import CompletionView, GapChartView, SampleView, StreamView
from nn_tui.session import Session


@pytest.fixture
def session():
    return Session(RunConfig.of(model="lstm", dataset="fluent", layers=(8,), embed=4, batch_size=4, window=32))


def test_the_snapshot_carries_the_state_over_a_held_out_story(session):
    snap = session.snapshot
    stream = snap.view(StreamView)
    assert stream.hidden.shape == (len(stream.text), 8) and stream.cell.shape == stream.hidden.shape
    assert stream.top_ids.shape == (len(stream.text), 5)
    assert np.all(np.diff(stream.top_probs.astype(float), axis=1) <= 0)  # likeliest first
    assert stream.text.startswith("I live in ") and not stream.hidden.flags.writeable
    assert isinstance(snap.view(SampleView).text, str) and snap.view(GapChartView).current == ("lstm", 2)
    assert "train_loss" in snap.history.series and "completion_accuracy" in snap.metrics


def test_complete_answers_greedily_in_a_view_and_refuses_unknown_characters(session):
    session.send("complete", "I live in Spain. I speak fluent ")
    session.apply_commands()
    view = session.snapshot.view(CompletionView)
    assert view.prompt == "I live in Spain. I speak fluent " and 0 < len(view.completion) <= 60
    session.send("complete", "I live in Spain. I speak fluent ")
    session.apply_commands()
    assert session.snapshot.view(CompletionView).completion == view.completion  # greedy: the same answer
    session.send("complete", "Ich wohne in München")
    session.apply_commands()
    while not session.notices.empty():
        last = session.notices.get_nowait().text
    assert "knows no" in last


def test_switching_the_cell_keeps_the_settings_and_the_state_of_play(session):
    session.send("play")
    session.send("switch_cell", 1)
    session.apply_commands()
    assert session.kind.name == "gru" and session.config.model.layers == (8,) and session.config.train.batch_size == 4
    assert session.snapshot.status == "training" and session.snapshot.view(StreamView).cell is None
    session.send("switch_cell", 1)
    session.apply_commands()
    assert session.kind.name == "rnn"


def test_the_gap_key_loads_the_stories_of_the_new_gap(session):
    session.send("nudge_gap", -2)
    session.apply_commands()
    assert session.config.model.gap == 0 and session.dataset.source.gap == 0
    assert session.snapshot.view(GapChartView).current == ("lstm", 0)
    session.send("nudge_gap", -1)  # below 0: refused, the run stays
    session.apply_commands()
    assert session.config.model.gap == 0


def test_show_story_cycles_the_held_out_stories(session):
    first = session.snapshot.view(StreamView).text
    session.send("show_story", 1)
    session.apply_commands()
    view = session.snapshot.view(StreamView)
    assert view.story == 1 and view.text != first

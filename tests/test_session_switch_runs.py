"""Switching runs (a lesson's run keys, use_run): the run shown trains on the data its
own settings describe, whichever run was shown before."""

from nn_tui.kinds.sequence.views import StreamView
from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for, run_settings
from nn_tui.session import Session

RNN = LESSONS["rnn"]


def stream(session):
    return session.snapshot.view(StreamView)


def switch(session, run):
    session.send("use_run", run_settings(RNN, run))
    session.apply_commands()


def fresh(run):
    return Session(config_for(RNN, run))


def test_the_gap_run_after_the_no_gap_run_shows_the_gap_runs_stories():
    session = fresh("rnn_no_gap")
    assert stream(session).stories == fresh("rnn_no_gap").snapshot.view(StreamView).stories
    switch(session, "rnn")  # "2" in the lesson: same data set, seed and kind; another gap
    expected = stream(fresh("rnn"))
    assert session.dataset.source.gap == 2
    assert (stream(session).stories, stream(session).text) == (expected.stories, expected.text)
    switch(session, "rnn_no_gap")  # and back again
    assert session.dataset.source.gap == 0 and stream(session).stories == stream(fresh("rnn_no_gap")).stories


def test_switching_back_and_forth_says_a_data_sets_notes_once():
    session = fresh("rnn")
    while not session.notices.empty():
        session.notices.get_nowait()
    switch(session, "lstm")  # the same stories: nothing new to say
    assert session.notices.empty()
    switch(session, "rnn_no_gap")  # other stories: their note
    notes = []
    while not session.notices.empty():
        notes.append(session.notices.get_nowait().text)
    assert any(note.startswith("gap 0") for note in notes)

"""After a command changes the model (a hand edit, a cut link, pruning, new data), the
next snapshot's metrics are those of the model as it now is, not of the model before."""

from nn_tui.lessons import LESSONS
from nn_tui.lessons.runs import config_for
from nn_tui.session import Session


def apply(session, command, *args):
    session.send(command, *args)
    session.apply_commands()
    return session.snapshot.metrics


def fresh_scores(session):
    return session.training_run.scores()


def test_perceptron_hand_edits_are_scored_before_the_next_snapshot():
    session = Session(config_for(LESSONS["perceptron"]))  # AND, from its starting weights
    before = dict(session.snapshot.metrics)
    # AND by hand: w1 = w2 = 1, threshold 1.5: every row of the truth table right.
    apply(session, "set_weight", 0, 0, 0, 1.0)
    apply(session, "set_weight", 0, 1, 0, 1.0)
    metrics = apply(session, "set_bias", 0, 0, -1.5)
    assert metrics == fresh_scores(session)
    assert metrics["train_accuracy"] == 1.0 and metrics != before


def test_pruning_in_the_sparse_lesson_is_scored_before_the_next_snapshot():
    session = Session(config_for(LESSONS["sparse"]))
    for _ in range(3):
        apply(session, "step")
    seen = [session.snapshot.metrics["test_accuracy"]]
    metrics = apply(session, "cut_weakest_link", 0, 3)
    assert metrics == fresh_scores(session)
    for _ in range(4):  # the lesson's key halves the links left: 2,368 → 1,184 → 592 → 296 → 148
        metrics = apply(session, "prune_smallest", 0.5)
        assert metrics == fresh_scores(session)
        seen.append(metrics["test_accuracy"])
    assert len(set(seen)) > 1, seen  # pruning that far costs accuracy: the scores moved


def test_commands_that_only_change_what_is_shown_are_not_scored_again():
    session = Session(config_for(LESSONS["cnn"]))
    run, calls = session.training_run, []
    score = run.scores
    run.scores = lambda: calls.append(1) or score()
    apply(session, "shift_sample", 1)  # another test digit on the screen: nothing to score
    assert calls == []
    apply(session, "lr_up")  # a setting that keeps the weights
    assert calls == []

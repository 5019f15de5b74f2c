"""Checks, the step tracker and claim results: the parts every lesson is made of."""

import math

import numpy as np
import pytest

from nn_tui.lessons import LESSONS, StepTracker
from nn_tui.lessons.lesson import (
    READ_ONLY, ClaimResult, Lesson, Step, any_changed, at_least, at_most, changed, epochs_trained, equals,
)


def test_threshold_checks_read_named_numbers_and_never_raise():
    check = at_least("test_accuracy", 0.95)
    assert check({"test_accuracy": 0.95}) and not check({"test_accuracy": 0.949})
    assert not check({})  # not there yet
    assert not check({"test_accuracy": None}) and not check({"test_accuracy": "high"})
    assert not check({"test_accuracy": math.nan}) and not check({"test_accuracy": True})
    assert at_most("train_loss", 0.1)({"train_loss": 0.05}) and not at_most("train_loss", 0.1)({"train_loss": 0.2})
    assert check.reads == ("test_accuracy",)


def test_checks_relative_to_the_start_of_the_step():
    assert epochs_trained(10)({"epoch": 15}, {"epoch": 5})
    assert not epochs_trained(10)({"epoch": 14}, {"epoch": 5})
    assert changed("w1")({"w1": 0.6}, {"w1": 0.5}) and not changed("w1")({"w1": 0.5}, {"w1": 0.5})
    assert any_changed("w1", "w2")({"w1": 1, "w2": 3}, {"w1": 1, "w2": 2})
    assert not changed("w1")({"w1": 0.5})  # without a start, the start is now


def test_checks_combine_and_report_what_they_read():
    both = equals("gate", "and") & equals("truth_table_correct", 4)
    assert both({"gate": "and", "truth_table_correct": 4})
    assert not both({"gate": "or", "truth_table_correct": 4})
    either = equals("gate", "and") | at_least("epoch", 3)
    assert either({"gate": "or", "epoch": 3}) and not either({"gate": "or", "epoch": 2})
    assert both.reads == ("gate", "truth_table_correct")
    assert not READ_ONLY({"anything": 1})


def _toy_lesson():
    return Lesson("toy", "Toy", "a toy", steps=(
        Step("train", epochs_trained(5)),
        Step("reach 90 %", at_least("test_accuracy", 0.9)),
        Step("read this", READ_ONLY),
        Step("change w1", changed("w1")),
    ))


def test_a_holding_tracker_stops_at_a_goal_reached_while_training_until_next():
    tracker = StepTracker(_toy_lesson(), {"epoch": 0, "test_accuracy": 0.5, "w1": 0.0}, hold=True)
    assert tracker.update({"epoch": 5, "test_accuracy": 0.5, "w1": 0.0}, training=True) == 0
    assert tracker.index == 0 and tracker.reached and not tracker.met_at_start
    # Held: still there when the run is paused, and when the next step's goal is met too.
    assert tracker.update({"epoch": 9, "test_accuracy": 0.95, "w1": 0.0}) == 0 and tracker.index == 0
    tracker.next()
    # Step 2's goal (90 %) is met as it begins: held, and it says so, not passed unseen.
    assert tracker.update({"epoch": 9, "test_accuracy": 0.95, "w1": 0.0}) == 0
    assert tracker.index == 1 and tracker.reached and tracker.met_at_start
    tracker.next()
    assert tracker.index == 2 and not tracker.reached


def test_a_holding_tracker_still_moves_on_by_itself_for_a_goal_met_by_a_key_while_paused():
    tracker = StepTracker(_toy_lesson(), {"epoch": 0, "test_accuracy": 0.5, "w1": 0.0}, hold=True)
    tracker.update({"epoch": 0, "test_accuracy": 0.5, "w1": 0.0})
    tracker.next(), tracker.next()
    tracker.next()  # step 4: change w1
    tracker.update({"epoch": 0, "test_accuracy": 0.5, "w1": 0.0})
    assert tracker.update({"epoch": 0, "test_accuracy": 0.5, "w1": 1.0}) == 1 and tracker.finished


def test_the_tracker_moves_on_when_a_step_is_done_and_not_before():
    tracker = StepTracker(_toy_lesson(), {"epoch": 0, "test_accuracy": 0.5, "w1": 0.0})
    assert tracker.update({"epoch": 4, "test_accuracy": 0.5, "w1": 0.0}) == 0 and tracker.index == 0
    assert tracker.update({"epoch": 5, "test_accuracy": 0.5, "w1": 0.0}) == 1 and tracker.index == 1
    assert tracker.update({"epoch": 9, "test_accuracy": 0.95, "w1": 0.0}) == 1 and tracker.index == 2
    assert tracker.update({"epoch": 30, "test_accuracy": 0.99, "w1": 5.0}) == 0  # read-only: waits for next()
    tracker.next()
    # The new step starts from what the progress is now, so w1 = 5 is not a change.
    assert tracker.update({"epoch": 31, "test_accuracy": 0.99, "w1": 5.0}) == 0
    assert tracker.update({"epoch": 31, "test_accuracy": 0.99, "w1": 4.0}) == 1
    assert tracker.finished and tracker.step is None
    tracker.next()  # past the end: stays finished
    assert tracker.finished


def test_steps_already_done_are_passed_at_once_but_relative_steps_are_not():
    tracker = StepTracker(_toy_lesson(), {"epoch": 0})
    # Five epochs and 95 % arrive in one update: both steps are done.
    assert tracker.update({"epoch": 5, "test_accuracy": 0.95}) == 2 and tracker.index == 2


def test_back_returns_to_the_previous_step_and_restarts_it():
    tracker = StepTracker(_toy_lesson(), {"epoch": 0})
    tracker.update({"epoch": 5})
    tracker.back()
    assert tracker.index == 0
    assert tracker.update({"epoch": 9}) == 0  # five more epochs from 5, not from 0
    assert tracker.update({"epoch": 10}) == 1
    tracker.back(), tracker.back()
    assert tracker.index == 0


def test_claim_results_are_plain_json():
    result = ClaimResult("c", {"a": np.float64(0.5), "b": np.int64(3), "c": None, "d": math.inf}, np.bool_(True))
    assert result.as_json() == {"claim": "c", "value": {"a": 0.5, "b": 3, "c": None, "d": None}, "holds": True}
    assert type(result.as_json()["value"]["a"]) is float
    with pytest.raises(TypeError):
        ClaimResult("c", object(), True).as_json()


@pytest.mark.parametrize("name", list(LESSONS))
def test_every_lesson_is_complete(name):
    lesson = LESSONS[name]
    assert lesson.title and lesson.summary and "\n" not in lesson.summary
    assert lesson.steps and lesson.claims and lesson.panes and lesson.keys and lesson.setup
    for step in lesson.steps:
        assert step.text.strip()
    # That every key a step names is bound on the lesson's screen: tests/app/test_controls_table.py


def test_a_reset_epoch_counter_restarts_the_count_instead_of_blocking_the_step():
    lesson = Lesson("toy", "Toy", "a toy", steps=(Step("train 20 epochs", epochs_trained(20)),))
    tracker = StepTracker(lesson, {"epoch": 80})
    assert tracker.update({"epoch": 0}) == 0  # new weights: the counter starts again
    assert tracker.update({"epoch": 19}) == 0
    assert tracker.update({"epoch": 20}) == 1


def test_progress_comes_from_the_snapshot_header_plus_what_the_lesson_adds():
    from types import SimpleNamespace

    from nn_tui.lessons.progress import progress_from_snapshot

    snapshot = SimpleNamespace(epoch=12, step=300, status="training", kind="mlp",
                               metrics={"test_accuracy": 0.97, "train_loss": 0.1},
                               settings={"lr": 0.03, "reg": "none"}, views=())
    progress = progress_from_snapshot(snapshot, {"phase": 3})
    assert progress == {"epoch": 12, "step": 300, "status": "training", "kind": "mlp", "test_accuracy": 0.97,
                        "train_loss": 0.1, "lr": 0.03, "reg": "none", "phase": 3}
    assert LESSONS["digits"].steps[2].done(progress)


def test_a_holding_tracker_holds_a_goal_met_by_a_key_while_paused_on_a_step_held_at_its_goal():
    lesson = Lesson("toy", "Toy", "a toy", steps=(
        Step("change w1, then look at what it shows", changed("w1"), held_at_goal=True),
        Step("read this", READ_ONLY),
    ))
    tracker = StepTracker(lesson, {"epoch": 0, "w1": 0.0}, hold=True)
    assert tracker.update({"epoch": 0, "w1": 1.0}) == 0  # paused: not training
    assert tracker.index == 0 and tracker.reached and not tracker.met_at_start and not tracker.reached_training
    tracker.next()
    assert tracker.index == 1 and not tracker.reached

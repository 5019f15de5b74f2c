"""The perceptron lesson: its steps, and claims that fail when they should."""

from nn_tui.lessons import perceptron
from nn_tui.lessons.gates import gate_dataset, hand_set_perceptron, rows_right, train_perceptron
from lesson_walk import walk

START = {"w1": 0.2, "w2": -0.3, "threshold": 0.0, "gate": "and", "truth_table_correct": 2, "epoch": 0,
         "train_accuracy": 0.5, "status": "paused", "set_by_hand": False}


def test_steps_follow_the_user_from_hand_tuning_to_the_rule():
    seen = walk(perceptron.LESSON, START, [
        {"status": "training", "w1": 0.4},      # training moved a weight: not by hand
        {"w1": 0.3, "set_by_hand": True},       # a weight moved by hand: step 2 (AND by hand)
        {"w1": 1.0, "w2": 1.0},                 # not yet right
        {"threshold": 1.5, "truth_table_correct": 4, "set_by_hand": False},  # training found AND, not the user
        {"set_by_hand": True},                  # AND by hand: step 3
        {"gate": "or", "truth_table_correct": 3},      # OR, not yet right
        {"threshold": 0.5, "truth_table_correct": 4},  # OR by hand: step 4
        {"train_accuracy": 1.0},                # already right, but no training yet
        {"epoch": 1, "train_accuracy": 0.75},
        {"epoch": 3, "train_accuracy": 1.0},    # the rule found it: the last, read-only step
        "next",
    ])
    assert seen == [0, 1, 1, 1, 2, 2, 3, 3, 3, 4, 5]


def test_one_nudge_on_weights_training_found_does_not_count_as_tuning_and_by_hand():
    trained = {**START, "w1": 0.0, "w2": 0.2, "threshold": 0.2, "truth_table_correct": 4, "epoch": 40}
    seen = walk(perceptron.LESSON, trained, [
        {"w1": 0.1, "set_by_hand": True},   # by hand, and AND is right: only the first step
        {"w1": 0.2},                        # a second nudge that keeps AND right: now tuned by hand
    ])
    assert seen == [1, 2]


def test_hand_set_weights_compute_and_and_or_and_wrong_ones_do_not():
    assert perceptron.hand_set_weights().holds
    assert rows_right(hand_set_perceptron(1, 1, 1.5), "and") == 4
    assert not perceptron.hand_set_weights(and_threshold=0.5).holds  # that is OR, not AND
    assert not perceptron.hand_set_weights(or_threshold=2.5).holds  # nothing fires


def test_learning_claims_fail_on_too_small_a_budget():
    assert perceptron.learns_gate("and").holds
    # From seed 0 the rule needs more than one epoch on AND.
    _, mistakes, _ = train_perceptron("and", 100)
    assert len(mistakes) > 1
    assert not perceptron.learns_gate("and", epochs=1).holds
    assert not perceptron.learns_gate("xor").holds  # no line does XOR
    assert not perceptron.rule_beats_guessing(epochs=1).holds


def test_truth_tables_as_a_data_set():
    data = gate_dataset("xor")
    assert data.X_train.shape == (4, 2) and data.y_train[:, 0].tolist() == [0, 1, 1, 0]


def test_a_playground_network_of_six_inputs_neither_crashes_the_truth_table_nor_the_steps():
    # Opened from the playground, the first frames still show its run: with six input
    # features, INPUTS (4, 2) @ weights (6,) raised ValueError in the truth table and in the
    # steps' progress (only Key/Index/Attribute/TypeError were read as "not there yet").
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.lessons import LESSONS
    from nn_tui.lessons.perceptron.screen import draw_truth_table
    from nn_tui.lessons.screen_values import LessonState, lesson_values
    from nn_tui.views import NetworkView

    view = SimpleNamespace(weights=[np.zeros((6, 4)), np.zeros((4, 1))], biases=[np.zeros(4), np.zeros(1)])
    snapshot = SimpleNamespace(dataset="and", view=lambda kind: view if kind is NetworkView else None)
    shown = []
    widget = SimpleNamespace(border_title="", show=lambda make: shown.append(str(make(40))))
    draw_truth_table(widget, snapshot, view, None)
    assert "on its way" in shown[-1]
    lesson = LESSONS["perceptron"]
    values = lesson_values(lesson, snapshot, LessonState(lesson))
    assert "truth_table_correct" not in values

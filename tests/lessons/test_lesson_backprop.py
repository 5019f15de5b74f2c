"""The backprop lesson: the hand-worked numbers, and a claim that catches a wrong one."""

import dataclasses

import pytest

from nn_tui.lessons import backprop
from lesson_walk import walk


def test_steps_follow_the_phases_forward():
    seen = walk(backprop.LESSON, {"phase": 0, "epoch": 0, "train_accuracy": 0.5}, [
        {"phase": 1}, {"phase": 2},   # forward pass
        {"phase": 3},                 # error
        {"phase": 4},                 # output delta
        {"phase": 3},                 # back one: nothing moves
        {"phase": 5},                 # hidden deltas
        {"phase": 6}, {"phase": 7},   # gradients, update
        {"epoch": 300, "train_accuracy": 0.75}, {"epoch": 900, "train_accuracy": 1.0},
    ])
    assert seen == [0, 1, 2, 3, 3, 4, 4, 5, 5, 6]


def test_the_walkthrough_has_seven_phases_with_readable_numbers():
    phases = backprop.walkthrough()
    assert backprop.PHASES == ("forward: hidden layer", "forward: output", "error at the output", "output delta",
                               "hidden deltas", "gradients", "update")
    values = {name: value for phase in phases for name, value in phase.values.items()}
    assert values["z1"] == pytest.approx(0.6) and values["z2"] == pytest.approx(-0.6)
    # x2 = 0 carries nothing, so its weights get no gradient.
    assert values["dE/dw21"] == 0.0 and values["dE/dw22"] == 0.0
    assert values["w21"] == 0.3


def _forgets_the_hidden_slope(**kwargs):
    """A classic mistake: hidden deltas without the sigmoid's slope h(1 − h)."""
    phases = backprop.walkthrough(**kwargs)
    out = {name: value for phase in phases for name, value in phase.values.items()}
    wrong = []
    for phase in phases:
        values = dict(phase.values)
        if phase.name == "gradients":
            for key in values:
                if key.startswith(("dE/dw", "dE/db")):
                    j = int(key[-1]) - 1
                    h = out[f"h{j + 1}"]
                    values[key] = values[key] / (h * (1 - h))
        wrong.append(dataclasses.replace(phase, values=values))
    return wrong


def test_the_claim_catches_a_wrong_hand_computation():
    assert backprop.matches_engine().holds
    result = backprop.matches_engine(steps=_forgets_the_hidden_slope)
    assert not result.holds and result.value > 1e-3


def test_the_claim_notices_a_missing_number():
    def drops_the_update():
        return [phase for phase in backprop.walkthrough() if phase.name != "update"]

    assert not backprop.matches_engine(steps=drops_the_update).holds


def test_gradients_are_slopes_has_a_tolerance_it_can_miss():
    assert backprop.gradients_are_slopes().holds
    assert not backprop.gradients_are_slopes(tolerance=1e-16).holds


def test_training_claim_fails_on_the_plateau():
    assert backprop.training_solves_xor().holds
    # For its first few hundred epochs the network sits on a plateau: not all rows right yet.
    assert not backprop.training_solves_xor(epochs=50).holds


def test_the_xor_rows_pane_waits_for_the_lessons_network():
    # Opened from the playground (c, a lesson), the first frames still show the playground's
    # run: a 6-input network. The rows pane multiplied XOR's 2 inputs by its weights and the
    # screen crashed (CI: ValueError in xor_rows, a random-keys test).
    from types import SimpleNamespace

    import numpy as np

    from nn_tui.lessons.backprop import xor_rows
    from nn_tui.lessons.backprop.screen import draw_xor_rows

    playground = SimpleNamespace(weights=[np.zeros((6, 4)), np.zeros((4, 1))], biases=[np.zeros(4), np.zeros(1)],
                                 activation="tanh", output_activation="sigmoid")
    assert xor_rows(playground) is None
    shown = []
    widget = SimpleNamespace(border_title="", show=lambda make: shown.append(str(make(40))))
    draw_xor_rows(widget, None, playground, None)
    assert "on its way" in shown[-1]
    lesson = SimpleNamespace(weights=[np.ones((2, 2)), np.ones((2, 1))], biases=[np.zeros(2), np.zeros(1)],
                             activation="sigmoid", output_activation="sigmoid")
    draw_xor_rows(widget, None, lesson, None)
    assert "of 4 rows right" in shown[-1]

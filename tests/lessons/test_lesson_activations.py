"""The activations lesson: the race, and claims that fail on another race."""

import numpy as np

from nn_tui.engine import Network
from nn_tui.lessons import activations
from lesson_walk import walk


def test_steps_race_then_read_then_try_a_larger_rate():
    seen = walk(activations.LESSON, {"epoch": 0, "lr": 0.03, "racers_finished": 0}, [
        {"epoch": 40, "racers_finished": 1}, {"racers_finished": 3}, "next",
        {"epoch": 80},                  # trained more, learning rate unchanged
        {"lr": 0.1}, {"lr": 0.3},       # one + and two: not yet the three the step asks for
        {"lr": 1.0},                    # the third +
        {"epoch": 0},                   # fresh weights
        {"epoch": 19}, {"epoch": 20},   # 20 epochs counted from the reset
    ])
    assert seen == [0, 1, 2, 2, 2, 2, 3, 3, 3, 4]


def test_epochs_to_reach():
    assert activations.epochs_to_reach([0.5, 0.3, 0.1, 0.05], 0.2) == 3
    assert activations.epochs_to_reach([0.5, 0.3], 0.2) is None


def test_relu_is_not_fastest_on_every_problem():
    # On moons from seed 0, tanh's loss falls faster than ReLU's: the claim must see it.
    moons = {**activations.RACE, "dataset": "moons"}
    result = activations.relu_falls_fastest(race_settings=moons)
    assert not result.holds
    assert result.value["mean_loss_tanh"] < result.value["mean_loss_relu"]


def test_the_vanishing_gradient_claim_has_a_bar_it_can_miss():
    result = activations.sigmoid_gradients_vanish()
    assert result.holds
    assert not activations.sigmoid_gradients_vanish(ratio=result.value * 2).holds


def test_unit_health_marks_saturated_and_dead_units():
    net = Network.mlp(1, [3], 1, activation="relu", seed=0)
    hidden = net.layers[0]
    hidden.params["W"] = np.array([[1.0, -1.0, 0.0]])
    hidden.params["b"] = np.array([0.0, -5.0, 1.0])
    X = np.linspace(0, 1, 5)[:, None]  # unit 2 is below zero on all of them
    (saturated, dead), = activations.unit_health(net, X)
    assert dead.tolist() == [False, True, False] and not saturated.any()

    net = Network.mlp(1, [2], 1, activation="tanh", seed=0)
    net.layers[0].params["W"] = np.array([[100.0, 0.1]])
    (saturated, dead), = activations.unit_health(net, np.array([[1.0], [2.0], [-3.0]]))
    assert saturated.tolist() == [True, False] and not dead.any()


def test_the_race_plot_counts_whole_epochs_and_one_dead_unit():
    # The race's x axis read 0.0 / 10.2 / 20.5 / 30.8 epochs; the curves' title "1 dead units".
    from types import SimpleNamespace

    from nn_tui.lessons.activations import screen
    from nn_tui.lessons.screen_values import LessonState

    state = LessonState(activations.LESSON)
    state.own.race["sigmoid"] = (np.arange(41.0), np.linspace(1.0, 0.5, 41))
    calls = []
    widget = SimpleNamespace(update_series=lambda *args, **kwargs: calls.append((args, kwargs)),
                             outer_size=SimpleNamespace(width=120), border_subtitle=None)
    history = SimpleNamespace(epochs=np.arange(5.0), get=lambda name: np.ones(5))
    snapshot = SimpleNamespace(settings={"activation": "tanh"}, history=history)
    screen.draw_loss_race(widget, snapshot, None, SimpleNamespace(state=state))
    assert calls[-1][1].get("whole_x") is True
    view = SimpleNamespace(activation="relu")
    original = screen.unit_marks
    try:
        screen.unit_marks = lambda view: (0, 1)
        screen.draw_activation_curves(widget, snapshot, view, SimpleNamespace(state=state))
    finally:
        screen.unit_marks = original
    assert widget.border_subtitle == "relu: 0 saturated, 1 dead"

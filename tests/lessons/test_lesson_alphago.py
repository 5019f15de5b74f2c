"""The alphago lesson: its steps follow the runs, and claims that fail when there is
nothing to show (no training, no trained network)."""

from nn_tui.lessons import alphago
from lesson_walk import walk


def test_steps_follow_the_gridworld_the_edit_then_self_play_the_search_and_a_game():
    seen = walk(alphago.LESSON, {"epoch": 0, "run": "gridworld"}, [
        {"epoch": 100},
        {"run": "no_exploring", "epoch": 0},
        {"epoch": 150},
        {"run": "gridworld", "epoch": 0, "success_rate": 0.5, "optimal_share": 0.6},
        {"epoch": 300, "success_rate": 1.0, "optimal_share": 0.96, "cells_changed": 0},
        {"epoch": 360, "cells_changed": 1, "optimal_share": 0.94},   # the cost placed: not followed yet
        {"epoch": 400, "optimal_share": 0.99},
        {"run": "tic_tac_toe", "epoch": 0, "games": 0, "mcts": 0, "game_over": False},
        {"epoch": 20, "games": 10_000},
        {"mcts": 800},
        {"game_over": True},
        "next",
    ])
    assert seen == [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8]


def test_no_training_explores_nothing():
    result = alphago.exploring_matters(episodes=0)
    assert not result.holds and result.value["success_exploring"] < 0.9


def test_an_untrained_network_with_the_search_still_loses():
    result = alphago.search_loses_less(games=0)
    assert not result.holds and result.value["lost_with_search"] > 0

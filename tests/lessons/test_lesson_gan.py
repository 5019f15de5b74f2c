"""The gan lesson: its steps, and claims that fail when training is too short or nothing is set badly."""

from nn_tui.lessons import gan
from lesson_walk import walk


def test_steps_follow_the_divergence_then_the_badly_set_ring_then_the_good_one():
    seen = walk(gan.LESSON, {"epoch": 0, "run": "two_gaussians"}, [
        {"epoch": 100, "js_divergence": 0.8},
        {"epoch": 600, "js_divergence": 0.6},
        {"epoch": 900, "js_divergence": 0.49},
        {"epoch": 5000},                                      # the two gaussians: not the ring
        {"run": "ring_badly_set", "epoch": 0, "modes_covered": 1},
        {"epoch": 2999},
        {"epoch": 3000, "modes_covered": 1},                  # collapsed, as the step said
        {"epoch": 6000, "modes_covered": 7},                  # the badly set run: not the default ring
        {"run": "ring", "epoch": 0, "modes_covered": 0},
        {"epoch": 900, "modes_covered": 6},
        "next",
    ])
    assert seen == [1, 2, 3, 3, 3, 3, 4, 4, 4, 5, 6]


def test_fifty_epochs_do_not_lower_the_divergence():
    result = gan.divergence_falls(epochs=50)
    assert not result.holds and result.value["js_start"] > 0.5


def test_nothing_set_badly_collapses_nothing():
    result = gan.badly_set_collapses(epochs=200, bad={})  # the "bad" GAN is the default one
    assert not result.holds and result.value["modes_default"] == result.value["modes_badly_set"]

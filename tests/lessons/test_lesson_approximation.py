"""The approximation lesson: targets, contributions, and a claim that fails untrained."""

import numpy as np
import pytest

from nn_tui.lessons import approximation
from lesson_walk import walk


def test_steps_add_units_until_the_fit_closes():
    seen = walk(approximation.LESSON, {"epoch": 0, "hidden_units": 1, "test_rmse": 0.7, "target": "wave"}, [
        {"epoch": 300},
        {"hidden_units": 4, "epoch": 0},    # each n starts the fit afresh
        {"hidden_units": 8, "epoch": 0},    # 8 units, not trained yet: step 2 asks for Space too
        {"epoch": 299},
        {"epoch": 300, "test_rmse": 0.2},
        {"test_rmse": 0.04},
        {"target": "sine"},
        "next",
    ])
    assert seen == [1, 1, 1, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("target", sorted(approximation.TARGETS))
def test_every_target_is_a_1d_regression_set(target):
    data = approximation.target_dataset(target)
    assert data.X_train.shape == (approximation.SAMPLES, 1) and data.task == "regression"
    assert np.all(np.abs(data.y_train) <= 1.0)
    assert approximation.target_dataset(target).X_train.tobytes() == data.X_train.tobytes()  # same seed


def test_contributions_add_up_to_the_output():
    _, net = approximation.fit_units(4, steps=10)
    grid = np.linspace(-3, 3, 7)[:, None]
    parts = approximation.contributions(net, grid)
    assert parts.shape == (7, 4)
    np.testing.assert_allclose(parts.sum(axis=1) + net.layers[1].params["b"][0], net.forward(grid)[:, 0],
                               rtol=0, atol=1e-12)
    assert approximation.fit_is_sum_of_units(steps=10).holds


def test_the_closing_claim_fails_on_a_tiny_budget():
    result = approximation.more_units_close_the_fit(ladder=(1, 2, 16), steps=5)
    assert not result.holds and result.value["rms_error_16_units"] > approximation.CLOSE_ENOUGH


def test_step_3_names_its_goal_as_the_status_lines_test_loss():
    # The goal is an RMS error, the status line shows the test loss (½ the mean square):
    # the step says the loss that goal is, and the session's numbers agree.
    from nn_tui.lessons.runs import config_for
    from nn_tui.session import Session

    lesson = approximation.LESSON
    metrics = Session(config_for(lesson)).snapshot.metrics
    assert abs(metrics["test_loss"] - metrics["test_rmse"] ** 2 / 2) < 1e-9
    assert f"{approximation.CLOSE_ENOUGH ** 2 / 2:.5f}" in lesson.steps[2].text


def test_the_unit_steps_say_that_n_starts_afresh_and_how_long_the_fit_takes():
    # n rebuilds the network (epoch 0, new weights); step 2 said "add units and keep training",
    # and step 3's fit took 2,071 epochs (70 s at the lesson's 30 a second) without a word.
    from nn_tui.lessons.approximation import LESSON

    assert "afresh" in LESSON.steps[1].text and "Space" in LESSON.steps[1].text
    assert "2,000 epochs" in LESSON.steps[2].text and "(f is faster)" in LESSON.steps[2].text

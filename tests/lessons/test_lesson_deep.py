"""The deep lesson: its steps, and claims that can fail."""

from nn_tui.lessons import deep
from lesson_walk import walk


def test_steps_sigmoid_then_relu_then_batch_norm():
    seen = walk(deep.LESSON, {"epoch": 0, "run": "sigmoid", "test_accuracy": 0.5}, [
        {"epoch": 29}, {"epoch": 30},
        "next",
        {"run": "relu", "epoch": 0}, {"epoch": 20, "test_accuracy": 0.96},
        {"run": "batchnorm", "epoch": 0, "test_accuracy": 0.5}, {"epoch": 8, "test_accuracy": 0.97},
    ])
    assert seen == [0, 1, 2, 2, 3, 3, 4]


def test_the_vanishing_claim_is_missed_by_the_relu_stack():
    assert deep.sigmoid_gradients_vanish(seeds=(0,)).holds
    assert not deep.sigmoid_gradients_vanish(seeds=(0,), run="relu").holds


def test_the_batch_norm_claim_has_a_bar_it_can_miss():
    result = deep.batchnorm_trains_faster(seeds=(0,))
    assert result.holds
    reached = result.value["seed_0"]["batchnorm_reaches_it_at"]
    assert not deep.batchnorm_trains_faster(seeds=(0,), faster=(reached - 1) / deep.EPOCHS).holds


def test_the_stack_is_eight_layers_deep_in_every_run():
    for run in deep.LESSON.setup["runs"].values():
        assert run["layers"] == [8] * 8

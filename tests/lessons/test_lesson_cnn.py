"""The cnn lesson: the full-HD arithmetic, the CNN against the dense network, steps that follow training."""

from nn_tui.lessons import cnn
from lesson_walk import walk


def test_a_dense_layer_takes_every_pixel_of_every_channel_as_an_input():
    assert cnn.dense_inputs(1920, 1080) == 2_073_600
    assert cnn.dense_inputs(4, 3, channels=3) == 36
    sizes = cnn.full_hd_sizes(units=2, kernel=3)
    assert sizes == {"inputs": 2_073_600, "dense_weights": 2 * 2_073_600 + 2, "conv_filter_weights": 10}


def test_steps_follow_training_to_97_percent():
    seen = walk(cnn.LESSON, {"epoch": 0, "test_accuracy": 0.1}, [
        "next",
        {"epoch": 2, "test_accuracy": 0.9},
        {"epoch": 3, "test_accuracy": 0.93},
        {"epoch": 9, "test_accuracy": 0.969},
        {"test_accuracy": 0.975},
        "next",
    ])
    assert seen == [1, 1, 2, 2, 3, 4]


def test_a_cnn_trained_too_little_does_not_beat_the_dense_network():
    short = cnn.cnn_beats_dense(cnn={**cnn.CNN, "epochs": 1})
    assert not short.holds and short.value["cnn_accuracy"] < short.value["dense_accuracy"]
    assert short.value["cnn_parameters"] == 1898 and short.value["dense_parameters"] == 4810


def test_a_bigger_cnn_breaks_the_fewer_parameters_half_of_the_claim():
    big = cnn.cnn_beats_dense(cnn={**cnn.CNN, "conv": (32, 64), "epochs": 1})
    assert big.value["cnn_parameters"] > big.value["dense_parameters"] and not big.holds


def test_feature_maps_are_pictures_halved_by_each_pool():
    result = cnn.feature_maps_shrink(cnn={**cnn.CNN, "conv": (4, 6, 2), "epochs": 1})
    assert result.holds and result.value["feature_map_shapes"] == [[4, 8, 8], [6, 4, 4], [2, 2, 2]]

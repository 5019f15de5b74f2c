"""The digits lesson: weight images, the gallery, and claims that fail when they should."""

import numpy as np

from nn_tui.lessons import digits
from lesson_walk import walk


def test_steps_follow_training_to_95_percent():
    seen = walk(digits.LESSON, {"epoch": 0, "test_accuracy": 0.1}, [
        {"epoch": 5, "test_accuracy": 0.8},
        {"epoch": 6, "test_accuracy": 0.93},   # step 2 is read (Enter), not trained past
        "next",
        {"test_accuracy": 0.949},
        {"test_accuracy": 0.95},
        "next", "next",
    ])
    assert seen == [1, 1, 2, 2, 3, 4, 5]


def test_first_layer_images_lay_each_neurons_weights_out_as_the_picture():
    net = digits.digits_network()
    images = digits.first_layer_images(net)
    W = net.layers[0].params["W"]
    assert images.shape == (64, 8, 8)
    assert images[5, 2, 3] == W[2 * 8 + 3, 5]  # pixel px2_3 -> neuron 5


def test_the_gallery_gives_guess_and_confidence():
    data, net = digits.trained_default(epochs=2)
    truth, guesses, confidence = digits.test_gallery(net, data)
    assert len(truth) == len(guesses) == len(confidence) == len(data.X_test)
    assert np.all((confidence > 0.1) & (confidence <= 1.0))


def test_claims_fail_when_they_should():
    assert not digits.reaches_goal(epochs=1).holds
    # Shuffling the pixels but not the weights is a different start: the outputs differ.
    assert not digits.blind_to_pixel_order(epochs=2, shuffle_weights=False).holds
    assert digits.blind_to_pixel_order(epochs=2).holds


def test_the_mistakes_step_says_where_the_misread_digits_are_drawn():
    # Step 4 said "some of the digits it gets wrong you might misread too", but the lesson's
    # panes (tiles, confusion, loss) never draw a digit: a learner looked for them in vain.
    from nn_tui.lessons.digits import LESSON

    text = LESSON.steps[3].text
    assert "misread" in text and "cnn lesson" in text, text


def test_step_three_leaves_epochs_to_watch_the_tiles_change():
    # Step 2 says to watch the tiles change in step 3; step 1 stopped at epoch 5 and 95 %
    # came at epoch 7: two seconds at the lesson's 1 epoch a second. It stops at 2 now.
    from nn_tui.lessons.digits import LESSON

    assert LESSON.steps[0].done({"epoch": 2, "status": "paused"}, {"epoch": 0})
    assert LESSON.setup.get("pace") == 1  # epochs a second: 5 of them in step 3
